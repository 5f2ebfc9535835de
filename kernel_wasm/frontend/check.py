"""Checks one function body against the subset and lowers it to typed IR."""

from __future__ import annotations

import ast
from typing import NoReturn

from kernel_wasm.errors import CompileError
from kernel_wasm.frontend import intrinsics as intr
from kernel_wasm.frontend.symbols import ConstSym, FuncSym, IntrinsicSym, ModuleSym, RecordSym
from kernel_wasm.ir import nodes as ir
from kernel_wasm.ir.types import (
    BOOL, BYTEARRAY, BYTES, I64, INT_TYPES, NONE, U8, U32, U64, BytesType, IntType, ListType, NoneType,
    RecordType, TupleType, Type, assignable, is_int,
)

ARITH = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.FloorDiv: "div", ast.Mod: "mod",
         ast.LShift: "shl", ast.RShift: "shr", ast.BitAnd: "and", ast.BitOr: "or", ast.BitXor: "xor"}
CMP = {ast.Eq: "eq", ast.NotEq: "ne", ast.Lt: "lt", ast.LtE: "le", ast.Gt: "gt", ast.GtE: "ge"}
KIND = {"add": "overflow", "sub": "overflow", "mul": "overflow", "div": "division", "mod": "division",
        "shl": "shift", "shr": "shift"}

REFUSED_EXPR = {
    ast.Lambda: ("lambdas", "define a module-level function"),
    ast.ListComp: ("list comprehensions", "build the list with a for loop and .append"),
    ast.SetComp: ("set comprehensions", "use a list and a loop"),
    ast.DictComp: ("dict comprehensions", "use a list of records"),
    ast.GeneratorExp: ("generator expressions", "use a for loop"),
    ast.Dict: ("dicts", "use a list of records or durable storage"),
    ast.Set: ("sets", "use a list"),
    ast.JoinedStr: ("f-strings", "strings exist only as literal messages to abort()/assert"),
    ast.Await: ("await", "kernel code is synchronous"),
    ast.Yield: ("generators", "return a list"),
    ast.YieldFrom: ("generators", "return a list"),
    ast.NamedExpr: ("walrus assignments (:=)", "assign on a separate line"),
    ast.Starred: ("star expressions", "pass arguments explicitly"),
}
REFUSED_STMT = {
    ast.Try: ("try/except", "kernel code cannot catch failures: return an ok flag instead"),
    ast.Raise: ("raise", "call abort(\"message\") or return an ok flag"),
    ast.With: ("with", "call functions explicitly"),
    ast.Global: ("global", "pass state as parameters and return values; persist with store_write"),
    ast.Nonlocal: ("nonlocal", "pass state as parameters"),
    ast.FunctionDef: ("a nested function (closure)", "define the function at module level"),
    ast.ClassDef: ("a nested class", "define @dataclass records at module level"),
    ast.Delete: ("del", "overwrite the value instead"),
    ast.Import: ("an import inside a function", "import at module level"),
    ast.ImportFrom: ("an import inside a function", "import at module level"),
    ast.AsyncFunctionDef: ("an async function", "write a plain def"),
    ast.Match: ("match", "use if/elif/else"),
}


def is_literal(node: ast.expr) -> bool:
    """An integer expression made of literals only (it takes the type its context needs)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, int) and not isinstance(node.value, bool)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        return is_literal(node.operand)
    if isinstance(node, ast.BinOp) and type(node.op) in ARITH:
        return is_literal(node.left) and is_literal(node.right)
    return False


class FunctionChecker:
    """Type-checks one function and produces its IR."""

    def __init__(self, prog, sym: FuncSym) -> None:  # prog: ProgramBuilder
        self.prog = prog
        self.sym = sym
        self.mod = sym.mod
        self.locals: dict[str, Type] = {}
        self.assigned: set[str] = set()
        self.loops = 0
        self.ntemp = 0
        self.params, self.ret = prog.signature(sym)

    # ------------------------------------------------------------------------------ helpers

    def err(self, node: ast.AST | None, what: str, hint: str = "") -> NoReturn:
        raise self.prog.err(self.mod, node, what, hint)

    def site(self, node: ast.AST, kind: str, message: str = "") -> int:
        return self.prog.site(self.mod, node, kind, message)

    def temp(self, ty: Type) -> str:
        self.ntemp += 1
        name = f"%t{self.ntemp}"
        self.locals[name] = ty
        return name

    def check(self) -> ir.Func:
        node = self.sym.node
        for name, t in self.params:
            self.locals[name] = t
        self.assigned = self._assigned_names(node)
        body = self.block(self._strip_doc(node.body))
        if self.ret != NONE and not self._always_returns(body):
            self.err(node, f"function `{node.name}` may end without returning a value of type {self.ret}",
                     "end every path with `return ...` (or abort(\"...\"))")
        params = [(n, t) for n, t in self.params]
        lcl = {k: v for k, v in self.locals.items() if k not in dict(params)}
        return ir.Func(self.sym.qualname, params, self.ret, body, lcl, self.mod.display, node.lineno)

    @staticmethod
    def _strip_doc(body: list[ast.stmt]) -> list[ast.stmt]:
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                and isinstance(body[0].value.value, str):
            return body[1:]
        return body

    @staticmethod
    def _assigned_names(fn: ast.FunctionDef) -> set[str]:
        names = {a.arg for a in fn.args.args}
        for n in ast.walk(fn):
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
                names.add(n.id)
        return names

    def _always_returns(self, body: list[ir.Stmt]) -> bool:
        if not body:
            return False
        last = body[-1]
        if isinstance(last, (ir.Return, ir.Fail)):
            return True
        if isinstance(last, ir.If):
            return self._always_returns(last.then) and self._always_returns(last.els)
        if isinstance(last, ir.While) and isinstance(last.cond, ir.Const) and last.cond.value:
            return not self._has_break(last.body)
        return False

    def _has_break(self, body: list[ir.Stmt]) -> bool:
        for s in body:
            if isinstance(s, ir.Break):
                return True
            if isinstance(s, ir.If) and (self._has_break(s.then) or self._has_break(s.els)):
                return True
        return False

    # ------------------------------------------------------------------------------ statements

    def block(self, stmts: list[ast.stmt]) -> list[ir.Stmt]:
        out: list[ir.Stmt] = []
        for s in stmts:
            out.extend(self.stmt(s))
        return out

    def stmt(self, s: ast.stmt) -> list[ir.Stmt]:
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
            return [ir.If(self.cond(s.test), self.block(s.body), self.block(s.orelse))]
        if isinstance(s, ast.While):
            if s.orelse:
                self.err(s, "while/else is outside the subset", "use a flag variable")
            cond = self.cond(s.test)
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
        elem = self.elem_type(seq, target)
        idx = self.index_expr(target.slice)
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
        if not isinstance(s.target, ast.Name):
            self.err(s.target, "for-loop target must be one variable", "index inside the loop body")
        var = s.target.id
        it = s.iter
        if isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "range" \
                and self.global_sym("range", it) is None:
            return [self.for_range(s, var, it)]
        if isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id in ("enumerate", "zip", "reversed"):
            self.err(it, f"{it.func.id}() is outside the subset", "loop over range(len(xs)) and index")
        seq = self.expr(it, None)
        if not isinstance(seq.ty, (BytesType, ListType)):
            self.err(it, f"cannot iterate over {seq.ty}", "iterate over range(), bytes, bytearray or a list")
        elem = U8 if isinstance(seq.ty, BytesType) else seq.ty.elem
        self.declare(var, elem, s.target)
        out: list[ir.Stmt] = []
        seq_l = self.spill(seq, out)
        idx = self.temp(U32)
        self.loops += 1
        body = self.block(s.body)
        self.loops -= 1
        out.append(ir.ForEach(var, idx, seq_l, body))
        return out

    def for_range(self, s: ast.For, var: str, call: ast.Call) -> ir.Stmt:
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
                lo, hi = self.same_type(a, b, call)
        step = 1
        if len(args) == 3:
            sv = self.const_int(args[2])
            if sv is None or sv == 0:
                self.err(args[2], "range step must be a non-zero constant", "write e.g. range(a, b, 2) or range(b, a, -1)")
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

    # ------------------------------------------------------------------------------ expressions

    def global_sym(self, name: str, node: ast.AST) -> object | None:
        if name in self.assigned:
            return None
        return self.prog.lookup(self.mod, name, node)

    def const_int(self, node: ast.expr) -> int | None:
        if is_literal(node):
            try:
                v = self.prog.eval_const(self.mod, node)
            except CompileError:
                return None
            return v if isinstance(v, int) else None
        if isinstance(node, ast.Name):
            sym = self.global_sym(node.id, node)
            if isinstance(sym, ConstSym):
                v, _ = self.prog.const(sym)
                return v if isinstance(v, int) and not isinstance(v, bool) else None
        return None

    def literal_like(self, node: ast.expr) -> bool:
        if is_literal(node):
            return True
        if isinstance(node, ast.Name):
            sym = self.global_sym(node.id, node)
            if isinstance(sym, ConstSym):
                value, ty = self.prog.const(sym)
                return isinstance(value, int) and (ty is None or is_int(ty))
        return False

    def cond(self, node: ast.expr) -> ir.Expr:
        e = self.expr(node, BOOL)
        if e.ty == BOOL:
            return e
        if is_int(e.ty):
            return ir.Cmp("ne", e, ir.Const(0, e.ty))
        if isinstance(e.ty, (BytesType, ListType)):
            return ir.Cmp("ne", ir.Len(e), ir.Const(0, I64))
        self.err(node, f"a {e.ty} is not a condition", "compare explicitly")

    def coerce(self, node: ast.expr, want: Type | None) -> ir.Expr:
        e = self.expr(node, want)
        if want is not None and not assignable(e.ty, want):
            hint = f"convert explicitly: {want}(x)" if is_int(want) and is_int(e.ty) else "pass a value of that type"
            self.err(node, f"expected {want}, got {e.ty}", hint)
        return e

    def same_type(self, a: ast.expr, b: ast.expr, node: ast.AST, want: Type | None = None) -> tuple[ir.Expr, ir.Expr]:
        """Check two operands that must share a type; a literal side takes the other's type."""
        if self.literal_like(a) and not self.literal_like(b):
            eb = self.expr(b, want)
            return self.coerce(a, eb.ty), eb
        ea = self.expr(a, want)
        if self.literal_like(b):
            return ea, self.coerce(b, ea.ty)
        return ea, self.expr(b, ea.ty)

    def expr(self, node: ast.expr, want: Type | None, allow_none: bool = False) -> ir.Expr:
        e = self._expr(node, want)
        if isinstance(e.ty, NoneType) and not allow_none:
            self.err(node, "this call returns nothing", "use it as a statement")
        return e

    def _expr(self, node: ast.expr, want: Type | None) -> ir.Expr:
        if type(node) in REFUSED_EXPR:
            what, hint = REFUSED_EXPR[type(node)]
            self.err(node, f"{what} are outside the subset", hint)
        if is_literal(node):
            return self.literal(node, want)
        if isinstance(node, ast.Constant):
            return self.constant(node, want)
        if isinstance(node, ast.Name):
            return self.name(node, want)
        if isinstance(node, ast.BinOp):
            return self.binop(node, want)
        if isinstance(node, ast.UnaryOp):
            return self.unary(node, want)
        if isinstance(node, ast.BoolOp):
            op = "and" if isinstance(node.op, ast.And) else "or"
            vals = [self.cond(v) for v in node.values]
            acc = vals[0]
            for v in vals[1:]:
                acc = ir.Logic(op, acc, v)
            return acc
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.Call):
            return self.call(node, want)
        if isinstance(node, ast.Subscript):
            return self.subscript(node)
        if isinstance(node, ast.Attribute):
            return self.attribute(node, want)
        if isinstance(node, ast.List):
            return self.list_literal(node, want)
        if isinstance(node, ast.IfExp):
            c = self.cond(node.test)
            a, b = self.same_type(node.body, node.orelse, node, want)
            if a.ty != b.ty and not (isinstance(a.ty, BytesType) and isinstance(b.ty, BytesType)):
                self.err(node, f"branches have types {a.ty} and {b.ty}", "make both branches the same type")
            return ir.Select(c, a, b, a.ty)
        if isinstance(node, ast.Tuple):
            self.err(node, "tuples exist only in `return a, b` and `a, b = ...`", "use a record")
        self.err(node, f"`{type(node).__name__}` expression is outside the subset", "see docs/LANGUAGE.md")

    def literal(self, node: ast.expr, want: Type | None) -> ir.Expr:
        v = self.prog.eval_const(self.mod, node)
        ty = want if want is not None and is_int(want) else I64
        if want is not None and not is_int(want):
            if want == BOOL:
                self.err(node, "an integer where a bool is expected", "write True/False or a comparison")
            self.err(node, f"an integer where {want} is expected", "pass a value of that type")
        if not ty.lo <= v <= ty.hi:
            self.err(node, f"literal {v} does not fit {ty}", "use a wider type or a different value")
        return ir.Const(v, ty)

    def constant(self, node: ast.Constant, want: Type | None) -> ir.Expr:
        v = node.value
        if isinstance(v, bool):
            return ir.Const(int(v), BOOL)
        if isinstance(v, bytes):
            return ir.Data(self.prog.data.bytes_value(v), BYTES, len(v))
        if isinstance(v, str):
            self.err(node, "strings are outside the subset",
                     "strings appear only as literal messages to abort()/assert; use b\"...\" for bytes")
        if isinstance(v, float):
            self.err(node, "floats are outside the subset", "use integers (fixed-point if needed)")
        if v is None:
            self.err(node, "None is outside the subset (except `-> None` and bare `return`)",
                     "use an ok flag or a sentinel value")
        self.err(node, f"constant {v!r} is outside the subset", "use ints, bools or bytes")

    def name(self, node: ast.Name, want: Type | None) -> ir.Expr:
        if node.id in self.assigned:
            t = self.locals.get(node.id)
            if t is None:
                self.err(node, f"`{node.id}` is used before it is assigned", "assign it first")
            return ir.Local(node.id, t)
        if node.id in ("True", "False"):
            return ir.Const(int(node.id == "True"), BOOL)
        sym = self.global_sym(node.id, node)
        return self.global_value(sym, node, want)

    def global_value(self, sym: object, node: ast.expr, want: Type | None) -> ir.Expr:
        name = node.id if isinstance(node, ast.Name) else getattr(node, "attr", "?")
        if isinstance(sym, ConstSym):
            value, ty = self.prog.const(sym)
            if ty is None:  # unannotated int constant: adapts like a literal
                t = want if want is not None and is_int(want) else I64
                if not t.lo <= value <= t.hi:
                    self.err(node, f"constant {name} = {value} does not fit {t}", "annotate the constant")
                return ir.Const(value, t)
            if isinstance(ty, IntType):  # integer constants adapt to their context like literals
                t = want if want is not None and is_int(want) and is_int(ty) else ty
                if not t.lo <= value <= t.hi:
                    self.err(node, f"constant {name} = {value} does not fit {t}", f"convert explicitly: {t}(...)")
                return ir.Const(int(value), t)
            return ir.Data(self.prog.const_addr(sym), ty, len(value))
        if sym is None:
            builtins = ("len", "range", "bytes", "bytearray", "int", "min", "max", "print", "list", "abs")
            if name in builtins:
                self.err(node, f"`{name}` can only be called", f"write {name}(...)")
            self.err(node, f"`{name}` is not defined", "define it, import it, or assign it first")
        if isinstance(sym, FuncSym):
            self.err(node, "functions are not values", "call the function directly")
        self.err(node, f"`{name}` is not a value", "use a variable or constant")

    def binop(self, node: ast.BinOp, want: Type | None) -> ir.Expr:
        op = ARITH.get(type(node.op))
        if op is None:
            if isinstance(node.op, ast.Pow):
                self.err(node, "`**` is outside the subset", "multiply explicitly or use a shift (1 << n)")
            if isinstance(node.op, ast.Div):
                self.err(node, "`/` (float division) is outside the subset", "use // on integers")
            self.err(node, "unsupported operator", "use + - * // % << >> & | ^")
        # list repetition: [x] * n
        if op == "mul" and isinstance(node.left, ast.List):
            return self.repeat_list(node, node.left, node.right, want)
        if op == "mul" and isinstance(node.right, ast.List):
            return self.repeat_list(node, node.right, node.left, want)
        if op in ("shl", "shr"):
            a = self.expr(node.left, want)
            return self.make_arith(node, op, a, self.any_int(node.right))
        for side in (node.left, node.right):
            if not self.literal_like(side) and self.static_type(side) == BOOL:
                self.err(node, "arithmetic on bool", "use and/or/not, or convert with int(x)")
        a, b = self.same_type(node.left, node.right, node, want)
        if op == "add" and isinstance(a.ty, BytesType) and isinstance(b.ty, BytesType):
            return ir.Concat(a, b, a.ty, self.site(node, "memory"))
        return self.make_arith(node, op, a, b)

    def static_type(self, node: ast.expr) -> Type | None:
        """The type of a plain variable or constant, without checking anything else."""
        if isinstance(node, ast.Name):
            if node.id in self.assigned:
                return self.locals.get(node.id)
            if node.id in ("True", "False"):
                return BOOL
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            return BOOL
        return None

    def binop_values(self, node: ast.AST, op: str, cur: ir.Expr, rhs: ast.expr) -> ir.Expr:
        if op in ("shl", "shr"):
            b = self.expr(rhs, None) if not is_literal(rhs) else self.literal(rhs, None)
            return self.make_arith(node, op, cur, b)
        if op == "add" and isinstance(cur.ty, BytesType):
            b = self.expr(rhs, None)
            if not isinstance(b.ty, BytesType):
                self.err(node, f"cannot add {b.ty} to bytes", "concatenate bytes with bytes")
            return ir.Concat(cur, b, cur.ty, self.site(node, "memory"))
        return self.make_arith(node, op, cur, self.coerce(rhs, cur.ty))

    def make_arith(self, node: ast.AST, op: str, a: ir.Expr, b: ir.Expr) -> ir.Expr:
        for e in (a, b):
            if not is_int(e.ty):
                self.err(node, f"arithmetic on {e.ty}", "arithmetic works on integer types; use and/or/not on bool")
        if op not in ("shl", "shr") and a.ty != b.ty:
            self.err(node, f"operands have different types {a.ty} and {b.ty}",
                     f"convert one side explicitly, e.g. {a.ty}(x)")
        site = self.site(node, KIND[op]) if op in KIND else -1
        if site >= 0:
            self.prog.note(node, ("arith", op, a.ty))
        return ir.Arith(op, a, b, a.ty, site)

    def unary(self, node: ast.UnaryOp, want: Type | None) -> ir.Expr:
        if isinstance(node.op, ast.Not):
            return ir.Not(self.cond(node.operand))
        if isinstance(node.op, ast.Invert):
            self.err(node, "`~` is outside the subset", "xor with an all-ones mask: x ^ 0xFFFFFFFF")
        a = self.expr(node.operand, want)
        if not is_int(a.ty):
            self.err(node, f"unary minus on {a.ty}", "negate integers only")
        if isinstance(node.op, ast.UAdd):
            return a
        self.prog.note(node, ("neg", a.ty))
        return ir.Neg(a, a.ty, self.site(node, "overflow"))

    def compare(self, node: ast.Compare) -> ir.Expr:
        parts: list[ir.Expr] = []
        left_node = node.left
        left: ir.Expr | None = None
        for op, right_node in zip(node.ops, node.comparators):
            if type(op) not in CMP:
                if isinstance(op, (ast.Is, ast.IsNot)):
                    self.err(node, "`is` is outside the subset", "compare values with == / !=")
                self.err(node, "`in` is outside the subset", "compare explicitly or loop")
            if left is None:
                a, b = self.same_type(left_node, right_node, node)
            else:
                a, b = left, self.coerce(right_node, left.ty) if self.literal_like(right_node) else self.expr(right_node, left.ty)
            parts.append(self.make_cmp(node, CMP[type(op)], a, b))
            left = b
            if len(node.ops) > 1 and not isinstance(b, (ir.Local, ir.Const)):
                self.err(node, "chained comparison with a computed middle operand",
                         "compute it into a variable first, or write `a < b and b < c`")
        acc = parts[0]
        for p in parts[1:]:
            acc = ir.Logic("and", acc, p)
        return acc

    def make_cmp(self, node: ast.AST, op: str, a: ir.Expr, b: ir.Expr) -> ir.Expr:
        if isinstance(a.ty, BytesType) and isinstance(b.ty, BytesType):
            return ir.BytesCmp(op, a, b)
        if a.ty == BOOL and b.ty == BOOL and op in ("eq", "ne"):
            return ir.Cmp(op, a, b)
        if is_int(a.ty) and is_int(b.ty):
            if a.ty == b.ty:
                return ir.Cmp(op, a, b)
            # mixed integer types: compare exactly in a common wider type
            if U64 not in (a.ty, b.ty):
                return ir.Cmp(op, self.widen(a, I64), self.widen(b, I64))
            other = b if a.ty == U64 else a
            if not other.ty.signed:
                return ir.Cmp(op, self.widen(a, U64), self.widen(b, U64))
            self.err(node, f"comparing u64 with signed {other.ty}", "convert one side explicitly, e.g. u64(x)")
        self.err(node, f"cannot compare {a.ty} with {b.ty}", "compare values of the same type")

    @staticmethod
    def widen(e: ir.Expr, ty: IntType) -> ir.Expr:
        return e if e.ty == ty else ir.Convert(e, ty, -1)

    # ------------------------------------------------------------------------------ calls

    def call(self, node: ast.Call, want: Type | None) -> ir.Expr:
        f = node.func
        if type(f) in REFUSED_EXPR:
            what, hint = REFUSED_EXPR[type(f)]
            self.err(f, f"{what} are outside the subset", hint)
        if isinstance(f, ast.Attribute):
            return self.method_call(node, f, want)
        if not isinstance(f, ast.Name):
            self.err(node, "only named functions can be called", "call a function by its name")
        if f.id in self.assigned:
            self.err(node, f"`{f.id}` is a variable, not a function", "call functions by name")
        sym = self.global_sym(f.id, f)
        if sym is None:
            return self.builtin_call(node, f.id, want)
        if isinstance(sym, IntrinsicSym):
            return self.intrinsic_call(node, sym.name, want)
        if isinstance(sym, FuncSym):
            return self.user_call(node, sym)
        if isinstance(sym, RecordSym):
            return self.record_new(node, self.prog.record_type(sym))
        self.err(node, f"`{f.id}` is not callable", "call a function, a record, or an intrinsic")

    def user_call(self, node: ast.Call, sym: FuncSym) -> ir.Expr:
        params, ret = self.prog.signature(sym)
        if node.keywords:
            self.err(node, "keyword arguments to functions are outside the subset", "pass arguments positionally")
        if len(node.args) != len(params):
            self.err(node, f"{sym.node.name}() takes {len(params)} arguments, {len(node.args)} given",
                     "pass every parameter")
        args = [self.coerce(a, t) for a, (_, t) in zip(node.args, params)]
        name = self.prog.request(sym, self.sym.qualname, self.mod, node)
        return ir.Call(name, args, ret)

    def record_new(self, node: ast.Call, rt: RecordType) -> ir.Expr:
        fields = rt.fields
        values: dict[str, ast.expr] = {}
        if len(node.args) > len(fields):
            self.err(node, f"{rt.name}() takes {len(fields)} fields", "pass one value per field")
        for (fname, _), a in zip(fields, node.args):
            values[fname] = a
        for kw in node.keywords:
            if kw.arg is None or kw.arg in values or rt.field(kw.arg) is None:
                self.err(node, f"bad field argument `{kw.arg}`", "pass each field once, positionally")
            values[kw.arg] = kw.value
        missing = [f for f, _ in fields if f not in values]
        if missing:
            self.err(node, f"{rt.name}() is missing field(s) {', '.join(missing)}", "pass every field")
        return ir.MakeRecord([self.coerce(values[f], t) for f, t in fields], rt)

    def nargs(self, node: ast.Call, n: int, usage: str) -> None:
        if len(node.args) != n or node.keywords:
            self.err(node, f"wrong arguments, expected {usage}", f"write {usage}")

    def builtin_call(self, node: ast.Call, name: str, want: Type | None) -> ir.Expr:
        if name == "len":
            self.nargs(node, 1, "len(x)")
            a = self.expr(node.args[0], None)
            if not isinstance(a.ty, (BytesType, ListType)):
                self.err(node, f"len() of {a.ty}", "len works on bytes, bytearray and lists")
            if isinstance(a, ir.Data):
                return ir.Const(a.length, I64)
            return ir.Len(a)
        if name in ("bytes", "bytearray"):
            ty = BYTES if name == "bytes" else BYTEARRAY
            self.nargs(node, 1, f"{name}(n) or {name}(b)")
            arg = node.args[0]
            a = self.expr(arg, None) if not is_literal(arg) else self.literal(arg, I64)
            if is_int(a.ty):
                self.prog.note(node, ("bytes_new",))
                return ir.BytesNew(self.convert(node, a, I64), ty, self.site(node, "value", "negative count"))
            if isinstance(a.ty, BytesType):
                return ir.BytesCopy(a, ty, self.site(node, "memory"))
            self.err(node, f"{name}() of {a.ty}", f"{name}(n) makes n zero bytes; {name}(b) copies bytes")
        if name == "int":
            self.nargs(node, 1, "int(x)")
            a = self.expr(node.args[0], None)
            if not is_int(a.ty) and a.ty != BOOL:
                self.err(node, f"int() of {a.ty}", "int() converts integers; use int.from_bytes for bytes")
            self.prog.note(node, ("conv", I64))
            return self.convert(node, a, I64)
        if name in ("min", "max"):
            self.nargs(node, 2, f"{name}(a, b)")
            a, b = self.same_type(node.args[0], node.args[1], node, want)
            if not is_int(a.ty) or a.ty != b.ty:
                self.err(node, f"{name}() of {a.ty} and {b.ty}", f"{name} takes two integers of one type")
            return ir.Prim(name, [a, b], a.ty)
        if name == "range":
            self.err(node, "range() is only allowed as a for-loop iterable", "write `for i in range(n):`")
        if name == "print":
            self.err(node, "print() is outside the subset", "use write_debug(b\"...\") from kernel_py.intrinsics")
        if name in ("float", "str", "dict", "set", "list", "tuple", "isinstance", "type", "getattr", "setattr",
                    "hasattr", "sum", "sorted", "map", "filter", "any", "all", "abs", "pow", "divmod", "hex",
                    "ord", "chr", "iter", "next", "open", "eval", "exec", "id", "hash", "repr", "round"):
            self.err(node, f"builtin `{name}()` is outside the subset",
                     "builtins: len, bytes, bytearray, int, min, max, range (in for); see docs/LANGUAGE.md")
        self.err(node, f"`{name}` is not defined", "define it at module level or import it")

    def convert(self, node: ast.AST, a: ir.Expr, ty: IntType) -> ir.Expr:
        if a.ty == ty:
            return a
        if isinstance(a, ir.Const):
            if not ty.lo <= a.value <= ty.hi:
                self.err(node, f"{a.value} does not fit {ty}", "use a value in range")
            return ir.Const(a.value, ty)
        src = a.ty
        assert isinstance(src, IntType)
        needs_check = src.lo < ty.lo or src.hi > ty.hi
        return ir.Convert(a, ty, self.site(node, "overflow") if needs_check else -1)

    def intrinsic_call(self, node: ast.Call, name: str, want: Type | None) -> ir.Expr:
        if name in intr.CONVERSIONS:
            self.nargs(node, 1, f"{name}(x)")
            target = intr.CONVERSIONS[name]
            if is_literal(node.args[0]):
                return self.literal(node.args[0], target)
            a = self.expr(node.args[0], None)
            if not is_int(a.ty) and a.ty != BOOL:
                self.err(node, f"{name}() of {a.ty}", "convert integers only; use int.from_bytes for bytes")
            return self.convert(node, a, target)
        if name in intr.TRUNCATIONS:
            self.nargs(node, 1, f"{name}(x)")
            a = self.any_int(node.args[0])
            target = intr.TRUNCATIONS[name]
            if name == "truncate_u8":
                a32 = self.widen_bits(a, 32)
                return ir.Prim("i32.and", [a32, ir.Const(0xFF, U32)], U8)
            return ir.Convert(a, target, -1) if a.ty != target else a
        if name in intr.WRAPPING:
            ptypes, ret, op = intr.WRAPPING[name]
            self.nargs(node, len(ptypes), f"{name}({', '.join('x' for _ in ptypes)})")
            args = []
            for a, pt in zip(node.args, ptypes):
                if pt == "any":
                    v = self.any_int(a)
                    args.append(self.widen_bits(v, 64 if ret.wasm == "i64" else 32))
                else:
                    args.append(self.coerce(a, pt))
            return ir.Prim(op, args, ret)
        if name == "mul_wide_u32":
            self.nargs(node, 2, "mul_wide_u32(a, b)")
            a, b = self.coerce(node.args[0], U32), self.coerce(node.args[1], U32)
            return ir.Prim("i64.mul", [ir.Convert(a, U64, -1), ir.Convert(b, U64, -1)], U64)
        if name == "lt_u64":
            self.nargs(node, 2, "lt_u64(a, b)")
            a, b = self.any_int(node.args[0]), self.any_int(node.args[1])
            for v in (a, b):
                if v.ty.wasm != "i64":
                    self.err(node, "lt_u64 compares 64-bit values", "pass u64 or i64 values")
            return ir.Prim("i64.lt_u", [a, b], BOOL)
        if name == "abort":
            self.err(node, "abort() is a statement", "write abort(\"...\") on its own line")
        if name in intr.HOST:
            return self.host_call(node, name)
        self.err(node, f"`{name}` cannot be called in kernel code", "see docs/LANGUAGE.md for intrinsics")

    def any_int(self, node: ast.expr) -> ir.Expr:
        a = self.literal(node, None) if is_literal(node) else self.expr(node, None)
        if not is_int(a.ty):
            self.err(node, f"expected an integer, got {a.ty}", "pass an integer")
        return a

    @staticmethod
    def widen_bits(a: ir.Expr, bits: int) -> ir.Expr:
        """Reinterpret ``a`` at a wasm width (wrap or extend by its signedness), no checks."""
        if a.ty.wasm == ("i64" if bits == 64 else "i32"):
            return a
        if isinstance(a, ir.Const):
            v = a.value & ((1 << bits) - 1)
            return ir.Const(v, U64 if bits == 64 else U32)
        return ir.Convert(a, U64 if bits == 64 else U32, -1)

    def host_call(self, node: ast.Call, name: str) -> ir.Expr:
        kinds, ret = intr.HOST[name]
        self.nargs(node, len(kinds), f"{name}({', '.join(kinds)})")
        args: list[ir.Expr] = []
        for a, k in zip(node.args, kinds):
            if k == "bytes":
                v = self.expr(a, BYTES)
                if not isinstance(v.ty, BytesType):
                    self.err(a, f"expected bytes, got {v.ty}", "pass bytes")
                args.append(v)
            else:
                v = self.any_int(a)
                args.append(self.convert(a, v, I64) if v.ty != I64 else v)
        self.prog.host_imports.add(name)
        return ir.HostCall(name, args, ret)

    def method_call(self, node: ast.Call, f: ast.Attribute, want: Type | None) -> ir.Expr:
        if isinstance(f.value, ast.Name) and f.value.id not in self.assigned:
            base = f.value.id
            sym = self.global_sym(base, f.value)
            if isinstance(sym, ModuleSym):
                inner = self.prog.lookup(sym.mod, f.attr, f)
                if isinstance(inner, FuncSym):
                    return self.user_call(node, inner)
                if isinstance(inner, RecordSym):
                    return self.record_new(node, self.prog.record_type(inner))
                self.err(node, f"`{base}.{f.attr}` is not a function", "call a function of that module")
            if base == "int" and sym is None and f.attr == "from_bytes":
                return self.from_bytes(node, want)
            if base == "bytes" and sym is None and f.attr == "fromhex":
                v = self.prog.eval_const(self.mod, node)
                return ir.Data(self.prog.data.bytes_value(v), BYTES, len(v))
        if f.attr == "to_bytes":
            return self.to_bytes(node, f)
        if f.attr == "append":
            self.err(node, "append() returns nothing", "call xs.append(x) as a statement")
        self.err(node, f"method `.{f.attr}()` is outside the subset",
                 "methods: xs.append(x), x.to_bytes(n, order), int.from_bytes(b, order)")

    def byteorder(self, node: ast.Call, arg: ast.expr | None) -> str:
        if not (isinstance(arg, ast.Constant) and arg.value in ("big", "little")):
            self.err(node, "byte order must be the literal \"big\" or \"little\"", "write \"big\" or \"little\"")
        return arg.value

    def from_bytes(self, node: ast.Call, want: Type | None) -> ir.Expr:
        args = list(node.args)
        for kw in node.keywords:
            if kw.arg == "byteorder" and len(args) == 1:
                args.append(kw.value)
            else:
                self.err(node, f"int.from_bytes(..., {kw.arg}=) is outside the subset",
                         "write int.from_bytes(b, \"big\"|\"little\") (unsigned)")
        if len(args) != 2:
            self.err(node, "int.from_bytes takes bytes and a byte order", "write int.from_bytes(b, \"big\")")
        order = self.byteorder(node, args[1])
        ty = want if want is not None and is_int(want) else I64
        self.prog.note(node, ("from_bytes", ty))
        src = args[0]
        site = self.site(node, "overflow")
        if isinstance(src, ast.Subscript) and isinstance(src.slice, ast.Slice) and src.slice.step is None:
            seq = self.expr(src.value, None)
            if isinstance(seq.ty, BytesType):
                lo_node, hi_node = src.slice.lower, src.slice.upper
                n = self._const_width(lo_node, hi_node)
                if n is not None:
                    lo = self.index_expr(lo_node) if lo_node is not None else ir.Const(0, I64)
                    return ir.FromBytes(seq, lo, n, order, ty, site)
        b = self.expr(src, BYTES)
        if not isinstance(b.ty, BytesType):
            self.err(node, f"int.from_bytes of {b.ty}", "pass bytes")
        return ir.FromBytes(b, None, None, order, ty, site)

    def _const_width(self, lo: ast.expr | None, hi: ast.expr | None) -> int | None:
        """n when hi == lo + n syntactically (or both constants)."""
        if hi is None:
            return None
        if lo is None:
            return self.const_int(hi)
        clo, chi = self.const_int(lo), self.const_int(hi)
        if clo is not None and chi is not None:
            return chi - clo if chi >= clo else None
        if isinstance(hi, ast.BinOp) and isinstance(hi.op, ast.Add) and ast.dump(hi.left) == ast.dump(lo):
            return self.const_int(hi.right)
        return None

    def to_bytes(self, node: ast.Call, f: ast.Attribute) -> ir.Expr:
        args = list(node.args)
        kws = {kw.arg: kw.value for kw in node.keywords}
        if set(kws) - {"length", "byteorder"}:
            self.err(node, "to_bytes(..., signed=) is outside the subset", "write x.to_bytes(n, \"big\"|\"little\")")
        if "length" in kws:
            args.insert(0, kws["length"])
        if "byteorder" in kws:
            args.append(kws["byteorder"])
        if len(args) != 2:
            self.err(node, "to_bytes takes a length and a byte order", "write x.to_bytes(8, \"little\")")
        x = self.expr(f.value, None) if not is_literal(f.value) else self.literal(f.value, None)
        if not is_int(x.ty):
            self.err(node, f"to_bytes on {x.ty}", "call it on an integer")
        n = self.any_int(args[0])
        self.prog.note(node, ("to_bytes",))
        return ir.ToBytes(x, self.convert(node, n, I64), self.byteorder(node, args[1]), BYTES,
                          self.site(node, "overflow"))

    # ------------------------------------------------------------------------------ subscripts, fields, lists

    def elem_type(self, seq: ir.Expr, node: ast.AST) -> Type:
        if isinstance(seq.ty, BytesType):
            return U8
        if isinstance(seq.ty, ListType):
            return seq.ty.elem
        self.err(node, f"cannot index a {seq.ty}", "index bytes, bytearray or lists")

    def index_expr(self, node: ast.expr) -> ir.Expr:
        i = self.any_int(node)
        return i

    def slice_bounds(self, sl: ast.Slice) -> tuple[ir.Expr | None, ir.Expr | None]:
        if sl.step is not None:
            self.err(sl, "slice steps are outside the subset", "loop over the indexes")
        lo = self.index_expr(sl.lower) if sl.lower is not None else None
        hi = self.index_expr(sl.upper) if sl.upper is not None else None
        return lo, hi

    def subscript(self, node: ast.Subscript) -> ir.Expr:
        seq = self.expr(node.value, None)
        if isinstance(node.slice, ast.Slice):
            if not isinstance(seq.ty, BytesType):
                self.err(node, f"slicing a {seq.ty}", "slice bytes or bytearray only")
            lo, hi = self.slice_bounds(node.slice)
            return ir.Slice(seq, lo, hi, seq.ty, self.site(node, "bounds"))
        elem = self.elem_type(seq, node)
        c = self.const_int(node.slice)
        if c is not None and c < 0:
            self.err(node.slice, "negative index (indexes count from 0 and fail when out of range)",
                     "write x[len(x) - 1]")
        return ir.Index(seq, self.index_expr(node.slice), elem, self.site(node, "bounds"))

    def field_type(self, rec: ir.Expr, attr: str, node: ast.AST) -> Type:
        if not isinstance(rec.ty, RecordType):
            self.err(node, f"attribute `.{attr}` of a {rec.ty}", "attributes exist on records only")
        t = rec.ty.field(attr)
        if t is None:
            self.err(node, f"record {rec.ty.name} has no field `{attr}`", "use a declared field")
        return t

    def attribute(self, node: ast.Attribute, want: Type | None) -> ir.Expr:
        if isinstance(node.value, ast.Name) and node.value.id not in self.assigned:
            sym = self.global_sym(node.value.id, node.value)
            if isinstance(sym, ModuleSym):
                inner = self.prog.lookup(sym.mod, node.attr, node)
                return self.global_value(inner, node, want)
        rec = self.expr(node.value, None)
        return ir.Field(rec, node.attr, self.field_type(rec, node.attr, node))

    def list_literal(self, node: ast.List, want: Type | None) -> ir.Expr:
        if want is not None and not isinstance(want, ListType):
            self.err(node, f"a list where {want} is expected", "pass a value of that type")
        elem = want.elem if isinstance(want, ListType) else None
        items: list[ir.Expr] = []
        for e in node.elts:
            v = self.coerce(e, elem) if elem is not None else self.expr(e, None)
            elem = elem or v.ty
            items.append(v)
        if elem is None:
            return ir.MakeList([], ListType(I64))
        return ir.MakeList(items, ListType(elem))

    def repeat_list(self, node: ast.BinOp, lst: ast.List, count: ast.expr, want: Type | None) -> ir.Expr:
        if len(lst.elts) != 1:
            self.err(node, "list repetition takes a one-element list", "write [x] * n")
        elem = want.elem if isinstance(want, ListType) else None
        item = self.coerce(lst.elts[0], elem) if elem is not None else self.expr(lst.elts[0], None)
        n = self.any_int(count)
        return ir.RepeatList(item, self.convert(node, n, I64), ListType(item.ty),
                             self.site(node, "memory"))


__all__ = ["FunctionChecker", "INT_TYPES", "is_literal"]
