"""Shapes the optimiser rewrites: constant-index runs, loop copies without checks, sunk loads,
unrolled table loops, inlined helpers, length facts."""

from kernel_py.intrinsics import rotr_u64, u8, u64, wrapping_add_u64

PERM: bytes = b"\x03\x00\x02\x01\x01\x03\x00\x02"
ROUND: list[u64] = [0x0123456789ABCDEF, 0xFEDCBA9876543210, 0x1111111111111111, 0x8000000000000001]


def limbs(xs: list[int]) -> int:
    a = xs[0]
    b = xs[1]
    c = xs[2]
    xs[0] = b
    xs[3] = a
    d = xs[4]
    return a * 3 + b - c + d


def schedule(ws: list[u64], rounds: int) -> u64:
    for t in range(16, rounds):
        ws[t] = wrapping_add_u64(ws[t - 2] ^ rotr_u64(ws[t - 15], 7), ws[t - 16])
    acc: u64 = 0
    for t in range(rounds):
        acc = acc ^ ws[t]
    return acc


def mix(m: list[u64], counter: u64) -> u64:
    v0 = counter
    v1: u64 = 0
    for r in range(4):
        s = (r % 2) * 4
        x0 = m[PERM[s + 0]]
        x1 = m[PERM[s + 1]]
        v0 = wrapping_add_u64(v0, x0) ^ ROUND[r]
        v1 = rotr_u64(v1 ^ v0, 32) + x1 // 2
    return v0 ^ v1


def _word(data: bytes, i: int) -> u64:
    w: u64 = int.from_bytes(data[i:i + 8], "little")
    return w


def header(data: bytes) -> tuple[bool, u64, u8]:
    if len(data) < 9:
        return False, 0, 0
    return True, _word(data, 0), data[8]


def sinks(xs: list[u64], k: u64) -> u64:
    a = xs[0]
    b = xs[1]
    t = a ^ k
    xs[1] = t
    return t + b


def schedule_fixed(ws: list[u64]) -> u64:
    """Constant bounds: a check-free copy with one row pointer per iteration runs when ws is long enough."""
    for t in range(16, 40):
        ws[t] = wrapping_add_u64(ws[t - 2] ^ rotr_u64(ws[t - 15], 7), ws[t - 16])
    acc: u64 = 0
    for t in range(40):
        acc = acc ^ rotr_u64(ws[t], t)
    return acc


def load_words(data: bytes, off: int, m: list[u64]) -> list[u64]:
    """Reads at a loop-invariant base plus a multiple of the counter: one span check per loop."""
    for i in range(4):
        word: u64 = int.from_bytes(data[off + 8 * i : off + 8 * i + 8], "little")
        m[i] = word
    return m
