"""Records (dataclasses), tuples for several results, calls, asserts and abort."""

from dataclasses import dataclass

from kernel_py.intrinsics import abort, u8, u32, u64


@dataclass
class Point:
    x: int
    y: int


@dataclass
class Reader:
    data: bytes
    pos: int
    ok: bool


@dataclass
class Segment:
    a: Point
    b: Point
    tag: u8


def read_u8(r: Reader) -> u8:
    if r.pos + 1 > len(r.data):
        r.ok = False
        return 0
    v = r.data[r.pos]
    r.pos += 1
    return v


def read_u32(r: Reader) -> u32:
    if r.pos + 4 > len(r.data):
        r.ok = False
        return 0
    v: u32 = int.from_bytes(r.data[r.pos:r.pos + 4], "big")
    r.pos += 4
    return v


def decode(data: bytes) -> tuple[bool, u32, int]:
    r = Reader(data, 0, True)
    n = read_u8(r)
    total: u32 = 0
    for _ in range(n):
        total += read_u32(r)
    return r.ok and r.pos == len(data), total, r.pos


def divmod_(a: u64, b: u64) -> tuple[u64, u64]:
    return a // b, a % b


def segment(x: int, y: int) -> tuple[int, int, u8]:
    s = Segment(Point(x, y), b=Point(y=x, x=y), tag=3)
    s.a.x = s.a.x + s.b.y
    pts = [s.a, s.b]
    pts[1].y += 1
    q, r = divmod_(u64(s.tag), 2)
    return s.a.x + pts[1].y, s.b.y, u8(q + r)


def swap(a: int, b: int) -> tuple[int, int]:
    a, b = b, a
    return a, b


def checked(x: int) -> int:
    assert x != 13, "unlucky"
    if x == 7:
        abort("seven")
    return x


def _split(data: bytes, at: int) -> tuple[bytes, int, bool]:
    """Three results of three wasm types, from a function called at two sites (a real call)."""
    if at < 0 or at > len(data):
        return b"", -1, False
    return data[at:], at * 3 - 100, len(data) - at > 2


def _head(data: bytes) -> tuple[u8, int]:
    """Two results from a function called once (inlined: an inline block with two results)."""
    if len(data) == 0:
        return 0, -7
    return data[0], len(data)


def _again(data: bytes, at: int) -> tuple[bytes, int, bool]:
    return _split(data, at)  # the callee's results returned as they are


def several(data: bytes, at: int) -> tuple[int, int, bool, int]:
    """Tuple results of internal functions (not exported): unpacked, discarded and passed on."""
    rest, n, long = _split(data, at)
    _again(data, at + 1)
    tail, m, far = _again(rest, 1)
    h, k = _head(tail)
    return len(rest) + 10 * n + m, h + k, long and not far, len(tail)


def fields(data: bytes, pos: int, ok: bool, k: int) -> int:
    """`and`/`or` over record fields and lengths (evaluated eagerly) next to a checked call."""
    r = Reader(data, pos, ok)
    n = 0
    if r.ok and r.pos < len(r.data) and len(r.data) > 1:
        n += 1
    if r.ok or (r.pos > 2 and len(data) == 3):
        n += 2
    if r.pos >= 0 and read_u8(r) > k:
        n += 4
    return n + 8 * r.pos + (16 if r.ok else 0)
