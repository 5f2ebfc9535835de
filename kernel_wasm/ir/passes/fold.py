"""Pass: constant propagation and folding (a fold that would fail is left for run time), reading
constant bytes and tables out of the data segment."""

from __future__ import annotations

from kernel_wasm.ir import nodes as ir
from kernel_wasm.ir.types import BOOL, BytesType, IntType, ListType
from kernel_wasm.ir.walk import assigned, rewrite


class DataView:
    """Reads constants (bytes and tables) out of the data segment at compile time."""

    def __init__(self, prog: ir.Program) -> None:
        self.data, self.base = prog.data, prog.data_base
        self.cache: dict[int, list[int]] = {}

    def u32(self, addr: int) -> int:
        i = addr - self.base
        return int.from_bytes(self.data[i:i + 4], "little")

    def items(self, d: ir.Data) -> list[int]:
        if d.addr not in self.cache:
            if isinstance(d.ty, BytesType):
                i = d.addr - self.base + 4
                self.cache[d.addr] = list(self.data[i:i + d.length])
            else:
                assert isinstance(d.ty, ListType)
                esz = d.ty.elem.size
                start = self.u32(d.addr + 8) - self.base
                vals = [int.from_bytes(self.data[start + k * esz:start + (k + 1) * esz], "little")
                        for k in range(d.length)]
                et = d.ty.elem
                self.cache[d.addr] = [to_type(v, et) if isinstance(et, IntType) else v for v in vals]
        return self.cache[d.addr]


def to_type(v: int, t: IntType) -> int:
    """The value of bit pattern ``v`` in type ``t``'s range (two's complement for signed types)."""
    bits = 64 if t.wasm == "i64" else 32
    v &= (1 << bits) - 1
    if t.signed and v >> (bits - 1):
        v -= 1 << bits
    return v


def fold_expr(e: ir.Expr, data: DataView) -> ir.Expr | None:
    """A constant replacing ``e`` (whose children are already folded), or None."""
    if isinstance(e, ir.Arith):
        return fold_arith(e)
    if isinstance(e, ir.Neg) and isinstance(e.a, ir.Const):
        v = -e.a.value
        return ir.Const(v, e.ty) if e.ty.lo <= v <= e.ty.hi else None
    if isinstance(e, ir.Cmp) and isinstance(e.a, ir.Const) and isinstance(e.b, ir.Const):
        a, b = e.a.value, e.b.value
        r = {"eq": a == b, "ne": a != b, "lt": a < b, "le": a <= b, "gt": a > b, "ge": a >= b}[e.op]
        return ir.Const(int(r), BOOL)
    if isinstance(e, ir.Not) and isinstance(e.a, ir.Const):
        return ir.Const(int(not e.a.value), BOOL)
    if isinstance(e, ir.Logic) and isinstance(e.a, ir.Const):
        if e.op == "and":
            return e.b if e.a.value else ir.Const(0, BOOL)
        return ir.Const(1, BOOL) if e.a.value else e.b
    if isinstance(e, ir.Convert) and isinstance(e.a, ir.Const) and isinstance(e.ty, IntType):
        v = e.a.value
        if e.site >= 0:
            return ir.Const(v, e.ty) if e.ty.lo <= v <= e.ty.hi else None
        return ir.Const(to_type(v, e.ty) if e.ty.bits >= 32 else v & ((1 << e.ty.bits) - 1), e.ty)
    if isinstance(e, ir.Prim) and all(isinstance(a, ir.Const) for a in e.args):
        return fold_prim(e)
    if isinstance(e, ir.Index) and isinstance(e.seq, ir.Data) and isinstance(e.index, ir.Const):
        if 0 <= e.index.value < e.seq.length and isinstance(e.ty, IntType):
            return ir.Const(data.items(e.seq)[e.index.value], e.ty)
        return None
    if isinstance(e, ir.Len) and isinstance(e.a, ir.Data):
        return ir.Const(e.a.length, e.ty)
    if isinstance(e, ir.Select) and isinstance(e.cond, ir.Const):
        return e.a if e.cond.value else e.b
    return None


def fold_arith(e: ir.Arith) -> ir.Expr | None:
    if isinstance(e.b, ir.Const) and e.b.value == 0 and e.op in ("add", "sub", "or", "xor", "shl", "shr"):
        return e.a
    if isinstance(e.a, ir.Const) and e.a.value == 0 and e.op in ("add", "or", "xor"):
        return e.b
    if isinstance(e.b, ir.Const) and e.b.value == 1 and e.op in ("mul", "div"):
        return e.a
    if not (isinstance(e.a, ir.Const) and isinstance(e.b, ir.Const)):
        return None
    t = e.ty
    assert isinstance(t, IntType)
    a, b = e.a.value, e.b.value
    op = e.op
    if op in ("div", "mod"):
        if b <= 0 or a < 0:
            return None
        r = a // b if op == "div" else a % b
    elif op in ("shl", "shr"):
        if not 0 <= b < t.bits:
            return None
        r = a << b if op == "shl" else a >> b
    else:
        r = {"add": a + b, "sub": a - b, "mul": a * b, "and": a & b, "or": a | b, "xor": a ^ b}[op]
    if e.site < 0 and op in ("add", "sub", "mul", "shl"):
        r = to_type(r, t)
    if not t.lo <= r <= t.hi:
        return None
    return ir.Const(r, t)


def fold_prim(e: ir.Prim) -> ir.Expr | None:
    vals = [a.value for a in e.args]  # type: ignore[attr-defined]
    t = e.ty
    if e.op in ("min", "max"):
        return ir.Const(min(vals) if e.op == "min" else max(vals), t)
    w, _, op = e.op.partition(".")
    bits = 64 if w == "i64" else 32
    m = (1 << bits) - 1
    a = vals[0] & m
    b = vals[1] & m if len(vals) > 1 else 0
    sa = a - (1 << bits) if a >> (bits - 1) else a
    n = b % bits
    r: int
    if op == "add":
        r = a + b
    elif op == "sub":
        r = a - b
    elif op == "mul":
        r = a * b
    elif op == "and":
        r = a & b
    elif op == "or":
        r = a | b
    elif op == "xor":
        r = a ^ b
    elif op == "shl":
        r = a << n
    elif op == "shr_u":
        r = a >> n
    elif op == "shr_s":
        r = sa >> n
    elif op == "rotl":
        r = (a << n) | (a >> (bits - n))
    elif op == "rotr":
        r = (a >> n) | (a << (bits - n))
    elif op == "lt_u":
        return ir.Const(int(a < b), BOOL)
    else:
        return None
    if t == BOOL:
        return None
    assert isinstance(t, IntType)
    if t.bits < 32:
        return ir.Const(r & ((1 << t.bits) - 1), t) if t.bits == 8 else None
    return ir.Const(to_type(r, t), t)


def fold_value(e: ir.Expr, data: DataView, env: dict[str, ir.Const]) -> ir.Expr:
    def fn(n: object) -> object | None:
        if isinstance(n, ir.Local) and n.name in env:
            c = env[n.name]
            return ir.Const(c.value, n.ty)
        if isinstance(n, ir.Expr):
            return fold_expr(n, data)
        return None
    return rewrite(e, fn)  # type: ignore[return-value]


def fold_block(stmts: list[ir.Stmt], data: DataView, env: dict[str, ir.Const]) -> list[ir.Stmt]:
    """Constant propagation through straight-line code plus folding of every expression."""
    out: list[ir.Stmt] = []
    for s in stmts:
        if isinstance(s, ir.Assign):
            v = fold_value(s.value, data, env)
            out.append(ir.Assign(s.name, v))
            if isinstance(v, ir.Const):
                env[s.name] = v
            else:
                env.pop(s.name, None)
        elif isinstance(s, ir.If):
            cond = fold_value(s.cond, data, env)
            if isinstance(cond, ir.Const):
                out.extend(fold_block(s.then if cond.value else s.els, data, env))
                continue
            then = fold_block(s.then, data, dict(env))
            els = fold_block(s.els, data, dict(env))
            for name in assigned(s.then) | assigned(s.els):
                env.pop(name, None)
            out.append(ir.If(cond, then, els))
        elif isinstance(s, (ir.While, ir.ForRange, ir.ForEach)):
            for name in assigned([s]):
                env.pop(name, None)
            if isinstance(s, ir.While):
                out.append(ir.While(fold_value(s.cond, data, env), fold_block(s.body, data, dict(env))))
            elif isinstance(s, ir.ForRange):
                out.append(ir.ForRange(s.var, s.counter, fold_value(s.lo, data, env), fold_value(s.hi, data, env),
                                       s.step, fold_block(s.body, data, dict(env))))
            else:
                out.append(ir.ForEach(s.var, s.index, fold_value(s.seq, data, env),
                                      fold_block(s.body, data, dict(env))))
        else:
            new = rewrite(s, lambda n: (ir.Const(env[n.name].value, n.ty) if isinstance(n, ir.Local)
                                        and n.name in env else fold_expr(n, data) if isinstance(n, ir.Expr)
                                        else None))
            out.append(new)  # type: ignore[arg-type]
            for name in assigned([s]):
                env.pop(name, None)
            if isinstance(s, (ir.Return, ir.Fail, ir.Break, ir.Continue)):
                break  # the rest of the block is unreachable
    return out
