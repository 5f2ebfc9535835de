"""Implicit lossless widening: every (narrower, wider) integer pair in arithmetic, comparison,
assignment, argument passing and return (docs/LANGUAGE.md §6)."""

from kernel_py.intrinsics import i32, u8, u32, u64

MOD = 1_000_000_007


def take_u32(x: u32) -> u32:
    return x


def take_u64(x: u64) -> u64:
    return x


def take_i32(x: i32) -> i32:
    return x


def take_int(x: int) -> int:
    return x


def ret_u32(a: u8) -> u32:
    return a


def ret_u64(a: u32) -> u64:
    return a


def ret_int(a: i32) -> int:
    return a


def u8_pairs(a: u8, b: u32, c: u64, d: i32, e: int) -> tuple[u32, u64, i32, int, int]:
    """u8 -> u32, u64, i32, int: arithmetic in the wider type."""
    return a + b, c - a, d * a, e // (a + 1), a % (e | 1)


def u32_pairs(a: u32, c: u64, e: int) -> tuple[u64, int, int]:
    """u32 -> u64, int; u32 with i32 meets in int."""
    return a + c, e - a, a * 3 - e


def i32_pairs(d: i32, e: int, a: u32) -> tuple[int, int]:
    """i32 -> int; i32 with u32 meets in int."""
    return e + d, d - a


def compare(a: u8, b: u32, c: u64, d: i32, e: int) -> int:
    bits = 0
    if a < b:
        bits |= 1
    if c >= a:
        bits |= 2
    if d == a:
        bits |= 4
    if e > b:
        bits |= 8
    if d <= b:
        bits |= 16
    if c != b:
        bits |= 32
    return bits


def assign(a: u8, b: u32, d: i32) -> tuple[u32, u64, i32, int, int]:
    w: u32 = a
    x: u64 = b
    y: i32 = a
    z = 0
    z = d
    t: int = 5
    t += a
    t -= b
    return w, x, y, z, t


def arguments(a: u8, b: u32, d: i32) -> tuple[int, u64]:
    return take_u32(a) + take_i32(a) + take_int(a) + take_int(b) + take_int(d), take_u64(b) + take_u64(a)


def returns(a: u8, b: u32, d: i32) -> tuple[u32, u64, int]:
    return ret_u32(a), ret_u64(b), ret_int(d)


def fields_and_lists(a: u8, b: u32) -> tuple[int, u64]:
    xs: list[int] = [a, b, 7]
    xs.append(a)
    xs[0] += b
    ys: list[u64] = [b] * 2
    ys[1] = a
    return xs[0] + xs[3], ys[0] + ys[1]


def mixed_min_max(a: u8, b: u32, d: i32) -> tuple[u32, int]:
    return max(a, b), min(d, b)


def choose(flag: bool, a: u8, e: int) -> int:
    return a if flag else e


def rolling_hash(data: bytes) -> int:
    acc = 0
    for i in range(len(data)):
        acc = (acc * 31 + data[i]) % MOD
    return acc


def checksum(data: bytes, seed: u32) -> u32:
    s: u32 = seed
    for byte in data:
        s = (s + byte) * 3 % 65521
    return s


def sums(a: u8, b: u8) -> tuple[u8, int, u32]:
    """The context's type: u8 + u8 returned as u8 adds in u8; stored in int or u32 it adds there."""
    total: int = a + b
    shifted: u32 = (a & 0x7F) << 20
    return a + b, total, shifted


def byte_shift(b: bytes) -> int:
    """A byte shifted left without a typed context is an int (u8 << 16 would always fail)."""
    n = b[0] << 16
    return n | (b[1] << 8) | b[2]
