"""Statements: assignments, control flow, loops, returns, asserts."""

from __future__ import annotations

import ast

from kernel_wasm.errors import CompileError
from kernel_wasm.frontend.rules import ARITH, REFUSED_EXPR, REFUSED_STMT
from kernel_wasm.frontend.sugar import _CompStep
from kernel_wasm.frontend.symbols import IntrinsicSym
from kernel_wasm.ir import nodes as ir
from kernel_wasm.ir.types import (
    BOOL,
    BYTEARRAY,
    BYTES,
    NONE,
    U8,
    U32,
    BytesType,
    ListType,
    NoneType,
    TupleType,
    Type,
    assignable,
    is_int,
    widens,
)


class StatementChecker:
    """Mixin of :class:`kernel_wasm.frontend.check.FunctionChecker`."""

    def block(self, stmts: list[ast.stmt]) -> list[ir.Stmt]:
        """Check each statement; an error is recorded and checking goes on with the next statement."""
        out: list[ir.Stmt] = []
        for s in stmts:
            try:
                out.extend(self.stmt(s))
            except CompileError as exc:
                self.recover(s, exc)
        return out

    def recover(self, s: ast.stmt, exc: CompileError) -> None:
        """Record ``exc`` unless it follows from an earlier error: a statement reading a variable whose
        only assignments failed. The variables ``s`` assigns and that still have no type are marked so."""
        self.failed = True
        names = {n.id for n in ast.walk(s) if isinstance(n, ast.Name)}
        if not names & self.poisoned:
            self.prog.record(exc)
        self.poisoned |= {n.id for n in ast.walk(s) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
                          and n.id not in self.locals}
        if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            self.poisoned.add(s.name)
        elif isinstance(s, (ast.Import, ast.ImportFrom)):
            self.poisoned |= {(a.asname or a.name).split(".")[0] for a in s.names}

    def checked_cond(self, node: ast.expr) -> ir.Expr:
        """A condition; if it is refused the error is recorded and the statement's body still checked."""
        try:
            return self.cond(node)
        except CompileError as exc:
            self.failed = True
            self.prog.record(exc)
            return ir.Const(1, BOOL)

    def stmt(self, s: ast.stmt) -> list[ir.Stmt]:
        if isinstance(s, _CompStep):
            return self.comp_step(s)
        if type(s) in REFUSED_STMT:
            what, hint = REFUSED_STMT[type(s)]
            self.err(s, f"{what} is outside the subset", hint)
        if isinstance(s, ast.Pass):
            return []
        if isinstance(s, ast.Expr):
            return self.expr_stmt(s)
        if isinstance(s, ast.AnnAssign):
            return self.ann_assign(s)
        if isinstance(s, ast.Assign):
            return self.assign(s)
        if isinstance(s, ast.AugAssign):
            return self.aug_assign(s)
        if isinstance(s, ast.If):
            return [ir.If(self.checked_cond(s.test), self.block(s.body), self.block(s.orelse))]
        if isinstance(s, ast.While):
            if s.orelse:
                self.err(s, "while/else is outside the subset", "use a flag variable")
            cond = self.checked_cond(s.test)
            self.loops += 1
            body = self.block(s.body)
            self.loops -= 1
            return [ir.While(cond, body)]
        if isinstance(s, ast.For):
            return self.for_stmt(s)
        if isinstance(s, ast.Break):
            if not self.loops:
                self.err(s, "break outside a loop", "remove it")
            return [ir.Break()]
        if isinstance(s, ast.Continue):
            if not self.loops:
                self.err(s, "continue outside a loop", "remove it")
            return [ir.Continue()]
        if isinstance(s, ast.Return):
            return [self.return_stmt(s)]
        if isinstance(s, ast.Assert):
            msg = ""
            if s.msg is not None:
                if not (isinstance(s.msg, ast.Constant) and isinstance(s.msg.value, str)):
                    self.err(s.msg, "assert message must be a string literal", "write `assert cond, \"message\"`")
                msg = s.msg.value
            return [ir.If(ir.Not(self.cond(s.test)), [ir.Fail(self.site(s, "assert", msg))], [])]
        self.err(s, f"`{type(s).__name__}` statement is outside the subset", "see docs/LANGUAGE.md for statements")

    def expr_stmt(self, s: ast.Expr) -> list[ir.Stmt]:
        v = s.value
        if isinstance(v, ast.Constant) and isinstance(v.value, str):
            return []  # a string statement is a comment
        if type(v) in REFUSED_EXPR:
            what, hint = REFUSED_EXPR[type(v)]
            self.err(v, f"{what} are outside the subset", hint)
        if not isinstance(v, ast.Call):
            self.err(s, "expression statement has no effect", "assign the value or remove the line")
        f = v.func
        if isinstance(f, ast.Name) and isinstance(self.global_sym(f.id, f), IntrinsicSym) \
                and self.global_sym(f.id, f).name == "abort":
            return [ir.Fail(self.site(v, "abort", self.message_arg(v)))]
        if isinstance(f, ast.Attribute) and f.attr == "append":
            seq = self.expr(f.value, None)
            if not isinstance(seq.ty, ListType):
                if isinstance(seq.ty, BytesType):
                    self.err(v, "bytes/bytearray have no append in the subset",
                             "allocate bytearray(n) and assign items, or concatenate bytes")
                self.err(v, f"append on {seq.ty}", "append works on list[T]")
            if len(v.args) != 1 or v.keywords:
                self.err(v, "append takes one argument", "write xs.append(x)")
            item = self.coerce(v.args[0], seq.ty.elem)
            return [ir.Append(seq, item, self.site(v, "memory"))]
        return [ir.ExprStmt(self.expr(v, None, allow_none=True))]

    def message_arg(self, call: ast.Call) -> str:
        if len(call.args) != 1 or not isinstance(call.args[0], ast.Constant) \
                or not isinstance(call.args[0].value, str):
            self.err(call, "abort takes one string literal", "write abort(\"what went wrong\")")
        return call.args[0].value

    def declare(self, name: str, ty: Type, node: ast.AST) -> None:
        old = self.locals.get(name)
        if old is None:
            if isinstance(ty, (TupleType, NoneType)):
                self.err(node, f"`{name}` cannot hold a {ty}", "unpack tuples at once: `a, b = f(x)`")
            self.locals[name] = ty
        elif not assignable(ty, old):
            self.err(node, f"`{name}` is {old} but is assigned a {ty}",
                     f"use another variable, or convert explicitly (e.g. {old}(x))")

    def ann_assign(self, s: ast.AnnAssign) -> list[ir.Stmt]:
        if not isinstance(s.target, ast.Name):
            self.err(s, "annotated assignment to a non-variable", "annotate plain variables only")
        name = s.target.id
        ty = self.prog.resolve_type(self.mod, s.annotation, "variable type")
        if name in self.locals and self.locals[name] != ty:
            self.err(s, f"`{name}` is already {self.locals[name]}", "use another variable name")
        self.declare(name, ty, s)
        if s.value is None:
            return []
        return [ir.Assign(name, self.coerce(s.value, ty))]

    def assign(self, s: ast.Assign) -> list[ir.Stmt]:
        if len(s.targets) != 1:
            self.err(s, "chained assignment is outside the subset", "assign each variable on its own line")
        target = s.targets[0]
        if isinstance(target, ast.Name):
            name = target.id
            want = self.locals.get(name)
            if want is None and isinstance(s.value, (ast.List,)) and not s.value.elts:
                self.err(s, f"the type of `{name}` cannot be inferred from []", f"write `{name}: list[u64] = []`")
            value = self.expr(s.value, want)
            if want is not None and value.ty != want and widens(value.ty, want):
                value = self.widen(value, want)
            if isinstance(value.ty, ListType) and isinstance(value, ir.MakeList) and not value.items:
                self.err(s, f"the type of `{name}` cannot be inferred", f"annotate it: `{name}: list[u64] = []`")
            self.declare(name, value.ty, s)
            return [ir.Assign(name, value)]
        if isinstance(target, ast.Tuple):
            return self.unpack(target, s.value, s)
        if isinstance(target, ast.Subscript):
            return [self.store_subscript(target, s.value, s)]
        if isinstance(target, ast.Attribute):
            rec = self.expr(target.value, None)
            ftype = self.field_type(rec, target.attr, target)
            return [ir.SetField(rec, target.attr, self.coerce(s.value, ftype))]
        self.err(s, "unsupported assignment target", "assign to a variable, x[i], x[i:j] or rec.field")

    def unpack(self, target: ast.Tuple, value: ast.expr, s: ast.stmt) -> list[ir.Stmt]:
        names: list[str | None] = []
        for e in target.elts:
            if not isinstance(e, ast.Name):
                self.err(e, "tuple unpacking targets must be plain variables", "unpack into variables first")
            names.append(e.id)
        if isinstance(value, ast.Tuple):  # a, b = x, y: evaluate all, then assign
            if len(value.elts) != len(names):
                self.err(s, "tuple sizes differ", "unpack as many values as there are names")
            out: list[ir.Stmt] = []
            temps = []
            for n, e in zip(names, value.elts):
                v = self.coerce(e, self.locals[n]) if n in self.locals else self.expr(e, None)
                t = self.temp(v.ty)
                out.append(ir.Assign(t, v))
                temps.append((n, t, v.ty))
            for n, t, ty in temps:
                self.declare(n, ty, s)
                out.append(ir.Assign(n, ir.Local(t, ty)))
            return out
        v = self.expr(value, None)
        if not isinstance(v.ty, TupleType) or len(v.ty.items) != len(names):
            self.err(s, f"cannot unpack a {v.ty} into {len(names)} names",
                     "unpack a call that returns a tuple of the same size")
        for n, t in zip(names, v.ty.items):
            self.declare(n, t, s)
        return [ir.Unpack(names, v)]

    def store_subscript(self, target: ast.Subscript, value_node: ast.expr | None, s: ast.stmt,
                        value: ir.Expr | None = None) -> ir.Stmt:
        seq = self.expr(target.value, None)
        if isinstance(seq, ir.Data):
            self.err(target, "module constants are read-only", "copy the table into a local list first")
        if isinstance(target.slice, ast.Slice):
            if seq.ty != BYTEARRAY:
                self.err(target, f"slice assignment on {seq.ty}", "slice-assign only into a bytearray")
            lo, hi = self.slice_bounds(target.slice)
            v = value if value is not None else self.coerce(value_node, BYTES)
            return ir.SetSlice(seq, lo, hi, v, self.site(target, "bounds", "slice assignment must keep the length"))
        if seq.ty == BYTES:
            self.err(target, "bytes are immutable", "use bytearray(n) for a mutable buffer")
        self.no_negative_store(target)
        elem = self.elem_type(seq, target)
        idx = self.index_expr(target.slice)
        if value is None and seq.ty == BYTEARRAY:  # any integer: 0..255 checked, like Python's ValueError
            v = self.expr(value_node, U8) if not self.literal_like(value_node) else self.coerce(value_node, U8)
            if not is_int(v.ty):
                self.err(value_node, f"expected u8, got {v.ty}", "store integers 0..255 into a bytearray")
            return ir.SetIndex(seq, idx, self.convert(value_node, v, U8), self.site(target, "bounds"))
        v = value if value is not None else self.coerce(value_node, elem)
        return ir.SetIndex(seq, idx, v, self.site(target, "bounds"))

    def aug_assign(self, s: ast.AugAssign) -> list[ir.Stmt]:
        op = ARITH.get(type(s.op))
        if op is None:
            self.err(s, "unsupported augmented assignment", "use + - * // % << >> & | ^")
        t = s.target
        if isinstance(t, ast.Name):
            if t.id not in self.locals:
                self.err(t, f"`{t.id}` used before assignment", "assign it first")
            cur: ir.Expr = ir.Local(t.id, self.locals[t.id])
            return [ir.Assign(t.id, self.binop_values(s, op, cur, s.value))]
        if isinstance(t, ast.Subscript) and not isinstance(t.slice, ast.Slice):
            self.no_negative_store(t)
            seq = self.expr(t.value, None)
            elem = self.elem_type(seq, t)
            out: list[ir.Stmt] = []
            seq_l = self.spill(seq, out)
            idx_l = self.spill(self.index_expr(t.slice), out)
            cur = ir.Index(seq_l, idx_l, elem, self.site(t, "bounds"))
            out.append(ir.SetIndex(seq_l, idx_l, self.binop_values(s, op, cur, s.value), self.site(t, "bounds")))
            return out
        if isinstance(t, ast.Attribute):
            rec = self.expr(t.value, None)
            ftype = self.field_type(rec, t.attr, t)
            out = []
            rec_l = self.spill(rec, out)
            cur = ir.Field(rec_l, t.attr, ftype)
            out.append(ir.SetField(rec_l, t.attr, self.binop_values(s, op, cur, s.value)))
            return out
        self.err(s, "unsupported augmented assignment target", "write x = x + y")

    def no_negative_store(self, target: ast.Subscript) -> None:
        c = self.const_int(target.slice)
        if c is not None and c < 0:
            self.err(target.slice, "assignment through a negative index (only reads count from the end)",
                     "write xs[len(xs) - 1] = v")

    def spill(self, e: ir.Expr, out: list[ir.Stmt]) -> ir.Expr:
        if isinstance(e, (ir.Local, ir.Const, ir.Data)):
            return e
        t = self.temp(e.ty)
        out.append(ir.Assign(t, e))
        return ir.Local(t, e.ty)

    def return_stmt(self, s: ast.Return) -> ir.Stmt:
        if s.value is None or (isinstance(s.value, ast.Constant) and s.value.value is None):
            if self.ret != NONE:
                self.err(s, f"return without a value in a function returning {self.ret}", "return a value")
            return ir.Return([])
        if self.ret == NONE:
            self.err(s, "return with a value in a function annotated -> None", "fix the annotation")
        if isinstance(s.value, ast.Tuple):
            if not isinstance(self.ret, TupleType) or len(self.ret.items) != len(s.value.elts):
                self.err(s, f"returning a tuple from a function declared -> {self.ret}", "fix the annotation")
            return ir.Return([self.coerce(e, t) for e, t in zip(s.value.elts, self.ret.items)])
        return ir.Return([self.coerce(s.value, self.ret)])

    def for_stmt(self, s: ast.For) -> list[ir.Stmt]:
        if s.orelse:
            self.err(s, "for/else is outside the subset", "use a flag variable")
        lowered = self.lower_for(s)
        if lowered is not None:  # enumerate / zip / reversed: the equivalent index loop
            out: list[ir.Stmt] = []
            for st in lowered:
                out.extend(self.stmt(st))
            return out
        if not isinstance(s.target, ast.Name):
            self.err(s.target, "for-loop target must be one variable",
                     "unpack with enumerate(xs) or zip(xs, ys), or index inside the loop body")
        var = s.target.id
        it = s.iter
        if isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "range" \
                and self.global_sym("range", it) is None:
            loop = self.for_range(s, var, it)
            return loop if isinstance(loop, list) else [loop]
        seq = self.expr(it, None)
        if not isinstance(seq.ty, (BytesType, ListType)):
            self.err(it, f"cannot iterate over {seq.ty}", "iterate over range(), bytes, bytearray or a list")
        elem = U8 if isinstance(seq.ty, BytesType) else seq.ty.elem
        self.declare(var, elem, s.target)
        out = []
        seq_l = self.spill(seq, out)
        idx = self.temp(U32)
        self.loops += 1
        body = self.block(s.body)
        self.loops -= 1
        out.append(ir.ForEach(var, idx, seq_l, body))
        return out

    def for_range(self, s: ast.For, var: str, call: ast.Call) -> ir.Stmt | list[ir.Stmt]:
        args = call.args
        if call.keywords or not 1 <= len(args) <= 3:
            self.err(call, "range() takes 1 to 3 positional arguments", "write range(stop), range(start, stop[, step])")
        want = self.locals.get(var)
        if len(args) == 1:
            hi = self.coerce(args[0], want) if want else self.expr(args[0], None)
            lo: ir.Expr = ir.Const(0, hi.ty)
        else:
            a, b = args[0], args[1]
            if want:
                lo, hi = self.coerce(a, want), self.coerce(b, want)
            else:
                lo, hi = self.joined(*self.same_type(a, b, call))
        step = 1
        if len(args) == 3:
            sv = self.const_int(args[2])
            if sv is None and is_int(hi.ty):
                return self.for_range_step(s, var, *self.joined(lo, hi), args[2], call)
            if sv is None or sv == 0:
                self.err(args[2], "range step must be a non-zero integer", "write e.g. range(a, b, 2) or range(b, a, -1)")
            step = sv
        if not is_int(hi.ty):
            self.err(call, f"range over {hi.ty}", "range bounds are integers")
        if step < 0 and not hi.ty.signed and isinstance(hi, ir.Const) and hi.value == -1:
            self.err(call, "negative bound for an unsigned range", "use a signed loop variable")
        self.declare(var, hi.ty, s.target)
        direct = self._var_only_in_loop(var, s)
        counter = var if direct else self.temp(hi.ty)
        self.loops += 1
        body = self.block(s.body)
        self.loops -= 1
        return ir.ForRange(var, counter, lo, hi, step, body)

    def _var_only_in_loop(self, var: str, loop: ast.For) -> bool:
        """The loop variable can be the counter: not assigned in the body, not read outside its loops."""
        inside = {id(n) for n in ast.walk(loop)}
        for n in ast.walk(loop):
            if n is not loop.target and isinstance(n, ast.Name) and n.id == var and isinstance(n.ctx, ast.Store):
                return False
        other_loops = set()
        for n in ast.walk(self.sym.node):
            if isinstance(n, ast.For) and isinstance(n.target, ast.Name) and n.target.id == var and n is not loop:
                other_loops |= {id(m) for m in ast.walk(n)}
        for n in ast.walk(self.sym.node):
            if isinstance(n, ast.Name) and n.id == var and id(n) not in inside and id(n) not in other_loops:
                return False
        return True

