"""Runs one kernel_py function both ways (checked CPython, compiled wasm) and compares outcomes."""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path
from typing import Any

from kernel_py import intrinsics
from kernel_py.intrinsics import KernelFailure
from kernel_wasm import CompiledModule, compile_file, native

PROGRAMS = Path(__file__).parent / "programs"


def normalise(v: Any) -> Any:
    """Records as tuples of their fields (how compiled calls return them)."""
    if dataclasses.is_dataclass(v):
        return tuple(normalise(getattr(v, f.name)) for f in dataclasses.fields(v))
    if isinstance(v, tuple):
        return tuple(normalise(x) for x in v)
    if isinstance(v, list):
        return [normalise(x) for x in v]
    return v


def outcome(fn: Any, *args: Any) -> tuple[str, Any]:
    try:
        return "ok", normalise(fn(*args))
    except KernelFailure as exc:
        return "fail", exc.kind


class Pair:
    """A program compiled to wasm (both optimisation profiles) and loaded for checked CPython execution."""

    def __init__(self, name: str, exports: list[str]) -> None:
        path = PROGRAMS / f"{name}.py"
        self.wasm: CompiledModule = compile_file(path, exports=exports)
        self.small: CompiledModule = compile_file(path, exports=exports, optimize="size")
        self.py = native.load(path)

    def run(self, func: str, *args: Any, host: Any = None, wasm_host: Any = None) -> tuple[str, Any]:
        """All outcomes must agree (equal results, or failures of the same kind); returns CPython's."""
        intrinsics.install_host(host)
        expected = outcome(getattr(self.py, func), *copy_args(args))
        for profile, module in (("speed", self.wasm), ("size", self.small)):
            got = outcome(lambda *a: module.call(func, *a, host=wasm_host if wasm_host is not None else host),
                          *copy_args(args))
            assert got == expected, f"{func}{args}: wasm ({profile}) {got} != CPython {expected}"
        return expected


def copy_args(args: tuple[Any, ...]) -> tuple[Any, ...]:
    """Fresh copies: each run may mutate its lists, bytearrays and records."""
    return copy.deepcopy(args)
