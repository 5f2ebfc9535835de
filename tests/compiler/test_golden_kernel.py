"""Golden snapshots of the shipped kernel (`dsn kernel build`: size profile, compact), per kernel_py
module: ``golden/kernel_py/<module>.ir`` and ``.wat`` hold the IR and WAT of the functions of that
module that survive inlining (``_runtime.wat``: runtime helpers and shared check routines;
``_module.wat``: imports, memory, data, exports), and ``golden/kernel_py/STATS`` the size of each
module in the shipped binary and the fuel of fixed workloads. After an intended change (to kernel_py
or to the compiler) regenerate with ``KERNEL_WASM_REGEN=1 pytest tests/compiler/test_golden_kernel.py``
and review the diff."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from kernel_py.formats import dsn as fmt
from kernel_wasm import compile_file
from kernel_wasm.backend.sizes import size_report
from kernel_wasm.ir.printer import function
from kernel_wasm.ir.walk import size
from kernel_wasm.phases import Compilation
from pvm_host.rollup import Rollup
from pvm_spec.b58 import encode
from tests.compiler.test_golden import check
from tests.kernel.builders import (
    GOVERNANCE,
    ROLLUP,
    Dag,
    genesis_bytes,
    make_committee,
    next_preblock,
    preblock_messages,
)

ROOT = Path(__file__).parents[2]
GOLDEN = Path(__file__).parent / "golden" / "kernel_py"
TOP = re.compile(r"^  \((func|import|memory|global|data|export|type|table|elem|start) ")


def module_of(func: str) -> str:
    """``kernel_py.formats.tx`` for ``kernel_py.formats.tx.decode_tx``; ``_runtime`` for helpers."""
    name = func.lstrip("%").lstrip("$").lstrip("%")
    return name.rsplit(".", 1)[0] if name.startswith("kernel_py.") else "_runtime"


def split_wat(wat: str) -> dict[str, str]:
    """The module's top-level items grouped by kernel_py module (functions) or ``_module`` (the rest)."""
    out: dict[str, list[str]] = defaultdict(list)
    current = "_module"
    for line in wat.splitlines():
        m = TOP.match(line)
        if m:
            current = module_of(line.split()[1]) if m.group(1) == "func" else "_module"
        elif line == ")":
            current = "_module"
        out[current].append(line)
    return {k: "\n".join(v) + "\n" for k, v in out.items()}


@pytest.fixture(scope="module")
def shipped() -> Compilation:
    return Compilation(ROOT / "kernel_py" / "kernel.py", None, kernel=True, names=True, compact=True, optimize="size")


def test_ir_and_wat_per_module(shipped: Compilation, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    ir_by_module: dict[str, list[str]] = defaultdict(list)
    for name, f in shipped.ir.funcs.items():
        ir_by_module[module_of(name)].extend(function(name, f))
    wat_by_module = split_wat(shipped.wat)
    expected = {f"{m}.ir" for m in ir_by_module} | {f"{m}.wat" for m in wat_by_module} | {"STATS"}
    stale = {p.name for p in GOLDEN.glob("*")} - expected if GOLDEN.exists() else set()
    assert not stale, f"golden files of modules no longer in the kernel: {sorted(stale)} (delete them)"
    GOLDEN.mkdir(exist_ok=True)
    for module, lines in ir_by_module.items():
        check(GOLDEN / f"{module}.ir", "\n".join(lines) + "\n")
    for module, text in wat_by_module.items():
        check(GOLDEN / f"{module}.wat", text)


def kernel_verification_ticks(wasm: bytes) -> int:
    """Ticks (fuel model: fuel + host-call costs) of verifying an empty pre-block of a 7-node committee
    (above an empty level)."""
    auth = make_committee(7)
    setup = [("set", "/setup/committee", fmt.encode_committee(auth.committee)),
             ("set", "/setup/governance", GOVERNANCE), ("set", "/setup/genesis", genesis_bytes([]))]
    rollup = Rollup.open(kernel=wasm, rollup_address=encode("sr1", ROLLUP), setup=setup, tick_model="fuel")
    dag = Dag(auth)
    rollup.run_level([])
    empty = rollup.run_level([]).ticks
    return rollup.run_level(preblock_messages(next_preblock(dag, []), dag.index)).ticks - empty


def test_size_and_fuel_stats(shipped: Compilation) -> None:
    from nacl.signing import SigningKey

    report = size_report(shipped.wasm)
    per_module: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # functions, IR nodes, shipped bytes
    for name, f in shipped.ir.funcs.items():
        per_module[module_of(name)][0] += 1
        per_module[module_of(name)][1] += size(f.body)
    for name, n in report.functions.items():
        per_module[module_of(name)][2] += n
    lines = ["# shipped kernel (size profile, compact, after wasm-opt, with names):",
             f"# total {len(shipped.wasm)} bytes; code section {report.sections.get(10, 0)}, data {report.sections.get(11, 0)}",
             f"# {'module':<32}{'functions':>10}{'IR nodes':>10}{'code bytes':>12}"]
    for module in sorted(per_module):
        funcs, nodes, nbytes = per_module[module]
        lines.append(f"{module:<34}{funcs:>10}{nodes:>10}{nbytes:>12}")
    data = bytes(range(256)) * 4
    sk = SigningKey(bytes(range(32)))
    sig = sk.sign(b"golden").signature
    crypto = ROOT / "kernel_py" / "crypto"
    lines.append("# fuel per call (size profile, after wasm-opt):")
    for label, path, func, args in (("blake2b_256(1 KiB)", crypto / "blake2b.py", "blake2b_256", (data,)),
                                    ("sha512(1 KiB)", crypto / "sha512.py", "sha512", (data,)),
                                    ("ed25519 verify", crypto / "ed25519.py", "verify",
                                     (bytes(sk.verify_key), b"golden", sig))):
        m = compile_file(path, exports=[func], optimize="size", names=False)
        m.call(func, *args)
        lines.append(f"{label:<34}{m.fuel_used:>32}")
    lines.append(f"{'kernel: verify empty pre-block':<34}{kernel_verification_ticks(shipped.wasm):>32}  (ticks, fuel model)")
    check(GOLDEN / "STATS", "\n".join(lines) + "\n")
