"""Which kernel to run: the compiled wasm kernel when the compiler builds one that works, else kernel_py
natively in CPython (loudly reported by the callers)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

KERNEL_SOURCE = Path(__file__).resolve().parents[2] / "kernel_py" / "kernel.py"
NATIVE_MODULE = "kernel_py.kernel"


@dataclass(frozen=True)
class KernelChoice:
    wasm: bytes | None
    native: str | None
    note: str

    @property
    def label(self) -> str:
        return "wasm" if self.wasm is not None else "native (CPython)"


def build_wasm(out: Path | None = None) -> bytes:
    """Compile kernel_py/kernel.py to a PVM kernel as ``dsn kernel build --optimize speed`` does (the
    fuel profile: local runs want throughput, not origination size), and write it to ``out``."""
    from kernel_wasm.phases import Compilation

    wasm = Compilation(KERNEL_SOURCE, None, kernel=True, names=False, compact=True, optimize="speed").wasm
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(wasm)
    return wasm


def smoke_test(wasm: bytes) -> str:
    """Run one empty level of ``wasm`` in an in-memory rollup; returns a failure reason or ''."""
    from pvm_host.rollup import Rollup

    rollup = Rollup.open(kernel=wasm)
    try:
        report = rollup.run_level([])
        if report.stuck or any(o != "ok" for o in report.outcomes):
            return f"stuck={report.stuck!r} outcomes={report.outcomes}"
        if rollup.read("/state/root") is None:
            return "the kernel did not initialise (/state/root absent)"
        return ""
    finally:
        rollup.close()


def choose_kernel(prefer_native: bool = False, wasm_path: Path | None = None, out: Path | None = None) -> KernelChoice:
    """A given .wasm, else a fresh build that passes :func:`smoke_test`, else the native kernel."""
    if prefer_native:
        return KernelChoice(None, NATIVE_MODULE, "native kernel requested")
    if wasm_path is not None:
        return KernelChoice(wasm_path.read_bytes(), None, f"wasm kernel {wasm_path}")
    try:
        wasm = build_wasm(out)
    except Exception as exc:  # any compiler failure: fall back, the caller says so
        return KernelChoice(None, NATIVE_MODULE, f"the compiler could not build the kernel ({type(exc).__name__}: {exc})")
    problem = smoke_test(wasm)
    if problem:
        return KernelChoice(None, NATIVE_MODULE, f"the compiled kernel fails its smoke test ({problem})")
    return KernelChoice(wasm, None, f"compiled kernel_py/kernel.py to wasm ({len(wasm):,} bytes)")
