"""WAT → wasm, then validation and the PVM checks (no floats; imports only from smart_rollup_core)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import wasmtime

from pvm_spec.abi import link_error
from pvm_spec.wasm_binary import WasmReader, find_float, leb128


class BackendError(Exception):
    """The generated module failed validation or a PVM rule (a compiler bug, not a user error)."""


@dataclass
class ModuleFacts:
    imports: list[tuple[str, str]]
    exports: list[tuple[str, int]]  # (name, kind: 0 func, 2 memory, 3 global)
    memories: int
    code_size: int
    data_size: int
    name_size: int


def wat_to_wasm(wat: str) -> bytes:
    try:
        return bytes(wasmtime.wat2wasm(wat))
    except wasmtime.WasmtimeError as exc:
        raise BackendError(f"wat2wasm failed: {exc}") from exc


def validate(wasm: bytes, engine: wasmtime.Engine) -> None:
    try:
        wasmtime.Module.validate(engine, wasm)
    except wasmtime.WasmtimeError as exc:
        raise BackendError(f"invalid wasm: {exc}") from exc


def inspect(wasm: bytes) -> ModuleFacts:
    """Check a binary for float types/opcodes (the PVM's rule, :func:`pvm_spec.wasm_binary.find_float`) and
    collect its imports, exports and section sizes."""
    if wasm[:4] != b"\0asm":
        raise BackendError("not a wasm binary")
    float_use = find_float(wasm)
    if float_use:
        raise BackendError(f"{float_use}: the PVM refuses floats")
    r = WasmReader(wasm, 8)
    facts = ModuleFacts([], [], 0, 0, 0, 0)
    while r.pos < len(wasm):
        sid = r.byte()
        size = r.uleb()
        start, end = r.pos, r.pos + size
        s = WasmReader(wasm, start, end)
        if sid == 0:
            if s.name() == "name":
                facts.name_size += size
        elif sid == 2:
            for _ in range(s.uleb()):
                mod, name = s.name(), s.name()
                facts.imports.append((mod, name))
                kind = s.byte()
                if kind != 0:
                    raise BackendError(f"import {mod}.{name} is not a function")
                s.uleb()
        elif sid == 5:
            facts.memories = s.uleb()
        elif sid == 6:
            for _ in range(s.uleb()):
                s.byte()  # value type
                s.byte()
                op = s.byte()
                if op in (0x41, 0x42):
                    s.sleb()
                elif op == 0x23:
                    s.uleb()
                else:
                    raise BackendError(f"unexpected global initialiser 0x{op:02x}")
                s.byte()
        elif sid == 7:
            for _ in range(s.uleb()):
                name = s.name()
                kind = s.byte()
                s.uleb()
                facts.exports.append((name, kind))
        elif sid == 10:
            facts.code_size = size
        elif sid == 11:
            facts.data_size = size
        r.pos = end
    return facts


def _sections(wasm: bytes) -> Iterator[tuple[int, int, int, int]]:
    """(section id, start, body start, end) of each section after the 8-byte header."""
    r = WasmReader(wasm, 8)
    while r.pos < len(wasm):
        start = r.pos
        sid = r.byte()
        size = r.uleb()
        yield sid, start, r.pos, r.pos + size
        r.pos += size


def strip_names(wasm: bytes) -> bytes:
    """The binary without custom sections (the name section and any other debug data)."""
    out = bytearray(wasm[:8])
    for sid, start, _, end in _sections(wasm):
        if sid != 0:
            out += wasm[start:end]
    return bytes(out)


def check_kernel(facts: ModuleFacts) -> None:
    """The PVM's contract: imports only smart_rollup_core functions, exports kernel_run and exactly one memory."""
    for mod, name in facts.imports:
        error = link_error(mod, name)
        if error:
            raise BackendError(f"import {mod}.{name}: {error}; only smart_rollup_core functions are allowed")
    if facts.memories != 1:
        raise BackendError(f"{facts.memories} memories; a kernel has exactly one")
    names = {n for n, _ in facts.exports}
    if "kernel_run" not in names or sum(1 for _, k in facts.exports if k == 2) != 1:
        raise BackendError("a kernel exports kernel_run and one memory")


def keep_name_subsections(wasm: bytes, keep: frozenset[int]) -> bytes:
    """The binary with only the ``keep`` subsections of its name section (others are dropped)."""
    out = bytearray(wasm[:8])
    for sid, start, body, end in _sections(wasm):
        s = WasmReader(wasm, body, end)
        if sid != 0 or s.name() != "name":
            out += wasm[start:end]
            continue
        kept = bytearray(wasm[body:s.pos])
        while s.pos < end:
            sub_start = s.pos
            sub = s.byte()
            size = s.uleb()
            s.pos += size
            if sub in keep:
                kept += wasm[sub_start:s.pos]
        out += bytes([0]) + leb128(len(kept)) + kept
    return bytes(out)
