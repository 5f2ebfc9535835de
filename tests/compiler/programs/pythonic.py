"""Ordinary Python lowered by the compiler: enumerate, zip, reversed, list comprehensions, any/all,
divmod, `x in (a, b, c)`, bytes([...]) / bytearray(xs), sep.join(parts), augmented assignment on
record fields and list elements."""

from dataclasses import dataclass

from kernel_py.intrinsics import u8, u32, u64

SEP = b"--"


@dataclass
class Counter:
    hits: u32
    total: u64


def weighted(data: bytes) -> int:
    acc = 0
    for i, b in enumerate(data):
        acc += (i + 1) * b
    return acc


def dot(xs: list[u32], ys: list[u32]) -> u64:
    s: u64 = 0
    for x, y in zip(xs, ys):
        s += x * y
    return s


def countdown(n: u32) -> list[u32]:
    out: list[u32] = []
    for i in reversed(range(n)):
        out.append(i)
    return out


def window(lo: int, hi: int) -> int:
    acc = 0
    for i in reversed(range(lo, hi)):
        acc = acc * 3 + i
    return acc


def backwards(data: bytes) -> bytes:
    out = bytearray(len(data))
    k = 0
    for b in reversed(data):
        out[k] = b
        k += 1
    return bytes(out)


def squares(n: int) -> list[int]:
    return [i * i for i in range(n) if i % 3 != 1]


def doubled(data: bytes) -> list[u32]:
    return [b * 2 for b in data]


def flips(data: bytes, key: u8) -> bytes:
    return bytes([b ^ key for b in data])


def has_big(xs: list[u32], limit: u32) -> tuple[bool, bool, bool]:
    return any(x > limit for x in xs), all(x <= limit for x in xs), any([x == limit for x in xs])


def safe_ratio(xs: list[int], d: int) -> bool:
    return any(d // x > 2 for x in xs)


def split(a: u64, b: u64) -> tuple[u64, u64]:
    q, r = divmod(a, b)
    return q, r


def split_direct(a: int, b: int) -> tuple[int, int]:
    return divmod(a, b)


def classify(k: int) -> int:
    if k in (1, 2, 5):
        return 1
    if k not in [7, 8]:
        return 2
    return 3


def kind_of(data: bytes, i: int) -> bool:
    return data[i] in (0, 0xFF, 0x7F)


def encode(a: int, b: u8) -> bytes:
    return bytes([a, b, 7]) + bytearray([b])


def from_list(xs: list[int]) -> bytearray:
    return bytearray(xs)


def joined(parts: list[bytes]) -> tuple[bytes, bytes, bytes]:
    return b"".join(parts), SEP.join(parts), b", ".join([p[:1] for p in parts])


def tally(xs: list[u32], c: Counter) -> Counter:
    for x in xs:
        c.hits += 1
        c.total += x
    return c


def bump(xs: list[u32], i: int, by: u32) -> list[u32]:
    xs[i] += by
    xs[0] *= 2
    return xs


def stepped(lo: int, hi: int, step: int) -> list[int]:
    return [i for i in range(lo, hi, step)]


def store(n: int) -> bytearray:
    b = bytearray()
    b += bytearray(2)
    b[1] = n
    return b


def chain(a: bytes, b: bytes, c: bytearray) -> tuple[bytes, bytes, bytes]:
    return a + b, a + b + c, a + b + c + a + b + (c + a)


def in_window(xs: list[int], i: int, lo: int) -> bool:
    return lo <= xs[i] < 10


def ends(xs: list[int], data: bytes) -> tuple[int, int, int]:
    return xs[-1], data[-1] + data[-2], [x * 2 for x in xs][-1]


def totals(xs: list[int], data: bytes, ws: list[u64]) -> tuple[int, int, u64, u64, int]:
    small: u64 = sum(b for b in data)
    return sum(xs), sum(x * x for x in xs if x > 0), sum(ws), small, sum([int(b) * 2 for b in data])
