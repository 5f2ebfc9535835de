"""Typed lists and read-only tables."""

from kernel_py.intrinsics import u8, u32, u64

TABLE: list[u64] = [1, 10, 100, 1000, 0xFFFFFFFFFFFFFFFF]
NAMES: list[bytes] = [b"zero", b"one", b"two"]
SMALL: list[int] = [-5, 7, 2147483647, -2147483648]  # only indexed, fits 32 bits: stored narrow
PASSED: list[int] = [3, -4, 5]  # passed to a function: keeps 8-byte elements


def build(n: int, x: u32) -> list[u32]:
    xs: list[u32] = []
    for i in range(n):
        xs.append(x + u32(i))
    ys = [x] * 3
    ys[1] = 9
    for y in ys:
        xs.append(y)
    return xs


def table(i: int) -> tuple[u64, bytes, int]:
    return TABLE[i], NAMES[i % 3], len(TABLE)


def total(xs: list[int]) -> int:
    s = 0
    for x in xs:
        s += x
    return s


def narrow(i: int) -> tuple[int, int, int]:
    return SMALL[i], SMALL[3 - i % 4] + SMALL[1], total(PASSED) + PASSED[i % 3]


STEPS: bytes = b"\x00\x01\x00"


def vector(a: int, b: int) -> int:
    v: list[int] = [a, b, 0, 0]  # only constant indexes once the table loop unrolls: kept in locals
    for i in range(3):
        v[STEPS[i] + 2] = v[STEPS[i] + 2] + v[STEPS[i]] * 3
    if a > b:
        v[0] = v[1]
    return v[0] + v[2] - v[3] + len(v)


def smooth(xs: list[int], k: int) -> list[int]:
    for i in range(k):  # the data pointer of xs is loaded once for the loop
        xs[i % 4] = xs[i % 4] + xs[(i + 1) % 4] * 2 - xs[k % 4]
    return xs


def edit(xs: list[int], i: int, v: int) -> list[int]:
    xs[i] = v
    xs[0] += 1
    return xs


def literal(a: u8, b: u8) -> list[u8]:
    return [a, b, a ^ b]


def nested(n: int) -> int:
    rows: list[list[int]] = []
    for i in range(n):
        row = [0] * i
        for j in range(i):
            row[j] = i * j
        rows.append(row)
    total = 0
    for r in rows:
        for v in r:
            total += v
    return total
