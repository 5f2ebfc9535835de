from kernel_py.intrinsics import u8


def f(x: u8) -> u8:
    return x + 300  # error: literal 300 does not fit u8
