"""Reference tick model (issue 15): per-construct costs, exact figures for our own kernels.

The ``link_*`` figures are the reference PVM's exact counts for its one-import regression kernels
(``src/lib_scoru_wasm/regressions/expected/`` in tezos/tezos-mirror at d26a8bef82), rebuilt here as
inline WAT. The comparison with the reference's recorded runs of the Tezos echo and tx kernels, which
are not part of this repository, is ``scripts/check_tick_model DIR``; it runs here when
``TEZOS_MIRROR_FILES=DIR`` names the extracted files (docs/HOST.md "Calibration").
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from wasmtime import Engine, Module, wat2wasm

from dsn.cli import main
from pvm_host import tick_model as tm
from pvm_host.lifecycle import Outcome, originate, run_level
from pvm_host.pvm import PvmState
from pvm_host.rollup import Rollup
from pvm_host.tick_instrument import instrument
from pvm_host.wasm_engine import WasmEngine
from tests.pvm_host.wat import kernel

ROOT = Path(__file__).resolve().parents[2]
ECHO = ROOT / "fixtures" / "replay" / "echo.wasm"  # ours, built from fixtures/wat/echo.wat

LINK_REFERENCE = {  # import name, params: first padding tick of the one kernel_run
    "store_create": (3, 204), "store_exists": (2, 203), "reveal": (4, 199), "store_delete_value": (2, 209),
    "__internal_store_get_hash": (4, 218),
}


def boots(wasm: bytes, messages: list[bytes], tick_model: str = "reference") -> list[int]:
    pvm = PvmState()
    originate(pvm, wasm)
    engine = WasmEngine(tick_model=tick_model)
    ticks: list[int] = []
    boot = engine.boot

    def counted(p: PvmState):  # type: ignore[no-untyped-def]
        result = boot(p)
        assert result.outcome is Outcome.OK, result
        ticks.append(result.ticks)
        return result

    engine.boot = counted  # type: ignore[method-assign]
    run_level(pvm, engine, 0, messages)
    return ticks


@pytest.mark.parametrize("name", sorted(LINK_REFERENCE))
def test_one_import_kernels_match_the_reference_exactly(name: str) -> None:
    """The reference's link_* regression kernels, as WAT: one import, memory, a kernel_run that does nop."""
    params, reference = LINK_REFERENCE[name]
    wat = f"""(module (import "smart_rollup_core" "{name}" (func (param {' i32' * params}) (result i32)))
      (memory 1) (export "mem" (memory 0)) (func (export "kernel_run") (nop)))"""
    assert boots(wat2wasm(wat), []) == [reference]


def test_echo_kernel_exact_ticks() -> None:
    """Our echo kernel reads every input in one kernel_run: an empty level, then one external message."""
    assert boots(ECHO.read_bytes(), []) == [3833]
    assert boots(ECHO.read_bytes(), [b"\x01hello"]) == [4507]


@pytest.mark.skipif(not os.environ.get("TEZOS_MIRROR_FILES"),
                    reason="TEZOS_MIRROR_FILES=DIR not set (the Tezos echo/tx kernels are not in this repository)")
def test_tezos_kernels_match_the_reference_runs() -> None:
    """scripts/check_tick_model on the extracted Tezos kernels: every run within 10 % of its gap."""
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_tick_model"), os.environ["TEZOS_MIRROR_FILES"]],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    ours = [int(line.split()[3].replace(",", "")) for line in done.stdout.splitlines()[1:] if "all runs" not in line]
    assert ours == [3169, 4849, 2365, 1_297_094, 1_747_030, 3_665_344, 4_884_091, 1_296_863, 1_241_442]


def test_fuel_model_stays_available() -> None:
    """The fast mode counts wasmtime fuel + host costs: far below the reference (the old figures)."""
    assert boots(ECHO.read_bytes(), [], "fuel") == [2447]
    assert boots(ECHO.read_bytes(), [b"\x01hello"], "fuel") == [2938]
    with pytest.raises(ValueError, match="unknown tick model"):
        WasmEngine(tick_model="wall-clock")


def run_ticks(body: str, extra: str = "", budget: int | None = None) -> int:
    rollup = Rollup.open(kernel=kernel(body, extra=extra), **({"tick_budget": budget} if budget else {}))
    report = rollup.run_level([])
    assert report.outcomes == ["ok"], report.outcomes
    return report.ticks


def test_plain_instruction_costs_six_ticks_plus_two_decoder_steps() -> None:
    """From_block + Plain admin instructions (3 + 3), one decode step, one elaboration step."""
    assert run_ticks("(nop)" * 11) - run_ticks("(nop)") == 10 * 8


def test_memory_fill_and_copy_cost_per_byte() -> None:
    fill = "(memory.fill (i32.const 100) (i32.const 7) (i32.const {n}))"
    copy = "(memory.copy (i32.const 100) (i32.const 300) (i32.const {n}))"
    assert run_ticks(fill.format(n=100)) - run_ticks(fill.format(n=0)) == 100 * 42
    assert run_ticks(copy.format(n=100)) - run_ticks(copy.format(n=0)) == 100 * 48


def test_loop_iterations_pay_the_taken_branch() -> None:
    """8 plain instructions per iteration (48) + a taken br_if: Br admin (3), loop landing (4) and
    the loop instruction re-run (3)."""
    body = """(local $i i32)
      (loop $l
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (i32.const {n}))))"""
    assert run_ticks(body.format(n=11)) - run_ticks(body.format(n=1)) == 10 * 58


def test_wasm_call_cost() -> None:
    """i32.const, call, drop (3 × 6, 3 decode steps + 3 elaboration steps); Invoke 8 + 2 params
    + 2 × 2 locals; body local.get 6 + function end 6; result concat 2 + 1 result."""
    callee = "(func $f (param i32) (result i32) (local i64 i64) (local.get 0))"
    one = run_ticks("(drop (call $f (i32.const 5)))", extra=callee)
    two = run_ticks("(drop (call $f (i32.const 5)))" * 2, extra=callee)
    assert two - one == 18 + 6 + (8 + 2 + 4) + 12 + 3


def test_host_call_cost() -> None:
    """Two i32.const, call, drop (4 × 6 + 4 × 2 decode/elaboration steps), the host Invoke (5) and the
    host function's own ticks (42 per key byte + 1 tree access)."""
    data = {100: b"/a/key"}
    call = "(drop (call $store_has (i32.const 100) (i32.const 6)))"
    once = Rollup.open(kernel=kernel(call, data)).run_level([]).ticks
    twice = Rollup.open(kernel=kernel(call * 2, data)).run_level([]).ticks
    assert twice - once == 4 * 6 + 4 * 2 + 5 + 42 * 6 + 1


def test_out_of_ticks_stops_at_the_budget() -> None:
    rollup = Rollup.open(kernel=kernel("(loop $l (br $l))"), tick_budget=100_000)
    report = rollup.run_level([])
    assert report.stuck.startswith("out_of_ticks")
    assert 100_000 < report.ticks <= 100_000 + 40  # checked at every loop header


def test_load_ticks_of_the_echo_kernel() -> None:
    """Decode + link + init + run overhead; the 6 data bytes alone cost 6 × (1 decode + 42 init)."""
    counted = instrument(ECHO.read_bytes(), 10**12)
    c = counted.counts
    assert (c.functions, c.imports, c.data_segments, c.data_bytes, c.instructions) == (1, 5, 1, 6, 43)
    assert (tm.decode_ticks(c), tm.link_ticks(c), tm.init_ticks(c), tm.RUN_OVERHEAD) == (409, 6, 334, 37)
    assert counted.load_ticks == 409 + 6 + 334 + 37
    assert tm.init_ticks(c) >= 6 * 42


def test_modules_without_globals_or_exports_are_instrumented() -> None:
    wasm = wat2wasm('(module (memory 1) (data (i32.const 0) "ab") (func $f (loop (br 0))))')
    counted = instrument(wasm, 10**6)
    module = Module(Engine(), counted.binary)
    assert [e.name for e in module.exports] == ["__pvm_ticks"]


def test_simd_kernels_fall_back_to_fuel() -> None:
    """The reference model does not cover 0xFD opcodes; such kernels are counted with fuel."""
    body = "(drop (i32x4.extract_lane 0 (i32x4.add (v128.const i32x4 1 2 3 4) (v128.const i32x4 1 1 1 1))))"
    engine = WasmEngine()
    loaded = engine.load(kernel(body))
    assert loaded.module is not None and not loaded.counted
    assert run_ticks(body) == boots(kernel(body), [], "fuel")[0]


def test_replay_says_which_tick_model_it_reports(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs.json"
    inputs.write_text("[[]]")
    lines = {}
    for model in ("reference", "fuel"):
        result = CliRunner().invoke(main, ["kernel", "replay", str(inputs), "--kernel", str(ECHO),
                                           "--data-dir", str(tmp_path / model), "--tick-model", model])
        assert result.exit_code == 0, result.output
        lines[model] = result.output.splitlines()[0]
    assert lines["reference"].startswith("level 0: 0 message(s), 1 boot(s), 3833 ticks (reference), ")
    assert lines["fuel"].startswith("level 0: 0 message(s), 1 boot(s), 2447 ticks (fuel), ")


def test_if_else_and_empty_else_cost_the_same_block() -> None:
    """i32.const (6), if (From_block + Plain If + Plain Block = 9), the branch's nop (6), its block end
    (7 + no results + nothing saved); an if without else that is not taken runs the empty block (7).
    Decode: a plain instruction 1 + 1 (elaboration), an if 3 + 2 (two block vectors), an else 2."""
    base = run_ticks("")
    both = "(if (i32.const {c}) (then (nop)) (else (nop)))"
    assert run_ticks(both.format(c=1)) - base == run_ticks(both.format(c=0)) - base == 28 + 3 * 2 + 5 + 2
    assert run_ticks("(if (i32.const 0) (then (nop)))") - base == (6 + 9 + 7) + 2 * 2 + 5


def test_branch_out_of_nested_blocks_carries_its_value() -> None:
    """block (6), block (6), i32.const (6), br 1: Plain Br (6) + one Breaking pass (3) + landing on
    the outer block: 4 + 1 carried value + 0 saved; then drop (6). The dead code after br is never
    charged. Decode: 4 plain instructions × 2, 2 blocks × 4."""
    base = run_ticks("")
    body = "(drop (block (result i32) (block (i32.const 7) (br 1)) (i32.const 0)))"
    assert run_ticks(body) - base == 6 + 6 + 6 + (6 + 3 + 5) + 6 + 4 * 2 + 2 * 4
