"""The compilation pipeline as lazily computed stages (after Vyper's CompilerData).

``Compilation(path).ast`` → ``.ir`` → ``.wat`` → ``.raw_wasm`` → ``.wasm`` (after Binaryen's wasm-opt
pass, unless ``wasm_opt=False``); each stage is computed once, on demand, so the CLI and tests can stop
at any of them.
"""

from __future__ import annotations

import ast as pyast
from functools import cached_property
from pathlib import Path

from kernel_wasm.backend import binary, wasm_opt
from kernel_wasm.codegen.wat import ModuleGen
from kernel_wasm.frontend.program import ProgramBuilder
from kernel_wasm.ir import nodes as irn
from kernel_wasm.ir.optimize import optimize
from kernel_wasm.runtime.runner import ENGINE

PROFILES = ("speed", "size")


class Compilation:
    """One source file compiled either as a library (``exports``) or as a PVM kernel (``kernel_run``)."""

    def __init__(self, path: str | Path, exports: list[str] | None = None, kernel: bool | None = None,
                 names: bool = True, opt: bool = True, compact: bool = False, site_messages: bool = False,
                 small: bool = False, optimize: str | None = None, wasm_opt: bool = True) -> None:
        """``optimize``: ``"speed"`` (default for libraries) or ``"size"`` (no unrolling, no check-free
        loop copies, only single-call-site inlining, checks and byte conversions as calls to shared
        helpers); ``small=True`` is the same as ``optimize="size"``. ``wasm_opt``: run Binaryen on the
        binary (``-O3`` for speed, ``-Os`` twice for size; see :mod:`kernel_wasm.backend.wasm_opt`)."""
        if optimize is None:
            optimize = "size" if small else "speed"
        if optimize not in PROFILES:
            raise ValueError(f"optimize must be one of {', '.join(PROFILES)}, not {optimize!r}")
        self.path = Path(path)
        self.exports = list(exports) if exports else None
        if kernel is None:  # a kernel unless functions other than kernel_run are exported
            kernel = self.exports is None or self.exports == ["kernel_run"]
        self.kernel = kernel
        self.names = names
        self.opt = opt
        self.compact = compact
        self.site_messages = site_messages
        self.optimize = optimize
        self.small = optimize == "size"
        self.wasm_opt = wasm_opt

    @cached_property
    def frontend(self) -> ProgramBuilder:
        return ProgramBuilder(self.path)

    @cached_property
    def ast(self) -> pyast.Module:
        return self.frontend.entry.tree

    @cached_property
    def ir(self) -> irn.Program:
        prog = self.frontend.build(self.exports, self.kernel)
        if self.opt:
            optimize(prog, unroll=not self.small, inline_tiny=not self.small)
        return prog

    @cached_property
    def codegen(self) -> ModuleGen:
        gen = ModuleGen(self.ir, compact=self.compact, site_messages=self.site_messages)
        gen.versioning = not self.small
        gen.shared_checks = self.small
        gen.text = gen.generate()
        return gen

    @cached_property
    def wat(self) -> str:
        return self.codegen.text

    @cached_property
    def raw_wasm(self) -> bytes:
        """The compiler's own binary (before Binaryen), validated."""
        wasm = binary.wat_to_wasm(self.wat)
        binary.validate(wasm, ENGINE)
        return wasm

    @cached_property
    def wasm(self) -> bytes:
        """The final binary: after the wasm-opt pass, re-validated and checked (floats, imports, exports)."""
        wasm = self.raw_wasm
        if self.wasm_opt:
            wasm = wasm_opt.optimize(wasm, self.optimize, self.names)
            binary.validate(wasm, ENGINE)
        facts = binary.inspect(wasm)
        if self.kernel:
            binary.check_kernel(facts)
        if not self.names:
            wasm = binary.strip_names(wasm)
        return wasm

    @cached_property
    def facts(self) -> binary.ModuleFacts:
        return binary.inspect(self.wasm)
