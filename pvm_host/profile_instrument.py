"""Instrument a kernel for the tick profiler (:mod:`pvm_host.profiler`): tick counting plus a calling-context tree.

:func:`instrument_profile` rewrites a wasm binary the way :mod:`pvm_host.tick_instrument` does (an exported
``i64`` tick counter, :data:`~pvm_host.tick_instrument.COUNTER_EXPORT`, charged per straight-line stretch),
with the costs of either tick model: ``reference`` (the same walker as the engine's) or ``fuel`` (wasmtime's
fuel rule: one per operator except ``nop``, ``drop``, ``block``, ``loop``, ``unreachable``, ``return``,
``else`` and ``end``, plus one per function invocation, per byte or element of bulk memory and table
operations and per page or element a ``grow`` adds; charged before each control instruction).

On top it records a calling-context tree in a second memory (:data:`MEMORY_EXPORT`, so the profiled module
needs wasmtime's multi-memory; the kernel's own memory is untouched). Two helper functions are appended
(existing function indices do not move):

- ``enter(f) -> node``, called at the entry of every defined function ``f``: adds the ticks counted since
  the last switch (``counter - last``) to the current node, finds or creates the child ``(current, f)``
  (hash table of 65,536 buckets), counts a call on it and makes it current;
- ``resume(node)``, called after every call that may have entered wasm code (direct calls to defined
  functions, all ``call_indirect``): adds the callee's trailing ticks to the current node (the callee's)
  and makes ``node`` — the caller's, kept in a local — current again.

So every counted tick lands in exactly one node: the profile sums to the counter. Host calls do not switch
nodes: before each one the code stores the imported function's index in :data:`IMPORT_EXPORT` (``-1`` before a
``call_indirect``), and the profiler charges the host function's ticks to (current node, that import).
Node records (32 bytes at ``NODES + 32·id``): parent ``i32``, function ``i32``, self ticks ``i64``,
calls ``i64``, next in bucket ``i32``; node 0 is the root (the host).
"""

from __future__ import annotations

from pvm_host.tick_instrument import (
    COUNTER_EXPORT,
    Unsupported,
    _Body,
    _ensure,
    _Module,
    _scan,
    _sections,
    rewrite_functions,
    sleb128,
)
from pvm_host.tick_model import load_ticks
from pvm_spec.wasm_binary import WasmReader, leb128

MEMORY_EXPORT = "__pvm_profile_memory"
NODE_EXPORT = "__pvm_profile_node"
LAST_EXPORT = "__pvm_profile_last"
COUNT_EXPORT = "__pvm_profile_count"
IMPORT_EXPORT = "__pvm_profile_import"
BUCKETS = 1 << 16
NODES = 4 * BUCKETS  # byte offset of node 0, after the bucket heads
NODE_SIZE = 32
INITIAL_PAGES = NODES // 65536 + 16
GROW_PAGES = 16
_NO_FUEL = {0x01, 0x1A}  # nop, drop: no fuel (block/loop/else/end/unreachable/return are handled apart)
_PER_UNIT = {8, 10, 11, 12, 14, 17}  # memory.init/copy/fill, table.init/copy/fill: + the length operand


class _Hooks:
    """Indices the per-function hooks need."""

    def __init__(self, m: _Module, import_global: int) -> None:
        total = len(m.func_types)
        self.enter, self.resume, self.imported = total, total + 1, m.imported_funcs
        self.import_global = leb128(import_global)

    def entry(self, func: int, node_local: int) -> bytes:
        return b"\x41" + sleb128(func) + b"\x10" + leb128(self.enter) + b"\x21" + leb128(node_local)

    def before_call(self, op: int, callee: int) -> bytes:
        if op == 0x10 and callee >= self.imported:
            return b""
        return b"\x41" + sleb128(callee if op == 0x10 else -1) + b"\x24" + self.import_global

    def after_call(self, op: int, callee: int, node_local: int) -> bytes:
        if op == 0x10 and callee < self.imported:
            return b""  # a host function: the current node does not change
        return b"\x20" + leb128(node_local) + b"\x10" + leb128(self.resume)


class _ReferenceBody(_Body):
    """The engine's reference-model walker, plus the profiling hooks."""

    def __init__(self, m: _Module, counter: int, budget: int, scratch: int, results: int,
                 hooks: _Hooks, func: int) -> None:
        super().__init__(m, counter, budget, scratch, results)
        self.hooks, self.func, self.node_local = hooks, func, scratch + 1

    def run(self, r: WasmReader) -> None:
        self.out += self.hooks.entry(self.func, self.node_local)
        super().run(r)

    def call(self, r: WasmReader, op: int, at: int) -> None:
        dead = self.dead
        super().call(r, op, at)
        if not dead:
            callee = WasmReader(r.data, at + 1).uleb()
            instruction = self.out[at - r.pos :]
            del self.out[at - r.pos :]
            self.out += self.hooks.before_call(op, callee) + instruction
            self.out += self.hooks.after_call(op, callee, self.node_local)


class _FuelBody(_Body):
    """wasmtime's fuel rule, charged before each control instruction, plus the profiling hooks."""

    def __init__(self, m: _Module, counter: int, budget: int, scratch: int, results: int,
                 hooks: _Hooks, func: int) -> None:
        super().__init__(m, counter, budget, scratch, results)
        self.hooks, self.func, self.node_local = hooks, func, scratch + 1

    def run(self, r: WasmReader) -> None:
        self.out += self.hooks.entry(self.func, self.node_local)
        self.check_budget()
        self.pending = 1  # wasmtime charges one per function invocation
        depth = 0
        while r.pos < r.end:
            at = r.pos
            op = r.byte()
            if op in (0x02, 0x03, 0x04):  # block, loop: free; if: one
                self.pending += op == 0x04
                self.block_type(r)
                self.charge()
                self.out += r.data[at : r.pos]
                depth += 1
                if op == 0x03:
                    self.check_budget()
            elif op in (0x05, 0x0B, 0x00, 0x0F):  # else, end, unreachable, return: free
                self.charge()
                self.out.append(op)
                if op == 0x0B:
                    if depth == 0:
                        return
                    depth -= 1
            elif op in (0x0C, 0x0D, 0x0E):  # br, br_if, br_table
                if op == 0x0E:
                    for _ in range(r.uleb() + 1):
                        r.uleb()
                else:
                    r.uleb()
                self.pending += 1
                self.charge()
                self.out += r.data[at : r.pos]
            elif op in (0x10, 0x11):
                callee = r.uleb()
                if op == 0x11:
                    r.uleb()
                self.pending += 1
                self.charge()
                self.out += self.hooks.before_call(op, callee) + r.data[at : r.pos]
                self.out += self.hooks.after_call(op, callee, self.node_local)
            elif op == 0xFC:
                sub = r.uleb()
                self.skip_fc(r, sub)
                self.pending += 1
                self.charge()
                if sub in _PER_UNIT:  # bulk memory/table operations: one more per byte or element
                    self.charge_dynamic(1)
                if sub == 15:
                    self.grow(r.data[at : r.pos])
                else:
                    self.out += r.data[at : r.pos]
            elif op == 0x40:  # memory.grow: one more per page actually added
                self.skip_immediates(r, op)
                self.pending += 1
                self.charge()
                self.grow(r.data[at : r.pos])
            elif op == 0xFD:
                raise Unsupported("SIMD instructions (0xfd) are not covered by the profiler")
            else:
                self.skip_immediates(r, op)
                self.pending += op not in _NO_FUEL
                self.out += r.data[at : r.pos]

    def grow(self, instruction: bytes) -> None:
        """``memory.grow`` / ``table.grow``, charging the delta (on the stack) once it succeeded."""
        g, s, c = leb128(self.node_local + 1), leb128(self.scratch), leb128(self.counter)
        self.out += b"\x22" + g + instruction + b"\x22" + s + b"\x23" + c + b"\x20" + g + b"\xad\x42\x00"
        self.out += b"\x20" + s + b"\x41\x7f\x47\x1b\x7c\x24" + c


def _mem(op: int, align: int, offset: int) -> bytes:
    """A load/store on memory 1 (multi-memory memarg: alignment flag bit 6, then the memory index)."""
    return bytes([op]) + leb128(align | 0x40) + b"\x01" + leb128(offset)


def _helpers(counter: int, last: int, cur: int, count: int) -> tuple[bytes, bytes]:
    """Bodies (locals + code) of ``enter(f: i32) -> i32`` and ``resume(node: i32)``."""
    g = {name: leb128(idx) for name, idx in (("counter", counter), ("last", last), ("cur", cur), ("count", count))}
    shl5 = b"\x41\x05\x74"  # i32.const 5; i32.shl
    cur_addr = b"\x23" + g["cur"] + shl5
    flush = (cur_addr + cur_addr + _mem(0x29, 3, NODES + 8) + b"\x23" + g["counter"] + b"\x23" + g["last"]
             + b"\x7d\x7c" + _mem(0x37, 3, NODES + 8) + b"\x23" + g["counter"] + b"\x24" + g["last"])
    resume = b"\x00" + flush + b"\x20\x00\x24" + g["cur"] + b"\x0b"

    node = b"\x20\x01" + shl5  # local 1 (node) * 32
    bucket = (b"\x23" + g["cur"] + b"\x41" + sleb128(-0x61C8864F) + b"\x6c" + b"\x20\x00\x41" + sleb128(-0x7A143595)
              + b"\x6c\x73\x41\x10\x76\x41\x02\x74\x21\x02")  # ((cur·φ) ^ (f·c)) >> 16 << 2
    scan = (b"\x02\x40\x02\x40\x03\x40"  # block $found; block $missing; loop
            + b"\x20\x01\x45\x0d\x01"  # node == 0 → missing
            + node + _mem(0x28, 2, NODES) + b"\x23" + g["cur"] + b"\x46"
            + node + _mem(0x28, 2, NODES + 4) + b"\x20\x00\x46\x71\x0d\x02"  # parent and func match → found
            + node + _mem(0x28, 2, NODES + 24) + b"\x21\x01\x0c\x00\x0b\x0b")  # next; br loop; end; end
    grow = (b"\x20\x01\x41\x01\x6a" + shl5 + b"\x41" + sleb128(NODES) + b"\x6a"
            + b"\x3f\x01\x41\x10\x74\x4b\x04\x40\x41" + sleb128(GROW_PAGES) + b"\x40\x01\x1a\x0b")
    create = (b"\x23" + g["count"] + b"\x41\x01\x6a\x22\x01\x24" + g["count"] + grow
              + node + b"\x23" + g["cur"] + _mem(0x36, 2, NODES)
              + node + b"\x20\x00" + _mem(0x36, 2, NODES + 4)
              + node + b"\x20\x02" + _mem(0x28, 2, 0) + _mem(0x36, 2, NODES + 24)
              + b"\x20\x02\x20\x01" + _mem(0x36, 2, 0) + b"\x0b")  # bucket head = node; end $found
    found = (node + node + _mem(0x29, 3, NODES + 16) + b"\x42\x01\x7c" + _mem(0x37, 3, NODES + 16)
             + b"\x20\x01\x24" + g["cur"] + b"\x20\x01\x0b")
    enter = b"\x01\x02\x7f" + flush + bucket + b"\x20\x02" + _mem(0x28, 2, 0) + b"\x21\x01" + scan + create + found
    return enter, resume


def _vector(body: bytes, extra: list[bytes]) -> bytes:
    """A vector section's body with ``extra`` entries appended."""
    r = WasmReader(body)
    n = r.uleb() if body else 0
    return leb128(n + len(extra)) + body[r.pos :] + b"".join(extra)


def instrument_profile(wasm: bytes, tick_budget: int, tick_model: str) -> tuple[bytes, int]:
    """The profiling rewrite of ``wasm`` (already validated) and its decode/link/init ticks (0 for fuel).

    Raises :class:`Unsupported` for SIMD code.
    """
    fuel = tick_model == "fuel"
    sections = _sections(wasm)
    m = _Module()
    _scan(sections, m)
    counter = m.imported_globals + m.globals
    budget, last, cur, count, imp = counter + 1, counter + 2, counter + 3, counter + 4, counter + 5
    hooks = _Hooks(m, imp)
    types = len(m.types)
    code: list[bytes] = []
    walker_class = _FuelBody if fuel else _ReferenceBody
    for sid, body in sections:
        if sid == 10:  # locals: + scratch, node, grow (i32)
            code = rewrite_functions(body, m, lambda index, scratch, results: walker_class(
                m, counter, budget, scratch, results, hooks, index), 3)
    load = 0 if fuel else load_ticks(m.counts)
    code += _helpers(counter, last, cur, count)
    globals_ = [b"\x7e\x01\x42\x00\x0b", b"\x7e\x00\x42" + sleb128(max(0, tick_budget - load)) + b"\x0b",
                b"\x7e\x01\x42\x00\x0b", b"\x7f\x01\x41\x00\x0b", b"\x7f\x01\x41\x00\x0b",
                b"\x7f\x01\x41\x7f\x0b"]

    def export(name: str, kind: int, index: int) -> bytes:
        return leb128(len(name)) + name.encode() + bytes([kind]) + leb128(index)

    added = {
        1: [b"\x60\x01\x7f\x01\x7f", b"\x60\x01\x7f\x00"],
        3: [leb128(types), leb128(types + 1)],
        5: [b"\x00" + leb128(INITIAL_PAGES)],
        6: globals_,
        7: [export(COUNTER_EXPORT, 3, counter), export(LAST_EXPORT, 3, last), export(NODE_EXPORT, 3, cur),
            export(COUNT_EXPORT, 3, count), export(IMPORT_EXPORT, 3, imp), export(MEMORY_EXPORT, 2, 1)],
        10: [leb128(len(c)) + c for c in code],
    }
    for sid in (1, 3, 5, 6, 7, 10):
        sections = _ensure(sections, sid)
    binary = bytearray(wasm[:8])
    for sid, body in sections:
        if sid == 10:
            body = leb128(len(code)) + b"".join(added[10])
        elif sid in added:
            body = _vector(body, added[sid])
        binary += bytes([sid]) + leb128(len(body)) + body
    return bytes(binary), load
