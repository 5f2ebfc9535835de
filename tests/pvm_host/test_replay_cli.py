"""`dsn kernel replay|show-key|ls` on the replay fixtures, Michelson and inputs parsing, crash safety."""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from dsn.cli import main
from pvm_host.inbox import external
from pvm_host.replay import load_inputs, parse_message
from pvm_host.rollup import Rollup
from pvm_spec.michelson import to_micheline

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures" / "replay"
ZERO_ADDR = bytes(20)
ZERO_SOURCE = bytes(21)


def test_michelson_to_micheline() -> None:
    assert to_micheline("Unit").hex() == "030b"
    assert to_micheline("0x0102").hex() == "0a000000020102"
    assert to_micheline('"hi"').hex() == "01000000026869"
    assert to_micheline("1000000").hex() == "0080897a"
    assert to_micheline("-64").hex() == "00c001"
    assert to_micheline('Pair 1 "a"').hex() == "07070001010000000161"
    assert to_micheline("Left (Pair 1 2)").hex() == "0505070700010002"
    assert to_micheline("Right Unit").hex() == "0508030b"
    assert to_micheline("{ 1 ; 2 }").hex() == "020000000400010002"
    assert to_micheline("Pair 1 2 3").hex() == "09070000000600010002000300000000"
    with pytest.raises(ValueError):
        to_micheline("Pair 1 (")


def test_inputs_messages() -> None:
    rollup = "sr163Lv22CdE8QagCwf48PWDTquk6isQwv57"
    assert parse_message({"external": "abcd"}, rollup) == b"\x01\xab\xcd"
    assert parse_message({"serialized": "0002"}, rollup) == b"\x00\x02"
    assert parse_message("0001", rollup) == b"\x00\x01"
    assert parse_message({"payload": "Unit"}, rollup) == b"\x00\x00\x03\x0b" + ZERO_ADDR + ZERO_SOURCE + ZERO_ADDR
    with pytest.raises(ValueError, match="here"):
        parse_message({"bogus": 1}, rollup, "here")


def test_load_inputs(tmp_path: Path) -> None:
    inboxes = load_inputs(FIXTURES / "echo_inputs.json", "sr163Lv22CdE8QagCwf48PWDTquk6isQwv57")
    assert [len(i) for i in inboxes] == [2, 0, 3]
    assert inboxes[2][1] == b"\x01\xff"
    bad = tmp_path / "bad.json"
    bad.write_text('[[{"external": "zz"}]]')
    with pytest.raises(ValueError, match="inbox 0 message 0"):
        load_inputs(bad, "sr163Lv22CdE8QagCwf48PWDTquk6isQwv57")
    bad.write_text('{"not": "a list"}')
    with pytest.raises(ValueError, match="array of inboxes"):
        load_inputs(bad, "sr163Lv22CdE8QagCwf48PWDTquk6isQwv57")


def test_replay_cli_resume_show_key_ls(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["kernel", "replay", str(FIXTURES / "echo_inputs.json"), "--kernel", str(FIXTURES / "echo.wasm"),
            "--state-dir", str(tmp_path)]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("level 0: 2 message(s), 1 boot(s), ")
    assert "  debug: 0x0168656c6c6f" in lines and "  outbox[0]: 68656c6c6f" in lines
    assert "  outbox[1]: ff" in lines
    again = runner.invoke(main, args)
    assert again.exit_code == 0 and again.output.startswith("resuming at level 3: 3 inbox(es) already processed")
    shown = runner.invoke(main, ["kernel", "show-key", "/count", "--state-dir", str(tmp_path)])
    assert shown.exit_code == 0 and shown.output == "0e000000\n"  # 14 inputs over 3 levels
    missing = runner.invoke(main, ["kernel", "show-key", "/nope", "--state-dir", str(tmp_path)])
    assert missing.exit_code == 1
    listed = runner.invoke(main, ["kernel", "ls", "/", "--state-dir", str(tmp_path)])
    assert listed.exit_code == 0 and listed.output.split() == ["count", "kernel", "readonly"]
    leaf = runner.invoke(main, ["kernel", "ls", "/count", "--state-dir", str(tmp_path)])
    assert leaf.exit_code == 0 and leaf.output == ""  # a value without subkeys exists
    gone = runner.invoke(main, ["kernel", "ls", "/nope", "--state-dir", str(tmp_path)])
    assert gone.exit_code == 1 and gone.output == "no key /nope\n"


def test_replay_setup_file(tmp_path: Path) -> None:
    setup = tmp_path / "setup.yaml"
    setup.write_text("instructions:\n  - set:\n      value: 0a0b\n      to: /config/x\n  - move: {from: /config/x, to: /config/y}\n")
    runner = CliRunner()
    result = runner.invoke(main, ["kernel", "replay", str(FIXTURES / "echo_inputs.json"), "--kernel",
                                  str(FIXTURES / "echo.wasm"), "--state-dir", str(tmp_path / "st"), "--setup", str(setup)])
    assert result.exit_code == 0, result.output
    shown = runner.invoke(main, ["kernel", "show-key", "/config/y", "--state-dir", str(tmp_path / "st")])
    assert shown.output == "0a0b\n"


def _inputs(path: Path, levels: int) -> None:
    path.write_text(json.dumps([[{"external": f"{i:08x}"}] for i in range(levels)]))


@pytest.mark.slow
def test_kill_9_leaves_last_completed_level(tmp_path: Path) -> None:
    levels = 1000
    inputs = tmp_path / "inputs.json"
    _inputs(inputs, levels)
    state = tmp_path / "state"
    cmd = [str(Path(sys.executable).parent / "dsn"), "kernel", "replay", str(inputs), "--kernel", str(FIXTURES / "echo.wasm"),
           "--state-dir", str(state)]
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    try:
        assert proc.stdout is not None
        seen = 0
        while seen < 200:  # let it commit some levels, then kill it mid-run
            line = proc.stdout.readline()
            assert line, "replay ended early"
            seen += line.startswith(b"level ")
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    r = Rollup.open(state_dir=state)
    done = r.next_level
    assert 200 <= done < levels
    assert r.read("/count") == (4 * done).to_bytes(4, "little")  # exactly `done` complete levels
    assert r.outbox_at(done - 1) == [(done - 1).to_bytes(4, "big")]
    r.close()
    resumed = subprocess.run(cmd, capture_output=True, env=env, cwd=ROOT, timeout=300)
    assert resumed.returncode == 0
    assert resumed.stdout.startswith(f"resuming at level {done}".encode())
    reference = Rollup.open(kernel=(FIXTURES / "echo.wasm").read_bytes())
    for i in range(levels):
        reference.run_level([external(i.to_bytes(4, "big"))])
    final = Rollup.open(state_dir=state)
    assert final.next_level == levels and final.root_hash() == reference.root_hash()
    final.close()


def test_replay_native_matches_wasm_outbox(tmp_path: Path) -> None:
    runner = CliRunner()
    native = Path(__file__).parent / "native_kernels" / "counter.py"
    result = runner.invoke(main, ["kernel", "replay", str(FIXTURES / "echo_inputs.json"), "--native", str(native),
                                  "--state-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("level 0: 2 message(s), 1 boot(s), 0 ticks")
    assert "  debug: external hello" in lines
    # counter.py prefixes outbox messages with level and id (both u32 BE)
    assert "  outbox[0]: 000000000000000268656c6c6f" in lines
    shown = runner.invoke(main, ["kernel", "show-key", "/count", "--state-dir", str(tmp_path)])
    assert shown.output == "0e00000000000000\n"


def test_replay_missing_preimage_stops_without_commit(tmp_path: Path) -> None:
    from tests.pvm_host.wat import kernel

    wasm = tmp_path / "k.wasm"
    wasm.write_bytes(kernel("(drop (call $reveal_preimage (i32.const 100) (i32.const 33) (i32.const 200) (i32.const 4096)))",
                            {100: b"\x00" + bytes(range(32))}))
    inputs = tmp_path / "in.json"
    inputs.write_text("[[]]")
    runner = CliRunner()
    args = ["kernel", "replay", str(inputs), "--kernel", str(wasm), "--state-dir", str(tmp_path / "st"),
            "--preimages", str(tmp_path)]
    result = runner.invoke(main, args)
    assert result.exit_code == 1 and "missing preimage 00000102" in result.output
    assert "next level 0" in result.output


def test_echo_fixture_is_built_from_its_wat() -> None:
    from wasmtime import wat2wasm

    wat = (ROOT / "fixtures" / "wat" / "echo.wat").read_text()
    assert wat2wasm(wat) == (FIXTURES / "echo.wasm").read_bytes()


def test_replay_tick_budget(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["kernel", "replay", str(FIXTURES / "echo_inputs.json"), "--kernel",
                                       str(FIXTURES / "echo.wasm"), "--state-dir", str(tmp_path), "--tick-budget", "1e2"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].endswith("status stuck (out_of_ticks: tick budget exhausted)")
    assert lines[-1].endswith("status stuck: out_of_ticks: tick budget exhausted")


def test_replay_accepts_wat_kernels(tmp_path: Path) -> None:
    runner = CliRunner()
    base = ["kernel", "replay", str(FIXTURES / "echo_inputs.json"), "--kernel"]
    text = runner.invoke(main, base + [str(ROOT / "fixtures" / "wat" / "echo.wat"), "--state-dir", str(tmp_path / "a")])
    binary = runner.invoke(main, base + [str(FIXTURES / "echo.wasm"), "--state-dir", str(tmp_path / "b")])
    assert text.exit_code == 0 and text.output.splitlines()[-1] == binary.output.splitlines()[-1]
    bad = tmp_path / "bad.wat"
    bad.write_text("(module (bad")
    broken = runner.invoke(main, base + [str(bad), "--state-dir", str(tmp_path / "c")])
    assert broken.exit_code == 1 and "bad.wat" in broken.output


def test_format_debug_bytes() -> None:
    from pvm_host.replay import format_bytes

    assert format_bytes(b"hello\n") == "hello"
    assert format_bytes(b"a\nb") == "a\nb"
    assert format_bytes(b"a\r\n\tb\n") == "a\n\tb"
    assert format_bytes(b"a\x07b") == "0x610762"
    assert format_bytes(b"\x00\x01") == "0x0001"
    assert format_bytes("héllo".encode()) == "héllo"


def test_multi_line_debug_is_text() -> None:
    """Rust ``{:#?}`` output (one write_debug call with newlines) prints as text lines, not hex."""
    from pvm_host.lifecycle import LevelReport
    from pvm_host.replay import format_report

    pretty = b'Transfer {\n    amount: 5,\n    to: "tz1",\n}\n'
    lines = format_report(LevelReport(level=3, debug=[pretty, b"\xff"]), 1)
    assert lines[1:] == ["  debug: Transfer {", "  debug:     amount: 5,", '  debug:     to: "tz1",', "  debug: }",
                         "  debug: 0xff"]
