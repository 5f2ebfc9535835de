"""Integer arithmetic, comparisons and conversions of every integer type (checked)."""

from kernel_py.intrinsics import i32, i64, u8, u32, u64

LIMIT: u32 = 1000
SCALE = 3


def arith_u8(a: u8, b: u8, op: int) -> u8:
    if op == 0:
        return a + b
    elif op == 1:
        return a - b
    elif op == 2:
        return a * b
    elif op == 3:
        return a // b
    elif op == 4:
        return a % b
    elif op == 5:
        return a << b
    elif op == 6:
        return a >> b
    elif op == 7:
        return a & b
    elif op == 8:
        return a | b
    return a ^ b


def arith_u32(a: u32, b: u32, op: int) -> u32:
    if op == 0:
        return a + b
    elif op == 1:
        return a - b
    elif op == 2:
        return a * b
    elif op == 3:
        return a // b
    elif op == 4:
        return a % b
    elif op == 5:
        return a << b
    elif op == 6:
        return a >> b
    elif op == 7:
        return a & b
    elif op == 8:
        return a | b
    return a ^ b


def arith_u64(a: u64, b: u64, op: int) -> u64:
    if op == 0:
        return a + b
    elif op == 1:
        return a - b
    elif op == 2:
        return a * b
    elif op == 3:
        return a // b
    elif op == 4:
        return a % b
    elif op == 5:
        return a << b
    elif op == 6:
        return a >> b
    elif op == 7:
        return a & b
    elif op == 8:
        return a | b
    return a ^ b


def arith_i32(a: i32, b: i32, op: int) -> i32:
    if op == 0:
        return a + b
    elif op == 1:
        return a - b
    elif op == 2:
        return a * b
    elif op == 3:
        return a // b
    elif op == 4:
        return a % b
    elif op == 5:
        return a << b
    elif op == 6:
        return a >> b
    elif op == 7:
        return a & b
    elif op == 8:
        return a | b
    return -a


def arith_i64(a: int, b: int, op: int) -> int:
    if op == 0:
        return a + b
    elif op == 1:
        return a - b
    elif op == 2:
        return a * b
    elif op == 3:
        return a // b
    elif op == 4:
        return a % b
    elif op == 5:
        return a << b
    elif op == 6:
        return a >> b
    elif op == 7:
        return a & b
    elif op == 8:
        return a | b
    return -a


def const_ops(a: u64, b: i64) -> tuple[u64, i64, u64, i64]:
    """Constant operands take the shapes the optimiser specialises (powers of two, small factors)."""
    x = a * 3 + 7
    y = b * -5 - 11
    z = (a // 8) % 16 + (a >> 60) + (a << 2)
    w = b // 4 + b % 8 + (b << 1) + (b >> 3)
    return x, y, z, w


def compare(a: u32, b: int, c: u64, d: u8) -> int:
    n = 0
    if a < b:
        n += 1
    if b <= d:
        n += 2
    if c > d:
        n += 4
    if a == d or c != a:
        n += 8
    if a >= LIMIT and b > SCALE:
        n += 16
    return n


def convert(x: int) -> tuple[u8, u32, i32, u64, int]:
    return u8(x & 0xFF), u32(x), i32(x), u64(x), i64(x) + int(u8(3))


def narrow(x: u64) -> u32:
    y = u32(x)
    return y


def loop_sum(n: u32) -> u64:
    total: u64 = 0
    for i in range(n):
        total += u64(i) * u64(i)
    return total


def literal_types(x: u8) -> u8:
    y = x + 1
    return y * 2


def steps(a: u32, b: i32, c: u64, d: int, op: int) -> tuple[u32, i32, u64, int]:
    """`x += 1` / `x -= 1` per type: one shared routine each in the size profile, failing at one edge."""
    if op == 0:
        a += 1
    elif op == 1:
        a -= 1
    elif op == 2:
        b += 1
    elif op == 3:
        b -= 1
    elif op == 4:
        c += 1
    elif op == 5:
        c -= 1
    elif op == 6:
        d += 1
    else:
        d -= 1
    return a, b, c, d
