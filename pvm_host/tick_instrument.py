"""Instrument a kernel so that wasmtime counts reference-PVM ticks (:mod:`pvm_host.tick_model`).

:func:`instrument` rewrites a wasm binary: a new exported mutable ``i64`` global
(:data:`COUNTER_EXPORT`) is incremented by the static tick cost of each straight-line stretch of code,
charged just before the control instruction or call that ends it. Costs that depend on run-time values
are computed in wasm: a taken ``br_if`` adds its branch cost through ``select``, and ``memory.copy``
/ ``memory.fill`` / ``memory.init`` add their per-byte cost from the length operand (one scratch ``i32``
local per function). An ``if`` without ``else`` gets an ``else`` that charges the empty branch. At every
loop header and function entry the counter is compared with the remaining budget and the code traps
with ``unreachable`` once it is over (the engine reports that as out of ticks).

Static costs need the operand-stack height of every label, so the rewriter tracks heights the way a
validator does. Approximations (documented in ``docs/HOST.md``): ``br_table`` charges the mean cost
of its targets, ``call_indirect`` the mean locals count of the table's functions of that type.
SIMD (0xFD) is not supported: :class:`Unsupported` is raised and the engine falls back to fuel.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from pvm_host import tick_model as tm
from pvm_spec.wasm_binary import WasmReader, leb128

COUNTER_EXPORT = "__pvm_ticks"


class Unsupported(Exception):
    """The module uses something the tick model does not cover (SIMD)."""


def sleb128(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if (n == 0 and not byte & 0x40) or (n == -1 and byte & 0x40):
            out.append(byte)
            return bytes(out)
        out.append(byte | 0x80)


# Stack effects (pops, pushes) of opcodes with fixed signatures, integer subset of the PVM.
_EFFECT: dict[int, tuple[int, int]] = {0x00: (0, 0), 0x01: (0, 0), 0x1A: (1, 0), 0x1B: (3, 1), 0x1C: (3, 1)}
_EFFECT.update({0x20: (0, 1), 0x21: (1, 0), 0x22: (1, 1), 0x23: (0, 1), 0x24: (1, 0), 0x25: (1, 1), 0x26: (2, 0)})
_EFFECT.update({op: (1, 1) for op in range(0x28, 0x36)})
_EFFECT.update({op: (2, 0) for op in range(0x36, 0x3F)})
_EFFECT.update({0x3F: (0, 1), 0x40: (1, 1), 0x41: (0, 1), 0x42: (0, 1), 0x43: (0, 1), 0x44: (0, 1)})
_EFFECT.update({0x45: (1, 1), 0x50: (1, 1)})
_EFFECT.update({op: (2, 1) for op in [*range(0x46, 0x50), *range(0x51, 0x67)]})
_EFFECT.update({op: (1, 1) for op in [*range(0x67, 0x6A), *range(0x79, 0x7C), *range(0x8B, 0x92), *range(0x99, 0xA0)]})
_EFFECT.update({op: (2, 1) for op in [*range(0x6A, 0x79), *range(0x7C, 0x8B), *range(0x92, 0x99), *range(0xA0, 0xA7)]})
_EFFECT.update({op: (1, 1) for op in range(0xA7, 0xC5)})
_EFFECT.update({0xD0: (0, 1), 0xD1: (1, 1), 0xD2: (0, 1)})
_FC_EFFECT = {8: (3, 0), 9: (0, 0), 10: (3, 0), 11: (3, 0), 12: (3, 0), 13: (0, 0), 14: (3, 0), 15: (2, 1),
              16: (0, 1), 17: (3, 0)}
_FC_EFFECT.update({sub: (1, 1) for sub in range(8)})
_FC_PER_BYTE = {8: tm.PER_BYTE_FILLED, 10: tm.PER_BYTE_COPIED, 11: tm.PER_BYTE_FILLED}


@dataclass
class _Frame:
    kind: int  # 0 function, 0x02 block, 0x03 loop, 0x04 if
    params: int
    results: int
    start: int  # absolute stack height where this label's values begin
    saved: int  # the enclosing label's saved height
    has_else: bool = False


@dataclass
class _Module:
    types: list[tuple[int, int]] = field(default_factory=list)
    func_types: list[int] = field(default_factory=list)  # imported then defined functions
    imported_funcs: int = 0
    imported_globals: int = 0
    globals: int = 0
    func_locals: list[int] = field(default_factory=list)  # defined functions
    table_funcs: list[int] = field(default_factory=list)
    counts: tm.ModuleCounts = field(default_factory=tm.ModuleCounts)


@dataclass
class Instrumented:
    """The rewritten binary and the static decode/link/init ticks of the original."""

    binary: bytes
    load_ticks: int
    counts: tm.ModuleCounts


def _sections(wasm: bytes) -> list[tuple[int, bytes]]:
    r = WasmReader(wasm, 8)
    out = []
    while r.pos < len(wasm):
        sid = r.byte()
        size = r.uleb()
        out.append((sid, wasm[r.pos : r.pos + size]))
        r.skip(size)
    return out


def _skip_limits(r: WasmReader) -> None:
    flags = r.byte()
    r.uleb()
    if flags & 1:
        r.uleb()


def _const_expr(r: WasmReader) -> tuple[int, list[int]]:
    """Skip a constant expression; returns (instruction count, functions referenced by ref.func)."""
    n, funcs = 0, []
    while True:
        op = r.byte()
        if op == 0x0B:
            return n, funcs
        n += 1
        if op in (0x41, 0x42):
            r.sleb()
        elif op in (0x23, 0xD2):
            idx = r.uleb()
            if op == 0xD2:
                funcs.append(idx)
        elif op == 0xD0:
            r.byte()
        elif op == 0x44:
            r.skip(8)
        elif op == 0x43:
            r.skip(4)


def _scan(sections: list[tuple[int, bytes]], m: _Module) -> None:
    c = m.counts
    for sid, body in sections:
        r = WasmReader(body)
        if sid == 0:
            c.custom_sections += 1
        elif sid == 1:
            for _ in range(r.uleb()):
                r.byte()
                p = r.uleb()
                r.skip(p)
                q = r.uleb()
                r.skip(q)
                m.types.append((p, q))
                c.type_values += p + q
            c.types = len(m.types)
        elif sid == 2:
            for _ in range(r.uleb()):
                c.imports += 1
                c.names += len(r.name()) + len(r.name())
                kind = r.byte()
                if kind == 0:
                    m.func_types.append(r.uleb())
                    m.imported_funcs += 1
                elif kind == 1:
                    r.byte()
                    _skip_limits(r)
                elif kind == 2:
                    _skip_limits(r)
                elif kind == 3:
                    r.skip(2)
                    m.imported_globals += 1
        elif sid == 3:
            for _ in range(r.uleb()):
                m.func_types.append(r.uleb())
                c.functions += 1
        elif sid == 4:
            c.tables = r.uleb()
        elif sid == 5:
            c.memories = r.uleb()
        elif sid == 6:
            for _ in range(r.uleb()):
                r.skip(2)
                c.globals += 1
                c.global_instrs += _const_expr(r)[0]
            m.globals = c.globals
        elif sid == 7:
            for _ in range(r.uleb()):
                c.names += len(r.name())
                r.byte()
                r.uleb()
                c.exports += 1
        elif sid == 9:
            _scan_elems(r, m)
        elif sid == 11:
            for _ in range(r.uleb()):
                c.data_segments += 1
                kind = r.uleb()
                if kind == 2:
                    r.uleb()
                if kind != 1:
                    _const_expr(r)
                n = r.uleb()
                c.data_bytes += n
                r.skip(n)


def _scan_elems(r: WasmReader, m: _Module) -> None:
    c = m.counts
    for _ in range(r.uleb()):
        c.elem_segments += 1
        flags = r.uleb()
        if flags & 1 == 0:
            if flags & 2:
                r.uleb()
            _const_expr(r)
        if flags & 3:
            r.byte()  # elemkind or reftype
        n = r.uleb()
        c.elem_entries += n
        for _ in range(n):
            if flags & 4:
                m.table_funcs.extend(_const_expr(r)[1])
            else:
                m.table_funcs.append(r.uleb())


class _Body:
    """Rewrites one function body, tracking stack heights and charging costs."""

    def __init__(self, m: _Module, counter: int, budget_global: int, scratch: int, results: int) -> None:
        self.m, self.counter, self.budget, self.scratch = m, counter, budget_global, scratch
        self.out = bytearray()
        self.pending = 0
        self.h = 0
        self.frames = [_Frame(0, 0, results, 0, 0)]
        self.dead = False

    # ---- emission ----------------------------------------------------------------------------

    def charge(self, extra: int = 0) -> None:
        cost = self.pending + extra
        self.pending = 0
        if cost and not self.dead:
            g = leb128(self.counter)
            self.out += b"\x23" + g + b"\x42" + sleb128(cost) + b"\x7c\x24" + g

    def check_budget(self) -> None:
        g, b = leb128(self.counter), leb128(self.budget)
        self.out += b"\x23" + g + b"\x23" + b + b"\x56\x04\x40\x00\x0b"  # gt_u; if; unreachable; end

    def charge_dynamic(self, per_byte: int) -> None:
        """Charge ``per_byte`` × the i32 on top of the stack (kept there)."""
        s, g = leb128(self.scratch), leb128(self.counter)
        self.out += b"\x21" + s + b"\x23" + g + b"\x20" + s + b"\xad\x42" + sleb128(per_byte)
        self.out += b"\x7e\x7c\x24" + g + b"\x20" + s

    def charge_if_taken(self, taken: int) -> None:
        """Charge ``taken`` if the i32 condition on top of the stack is non-zero (kept there)."""
        s, g = leb128(self.scratch), leb128(self.counter)
        self.out += b"\x21" + s + b"\x23" + g + b"\x42" + sleb128(taken) + b"\x42\x00\x20" + s
        self.out += b"\x1b\x7c\x24" + g + b"\x20" + s

    # ---- stack -------------------------------------------------------------------------------

    def label_height(self) -> int:
        return max(0, self.h - self.frames[-1].start)

    def pop(self, n: int) -> None:
        self.h = max(self.frames[-1].start, self.h - n)

    def branch_cost(self, depth: int) -> int:
        if depth >= len(self.frames):
            return tm.PLAIN
        target = self.frames[-1 - depth]
        if target.kind == 0:
            return tm.branch(depth, target.results, 0, True, False)
        arity = target.params if target.kind == 0x03 else target.results
        return tm.branch(depth, arity, target.saved, False, target.kind == 0x03)

    def block_type(self, r: WasmReader) -> tuple[int, int]:
        bt = r.data[r.pos]
        if bt == 0x40:
            r.skip(1)
            return 0, 0
        if 0x6F <= bt <= 0x7F:
            r.skip(1)
            return 0, 1
        return self.m.types[r.sleb()]

    def push_frame(self, kind: int, params: int, results: int) -> None:
        start = max(self.frames[-1].start, self.h - params)
        saved = start - self.frames[-1].start
        self.frames.append(_Frame(kind, params, results, start, saved))
        self.h = start + params

    # ---- walk --------------------------------------------------------------------------------

    def run(self, r: WasmReader) -> None:
        counts = self.m.counts
        self.check_budget()
        while r.pos < r.end:
            at = r.pos
            op = r.byte()
            if op in (0x02, 0x03, 0x04):
                counts.blocks += 1
                if op == 0x04:
                    counts.ifs += 1
                    self.pop(1)
                params, results = self.block_type(r)
                self.charge(tm.PLAIN + (tm.ADMIN if op == 0x04 else 0))
                self.out += r.data[at : r.pos]
                self.push_frame(op, params, results)
                if op == 0x03:
                    self.check_budget()
                continue
            if op == 0x05:  # else: end of the then-branch
                counts.elses += 1
                frame = self.frames[-1]
                self.charge(tm.block_end(frame.results, frame.saved))
                self.out.append(op)
                frame.has_else = True
                self.dead = False
                self.h = frame.start + frame.params
                continue
            if op == 0x0B:
                frame = self.frames[-1]
                if frame.kind == 0:
                    self.charge(tm.function_end())
                    self.out.append(op)
                    return
                self.charge(tm.block_end(frame.results, frame.saved))
                if frame.kind == 0x04 and not frame.has_else:
                    self.dead = False
                    self.out.append(0x05)
                    self.charge(tm.block_end(frame.results, frame.saved))
                self.out.append(op)
                self.frames.pop()
                self.dead = False
                self.h = frame.start + frame.results
                continue
            counts.instructions += 1
            if op == 0x0C:  # br
                depth = r.uleb()
                self.charge(tm.PLAIN + self.branch_cost(depth))
                self.out += r.data[at : r.pos]
                self.unreachable()
            elif op == 0x0D:  # br_if
                depth = r.uleb()
                self.pop(1)
                self.charge(tm.PLAIN)
                if not self.dead:
                    self.charge_if_taken(tm.ADMIN + self.branch_cost(depth))
                self.out += r.data[at : r.pos]
            elif op == 0x0E:  # br_table
                targets = [r.uleb() for _ in range(r.uleb() + 1)]
                self.pop(1)
                mean = sum(self.branch_cost(d) for d in targets) // len(targets)
                self.charge(tm.PLAIN + tm.ADMIN + mean)
                self.out += r.data[at : r.pos]
                self.unreachable()
            elif op == 0x0F:  # return
                results = self.frames[0].results
                extra = max(0, self.label_height() - results)
                self.charge(tm.PLAIN + tm.ADMIN + extra)
                self.out += r.data[at : r.pos]
                self.unreachable()
            elif op == 0x00:
                self.charge(tm.PLAIN + tm.ADMIN)
                self.out.append(op)
                self.unreachable()
            elif op in (0x10, 0x11):
                self.call(r, op, at)
            elif op == 0xFC:
                sub = r.uleb()
                self.skip_fc(r, sub)
                counts.bulk_data_in_code |= sub in (8, 9)
                pops, pushes = _FC_EFFECT.get(sub, (0, 0))
                per_byte = _FC_PER_BYTE.get(sub)
                self.charge(tm.PLAIN)
                if per_byte is not None and not self.dead:
                    self.charge_dynamic(per_byte)
                self.out += r.data[at : r.pos]
                self.pop(pops)
                self.h += pushes
            elif op == 0xFD:
                raise Unsupported("SIMD instructions (0xfd) are not covered by the tick model")
            else:
                self.skip_immediates(r, op)
                pops, pushes = _EFFECT.get(op, (0, 0))
                self.pending += tm.PLAIN
                self.out += r.data[at : r.pos]
                self.pop(pops)
                self.h += pushes

    def unreachable(self) -> None:
        self.h = self.frames[-1].start
        self.dead = True

    def call(self, r: WasmReader, op: int, at: int) -> None:
        m = self.m
        if op == 0x10:
            callee = r.uleb()
            params, results = m.types[m.func_types[callee]]
            imported = callee < m.imported_funcs
            locals_ = 0 if imported else m.func_locals[callee - m.imported_funcs]
        else:
            type_index = r.uleb()
            r.uleb()
            self.pop(1)
            params, results = m.types[type_index]
            imported = False
            same = [
                m.func_locals[f - m.imported_funcs]
                for f in m.table_funcs
                if f >= m.imported_funcs and m.func_types[f] == type_index
            ]
            locals_ = sum(same) // len(same) if same else 0
        self.pop(params)
        saved = self.label_height()
        cost = tm.PLAIN + (tm.HOST_CALL if imported else tm.wasm_call(params, locals_, results, saved))
        self.charge(cost)
        self.out += r.data[at : r.pos]
        self.h += results

    @staticmethod
    def skip_immediates(r: WasmReader, op: int) -> None:
        if op in (0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0xD2):
            r.uleb()
        elif 0x28 <= op <= 0x3E:
            r.uleb()
            r.uleb()
        elif op in (0x3F, 0x40, 0xD0):
            r.byte()
        elif op in (0x41, 0x42):
            r.sleb()
        elif op == 0x43:
            r.skip(4)
        elif op == 0x44:
            r.skip(8)
        elif op == 0x1C:
            r.skip(r.uleb())

    @staticmethod
    def skip_fc(r: WasmReader, sub: int) -> None:
        if sub in (8, 12, 14):
            r.uleb()
            if sub == 8:
                r.byte()
            else:
                r.uleb()
        elif sub == 10:
            r.skip(2)
        elif sub == 11:
            r.skip(1)
        elif sub in (9, 13, 15, 16, 17):
            r.uleb()


def instrument(wasm: bytes, tick_budget: int) -> Instrumented:
    """Rewrite ``wasm`` (already validated) to count reference ticks; see the module docstring.

    ``tick_budget`` is the allowance of one ``kernel_run``: the code traps at a loop header or function
    entry once the counter exceeds what decode, link and init left of it.
    """
    sections = _sections(wasm)
    m = _Module()
    _scan(sections, m)
    counter = m.imported_globals + m.globals
    budget_global = counter + 1
    sections = [(sid, _rewrite_code(body, m, counter, budget_global) if sid == 10 else body)
                for sid, body in sections]
    load = tm.load_ticks(m.counts)
    new_globals = b"\x7e\x01\x42\x00\x0b" + b"\x7e\x00\x42" + sleb128(max(0, tick_budget - load)) + b"\x0b"
    name = COUNTER_EXPORT.encode()
    added = {6: (2, new_globals), 7: (1, leb128(len(name)) + name + b"\x03" + leb128(counter))}
    out_sections = []
    for sid, body in _ensure(_ensure(sections, 6), 7):
        if sid in added:
            r = WasmReader(body)
            n = r.uleb() if body else 0
            body = leb128(n + added[sid][0]) + body[r.pos :] + added[sid][1]
        out_sections.append((sid, body))
    binary = bytearray(wasm[:8])
    for sid, body in out_sections:
        binary += bytes([sid]) + leb128(len(body)) + body
    return Instrumented(bytes(binary), load, m.counts)


_ORDER = {1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 7, 8: 8, 9: 9, 12: 9.5, 10: 10, 11: 11}


def _ensure(sections: list[tuple[int, bytes]], sid: int) -> list[tuple[int, bytes]]:
    """``sections`` with an empty section ``sid`` inserted at its place if the module has none."""
    if any(s == sid for s, _ in sections):
        return list(sections)
    at = next((i for i, (s, _) in enumerate(sections) if s and _ORDER[s] > _ORDER[sid]), len(sections))
    return [*sections[:at], (sid, b""), *sections[at:]]


def _rewrite_code(body: bytes, m: _Module, counter: int, budget_global: int) -> bytes:
    funcs = rewrite_functions(body, m, lambda _index, scratch, results: _Body(m, counter, budget_global, scratch, results),
                              1)
    return leb128(len(funcs)) + b"".join(leb128(len(f)) + f for f in funcs)


def rewrite_functions(body: bytes, m: _Module, walker: Callable[[int, int, int], _Body], extra_i32: int) -> list[bytes]:
    """Every function of code section ``body`` (locals + rewritten code), with ``extra_i32`` more ``i32``
    locals (the first is the walker's scratch). ``walker(function index, scratch local, results)``
    makes each function's walker. Records the locals counts in ``m``."""
    r = WasmReader(body)
    bodies: list[tuple[int, int, int]] = []  # (code start, end, locals) per function
    for _ in range(r.uleb()):
        size = r.uleb()
        end = r.pos + size
        entries = r.uleb()
        n = 0
        for _ in range(entries):
            n += r.uleb()
            r.byte()
        m.func_locals.append(n)
        m.counts.local_entries += entries
        m.counts.locals += n
        bodies.append((r.pos, end, n))
        r.pos = end
    r = WasmReader(body)
    r.uleb()
    out = []
    for index, (code_start, end, n_locals) in enumerate(bodies):
        r.uleb()  # size
        entries = r.uleb()
        decl = bytearray(leb128(entries + 1)) + body[r.pos : code_start] + leb128(extra_i32) + b"\x7f"
        params, results = m.types[m.func_types[m.imported_funcs + index]]
        func = walker(m.imported_funcs + index, params + n_locals, results)
        func.run(WasmReader(body, code_start, end))
        out.append(bytes(decl) + bytes(func.out))
        r.pos = end
    return out
