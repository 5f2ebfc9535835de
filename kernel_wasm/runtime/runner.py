"""Runs compiled functions under wasmtime with fuel metering; maps traps back to kernel_py lines."""

from __future__ import annotations

import ctypes
from typing import Any

import wasmtime

from kernel_py.intrinsics import KernelFailure
from kernel_wasm.frontend.program import FAIL_SITE_ADDR
from kernel_wasm.ir import nodes as ir
from kernel_wasm.ir.types import (
    BOOL,
    BytesType,
    IntType,
    ListType,
    NoneType,
    RecordType,
    TupleType,
    Type,
)
from kernel_wasm.runtime.host_adapter import define_imports

FUEL_LIMIT = 10_000_000_000


class KernelTrap(KernelFailure):
    """A failing check in compiled code; ``file``/``line`` locate it in the kernel_py source."""

    def __init__(self, kind: str, message: str = "", file: str = "", line: int = 0) -> None:
        where = f"{file}:{line}: " if file else ""
        super().__init__(kind, message)
        self.file, self.line = file, line
        self.args = (f"{where}{kind}" + (f": {message}" if message else ""),)


def make_engine() -> wasmtime.Engine:
    cfg = wasmtime.Config()
    cfg.consume_fuel = True
    return wasmtime.Engine(cfg)


ENGINE = make_engine()


class _Instance:
    def __init__(self, module: wasmtime.Module, host: Any, imports: set[str]) -> None:
        self.store = wasmtime.Store(ENGINE)
        linker = wasmtime.Linker(ENGINE)
        define_imports(linker, self.store, host, imports)
        self.instance = linker.instantiate(self.store, module)
        exports = self.instance.exports(self.store)
        self.memory: wasmtime.Memory = exports["memory"]
        self.hp: wasmtime.Global | None = exports["__hp"] if "__hp" in exports else None
        self.exports = exports
        self.high_water = 0


class Runner:
    """Calls exported functions: converts Python values in and out, resets the arena per call."""

    def __init__(self, wasm: bytes, program: ir.Program, heap_base: int, imports: set[str]) -> None:
        self.module = wasmtime.Module(ENGINE, wasm)
        self.program = program
        self.heap_base = heap_base
        self.imports = imports
        self.instances: dict[int, _Instance] = {}
        self.fuel_used = 0

    def instance(self, host: Any) -> _Instance:
        key = id(host)
        if key not in self.instances or self.program.kernel:  # a kernel gets a fresh instance per run
            self.instances[key] = _Instance(self.module, host, self.imports)
        return self.instances[key]

    def call(self, name: str, args: tuple[Any, ...], host: Any = None) -> Any:
        if name not in self.program.exports:
            raise KeyError(f"{name} is not exported (compile with exports=[{name!r}, ...])")
        func = self.program.funcs[self.program.exports[name]]
        if len(args) != len(func.params):
            raise TypeError(f"{name}() takes {len(func.params)} arguments, {len(args)} given")
        inst = self.instance(host)
        store, mem = inst.store, inst.memory
        # reset the arena: clear what the previous call used
        if inst.high_water > self.heap_base:
            ctypes.memset(ctypes.addressof(mem.data_ptr(store).contents) + self.heap_base, 0,
                          inst.high_water - self.heap_base)
        self.hp = self.heap_base
        wasm_args = [self.to_wasm(inst, a, t, pname) for a, (pname, t) in zip(args, func.params)]
        if inst.hp is not None:
            inst.hp.set_value(store, self.hp)
        mem.write(store, (0xFFFFFFFF).to_bytes(4, "little"), FAIL_SITE_ADDR)
        store.set_fuel(FUEL_LIMIT)
        try:
            result = inst.exports[name](store, *wasm_args)
        except wasmtime.Trap as trap:
            self.fuel_used = FUEL_LIMIT - store.get_fuel()
            raise self.trap_error(inst, trap) from None
        finally:
            if inst.hp is not None:
                inst.high_water = max(inst.high_water, inst.hp.value(store))
        self.fuel_used = FUEL_LIMIT - store.get_fuel()
        return self.from_wasm(inst, result, func.ret)

    def trap_error(self, inst: _Instance, trap: wasmtime.Trap) -> KernelFailure:
        if trap.trap_code == wasmtime.TrapCode.OUT_OF_FUEL:
            return KernelTrap("fuel", "out of fuel")
        site = int.from_bytes(inst.memory.read(inst.store, FAIL_SITE_ADDR, FAIL_SITE_ADDR + 4), "little")
        if trap.trap_code == wasmtime.TrapCode.UNREACHABLE and site < len(self.program.sites):
            s = self.program.sites[site]
            return KernelTrap(s.kind, s.message, s.file, s.line)
        return KernelTrap("trap", str(trap.message))

    # ------------------------------------------------------------------------------ values in

    def alloc(self, inst: _Instance, n: int) -> int:
        p = self.hp
        self.hp = (p + n + 7) // 8 * 8
        size = inst.memory.data_len(inst.store)
        if self.hp > size:
            inst.memory.grow(inst.store, (self.hp - size + 0xFFFF) // 0x10000)
        return p

    def to_wasm(self, inst: _Instance, v: Any, t: Type, pname: str) -> int:
        if t == BOOL:
            if not isinstance(v, bool):
                raise TypeError(f"{pname}: expected bool")
            return int(v)
        if isinstance(t, IntType):
            if isinstance(v, bool) or not isinstance(v, int) or not t.lo <= v <= t.hi:
                raise ValueError(f"{pname}: {v!r} is not a {t}")
            bits = 64 if t.wasm == "i64" else 32
            v &= (1 << bits) - 1
            return v - (1 << bits) if v >> (bits - 1) else v
        if isinstance(t, BytesType):
            if not isinstance(v, (bytes, bytearray)):
                raise TypeError(f"{pname}: expected bytes")
            p = self.alloc(inst, 4 + len(v))
            inst.memory.write(inst.store, len(v).to_bytes(4, "little") + bytes(v), p)
            return p
        if isinstance(t, ListType):
            if not isinstance(v, list):
                raise TypeError(f"{pname}: expected a list")
            esz = t.elem.size
            p = self.alloc(inst, 16 + esz * len(v))
            items = [self.to_wasm(inst, x, t.elem, pname) for x in v]
            body = b"".join((x & ((1 << (8 * esz)) - 1)).to_bytes(esz, "little") for x in items)
            n = len(v).to_bytes(4, "little")
            inst.memory.write(inst.store, n + n + (p + 16).to_bytes(4, "little") + bytes(4) + body, p)
            return p
        if isinstance(t, RecordType):
            offsets, size = t.layout()
            values = [getattr(v, f) for f, _ in t.fields] if not isinstance(v, tuple) else list(v)
            p = self.alloc(inst, size)
            for (fname, ft), x in zip(t.fields, values):
                w = self.to_wasm(inst, x, ft, pname)
                inst.memory.write(inst.store, (w & ((1 << (8 * ft.size)) - 1)).to_bytes(ft.size, "little"),
                                  p + offsets[fname])
            return p
        raise TypeError(f"{pname}: cannot pass a {t}")

    # ------------------------------------------------------------------------------ values out

    def from_wasm(self, inst: _Instance, v: Any, t: Type) -> Any:
        if isinstance(t, NoneType):
            return None
        if isinstance(t, TupleType):
            return tuple(self.from_wasm(inst, x, it) for x, it in zip(v, t.items))
        if t == BOOL:
            return bool(v)
        if isinstance(t, IntType):
            bits = 64 if t.wasm == "i64" else 32
            v &= (1 << bits) - 1
            if t.signed and v >> (bits - 1):
                v -= 1 << bits
            return v
        mem, store = inst.memory, inst.store

        def u32(addr: int) -> int:
            return int.from_bytes(mem.read(store, addr, addr + 4), "little")

        if isinstance(t, BytesType):
            n = u32(v)
            data = bytes(mem.read(store, v + 4, v + 4 + n))
            return bytearray(data) if t.mutable else data
        if isinstance(t, ListType):
            n, data = u32(v), u32(v + 8)
            esz = t.elem.size
            out = []
            for i in range(n):
                raw = int.from_bytes(mem.read(store, data + i * esz, data + (i + 1) * esz), "little")
                out.append(self.from_wasm(inst, raw, t.elem))
            return out
        if isinstance(t, RecordType):
            offsets, _ = t.layout()
            vals = []
            for fname, ft in t.fields:
                a = v + offsets[fname]
                raw = int.from_bytes(mem.read(store, a, a + ft.size), "little")
                vals.append(self.from_wasm(inst, raw, ft))
            return tuple(vals)
        raise TypeError(f"cannot return a {t}")
