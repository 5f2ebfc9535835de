"""The wasm-opt pass (Binaryen): same behaviour as the compiler's own binary, fewer bytes and ticks,
PVM-safe features only, and a clear error when Binaryen is missing."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import wasmtime
from click.testing import CliRunner

from dsn.cli import main
from kernel_py.formats import dsn as fmt
from kernel_py.formats import tx as txf
from kernel_py.ledger import balance_key
from kernel_wasm import CompiledModule, KernelTrap
from kernel_wasm.backend import wasm_opt
from kernel_wasm.backend.binary import BackendError, inspect
from kernel_wasm.phases import Compilation
from pvm_host.rollup import Rollup
from pvm_host.wasm_engine import WasmEngine
from pvm_spec.b58 import encode
from tests.kernel.builders import (
    GOVERNANCE,
    NATIVE,
    ROLLUP,
    Dag,
    genesis_bytes,
    make_committee,
    next_preblock,
    pk,
    preblock_messages,
    signed_tx,
    user,
)
from tests.kernel.scenario import build_levels, durable_dump, setup_instructions

KERNEL = Path(__file__).parents[2] / "kernel_py" / "kernel.py"
BUDGET = 32_000  # bytes: one origination operation (docs/FORMATS.md, kernel size)


def shipped(wasm_opt_on: bool) -> Compilation:
    """The kernel as ``dsn kernel build`` ships it, with or without the pass."""
    return Compilation(KERNEL, None, kernel=True, names=False, compact=True, optimize="size", wasm_opt=wasm_opt_on)


@pytest.fixture(scope="module")
def kernels() -> tuple[bytes, bytes]:
    return shipped(False).wasm, shipped(True).wasm


def transfer_levels() -> tuple[list[tuple[str, str, bytes | str]], list[list[bytes]]]:
    """A 7-node committee, 50 funded senders; a pre-block of 200 transfers (and 3 bad ones) after an
    empty pre-block."""
    auth = make_committee(7)
    senders = [user(100 + i) for i in range(50)]
    setup = [
        ("set", "/setup/committee", fmt.encode_committee(auth.committee)),
        ("set", "/setup/governance", GOVERNANCE),
        ("set", "/setup/genesis", genesis_bytes([(pk(s), 10**12) for s in senders])),
    ]
    dag = Dag(auth)
    empty = preblock_messages(next_preblock(dag, []), dag.index)
    txs = [signed_tx(senders[i % 50], i // 50, txf.action_transfer(pk(user(7 + i % 3)), NATIVE, 1 + i))
           for i in range(200)]
    txs += [signed_tx(senders[0], 99, txf.action_transfer(pk(user(7)), NATIVE, 1)),  # bad nonce
            signed_tx(user(5), 0, txf.action_transfer(pk(user(7)), NATIVE, 1)),  # unfunded
            txs[3]]  # replay
    full = preblock_messages(next_preblock(dag, txs), dag.index)
    return setup, [[], empty, full, full[-1:]]  # the last: the announcement again, refused


def run(kernel: bytes, setup: list, levels: list[list[bytes]]) -> tuple[dict[str, bytes], list, int]:
    """Durable state, per-level (debug, outbox) output and total ticks of a replay."""
    rollup = Rollup.open(kernel=kernel, rollup_address=encode("sr1", ROLLUP), setup=setup)
    outputs, ticks = [], 0
    for msgs in levels:
        report = rollup.run_level(msgs)
        assert not report.stuck and all(o == "ok" for o in report.outcomes), report.outcomes
        outputs.append((report.debug, report.outbox))
        ticks += report.ticks
    return durable_dump(rollup), outputs, ticks


@pytest.mark.parametrize("workload", ["200 transfers", "every kernel path"])
def test_optimised_kernel_behaves_identically(kernels: tuple[bytes, bytes], workload: str) -> None:
    if workload == "200 transfers":
        setup, levels = transfer_levels()
    else:
        committee, levels = build_levels()
        setup = setup_instructions(committee)
    plain, optimised = kernels
    state, outputs, ticks = run(plain, setup, levels)
    state_opt, outputs_opt, ticks_opt = run(optimised, setup, levels)
    assert state_opt == state
    assert outputs_opt == outputs
    assert any(debug for debug, _ in outputs)  # rejections were reported, so the comparison saw output
    if workload == "200 transfers":
        assert state["/dsn/last_index"] == (2).to_bytes(8, "big")
        received = sum(int.from_bytes(state.get(balance_key(pk(user(7 + k)), NATIVE).decode(), b""), "big")
                       for k in range(3))
        assert received == sum(1 + i for i in range(200))
    assert ticks_opt < ticks


def test_shipped_kernel_fits_the_budget_and_passes_the_pvm_checks(kernels: tuple[bytes, bytes]) -> None:
    plain, optimised = kernels
    assert len(optimised) <= BUDGET
    assert len(optimised) < len(plain)
    facts = inspect(optimised)  # float ban, imports, sections
    assert {m for m, _ in facts.imports} == {"smart_rollup_core"} and facts.name_size == 0
    assert WasmEngine().load(optimised).error == ""  # the host's decode/link checks


def test_build_reports_the_pass_and_can_skip_it(tmp_path: Path, kernels: tuple[bytes, bytes]) -> None:
    plain, optimised = kernels
    runner = CliRunner()
    out = tmp_path / "k.wasm"
    result = runner.invoke(main, ["kernel", "build", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == optimised
    flags = "--generate-global-effects --simplify-locals-nostructure --rse --local-cse --inlining-optimizing -Os -Os"
    assert f"wasm-opt       {flags}: {len(plain)} -> {len(optimised)} bytes" in result.output
    result = runner.invoke(main, ["kernel", "build", "--no-wasm-opt", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == plain and "wasm-opt       off" in result.output


# each PVM-safe feature, used by a module the host's checks must accept
FEATURE_MODULES = {
    "MVP": "(func (export \"kernel_run\") (drop (i32.add (i32.const 1) (i32.const 2))))",
    "Multivalue": """(func $two (result i32 i64) (i32.const 1) (i64.const 2))
                     (func (export "kernel_run") (block (result i32 i64) (call $two)) (drop) (drop))""",
    "SignExt": "(func (export \"kernel_run\") (drop (i64.extend32_s (i64.extend8_s (i64.const 200)))))",
    "MutableGlobals": "(global (export \"g\") (mut i32) (i32.const 0)) (func (export \"kernel_run\"))",
}


@pytest.mark.parametrize("feature", wasm_opt.FEATURES)
def test_each_enabled_feature_is_accepted_by_the_host(feature: str) -> None:
    wasm = wasmtime.wat2wasm(f"(module (memory (export \"memory\") 1) {FEATURE_MODULES[feature]})")
    assert WasmEngine().load(bytes(wasm)).error == ""
    optimised = wasm_opt.optimize(bytes(wasm), "size", names=False)
    assert WasmEngine().load(optimised).error == ""


@pytest.mark.parametrize("body", [
    "(func (memory.fill (i32.const 0) (i32.const 0) (i32.const 8)))",  # bulk memory
    "(func (drop (i32x4.splat (i32.const 1))))",  # SIMD
])
def test_features_outside_the_set_are_refused(body: str) -> None:
    wasm = bytes(wasmtime.wat2wasm(f"(module (memory 1) {body})"))
    with pytest.raises(BackendError, match="feature outside MVP, Multivalue, SignExt, MutableGlobals"):
        wasm_opt.optimize(wasm, "size", names=False)


@pytest.mark.parametrize("profile", ["speed", "size"])
def test_failures_keep_their_kind_and_source_line(profile: str) -> None:
    lists = Path(__file__).parent / "programs" / "lists.py"
    seen = []
    for on in (False, True):
        m = CompiledModule(Compilation(lists, ["table", "edit"], optimize=profile, wasm_opt=on))
        for func, args in (("table", (9,)), ("edit", ([1, 2], 5, 0))):
            with pytest.raises(KernelTrap) as failure:
                m.call(func, *args)
            seen.append((on, func, failure.value.kind, Path(failure.value.file).name, failure.value.line))
    plain = [s[1:] for s in seen if not s[0]]
    assert [s[1:] for s in seen if s[0]] == plain
    assert plain == [("table", "bounds", "lists.py", 23), ("edit", "bounds", "lists.py", 56)]


def test_names_survive_the_pass_when_asked() -> None:
    comp = Compilation(Path(__file__).parent / "programs" / "control.py", ["classify"], names=True)
    assert inspect(comp.wasm).name_size > 0
    assert b"tests.compiler.programs.control.classify" in comp.wasm


def test_missing_binaryen_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "icpp_binaryen", None)  # import fails as if not installed
    wasm_opt._binaryen.cache_clear()
    try:
        result = CliRunner().invoke(main, ["kernel", "build", "-o", str(tmp_path / "k.wasm")])
        assert result.exit_code == 1
        assert "the wasm-opt pass needs Binaryen" in result.output and "--no-wasm-opt" in result.output
        assert "Traceback" not in result.output and "internal compiler error" not in result.output
        result = CliRunner().invoke(main, ["kernel", "build", "--no-wasm-opt", "-o", str(tmp_path / "k.wasm")])
        assert result.exit_code == 0, result.output
    finally:
        wasm_opt._binaryen.cache_clear()
