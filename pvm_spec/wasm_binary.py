"""Wasm binaries as the PVM reads them: LEB128, a section/name reader, and the float ban.

The PVM decodes kernels with ``allow_floats:false`` (spec §2.2): any ``f32``/``f64`` value type
(function types, locals, globals, block and ``select`` types) or float instruction (loads, stores,
constants, arithmetic, comparisons, conversions, reinterprets, ``trunc_sat``, float SIMD lanes) is a
decode error. :func:`find_float` walks a module that wasmtime already validated and returns a
description of the first float use, or None.
"""

from __future__ import annotations

_F32, _F64 = 0x7D, 0x7C
_FLOAT_TYPES = (_F32, _F64)

# Single-byte opcodes that involve floats.
_FLOAT_OPS = (
    {0x2A, 0x2B, 0x38, 0x39, 0x43, 0x44}
    | set(range(0x5B, 0x67))  # f32/f64 comparisons
    | set(range(0x8B, 0xA7))  # f32/f64 arithmetic
    | set(range(0xA8, 0xAC))  # i32.trunc_f32/f64
    | set(range(0xAE, 0xC0))  # i64.trunc_f*, converts, demote/promote, reinterprets
)
# 0xFD-prefixed SIMD sub-opcodes on float lanes.
_FLOAT_SIMD = (
    {19, 20, 31, 32, 33, 34, 94, 95, 103, 104, 105, 106, 116, 117, 122, 148}
    | set(range(65, 77))  # f32x4 / f64x2 comparisons
    | set(range(224, 256))  # float lane arithmetic and conversions
)
_MEMARG_OPS = set(range(0x28, 0x3F))


def leb128(n: int) -> bytes:
    """Unsigned LEB128 (wasm section and name sizes)."""
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


class WasmReader:
    """Cursor over a wasm binary: bytes, LEB128 integers and names (also used by the compiler's backend)."""

    def __init__(self, data: bytes, pos: int = 0, end: int | None = None) -> None:
        self.data, self.pos, self.end = data, pos, len(data) if end is None else end

    def byte(self) -> int:
        b = self.data[self.pos]
        self.pos += 1
        return b

    def uleb(self) -> int:
        result = shift = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80:
                return result

    def sleb(self) -> int:
        result = shift = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80:
                if b & 0x40:
                    result -= 1 << shift
                return result

    def skip(self, n: int) -> None:
        self.pos += n

    def name(self) -> str:
        n = self.uleb()
        raw = self.data[self.pos : self.pos + n]
        self.pos += n
        return raw.decode("utf-8", errors="replace")


def find_float(wasm: bytes) -> str | None:
    """First float use in a (valid) wasm binary, or None."""
    r = WasmReader(wasm, 8)
    while r.pos < len(wasm):
        section_id = r.byte()
        size = r.uleb()
        body = WasmReader(wasm, r.pos, r.pos + size)
        r.skip(size)
        found = _SECTIONS.get(section_id, lambda _r: None)(body)
        if found:
            return found
    return None


def _types(r: WasmReader) -> str | None:
    for i in range(r.uleb()):
        if r.byte() != 0x60:
            return f"type {i}: not a function type"
        for _ in range(2):
            for _ in range(r.uleb()):
                if r.byte() in _FLOAT_TYPES:
                    return f"float value type in type {i}"
    return None


def _imports(r: WasmReader) -> str | None:
    for _ in range(r.uleb()):
        module, name = r.name(), r.name()
        kind = r.byte()
        if kind == 0:
            r.uleb()
        elif kind == 1:
            r.byte()
            _limits(r)
        elif kind == 2:
            _limits(r)
        elif kind == 3:
            if r.byte() in _FLOAT_TYPES:
                return f"float global import {module}.{name}"
            r.byte()
    return None


def _limits(r: WasmReader) -> None:
    flags = r.byte()
    r.uleb()
    if flags & 1:
        r.uleb()


def _globals(r: WasmReader) -> str | None:
    for i in range(r.uleb()):
        if r.byte() in _FLOAT_TYPES:
            return f"float global {i}"
        r.byte()
        found = _expr(r)
        if found:
            return found
    return None


def _code(r: WasmReader) -> str | None:
    for i in range(r.uleb()):
        size = r.uleb()
        end = r.pos + size
        body = WasmReader(r.data, r.pos, end)
        r.skip(size)
        for _ in range(body.uleb()):
            body.uleb()
            if body.byte() in _FLOAT_TYPES:
                return f"float local in function body {i}"
        found = _expr(body)
        if found:
            return f"{found} in function body {i}"
    return None


def _expr(r: WasmReader) -> str | None:
    """Scan instructions until the reader's end (code) or the final ``end`` of a constant expr."""
    depth = 0
    while r.pos < r.end:
        op = r.byte()
        if op in _FLOAT_OPS:
            return f"float instruction 0x{op:02x}"
        if op in (0x02, 0x03, 0x04):
            depth += 1
            bt = r.data[r.pos]
            if bt in _FLOAT_TYPES:
                return "float block type"
            if bt == 0x40 or 0x6F <= bt <= 0x7F:
                r.skip(1)
            else:
                r.sleb()
        elif op == 0x0B:
            if depth == 0:
                return None
            depth -= 1
        elif op in (0x0C, 0x0D, 0x10, 0x12, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0xD2):
            r.uleb()
        elif op == 0x0E:
            for _ in range(r.uleb() + 1):
                r.uleb()
        elif op in (0x11, 0x13):
            r.uleb()
            r.uleb()
        elif op == 0x1C:
            for _ in range(r.uleb()):
                if r.byte() in _FLOAT_TYPES:
                    return "float select type"
        elif op in _MEMARG_OPS:
            r.uleb()
            r.uleb()
        elif op in (0x3F, 0x40, 0xD0):
            r.byte()
        elif op == 0x41 or op == 0x42:
            r.sleb()
        elif op == 0xFC:
            found = _prefixed_fc(r)
            if found:
                return found
        elif op == 0xFD:
            found = _prefixed_fd(r)
            if found:
                return found
    return None


def _prefixed_fc(r: WasmReader) -> str | None:
    sub = r.uleb()
    if sub <= 7:
        return f"float instruction 0xfc {sub} (trunc_sat)"
    if sub in (8, 12, 14):
        r.uleb()
        r.uleb() if sub != 8 else r.byte()
    elif sub == 10:
        r.byte()
        r.byte()
    elif sub == 11:
        r.byte()
    elif sub in (9, 13, 15, 16, 17):
        r.uleb()
    return None


def _prefixed_fd(r: WasmReader) -> str | None:
    sub = r.uleb()
    if sub in _FLOAT_SIMD:
        return f"float SIMD instruction 0xfd {sub}"
    if sub <= 11 or sub in (92, 93):
        r.uleb()
        r.uleb()
    elif sub in (12, 13):
        r.skip(16)
    elif 21 <= sub <= 34:
        r.skip(1)
    elif 84 <= sub <= 91:
        r.uleb()
        r.uleb()
        r.skip(1)
    return None


_SECTIONS = {1: _types, 2: _imports, 6: _globals, 10: _code}
