"""``dsn kernel compile``, ``dsn kernel build`` and ``dsn kernel disasm``."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from dsn.cli import main
from kernel_wasm.backend.binary import inspect

PROGRAMS = Path(__file__).parent / "programs"


def test_compile_emits_every_stage(tmp_path: Path) -> None:
    runner = CliRunner()
    src = str(PROGRAMS / "control.py")
    for emit, marker in (("ast", "Module("), ("ir", "def tests.compiler.programs.control.classify"),
                         ("wat", "(module")):
        result = runner.invoke(main, ["kernel", "compile", src, "--export", "classify", "--emit", emit])
        assert result.exit_code == 0, result.output
        assert marker in result.output
    out = tmp_path / "c.wasm"
    result = runner.invoke(main, ["kernel", "compile", src, "--export", "classify", "--export", "ranges", "-o",
                                  str(out)])
    assert result.exit_code == 0, result.output
    assert {n for n, _ in inspect(out.read_bytes()).exports} == {"classify", "ranges", "memory", "__hp"}


def test_build_writes_kernel_and_reports_size(tmp_path: Path) -> None:
    out = tmp_path / "k.wasm"
    result = CliRunner().invoke(main, ["kernel", "build", str(PROGRAMS / "hostio.py"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert f"total          {len(data)} bytes" in result.output
    facts = inspect(data)
    assert sorted(n for n, _ in facts.exports) == ["kernel_run", "memory"] and facts.name_size == 0


def test_build_missing_source_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["kernel", "build", str(tmp_path / "nope.py")])
    assert result.exit_code == 1
    assert "not found" in result.output and "Traceback" not in result.output


def test_disasm_round_trips_the_shipped_installer(tmp_path: Path) -> None:
    from wasmtime import wat2wasm

    wasm = Path(__file__).resolve().parents[2] / "tezos_l1" / "data" / "installer.wasm"
    result = CliRunner().invoke(main, ["kernel", "disasm", str(wasm)])
    assert result.exit_code == 0, result.output
    assert '(import "smart_rollup_core" "reveal_preimage"' in result.output
    assert bytes(wat2wasm(result.output)) == wasm.read_bytes()
    bad = tmp_path / "bad.wasm"
    bad.write_bytes(b"\0asm\2\0\0\0")
    result = CliRunner().invoke(main, ["kernel", "disasm", str(bad)])
    assert result.exit_code == 1 and "is not a valid wasm binary" in result.output
