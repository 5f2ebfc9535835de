"""Expressions: literals, names, operators, comparisons, subscripts, fields and lists."""

from __future__ import annotations

import ast

from kernel_wasm.errors import CompileError
from kernel_wasm.frontend.rules import ARITH, CMP, KIND, REFUSED_EXPR, is_literal
from kernel_wasm.frontend.symbols import ConstSym, FuncSym, ModuleSym
from kernel_wasm.ir import nodes as ir
from kernel_wasm.ir.types import (
    BOOL,
    BYTES,
    I64,
    U8,
    U64,
    BytesType,
    IntType,
    ListType,
    NoneType,
    RecordType,
    Type,
    assignable,
    is_int,
    join,
    widens,
)


class ExprChecker:
    """Mixin of :class:`kernel_wasm.frontend.check.FunctionChecker`."""

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
            if widens(e.ty, want):
                return self.widen(e, want)  # type: ignore[arg-type]
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
        if isinstance(node, ast.ListComp):
            return self.comprehension(node, "list", want)
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
            a, b = self.joined(*self.same_type(node.body, node.orelse, node, want))
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
            a = self.to_context(self.expr(node.left, want), want)
            if op == "shl" and want is None and a.ty == U8:
                a = self.widen(a, I64)  # a byte shifted left without a typed context is an int, as in Python
            return self.make_arith(node, op, a, self.any_int(node.right))
        for side in (node.left, node.right):
            if not self.literal_like(side) and self.static_type(side) == BOOL:
                self.err(node, "arithmetic on bool", "use and/or/not, or convert with int(x)")
        a, b = self.same_type(node.left, node.right, node, want)
        if op == "add" and isinstance(a.ty, BytesType) and isinstance(b.ty, BytesType):
            return ir.Concat(a, b, a.ty, self.site(node, "memory"))
        if is_int(a.ty) and is_int(b.ty):
            t = join(a.ty, b.ty)
            if t is not None and want is not None and widens(t, want):
                a, b = self.to_context(a, want), self.to_context(b, want)
        return self.make_arith(node, op, a, b)

    def to_context(self, e: ir.Expr, want: Type | None) -> ir.Expr:
        """An integer operand widened to the wider integer type its context expects (``x: int = a + b``
        with ``a, b: u8`` adds in ``int``, as Python would); unchanged otherwise."""
        if want is not None and e.ty != want and widens(e.ty, want):
            return self.widen(e, want)  # type: ignore[arg-type]
        return e

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
            if join(a.ty, b.ty) is None:
                self.err(node, f"operands have different types {a.ty} and {b.ty} (no integer type holds both)",
                         f"convert one side explicitly, e.g. {a.ty}(x)")
            a, b = self.joined(a, b)
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
        params: list[tuple[str, ir.Expr]] = []
        left_node = node.left
        left: ir.Expr | None = None
        if len(node.ops) == 1 and isinstance(node.ops[0], (ast.In, ast.NotIn)):
            return self.membership(node, node.left, node.ops[0], node.comparators[0])
        for op, right_node in zip(node.ops, node.comparators):
            if type(op) not in CMP:
                if isinstance(op, (ast.Is, ast.IsNot)):
                    self.err(node, "`is` is outside the subset", "compare values with == / !=")
                self.err(node, "`in` in a chained comparison", "write `x in (a, b)` on its own")
            if left is None:
                a, b = self.same_type(left_node, right_node, node)
            else:
                a, b = left, self.coerce(right_node, left.ty) if self.literal_like(right_node) else self.expr(right_node, left.ty)
            if len(node.ops) > 1 and not isinstance(b, (ir.Local, ir.Const)):
                # `lo <= xs[i] <= hi`: the middle operand is computed once, into a temporary (the left
                # operand is plain, so computing the middle first changes nothing observable)
                if len(node.ops) != 2 or left is not None or not isinstance(a, (ir.Local, ir.Const, ir.Data)):
                    self.err(node, "chained comparison with a computed middle operand",
                             "compute it into a variable first, or write `a < b and b < c`")
                tmp = self.temp(b.ty)
                params.append((tmp, b))
                b = ir.Local(tmp, b.ty)
            parts.append(self.make_cmp(node, CMP[type(op)], a, b))
            left = b
        acc = parts[0]
        for p in parts[1:]:
            acc = ir.Logic("and", acc, p)
        return ir.Inline(params, [ir.Return([acc])], BOOL, "") if params else acc

    def make_cmp(self, node: ast.AST, op: str, a: ir.Expr, b: ir.Expr) -> ir.Expr:
        if isinstance(a.ty, BytesType) and isinstance(b.ty, BytesType):
            return ir.BytesCmp(op, a, b)
        if a.ty == BOOL and b.ty == BOOL and op in ("eq", "ne"):
            return ir.Cmp(op, a, b)
        if is_int(a.ty) and is_int(b.ty):
            if join(a.ty, b.ty) is not None:  # mixed integer types compare exactly in their join
                return ir.Cmp(op, *self.joined(a, b))
            other = b if a.ty == U64 else a
            self.err(node, f"comparing u64 with signed {other.ty}", "convert one side explicitly, e.g. u64(x)")
        self.err(node, f"cannot compare {a.ty} with {b.ty}", "compare values of the same type")

    @staticmethod
    def widen(e: ir.Expr, ty: IntType) -> ir.Expr:
        """``e`` converted losslessly to ``ty`` (no check: every value of ``e.ty`` is a value of ``ty``)."""
        if e.ty == ty:
            return e
        if isinstance(e, ir.Const):
            return ir.Const(e.value, ty)
        return ir.Convert(e, ty, -1)

    def joined(self, a: ir.Expr, b: ir.Expr) -> tuple[ir.Expr, ir.Expr]:
        """Two integer operands widened to their join (unchanged if they are not both integers or have none)."""
        t = join(a.ty, b.ty) if a.ty != b.ty else None
        return (self.widen(a, t), self.widen(b, t)) if t is not None else (a, b)

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
        if c is not None and c < 0:  # xs[-k] is xs[len(xs) - k], as in Python (bounds if k > len(xs))
            out: list[ir.Stmt] = []
            seq_l = self.spill(seq, out)
            self.prog.note(node, ("neg_index",))
            item = ir.Index(seq_l, ir.Prim("i64.sub", [ir.Len(seq_l), ir.Const(-c, I64)], I64), elem,
                            self.site(node, "bounds"))
            return ir.Inline([], [*out, ir.Return([item])], elem, "") if out else item
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

