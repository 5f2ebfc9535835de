"""Run-time checks injected into kernel_py source for checked CPython execution.

Each helper fails exactly where compiled code fails, raising ``KernelFailure`` with the same kind:
"overflow", "division", "shift", "bounds", "value" (a negative bytes count), "assert", "abort".
"""

from __future__ import annotations

from typing import Any, Callable

from kernel_py.intrinsics import KernelFailure


def arith(op: str, a: int, b: int, lo: int, hi: int, bits: int) -> int:
    if op == "add":
        r = a + b
    elif op == "sub":
        r = a - b
    elif op == "mul":
        r = a * b
    elif op in ("div", "mod"):
        if b == 0:
            raise KernelFailure("division", "division by zero")
        if a < 0 or b < 0:
            raise KernelFailure("division", "// and % take non-negative operands")
        return a // b if op == "div" else a % b
    elif op in ("shl", "shr"):
        if not 0 <= b < bits:
            raise KernelFailure("shift", f"shift count {b} outside 0..{bits - 1}")
        if op == "shr":
            return a >> b
        r = a << b
    else:
        raise AssertionError(op)
    if not lo <= r <= hi:
        raise KernelFailure("overflow", f"{r} outside {lo}..{hi}")
    return r


def neg(a: int, lo: int, hi: int) -> int:
    r = -a
    if not lo <= r <= hi:
        raise KernelFailure("overflow", f"-{a} outside {lo}..{hi}")
    return r


def conv(a: int, lo: int, hi: int) -> int:
    if not lo <= a <= hi:
        raise KernelFailure("overflow", f"{a} outside {lo}..{hi}")
    return int(a)


def index(seq: Any, i: int) -> Any:
    if not 0 <= i < len(seq):
        raise KernelFailure("bounds", f"index {i} outside 0..{len(seq) - 1}")
    return seq[i]


def index_neg(seq: Any, i: int) -> Any:
    """``seq[i]`` with a constant negative ``i`` (counts from the end, like Python)."""
    if not -len(seq) <= i < 0:
        raise KernelFailure("bounds", f"index {i} outside -{len(seq)}..-1")
    return seq[i]


def setitem(value: Any, seq: Any, i: int) -> None:
    if not 0 <= i < len(seq):
        raise KernelFailure("bounds", f"index {i} outside 0..{len(seq) - 1}")
    if isinstance(seq, bytearray) and not 0 <= value <= 255:
        raise KernelFailure("overflow", f"{value} is not a byte")
    seq[i] = value


def slice_(seq: Any, lo: int | None, hi: int | None) -> Any:
    if (lo is not None and lo < 0) or (hi is not None and hi < 0):
        raise KernelFailure("bounds", "negative slice bound")
    return seq[lo:hi]


def setslice(value: Any, seq: bytearray, lo: int | None, hi: int | None) -> None:
    if (lo is not None and lo < 0) or (hi is not None and hi < 0):
        raise KernelFailure("bounds", "negative slice bound")
    n = len(seq)
    a = min(lo or 0, n)
    b = max(a, min(n if hi is None else hi, n))
    if b - a != len(value):
        raise KernelFailure("bounds", "slice assignment must keep the length")
    seq[a:b] = value


def aug_item(seq: Any, i: int, op: str, value: Callable[[], int], lo: int, hi: int, bits: int) -> None:
    cur = index(seq, i)
    seq[i] = arith(op, cur, value(), lo, hi, bits)


def aug_attr(obj: Any, name: str, op: str, value: Callable[[], int], lo: int, hi: int, bits: int) -> None:
    setattr(obj, name, arith(op, getattr(obj, name), value(), lo, hi, bits))


def from_bytes(data: bytes, order: str, lo: int, hi: int) -> int:
    v = int.from_bytes(data, order)  # type: ignore[arg-type]
    if v > 0xFFFF_FFFF_FFFF_FFFF or not lo <= v <= hi:
        raise KernelFailure("overflow", f"{v} outside {lo}..{hi}")
    return v


def to_bytes(x: int, n: int, order: str) -> bytes:
    if x < 0 or n < 0 or (n < 8 and x >> (8 * n)):
        raise KernelFailure("overflow", f"{x} does not fit {n} bytes")
    return x.to_bytes(n, order)  # type: ignore[arg-type]


def bytes_new(kind: type, n: Any) -> Any:
    if isinstance(n, int) and n < 0:
        raise KernelFailure("value", "negative count")
    return kind(n)


def bytes_list(kind: type, items: list[int]) -> Any:
    for v in items:
        if not 0 <= v <= 255:
            raise KernelFailure("overflow", f"{v} is not a byte")
    return kind(items)


def range_(lo: int, hi: int, step: int) -> range:
    if step == 0:
        raise KernelFailure("value", "range() step is zero")
    return range(lo, hi, step)


def sum_(items: Any, lo: int, hi: int) -> int:
    """``sum(items)`` with every partial sum checked, as compiled code adds."""
    total = 0
    for x in items:
        total += x
        if not lo <= total <= hi:
            raise KernelFailure("overflow", f"{total} outside {lo}..{hi}")
    return total


def divmod_(a: int, b: int, lo: int, hi: int, bits: int) -> tuple[int, int]:
    return arith("div", a, b, lo, hi, bits), arith("mod", a, b, lo, hi, bits)


def fail_assert(message: str) -> None:
    raise KernelFailure("assert", message)
