"""Scalar replacement of small local lists: a list local built once from a literal or ``[c] * n``
(n ≤ 32 constant) and otherwise only read and written at constant in-range indexes (typically
after unrolling) becomes one wasm local per element — no allocation, loads or stores."""

from __future__ import annotations

from kernel_wasm.ir import nodes as ir
from kernel_wasm.ir.types import IntType, ListType
from kernel_wasm.ir.walk import rewrite, walk_all

MAX_ELEMENTS = 32


def scalarize(f: ir.Func) -> None:
    """Replace every eligible list local of ``f`` by element locals, in place."""
    for name, n in _candidates(f).items():
        elem = f.locals[name].elem  # type: ignore[attr-defined]
        names = [f"{name}%{k}" for k in range(n)]
        for x in names:
            f.locals[x] = elem
        f.body = _expand(f.body, name, names, elem)


def _candidates(f: ir.Func) -> dict[str, int]:
    """List locals (-> element count) whose every use is allowed."""
    defs: dict[str, list[ir.Expr]] = {}
    for s in _statements(f.body):
        if isinstance(s, ir.Assign):
            defs.setdefault(s.name, []).append(s.value)
    out: dict[str, int] = {}
    params = {p for p, _ in f.params}
    for name, values in defs.items():
        t = f.locals.get(name)
        if name in params or len(values) != 1 or not isinstance(t, ListType) or not isinstance(t.elem, IntType):
            continue
        n = _length(values[0])
        if n is not None and 0 < n <= MAX_ELEMENTS and _only_constant_uses(f.body, name, n):
            out[name] = n
    return out


def _statements(stmts: list[ir.Stmt]) -> list[ir.Stmt]:
    """Statements reachable through statement nesting (not through inlined calls inside expressions)."""
    out: list[ir.Stmt] = []
    for s in stmts:
        out.append(s)
        for body in _bodies(s):
            out.extend(_statements(body))
    return out


def _bodies(s: ir.Stmt) -> list[list[ir.Stmt]]:
    if isinstance(s, ir.If):
        return [s.then, s.els]
    if isinstance(s, (ir.While, ir.ForRange, ir.ForEach)):
        return [s.body]
    return []


def _length(e: ir.Expr) -> int | None:
    if isinstance(e, ir.MakeList):
        return len(e.items)
    if isinstance(e, ir.RepeatList) and isinstance(e.count, ir.Const) and isinstance(e.item, ir.Const):
        return max(e.count.value, 0)
    return None


def _only_constant_uses(body: list[ir.Stmt], name: str, n: int) -> bool:
    uses = allowed = assigns = 0
    for node in walk_all(body):
        if isinstance(node, ir.Assign) and node.name == name:
            assigns += 1
        if isinstance(node, ir.Inline) and any(isinstance(x, ir.Local) and x.name == name
                                               for x in walk_all(node.body)):
            return False
        if isinstance(node, ir.Local) and node.name == name:
            uses += 1
        elif isinstance(node, (ir.Index, ir.SetIndex)) and isinstance(node.seq, ir.Local) and node.seq.name == name:
            if not (isinstance(node.index, ir.Const) and 0 <= node.index.value < n):
                return False
            allowed += 1
        elif isinstance(node, ir.Len) and isinstance(node.a, ir.Local) and node.a.name == name:
            allowed += 1
        elif isinstance(node, (ir.Inline, ir.Unpack)) and name in _inline_names(node):
            return False
    return uses == allowed and assigns == 1


def _inline_names(node: ir.Expr | ir.Stmt) -> set[str]:
    if isinstance(node, ir.Inline):
        return {p for p, _ in node.params}
    return {x for x in node.names if x}  # type: ignore[union-attr]


def _expand(stmts: list[ir.Stmt], name: str, names: list[str], elem: IntType) -> list[ir.Stmt]:
    out: list[ir.Stmt] = []
    for s in stmts:
        if isinstance(s, ir.Assign) and s.name == name:
            v = s.value
            items = v.items if isinstance(v, ir.MakeList) else [v.item] * len(names)  # type: ignore[attr-defined]
            out.extend(ir.Assign(x, _replace(item, name, names, elem)) for x, item in zip(names, items))
            continue
        if isinstance(s, ir.SetIndex) and isinstance(s.seq, ir.Local) and s.seq.name == name:
            out.append(ir.Assign(names[s.index.value], _replace(s.value, name, names, elem)))  # type: ignore[attr-defined]
            continue
        s = _replace(s, name, names, elem)  # type: ignore[assignment]
        if isinstance(s, ir.If):
            s = ir.If(s.cond, _expand(s.then, name, names, elem), _expand(s.els, name, names, elem))
        elif isinstance(s, ir.While):
            s = ir.While(s.cond, _expand(s.body, name, names, elem))
        elif isinstance(s, ir.ForRange):
            s = ir.ForRange(s.var, s.counter, s.lo, s.hi, s.step, _expand(s.body, name, names, elem))
        elif isinstance(s, ir.ForEach):
            s = ir.ForEach(s.var, s.index, s.seq, _expand(s.body, name, names, elem))
        out.append(s)
    return out


def _replace(node: object, name: str, names: list[str], elem: IntType) -> object:
    """Reads ``name[k]`` -> element local, ``len(name)`` -> constant (expressions only; statements
    nested in bodies are handled by :func:`_expand`)."""
    def fn(n: object) -> object | None:
        if isinstance(n, ir.Index) and isinstance(n.seq, ir.Local) and n.seq.name == name:
            return ir.Local(names[n.index.value], elem)  # type: ignore[attr-defined]
        if isinstance(n, ir.Len) and isinstance(n.a, ir.Local) and n.a.name == name:
            return ir.Const(len(names), n.ty)
        return None
    return rewrite(node, fn)
