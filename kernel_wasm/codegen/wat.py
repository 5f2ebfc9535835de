"""Typed IR → WAT text. Scalars live in wasm locals; checks call ``$fail(site)`` (or branch to a trap).

``FuncGen`` is assembled from mixins, one module per concern: value ranges (``analysis``),
statements, loops, integer expressions (``arith``), calls, and sequences.
"""

from __future__ import annotations

import re
from collections import Counter

from kernel_wasm.codegen import helpers as H
from kernel_wasm.codegen.analysis import RangeFacts
from kernel_wasm.codegen.arith import ArithGen
from kernel_wasm.codegen.calls import CallGen
from kernel_wasm.codegen.common import is_simple, wt
from kernel_wasm.codegen.loops import LoopGen
from kernel_wasm.codegen.peephole import optimize_code
from kernel_wasm.codegen.sequences import SequenceGen
from kernel_wasm.codegen.statements import StatementGen
from kernel_wasm.codegen.tables import narrow_tables, narrowed_data
from kernel_wasm.frontend.intrinsics import RAW_IMPORTS
from kernel_wasm.frontend.program import FAIL_SITE_ADDR
from kernel_wasm.ir import nodes as ir
from kernel_wasm.ir.passes.fold import DataView
from kernel_wasm.ir.types import NONE, TupleType, Type, wasm_results
from kernel_wasm.ir.visitor import IRVisitor
from kernel_wasm.ir.walk import walk_all
from pvm_spec.abi import HOST_MODULE


class ModuleGen:
    """Generates the whole WAT module for a program."""

    def __init__(self, prog: ir.Program, compact: bool = False, site_messages: bool = False) -> None:
        """``compact``: checks branch to a per-function trap (smaller; no site id is recorded).
        ``site_messages`` (kernels, not compact): a failing check writes ``file:line: kind`` as debug output."""
        self.prog = prog
        self.compact = compact
        self.site_messages = site_messages and prog.kernel and not compact
        self.versioning = True
        self.shared_checks = False  # size profile: checks as calls to shared routines (codegen.shared)
        self.shared: dict[str, str] = {}  # routine name -> its WAT
        self.narrow = narrow_tables(prog)  # table header address -> (element load, values)
        self.helpers: set[str] = {"alloc"}
        self.ret_globals: set[tuple[int, str]] = set()  # (k, wasm type) of tuple results (FuncGen.extra_results)
        self.imports: set[str] = set()
        self.messages: dict[int, int] = {}  # site -> data address of its message (kernel mode)
        self.extra_data: list[tuple[int, bytes]] = []
        self.data_end = prog.heap_base

    def message_addr(self, text: bytes) -> int:
        addr = self.data_end
        self.extra_data.append((addr, len(text).to_bytes(4, "little") + text))
        self.data_end = (addr + 4 + len(text) + 7) // 8 * 8
        return addr

    def generate(self) -> str:
        funcs = [FuncGen(self, f).generate() for f in self.prog.funcs.values()]
        table = None
        if self.site_messages:
            self.imports.add("write_debug")
            entries = []
            for site in self.prog.sites:
                text = f"{site.file}:{site.line}: {site.kind}" + (f": {site.message}" if site.message else "")
                addr = self.message_addr(text.encode())
                entries.append((addr + 4).to_bytes(4, "little") + len(text.encode()).to_bytes(4, "little"))
            table = self.data_end
            self.extra_data.append((table, b"".join(entries)))
            self.data_end = (table + 8 * len(entries) + 7) // 8 * 8
        heap_base = (self.data_end + 15) // 16 * 16  # above the program's data and the site messages
        funcs = [f.replace(HEAP_BASE_MARK, str(heap_base)) for f in funcs]
        parts = ["(module"]
        for name in sorted(self.imports):
            params, results = RAW_IMPORTS[name]
            sig = "".join(f" (param {p})" for p in params) + "".join(f" (result {r})" for r in results)
            parts.append(f'  (import "{HOST_MODULE}" "{name}" (func $host.{name}{sig}))')
        pages = max(1, (heap_base + 0xFFFF) // 0x10000 + 1)
        parts.append(f'  (memory (export "memory") {pages})')
        parts.append(f"  (global $hp (mut i32) (i32.const {heap_base}))")
        parts.extend(f"  (global $%r{k}_{w} (mut {w}) ({w}.const 0))" for k, w in sorted(self.ret_globals))
        if not self.prog.kernel:
            parts.append('  (export "__hp" (global $hp))')
        for addr, blob in [(self.prog.data_base, narrowed_data(self.prog, self.narrow)), *self.extra_data]:
            for start, chunk in split_zero_runs(blob):
                parts.append(f'  (data (i32.const {addr + start}) "{escape(chunk)}")')
        helpers = [H.HELPERS[name][0] for name in H.closure(self.helpers)]
        if self.compact:
            helpers = [H.without_sites(h) for h in helpers]
        # a compact kernel records no failing site (nothing reads it in the PVM): the runtime's `$fail(0)`
        # (out of memory) only traps; library modules keep it for the runner's KernelTrap kinds
        fail = "(func $fail (param $site i32) unreachable)" if self.compact and self.prog.kernel \
            else H.fail_wat(FAIL_SITE_ADDR, table)
        bodies = [fail, *helpers,
                  *(self.shared[name] for name in sorted(self.shared)), *funcs]
        parts.extend(by_calls(bodies))
        for export, fname in self.prog.exports.items():
            target = f"$%{fname}" if self.prog.kernel else f"${fname}"
            parts.append(f'  (export "{export}" (func {target}))')
        parts.append(")")
        self.heap_base = heap_base
        return "\n".join(parts) + "\n"



HEAP_BASE_MARK = "%heap_base"  # placeholder in a kernel entry's heap reset, replaced by ModuleGen.generate
# compact functions with at most this many checks trap in place (`if unreachable end`), the others branch
# to one shared trap block (`br_if`): smaller from two checks on, and cheaper in reference ticks, where a
# check's untaken `if` also pays for entering and leaving its label (13 ticks, `br_if` 6)
TRAP_INLINE_MAX = 1


def by_calls(bodies: list[str]) -> list[str]:
    """Function definitions, the most called first (function indexes below 128 take one byte)."""
    names = [re.match(r"\s*\(func (\S+)", b).group(1) for b in bodies]  # type: ignore[union-attr]
    calls = Counter(re.findall(r"call (\$[^\s()]+)", "\n".join(bodies)))
    order = sorted(range(len(bodies)), key=lambda i: -calls[names[i]])
    return [bodies[i] for i in order]


ZERO_RUN = 12  # zero bytes longer than this split a data segment (memory starts zeroed)


def split_zero_runs(blob: bytes) -> list[tuple[int, bytes]]:
    """(offset, bytes) pieces of ``blob`` without its long runs of zeros (nor leading/trailing ones)."""
    pieces: list[tuple[int, bytes]] = []
    start = i = 0
    n = len(blob)
    while i < n:
        if blob[i] == 0:
            j = i
            while j < n and blob[j] == 0:
                j += 1
            if j - i > ZERO_RUN or i == start or j == n:
                if i > start:
                    pieces.append((start, blob[start:i]))
                start = j
            i = j
        else:
            i += 1
    if start < n:
        pieces.append((start, blob[start:]))
    return pieces


def escape(data: bytes) -> str:
    return "".join(chr(b) if 32 <= b < 127 and b not in (34, 92) else f"\\{b:02x}" for b in data)



class FuncGen(RangeFacts, StatementGen, LoopGen, ArithGen, CallGen, SequenceGen, IRVisitor):
    """Emits one function."""

    def __init__(self, mod: ModuleGen, func: ir.Func) -> None:
        self.mod = mod
        self.func = func
        self.shared_checks = mod.shared_checks and not func.hot  # size profile, unless marked `Hot:`
        self.code: list[str] = []
        self.locals: dict[str, str] = {}
        self.nlabel = 0
        self.ntemp = 0
        self.loops: list[tuple[str, str]] = []  # (break label, continue label)
        self.returns: list[tuple[str, int, Type]] = []  # inline return targets (label, loop depth, type)
        self.ranges: dict[str, tuple[int, int]] = {}  # known value ranges of locals
        self.facts: dict[str, int] = {}  # local sequence -> known minimum length
        self.single = self._single_assignments(func)
        self.len_alias: dict[str, str] = {}  # local -> sequence local whose len() it holds
        self.data = DataView(mod.prog)
        self.dptr: dict[str, tuple[str, int]] = {}
        self.loop_dptr: dict[str, str] = {}  # list local -> local holding its data pointer in this loop
        self.sunk: dict[str, list[str]] = {}  # local -> code of its value, emitted at its single read
        self.rows: dict[str, tuple[str, int, str]] = {}  # list -> (loop var, smallest offset, row pointer)
        self.span_ptrs: dict[tuple[str, str], str] = {}  # (bytes, base) -> local holding bytes + base
        self.spans: dict[tuple[str, str], tuple[str, int, int]] = {}  # (bytes, base) -> (loop var, lo, end)
        self.reads: dict[str, int] = {}
        for n in walk_all(func.body):
            if isinstance(n, ir.Local):
                self.reads[n.name] = self.reads.get(n.name, 0) + 1

    @staticmethod
    def _single_assignments(func: ir.Func) -> set[str]:
        count: dict[str, int] = {p: 1 for p, _ in func.params}
        for n in walk_all(func.body):
            names: list[str] = []
            if isinstance(n, ir.Assign):
                names = [n.name]
            elif isinstance(n, ir.Unpack):
                names = [x for x in n.names if x]
            elif isinstance(n, ir.ForRange):
                names = [n.var, n.var, n.counter, n.counter]
            elif isinstance(n, ir.ForEach):
                names = [n.var, n.var, n.index, n.index]
            elif isinstance(n, ir.Inline):
                names = [p for p, _ in n.params]
            for x in names:
                count[x] = count.get(x, 0) + 1
        return {k for k, v in count.items() if v == 1}

    def emit(self, *ins: str) -> None:
        self.code.extend(ins)

    def label(self, kind: str) -> str:
        self.nlabel += 1
        return f"${kind}{self.nlabel}"

    def temp(self, wtype: str) -> str:
        self.ntemp += 1
        name = f"$%g{self.ntemp}"
        self.locals[name] = wtype
        return name

    def fail(self, site: int) -> None:
        s = self.mod.prog.sites[site]
        if self.mod.prog.kernel and s.kind in ("abort", "assert") and s.message and not self.mod.site_messages:
            self.mod.imports.add("write_debug")
            addr = self.mod.message_addr(s.message.encode())
            self.emit(f"i32.const {addr + 4}", f"i32.const {len(s.message.encode())}", "call $host.write_debug")
        if self.mod.compact:
            self.emit("br $%trap")
        else:
            self.emit(f"i32.const {site}", "call $fail")

    def site_arg(self, site: int) -> list[str]:
        """The site id argument of a helper that can fail (``$from_bytes``, ``$set_slice``, ...); none in
        compact modules, whose helpers trap in place (``helpers.without_sites``)."""
        return [] if self.mod.compact else [f"i32.const {site}"]

    def call_shared(self, name: str, wat: str, site: int | None) -> None:
        """Call shared routine ``name`` (defined by ``wat``); checked routines also get the site id
        unless the module is compact (then they trap themselves)."""
        self.mod.shared.setdefault(name, wat)
        if site is not None and not self.mod.compact:
            self.emit(f"i32.const {site}")
        self.emit(f"call ${name}")

    def fail_if(self, site: int) -> None:
        """Consume an i32 condition; fail when it is true."""
        s = self.mod.prog.sites[site]
        if self.mod.compact and not (self.mod.prog.kernel and s.kind in ("abort", "assert") and s.message
                                     and not self.mod.site_messages):
            self.emit("br_if $%trap")
            return
        self.emit("if")
        self.fail(site)
        self.emit("end")

    def generate(self) -> str:
        f = self.func
        for name, t in f.locals.items():
            self.locals[f"${name}"] = wt(t)
        self.block(f.body, top=True)
        if f.ret != NONE:
            self.emit("unreachable")
        name = f"$%{f.name}" if self.mod.prog.kernel and f.name in self.mod.prog.exports.values() else f"${f.name}"
        head = f"  (func {name}"
        head += "".join(f" (param ${p} {wt(t)})" for p, t in f.params)
        head += "".join(f" (result {r})" for r in wasm_results(f.ret)[:1 if self.extra_results(f.ret, f.name) else None])
        lines = [head]
        code = optimize_code(self.code, {f"${p}" for p, _ in f.params})
        if self.locals:
            lines.append("    " + " ".join(f"(local {n} {t})" for n, t in self.ordered_locals(code)))
        if self.mod.prog.kernel and f.name in self.mod.prog.exports.values():
            lines.append(f"    i32.const {HEAP_BASE_MARK}")  # the module's heap base, known once all data is placed
            lines.append("    global.set $hp")
        traps = sum(1 for c in code if c.endswith(" $%trap"))
        if 0 < traps <= TRAP_INLINE_MAX:  # one check: it traps in place (smaller than the shared block)
            code = [x for c in code for x in (["if", "unreachable", "end"] if c == "br_if $%trap"
                                              else ["unreachable"] if c == "br $%trap" else [c])]
            traps = 0
        if traps:
            code = ["block $%trap", *code, *([] if f.ret != NONE else ["return"]), "end", "unreachable"]
        elif code[-2:] == ["return", "unreachable"]:  # the function's end returns the same values
            code = code[:-2]
        elif code[-1:] == ["return"]:
            code = code[:-1]
        lines.extend("    " + c for c in code)
        lines.append("  )")
        return "\n".join(lines)

    def ordered_locals(self, code: list[str]) -> list[tuple[str, str]]:
        """The locals ``code`` uses, most used first (indexes below 128 take one byte), grouped by
        type where that keeps the order (each run of one type is one declaration entry)."""
        uses: dict[str, int] = {}
        for ins in code:
            if ins.startswith("local."):
                name = ins.split(" ", 1)[1]
                uses[name] = uses.get(name, 0) + 1
        used = sorted((n for n in self.locals if n in uses), key=lambda n: -uses[n])
        head = used[:128 - len(self.func.params)]
        out = sorted(head, key=lambda n: self.locals[n]) + sorted(used[len(head):], key=lambda n: self.locals[n])
        return [(n, self.locals[n]) for n in out]

    def extra_results(self, t: Type, func: str | None = None) -> list[str]:
        """The globals carrying the second and later values of a tuple result (``t``) of function
        ``func`` or of an inline block (``func`` None): only the first value stays on the wasm stack,
        the others are set just before the return and read right after the call. Binaryen lowers
        multi-value blocks (which its inlining creates) through scratch locals and drops, which costs
        bytes and ticks. Exported functions keep multi-value results (their callers are outside)."""
        if not isinstance(t, TupleType) or func in self.mod.prog.exports.values():
            return []
        names = []
        seen: Counter[str] = Counter()  # the k-th extra value of a wasm type goes to global $%r<k>_<type>
        for item in t.items[1:]:
            seen[item.wasm] += 1
            self.mod.ret_globals.add((seen[item.wasm], item.wasm))
            names.append(f"$%r{seen[item.wasm]}_{item.wasm}")
        return names

    def hold(self, e: ir.Expr) -> list[str]:
        """Code that pushes ``e`` again later: the expression itself if simple, else a temp."""
        if isinstance(e, ir.Local):
            return self.sunk.pop(e.name) if e.name in self.sunk else [f"local.get ${e.name}"]
        if isinstance(e, ir.Const):
            return [f"{wt(e.ty)}.const {self.const_text(e)}"]
        if isinstance(e, ir.Data):
            return [f"i32.const {e.addr}"]
        tmp = self.temp(wt(e.ty))
        self.ex(e)
        self.emit(f"local.set {tmp}")
        return [f"local.get {tmp}"]

    @staticmethod
    def const_text(e: ir.Const) -> str:
        v = e.value
        bits = 64 if wt(e.ty) == "i64" else 32
        v &= (1 << bits) - 1
        if v >> (bits - 1):
            v -= 1 << bits
        return str(v)

    def operands(self, args: list[ir.Expr], commutative: bool) -> None:
        """Push operands; for a commutative pair, the one stored by the previous instruction first."""
        if commutative and len(args) == 2 and isinstance(args[1], ir.Local) and is_simple(args[0]) \
                and self.code and self.code[-1] == f"local.set ${args[1].name}":
            self.ex(args[1])
            self.ex(args[0])
            return
        for a in args:
            self.ex(a)

    def cond(self, e: ir.Expr) -> None:
        self.ex(e)

    def e_Const(self, e: ir.Const) -> None:
        self.emit(f"{wt(e.ty)}.const {self.const_text(e)}")

    def e_Local(self, e: ir.Local) -> None:
        if e.name in self.sunk:
            self.emit(*self.sunk.pop(e.name))
            return
        self.emit(f"local.get ${e.name}")

    def e_Data(self, e: ir.Data) -> None:
        self.emit(f"i32.const {e.addr}")


__all__ = ["FuncGen", "ModuleGen", "is_simple"]
