from kernel_py.intrinsics import u32


def f(a: u32, b: int) -> int:
    return a + b  # error: operands have different types u32 and int
