"""Calls: user functions, inlined bodies and smart_rollup_core host functions."""

from __future__ import annotations

from kernel_wasm.frontend.intrinsics import RAW_IMPORTS
from kernel_wasm.frontend.program import INPUT_INFO_ADDR
from kernel_wasm.ir import nodes as ir
from kernel_wasm.ir.types import NONE, BytesType, IntType, wasm_results
from kernel_wasm.ir.walk import assigned


class CallGen:
    """Mixin of :class:`kernel_wasm.codegen.wat.FuncGen`."""

    def e_Call(self, e: ir.Call) -> None:
        for a in e.args:
            self.ex(a)
        target = e.func
        self.emit(f"call ${target}", *(f"global.get {g}" for g in self.extra_results(e.ty, target)))

    def e_Inline(self, e: ir.Inline) -> None:
        for name, v in e.params:
            self.ex(v)
            self.emit(f"local.set ${name}")
            self.kill({name})
            if name in self.single and isinstance(v.ty, IntType):
                self.ranges[name] = self.rng(v)
        saved = dict(self.facts)
        extra = self.extra_results(e.ty)
        res = "".join(f" (result {r})" for r in wasm_results(e.ty)[:1 if extra else None])
        lbl = self.label("I")
        self.emit(f"block {lbl}{res}")
        self.returns.append((lbl, len(self.loops), e.ty))
        self.block(e.body)
        self.returns.pop()
        if e.ty != NONE:
            self.emit("unreachable")
        self.emit("end", *(f"global.get {g}" for g in extra))
        self.facts = saved
        self.kill(assigned(e.body))

    def sat32(self, e: ir.Expr) -> None:
        """Push an i64 ``e`` as i32 saturated at 2^31 - 1 (``$sat32``; folded for constants)."""
        if isinstance(e, ir.Const):
            v = e.value & 0xFFFF_FFFF_FFFF_FFFF
            self.emit(f"i32.const {min(v, 0x7FFFFFFF)}")
            return
        self.mod.helpers.add("sat32")
        self.ex(e)
        self.emit("call $sat32")

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
        if name in ("store_read", "reveal_preimage", "reveal"):
            key = e.args[0]
            kh = self.hold(key)
            extra: list[str] = []
            if name == "store_read":
                self.sat32(e.args[1])
                off = self.temp("i32")
                self.emit(f"local.set {off}")
                extra = [f"local.get {off}"]
                max_e = e.args[2]
            else:
                max_e = e.args[1]
            self.sat32(max_e)
            mx = self.temp("i32")
            self.emit(f"local.set {mx}")
            cap = 2048 if name == "store_read" else 4096
            self.buffer_call(cap, [*kh, "i32.const 4", "i32.add", *kh, "i32.load", *extra], mx, imp)
            return
        # plain calls: bytes args become (ptr, len), ints become i32
        for a in e.args:
            if isinstance(a.ty, BytesType):
                h = self.hold(a)
                self.emit(*h, "i32.const 4", "i32.add", *h, "i32.load")
            else:
                self.sat32(a)
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

