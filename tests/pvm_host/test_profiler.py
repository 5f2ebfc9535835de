"""The tick profiler (`dsn kernel profile`): its total equals a plain replay's ticks to the tick, in both
tick models and on several kernels; stacks, calls and outputs are exact; bad input exits 2 cleanly."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from wasmtime import wat2wasm

from pvm_host.inbox import external
from pvm_host.profiler import LOAD_FRAME, Profile, ProfilingEngine, demangle, function_names
from pvm_host.rollup import Rollup
from pvm_spec.b58 import encode
from pvm_spec.constants import DEFAULT_ROLLUP_ADDRESS, PRE_PARIS_TICK_BUDGET

ROOT = Path(__file__).resolve().parents[2]
MIX = bytes(wat2wasm((ROOT / "fixtures/wat/profile_mix.wat").read_text()))
ECHO = (ROOT / "fixtures/replay/echo.wasm").read_bytes()
MODELS = ["reference", "fuel"]
# fib(10) (n = 2, even), square (n = 3), fib(1), a level without externals, then a trap in $boom
MIX_LEVELS = [[external(b"\x0a"), external(b"\x05\x05"), external(b"\x01")], [], [external(b"\xff")]]


def run(kernel: bytes, levels: list[list[bytes]], tick_model: str, profiled: bool,
        setup: list[tuple[str, str, bytes | str]] | None = None, budget: int = PRE_PARIS_TICK_BUDGET,
        address: str = DEFAULT_ROLLUP_ADDRESS) -> tuple[list[int], Profile | None, list[str]]:
    rollup = Rollup.open(kernel=kernel, tick_model=tick_model, tick_budget=budget, setup=setup, rollup_address=address)
    engine = ProfilingEngine(budget, tick_model) if profiled else None
    if engine is not None:
        rollup.engine = engine
    reports = [rollup.run_level(messages) for messages in levels]
    return [r.ticks for r in reports], engine.profile if engine else None, [o for r in reports for o in r.outcomes]


@pytest.mark.parametrize("tick_model", MODELS)
@pytest.mark.parametrize("kernel,levels", [(MIX, MIX_LEVELS), (ECHO, [[external(b"hi"), external(b"x")], []])],
                         ids=["profile_mix", "echo"])
def test_profile_total_equals_a_plain_replay(kernel, levels, tick_model):
    plain, _, outcomes = run(kernel, levels, tick_model, profiled=False)
    ticks, profile, profiled_outcomes = run(kernel, levels, tick_model, profiled=True)
    assert profile is not None and ticks == plain and profiled_outcomes == outcomes
    assert profile.total == sum(plain)
    if kernel is MIX:
        assert outcomes[-1].startswith("trap:")  # the last level traps in $boom: its ticks are profiled too


def test_stacks_calls_and_host_charges_are_exact():
    _, profile, _ = run(MIX, MIX_LEVELS[:2], "reference", profiled=True)
    assert profile is not None
    rows = {r.name: r for r in profile.functions()}
    assert rows["kernel_run"].calls == 2
    assert rows["fib"].calls == 177 + 1  # fib(10) makes 177 calls, fib(1) one
    assert rows["square"].calls == 1 and rows["pick"].calls == 3 and rows["bulk"].calls == 3
    deepest = max(len(s) for s in profile.stacks if s[0] == "kernel_run")
    assert deepest == 1 + 10  # kernel_run, fib(10) ... fib(1)
    # recursion: fib's inclusive ticks count each stack once, so they equal its self ticks (a leaf)
    assert rows["fib"].inclusive == rows["fib"].self_ticks > 0
    assert rows["kernel_run"].inclusive == profile.total - profile.stacks[(LOAD_FRAME,)][0]
    # host charges go to leaf frames under their caller: read_input reads SOL, IPL, 3 externals, EOL,
    # then SOL, IPL, EOL: 42 ticks a byte (2 + 42 + 2 + 3 + 2 + 2, then 2 + 42 + 2 bytes)
    assert profile.stacks[("kernel_run", "read_input")] == [42 * (53 + 46), 9]
    assert rows["read_input"].host and rows["kernel_run"].host_ticks == sum(
        t for s, (t, _) in profile.stacks.items() if len(s) == 2 and s[1] in profile.host_frames)
    # store_read through call_indirect: /out is missing on level 0 (an error: no charge, not counted),
    # then 4 bytes on level 1 (42 per key byte + 1 + 42 per byte read)
    assert profile.stacks[("kernel_run", "[host function]")] == [42 * 4 + 1 + 42 * 4, 1]


def test_collapsed_and_speedscope_outputs():
    _, profile, _ = run(MIX, MIX_LEVELS, "fuel", profiled=True)
    assert profile is not None
    lines = profile.collapsed().splitlines()
    assert lines and all(re.fullmatch(r"\S.*;?.* \d+", line) for line in lines)
    parsed = {tuple(stack.split(";")): int(ticks) for stack, ticks in (line.rsplit(" ", 1) for line in lines)}
    assert sum(parsed.values()) == profile.total
    assert "kernel_run;boom" in "\n".join(lines)
    doc = profile.speedscope("mix")
    assert doc["$schema"] == "https://www.speedscope.app/file-format-schema.json"
    frames = [f["name"] for f in doc["shared"]["frames"]]
    (prof,) = doc["profiles"]
    assert prof["type"] == "sampled" and prof["unit"] == "none"
    assert len(prof["samples"]) == len(prof["weights"]) == len(lines)
    assert sum(prof["weights"]) == prof["endValue"] == profile.total
    assert {tuple(frames[i] for i in s): w for s, w in zip(prof["samples"], prof["weights"])} == parsed


def test_function_names_fall_back_to_exports_and_indices():
    wasm = wat2wasm('(module (import "smart_rollup_core" "write_debug" (func (param i32 i32))) (memory 1) '
                    '(func (export "kernel_run")) (func $named) (func) (export "memory" (memory 0)))')
    assert function_names(wasm) == ["write_debug", "kernel_run", "named", "func[3]"]


def test_rust_symbols_are_demangled():
    assert demangle("_ZN4core3fmt9Formatter3pad17h0123456789abcdefE") == "core::fmt::Formatter::pad"
    assert demangle("_ZN60_$LT$alloc..string..String$u20$as$u20$core..fmt..Display$GT$3fmt17h3d4c2b1a09876543E") \
        == "<alloc::string::String as core::fmt::Display>::fmt"
    assert [demangle(n) for n in ("kernel_run", "_ZNbad", "_ZN99tooshortE")] == ["kernel_run", "_ZNbad", "_ZN99tooshortE"]


def test_components_take_the_first_rule_from_the_leaf_up():
    profile = Profile("reference")
    profile.add(("run", "crypto.verify", "memcpy"), 10)
    profile.add(("run", "crypto.verify", "hash.blake"), 7)
    profile.add(("run", "store.write", "store_write"), 5)
    profile.host_frames.add("store_write")
    profile.add(("run",), 3)
    rules = [("crypto.", "signatures"), ("hash.", "hashing"), ("store.", "storage")]
    assert profile.components(rules, host="host") == {"signatures": 10, "hashing": 7, "host": 5, "other": 3}


@pytest.mark.skipif(not os.environ.get("TEZOS_MIRROR_FILES"),
                    reason="TEZOS_MIRROR_FILES=DIR not set (the Tezos echo/tx kernels are not in this repository)")
@pytest.mark.parametrize("tick_model,totals", [("reference", (10_383, 14_131_864)), ("fuel", (3_608, 914_869))])
def test_tezos_rust_kernels_profile_exactly(tick_model, totals):
    """tezos-mirror's echo and tx kernels (extracted as for scripts/check_tick_model; docs/HOST.md)."""
    folder = Path(os.environ["TEZOS_MIRROR_FILES"])
    for name, inputs, total in (("echo.wasm", [], totals[0]),
                                ("tx-kernel-no-verif.wasm", ["deposit.out", "withdrawal.out"], totals[1])):
        kernel = (folder / name).read_bytes()
        messages = [[b"\x00\x00" + (folder / i).read_bytes() for i in inputs]]
        plain, _, outcomes = run(kernel, messages, tick_model, profiled=False, budget=50 * 10**12)
        ticks, profile, _ = run(kernel, messages, tick_model, profiled=True, budget=50 * 10**12)
        assert profile is not None and ticks == plain == [total] and set(outcomes) == {"ok"}
        assert profile.total == total


@pytest.fixture(scope="module")
def shipped_kernel(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    out = tmp_path_factory.mktemp("kernel") / "kernel.wasm"
    subprocess.run([sys.executable, "-m", "dsn", "kernel", "build", "--names", "-o", str(out)], check=True,
                   capture_output=True)
    return out.read_bytes()


@pytest.mark.slow
@pytest.mark.parametrize("tick_model", MODELS)
def test_profile_of_the_shipped_kernel_is_exact(shipped_kernel, tick_model):
    from kernel_py.formats import dsn as fmt
    from kernel_py.formats import tx as txf
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

    auth, senders = make_committee(4), [user(100 + i) for i in range(3)]
    setup = [("set", "/setup/committee", fmt.encode_committee(auth.committee)), ("set", "/setup/governance", GOVERNANCE),
             ("set", "/setup/genesis", genesis_bytes([(pk(s), 10**9) for s in senders]))]
    txs = [signed_tx(s, 0, txf.action_transfer(pk(user(7)), NATIVE, 1)) for s in senders]
    dag = Dag(auth, signers=3)
    levels = [[], [], preblock_messages(next_preblock(dag, txs), dag.index)]
    address = encode("sr1", ROLLUP)
    plain, _, _ = run(shipped_kernel, levels, tick_model, profiled=False, setup=setup, address=address)
    ticks, profile, outcomes = run(shipped_kernel, levels, tick_model, profiled=True, setup=setup, address=address)
    assert profile is not None and ticks == plain and outcomes == ["ok"] * 3
    assert profile.total == sum(plain)
    rows = {r.name: r for r in profile.functions()}
    crypto = [r for r in rows.values() if r.name.startswith("kernel_py.crypto.ed25519.")]
    assert crypto and sum(r.self_ticks for r in crypto) > profile.total // 2  # the signatures dominate
    assert rows["host.store_write"].host and rows["host.store_write"].self_ticks > 0  # named by the name section


def invoke(*args: str):
    from dsn.cli import main

    return CliRunner().invoke(main, ["kernel", "profile", *args])


def test_cli_profiles_and_writes_flame_graphs(tmp_path):
    out, speedscope = tmp_path / "stacks.txt", tmp_path / "profile.json"
    kernel = tmp_path / "mix.wasm"
    kernel.write_bytes(MIX)
    inputs = tmp_path / "inputs.json"
    inputs.write_text(json.dumps([[{"external": "0a"}, {"external": "0505"}], []]))
    result = invoke(str(inputs), "--kernel", str(kernel), "--tick-model", "fuel", "--top", "3",
                    "--collapsed", str(out), "--speedscope", str(speedscope))
    assert result.exit_code == 0, result.output
    totals = re.findall(r"^level \d+: .*?, (\d+) ticks \(fuel\)", result.output, re.M)
    plain, _, _ = run(MIX, [[external(b"\x0a"), external(b"\x05\x05")], []], "fuel", profiled=False,
                      budget=50 * 10**12)
    assert [int(t) for t in totals] == plain
    assert f"profile total {sum(plain):,} ticks (fuel); levels replayed {sum(plain):,} ticks" in result.output
    assert "top 3 functions" in result.output and "fib" in result.output
    assert sum(int(line.rsplit(" ", 1)[1]) for line in out.read_text().splitlines()) == sum(plain)
    assert json.loads(speedscope.read_text())["profiles"][0]["endValue"] == sum(plain)


def test_cli_bad_input_exits_2_without_traceback(tmp_path):
    inputs = tmp_path / "inputs.json"
    inputs.write_text("[[]]")
    missing = invoke(str(tmp_path / "nope.json"), "--kernel", str(ROOT / "fixtures/replay/echo.wasm"))
    assert missing.exit_code == 2 and "does not exist" in missing.output
    bad = tmp_path / "bad.wasm"
    bad.write_bytes(b"not wasm")
    result = invoke(str(inputs), "--kernel", str(bad))
    assert result.exit_code == 2 and "bad.wasm: not a kernel the PVM can run: decode error" in result.output
    assert isinstance(result.exception, SystemExit)
    no_run = tmp_path / "norun.wat"
    no_run.write_text('(module (memory (export "memory") 1))')
    result = invoke(str(inputs), "--kernel", str(no_run))
    assert result.exit_code == 2 and "no kernel_run" in result.output
    simd = tmp_path / "simd.wat"
    simd.write_text('(module (memory (export "memory") 1) (func (export "kernel_run") (drop (v128.const i64x2 0 0))))')
    result = invoke(str(inputs), "--kernel", str(simd))
    assert result.exit_code == 2 and "simd.wat: cannot be profiled: SIMD instructions (0xfd)" in result.output
    inputs.write_text("{")
    result = invoke(str(inputs), "--kernel", str(ROOT / "fixtures/replay/echo.wasm"))
    assert result.exit_code == 2 and "inputs.json" in result.output and isinstance(result.exception, SystemExit)
    assert "Usage" in invoke("--help").output
