"""Integer expressions: checked arithmetic, comparisons, conversions and intrinsics."""

from __future__ import annotations

from kernel_wasm.codegen import shared
from kernel_wasm.codegen.common import COMMUTATIVE, is_pure, is_read_only, wt
from kernel_wasm.ir import nodes as ir
from kernel_wasm.ir.types import IntType


class ArithGen:
    """Mixin of :class:`kernel_wasm.codegen.wat.FuncGen`."""

    def e_Not(self, e: ir.Not) -> None:
        self.ex(e.a)
        self.emit("i32.eqz")

    def e_Logic(self, e: ir.Logic) -> None:
        self.ex(e.a)
        if is_read_only(e.b):  # evaluated right after ``a``: no write in between
            self.ex(e.b)
            self.emit("i32.and" if e.op == "and" else "i32.or")
            return
        if e.op == "and":
            self.emit("if (result i32)")
            self.ex(e.b)
            self.emit("else", "i32.const 0", "end")
        else:
            self.emit("if (result i32)", "i32.const 1", "else")
            self.ex(e.b)
            self.emit("end")

    def e_Select(self, e: ir.Select) -> None:
        if (is_pure(e.a) and is_pure(e.b)) or all(is_read_only(x) for x in (e.a, e.b, e.cond)):
            self.ex(e.a)
            self.ex(e.b)
            self.ex(e.cond)
            self.emit("select")
            return
        self.ex(e.cond)
        self.emit(f"if (result {wt(e.ty)})")
        self.ex(e.a)
        self.emit("else")
        self.ex(e.b)
        self.emit("end")

    def e_Cmp(self, e: ir.Cmp) -> None:
        t = e.a.ty
        w = wt(t)
        if e.op in ("eq", "ne") and isinstance(e.b, ir.Const) and e.b.value == 0:
            self.ex(e.a)
            self.emit(f"{w}.eqz")
            if e.op == "ne":
                self.emit("i32.eqz")
            return
        self.ex(e.a)
        self.ex(e.b)
        if e.op in ("eq", "ne"):
            self.emit(f"{w}.{e.op}")
        else:
            signed = isinstance(t, IntType) and t.signed
            self.emit(f"{w}.{e.op}_{'s' if signed else 'u'}")

    def e_Prim(self, e: ir.Prim) -> None:
        if e.op in ("min", "max"):
            a, b = self.hold(e.args[0]), self.hold(e.args[1])
            t = e.ty
            w = wt(t)
            sfx = "s" if isinstance(t, IntType) and t.signed else "u"
            self.emit(*a, *b, *a, *b, f"{w}.{'lt' if e.op == 'min' else 'gt'}_{sfx}", "select")
            return
        self.operands(e.args, e.op.split(".")[-1] in COMMUTATIVE)
        self.emit(e.op)
        if e.op.startswith("i64.") and e.ty.wasm == "i32" and e.op.split(".")[1] not in (
                "lt_u", "lt_s", "gt_u", "gt_s", "le_u", "le_s", "ge_u", "ge_s", "eq", "ne", "eqz"):
            self.emit("i32.wrap_i64")

    def e_Convert(self, e: ir.Convert) -> None:
        src, dst = e.a.ty, e.ty
        assert isinstance(src, IntType) and isinstance(dst, IntType)
        if e.site >= 0:
            self.range_check(e.a, src, dst, e.site)
        else:
            self.ex(e.a)
        if src.wasm == "i64" and dst.wasm == "i32":
            self.emit("i32.wrap_i64")
        elif src.wasm == "i32" and dst.wasm == "i64":
            self.emit("i64.extend_i32_s" if src.signed else "i64.extend_i32_u")

    def range_check(self, a: ir.Expr, src: IntType, dst: IntType, site: int) -> None:
        """Push ``a`` (width of src) after checking that its value fits ``dst``."""
        w = src.wasm
        v = self.hold(a)
        conds: list[list[str]] = []
        if self.fits(self.rng(a), dst):
            self.emit(*v)
            return
        if self.shared_checks and shared.convert_conds(src, dst):
            self.emit(*v)
            self.call_shared(shared.convert_name(src, dst), shared.convert(src, dst, not self.mod.compact), site)
            return
        src_signed = src.signed
        if src_signed and dst.lo == 0 and dst.hi < src.hi:  # one unsigned test: negatives are above hi
            conds.append([*v, f"{w}.const {self.signed_repr(dst.hi, w)}", f"{w}.gt_u"])
        elif src_signed and dst.lo > src.lo:  # lower bound matters
            conds.append([*v, f"{w}.const {dst.lo}", f"{w}.lt_s"])
        if dst.hi < src.hi and not (src_signed and dst.lo == 0):
            conds.append([*v, f"{w}.const {self.signed_repr(dst.hi, w)}", f"{w}.gt_{'s' if src_signed else 'u'}"])
        for i, c in enumerate(conds):
            self.emit(*c)
            if i:
                self.emit("i32.or")
        if conds:
            self.fail_if(site)
        self.emit(*v)

    @staticmethod
    def signed_repr(v: int, w: str) -> int:
        bits = 64 if w == "i64" else 32
        v &= (1 << bits) - 1
        return v - (1 << bits) if v >> (bits - 1) else v

    def e_Neg(self, e: ir.Neg) -> None:
        t = e.ty
        w = wt(t)
        v = self.hold(e.a)
        ra = self.rng(e.a)
        if t.signed and ra[0] > t.lo or not t.signed and ra == (0, 0):
            pass
        elif t.signed:
            self.emit(*v, f"{w}.const {t.lo}", f"{w}.eq")
            self.fail_if(e.site)
        else:
            self.emit(*v, f"{w}.const 0", f"{w}.ne")
            self.fail_if(e.site)
        self.emit(f"{w}.const 0", *v, f"{w}.sub")

    def e_Arith(self, e: ir.Arith) -> None:
        t = e.ty
        assert isinstance(t, IntType)
        w = wt(t)
        op = e.op
        if op in ("and", "or", "xor"):
            self.operands([e.a, e.b], True)
            self.emit(f"{w}.{op}")
            return
        if e.site >= 0 and self.provably_safe(e, t):
            if op in ("div", "mod") and isinstance(e.b, ir.Const) and e.b.value & (e.b.value - 1) == 0:
                k = e.b.value.bit_length() - 1
                self.ex(e.a)
                self.emit(*((f"{w}.const {k}", f"{w}.shr_u") if op == "div" else (f"{w}.const {e.b.value - 1}",
                                                                               f"{w}.and")))
                return
            if op in ("shl", "shr") and wt(e.b.ty) != w:
                self.ex(e.a)
                self.ex(e.b)
                self.emit("i32.wrap_i64" if w == "i32" else "i64.extend_i32_u")
                self.emit(f"{w}.{'shl' if op == 'shl' else 'shr_s' if t.signed else 'shr_u'}")
                return
            self.ex(e.a)
            self.ex(e.b)
            self.emit(f"{w}.{ {'div': 'div_u', 'mod': 'rem_u', 'shr': 'shr_s' if t.signed else 'shr_u'}.get(op, op)}")
            return
        if e.site < 0:  # unchecked (from optimisations)
            self.ex(e.a)
            self.ex(e.b)
            self.emit(f"{w}.{ {'div': 'div_u', 'mod': 'rem_u', 'shr': 'shr_s' if t.signed else 'shr_u'}.get(op, op)}")
            return
        if self.shared_checks and op in ("add", "sub") and t.bits >= 32 and isinstance(e.b, ir.Const) \
                and e.b.value == 1:
            self.ex(e.a)
            self.call_shared(shared.step_name(op, w, t.signed), shared.step(op, w, t.signed, not self.mod.compact),
                             e.site)
            return
        if self.shared_checks and op in ("add", "sub", "mul") and t.bits >= 32:
            self.ex(e.a)
            self.ex(e.b)
            self.call_shared(shared.arith_name(op, w, t.signed), shared.arith(op, w, t.signed, not self.mod.compact),
                             e.site)
            return
        checked = {"add": self.arith_add, "sub": self.arith_sub, "mul": self.arith_mul, "div": self.arith_div,
                   "mod": self.arith_mod, "shl": self.arith_shl, "shr": self.arith_shr}
        checked[op](e, t, w)

    def arith_add(self, e: ir.Arith, t: IntType, w: str) -> None:
        self.add_sub(e, t, w, "add")

    def arith_sub(self, e: ir.Arith, t: IntType, w: str) -> None:
        self.add_sub(e, t, w, "sub")

    def add_sub(self, e: ir.Arith, t: IntType, w: str, op: str) -> None:
        a = self.hold(e.a)
        b_const = e.b.value if isinstance(e.b, ir.Const) else None
        b = self.hold(e.b)
        if t.bits < 32:  # u8 in an i32: compute exactly, check the range
            r = self.temp(w)
            self.emit(*a, *b, f"{w}.{op}", f"local.tee {r}", f"{w}.const {t.hi}", f"{w}.gt_u")
            self.fail_if(e.site)
            self.emit(f"local.get {r}")
            return
        if not t.signed:
            if op == "add":
                r = self.temp(w)
                self.emit(*a, *b, f"{w}.add", f"local.tee {r}", *(a if b_const is not None else b), f"{w}.lt_u")
                self.fail_if(e.site)
                self.emit(f"local.get {r}")
            else:
                self.emit(*a, *b, f"{w}.lt_u")
                self.fail_if(e.site)
                self.emit(*a, *b, f"{w}.sub")
            return
        r = self.temp(w)
        self.emit(*a, *b, f"{w}.{op}", f"local.tee {r}")
        b0, b1 = self.rng(e.b)
        if b0 >= 0 or b1 <= 0:
            # with b's sign known, wrap-around shows as r < a (adding b >= 0) or r > a (mirrored cases)
            up = (b0 >= 0) == (op == "add")
            if b0 == b1 == 0:
                self.emit("drop", f"local.get {r}")
                return
            self.emit(*a, f"{w}.{'lt_s' if up else 'gt_s'}")
        elif op == "add":
            self.emit(*a, f"{w}.xor", f"local.get {r}", *b, f"{w}.xor", f"{w}.and", f"{w}.const 0", f"{w}.lt_s")
        else:
            self.emit(*a, f"{w}.xor", *a, *b, f"{w}.xor", f"{w}.and", f"{w}.const 0", f"{w}.lt_s")
        self.fail_if(e.site)
        self.emit(f"local.get {r}")

    def arith_mul(self, e: ir.Arith, t: IntType, w: str) -> None:
        if t.bits <= 32:
            # exact product in i64, then range check
            ext = "i64.extend_i32_s" if t.signed else "i64.extend_i32_u"
            r = self.temp("i64")
            self.ex(e.a)
            self.emit(ext)
            self.ex(e.b)
            self.emit(ext, "i64.mul", f"local.tee {r}")
            if t.signed:
                self.emit(f"i64.const {t.lo}", "i64.lt_s", f"local.get {r}", f"i64.const {t.hi}", "i64.gt_s", "i32.or")
            else:
                self.emit(f"i64.const {t.hi}", "i64.gt_u")
            self.fail_if(e.site)
            self.emit(f"local.get {r}", "i32.wrap_i64")
            return
        a = self.hold(e.a)
        b = self.hold(e.b)
        for x, y in ((e.a, b), (e.b, a)):
            if isinstance(x, ir.Const):
                c = x.value
                if c == 0:
                    self.emit("i64.const 0")
                    return
                if t.signed:
                    if c == -1:
                        self.emit(*y, f"i64.const {t.lo}", "i64.eq")
                    elif c > 0:
                        self.emit(*y, f"i64.const {t.hi // c}", "i64.gt_s", *y, f"i64.const {-((-t.lo) // c)}",
                                  "i64.lt_s", "i32.or")
                    else:
                        self.emit(*y, f"i64.const {-(t.hi // -c)}", "i64.lt_s", *y, f"i64.const {(-t.lo) // -c}",
                                  "i64.gt_s", "i32.or")
                else:
                    self.emit(*y, f"i64.const {self.signed_repr(t.hi // c, 'i64')}", "i64.gt_u")
                self.fail_if(e.site)
                self.emit(*a, *b, "i64.mul")
                return
        r = self.temp("i64")
        self.emit(*a, *b, "i64.mul", f"local.set {r}")
        if t.signed:
            # a == -1 and b == MIN, or a != 0 and r / a != b
            self.emit(*a, "i64.const -1", "i64.eq", *b, f"i64.const {t.lo}", "i64.eq", "i32.and")
            self.fail_if(e.site)
            self.emit(*a, "i64.eqz", "if (result i32)", "i32.const 0", "else", f"local.get {r}", *a, "i64.div_s",
                      *b, "i64.ne", "end")
        else:
            self.emit(*a, "i64.eqz", "if (result i32)", "i32.const 0", "else", f"local.get {r}", *a, "i64.div_u",
                      *b, "i64.ne", "end")
        self.fail_if(e.site)
        self.emit(f"local.get {r}")

    def div_mod(self, e: ir.Arith, t: IntType, w: str, op: str) -> None:
        a = self.hold(e.a)
        bc = e.b.value if isinstance(e.b, ir.Const) else None
        b = self.hold(e.b)
        checks: list[list[str]] = []
        rb = self.rng(e.b)
        if bc is None:
            if rb[0] <= 0:
                checks.append([*b, f"{w}.eqz"])
            if t.signed and rb[0] < 0:
                checks.append([*b, f"{w}.const 0", f"{w}.lt_s"])
        elif bc <= 0:
            self.fail(e.site)
        if t.signed and self.rng(e.a)[0] < 0:
            checks.append([*a, f"{w}.const 0", f"{w}.lt_s"])
        for i, c in enumerate(checks):
            self.emit(*c)
            if i:
                self.emit("i32.or")
        if checks:
            self.fail_if(e.site)
        if bc is not None and bc > 0 and bc & (bc - 1) == 0:
            k = bc.bit_length() - 1
            if op == "div":
                self.emit(*a, f"{w}.const {k}", f"{w}.shr_u")
            else:
                self.emit(*a, f"{w}.const {bc - 1}", f"{w}.and")
            return
        self.emit(*a, *b, f"{w}.{'div_u' if op == 'div' else 'rem_u'}")

    def arith_div(self, e: ir.Arith, t: IntType, w: str) -> None:
        self.div_mod(e, t, w, "div")

    def arith_mod(self, e: ir.Arith, t: IntType, w: str) -> None:
        self.div_mod(e, t, w, "mod")

    def shift_count(self, n: ir.Expr, w: str, bits: int, site: int) -> list[str] | int:
        """The shift count as code of width ``w`` after checking 0 <= n < bits; an int when constant."""
        if isinstance(n, ir.Const):
            if not 0 <= n.value < bits:
                self.fail(site)
                return 0
            return n.value
        nw = wt(n.ty)
        v = self.hold(n)
        self.emit(*v, f"{nw}.const {bits}", f"{nw}.ge_u")  # negative counts are huge unsigned
        self.fail_if(site)
        if nw == w:
            return v
        conv = "i32.wrap_i64" if nw == "i64" else "i64.extend_i32_u"
        return [*v, conv]

    def arith_shl(self, e: ir.Arith, t: IntType, w: str) -> None:
        bits = t.bits
        n = self.shift_count(e.b, w, bits, e.site)
        a = self.hold(e.a)
        if isinstance(n, int):
            if n == 0:
                self.emit(*a)
                return
            if t.signed:
                self.emit(*a, f"{w}.const {t.hi >> n}", f"{w}.gt_s", *a, f"{w}.const {t.lo >> n}", f"{w}.lt_s", "i32.or")
            else:
                self.emit(*a, f"{w}.const {self.signed_repr(t.hi >> n, w)}", f"{w}.gt_u")
            kind_site = self.overflow_site(e.site)
            self.fail_if(kind_site)
            self.emit(*a, f"{w}.const {n}", f"{w}.shl")
            return
        r = self.temp(w)
        self.emit(*a, *n, f"{w}.shl", f"local.tee {r}")
        if bits < 32:
            self.emit(f"{w}.const {t.hi}", f"{w}.gt_u")
        else:
            self.emit(*n, f"{w}.shr_{'s' if t.signed else 'u'}", *a, f"{w}.ne")
        self.fail_if(self.overflow_site(e.site))
        self.emit(f"local.get {r}")

    def overflow_site(self, shift_site: int) -> int:
        """A sibling site of kind "overflow" for bits lost by a left shift."""
        s = self.mod.prog.sites[shift_site]
        key = ("ovf", shift_site)
        cache = self.mod.__dict__.setdefault("_ovf_sites", {})
        if key not in cache:
            nid = len(self.mod.prog.sites)
            self.mod.prog.sites.append(ir.Site(nid, s.file, s.line, s.col, "overflow", ""))
            cache[key] = nid
        return cache[key]

    def arith_shr(self, e: ir.Arith, t: IntType, w: str) -> None:
        n = self.shift_count(e.b, w, t.bits, e.site)
        self.ex(e.a)
        if isinstance(n, int):
            self.emit(f"{w}.const {n}")
        else:
            self.emit(*n)
        self.emit(f"{w}.shr_{'s' if t.signed else 'u'}")

