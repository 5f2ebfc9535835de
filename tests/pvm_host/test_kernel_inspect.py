"""`dsn kernel inspect`: structure, PVM checks and disassembly of kernels, clear errors on other input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from wasmtime import wat2wasm

from dsn.cli import main
from pvm_host.kernel_inspect import NotWasm, inspect_kernel

ROOT = Path(__file__).resolve().parents[2]
ECHO = ROOT / "fixtures" / "replay" / "echo.wasm"
RUST = ROOT / "fixtures" / "kernels" / "computation.wasm"
MEMORY = '(memory (export "mem") 1)'


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["kernel", "inspect", *args])


def test_echo_report() -> None:
    done = run(str(ECHO))
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    assert lines[1:3] == ["PVM: ok", "floats: none"]
    assert "  smart_rollup_core.write_debug  func (i32 i32) -> ()" in lines
    assert "  kernel_run  func 5 () -> ()" in lines and "  memory  memory 0" in lines
    assert "  custom 'name'            offset      358  size       97" in lines
    assert "functions: 1 defined, 5 imported" in lines


def test_rust_kernel_json_and_disasm() -> None:
    info = inspect_kernel(RUST.read_bytes())
    assert [s.name for s in info.sections] == ["type", "function", "table", "memory", "global", "export",
                                              "element", "code", "data"]
    assert info.functions == 70 and info.imports == [] and info.memories == ["min 17 pages, max none"]
    assert [(e.name, e.kind) for e in info.exports] == [("memory", "memory"), ("kernel_run", "func"),
                                                         ("__data_end", "global"), ("__heap_base", "global")]
    done = run("--json", str(RUST))
    assert done.exit_code == 0
    report = json.loads(done.output)
    assert report["pvm_valid"] is True and report["size"] == 9199 and report["floats"] == ""
    wat = run("--disasm", str(RUST))
    assert wat.exit_code == 0 and "(module" in wat.output and '(export "kernel_run" (func 0))' in wat.output


@pytest.mark.parametrize(("wat", "error"), [
    (f'(module {MEMORY} (func (export "kernel_run") (drop (f32.const 1))))',
     "decode error: float instructions are forbidden (float instruction 0x43 in function body 0)"),
    (f'(module (import "env" "f" (func)) {MEMORY} (func (export "kernel_run")))', "link error: unknown module env"),
    ('(module (func (export "kernel_run")))', "init error: memory 0 is not exported"),
    (f"(module {MEMORY} (func))", "no kernel_run: [] -> [] export (the PVM gets stuck for good)"),
])
def test_pvm_checks(tmp_path: Path, wat: str, error: str) -> None:
    path = tmp_path / "k.wasm"
    path.write_bytes(wat2wasm(wat))
    done = run(str(path))
    assert done.exit_code == 2
    assert f"PVM: {error}" in done.output.splitlines()


def test_import_link_errors_listed(tmp_path: Path) -> None:
    path = tmp_path / "k.wasm"
    path.write_bytes(wat2wasm('(module (import "smart_rollup_core" "write_debug" (func (param i32))) '
                              f'{MEMORY} (func (export "kernel_run")))'))
    done = run(str(path))
    assert done.exit_code == 2
    assert "  smart_rollup_core.write_debug  func (i32) -> ()  LINK ERROR: type mismatch for write_debug" in done.output


def test_non_wasm_input(tmp_path: Path) -> None:
    cases = {"text.wat": b'(module (func (export "kernel_run")))', "empty": b"", "version": b"\x00asm\x02\x00\x00\x00",
             "truncated": ECHO.read_bytes()[:100], "junk": b"\x00asm\x01\x00\x00\x00\x63\x01\x00"}
    expected = {"text.wat": "not a wasm binary (no \\0asm magic): looks like WAT text",
                "empty": "not a wasm binary (no \\0asm magic)",
                "version": "unsupported wasm version 02000000 (expected 01000000)",
                "truncated": "section import at byte 44 runs past the end of the file",
                "junk": "unknown section id 99 at byte 8"}
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        done = run(str(path))
        assert done.exit_code == 1 and done.output == f"Error: {path}: {expected[name]}\n", done.output
    with pytest.raises(NotWasm, match="truncated"):
        inspect_kernel(b"\x00asm\x01\x00\x00\x00\x01\x03\x01\x60\x01")
    with pytest.raises(NotWasm, match="section type at byte 8 is malformed"):
        inspect_kernel(b"\x00asm\x01\x00\x00\x00\x01\x03\x01\x60\x01\x03\x01\x00")
