"""Narrow constant tables: a read-only ``list[int]``/``list[u64]`` constant that is only ever indexed
(never passed, stored or iterated) and whose values fit 32 bits is laid out with 4-byte elements
and read with ``i64.load32_s``/``i64.load32_u``; the freed half of its body is zeros, which the
data segment omits."""

from __future__ import annotations

from kernel_wasm.ir import nodes as ir
from kernel_wasm.ir.passes.fold import DataView
from kernel_wasm.ir.types import IntType, ListType
from kernel_wasm.ir.walk import walk_all


def narrow_tables(prog: ir.Program) -> dict[int, tuple[str, list[int]]]:
    """Header address of each table that can be narrowed -> (load instruction of its elements, values)."""
    total: dict[int, int] = {}
    indexed: dict[int, int] = {}
    tables: dict[int, ir.Data] = {}
    for f in prog.funcs.values():
        for n in walk_all(f.body):
            if isinstance(n, ir.Data) and isinstance(n.ty, ListType) and isinstance(n.ty.elem, IntType) \
                    and n.ty.elem.size == 8:
                total[n.addr] = total.get(n.addr, 0) + 1
                tables[n.addr] = n
            elif isinstance(n, ir.Index) and isinstance(n.seq, ir.Data):
                indexed[n.seq.addr] = indexed.get(n.seq.addr, 0) + 1
            elif isinstance(n, ir.Len) and isinstance(n.a, ir.Data):
                indexed[n.a.addr] = indexed.get(n.a.addr, 0) + 1
    view = DataView(prog)
    out: dict[int, tuple[str, list[int]]] = {}
    for addr, d in tables.items():
        elem = d.ty.elem  # type: ignore[attr-defined]
        if total[addr] != indexed.get(addr, 0) or d.length == 0:
            continue
        values = view.items(d)
        if elem.signed and all(-(1 << 31) <= v < (1 << 31) for v in values):
            out[addr] = ("i64.load32_s", values)
        elif not elem.signed and all(0 <= v < (1 << 32) for v in values):
            out[addr] = ("i64.load32_u", values)
    return out


def narrowed_data(prog: ir.Program, narrow: dict[int, tuple[str, list[int]]]) -> bytes:
    """The program's data segment with the bodies of ``narrow`` tables re-encoded in 4-byte elements."""
    blob = bytearray(prog.data)
    view = DataView(prog)
    for addr, (_, values) in narrow.items():
        body = view.u32(addr + 8) - prog.data_base
        blob[body:body + 8 * len(values)] = bytes(8 * len(values))
        for k, v in enumerate(values):
            blob[body + 4 * k:body + 4 * k + 4] = (v & 0xFFFFFFFF).to_bytes(4, "little")
    return bytes(blob)
