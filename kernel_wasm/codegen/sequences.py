"""bytes, bytearray, lists and records: indexing, slicing, building, byte conversions."""

from __future__ import annotations

from kernel_wasm.codegen import shared
from kernel_wasm.codegen.common import LOAD, NOT_IN_RUN, SHIFT, STORE, is_read_only, linear, wt
from kernel_wasm.ir import nodes as ir
from kernel_wasm.ir.types import U8, U64, BytesType, IntType, ListType, RecordType, Type
from kernel_wasm.ir.walk import walk


class SequenceGen:
    """Mixin of :class:`kernel_wasm.codegen.wat.FuncGen`."""

    @staticmethod
    def esize(t: Type) -> int:
        if isinstance(t, BytesType):
            return 1
        assert isinstance(t, ListType)
        return t.elem.size

    def len32(self, seq: ir.Expr) -> None:
        if isinstance(seq, ir.Data):
            self.emit(f"i32.const {seq.length}")
        else:
            self.ex(seq)
            self.emit("i32.load")

    def e_Len(self, e: ir.Len) -> None:
        self.len32(e.a)
        self.emit("i64.extend_i32_u")

    def elem_size(self, seq: ir.Expr) -> int:
        """Bytes per element of ``seq`` in memory (4 for a narrowed constant table)."""
        if isinstance(seq, ir.Data) and seq.addr in self.mod.narrow:
            return 4
        return self.esize(seq.ty)

    def elem_addr(self, seq: ir.Expr, idx: ir.Expr, site: int) -> tuple[list[str], int]:
        """Check ``idx`` against ``seq`` and return (code pushing a base address, constant offset)."""
        esz = self.elem_size(seq)
        is_bytes = isinstance(seq.ty, BytesType)
        if isinstance(idx, ir.Const):
            i = idx.value
            if isinstance(seq, ir.Data):
                if not 0 <= i < seq.length:
                    self.fail(site)
                    return ["i32.const 0"], 0
                if is_bytes:
                    return ["i32.const 0"], seq.addr + 4 + i
                return ["i32.const 0"], self.list_data_addr(seq) + i * esz
            s = self.hold(seq)
            if i < 0:
                self.fail(site)
                return ["i32.const 0"], 0
            if i >= self.seq_known_len(seq):
                self.need_len(s, min(i, 0x7FFFFFFF), site)
                self.learn_len(seq, i + 1)
            if is_bytes:
                return s, 4 + i
            if isinstance(seq, ir.Local) and seq.name in self.dptr:
                return [f"local.get {self.dptr[seq.name][0]}"], i * esz
            if isinstance(seq, ir.Local) and seq.name in self.loop_dptr:
                return [f"local.get {self.loop_dptr[seq.name]}"], i * esz
            return [*s, "i32.load offset=8"], i * esz
        iw = wt(idx.ty)
        ri = self.rng(idx)
        if self.shared_index(seq, idx):
            return self.shared_elem_addr(seq, idx, ri, site)
        s = self.hold(seq) if not isinstance(seq, ir.Data) else None
        row = self.rows.get(seq.name) if isinstance(seq, ir.Local) else None
        if row is not None and 0 <= ri[0] and ri[1] < self.seq_known_len(seq):
            c = self.affine(idx, row[0])
            if c is not None:
                return [f"local.get {row[2]}"], (c - row[1]) * esz
        iv = self.hold(idx)
        # bounds: idx (as unsigned) < len, unless value ranges and known lengths prove it
        proven = 0 <= ri[0] and ri[1] < self.seq_known_len(seq)
        if proven:
            pass
        elif isinstance(seq, ir.Data):
            self.emit(*iv, f"{iw}.const {seq.length}", f"{iw}.ge_u")
            self.fail_if(site)
        else:
            self.emit(*iv, *s, "i32.load")
            if iw == "i64":
                self.emit("i64.extend_i32_u")
            self.emit(f"{iw}.ge_u")
            self.fail_if(site)
            if ri[0] >= 0:
                self.learn_len(seq, ri[0] + 1)
        i32 = [*iv, "i32.wrap_i64"] if iw == "i64" else iv
        scaled = [*i32, f"i32.const {SHIFT[esz]}", "i32.shl"] if esz > 1 else i32
        if isinstance(seq, ir.Data):
            base = 4 if is_bytes else 0
            off = seq.addr + base if is_bytes else self.list_data_addr(seq)
            return scaled, off
        if is_bytes:
            return [*s, *scaled, "i32.add"], 4
        if isinstance(seq, ir.Local) and seq.name in self.loop_dptr:
            return [f"local.get {self.loop_dptr[seq.name]}", *scaled, "i32.add"], 0
        return [*s, "i32.load offset=8", *scaled, "i32.add"], 0

    def shared_index(self, seq: ir.Expr, idx: ir.Expr) -> bool:
        """Size profile: this access is checked by a shared routine."""
        ri = self.rng(idx)
        return self.shared_checks and not isinstance(seq, ir.Data) and wt(idx.ty) == "i64" \
            and not (0 <= ri[0] and ri[1] < self.seq_known_len(seq))

    def shared_elem_addr(self, seq: ir.Expr, idx: ir.Expr, ri: tuple[int, int], site: int) -> tuple[list[str], int]:
        """Size profile: (code evaluating ``seq`` and ``idx`` and calling the shared bounds-checking
        address routine, constant offset)."""
        esz = self.esize(seq.ty)
        is_bytes = isinstance(seq.ty, BytesType)
        saved, self.code = self.code, []
        self.ex(seq)
        self.ex(idx)
        if not self.mod.compact:
            self.emit(f"i32.const {site}")
        code, self.code = self.code, saved
        if ri[0] >= 0:
            self.learn_len(seq, ri[0] + 1)
        name = shared.index_name(esz, is_bytes)
        self.mod.shared.setdefault(name, shared.index(esz, is_bytes, not self.mod.compact))
        return [*code, f"call ${name}"], 4 if is_bytes else 0

    def list_data_addr(self, seq: ir.Data) -> int:
        data = self.mod.prog.data
        rel = seq.addr - self.mod.prog.data_base
        return int.from_bytes(data[rel + 8:rel + 12], "little")

    def load_op(self, t: Type, esz: int) -> str:
        if esz == 1 and t.wasm == "i64":
            return "i64.load8_u"
        return LOAD[esz]

    def e_Index(self, e: ir.Index) -> None:
        esz = self.esize(e.seq.ty)
        if self.shared_index(e.seq, e.index):  # size profile: one call checks and loads
            is_bytes = isinstance(e.seq.ty, BytesType)
            load = self.load_op(e.ty, esz)
            ri = self.rng(e.index)
            self.ex(e.seq)
            self.ex(e.index)
            self.call_shared(shared.getter_name(esz, is_bytes, load),
                             shared.getter(esz, is_bytes, load, not self.mod.compact), e.site)
            if ri[0] >= 0:
                self.learn_len(e.seq, ri[0] + 1)
            return
        addr, off = self.elem_addr(e.seq, e.index, e.site)
        if isinstance(e.seq, ir.Data) and e.seq.addr in self.mod.narrow:
            self.emit(*addr, f"{self.mod.narrow[e.seq.addr][0]} offset={off}")
            return
        self.emit(*addr, f"{self.load_op(e.ty, esz)} offset={off}")

    def elem_load(self, seq: ir.Expr, idx32: list[str]) -> None:
        """Load seq[idx] for an index already known to be in range (i32 code)."""
        esz = self.esize(seq.ty)
        elem = U8 if isinstance(seq.ty, BytesType) else seq.ty.elem
        scaled = [*idx32, f"i32.const {SHIFT[esz]}", "i32.shl"] if esz > 1 else idx32
        if isinstance(seq.ty, BytesType):
            self.ex(seq)
            self.emit(*scaled, "i32.add", f"{self.load_op(elem, esz)} offset=4")
        else:
            self.ex(seq)
            self.emit("i32.load offset=8", *scaled, "i32.add", f"{self.load_op(elem, esz)}")

    def bound_may_fail(self, b: ir.Expr | None) -> bool:
        """Whether slice bound ``b`` may be negative (then the slice fails)."""
        if b is None:
            return False
        if isinstance(b, ir.Const):
            return b.value < 0
        return bool(getattr(b.ty, "signed", False)) and self.rng(b)[0] < 0

    def needs_bound(self, b: ir.Expr | None) -> bool:
        """Whether :meth:`slice_bound` checks ``b`` with the shared ``$%bound`` (size profile)."""
        return b is not None and not isinstance(b, ir.Const) and wt(b.ty) == "i64" and b.ty.signed \
            and self.rng(b)[0] < 0

    def slice_bound(self, b: ir.Expr | None, seq_code: list[str], default: int | None, site: int,
                    held: list[str] | None = None) -> None:
        """Push a slice bound as non-negative i32 (negative fails; large saturates); None: default or len.
        ``held``: code pushing the bound's value, already computed."""
        if b is None:
            if default is None:
                self.emit(*seq_code, "i32.load")
            else:
                self.emit(f"i32.const {default}")
            return
        if isinstance(b, ir.Const):
            if b.value < 0:
                self.fail(site)
                self.emit("i32.const 0")
            else:
                self.emit(f"i32.const {min(b.value, 0x7FFFFFFF)}")
            return
        w = wt(b.ty)
        if self.shared_checks and self.needs_bound(b):
            if held is None:
                self.ex(b)
            else:
                self.emit(*held)
            self.call_shared("%bound", shared.bound(not self.mod.compact), site)
            return
        v = self.hold(b) if held is None else held
        if b.ty.signed and self.rng(b)[0] < 0:
            self.emit(*v, f"{w}.const 0", f"{w}.lt_s")
            self.fail_if(site)
        if w == "i64" and 0 <= self.rng(b)[0] and self.rng(b)[1] <= 0x7FFFFFFF:
            self.emit(*v, "i32.wrap_i64")
        elif w == "i64":
            self.mod.helpers.add("sat32")
            self.emit(*v, "call $sat32")
        else:
            self.emit(*v)
            if not b.ty.signed and b.ty.bits == 32:
                self.emit("i32.const 0x7fffffff", *v, "i32.const 0x7fffffff", "i32.lt_u", "select")

    def e_Slice(self, e: ir.Slice) -> None:
        self.mod.helpers.add("slice")
        if self.shared_checks and self.needs_bound(e.lo) and self.needs_bound(e.hi):  # one call checks both
            self.ex(e.seq)
            self.ex(e.lo)  # type: ignore[arg-type]
            self.ex(e.hi)  # type: ignore[arg-type]
            self.mod.shared.setdefault("%bound", shared.bound(not self.mod.compact))
            self.call_shared("%slice64", shared.slice64(not self.mod.compact), e.site)
            return
        s = self.hold(e.seq)
        self.slice_bounds(s, e.lo, e.hi, e.site)
        self.emit("call $slice")

    def slice_bounds(self, seq_code: list[str], lo: ir.Expr | None, hi: ir.Expr | None, site: int) -> None:
        """Push the sequence and both bounds of ``seq[lo:hi]`` as i32 (see :meth:`slice_bound`). CPython
        evaluates both bounds before the slice checks them, so when the lower one may fail its check
        waits for the upper one, if that may fail or have effects."""
        lo_v = hi_v = None
        if self.bound_may_fail(lo) and hi is not None and not is_read_only(hi):
            lo_v = self.hold(lo)  # type: ignore[arg-type]
            hi_v = self.hold(hi)
        self.emit(*seq_code)
        self.slice_bound(lo, seq_code, 0, site, lo_v)
        self.slice_bound(hi, seq_code, None, site, hi_v)

    def e_Field(self, e: ir.Field) -> None:
        rt = e.rec.ty
        assert isinstance(rt, RecordType)
        off = rt.layout()[0][e.name]
        self.ex(e.rec)
        self.emit(f"{LOAD[e.ty.size]} offset={off}")

    def e_MakeRecord(self, e: ir.MakeRecord) -> None:
        rt = e.ty
        assert isinstance(rt, RecordType)
        offsets, size = rt.layout()
        # fields are evaluated into the fresh (zeroed) record in order; zero constants need no store.
        # Only an out-of-memory failure of the allocation could be observed earlier than in CPython.
        p = self.temp("i32")
        self.emit(f"i32.const {size}", "call $alloc", f"local.set {p}")
        for (fname, ft), a in zip(rt.fields, e.args):
            if isinstance(a, ir.Const) and a.value == 0:
                continue
            self.emit(f"local.get {p}")
            self.ex(a)
            self.emit(f"{STORE[ft.size]} offset={offsets[fname]}")
        self.emit(f"local.get {p}")

    def e_MakeList(self, e: ir.MakeList) -> None:
        self.mod.helpers.add("list_new")
        esz = self.esize(e.ty)
        self.hoist_item_checks(e.items)
        if not e.items and self.mod.shared_checks:  # size profile: `[]` is a call to a shared routine
            self.call_shared(f"%empty{esz}", shared.empty_list(esz), None)
            return
        p = self.temp("i32")
        self.emit(f"i32.const {len(e.items)}")
        self.list_new(esz)
        self.emit(f"local.tee {p}")
        if e.items:  # items evaluated into the fresh (zeroed) list in order, as for records
            d = self.temp("i32")
            self.emit("i32.load offset=8", f"local.set {d}")
            for i, a in enumerate(e.items):
                if isinstance(a, ir.Const) and a.value == 0:
                    continue
                self.emit(f"local.get {d}")
                self.ex(a)
                self.emit(f"{STORE[esz]} offset={i * esz}")
            self.emit(f"local.get {p}")

    def list_new(self, esz: int) -> None:
        """Call ``$list_new(n, esz)`` with n pushed."""
        self.mod.helpers.add("list_new")
        self.emit(f"i32.const {esz}", "call $list_new")

    def need_len(self, seq: list[str], c: int, site: int) -> None:
        """Fail unless the sequence pushed by ``seq`` has more than ``c`` elements."""
        self.emit(*seq)
        if self.shared_checks:
            self.emit(f"i32.const {c}")
            self.call_shared("%need", shared.need(not self.mod.compact), site)
            return
        self.emit("i32.load", f"i32.const {c}", "i32.le_u")
        self.fail_if(site)

    def hoist_item_checks(self, items: list[ir.Expr]) -> None:
        """Items that can fail only at constant indexes ``seq[c]``: check each sequence once, against
        its largest index, before any item (nothing observable happens between them)."""
        best: dict[str, tuple[int, int, ir.Local]] = {}
        for item in items:
            for n in walk(item):
                if isinstance(n, NOT_IN_RUN):
                    return
                if isinstance(n, ir.Index):
                    if not (isinstance(n.seq, ir.Local) and isinstance(n.index, ir.Const) and n.index.value >= 0):
                        return
                    c = n.index.value
                    if c >= self.seq_known_len(n.seq) and c > best.get(n.seq.name, (-1, 0, n.seq))[0]:
                        best[n.seq.name] = (c, n.site, n.seq)
        for name, (c, site, seq) in best.items():
            self.need_len([f"local.get ${name}"], c, site)
            self.learn_len(seq, c + 1)

    def e_RepeatList(self, e: ir.RepeatList) -> None:
        self.mod.helpers.add("list_new")
        self.mod.helpers.add("sat32")
        esz = self.esize(e.ty)
        item = self.hold(e.item)
        # Python: a negative count gives an empty list
        if isinstance(e.count, ir.Const):
            self.emit(f"i32.const {min(max(e.count.value, 0), 0x7FFFFFFF)}")
        elif self.shared_checks:
            self.ex(e.count)
            self.call_shared("%count", shared.count(), None)
        else:
            n = self.hold(e.count)
            self.emit(*n, "i64.const 0", *n, "i64.const 0", "i64.gt_s", "select", "call $sat32")
        p = self.temp("i32")
        self.list_new(esz)
        self.emit(f"local.set {p}")
        if not (isinstance(e.item, ir.Const) and e.item.value == 0) and self.shared_checks:
            self.emit(f"local.get {p}", *item)
            w = "i64" if esz == 8 else "i32"
            self.call_shared(f"%fill{esz}", shared.fill(esz, w), None)
        elif not (isinstance(e.item, ir.Const) and e.item.value == 0):
            i = self.temp("i32")
            d = self.temp("i32")
            brk, top = self.label("B"), self.label("L")
            self.emit(f"local.get {p}", "i32.load offset=8", f"local.set {d}", "i32.const 0", f"local.set {i}",
                      f"block {brk}", f"loop {top}", f"local.get {i}", f"local.get {p}", "i32.load", "i32.ge_u",
                      f"br_if {brk}", f"local.get {d}", f"local.get {i}", f"i32.const {SHIFT[esz]}", "i32.shl",
                      "i32.add", *item, f"{STORE[esz]}", f"local.get {i}", "i32.const 1", "i32.add",
                      f"local.set {i}", f"br {top}", "end", "end")
        self.emit(f"local.get {p}")

    def e_Concat(self, e: ir.Concat) -> None:
        """``a + b + c + ...``; in the size profile three parts at a time through ``$%concat3``."""
        self.mod.helpers.add("concat")
        parts = [e.b]
        head: ir.Expr = e.a
        while isinstance(head, ir.Concat) and self.shared_checks:
            parts.append(head.b)
            head = head.a
        parts.reverse()
        self.ex(head)
        while parts:
            if len(parts) >= 2:
                self.ex(parts.pop(0))
                self.ex(parts.pop(0))
                self.call_shared("%concat3", shared.concat3(), None)
            else:
                self.ex(parts.pop(0))
                self.emit("call $concat")

    def e_BytesCmp(self, e: ir.BytesCmp) -> None:
        if e.op in ("eq", "ne"):
            self.mod.helpers.add("bytes_eq")
            self.ex(e.a)
            self.ex(e.b)
            self.emit("call $bytes_eq")
            if e.op == "ne":
                self.emit("i32.eqz")
            return
        self.mod.helpers.add("bytes_cmp")
        self.ex(e.a)
        self.ex(e.b)
        self.emit("call $bytes_cmp", "i32.const 0", f"i32.{e.op}_s")

    def e_BytesNew(self, e: ir.BytesNew) -> None:
        self.mod.helpers.add("bytes_new64")
        self.ex(e.n)
        self.emit(*self.site_arg(e.site), "call $bytes_new64")

    def e_BytesCopy(self, e: ir.BytesCopy) -> None:
        self.mod.helpers.add("bytes_copy")
        self.ex(e.a)
        self.emit("call $bytes_copy")

    def e_FromBytes(self, e: ir.FromBytes) -> None:
        big = e.order == "big"
        ty = e.ty
        assert isinstance(ty, IntType)
        n = e.n
        if n is not None and e.lo is not None and 0 < n <= 8 and self.in_span(e):
            ptr = self.span_pointer(e)
            if ptr is not None:
                self.fast_from_bytes([f"local.get {ptr[0]}"], [], n, big, ptr[1])
                self.fit_u64(ty, n, e.site)
                return
            s = self.hold(e.seq)
            self.ex(e.lo)
            self.emit("i32.wrap_i64")
            t = self.temp("i32")
            self.emit(*s, "i32.add", f"local.set {t}")
            self.fast_from_bytes([f"local.get {t}"], [], n, big, 0)
            self.fit_u64(ty, n, e.site)
            return
        if n is not None and e.lo is not None and 0 < n <= 8 and self.shared_checks \
                and wt(e.lo.ty) == "i64" and e.lo.ty.signed and not isinstance(e.lo, ir.Const) \
                and not (self.rng(e.lo)[0] >= 0 and self.rng(e.lo)[1] + n <= self.seq_known_len(e.seq)):
            # size profile, range unproven: the general routine, lo checked and clamped by %bound
            self.mod.helpers.add("from_bytes")
            self.ex(e.seq)
            self.ex(e.lo)
            self.call_shared("%bound", shared.bound(not self.mod.compact), self.bounds_site(e.site))
            self.emit(f"i32.const {n}")
            self.call_from_bytes(big, e.site)
            self.fit_u64(ty, n, e.site)
            return
        if n is not None and e.lo is not None and 0 < n <= 8:
            s = self.hold(e.seq)
            lo = e.lo
            lw = wt(lo.ty)
            lv = self.hold(lo)
            if lo.ty.signed and not isinstance(lo, ir.Const):
                self.emit(*lv, f"{lw}.const 0", f"{lw}.lt_s")
                self.fail_if(self.bounds_site(e.site))
            elif isinstance(lo, ir.Const) and lo.value < 0:
                self.fail(self.bounds_site(e.site))
            # in range: lo + n <= len (computed in i64 to avoid wrap)
            lo64 = [*lv] if lw == "i64" else [*lv, "i64.extend_i32_u"]
            rl = self.rng(lo)
            if isinstance(e.seq, ir.Data) and isinstance(lo, ir.Const):
                fast_ok = lo.value + n <= e.seq.length
                cond: list[str] | None = None
            elif rl[0] >= 0 and rl[1] + n <= self.seq_known_len(e.seq):
                fast_ok, cond = True, None
            else:
                fast_ok = None
                cond = [*lo64, f"i64.const {n}", "i64.add", *s, "i32.load", "i64.extend_i32_u", "i64.le_u"]
            lo32 = [*lv, "i32.wrap_i64"] if lw == "i64" else lv
            if cond is not None and self.shared_checks:  # size: the general routine only
                fast_ok, cond = False, None
            if cond is not None:
                self.emit(*cond, "if (result i64)")
            if fast_ok is not False:
                self.fast_from_bytes(s, lo32, n, big, isinstance(lo, ir.Const) and lo.value)
            if cond is not None:
                self.emit("else")
            if fast_ok is not True:
                self.mod.helpers.add("from_bytes")
                self.mod.helpers.add("sat32")
                self.emit(*s, *lo64, "call $sat32", f"i32.const {n}")
                self.call_from_bytes(big, e.site)
            if cond is not None:
                self.emit("end")
            self.fit_u64(ty, n, e.site)
            return
        self.mod.helpers.add("from_bytes")
        self.ex(e.seq)
        if big and self.mod.compact and self.shared_checks:  # int.from_bytes(b, "big"): the whole of b
            self.mod.shared.setdefault("%from_be", shared.from_be())
            self.call_shared("%from_be_all", shared.from_be_all(), None)
        else:
            self.emit("i32.const 0", "i32.const 0x7fffffff")
            self.call_from_bytes(big, e.site)
        self.fit_u64(ty, None, e.site)

    def in_span(self, e: ir.FromBytes) -> bool:
        """``e`` reads inside a span proven by the enclosing loop's check-free copy."""
        if not isinstance(e.seq, ir.Local) or e.lo is None or e.n is None:
            return False
        lf = linear(e.lo)
        if lf is None:
            return False
        c, coeffs = lf
        for (seq, base), (var, lo_min, end) in self.spans.items():
            if seq != e.seq.name or coeffs.get(base) != 1 or set(coeffs) - {base, var}:
                continue
            k = coeffs.get(var, 0)
            vr = self.ranges.get(var)
            if k < 0 or (k and vr is None):
                continue
            lo_lo, lo_hi = (c + k * vr[0], c + k * vr[1]) if k else (c, c)
            if lo_min <= lo_lo and lo_hi + e.n <= end:
                return True
        return False

    def span_pointer(self, e: ir.FromBytes) -> tuple[str, int] | None:
        """(pointer local, constant offset) when ``e`` reads at ``base + c`` of a span with a base pointer."""
        lf = linear(e.lo) if e.lo is not None else None
        if lf is None or not isinstance(e.seq, ir.Local):
            return None
        c, coeffs = lf
        if len(coeffs) != 1 or c < 0:
            return None
        base, k = next(iter(coeffs.items()))
        ptr = self.span_ptrs.get((e.seq.name, base))
        return (ptr, c) if k == 1 and ptr is not None else None

    def bounds_site(self, site: int) -> int:
        s = self.mod.prog.sites[site]
        cache = self.mod.__dict__.setdefault("_bnd_sites", {})
        if site not in cache:
            nid = len(self.mod.prog.sites)
            self.mod.prog.sites.append(ir.Site(nid, s.file, s.line, s.col, "bounds", "negative slice bound"))
            cache[site] = nid
        return cache[site]

    def call_from_bytes(self, big: bool, site: int) -> None:
        """Call ``$from_bytes`` with (seq, lo, n) pushed; in compact size builds big-endian reads go
        through ``$%from_be``, one argument fewer at each call."""
        self.mod.helpers.add("from_bytes")
        if big and self.mod.compact and self.shared_checks:
            self.call_shared("%from_be", shared.from_be(), None)
        else:
            self.emit(f"i32.const {int(big)}", *self.site_arg(site), "call $from_bytes")

    def fast_from_bytes(self, s: list[str], lo32: list[str], n: int, big: bool, const_lo: int | bool) -> None:
        """Push the u64 value of n (1..8) bytes at seq+4+lo, known in range."""
        if isinstance(const_lo, int) and not isinstance(const_lo, bool):
            base, off = s, 4 + const_lo
        else:
            base, off = [*s, *lo32, "i32.add"], 4
        if not big and n in (1, 2, 4, 8):
            op = {1: "i64.load8_u", 2: "i64.load16_u", 4: "i64.load32_u", 8: "i64.load"}[n]
            self.emit(*base, f"{op} offset={off}")
            return
        if self.shared_checks and n > 1:
            self.emit(*base, f"i32.const {off}", "i32.add", f"i32.const {n}")
            self.call_shared("%load_be", shared.load_be(), None)
            return
        addr = base
        if len(base) > 1:
            t = self.temp("i32")
            self.emit(*base, f"local.set {t}")
            addr = [f"local.get {t}"]
        for k in range(n):
            pos = k if big else n - 1 - k
            self.emit(*addr, f"i64.load8_u offset={off + pos}")
            shift = 8 * (n - 1 - k)
            if shift:
                self.emit(f"i64.const {shift}", "i64.shl")
            if k:
                self.emit("i64.or")

    def fit_u64(self, ty: IntType, n: int | None, site: int) -> None:
        """Convert a u64 value on the stack to ``ty``, failing when it does not fit."""
        bits = 8 * n if n is not None else 64
        limit_bits = ty.bits - (1 if ty.signed else 0)
        if bits > limit_bits and self.shared_checks:
            self.call_shared(shared.convert_name(U64, ty), shared.convert(U64, ty, not self.mod.compact), site)
        elif bits > limit_bits:
            t = self.temp("i64")
            self.emit(f"local.tee {t}", f"i64.const {self.signed_repr(ty.hi, 'i64')}", "i64.gt_u")
            self.fail_if(site)
            self.emit(f"local.get {t}")
        if ty.wasm == "i32":
            self.emit("i32.wrap_i64")

    def to_bytes_word(self, e: ir.ToBytes) -> list[str]:
        """Check that ``e.a`` is non-negative and fits ``e.n`` (a non-negative constant) bytes; return
        code pushing its value as i64."""
        src = e.a.ty
        assert isinstance(src, IntType) and isinstance(e.n, ir.Const) and e.n.value >= 0
        x = self.hold(e.a)
        w = src.wasm
        x64 = x if w == "i64" else [*x, "i64.extend_i32_u" if not src.signed else "i64.extend_i32_s"]
        lo, hi = self.rng(e.a)
        negative = src.signed and lo < 0
        narrower = 8 * e.n.value < src.bits
        if narrower and (negative or hi >= 1 << (8 * e.n.value)):  # one unsigned test: negatives are above
            self.emit(*x64, f"i64.const {(1 << (8 * e.n.value)) - 1}", "i64.gt_u")
            self.fail_if(e.site)
        elif negative:
            self.emit(*x, f"{w}.const 0", f"{w}.lt_s")
            self.fail_if(e.site)
        return x64

    def e_ToBytes(self, e: ir.ToBytes) -> None:
        src = e.a.ty
        assert isinstance(src, IntType)
        big = e.order == "big"
        n_const = e.n.value if isinstance(e.n, ir.Const) else None
        if n_const is not None and n_const >= 0:
            x64 = self.to_bytes_word(e)
        else:
            x = self.hold(e.a)
            w = src.wasm
            x64 = x if w == "i64" else [*x, "i64.extend_i32_u" if not src.signed else "i64.extend_i32_s"]
            if src.signed:
                self.emit(*x, f"{w}.const 0", f"{w}.lt_s")
                self.fail_if(e.site)
        if n_const is not None:
            if n_const < 0:
                self.fail(e.site)
                self.emit("i32.const 0")
                return
            if self.shared_checks and big and 1 < n_const <= 8:
                self.mod.helpers.add("bytes_new")
                self.mod.shared.setdefault("%bytes_be", shared.store_be())
                if n_const == 8:  # the common x.to_bytes(8, "big"): one argument fewer at each call
                    self.emit(*x64)
                    self.call_shared("%bytes_be8", shared.store_be8(), None)
                else:
                    self.emit(*x64, f"i32.const {n_const}", "call $%bytes_be")
                return
            if n_const <= 8:
                self.mod.helpers.add("bytes_new")
                p = self.temp("i32")
                self.emit(f"i32.const {n_const}", "call $bytes_new", f"local.set {p}")
                if not big and n_const in (1, 2, 4, 8):
                    op = {1: "i64.store8", 2: "i64.store16", 4: "i64.store32", 8: "i64.store"}[n_const]
                    self.emit(f"local.get {p}", *x64, f"{op} offset=4")
                else:
                    for k in range(n_const):
                        pos = (n_const - 1 - k) if big else k
                        self.emit(f"local.get {p}", *x64)
                        if k:
                            self.emit(f"i64.const {8 * k}", "i64.shr_u")
                        self.emit(f"i64.store8 offset={4 + pos}")
                self.emit(f"local.get {p}")
                return
        else:
            # n dynamic: x < 2**(8n) unless n >= 8
            n = self.hold(e.n)
            if src.bits > 0:
                self.emit(*n, "i64.const 8", "i64.lt_s", "if (result i32)", *x64, *n, "i64.const 3", "i64.shl",
                          "i64.shr_u", "i64.const 0", "i64.ne", "else", "i32.const 0", "end")
                self.fail_if(e.site)
        self.mod.helpers.add("to_bytes")
        self.emit(*x64)
        self.ex(e.n)
        self.emit(f"i32.const {int(big)}", *self.site_arg(e.site), "call $to_bytes")

