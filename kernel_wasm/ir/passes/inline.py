"""Pass: inlining of small functions and of functions with a single call site."""

from __future__ import annotations

from kernel_wasm.ir import nodes as ir
from kernel_wasm.ir.types import NONE
from kernel_wasm.ir.walk import assigned, rewrite, size, walk_all

INLINE_MAX_NODES = 12  # callee body size (IR nodes) up to which every call is inlined
INLINE_ONCE_MAX_NODES = 400  # a function with a single call site is inlined up to this size


def inline_small(prog: ir.Program, max_nodes: int = INLINE_MAX_NODES) -> None:
    """Replace calls to small, loop-free functions by their bodies (renamed locals)."""
    sites: dict[str, int] = {}
    for f in prog.funcs.values():
        for n in walk_all(f.body):
            if isinstance(n, ir.Call):
                sites[n.func] = sites.get(n.func, 0) + 1
    exported = set(prog.exports.values())
    small = {name: f for name, f in prog.funcs.items()
             if not any(isinstance(n, (ir.While, ir.ForRange, ir.ForEach)) for n in walk_all(f.body))
             and (size(f.body) <= max_nodes
                  or (sites.get(name, 0) == 1 and name not in exported and size(f.body) <= INLINE_ONCE_MAX_NODES))}
    counter = [0]
    for f in prog.funcs.values():
        f.body = [_inline_stmt(s, f, small, counter) for s in f.body]
    # functions no longer called (and not exported) are dropped
    called = {n.func for f in prog.funcs.values() for n in walk_all(f.body) if isinstance(n, ir.Call)}
    exported = set(prog.exports.values())
    for name in list(prog.funcs):
        if name not in called and name not in exported:
            del prog.funcs[name]


def _inline_stmt(s: ir.Stmt, caller: ir.Func, small: dict[str, ir.Func], counter: list[int]) -> ir.Stmt:
    def fn(n: object) -> object | None:
        if isinstance(n, ir.Call) and n.func in small and n.func != caller.name:
            return _expand(n, caller, small[n.func], counter)
        return None
    return rewrite(s, fn)  # type: ignore[return-value]


def _expand(call: ir.Call, caller: ir.Func, callee: ir.Func, counter: list[int]) -> ir.Expr:
    counter[0] += 1
    prefix = f"i{counter[0]}%"
    ren = {p: prefix + p for p, _ in callee.params}
    ren.update({name: prefix + name for name in callee.locals})
    for p, t in callee.params:
        caller.locals[ren[p]] = t
    for name, t in callee.locals.items():
        caller.locals[ren[name]] = t

    # a parameter the callee never assigns, bound to a variable or constant, is replaced by it
    written = assigned(callee.body)
    direct = {p: a for (p, _), a in zip(callee.params, call.args)
              if p not in written and isinstance(a, (ir.Local, ir.Const, ir.Data))}

    def rn(n: object) -> object | None:
        if isinstance(n, ir.Local):
            if n.name in direct:
                return direct[n.name]
            return ir.Local(ren.get(n.name, n.name), n.ty)
        if isinstance(n, ir.Assign):
            return ir.Assign(ren.get(n.name, n.name), n.value)
        if isinstance(n, ir.Unpack):
            return ir.Unpack([ren.get(x, x) if x else x for x in n.names], n.value)
        if isinstance(n, ir.ForRange):
            return ir.ForRange(ren.get(n.var, n.var), ren.get(n.counter, n.counter), n.lo, n.hi, n.step, n.body)
        if isinstance(n, ir.ForEach):
            return ir.ForEach(ren.get(n.var, n.var), ren.get(n.index, n.index), n.seq, n.body)
        if isinstance(n, ir.Inline):
            return ir.Inline([(ren.get(p, p), v) for p, v in n.params], n.body, n.ty, n.label)
        return None

    body = [rewrite(s, rn) for s in callee.body]
    params = [(ren[p], a) for (p, _), a in zip(callee.params, call.args) if p not in direct]
    return ir.Inline(params, body, callee.ret if callee.ret != NONE else NONE, prefix)  # type: ignore[arg-type]
