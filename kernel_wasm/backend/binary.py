"""WAT → wasm, then validation and the PVM checks (no floats; imports only from smart_rollup_core)."""

from __future__ import annotations

from dataclasses import dataclass

import wasmtime

FLOAT_TYPES = {0x7D: "f32", 0x7C: "f64"}


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


class _Reader:
    def __init__(self, data: bytes, pos: int = 0, end: int | None = None) -> None:
        self.d, self.p, self.end = data, pos, len(data) if end is None else end

    def byte(self) -> int:
        b = self.d[self.p]
        self.p += 1
        return b

    def uleb(self) -> int:
        result = shift = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                return result

    def sleb(self) -> None:
        while self.byte() & 0x80:
            pass

    def name(self) -> str:
        n = self.uleb()
        s = self.d[self.p:self.p + n].decode("utf-8")
        self.p += n
        return s


def _check_valtype(t: int, where: str) -> None:
    if t in FLOAT_TYPES:
        raise BackendError(f"float type {FLOAT_TYPES[t]} in {where}")


# opcodes with float semantics (MVP + saturating truncation handled under 0xFC)
_FLOAT_OPS = set(range(0x2A, 0x2C)) | set(range(0x38, 0x3A)) | {0x43, 0x44} | set(range(0x5B, 0x67)) \
    | set(range(0x8B, 0xA7)) | set(range(0xA8, 0xAC)) | set(range(0xAE, 0xC0))
_MEMARG = set(range(0x28, 0x3F))


def _scan_code(r: _Reader, end: int) -> None:
    """Walk every instruction of one function body, refusing float opcodes."""
    while r.p < end:
        op = r.byte()
        if op in _FLOAT_OPS:
            raise BackendError(f"float opcode 0x{op:02x}")
        if op in (0x02, 0x03, 0x04):  # block type
            bt = r.d[r.p]
            if bt == 0x40 or bt in (0x7F, 0x7E, 0x7D, 0x7C):
                _check_valtype(bt, "block type")
                r.p += 1
            else:
                r.sleb()
        elif op in (0x0C, 0x0D, 0x10, 0x20, 0x21, 0x22, 0x23, 0x24):
            r.uleb()
        elif op == 0x0E:
            for _ in range(r.uleb() + 1):
                r.uleb()
        elif op == 0x11:
            r.uleb()
            r.uleb()
        elif op in _MEMARG:
            r.uleb()
            r.uleb()
        elif op in (0x3F, 0x40):
            r.byte()
        elif op in (0x41, 0x42):
            r.sleb()
        elif op == 0x1C:
            for _ in range(r.uleb()):
                _check_valtype(r.byte(), "select type")
        elif op == 0xFC:
            sub = r.uleb()
            if sub <= 7:
                raise BackendError("float truncation opcode")
            if sub in (8,):
                r.uleb()
                r.byte()
            elif sub == 9:
                r.uleb()
            elif sub == 10:
                r.byte()
                r.byte()
            elif sub == 11:
                r.byte()
            else:
                raise BackendError(f"unexpected opcode 0xfc {sub}")
        elif 0x45 <= op <= 0xC4 or op in (0x00, 0x01, 0x05, 0x0B, 0x0F, 0x1A, 0x1B):
            pass
        else:
            raise BackendError(f"unexpected opcode 0x{op:02x}")


def inspect(wasm: bytes) -> ModuleFacts:
    """Check a binary for float types/opcodes and collect its imports, exports and section sizes."""
    if wasm[:4] != b"\0asm":
        raise BackendError("not a wasm binary")
    r = _Reader(wasm, 8)
    facts = ModuleFacts([], [], 0, 0, 0, 0)
    while r.p < len(wasm):
        sid = r.byte()
        size = r.uleb()
        start, end = r.p, r.p + size
        s = _Reader(wasm, start, end)
        if sid == 0:
            if s.name() == "name":
                facts.name_size += size
        elif sid == 1:
            for _ in range(s.uleb()):
                s.byte()
                for _ in range(2):
                    for _ in range(s.uleb()):
                        _check_valtype(s.byte(), "function type")
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
                _check_valtype(s.byte(), "global")
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
            for _ in range(s.uleb()):
                body = s.uleb()
                fend = s.p + body
                for _ in range(s.uleb()):
                    s.uleb()
                    _check_valtype(s.byte(), "local")
                _scan_code(s, fend)
                s.p = fend
        elif sid == 11:
            facts.data_size = size
        r.p = end
    return facts


def strip_names(wasm: bytes) -> bytes:
    """The binary without custom sections (the name section and any other debug data)."""
    r = _Reader(wasm, 8)
    out = bytearray(wasm[:8])
    while r.p < len(wasm):
        start = r.p
        sid = r.byte()
        size = r.uleb()
        end = r.p + size
        if sid != 0:
            out += wasm[start:end]
        r.p = end
    return bytes(out)


def check_kernel(facts: ModuleFacts) -> None:
    """The PVM's contract: imports only smart_rollup_core, exports kernel_run and exactly one memory."""
    for mod, name in facts.imports:
        if mod != "smart_rollup_core":
            raise BackendError(f"import from {mod!r} ({name}); only smart_rollup_core is allowed")
    if facts.memories != 1:
        raise BackendError(f"{facts.memories} memories; a kernel has exactly one")
    names = {n for n, _ in facts.exports}
    if "kernel_run" not in names or sum(1 for _, k in facts.exports if k == 2) != 1:
        raise BackendError("a kernel exports kernel_run and one memory")
