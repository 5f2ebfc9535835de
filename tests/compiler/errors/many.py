"""Independent errors are all reported, in order; consequences of an error (y, n + s) are not."""
from kernel_py.intrinsics import u8, u32


def f(a: u32, data: bytes) -> u8:
    x = 1.5  # error: floats are outside the subset
    y = x + 1
    b: u8 = a  # error: expected u8, got u32
    for c in data:
        del c  # error: del is outside the subset
    if a ** 2:  # error: `**` is outside the subset
        b = 3
    return b


def g(n: int) -> int:
    s = "text"  # error: strings are outside the subset
    return n + s


def h(n: int) -> int:
    try:  # error: try/except is outside the subset
        n = 1
    except ValueError:
        pass
    return n / 2  # error: `/` (float division) is outside the subset
