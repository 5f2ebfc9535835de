"""List algorithms: sorting, searching, prefix sums, dedup, max subarray."""


def insertion_sort(xs: list[int]) -> list[int]:
    for i in range(1, len(xs)):
        key = xs[i]
        j = i - 1
        while j >= 0 and xs[j] > key:
            xs[j + 1] = xs[j]
            j -= 1
        xs[j + 1] = key
    return xs


def binary_search(xs: list[int], target: int) -> int:
    lo = 0
    hi = len(xs) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if xs[mid] == target:
            return mid
        if xs[mid] < target:
            lo = mid + 1
        else:
            hi = mid - 1
    return -1


def prefix_sums(xs: list[int]) -> list[int]:
    out = [0] * (len(xs) + 1)
    for i, x in enumerate(xs):
        out[i + 1] = out[i] + x
    return out


def dedup_sorted(xs: list[int]) -> list[int]:
    out: list[int] = []
    for x in xs:
        if not out or out[len(out) - 1] != x:
            out.append(x)
    return out


def max_subarray(xs: list[int]) -> int:
    best = xs[0]
    current = 0
    for x in xs:
        current = max(x, current + x)
        best = max(best, current)
    return best


def count_in_range(xs: list[int], lo: int, hi: int) -> int:
    return len([x for x in xs if lo <= x < hi])


def all_positive(xs: list[int]) -> bool:
    return all(x > 0 for x in xs)
