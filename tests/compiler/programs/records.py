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
