"""Big-integer Ed25519 reference (RFC 8032 §5.1 formulas) used by the tests as an independent oracle.

Slow and simple on purpose: it checks the kernel implementation's constants (base-point table, field
constants) and builds special inputs (torsion points, mixed-order points) the tests need.
"""

from __future__ import annotations

P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493
D = (-121665 * pow(121666, P - 2, P)) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)
LIMB_OFFSETS = [0, 26, 51, 77, 102, 128, 153, 179, 204, 230]

Point = tuple[int, int, int, int]  # extended coordinates (X, Y, Z, T), x = X/Z, y = Y/Z, xy = T/Z


def add(p: Point, q: Point) -> Point:
    x1, y1, z1, t1 = p
    x2, y2, z2, t2 = q
    a = (y1 - x1) * (y2 - x2) % P
    b = (y1 + x1) * (y2 + x2) % P
    c = t1 * 2 * D * t2 % P
    d = z1 * 2 * z2 % P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % P, g * h % P, f * g % P, e * h % P)


def mul(k: int, p: Point) -> Point:
    q: Point = (0, 1, 1, 0)
    while k > 0:
        if k & 1:
            q = add(q, p)
        p = add(p, p)
        k >>= 1
    return q


def affine(p: Point) -> tuple[int, int]:
    zi = pow(p[2], P - 2, P)
    return p[0] * zi % P, p[1] * zi % P


def encode(p: Point) -> bytes:
    x, y = affine(p)
    return (y | ((x & 1) << 255)).to_bytes(32, "little")


def recover_x(y: int, sign: int) -> int | None:
    if y >= P:
        return None
    x2 = (y * y - 1) * pow(D * y * y + 1, P - 2, P) % P
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (P + 3) // 8, P)
    if (x * x - x2) % P != 0:
        x = x * SQRT_M1 % P
    if (x * x - x2) % P != 0:
        return None
    if (x & 1) != sign:
        x = P - x
    return x


def decode(s: bytes) -> Point | None:
    y = int.from_bytes(s, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    x = recover_x(y, sign)
    if x is None:
        return None
    return (x, y, 1, x * y % P)


BASE: Point = decode((4 * pow(5, P - 2, P) % P).to_bytes(32, "little"))  # type: ignore[assignment]


def limbs(v: int) -> list[int]:
    """Radix-2^25.5 limbs of a field element (the kernel's representation)."""
    v %= P
    widths = [26, 25] * 5
    return [(v >> o) & ((1 << w) - 1) for o, w in zip(LIMB_OFFSETS, widths)]


def base_odd_multiples_table() -> list[int]:
    """(y+x, y-x, 2dxy) limbs of B, 3B, ..., 15B: 8 entries x 30 limbs."""
    out: list[int] = []
    for k in range(1, 16, 2):
        x, y = affine(mul(k, BASE))
        out += limbs(y + x) + limbs(y - x) + limbs(2 * D * x * y)
    return out


def torsion_points() -> list[Point]:
    """The 8 points of order dividing 8."""
    # A point of order 8: y solves a quartic; take it from [L]Q for some Q with full torsion component.
    for y in range(2, 100):
        x = recover_x(y, 0)
        if x is None:
            continue
        t = mul(L, (x, y, 1, x * y % P))
        if affine(mul(4, t)) != (0, 1):
            return [mul(i, t) for i in range(8)]
    raise AssertionError("no point of order 8 found")
