"""bytes and bytearray operations."""

from kernel_py.intrinsics import u8, u32, u64

MAGIC: bytes = b"\x00kernel"
HEX: bytes = bytes.fromhex("deadbeef")


def basics(a: bytes, b: bytes, i: int) -> tuple[int, u8, bytes, bool, bool, bool]:
    return len(a), a[i], a + b, a == b, a < b, a != MAGIC


def slices(a: bytes, lo: int, hi: int) -> tuple[bytes, bytes, bytes, bytes]:
    return a[lo:hi], a[lo:], a[:hi], a[:]


def slice_late(a: bytes, lo: int, k: int) -> bytes:
    """Both bounds are evaluated (the upper one may overflow) before the slice checks them."""
    return a[lo:k * 2]


def set_late(n: int, lo: int, k: int) -> bytearray:
    """The value and both bounds are evaluated before the slice assignment checks the bounds."""
    ba = bytearray(n)
    ba[lo:k * 2] = bytes(k * 2 - lo) if -10 < k < 10 and -10 < lo < 10 else b""
    return ba


def ints_whole(a: bytes) -> tuple[u64, u64]:
    """Whole buffers, longer than 8 bytes too (fits only when the bytes beyond the low 8 are zero)."""
    le: u64 = int.from_bytes(a, "little")
    be: u64 = int.from_bytes(a, "big")
    return le, be


def ints_le(a: bytes, i: int) -> tuple[u64, u32, int, u8]:
    w: u64 = int.from_bytes(a[i:i + 8], "little")
    v: u32 = int.from_bytes(a[i:i + 4], "little")
    s = int.from_bytes(a[i:i + 3], "little")
    b: u8 = int.from_bytes(a[i:i + 1], "little")
    return w, v, s, b


def ints_be(a: bytes, i: int) -> tuple[u64, u32, int, u64]:
    w: u64 = int.from_bytes(a[i:i + 8], "big")
    v: u32 = int.from_bytes(a[i:i + 4], "big")
    s = int.from_bytes(a[i:i + 5], "big")
    whole: u64 = int.from_bytes(a, "big")
    return w, v, s, whole


def to_bytes(x: u64, y: u32, n: int) -> bytes:
    return x.to_bytes(8, "big") + x.to_bytes(8, "little") + y.to_bytes(4, "big") + y.to_bytes(3, "little") \
        + x.to_bytes(n, "big") + x.to_bytes(length=2, byteorder="little")


def buffers(n: int, fill: u8) -> tuple[bytes, bytearray, bytes]:
    ba = bytearray(n)
    for i in range(n):
        ba[i] = fill
    if n >= 2:
        ba[0:2] = b"ok"
    frozen = bytes(ba)
    ba[n - 1] = 7
    return frozen, ba, bytes(3) + HEX


def set_slice(n: int, lo: int, hi: int, src: bytes) -> bytearray:
    ba = bytearray(n)
    ba[lo:hi] = src
    return ba


def set_words(n: int, lo: int, hi: int, x: int, w: u32) -> bytearray:
    ba = bytearray(n)
    ba[lo:hi] = x.to_bytes(8, "little")
    ba[lo:lo + 4] = w.to_bytes(4, "little")
    ba[hi - 2:hi] = (w & 0xFFFF).to_bytes(2, "little")
    ba[0:1] = (w & 0xFF).to_bytes(1, "little")
    return ba


def len_alias(b: bytes, k: int) -> int:
    n = len(b)
    if n < 4:
        return -1
    total = int(b[3])
    c = b
    m = 0
    for i in range(k):
        if i > 0 and m < 2:
            total += int(c[1])  # m is the length of the previous iteration's c: still checked
        c = b[i:]
        m = len(c)
    return total
