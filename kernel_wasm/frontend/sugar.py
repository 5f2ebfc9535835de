"""Ordinary Python lowered to the core subset: ``enumerate``/``zip``/``reversed`` loops, list
comprehensions, ``any``/``all``, ``divmod``, ``x in (a, b, c)``, ``bytes([...])`` and ``sep.join(parts)``.

Loops are rewritten as Python (``for i in range(len(xs)): x = xs[i]``) and checked like that code, so
they get the same optimisations; expressions that need statements become an :class:`ir.Inline` block
(no parameters) whose body ends with ``return value``. Checked CPython runs the original source.
"""

from __future__ import annotations

import ast

from kernel_wasm.ir import nodes as ir
from kernel_wasm.ir.types import (
    BOOL,
    BYTEARRAY,
    BYTES,
    I64,
    U8,
    U32,
    U64,
    BytesType,
    IntType,
    ListType,
    TupleType,
    Type,
    is_int,
    widens,
)

LOOP_HELPERS = ("enumerate", "zip", "reversed")


class _Pending(Type):
    """Element type of a comprehension's list before its first element is checked."""


PENDING = _Pending()


class _CompStep(ast.stmt):
    """Loop body of a lowered comprehension: append ``elt`` to ``result`` (if every ``conds`` holds) or,
    for ``any``/``all``, set ``result`` and leave the loop when ``elt`` decides it."""

    _fields = ("elt", "conds")

    def __init__(self, elt: ast.expr, conds: list[ast.expr], result: str, mode: str, node: ast.AST) -> None:
        super().__init__()
        self.elt, self.conds, self.result, self.mode = elt, conds, result, mode
        ast.copy_location(self, node)


def _name(id_: str, node: ast.AST, store: bool = False) -> ast.Name:
    return ast.copy_location(ast.Name(id_, ast.Store() if store else ast.Load()), node)


def _call(func: str, args: list[ast.expr], node: ast.AST) -> ast.Call:
    return ast.copy_location(ast.Call(_name(func, node), args, []), node)


def _index(seq: str, i: ast.expr, node: ast.AST) -> ast.Subscript:
    return ast.copy_location(ast.Subscript(_name(seq, node), i, ast.Load()), node)


def _assign(target: ast.expr, value: ast.expr, node: ast.AST) -> ast.Assign:
    return ast.copy_location(ast.Assign([target], value), node)


class SugarChecker:
    """Mixin of :class:`kernel_wasm.frontend.check.FunctionChecker`."""

    def fresh(self, node: ast.AST) -> str:
        """A new local variable name no source can spell (typed when first assigned)."""
        self.ntemp += 1
        name = f"%s{self.ntemp}"
        self.assigned.add(name)
        return name

    def is_builtin(self, node: ast.expr, names: tuple[str, ...]) -> bool:
        return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names \
            and node.func.id not in self.assigned and self.global_sym(node.func.id, node.func) is None

    # ------------------------------------------------------------------------------ loops

    def lower_for(self, s: ast.For) -> list[ast.stmt] | None:
        """``for`` over enumerate(xs), zip(xs, ys), reversed(range(...)) or reversed(xs) as index loops."""
        it = s.iter
        if not self.is_builtin(it, LOOP_HELPERS):
            return None
        name = it.func.id
        if it.keywords:
            self.err(it, f"keyword arguments to {name}() are outside the subset", f"write {name}(...) positionally")
        targets = s.target.elts if isinstance(s.target, ast.Tuple) else [s.target]
        want = {"enumerate": 2, "zip": len(it.args), "reversed": 1}[name]
        if name == "enumerate" and len(it.args) != 1 or name == "zip" and len(it.args) != 2 \
                or name == "reversed" and len(it.args) != 1:
            usage = {"enumerate": "enumerate(xs)", "zip": "zip(xs, ys)", "reversed": "reversed(range(...)) or reversed(xs)"}
            self.err(it, f"wrong arguments to {name}()", f"write {usage[name]}")
        if len(targets) != want or not all(isinstance(t, ast.Name) for t in targets):
            self.err(s.target, f"{name}() loops unpack into {want} plain variable{'s' if want > 1 else ''}",
                     "write `for i, x in enumerate(xs):`" if name == "enumerate" else "write `for x, y in zip(xs, ys):`")
        out: list[ast.stmt] = []

        def spill(e: ast.expr) -> str:
            tmp = self.fresh(e)
            out.append(_assign(_name(tmp, e, True), e, e))
            return tmp

        if name == "enumerate":
            arg = it.args[0]
            backwards = self.is_builtin(arg, ("reversed",)) and len(arg.args) == 1 and not arg.keywords \
                and not self.is_builtin(arg.args[0], ("range",))
            seq = spill(arg.args[0] if backwards else arg)
            i = targets[0]
            pos: ast.expr = _name(i.id, i)
            if backwards:  # enumerate(reversed(xs)): item len(xs) - 1 - i
                last = ast.BinOp(_call("len", [_name(seq, s)], s), ast.Sub(), ast.Constant(1))
                pos = ast.copy_location(ast.BinOp(ast.copy_location(last, s), ast.Sub(), pos), s)
            prefix = [_assign(targets[1], _index(seq, pos, s), s)]
            loop_iter = _call("range", [_call("len", [_name(seq, s)], s)], it)
        elif name == "zip":
            a, b = spill(it.args[0]), spill(it.args[1])
            i = _name(self.fresh(s), s, True)
            prefix = [_assign(targets[0], _index(a, _name(i.id, s), s), s),
                      _assign(targets[1], _index(b, _name(i.id, s), s), s)]
            lens = [_call("len", [_name(x, s)], s) for x in (a, b)]
            loop_iter = _call("range", [_call("min", lens, s)], it)
        else:
            arg = it.args[0]
            i = _name(self.fresh(s), s, True)
            prev = ast.copy_location(ast.BinOp(_name(i.id, s), ast.Sub(), ast.Constant(1)), s)
            if self.is_builtin(arg, ("range",)):  # reversed(range(lo, hi)): j from hi down to lo + 1, i = j - 1
                if arg.keywords or not 1 <= len(arg.args) <= 2:
                    self.err(arg, "reversed() takes range(stop) or range(start, stop)", "write reversed(range(a, b))")
                lo = arg.args[0] if len(arg.args) == 2 else ast.copy_location(ast.Constant(0), arg)
                hi = arg.args[-1]
                minus1 = ast.copy_location(ast.UnaryOp(ast.USub(), ast.Constant(1)), arg)
                loop_iter = _call("range", [hi, lo, minus1], it)
                prefix = [_assign(targets[0], prev, s)]
            else:
                seq = spill(arg)
                zero, minus1 = ast.Constant(0), ast.UnaryOp(ast.USub(), ast.Constant(1))
                loop_iter = _call("range", [_call("len", [_name(seq, s)], s), zero, minus1], it)
                prefix = [_assign(targets[0], _index(seq, prev, s), s)]
        out.append(ast.copy_location(ast.For(i if name != "enumerate" else targets[0], loop_iter,
                                             prefix + s.body, [], None), s))
        return out

    def for_range_step(self, s: ast.For, var: str, lo: ir.Expr, hi: ir.Expr, step_node: ast.expr,
                       call: ast.Call) -> list[ir.Stmt]:
        """``for var in range(lo, hi, step)`` with a step known only at run time (0 fails with ``value``,
        like Python's ValueError); the increment is checked arithmetic."""
        t = hi.ty
        assert isinstance(t, IntType)
        step = self.coerce(step_node, t)
        self.prog.note(call, ("range_step",))
        j, stop, st, first = self.temp(t), self.temp(t), self.temp(t), self.temp(BOOL)
        jl, stopl, stl = ir.Local(j, t), ir.Local(stop, t), ir.Local(st, t)
        zero = ir.Const(0, t)
        going = ir.Logic("and", ir.Cmp("gt", stl, zero), ir.Cmp("lt", jl, stopl))
        if t.signed:
            going = ir.Logic("or", going, ir.Logic("and", ir.Cmp("lt", stl, zero), ir.Cmp("gt", jl, stopl)))
        self.declare(var, t, s.target)
        self.loops += 1
        body = self.block(s.body)
        self.loops -= 1
        advance = ir.If(ir.Local(first, BOOL), [ir.Assign(first, ir.Const(0, BOOL))],
                        [ir.Assign(j, ir.Arith("add", jl, stl, t, self.site(call, "overflow")))])
        return [ir.Assign(j, lo), ir.Assign(stop, hi), ir.Assign(st, step),
                ir.If(ir.Cmp("eq", stl, zero), [ir.Fail(self.site(step_node, "value", "range() step is zero"))], []),
                ir.Assign(first, ir.Const(1, BOOL)),
                ir.While(ir.Const(1, BOOL), [advance, ir.If(ir.Not(going), [ir.Break()], []),
                                             ir.Assign(var, jl), *body])]

    # ------------------------------------------------------------------------------ expressions

    def inline_value(self, stmts: list[ir.Stmt], value: ir.Expr | list[ir.Expr], ty: Type) -> ir.Expr:
        """``stmts`` then ``value`` as one expression."""
        values = value if isinstance(value, list) else [value]
        return ir.Inline([], [*stmts, ir.Return(values)], ty, "")

    def comprehension(self, node: ast.ListComp | ast.GeneratorExp, mode: str, want: Type | None = None) -> ir.Expr:
        """``[elt for x in it if c]`` (mode "list"), or any/all over a comprehension (modes "any"/"all")."""
        if len(node.generators) != 1:
            self.err(node, "nested comprehensions are outside the subset", "write the loops out")
        gen = node.generators[0]
        if gen.is_async:
            self.err(node, "async comprehensions are outside the subset", "use a for loop")
        result = self.fresh(node)
        if mode == "list":
            self.locals[result] = want if isinstance(want, ListType) else ListType(PENDING)
            init: ir.Stmt = ir.Assign(result, ir.MakeList([], self.locals[result]))
        elif mode in ("sum", "sum_fixed"):  # the accumulator: the context's integer type, else int (u64 if the items are)
            self.locals[result] = want if mode == "sum_fixed" else I64
            init = ir.Assign(result, ir.Const(0, self.locals[result]))
        else:
            self.locals[result] = BOOL
            init = ir.Assign(result, ir.Const(int(mode == "all"), BOOL))
        step = _CompStep(node.elt, list(gen.ifs), result, mode, node)
        loop = ast.copy_location(ast.For(gen.target, gen.iter, [step], [], None), node)
        body = [init, *self.stmt(loop)]
        ty = self.locals[result]
        if isinstance(ty, ListType) and ty.elem is PENDING:
            self.err(node, "the element type of an empty comprehension cannot be inferred",
                     "build the list with a loop after `xs: list[T] = []`")
        if mode == "list":
            init.value.ty = ty  # type: ignore[attr-defined]
        if mode.startswith("sum"):
            init.value = ir.Const(0, ty)  # type: ignore[attr-defined]
        return self.inline_value(body, ir.Local(result, ty), ty)

    def comp_step(self, s: _CompStep) -> list[ir.Stmt]:
        cond = None
        for c in s.conds:
            e = self.cond(c)
            cond = e if cond is None else ir.Logic("and", cond, e)
        if s.mode == "list":
            lt = self.locals[s.result]
            assert isinstance(lt, ListType)
            if lt.elem is PENDING:
                item = self.expr(s.elt, None)
                if isinstance(item.ty, TupleType):
                    self.err(s.elt, f"a list of {item.ty} is outside the subset", "use a list of records")
                lt = self.locals[s.result] = ListType(item.ty)
            else:
                item = self.coerce(s.elt, lt.elem)
            body: list[ir.Stmt] = [ir.Append(ir.Local(s.result, lt), item, self.site(s.elt, "memory"))]
        elif s.mode.startswith("sum"):
            acc = self.locals[s.result]
            item = self.expr(s.elt, acc) if not self.literal_like(s.elt) else self.coerce(s.elt, acc)
            if not is_int(item.ty):
                self.err(s.elt, f"sum() of {item.ty}", "sum integers")
            if item.ty != acc and widens(item.ty, acc):
                item = self.widen(item, acc)  # type: ignore[arg-type]
            elif item.ty != acc and s.mode == "sum" and acc == I64 and item.ty == U64:
                acc = self.locals[s.result] = U64  # a sum of u64 values is a u64
            elif item.ty != acc:
                self.err(s.elt, f"sum() of {item.ty} into {acc}", f"convert the items explicitly, e.g. {acc}(x)")
            body = [ir.Assign(s.result, ir.Arith("add", ir.Local(s.result, acc), item, acc,
                                                 self.site(s.elt, "overflow")))]
        else:
            decided = self.cond(s.elt)
            if s.mode == "all":
                decided = ir.Not(decided)
            body = [ir.If(decided, [ir.Assign(s.result, ir.Const(int(s.mode == "any"), BOOL)), ir.Break()], [])]
        return body if cond is None else [ir.If(cond, body, [])]

    def any_all(self, node: ast.Call, name: str) -> ir.Expr:
        self.nargs(node, 1, f"{name}(c for x in xs)")
        arg = node.args[0]
        if isinstance(arg, ast.GeneratorExp):
            return self.comprehension(arg, name)  # stops at the first deciding element, like CPython
        seq = self.expr(arg, None)  # a list (or list comprehension): every element is computed first
        if not isinstance(seq.ty, ListType) or not (is_int(seq.ty.elem) or seq.ty.elem == BOOL):
            self.err(node, f"{name}() of {seq.ty}", f"write {name}(cond for x in xs) or pass a list of bools/ints")
        out: list[ir.Stmt] = []
        seq_l = self.spill(seq, out)
        x, idx, result = self.temp(seq.ty.elem), self.temp(U32), self.temp(BOOL)
        item = ir.Local(x, seq.ty.elem)
        truth = item if seq.ty.elem == BOOL else ir.Cmp("ne", item, ir.Const(0, seq.ty.elem))
        decided = truth if name == "any" else ir.Not(truth)
        out += [ir.Assign(result, ir.Const(int(name == "all"), BOOL)),
                ir.ForEach(x, idx, seq_l, [ir.If(decided, [ir.Assign(result, ir.Const(int(name == "any"), BOOL)),
                                                        ir.Break()], [])])]
        return self.inline_value(out, ir.Local(result, BOOL), BOOL)

    def sum_call(self, node: ast.Call, want: Type | None) -> ir.Expr:
        """``sum(f(x) for x in xs)``, ``sum(xs)``: checked additions in the context's integer type, else
        ``int`` (``u64`` for u64 items)."""
        self.nargs(node, 1, "sum(xs) or sum(f(x) for x in xs)")
        arg = node.args[0]
        mode = "sum_fixed" if want is not None and is_int(want) else "sum"
        if isinstance(arg, ast.GeneratorExp):
            e = self.comprehension(arg, mode, want)
        else:
            target = ast.copy_location(ast.Name(self.fresh(arg), ast.Store()), arg)
            load = ast.copy_location(ast.Name(target.id, ast.Load()), arg)
            gen = ast.comprehension(target, arg, [], 0)
            e = self.comprehension(ast.copy_location(ast.GeneratorExp(load, [gen]), node), mode, want)
        self.prog.note(node, ("sum", e.ty))
        return e

    def divmod_call(self, node: ast.Call, want: Type | None) -> ir.Expr:
        self.nargs(node, 2, "divmod(a, b)")
        a, b = self.joined(*self.same_type(node.args[0], node.args[1], node))
        if not is_int(a.ty) or a.ty != b.ty:
            self.err(node, f"divmod() of {a.ty} and {b.ty}", "divmod takes two integers")
        out: list[ir.Stmt] = []
        a_l, b_l = self.spill(a, out), self.spill(b, out)
        t = a.ty
        self.prog.note(node, ("divmod", t))
        site = self.site(node, "division")
        q, r = ir.Arith("div", a_l, b_l, t, site), ir.Arith("mod", a_l, b_l, t, site)
        return self.inline_value(out, [q, r], TupleType((t, t)))

    def membership(self, node: ast.Compare, left: ast.expr, op: ast.cmpop, right: ast.expr) -> ir.Expr:
        """``x in (a, b, c)`` / ``x not in [a, b, c]`` on integers: equality tests, x evaluated once."""
        if not isinstance(right, (ast.Tuple, ast.List)) or not right.elts:
            self.err(node, "`in` works on a literal tuple or list of integers", "write `x in (a, b, c)`, or loop")
        x = self.expr(left, None) if not self.literal_like(left) else self.literal(left, None)
        if not is_int(x.ty):
            self.err(node, f"`in` on {x.ty}", "`x in (a, b, c)` tests integers; compare bytes with ==")
        items = []
        for e in right.elts:
            v = self.expr(e, x.ty) if not self.literal_like(e) else self.coerce(e, x.ty)
            if not is_int(v.ty):
                self.err(e, f"`in` on {v.ty}", "list integers only")
            items.append(v)
        params: list[tuple[str, ir.Expr]] = []
        if not isinstance(x, (ir.Local, ir.Const)):
            tmp = self.temp(x.ty)
            params.append((tmp, x))
            x = ir.Local(tmp, x.ty)
        acc: ir.Expr | None = None
        for v in items:
            c = self.make_cmp(node, "eq", x, v)
            acc = c if acc is None else ir.Logic("or", acc, c)
        assert acc is not None
        if isinstance(op, ast.NotIn):
            acc = ir.Not(acc)
        return ir.Inline(params, [ir.Return([acc])], BOOL, "") if params else acc

    def bytes_of_ints(self, node: ast.Call, ty: BytesType, seq: ir.Expr | None) -> ir.Expr:
        """``bytes([a, b])`` / ``bytearray(xs)`` with xs a list of integers (``seq``, already checked, unless
        a list literal); each must be 0..255."""
        arg = node.args[0]
        out: list[ir.Stmt] = []
        buf = self.temp(BYTEARRAY)
        self.prog.note(node, ("bytes_list",))
        if isinstance(arg, ast.List):
            items = [self.byte_value(e) for e in arg.elts]
            out.append(ir.Assign(buf, ir.BytesNew(ir.Const(len(items), I64), ty, self.site(node, "value"))))
            for k, v in enumerate(items):
                out.append(ir.SetIndex(ir.Local(buf, BYTEARRAY), ir.Const(k, I64), v, self.site(node, "bounds")))
        else:
            assert seq is not None and isinstance(seq.ty, ListType)
            seq_l = self.spill(seq, out)
            out.append(ir.Assign(buf, ir.BytesNew(ir.Len(seq_l), ty, self.site(node, "value"))))
            x, idx = self.temp(seq.ty.elem), self.temp(U32)
            v = self.narrow_byte(ir.Local(x, seq.ty.elem), node)
            store = ir.SetIndex(ir.Local(buf, BYTEARRAY), ir.Local(idx, U32), v, self.site(node, "bounds"))
            out.append(ir.ForEach(x, idx, seq_l, [store]))
        return self.inline_value(out, ir.Local(buf, ty), ty)

    def byte_value(self, e: ast.expr) -> ir.Expr:
        if self.literal_like(e):
            return self.coerce(e, U8)
        return self.narrow_byte(self.expr(e, U8), e)

    def narrow_byte(self, v: ir.Expr, node: ast.AST) -> ir.Expr:
        if not is_int(v.ty):
            self.err(node, f"a byte must be an integer, not {v.ty}", "pass integers 0..255")
        assert isinstance(v.ty, IntType)
        return self.convert(node, v, U8)

    def join_call(self, node: ast.Call, sep_node: ast.expr) -> ir.Expr:
        """``sep.join(parts)`` with parts a list of bytes: one allocation, one copy per part."""
        self.nargs(node, 1, "sep.join(parts)")
        sep = self.expr(sep_node, BYTES)
        parts = self.expr(node.args[0], None)
        if not isinstance(sep.ty, BytesType) or not isinstance(parts.ty, ListType) \
                or not isinstance(parts.ty.elem, BytesType):
            self.err(node, f"join of {parts.ty} with a {sep.ty} separator", "write b\"\".join(parts) with parts: list[bytes]")
        out: list[ir.Stmt] = []
        sep_l, parts_l = self.spill(sep, out), self.spill(parts, out)
        empty_sep = isinstance(sep, ir.Data) and sep.length == 0
        elem = parts.ty.elem
        p, idx, n, pos, buf = self.temp(elem), self.temp(U32), self.temp(I64), self.temp(I64), self.temp(BYTEARRAY)
        part, n_l, pos_l = ir.Local(p, elem), ir.Local(n, I64), ir.Local(pos, I64)
        overflow = self.site(node, "overflow")
        count: list[ir.Stmt] = [ir.Assign(n, ir.Arith("add", n_l, ir.Len(part), I64, overflow))]
        copy: list[ir.Stmt] = [
            ir.SetSlice(ir.Local(buf, BYTEARRAY), pos_l, ir.Arith("add", pos_l, ir.Len(part), I64, overflow), part,
                        self.site(node, "bounds")),
            ir.Assign(pos, ir.Arith("add", pos_l, ir.Len(part), I64, overflow))]
        if not empty_sep:
            first = ir.Cmp("eq", ir.Local(idx, U32), ir.Const(0, U32))
            count.insert(0, ir.If(first, [], [ir.Assign(n, ir.Arith("add", n_l, ir.Len(sep_l), I64, overflow))]))
            copy[:0] = [ir.If(first, [], [
                ir.SetSlice(ir.Local(buf, BYTEARRAY), pos_l, ir.Arith("add", pos_l, ir.Len(sep_l), I64, overflow),
                            sep_l, self.site(node, "bounds")),
                ir.Assign(pos, ir.Arith("add", pos_l, ir.Len(sep_l), I64, overflow))])]
        out += [ir.Assign(n, ir.Const(0, I64)), ir.ForEach(p, idx, parts_l, count),
                ir.Assign(buf, ir.BytesNew(n_l, BYTEARRAY, self.site(node, "value"))),
                ir.Assign(pos, ir.Const(0, I64)), ir.ForEach(p, idx, parts_l, copy)]
        return self.inline_value(out, ir.Local(buf, BYTES), BYTES)
