"""Loops: while, counted loops (with check-free copies), for-each."""

from __future__ import annotations

from kernel_wasm.codegen.common import (
    SHIFT,
    UNROLL_COPY_MAX_NODES,
    UNROLL_COPY_MAX_TRIPS,
    VERSION_MAX_NODES,
    VERSION_MIN_CHECKS,
    linear,
    wt,
)
from kernel_wasm.ir import nodes as ir
from kernel_wasm.ir.passes.fold import fold_block
from kernel_wasm.ir.passes.unroll import breaks_out
from kernel_wasm.ir.types import BYTES, I64, BytesType, IntType, ListType, Type
from kernel_wasm.ir.walk import assigned, rewrite, size, walk, walk_all


def rewrite_all(stmts: list[ir.Stmt], fn) -> list[ir.Stmt]:
    return [rewrite(st, fn) for st in stmts]  # type: ignore[misc]


class LoopGen:
    """Mixin of :class:`kernel_wasm.codegen.wat.FuncGen`."""

    def s_While(self, s: ir.While) -> None:
        brk, cont = self.label("B"), self.label("L")
        self.kill(assigned(s.body))
        saved = dict(self.facts)
        self.emit(f"block {brk}", f"loop {cont}")
        if not (isinstance(s.cond, ir.Const) and s.cond.value):
            for g in self.conjunct_groups(s.cond):  # `while a and b:` leaves when a, then when b, is false
                self.cond(g)
                self.emit("i32.eqz", f"br_if {brk}")
        self.loops.append((brk, cont))
        self.block(s.body)
        self.loops.pop()
        self.emit(f"br {cont}", "end", "end")
        self.facts = saved

    def s_ForRange(self, s: ir.ForRange) -> None:
        """A counted loop; when its indexed sequences can be checked up front, a check-free copy
        runs whenever they are long enough (the original, checked loop otherwise)."""
        need, spans = self.version_needs(s) if self.mod.versioning else ({}, {})
        if not need and not spans:  # lists already proven long enough still get a row pointer (speed)
            rows = {k: c for k, c in self.row_candidates(s).items()
                    if self.seq_known_len(ir.Local(k, BYTES)) > 0} if self.mod.versioning else None
            self.emit_for_range(s, rows)
            return
        conds = 0
        for name, n in need.items():
            self.emit(f"local.get ${name}", "i32.load", f"i32.const {n}", "i32.ge_u")
            conds += 1
            if conds > 1:
                self.emit("i32.and")
        for (seq, base), (lo_min, end) in spans.items():
            # base + lo_min >= 0 and base + end <= len(seq), without overflow
            self.emit(f"local.get ${base}", f"i64.const {-lo_min}", "i64.ge_s", f"local.get ${base}",
                      f"local.get ${seq}", "i32.load", "i64.extend_i32_u", f"i64.const {end}", "i64.sub", "i64.le_s",
                      "i32.and")
            conds += 1
            if conds > 1:
                self.emit("i32.and")
        self.emit("if")
        saved = dict(self.facts)
        saved_ranges = dict(self.ranges)
        saved_spans = self.spans
        for name, n in need.items():
            self.learn_len(ir.Local(name, BYTES), n)
        self.spans = dict(saved_spans)
        for (seq, base), (lo_min, end) in spans.items():
            self.spans[(seq, base)] = (s.var, lo_min, end)
            r = self.ranges.get(base, (I64.lo, I64.hi))
            self.ranges[base] = (max(r[0], -lo_min), min(r[1], 0x7FFFFFFF - end))
        if spans and self.unrollable(s):  # reads at base + constant: one pointer, constant offsets
            self.emit_unrolled(s, spans)
        else:
            self.emit_for_range(s, {k: v for k, v in self.row_candidates(s).items() if k in need})
        self.facts = saved
        self.ranges = saved_ranges
        self.spans = saved_spans
        self.emit("else")
        self.emit_for_range(s)
        self.emit("end")

    def version_needs(self, s: ir.ForRange) -> tuple[dict[str, int], dict[tuple[str, str], tuple[int, int]]]:
        """Sequences indexed in the loop body and the lengths that make every access in range; and
        for ``int.from_bytes(seq[base + k*var + c : ... + n])`` reads, the span (lowest offset, end)
        relative to ``base`` that must lie inside ``seq``."""
        if size(s.body) > VERSION_MAX_NODES:
            return {}, {}
        body_assigned = assigned(s.body) | {s.var, s.counter}
        (l0, l1), (h0, h1) = self.rng(s.lo), self.rng(s.hi)
        vr = (l0, h1 - 1) if s.step > 0 else (h0 + 1, l1)
        if vr[0] > vr[1] or s.var in assigned(s.body):
            return {}, {}
        spans: dict[tuple[str, str], tuple[int, int]] = {}
        saved = self.ranges.get(s.var)
        self.ranges[s.var] = vr
        need: dict[str, int] = {}
        bad: set[str] = set()
        checks = 0
        try:
            for n in walk_all(s.body):
                if isinstance(n, (ir.Index, ir.SetIndex)) and isinstance(n.seq, ir.Local) \
                        and n.seq.name not in body_assigned and isinstance(n.seq.ty, (ListType, BytesType)):
                    if not any(isinstance(x, ir.Local) and x.name == s.var for x in walk(n.index)):
                        continue
                    lo, hi = self.rng(n.index)
                    if lo < 0 or hi > 0x7FFFFFFF:
                        bad.add(n.seq.name)
                    elif hi + 1 > self.seq_known_len(n.seq):
                        need[n.seq.name] = max(need.get(n.seq.name, 0), hi + 1)
                        checks += 1
                elif isinstance(n, ir.FromBytes) and n.n is not None and n.lo is not None \
                        and isinstance(n.seq, ir.Local) and n.seq.name not in body_assigned:
                    span = self.span_of(n, s.var, vr, body_assigned)
                    if span is not None:
                        base, lo_min, end = span
                        old = spans.get((n.seq.name, base), (lo_min, end))
                        spans[(n.seq.name, base)] = (min(old[0], lo_min), max(old[1], end))
                        checks += 1
        finally:
            if saved is None:
                self.ranges.pop(s.var, None)
            else:
                self.ranges[s.var] = saved
        if checks < VERSION_MIN_CHECKS:  # a copy of the loop is not worth one check per iteration
            return {}, {}
        return {k: v for k, v in need.items() if k not in bad}, spans

    def unrollable(self, s: ir.ForRange) -> bool:
        """A short, constant-trip check-free copy is emitted straight-line (constant offsets)."""
        if not (isinstance(s.lo, ir.Const) and isinstance(s.hi, ir.Const)) or s.var != s.counter:
            return False
        trips = len(range(s.lo.value, s.hi.value, s.step))
        return 0 < trips <= UNROLL_COPY_MAX_TRIPS and trips * size(s.body) <= UNROLL_COPY_MAX_NODES \
            and not breaks_out(s.body)

    def emit_unrolled(self, s: ir.ForRange, spans: dict[tuple[str, str], tuple[int, int]]) -> None:
        """The body once per counter value, constants folded in; span reads use one base pointer each."""
        saved_ptrs = dict(self.span_ptrs)
        for seq, base in spans:
            bp = self.temp("i32")
            self.emit(f"local.get ${seq}", f"local.get ${base}", "i32.wrap_i64", "i32.add", f"local.set {bp}")
            self.span_ptrs[(seq, base)] = bp
        self.kill(assigned(s.body) | {s.var})
        saved = dict(self.facts)
        saved_dptr = dict(self.dptr)
        trips = len(range(s.lo.value, s.hi.value, s.step))  # type: ignore[attr-defined]
        for name in self.stored_lists(s.body):  # list stores at constant indexes: one data pointer
            if name not in self.dptr:
                dp = self.temp("i32")
                self.emit(f"local.get ${name}", "i32.load offset=8", f"local.set {dp}")
                self.dptr[name] = (dp, trips * (len(s.body) + 1) + 1)
        for v in range(s.lo.value, s.hi.value, s.step):  # type: ignore[attr-defined]
            c = ir.Const(v, s.lo.ty)
            body = rewrite_all(s.body, lambda n, c=c: c if isinstance(n, ir.Local) and n.name == s.var else None)
            self.block(fold_block(body, self.data, {}))
        self.facts = saved
        self.dptr = saved_dptr
        self.kill(assigned(s.body))
        self.span_ptrs = saved_ptrs

    def stored_lists(self, body: list[ir.Stmt]) -> set[str]:
        """Lists (locals) stored to by ``body`` whose data pointer cannot move inside it: no append,
        call or assignment of the list variable."""
        if any(isinstance(n, (ir.Append, ir.Call, ir.HostCall, ir.Inline)) for n in walk_all(body)):
            return set()
        names = {n.seq.name for n in walk_all(body) if isinstance(n, ir.SetIndex) and isinstance(n.seq, ir.Local)
                 and isinstance(n.seq.ty, ListType)}
        return names - assigned(body)

    def span_of(self, e: ir.FromBytes, var: str, vr: tuple[int, int],
                frozen: set[str]) -> tuple[str, int, int] | None:
        """(base, lowest offset, end) of ``e``'s bytes relative to an invariant ``int`` base."""
        lf = linear(e.lo)
        if lf is None or e.n is None:
            return None
        c, coeffs = lf
        k = coeffs.pop(var, 0)
        if k < 0 or len(coeffs) != 1:
            return None
        base, coeff = next(iter(coeffs.items()))
        if coeff != 1 or base in frozen or self.local_type(base) != I64:
            return None
        return base, c + k * vr[0], c + k * vr[1] + e.n

    def local_type(self, name: str) -> Type | None:
        return self.func.locals.get(name) or dict(self.func.params).get(name)

    def affine(self, idx: ir.Expr, var: str) -> int | None:
        """c when ``idx`` is ``var + c`` or ``var - c`` (constant c), else None."""
        if isinstance(idx, ir.Local) and idx.name == var:
            return 0
        if isinstance(idx, ir.Arith) and idx.op in ("add", "sub") and isinstance(idx.a, ir.Local) \
                and idx.a.name == var and isinstance(idx.b, ir.Const):
            return idx.b.value if idx.op == "add" else -idx.b.value
        return None

    def row_candidates(self, s: ir.ForRange) -> dict[str, int]:
        """Lists indexed at ``var + c`` (all checks proven) in a body that cannot move list data:
        their element addresses come from one pointer per iteration. Maps list -> smallest c."""
        if s.var in assigned(s.body) or any(isinstance(n, (ir.Call, ir.HostCall, ir.Inline, ir.Append))
                                            for n in walk_all(s.body)):
            return {}
        lowest: dict[str, int] = {}
        count: dict[str, int] = {}
        body_assigned = assigned(s.body)
        for n in walk_all(s.body):
            if isinstance(n, (ir.Index, ir.SetIndex)) and isinstance(n.seq, ir.Local) \
                    and isinstance(n.seq.ty, ListType) and n.seq.name not in body_assigned:
                c = self.affine(n.index, s.var)
                if c is not None:
                    lowest[n.seq.name] = min(lowest.get(n.seq.name, c), c)
                    count[n.seq.name] = count.get(n.seq.name, 0) + 1
        return {k: v for k, v in lowest.items() if count[k] >= 2}

    def emit_for_range(self, s: ir.ForRange, rows: dict[str, int] | None = None) -> None:
        t = s.lo.ty
        w = wt(t)
        signed = isinstance(t, IntType) and t.signed
        ctr = f"${s.counter}"
        self.ex(s.lo)
        self.emit(f"local.set {ctr}")
        if isinstance(s.hi, ir.Const):
            hi = [f"{w}.const {s.hi.value}"]
        else:
            tmp = self.temp(w)
            self.ex(s.hi)
            self.emit(f"local.set {tmp}")
            hi = [f"local.get {tmp}"]
        cmp_exit = ("ge" if s.step > 0 else "le") + ("_s" if signed else "_u")
        cmp_loop = ("lt" if s.step > 0 else "gt") + ("_s" if signed else "_u")
        brk, top, cont = self.label("B"), self.label("L"), self.label("C")
        body_assigned = assigned(s.body)
        self.kill(body_assigned | {s.var, s.counter})
        saved = dict(self.facts)
        (l0, l1), (h0, h1) = self.rng(s.lo), self.rng(s.hi)
        vr = (l0, h1 - 1) if s.step > 0 else (h0 + 1, l1)
        self.ranges[s.counter] = vr
        if s.var not in body_assigned:
            self.ranges[s.var] = vr
        saved_ldp = dict(self.loop_dptr)
        for name in self.invariant_lists(s.body):
            dp = self.temp("i32")
            self.emit(f"local.get ${name}", "i32.load offset=8", f"local.set {dp}")
            self.loop_dptr[name] = dp
        self.emit(f"block {brk}")
        statically_entered = isinstance(s.lo, ir.Const) and isinstance(s.hi, ir.Const) and (
            s.lo.value < s.hi.value if s.step > 0 else s.lo.value > s.hi.value)
        if not statically_entered:
            self.emit(f"local.get {ctr}", *hi, f"{w}.{cmp_exit}", f"br_if {brk}")
        self.emit(f"loop {top}")
        if s.var != s.counter:
            self.emit(f"local.get {ctr}", f"local.set ${s.var}")
        saved_rows = self.rows
        self.rows = dict(saved_rows)
        for name, cmin in (rows or {}).items():
            ty = self.func.locals.get(name) or dict(self.func.params).get(name)
            esz = self.esize(ty)
            rp = self.temp("i32")
            var32 = [f"local.get ${s.var}"] + (["i32.wrap_i64"] if w == "i64" else [])
            self.emit(f"local.get ${name}", "i32.load offset=8", *var32, f"i32.const {cmin}", "i32.add",
                      f"i32.const {SHIFT[esz]}", "i32.shl", "i32.add", f"local.set {rp}")
            self.rows[name] = (s.var, cmin, rp)
        self.emit(f"block {cont}")
        self.loops.append((brk, cont))
        self.block(s.body)
        self.loops.pop()
        self.rows = saved_rows
        self.emit("end")
        bits = t.bits if isinstance(t, IntType) else 64
        step_fits = h1 + s.step <= t.hi if s.step > 0 else l0 + s.step >= t.lo  # the last step cannot wrap
        if abs(s.step) == 1 or bits < 32 or step_fits:
            self.emit(f"local.get {ctr}", f"{w}.const {s.step}", f"{w}.add", f"local.tee {ctr}", *hi,
                      f"{w}.{cmp_loop}", f"br_if {top}", "end", "end")
        else:  # continue while the distance to the bound exceeds the step (no wrap-around near the type's limit)
            dist = [*hi, f"local.get {ctr}"] if s.step > 0 else [f"local.get {ctr}", *hi]
            self.emit(*dist, f"{w}.sub", f"{w}.const {abs(s.step)}", f"{w}.gt_u", f"local.get {ctr}",
                      f"{w}.const {s.step}", f"{w}.add", f"local.set {ctr}", f"br_if {top}", "end", "end")
        self.ranges.pop(s.counter, None)
        self.ranges.pop(s.var, None)
        self.facts = saved
        self.loop_dptr = saved_ldp

    def invariant_lists(self, body: list[ir.Stmt]) -> list[str]:
        """List locals indexed at least 3 times in ``body`` whose data pointer cannot move there (no
        assignment of the variable, append, or call): their data pointer is loaded once per loop."""
        if any(isinstance(n, (ir.Append, ir.Call, ir.HostCall, ir.Inline)) for n in walk_all(body)):
            return []
        uses: dict[str, int] = {}
        for n in walk_all(body):
            if isinstance(n, (ir.Index, ir.SetIndex)) and isinstance(n.seq, ir.Local) \
                    and isinstance(n.seq.ty, ListType) and n.seq.name not in self.loop_dptr:
                uses[n.seq.name] = uses.get(n.seq.name, 0) + 1
        written = assigned(body)
        return [name for name, k in uses.items() if k >= 3 and name not in written]

    def s_ForEach(self, s: ir.ForEach) -> None:
        idx = f"${s.index}"
        seq = s.seq
        brk, top, cont = self.label("B"), self.label("L"), self.label("C")
        self.kill(assigned(s.body) | {s.var, s.index})
        saved = dict(self.facts)
        self.emit("i32.const 0", f"local.set {idx}", f"block {brk}", f"loop {top}")
        self.emit(f"local.get {idx}")
        self.len32(seq)
        self.emit("i32.ge_u", f"br_if {brk}")
        self.elem_load(seq, [f"local.get {idx}"])
        self.emit(f"local.set ${s.var}", f"block {cont}")
        self.loops.append((brk, cont))
        self.block(s.body)
        self.loops.pop()
        self.emit("end", f"local.get {idx}", "i32.const 1", "i32.add", f"local.set {idx}", f"br {top}", "end", "end")
        self.facts = saved

    def s_Break(self, s: ir.Break) -> None:
        self.emit(f"br {self.loops[-1][0]}")

    def s_Continue(self, s: ir.Continue) -> None:
        self.emit(f"br {self.loops[-1][1]}")

