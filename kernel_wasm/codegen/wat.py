"""Typed IR → WAT text. Scalars live in wasm locals; checks call ``$fail(site)``."""

from __future__ import annotations

from kernel_wasm.codegen import helpers as H
from kernel_wasm.codegen.peephole import optimize_code
from kernel_wasm.errors import InternalError
from kernel_wasm.frontend.intrinsics import RAW_IMPORTS
from kernel_wasm.frontend.program import FAIL_SITE_ADDR, INPUT_INFO_ADDR
from kernel_wasm.ir import nodes as ir
from kernel_wasm.ir.optimize import DataView
from kernel_wasm.ir.walk import assigned, size, walk, walk_all
from kernel_wasm.ir.types import (
    BYTES, I64, NONE, U8, U32, BytesType, IntType, ListType, RecordType, Type, wasm_results,
)

LOAD = {1: "i32.load8_u", 4: "i32.load", 8: "i64.load"}
STORE = {1: "i32.store8", 4: "i32.store", 8: "i64.store"}
SHIFT = {1: 0, 4: 2, 8: 3}
COMMUTATIVE = {"add", "mul", "and", "or", "xor"}
VERSION_MAX_NODES = 400
VERSION_MIN_CHECKS = 1  # ... and with at least this many checks it removes
# nodes that call, allocate or may fail otherwise: they end a run of hoisted constant-index checks
NOT_IN_RUN = (ir.Call, ir.HostCall, ir.Inline, ir.MakeList, ir.MakeRecord, ir.RepeatList, ir.Concat, ir.Slice,
              ir.BytesNew, ir.BytesCopy, ir.FromBytes, ir.ToBytes)  # loop bodies up to this size get a check-free copy


def wt(t: Type) -> str:
    return t.wasm


def is_simple(e: ir.Expr) -> bool:
    return isinstance(e, (ir.Local, ir.Const, ir.Data))


def is_pure(e: ir.Expr) -> bool:
    """No side effects and cannot fail: safe to evaluate eagerly or twice."""
    if isinstance(e, (ir.Local, ir.Const, ir.Data)):
        return True
    if isinstance(e, (ir.Cmp, ir.Logic)):
        return is_pure(e.a) and is_pure(e.b)
    if isinstance(e, ir.Not):
        return is_pure(e.a)
    if isinstance(e, ir.Arith) and e.site < 0:
        return is_pure(e.a) and is_pure(e.b)
    if isinstance(e, ir.Prim) and e.op not in ("min", "max"):
        return all(is_pure(a) for a in e.args)
    if isinstance(e, ir.Convert) and e.site < 0:
        return is_pure(e.a)
    return False


class ModuleGen:
    """Generates the whole WAT module for a program."""

    def __init__(self, prog: ir.Program, compact: bool = False, site_messages: bool = False) -> None:
        """``compact``: checks branch to a per-function trap (smaller; no site id is recorded).
        ``site_messages`` (kernels, not compact): a failing check writes ``file:line: kind`` as debug output."""
        self.prog = prog
        self.compact = compact
        self.site_messages = site_messages and prog.kernel and not compact
        self.versioning = True
        self.helpers: set[str] = {"alloc"}
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
        heap_base = (self.data_end + 15) // 16 * 16
        parts = ["(module"]
        for name in sorted(self.imports):
            params, results = RAW_IMPORTS[name]
            sig = "".join(f" (param {p})" for p in params) + "".join(f" (result {r})" for r in results)
            parts.append(f'  (import "smart_rollup_core" "{name}" (func $host.{name}{sig}))')
        pages = max(1, (heap_base + 0xFFFF) // 0x10000 + 1)
        parts.append(f'  (memory (export "memory") {pages})')
        parts.append(f"  (global $hp (mut i32) (i32.const {heap_base}))")
        if not self.prog.kernel:
            parts.append('  (export "__hp" (global $hp))')
        if self.prog.data:
            parts.append(f'  (data (i32.const {self.prog.data_base}) "{escape(self.prog.data)}")')
        for addr, blob in self.extra_data:
            parts.append(f'  (data (i32.const {addr}) "{escape(blob)}")')
        parts.append(H.fail_wat(FAIL_SITE_ADDR, table))
        for name in H.closure(self.helpers):
            parts.append(H.HELPERS[name][0])
        parts.extend(funcs)
        for export, fname in self.prog.exports.items():
            target = f"$%{fname}" if self.prog.kernel else f"${fname}"
            parts.append(f'  (export "{export}" (func {target}))')
        parts.append(")")
        self.heap_base = heap_base
        return "\n".join(parts) + "\n"


def linear(e: ir.Expr) -> tuple[int, dict[str, int]] | None:
    """``e`` as ``c + sum(k * local)`` over integers (None: not linear)."""
    if isinstance(e, ir.Const):
        return e.value, {}
    if isinstance(e, ir.Local):
        return 0, {e.name: 1}
    if isinstance(e, ir.Arith) and e.op in ("add", "sub", "mul"):
        a, b = linear(e.a), linear(e.b)
        if a is None or b is None:
            return None
        if e.op == "mul":
            if not a[1]:
                a, b = b, a
            if b[1]:
                return None
            k = b[0]
            return a[0] * k, {n: v * k for n, v in a[1].items()}
        sign = 1 if e.op == "add" else -1
        coeffs = dict(a[1])
        for n, v in b[1].items():
            coeffs[n] = coeffs.get(n, 0) + sign * v
        return a[0] + sign * b[0], {n: v for n, v in coeffs.items() if v}
    return None


def escape(data: bytes) -> str:
    return "".join(chr(b) if 32 <= b < 127 and b not in (34, 92) else f"\\{b:02x}" for b in data)


class FuncGen:
    """Emits one function."""

    def __init__(self, mod: ModuleGen, func: ir.Func) -> None:
        self.mod = mod
        self.func = func
        self.code: list[str] = []
        self.locals: dict[str, str] = {}
        self.nlabel = 0
        self.ntemp = 0
        self.loops: list[tuple[str, str]] = []  # (break label, continue label)
        self.returns: list[tuple[str, int]] = []  # inline return targets (label, loop depth)
        self.ranges: dict[str, tuple[int, int]] = {}  # known value ranges of locals
        self.facts: dict[str, int] = {}  # local sequence -> known minimum length
        self.single = self._single_assignments(func)
        self.data = DataView(mod.prog)
        self.dptr: dict[str, tuple[str, int]] = {}
        self.sunk: dict[str, list[str]] = {}  # local -> code of its value, emitted at its single read
        self.rows: dict[str, tuple[str, int, str]] = {}  # list -> (loop var, smallest offset, row pointer)
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

    # ------------------------------------------------------------------------------ plumbing

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
        head += "".join(f" (result {r})" for r in wasm_results(f.ret))
        lines = [head]
        if self.locals:
            lines.append("    " + " ".join(f"(local {n} {t})" for n, t in self.locals.items()))
        if self.mod.prog.kernel and f.name in self.mod.prog.exports.values():
            lines.append(f"    i32.const {self.mod.prog.heap_base}")
            lines.append("    global.set $hp")
        code = optimize_code(self.code, {f"${p}" for p, _ in f.params})
        if self.mod.compact:
            code = ["block $%trap", *code, *([] if f.ret != NONE else ["return"]), "end", "unreachable"]
        lines.extend("    " + c for c in code)
        lines.append("  )")
        return "\n".join(lines)

    # ------------------------------------------------------------------------------ value ranges

    def rng(self, e: ir.Expr) -> tuple[int, int]:
        """An interval containing every value ``e`` can have when it evaluates without failing."""
        t = e.ty
        full = (t.lo, t.hi) if isinstance(t, IntType) else (0, 0)
        r = self._rng(e, full)
        return (max(r[0], full[0]), min(r[1], full[1])) if r[0] <= r[1] else full

    def _rng(self, e: ir.Expr, full: tuple[int, int]) -> tuple[int, int]:
        if isinstance(e, ir.Const):
            return e.value, e.value
        if isinstance(e, ir.Local):
            return self.ranges.get(e.name, full)
        if isinstance(e, ir.Arith):
            r = self.arith_range(e)
            return r if r is not None else full
        if isinstance(e, ir.Convert):
            ra = self.rng(e.a)
            if e.site >= 0 or (full[0] <= ra[0] and ra[1] <= full[1]):
                return ra
            return full
        if isinstance(e, ir.Index):
            if isinstance(e.seq, ir.Data):
                items = self.data.items(e.seq)
                if items and isinstance(e.ty, IntType):
                    return min(items), max(items)
            return full
        if isinstance(e, ir.Len):
            return (e.a.length, e.a.length) if isinstance(e.a, ir.Data) else (0, 0x7FFFFFFF)
        if isinstance(e, ir.Prim):
            if e.op.endswith(".and"):
                for a in e.args:
                    if isinstance(a, ir.Const) and a.value >= 0:
                        return 0, a.value
            if e.op in ("min", "max"):
                ra, rb = self.rng(e.args[0]), self.rng(e.args[1])
                f = min if e.op == "min" else max
                return f(ra[0], rb[0]), f(ra[1], rb[1])
            if e.op == "i64.mul" and all(isinstance(a, ir.Convert) and a.a.ty == U32 for a in e.args):
                return 0, 0xFFFFFFFF * 0xFFFFFFFF
            if e.op.endswith(".shr_u") and isinstance(e.args[1], ir.Const):
                bits = 64 if e.op.startswith("i64") else 32
                return 0, ((1 << bits) - 1) >> (e.args[1].value % bits)
            return full
        if isinstance(e, ir.FromBytes) and e.n is not None and e.n <= 8:
            return 0, (1 << (8 * e.n)) - 1
        if isinstance(e, ir.Select):
            ra, rb = self.rng(e.a), self.rng(e.b)
            return min(ra[0], rb[0]), max(ra[1], rb[1])
        return full

    def arith_range(self, e: ir.Arith) -> tuple[int, int] | None:
        """The exact interval of the mathematical result (None: unknown)."""
        (a0, a1), (b0, b1) = self.rng(e.a), self.rng(e.b)
        op = e.op
        if op == "add":
            return a0 + b0, a1 + b1
        if op == "sub":
            return a0 - b1, a1 - b0
        if op == "mul":
            p = (a0 * b0, a0 * b1, a1 * b0, a1 * b1)
            return min(p), max(p)
        if op in ("div", "mod"):
            if b0 > 0 and a0 >= 0:
                return (a0 // b1, a1 // b0) if op == "div" else (0, min(a1, b1 - 1))
            return None
        if op == "and":
            if a0 >= 0 and b0 >= 0:
                return 0, min(a1, b1)
            if a0 >= 0:
                return 0, a1
            if b0 >= 0:
                return 0, b1
            return None
        if op in ("or", "xor"):
            if a0 >= 0 and b0 >= 0:
                return 0, (1 << max(a1, b1).bit_length()) - 1
            return None
        bits = e.ty.bits
        if op == "shr" and a0 >= 0 and 0 <= b0 and b1 < bits:
            return a0 >> b1, a1 >> b0
        if op == "shl" and a0 >= 0 and 0 <= b0 and b1 < bits:
            return a0 << b0, a1 << b1
        return None

    def fits(self, r: tuple[int, int] | None, t: Type) -> bool:
        return r is not None and isinstance(t, IntType) and t.lo <= r[0] and r[1] <= t.hi

    def seq_known_len(self, seq: ir.Expr) -> int:
        if isinstance(seq, ir.Data):
            return seq.length
        if isinstance(seq, ir.Local):
            return self.facts.get(seq.name, 0)
        return 0

    def learn_len(self, seq: ir.Expr, n: int) -> None:
        if isinstance(seq, ir.Local) and n > self.facts.get(seq.name, 0):
            self.facts[seq.name] = n

    def kill(self, names: set[str]) -> None:
        for n in names:
            self.facts.pop(n, None)
            if n not in self.single:
                self.ranges.pop(n, None)

    def len_facts(self, cond: ir.Expr, truth: bool) -> list[tuple[str, int]]:
        """Minimum lengths of local sequences implied by ``cond`` being ``truth``."""
        if isinstance(cond, ir.Not):
            return self.len_facts(cond.a, not truth)
        if isinstance(cond, ir.Logic):
            if (cond.op == "and") == truth:
                return self.len_facts(cond.a, truth) + self.len_facts(cond.b, truth)
            return []
        f = self.len_fact(cond)
        if f is None:
            return []
        return [(f[0], f[1] if truth else f[2])]

    def apply_facts(self, facts: list[tuple[str, int]], killed: set[str] = frozenset()) -> None:
        for name, n in facts:
            if name not in killed:
                self.learn_len(ir.Local(name, BYTES), n)

    def len_fact(self, cond: ir.Expr) -> tuple[str, int, int] | None:
        """For ``len(x) OP c``: (x, min length when true, min length when false)."""
        if not isinstance(cond, ir.Cmp):
            return None
        a, b, op = cond.a, cond.b, cond.op
        if isinstance(a, ir.Const) and isinstance(b, ir.Len):
            a, b, op = b, a, {"lt": "gt", "le": "ge", "gt": "lt", "ge": "le", "eq": "eq", "ne": "ne"}[op]
        if not (isinstance(a, ir.Len) and isinstance(a.a, ir.Local) and isinstance(b, ir.Const)):
            return None
        c = b.value
        true_min = {"lt": 0, "le": 0, "gt": c + 1, "ge": c, "eq": c, "ne": 0}[op]
        false_min = {"lt": c, "le": c + 1, "gt": 0, "ge": 0, "eq": 0, "ne": c}[op]
        return a.a.name, true_min, false_min

    @staticmethod
    def exits(stmts: list[ir.Stmt]) -> bool:
        if not stmts:
            return False
        last = stmts[-1]
        if isinstance(last, (ir.Return, ir.Fail, ir.Break, ir.Continue)):
            return True
        if isinstance(last, ir.If):
            return FuncGen.exits(last.then) and FuncGen.exits(last.els)
        return False

    # ------------------------------------------------------------------------------ statements

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
            self.emit(f"local.get ${name}", "i32.load", f"i32.const {c}", "i32.le_u")
            self.fail_if(site)
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
            out.append((s.seq, s.index.value, s.site))  # type: ignore[arg-type, union-attr]
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

    def stmt(self, s: ir.Stmt) -> None:
        m = getattr(self, "s_" + type(s).__name__, None)
        if m is None:
            raise InternalError(f"no codegen for {type(s).__name__}")
        m(s)

    def s_Assign(self, s: ir.Assign) -> None:
        self.ex(s.value)
        self.emit(f"local.set ${s.name}")
        self.kill({s.name})
        if s.name in self.single and isinstance(s.value.ty, IntType):
            self.ranges[s.name] = self.rng(s.value)

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
        self.cond(s.cond)
        self.emit("if")
        saved = dict(self.facts)
        if_true, if_false = self.len_facts(s.cond, True), self.len_facts(s.cond, False)
        self.apply_facts(if_true)
        self.block(s.then)
        self.facts = dict(saved)
        if s.els:
            self.emit("else")
            self.apply_facts(if_false)
            self.block(s.els)
            self.facts = dict(saved)
        self.emit("end")
        changed = assigned(s.then) | assigned(s.els)
        self.kill(changed)
        if self.exits(s.then) and not self.exits(s.els):
            self.apply_facts(if_false, changed)
        elif self.exits(s.els) and not self.exits(s.then):
            self.apply_facts(if_true, changed)

    def s_While(self, s: ir.While) -> None:
        brk, cont = self.label("B"), self.label("L")
        self.kill(assigned(s.body))
        saved = dict(self.facts)
        self.emit(f"block {brk}", f"loop {cont}")
        if not (isinstance(s.cond, ir.Const) and s.cond.value):
            self.cond(s.cond)
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
        if not need and not spans:
            self.emit_for_range(s)
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

    def s_Return(self, s: ir.Return) -> None:
        for v in s.values:
            self.ex(v)
        if self.returns:
            self.emit(f"br {self.returns[-1][0]}")
        else:
            self.emit("return")

    def s_SetIndex(self, s: ir.SetIndex) -> None:
        esz = self.esize(s.seq.ty)
        val = self.hold(s.value) if not is_pure(s.value) else None
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
        self.mod.helpers.add("set_slice")
        val = self.hold(s.value)
        d = self.hold(s.seq)
        self.emit(*d)
        self.slice_bound(s.lo, d, 0, s.site)
        self.slice_bound(s.hi, d, None, s.site)
        self.emit(*val, f"i32.const {s.site}", "call $set_slice")

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
        self.emit(f"i32.const {esz}", "call $list_slot", *val, f"{STORE[esz]}")

    # ------------------------------------------------------------------------------ expressions

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

    def ex(self, e: ir.Expr) -> None:
        m = getattr(self, "e_" + type(e).__name__, None)
        if m is None:
            raise InternalError(f"no codegen for {type(e).__name__}")
        m(e)

    def e_Const(self, e: ir.Const) -> None:
        self.emit(f"{wt(e.ty)}.const {self.const_text(e)}")

    def e_Local(self, e: ir.Local) -> None:
        if e.name in self.sunk:
            self.emit(*self.sunk.pop(e.name))
            return
        self.emit(f"local.get ${e.name}")

    def e_Data(self, e: ir.Data) -> None:
        self.emit(f"i32.const {e.addr}")

    def e_Not(self, e: ir.Not) -> None:
        self.ex(e.a)
        self.emit("i32.eqz")

    def e_Logic(self, e: ir.Logic) -> None:
        self.ex(e.a)
        if is_pure(e.b):
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
        if is_pure(e.a) and is_pure(e.b):
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
        src_signed = src.signed
        if src_signed and dst.lo > src.lo:  # lower bound matters
            conds.append([*v, f"{w}.const {dst.lo}", f"{w}.lt_s"])
        if dst.hi < src.hi:
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
        getattr(self, "arith_" + op)(e, t, w)

    def provably_safe(self, e: ir.Arith, t: IntType) -> bool:
        """The check of ``e`` can never fire (value ranges)."""
        op = e.op
        if op in ("add", "sub", "mul"):
            return self.fits(self.arith_range(e), t)
        rb = self.rng(e.b)
        if op in ("div", "mod"):
            return rb[0] > 0 and self.rng(e.a)[0] >= 0
        if op == "shr":
            return 0 <= rb[0] and rb[1] < t.bits
        if op == "shl":
            return 0 <= rb[0] and rb[1] < t.bits and self.fits(self.arith_range(e), t)
        return False

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
        if bc is None:
            checks.append([*b, f"{w}.eqz"])
            if t.signed:
                checks.append([*b, f"{w}.const 0", f"{w}.lt_s"])
        elif bc <= 0:
            self.fail(e.site)
        if t.signed and not (isinstance(e.a, ir.Const) and e.a.value >= 0):
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

    # ------------------------------------------------------------------------------ calls

    def e_Call(self, e: ir.Call) -> None:
        for a in e.args:
            self.ex(a)
        target = e.func
        self.emit(f"call ${target}")

    def e_Inline(self, e: ir.Inline) -> None:
        for name, v in e.params:
            self.ex(v)
            self.emit(f"local.set ${name}")
            self.kill({name})
            if name in self.single and isinstance(v.ty, IntType):
                self.ranges[name] = self.rng(v)
        saved = dict(self.facts)
        res = "".join(f" (result {r})" for r in wasm_results(e.ty))
        lbl = self.label("I")
        self.emit(f"block {lbl}{res}")
        self.returns.append((lbl, len(self.loops)))
        self.block(e.body)
        self.returns.pop()
        if e.ty != NONE:
            self.emit("unreachable")
        self.emit("end")
        self.facts = saved
        self.kill(assigned(e.body))

    def e_HostCall(self, e: ir.HostCall) -> None:
        name = e.name
        imp = f"call $host.{name}"
        if name == "input_level" or name == "input_id":
            off = 0 if name == "input_level" else 4
            self.emit(f"i32.const {INPUT_INFO_ADDR + off}", "i32.load", "i64.extend_i32_u")
            return
        self.mod.imports.add(name)
        if name == "read_input":
            self.buffer_call(4096, [f"i32.const {INPUT_INFO_ADDR}"], None, imp)
            return
        if name == "reveal_metadata":
            self.buffer_call(24, [], None, imp)
            return
        if name in ("store_read", "reveal_preimage"):
            key = e.args[0]
            self.mod.helpers.add("sat32")
            kh = self.hold(key)
            extra: list[str] = []
            if name == "store_read":
                self.ex(e.args[1])
                off = self.temp("i32")
                self.emit("call $sat32", f"local.set {off}")
                extra = [f"local.get {off}"]
                max_e = e.args[2]
            else:
                max_e = e.args[1]
            self.ex(max_e)
            mx = self.temp("i32")
            self.emit("call $sat32", f"local.set {mx}")
            cap = 2048 if name == "store_read" else 4096
            self.buffer_call(cap, [*kh, "i32.const 4", "i32.add", *kh, "i32.load", *extra], mx, imp)
            return
        # plain calls: bytes args become (ptr, len), ints become i32
        for a in e.args:
            if isinstance(a.ty, BytesType):
                h = self.hold(a)
                self.emit(*h, "i32.const 4", "i32.add", *h, "i32.load")
            else:
                self.mod.helpers.add("sat32")
                self.ex(a)
                self.emit("call $sat32")
        self.emit(imp)
        if RAW_IMPORTS[name][1] == ["i32"]:
            self.emit("i64.extend_i32_s")

    def buffer_call(self, cap: int, before: list[str], max_local: str | None, call: str) -> None:
        """Allocate a bytes value of up to ``cap`` bytes, let the host fill it, shrink it to the result."""
        p = self.temp("i32")
        n = self.temp("i32")
        self.emit(f"i32.const {cap + 12}", "call $alloc", f"local.set {p}")
        self.emit(*before, f"local.get {p}", "i32.const 4", "i32.add")
        if max_local is not None:
            self.emit(f"local.get {max_local}")
        else:
            self.emit(f"i32.const {cap}")
        self.emit(call, f"local.tee {n}", "i32.const 0", "i32.lt_s", "if", "i32.const 0", f"local.set {n}", "end")
        self.emit(f"local.get {p}", f"local.get {n}", "i32.store")
        # give back the unused tail (this is the newest allocation)
        self.emit(f"local.get {p}", f"local.get {n}", "i32.add", "i32.const 11", "i32.add", "i32.const -8", "i32.and",
                  "global.set $hp", f"local.get {p}")

    # ------------------------------------------------------------------------------ sequences

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

    def elem_addr(self, seq: ir.Expr, idx: ir.Expr, site: int) -> tuple[list[str], int]:
        """Check ``idx`` against ``seq`` and return (code pushing a base address, constant offset)."""
        esz = self.esize(seq.ty)
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
                self.emit(*s, "i32.load", f"i32.const {min(i, 0x7FFFFFFF)}", "i32.le_u")
                self.fail_if(site)
                self.learn_len(seq, i + 1)
            if is_bytes:
                return s, 4 + i
            if isinstance(seq, ir.Local) and seq.name in self.dptr:
                return [f"local.get {self.dptr[seq.name][0]}"], i * esz
            return [*s, "i32.load offset=8"], i * esz
        s = self.hold(seq) if not isinstance(seq, ir.Data) else None
        iw = wt(idx.ty)
        ri = self.rng(idx)
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
        return [*s, "i32.load offset=8", *scaled, "i32.add"], 0

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
        addr, off = self.elem_addr(e.seq, e.index, e.site)
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

    def slice_bound(self, b: ir.Expr | None, seq_code: list[str], default: int | None, site: int) -> None:
        """Push a slice bound as non-negative i32 (negative fails; large saturates); None: default or len."""
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
        v = self.hold(b)
        if b.ty.signed:
            self.emit(*v, f"{w}.const 0", f"{w}.lt_s")
            self.fail_if(site)
        if w == "i64":
            self.mod.helpers.add("sat32")
            self.emit(*v, "call $sat32")
        else:
            self.emit(*v)
            if not b.ty.signed and b.ty.bits == 32:
                self.emit("i32.const 0x7fffffff", *v, "i32.const 0x7fffffff", "i32.lt_u", "select")

    def e_Slice(self, e: ir.Slice) -> None:
        self.mod.helpers.add("slice")
        s = self.hold(e.seq)
        self.emit(*s)
        self.slice_bound(e.lo, s, 0, e.site)
        self.slice_bound(e.hi, s, None, e.site)
        self.emit("call $slice")

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
        vals = [self.hold(a) for a in e.args]
        p = self.temp("i32")
        self.emit(f"i32.const {size}", "call $alloc", f"local.set {p}")
        for (fname, ft), v in zip(rt.fields, vals):
            self.emit(f"local.get {p}", *v, f"{STORE[ft.size]} offset={offsets[fname]}")
        self.emit(f"local.get {p}")

    def e_MakeList(self, e: ir.MakeList) -> None:
        self.mod.helpers.add("list_new")
        esz = self.esize(e.ty)
        vals = [self.hold(a) for a in e.items]
        p = self.temp("i32")
        self.emit(f"i32.const {len(vals)}", f"i32.const {esz}", "call $list_new", f"local.tee {p}")
        if vals:
            d = self.temp("i32")
            self.emit("i32.load offset=8", f"local.set {d}")
            for i, v in enumerate(vals):
                if e.items[i].__class__ is ir.Const and e.items[i].value == 0:
                    continue
                self.emit(f"local.get {d}", *v, f"{STORE[esz]} offset={i * esz}")
            self.emit(f"local.get {p}")

    def e_RepeatList(self, e: ir.RepeatList) -> None:
        self.mod.helpers.add("list_new")
        self.mod.helpers.add("sat32")
        esz = self.esize(e.ty)
        item = self.hold(e.item)
        n = self.hold(e.count)
        # Python: a negative count gives an empty list
        p = self.temp("i32")
        self.emit(*n, "i64.const 0", *n, "i64.const 0", "i64.gt_s", "select", "call $sat32", f"i32.const {esz}",
                  "call $list_new", f"local.set {p}")
        if not (isinstance(e.item, ir.Const) and e.item.value == 0):
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
        self.mod.helpers.add("concat")
        self.ex(e.a)
        self.ex(e.b)
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
        self.emit(f"i32.const {e.site}", "call $bytes_new64")

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
            s = self.hold(e.seq)
            self.ex(e.lo)
            self.emit("i32.wrap_i64")
            t = self.temp("i32")
            self.emit(*s, "i32.add", f"local.set {t}")
            self.fast_from_bytes([f"local.get {t}"], [], n, big, 0)
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
            if cond is not None:
                self.emit(*cond, "if (result i64)")
            if fast_ok is not False:
                self.fast_from_bytes(s, lo32, n, big, isinstance(lo, ir.Const) and lo.value)
            if cond is not None:
                self.emit("else")
            if fast_ok is not True:
                self.mod.helpers.add("from_bytes")
                self.mod.helpers.add("sat32")
                self.emit(*s, *lo64, "call $sat32", f"i32.const {n}", f"i32.const {int(big)}", f"i32.const {e.site}",
                          "call $from_bytes")
            if cond is not None:
                self.emit("end")
            self.fit_u64(ty, n, e.site)
            return
        self.mod.helpers.add("from_bytes")
        self.ex(e.seq)
        self.emit("i32.const 0", "i32.const 0x7fffffff", f"i32.const {int(big)}", f"i32.const {e.site}",
                  "call $from_bytes")
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

    def bounds_site(self, site: int) -> int:
        s = self.mod.prog.sites[site]
        cache = self.mod.__dict__.setdefault("_bnd_sites", {})
        if site not in cache:
            nid = len(self.mod.prog.sites)
            self.mod.prog.sites.append(ir.Site(nid, s.file, s.line, s.col, "bounds", "negative slice bound"))
            cache[site] = nid
        return cache[site]

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
        if bits > limit_bits:
            t = self.temp("i64")
            self.emit(f"local.tee {t}", f"i64.const {self.signed_repr(ty.hi, 'i64')}", "i64.gt_u")
            self.fail_if(site)
            self.emit(f"local.get {t}")
        if ty.wasm == "i32":
            self.emit("i32.wrap_i64")

    def e_ToBytes(self, e: ir.ToBytes) -> None:
        src = e.a.ty
        assert isinstance(src, IntType)
        big = e.order == "big"
        x = self.hold(e.a)
        w = src.wasm
        x64 = x if w == "i64" else [*x, "i64.extend_i32_u" if not src.signed else "i64.extend_i32_s"]
        n_const = e.n.value if isinstance(e.n, ir.Const) else None
        if src.signed:
            self.emit(*x, f"{w}.const 0", f"{w}.lt_s")
            self.fail_if(e.site)
        if n_const is not None:
            if n_const < 0:
                self.fail(e.site)
                self.emit("i32.const 0")
                return
            if 8 * n_const < src.bits:
                self.emit(*x64, f"i64.const {(1 << (8 * n_const)) - 1}", "i64.gt_u")
                self.fail_if(e.site)
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
        self.emit(f"i32.const {int(big)}", f"i32.const {e.site}", "call $to_bytes")


__all__ = ["ModuleGen"]
