"""Shared helpers of the code generator: wasm types, purity, linear forms and tuning constants."""

from __future__ import annotations

from kernel_wasm.ir import nodes as ir
from kernel_wasm.ir.types import Type

LOAD = {1: "i32.load8_u", 4: "i32.load", 8: "i64.load"}  # element size -> load
STORE = {1: "i32.store8", 4: "i32.store", 8: "i64.store"}  # element size -> store
SHIFT = {1: 0, 4: 2, 8: 3}  # element size -> log2
COMMUTATIVE = {"add", "mul", "and", "or", "xor"}
VERSION_MAX_NODES = 400  # loop bodies up to this size get a check-free copy ...
VERSION_MIN_CHECKS = 1  # ... when it removes at least this many checks per iteration
UNROLL_COPY_MAX_TRIPS = 16  # a check-free copy with a constant trip count up to this ...
UNROLL_COPY_MAX_NODES = 320  # ... and this many IR nodes in all is emitted straight-line
# nodes that call, allocate or may fail otherwise: they end a run of hoisted constant-index checks
NOT_IN_RUN = (ir.Call, ir.HostCall, ir.Inline, ir.MakeList, ir.MakeRecord, ir.RepeatList, ir.Concat, ir.Slice,
              ir.BytesNew, ir.BytesCopy, ir.FromBytes, ir.ToBytes)


def wt(t: Type) -> str:
    return t.wasm



def is_simple(e: ir.Expr) -> bool:
    return isinstance(e, (ir.Local, ir.Const, ir.Data))



def is_pure(e: ir.Expr) -> bool:
    """No side effects and cannot fail: safe to evaluate eagerly or twice."""
    return _effect_free(e, False)


def is_read_only(e: ir.Expr) -> bool:
    """Like :func:`is_pure`, but may also read memory: a length or a record field (every sequence or
    record value points at an object in linear memory, so the load cannot trap). Safe to evaluate
    eagerly where no write can come between it and the place it stands for, not to move or repeat."""
    return _effect_free(e, True)


def _effect_free(e: ir.Expr, reads: bool) -> bool:
    """:func:`is_pure` (``reads`` False) or :func:`is_read_only` (True) over the expression tree."""
    if isinstance(e, (ir.Local, ir.Const, ir.Data)):
        return True
    if reads and isinstance(e, ir.Len):
        return _effect_free(e.a, reads)
    if reads and isinstance(e, ir.Field):
        return _effect_free(e.rec, reads)
    if isinstance(e, (ir.Cmp, ir.Logic)):
        return _effect_free(e.a, reads) and _effect_free(e.b, reads)
    if isinstance(e, ir.Not):
        return _effect_free(e.a, reads)
    if isinstance(e, ir.Arith) and e.site < 0:
        return _effect_free(e.a, reads) and _effect_free(e.b, reads)
    if isinstance(e, ir.Prim) and e.op not in ("min", "max"):
        return all(_effect_free(a, reads) for a in e.args)
    if isinstance(e, ir.Convert) and e.site < 0:
        return _effect_free(e.a, reads)
    return False



def linear(e: ir.Expr) -> tuple[int, dict[str, int]] | None:
    """``e`` as ``c + sum(k * local)`` over integers (None: not linear)."""
    if isinstance(e, ir.Const):
        return e.value, {}
    if isinstance(e, ir.Local):
        return 0, {e.name: 1}
    if isinstance(e, ir.Arith) and e.op in ("add", "sub", "mul"):
        a, b = linear(e.a), linear(e.b)
        if a is None or b is None:
            return None
        if e.op == "mul":
            if not a[1]:
                a, b = b, a
            if b[1]:
                return None
            k = b[0]
            return a[0] * k, {n: v * k for n, v in a[1].items()}
        sign = 1 if e.op == "add" else -1
        coeffs = dict(a[1])
        for n, v in b[1].items():
            coeffs[n] = coeffs.get(n, 0) + sign * v
        return a[0] + sign * b[0], {n: v for n, v in coeffs.items() if v}
    return None

