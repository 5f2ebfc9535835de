"""Kernel lifecycle on wasmtime: traps, stuck states, fallback, upgrades, reboots, ticks (spec §2)."""

from wasmtime import wat2wasm

from pvm_host.inbox import external
from pvm_host.rollup import Rollup
from pvm_spec.constants import FALLBACK_KERNEL_KEY, KERNEL_KEY, STUCK_FLAG_KEY, TOO_MANY_REBOOT_KEY, UPGRADE_ERROR_KEY
from tests.pvm_host.wat import ints, kernel

REBOOT = {900: b"/kernel/env/reboot", 920: b"/staging", 940: b"/kernel/boot.wasm"}
SET_REBOOT = "(drop (call $store_write (i32.const 900) (i32.const 18) (i32.const 0) (i32.const 0) (i32.const 1)))"
UPGRADE = f"(if (i32.eqz (call $store_move (i32.const 920) (i32.const 8) (i32.const 940) (i32.const 17))) (then {SET_REBOOT}))"


def test_trap_sets_stuck_without_rollback_then_clears() -> None:
    body = """
      (drop (call $store_write (i32.const 100) (i32.const 2) (i32.const 0) (i32.const 200) (i32.const 1)))
      (if (i32.eqz (call $store_has (i32.const 110) (i32.const 2))) (then
        (drop (call $store_write (i32.const 110) (i32.const 2) (i32.const 0) (i32.const 200) (i32.const 1)))
        unreachable))
      (call $dbg (call $store_has (i32.const 120) (i32.const 26)))
    """
    data = {100: b"/a", 110: b"/t", 120: b"/readonly/kernel/env/stuck", 200: b"v"}
    r = Rollup.open(kernel=kernel(body, data))
    rep = r.run_level([external(b"x")])
    assert rep.outcomes == ["trap: wasm trap: wasm `unreachable` instruction executed"]
    assert rep.dropped_inputs == 4
    assert r.read(STUCK_FLAG_KEY) == b"" and r.read("/a") == b"v" and r.read("/t") == b"v"
    rep = r.run_level([])
    assert rep.outcomes == ["ok"] and ints(rep.debug) == [1]  # the kernel sees the flag once
    assert r.read(STUCK_FLAG_KEY) is None and r.status == "running"


def test_tick_exhaustion_is_permanent() -> None:
    body = "(loop $forever (br $forever))"
    r = Rollup.open(kernel=kernel(body), tick_budget=100_000)
    rep = r.run_level([])
    assert rep.stuck.startswith("out_of_ticks") and rep.ticks >= 100_000
    rep = r.run_level([external(b"x")])
    assert rep.boots == 0 and rep.dropped_inputs == 4
    assert r.status.startswith("stuck: out_of_ticks")


def test_tick_budget_allows_small_runs() -> None:
    r = Rollup.open(kernel=kernel("(call $dbg (i32.const 1))"), tick_budget=100_000)
    rep = r.run_level([])
    assert rep.outcomes == ["ok"] and 0 < rep.ticks < 100_000


def _upgrade_to(new_kernel: bytes) -> tuple[Rollup, list[str]]:
    old = kernel(f"(call $dbg (i32.const 1)) {UPGRADE}", REBOOT)
    r = Rollup.open(kernel=old)
    r.pvm.durable.set("/staging", new_kernel)
    rep = r.run_level([])
    return r, rep.outcomes


def test_good_upgrade_runs_new_kernel_in_same_level() -> None:
    new = kernel("(call $dbg (i32.const 2))")
    r, outcomes = _upgrade_to(new)
    assert outcomes == ["ok", "ok"]
    assert r.read(KERNEL_KEY) == new and r.read(FALLBACK_KERNEL_KEY) == new
    assert ints(r.run_level([]).debug) == [2]


def test_bad_upgrades_fall_back_with_upgrade_error() -> None:
    floats = wat2wasm(
        '(module (memory (export "m") 1) (func (export "kernel_run") (drop (f32.add (f32.const 1) (f32.const 2)))))'
    )
    unknown_import = wat2wasm(
        '(module (import "env" "f" (func)) (memory (export "m") 1) (func (export "kernel_run")))'
    )
    bad_type = wat2wasm(
        '(module (import "smart_rollup_core" "write_debug" (func (param i32 i32) (result i32)))'
        ' (memory (export "m") 1) (func (export "kernel_run")))'
    )
    no_memory = wat2wasm('(module (memory 1) (func (export "kernel_run")))')
    start_trap = wat2wasm('(module (memory (export "m") 1) (func $s unreachable) (start $s) (func (export "kernel_run")))')
    wat_text = b'(module (memory (export "m") 1) (func (export "kernel_run")))'
    for bad in (b"\x00asm garbage", wat_text, floats, unknown_import, bad_type, no_memory, start_trap):
        r, outcomes = _upgrade_to(bad)
        assert outcomes[0] == "ok" and outcomes[1].startswith("load_error"), outcomes
        assert r.read(UPGRADE_ERROR_KEY) == b"" and r.read(KERNEL_KEY) == r.read(FALLBACK_KERNEL_KEY)
        rep = r.run_level([])
        assert rep.outcomes == ["ok"]  # the fallback kernel runs; /staging is gone
        assert ints(rep.debug)[0] == 1 and r.read(UPGRADE_ERROR_KEY) is None


def test_no_kernel_run_and_broken_origination_are_permanent() -> None:
    r = Rollup.open(kernel=wat2wasm('(module (memory (export "m") 1) (func (export "main")))'))
    assert r.run_level([]).stuck.startswith("no_kernel_run")
    r = Rollup.open(kernel=b"not wasm")
    assert r.run_level([]).stuck.startswith("no_fallback_kernel")


def test_stack_overflow_is_permanent() -> None:
    r = Rollup.open(kernel=kernel("(call $rec)", extra="  (func $rec (call $rec))\n"))
    assert r.run_level([]).stuck.startswith("eval_error")


def test_too_many_reboots_and_inputs_kept_across_reboots() -> None:
    body = f"""
      (call $dbg (call $read_input (i32.const 16) (i32.const 64) (i32.const 4096)))
      {SET_REBOOT}
    """
    r = Rollup.open(kernel=kernel(body, REBOOT))
    rep = r.run_level([external(b"abc")])
    assert rep.boots == 1001 and rep.forced_yield
    assert ints(rep.debug)[:6] == [2, 42, 4, 2, 0, 0]
    assert r.read(TOO_MANY_REBOOT_KEY) == b""


def test_host_bug_propagates_instead_of_trapping() -> None:
    import pytest

    r = Rollup.open(kernel=kernel("(drop (call $write_output (i32.const 0) (i32.const 1)))"))

    def broken(_data: bytes) -> int:
        raise RuntimeError("host bug")

    r.pvm.write_output = broken  # type: ignore[method-assign]
    with pytest.raises(RuntimeError, match="host bug"):
        r.run_level([])
