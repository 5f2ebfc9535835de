"""Value ranges and known sequence lengths: what lets the code generator drop checks."""

from __future__ import annotations

from kernel_wasm.ir import nodes as ir
from kernel_wasm.ir.types import BYTES, U32, IntType, Type


class RangeFacts:
    """Mixin of :class:`kernel_wasm.codegen.wat.FuncGen`."""

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
        for n, seq in list(self.len_alias.items()):
            if n in names or seq in names:
                del self.len_alias[n]

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
        a, b = self.as_len(a), self.as_len(b)
        if isinstance(a, ir.Const) and isinstance(b, ir.Len):
            a, b, op = b, a, {"lt": "gt", "le": "ge", "gt": "lt", "ge": "le", "eq": "eq", "ne": "ne"}[op]
        if not (isinstance(a, ir.Len) and isinstance(a.a, ir.Local) and isinstance(b, ir.Const)):
            return None
        c = b.value
        true_min = {"lt": 0, "le": 0, "gt": c + 1, "ge": c, "eq": c, "ne": 0}[op]
        false_min = {"lt": c, "le": c + 1, "gt": 0, "ge": 0, "eq": 0, "ne": c}[op]
        return a.a.name, true_min, false_min

    def as_len(self, e: ir.Expr) -> ir.Expr:
        """``len(seq)`` for a local holding it (``n = len(seq)`` with neither reassigned since, in code
        order; lengths only grow, so a minimum learned through ``n`` holds for ``seq``), else ``e``."""
        if isinstance(e, ir.Local) and e.name in self.len_alias:
            return ir.Len(ir.Local(self.len_alias[e.name], BYTES))
        return e

    @staticmethod
    def exits(stmts: list[ir.Stmt]) -> bool:
        if not stmts:
            return False
        last = stmts[-1]
        if isinstance(last, (ir.Return, ir.Fail, ir.Break, ir.Continue)):
            return True
        if isinstance(last, ir.If):
            return RangeFacts.exits(last.then) and RangeFacts.exits(last.els)
        return False

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

