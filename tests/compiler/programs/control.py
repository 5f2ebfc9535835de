"""Control flow: if/elif/else, while, for over range/bytes/lists, break, continue, return, bool ops."""

from kernel_py.intrinsics import u8, u32


def classify(x: int) -> int:
    if x < 0:
        return -1
    elif x == 0:
        return 0
    elif x < 100 and not x == 50:
        return 1
    else:
        return 2


def collatz(n: u32, limit: int) -> int:
    steps = 0
    x = n
    while x != 1:
        if steps >= limit:
            break
        if x % 2 == 0:
            x = x // 2
        else:
            x = 3 * x + 1
        steps += 1
    return steps


def ranges(a: int, b: int) -> tuple[int, int, int, int]:
    up = 0
    for i in range(a, b):
        up += i
    down = 0
    for i in range(b, a, -1):
        down += i
    step = 0
    for j in range(a, b, 3):
        if j % 2 == 0:
            continue
        step += j
    last = 0
    for k in range(10):
        last = k
        if k == b:
            break
    return up, down, step, last


def scan(data: bytes, stop: u8) -> tuple[int, int]:
    total = 0
    count = 0
    for x in data:
        if x == stop:
            break
        if x < 10:
            continue
        total += int(x)
        count += 1
    return total, count


def scan_list(xs: list[u32]) -> u32:
    best: u32 = 0
    for x in xs:
        best = max(best, x)
    return min(best, 1000000)


def logic(a: bool, b: bool, x: int) -> tuple[bool, bool, bool, int]:
    c = a and (x > 0 or b)
    d = not a or b
    e = 0 <= x < 10
    f = 1 if a else 2
    return c, d, e, f


def truthy(x: int, data: bytes) -> int:
    n = 0
    if x:
        n += 1
    if data:
        n += 2
    while x:
        x = x // 2
        n += 10
    return n


def stepped(lo: u32, hi: u32, start: int, stop: int) -> tuple[int, int]:
    """Steps that would wrap around at the top of the type must end the loop like Python's range."""
    n = 0
    for i in range(lo, hi, 7):
        n += 1
    m = 0
    for j in range(start, stop, -5):
        m += 1
    return n, m


def _small(k: int) -> bool:
    return k * k < 50  # fails (overflow) for large k: only reached when the test before it holds


def conjunctions(data: bytes, k: int) -> int:
    """`if`/`while` over `and` chains: a length test guarding an index, a call after a test."""
    n = 0
    if len(data) > 2 and data[2] == 7:
        n += 1
    if k > 0 and _small(k):
        n += 10
    if len(data) > 0 and k < 5 and data[0] > k and _small(k + 1):
        n += 100
    else:
        n += 200
    i = 0
    while i < len(data) and data[i] != 0 and _small(i):
        i += 1
    return n + 1000 * i
