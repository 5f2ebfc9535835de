"""Checked CPython execution of kernel_py source: the same program, failing where wasm fails.

``load(path)`` type-checks the program like the compiler, rewrites its AST to insert the checks
compiled code performs (overflow, division, shift, bounds, ...), and executes it. Failures raise
``kernel_py.intrinsics.KernelFailure`` with the kind compiled code reports.
"""

from __future__ import annotations

import ast
import sys
import types
from pathlib import Path
from typing import Any

from kernel_py import intrinsics
from kernel_wasm.frontend.loader import SourceModule
from kernel_wasm.frontend.program import ProgramBuilder
from kernel_wasm.native import checks
from kernel_wasm.native.instrument import H, Instrumenter


class NativeProgram:
    """Instrumented modules of one program, executed lazily on first import."""

    def __init__(self, path: Path) -> None:
        self.builder = ProgramBuilder(path)
        self.builder.symbols(self.builder.entry)
        self.builder.check_all()
        self.modules: dict[str, types.ModuleType] = {}
        self.helpers = types.SimpleNamespace(**{k: getattr(checks, k) for k in dir(checks) if not k.startswith("_")},
                                             native_import=self.native_import)

    def module(self, src: SourceModule) -> types.ModuleType:
        if src.name in self.modules:
            return self.modules[src.name]
        mod = types.ModuleType(f"kernel_native.{src.name}")
        mod.__file__ = str(src.path)
        self.modules[src.name] = mod
        tree = ast.fix_missing_locations(Instrumenter(self.builder.notes).visit(src.tree))
        mod.__dict__[H] = self.helpers
        sys.modules[mod.__name__] = mod  # dataclasses look their module up
        exec(compile(tree, str(src.path), "exec"), mod.__dict__)
        return mod

    def native_import(self, target: str, name: str) -> Any:
        loader = self.builder.loader
        path = loader.file_for(target)
        if path is not None:
            src = loader.load_path(path)
            if name in self.builder.symbols(src) and name != "__builtins__":
                return getattr(self.module(src), name)
        sub = loader.file_for(f"{target}.{name}")
        if sub is None:
            raise ImportError(f"cannot import {name} from {target}")
        return self.module(loader.load_path(sub))

    @property
    def entry(self) -> types.ModuleType:
        return self.module(self.builder.entry)


def load(path: str | Path) -> types.ModuleType:
    """The module at ``path`` executed with checks (its imports too); call its functions directly.

    Host intrinsics use the host installed with ``kernel_py.intrinsics.install_host``.
    """
    return NativeProgram(Path(path)).entry


def call(path: str | Path, name: str, *args: Any, host: Any = None) -> Any:
    """Load ``path`` and call ``name`` with ``host`` installed for the host intrinsics."""
    mod = load(path)
    intrinsics.install_host(host)
    return getattr(mod, name)(*args)
