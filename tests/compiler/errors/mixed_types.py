from kernel_py.intrinsics import i32, u64


def f(a: u64, b: i32) -> int:
    return a + b  # error: operands have different types u64 and i32
