"""Statements: assignments, stores, ifs and returns; sinking and hoisting within blocks."""

from __future__ import annotations

from kernel_wasm.codegen import shared
from kernel_wasm.codegen.common import NOT_IN_RUN, STORE, is_pure, is_read_only, wt
from kernel_wasm.ir import nodes as ir
from kernel_wasm.ir.types import BytesType, IntType, ListType, RecordType, wasm_results
from kernel_wasm.ir.walk import assigned, walk


class StatementGen:
    """Mixin of :class:`kernel_wasm.codegen.wat.FuncGen`."""

    def block(self, stmts: list[ir.Stmt], top: bool = False) -> None:
        for i, s in enumerate(stmts):
            self.hoist_const_checks(stmts, i)
            if not self.sink(stmts, i, top):
                self.stmt(s)
            for name in list(self.dptr):
                local, left = self.dptr[name]
                if left <= 1:
                    del self.dptr[name]
                else:
                    self.dptr[name] = (local, left - 1)

    def sink(self, stmts: list[ir.Stmt], i: int, top: bool) -> bool:
        """``x = seq[c]`` (already checked) read once by a later statement of this block, with no memory
        write in between: emit the load at the read instead (saves a local.set/local.get pair)."""
        s = stmts[i]
        if not isinstance(s, ir.Assign) or s.name in self.sunk:
            return False
        v = s.value
        is_load = isinstance(v, ir.Index) and isinstance(v.seq, ir.Local) and isinstance(v.index, ir.Const) \
            and 0 <= v.index.value < self.seq_known_len(v.seq)
        if not (is_load or (is_pure(v) and not isinstance(v, (ir.Local, ir.Const, ir.Data)))):
            return False
        x = s.name
        inputs = {n.name for n in walk(v) if isinstance(n, ir.Local)}
        if x in inputs:
            return False
        once = self.reads.get(x, 0) == 1 and x in self.single
        use: int | None = None
        for j in range(i + 1, len(stmts)):
            t = stmts[j]
            reads = sum(1 for n in walk(t) if isinstance(n, ir.Local) and n.name == x)
            if reads:
                if use is not None or reads > 1 or not isinstance(t, (ir.Assign, ir.SetIndex, ir.Return, ir.ExprStmt)) \
                        or any(isinstance(n, NOT_IN_RUN) for n in walk(t)):
                    return False
                use = j
            elif use is None and (isinstance(t, (ir.If, ir.While, ir.ForRange, ir.ForEach, ir.Unpack))
                                  or (is_load and isinstance(t, (ir.SetIndex, ir.SetField, ir.SetSlice, ir.Append)))
                                  or any(isinstance(n, NOT_IN_RUN) for n in walk(t))):
                return False
            if use is None and isinstance(t, ir.Assign) and t.name in inputs:
                return False
            if use is not None and once:
                break
            if isinstance(t, ir.Assign) and t.name == x:
                if use is None:
                    return False
                break
            if use is not None and isinstance(t, (ir.If, ir.While, ir.ForRange, ir.ForEach)) and x in assigned([t]):
                return False
        else:
            if not ((top or once) and use is not None):
                return False
        saved, self.code = self.code, []
        self.ex(s.value)
        self.sunk[x] = self.code
        self.code = saved
        self.kill({x})
        if x in self.single and isinstance(v.ty, IntType):
            self.ranges[x] = self.rng(v)
        return True

    def hoist_const_checks(self, stmts: list[ir.Stmt], i: int) -> None:
        """Before a straight-line run of statements whose only possible failures are constant-index
        accesses ``seq[c]`` (no calls, host calls or allocation in between), check each sequence once
        against its largest index. Nothing observable happens inside such a run before a failure
        (list stores are in linear memory, reset when the run traps), so only the reported line may
        differ: the one of the largest index."""
        if self.dptr:
            return
        best: dict[str, tuple[int, int, ir.Expr]] = {}
        uses: dict[str, int] = {}
        run = 0
        for s in stmts[i:]:
            accesses = self.run_accesses(s)
            if accesses is None:
                break
            run += 1
            for seq, c, site in accesses:
                uses[seq.name] = uses.get(seq.name, 0) + 1
                if c >= self.seq_known_len(seq) and c > best.get(seq.name, (-1, 0, seq))[0]:
                    best[seq.name] = (c, site, seq)
            if isinstance(s, ir.Assign) and (s.name in uses):
                break
        if sum(uses.values()) < 2:
            return
        for name, (c, site, seq) in best.items():
            self.need_len([f"local.get ${name}"], c, site)
            self.learn_len(seq, c + 1)
        for name, n in uses.items():
            ty = self.func.locals.get(name) or dict(self.func.params).get(name)
            if n >= 2 and isinstance(ty, ListType):
                dp = self.temp("i32")
                self.emit(f"local.get ${name}", "i32.load offset=8", f"local.set {dp}")
                self.dptr[name] = (dp, run)

    def run_accesses(self, s: ir.Stmt) -> list[tuple[ir.Local, int, int]] | None:
        """Constant-index accesses of a statement that may join a hoisting run (None: it may not)."""
        if isinstance(s, ir.Assign):
            roots: list[ir.Expr] = [s.value]
        elif isinstance(s, ir.SetIndex) and isinstance(s.seq, ir.Local) and isinstance(s.index, ir.Const) \
                and s.index.value >= 0 and isinstance(s.seq.ty, ListType):
            roots = [s.value]
        else:
            return None
        out: list[tuple[ir.Local, int, int]] = []
        if isinstance(s, ir.SetIndex):
            out.append((s.seq, s.index.value, s.site))  # type: ignore[arg-type]
        for root in roots:
            for n in walk(root):
                if isinstance(n, ir.Index):
                    if not (isinstance(n.seq, ir.Local) and isinstance(n.index, ir.Const) and n.index.value >= 0):
                        return None
                    out.append((n.seq, n.index.value, n.site))
                elif isinstance(n, NOT_IN_RUN):
                    return None
                elif isinstance(n, ir.Arith) and n.site >= 0 and not self.provably_safe(n, n.ty):
                    return None
                elif isinstance(n, (ir.Neg, ir.Convert)) and n.site >= 0:
                    return None
        return out

    def s_Assign(self, s: ir.Assign) -> None:
        self.ex(s.value)
        self.emit(f"local.set ${s.name}")
        self.kill({s.name})
        if s.name in self.single and isinstance(s.value.ty, IntType):
            self.ranges[s.name] = self.rng(s.value)
        if isinstance(s.value, ir.Len) and isinstance(s.value.a, ir.Local) and s.value.a.name != s.name:
            self.len_alias[s.name] = s.value.a.name
        n = self.built_len(s.value)
        if n:
            self.learn_len(ir.Local(s.name, s.value.ty), n)

    @staticmethod
    def built_len(e: ir.Expr) -> int:
        """The length of a sequence built by ``e`` when known at compile time (0: unknown)."""
        if isinstance(e, ir.MakeList):
            return len(e.items)
        if isinstance(e, (ir.RepeatList, ir.BytesNew)):
            n = e.count if isinstance(e, ir.RepeatList) else e.n
            return n.value if isinstance(n, ir.Const) and 0 < n.value <= 0x7FFFFFFF else 0
        return 0

    def s_Unpack(self, s: ir.Unpack) -> None:
        self.ex(s.value)
        for n in reversed(s.names):
            self.emit(f"local.set ${n}" if n is not None else "drop")
        self.kill({n for n in s.names if n})

    def s_ExprStmt(self, s: ir.ExprStmt) -> None:
        self.ex(s.expr)
        for _ in wasm_results(s.expr.ty):
            self.emit("drop")

    def s_Fail(self, s: ir.Fail) -> None:
        self.fail(s.site)
        self.emit("unreachable")

    def s_If(self, s: ir.If) -> None:
        if isinstance(s.cond, ir.Const):
            self.block(s.then if s.cond.value else s.els)
            return
        saved = dict(self.facts)
        if_true, if_false = self.len_facts(s.cond, True), self.len_facts(s.cond, False)
        levels = 1
        if s.els:
            self.cond(s.cond)
            self.emit("if")
        else:  # `if a and b:` as `if a: if b:` (no boolean result to build); b knows a is true
            groups = self.conjunct_groups(s.cond)
            levels = len(groups)
            for g in groups:
                self.cond(g)
                self.emit("if")
                self.apply_facts(self.len_facts(g, True))
        self.apply_facts(if_true)
        self.block(s.then)
        self.facts = dict(saved)
        if s.els:
            self.emit("else")
            self.apply_facts(if_false)
            self.block(s.els)
            self.facts = dict(saved)
        self.emit(*["end"] * levels)
        changed = assigned(s.then) | assigned(s.els)
        self.kill(changed)
        if self.exits(s.then) and not self.exits(s.els):
            self.apply_facts(if_false, changed)
        elif self.exits(s.els) and not self.exits(s.then):
            self.apply_facts(if_true, changed)

    @staticmethod
    def conjunct_groups(cond: ir.Expr) -> list[ir.Expr]:
        """``cond`` as a list of conditions that all hold exactly when it does, to test one after the
        other: an ``and`` chain split before each operand that cannot be evaluated eagerly (reads
        only memory, no call, no check); eager operands stay with the group before them."""
        def conjuncts(e: ir.Expr) -> list[ir.Expr]:
            if isinstance(e, ir.Logic) and e.op == "and":
                return conjuncts(e.a) + conjuncts(e.b)
            return [e]
        groups: list[ir.Expr] = []
        for c in conjuncts(cond):
            if groups and is_read_only(c):
                groups[-1] = ir.Logic("and", groups[-1], c)
            else:
                groups.append(c)
        return groups

    def s_Return(self, s: ir.Return) -> None:
        for v in s.values:
            self.ex(v)
        extra = self.extra_results(self.returns[-1][2]) if self.returns else \
            self.extra_results(self.func.ret, self.func.name)
        self.emit(*(f"global.set {g}" for g in reversed(extra)))
        if self.returns:
            self.emit(f"br {self.returns[-1][0]}")
        else:
            self.emit("return")

    def s_SetIndex(self, s: ir.SetIndex) -> None:
        esz = self.esize(s.seq.ty)
        store = STORE[esz] if esz != 1 or wt(s.value.ty) == "i32" else "i64.store8"
        if self.shared_index(s.seq, s.index):  # size profile: one call checks and stores
            val = self.hold(s.value) if not is_pure(s.value) else None
            ri = self.rng(s.index)
            is_bytes = isinstance(s.seq.ty, BytesType)
            self.ex(s.seq)
            self.ex(s.index)
            if val is None:
                self.ex(s.value)
            else:
                self.emit(*val)
            self.call_shared(shared.setter_name(esz, is_bytes, store),
                             shared.setter(esz, is_bytes, store, wt(s.value.ty), not self.mod.compact), s.site)
            if ri[0] >= 0:
                self.learn_len(s.seq, ri[0] + 1)
            return
        # the value first (Python's order) unless the address needs no check and the value makes no
        # call (which could append and move the list's data): then the value is computed in place
        ri = self.rng(s.index)
        unchecked = isinstance(s.seq, ir.Local) and 0 <= ri[0] and ri[1] < self.seq_known_len(s.seq) \
            and not any(isinstance(n, (ir.Call, ir.HostCall, ir.Inline)) for n in walk(s.value))
        val = self.hold(s.value) if not (is_pure(s.value) or unchecked) else None
        if val is None:
            addr, off = self.elem_addr(s.seq, s.index, s.site)
            self.emit(*addr)
            self.ex(s.value)
            self.emit(f"{STORE[esz] if esz != 1 or wt(s.value.ty) == 'i32' else 'i64.store8'} offset={off}")
            return
        addr, off = self.elem_addr(s.seq, s.index, s.site)
        self.emit(*addr)
        self.emit(*val)
        self.emit(f"{STORE[esz] if esz != 1 or wt(s.value.ty) == 'i32' else 'i64.store8'} offset={off}")

    def s_SetSlice(self, s: ir.SetSlice) -> None:
        v = s.value
        if isinstance(v, ir.ToBytes) and v.order == "little" and isinstance(v.n, ir.Const) \
                and v.n.value in (1, 2, 4, 8) and not self.shared_checks:
            # ba[lo:hi] = x.to_bytes(n, "little"): store the word in place, no temporary bytes
            self.mod.helpers.add("set_slice_word")
            x64 = self.to_bytes_word(v)
            d = self.hold(s.seq)
            self.slice_bounds(d, s.lo, s.hi, s.site)
            self.emit(*x64, f"i32.const {v.n.value}", *self.site_arg(s.site), "call $set_slice_word")
            return
        self.mod.helpers.add("set_slice")
        val = self.hold(s.value)
        d = self.hold(s.seq)
        self.slice_bounds(d, s.lo, s.hi, s.site)
        self.emit(*val, *self.site_arg(s.site), "call $set_slice")

    def s_SetField(self, s: ir.SetField) -> None:
        rt = s.rec.ty
        assert isinstance(rt, RecordType)
        off = rt.layout()[0][s.name]
        ft = rt.field(s.name)
        self.ex(s.rec)
        self.ex(s.value)
        self.emit(f"{STORE[ft.size]} offset={off}")

    def s_Append(self, s: ir.Append) -> None:
        self.mod.helpers.add("list_slot")
        esz = self.esize(s.seq.ty)
        val = self.hold(s.value)
        self.ex(s.seq)
        if self.mod.shared_checks:  # size profile: one shared routine per element size
            self.emit(*val)
            w = wt(s.seq.ty.elem)
            assert w == ("i64" if esz == 8 else "i32")
            self.call_shared(f"%append{esz}", shared.append(esz, w), None)
            return
        self.emit(f"i32.const {esz}", "call $list_slot", *val, f"{STORE[esz]}")

