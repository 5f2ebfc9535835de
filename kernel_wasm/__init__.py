"""The compiler: restricted Python (kernel_py) → checked, typed IR → WAT → wasm.

Python API::

    from kernel_wasm import compile_file
    m = compile_file("kernel_py/crypto/blake2b.py", exports=["blake2b_256"])
    m.call("blake2b_256", b"abc")   # runs under wasmtime with fuel metering
    m.fuel_used                      # fuel of the last call
    m.wasm, m.wat                    # the binary and its text
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kernel_wasm.errors import CompileError, CompileErrors, InternalError
from kernel_wasm.phases import Compilation
from kernel_wasm.runtime.runner import KernelTrap, Runner


class CompiledModule:
    """A compiled program: its stages, and calls into it under wasmtime."""

    def __init__(self, comp: Compilation) -> None:
        self.compilation = comp
        self.wasm: bytes = comp.wasm
        self.wat: str = comp.wat
        self.ir = comp.ir
        self.sites = comp.ir.sites
        self._runner: Runner | None = None

    @property
    def runner(self) -> Runner:
        if self._runner is None:
            imports = {name for mod, name in self.compilation.facts.imports}
            self._runner = Runner(self.wasm, self.ir, self.compilation.codegen.heap_base, imports)
        return self._runner

    def call(self, name: str, *args: Any, host: Any = None) -> Any:
        """Call export ``name``; ints/bools/bytes/lists in, the same (tuples for several results) out.

        A failing check raises :class:`KernelTrap` (a ``KernelFailure``) naming the kernel_py file:line.
        ``host`` serves the smart_rollup_core imports (a ``kernel_py.intrinsics.Host`` or an object
        with ``link(linker, store)``).
        """
        return self.runner.call(name, args, host)

    @property
    def fuel_used(self) -> int:
        """Fuel consumed by the last :meth:`call`."""
        return self.runner.fuel_used


def compile_file(path: str | Path, exports: list[str] | None = None, *, kernel: bool | None = None,
                 names: bool = True, optimize: str = "speed", wasm_opt: bool = True) -> CompiledModule:
    """Compile ``path``: with ``exports`` as a library exporting those functions, else as a PVM kernel.
    ``optimize``: ``"speed"`` (fewest fuel) or ``"size"`` (fewest bytes); ``wasm_opt=False`` skips
    Binaryen's pass (the compiler's own binary)."""
    return CompiledModule(Compilation(path, exports, kernel, names, optimize=optimize, wasm_opt=wasm_opt))


__all__ = ["CompileError", "CompileErrors", "CompiledModule", "Compilation", "InternalError", "KernelTrap", "compile_file"]
