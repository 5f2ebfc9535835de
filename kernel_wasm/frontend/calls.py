"""Calls: user functions, records, builtins, intrinsics, host functions and methods."""

from __future__ import annotations

import ast

from kernel_wasm.frontend import intrinsics as intr
from kernel_wasm.frontend.rules import REFUSED_EXPR, is_literal
from kernel_wasm.frontend.symbols import FuncSym, IntrinsicSym, ModuleSym, RecordSym
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
    RecordType,
    Type,
    is_int,
)


class CallChecker:
    """Mixin of :class:`kernel_wasm.frontend.check.FunctionChecker`."""

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
            if not node.args and not node.keywords:
                return ir.BytesNew(ir.Const(0, I64), ty, self.site(node, "value"))
            self.nargs(node, 1, f"{name}(n) or {name}(b)")
            arg = node.args[0]
            if isinstance(arg, ast.List):
                return self.bytes_of_ints(node, ty, None)
            a = self.expr(arg, None) if not is_literal(arg) else self.literal(arg, I64)
            if isinstance(a.ty, ListType) and is_int(a.ty.elem):
                return self.bytes_of_ints(node, ty, a)
            if is_int(a.ty):
                self.prog.note(node, ("bytes_new",))
                return ir.BytesNew(self.convert(node, a, I64), ty, self.site(node, "value", "negative count"))
            if isinstance(a.ty, BytesType):
                return ir.BytesCopy(a, ty, self.site(node, "memory"))
            self.err(node, f"{name}() of {a.ty}",
                     f"{name}(n) makes n zero bytes; {name}(b) copies bytes; {name}([x, y]) takes integers 0..255")
        if name == "int":
            self.nargs(node, 1, "int(x)")
            a = self.expr(node.args[0], None)
            if not is_int(a.ty) and a.ty != BOOL:
                self.err(node, f"int() of {a.ty}", "int() converts integers; use int.from_bytes for bytes")
            self.prog.note(node, ("conv", I64))
            return self.convert(node, a, I64)
        if name in ("min", "max"):
            self.nargs(node, 2, f"{name}(a, b)")
            a, b = self.joined(*self.same_type(node.args[0], node.args[1], node, want))
            if not is_int(a.ty) or a.ty != b.ty:
                self.err(node, f"{name}() of {a.ty} and {b.ty}", f"{name} takes two integers of one type")
            return ir.Prim(name, [a, b], a.ty)
        if name == "divmod":
            return self.divmod_call(node, want)
        if name in ("any", "all"):
            return self.any_all(node, name)
        if name == "sum":
            return self.sum_call(node, want)
        if name == "range":
            self.err(node, "range() is only allowed as a for-loop iterable", "write `for i in range(n):`")
        if name == "print":
            self.err(node, "print() is outside the subset", "use write_debug(b\"...\") from kernel_py.intrinsics")
        if name in ("float", "str", "dict", "set", "list", "tuple", "isinstance", "type", "getattr", "setattr",
                    "hasattr", "sorted", "map", "filter", "abs", "pow", "hex",
                    "ord", "chr", "iter", "next", "open", "eval", "exec", "id", "hash", "repr", "round"):
            self.err(node, f"builtin `{name}()` is outside the subset",
                     "builtins: len, bytes, bytearray, int, min, max, divmod, any, all, sum, range/enumerate/zip/reversed "
                     "(in for); see docs/LANGUAGE.md")
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
        if f.attr == "join":
            return self.join_call(node, f.value)
        if f.attr == "append":
            self.err(node, "append() returns nothing", "call xs.append(x) as a statement")
        self.err(node, f"method `.{f.attr}()` is outside the subset",
                 "methods: xs.append(x), x.to_bytes(n, order), int.from_bytes(b, order), sep.join(parts)")

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

