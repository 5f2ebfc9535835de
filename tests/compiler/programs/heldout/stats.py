"""Small statistics and sequence utilities over integer lists."""

from dataclasses import dataclass


@dataclass
class Summary:
    count: int
    total: int
    lowest: int
    highest: int


def summarize(xs: list[int]) -> Summary:
    s = Summary(0, 0, 0, 0)
    for x in xs:
        if s.count == 0 or x < s.lowest:
            s.lowest = x
        if s.count == 0 or x > s.highest:
            s.highest = x
        s.count += 1
        s.total += x
    return s


def mean_floor(xs: list[int]) -> int:
    if not xs:
        return 0
    total = 0
    for x in xs:
        total += x
    return total // len(xs)


def merge_sorted(a: list[int], b: list[int]) -> list[int]:
    out: list[int] = []
    i = 0
    j = 0
    while i < len(a) and j < len(b):
        if a[i] <= b[j]:
            out.append(a[i])
            i += 1
        else:
            out.append(b[j])
            j += 1
    while i < len(a):
        out.append(a[i])
        i += 1
    while j < len(b):
        out.append(b[j])
        j += 1
    return out


def histogram(data: bytes, buckets: int) -> list[int]:
    counts = [0] * buckets
    for b in data:
        counts[b * buckets // 256] += 1
    return counts


def fib_mod(n: int, m: int) -> int:
    a, b = 0, 1
    for _ in range(n):
        a, b = b, (a + b) % m
    return a


def running_max(xs: list[int]) -> list[int]:
    out: list[int] = []
    best = 0
    for i, x in enumerate(xs):
        if i == 0 or x > best:
            best = x
        out.append(best)
    return out
