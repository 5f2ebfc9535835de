from kernel_py.intrinsics import u8, u32


def f(a: u32) -> u8:
    b: u8 = a  # error: expected u8, got u32
    return b
