"""Pass: unrolling of constant-trip ``for range`` loops (those indexing constant tables with the
counter, within a size budget)."""

from __future__ import annotations

from kernel_wasm.ir import nodes as ir
from kernel_wasm.ir.walk import assigned, size, walk_all

UNROLL_MAX_TRIPS = 16
UNROLL_MAX_NODES = 20000  # trip count x body size, for loops that index constant tables with the counter
UNROLL_SMALL_NODES = 0  # ... for other loops


def breaks_out(stmts: list[ir.Stmt]) -> bool:
    """A break/continue that targets the loop owning ``stmts`` (not a nested one)."""
    for s in stmts:
        if isinstance(s, (ir.Break, ir.Continue)):
            return True
        if isinstance(s, ir.If) and (breaks_out(s.then) or breaks_out(s.els)):
            return True
    return False


def unroll_block(stmts: list[ir.Stmt]) -> list[ir.Stmt]:
    out: list[ir.Stmt] = []
    for s in stmts:
        if isinstance(s, ir.If):
            out.append(ir.If(s.cond, unroll_block(s.then), unroll_block(s.els)))
        elif isinstance(s, ir.While):
            out.append(ir.While(s.cond, unroll_block(s.body)))
        elif isinstance(s, ir.ForEach):
            out.append(ir.ForEach(s.var, s.index, s.seq, unroll_block(s.body)))
        elif isinstance(s, ir.ForRange):
            body = unroll_block(s.body)
            trips = _trips(s)
            if trips is not None and s.var == s.counter and not breaks_out(body) \
                    and trips * size(body) <= (UNROLL_MAX_NODES if _indexes_tables(body, s.var) else UNROLL_SMALL_NODES) \
                    and s.var not in assigned(body):
                for i in range(trips):
                    c = ir.Const(s.lo.value + i * s.step, s.lo.ty)  # type: ignore[attr-defined]
                    out.append(ir.Assign(s.var, c))
                    out.extend(body)
            else:
                out.append(ir.ForRange(s.var, s.counter, s.lo, s.hi, s.step, body))
        else:
            out.append(s)
    return out


def _indexes_tables(body: list[ir.Stmt], var: str) -> bool:
    """The body looks up a constant table at an index computed from the loop variable."""
    derived = {var}
    changed = True
    while changed:
        changed = False
        for n in walk_all(body):
            if isinstance(n, ir.Assign) and n.name not in derived and _mentions(n.value, derived):
                derived.add(n.name)
                changed = True
    return any(isinstance(n, ir.Index) and isinstance(n.seq, ir.Data) and _mentions(n.index, derived)
               for n in walk_all(body))


def _mentions(e: object, names: set[str]) -> bool:
    return any(isinstance(n, ir.Local) and n.name in names for n in walk_all([e]))  # type: ignore[list-item]


def _trips(s: ir.ForRange) -> int | None:
    if not (isinstance(s.lo, ir.Const) and isinstance(s.hi, ir.Const)):
        return None
    n = len(range(s.lo.value, s.hi.value, s.step))
    return n if 0 < n <= UNROLL_MAX_TRIPS else None
