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
MEMORY = '(memory (export "mem") 1)'
HELPERS = 69
# Laid out like a Rust kernel: no imports, kernel_run first, 69 more functions reached through a table
# (element segment), 17 pages of memory, __data_end/__heap_base globals, two data segments and a
# producers custom section.
COMPUTATION = f"""(module
  (type $int (func (result i32)))
  (table {HELPERS} funcref)
  (memory 17)
  (global $sp (mut i32) (i32.const 1048576))
  (global $data_end i32 (i32.const 1048600))
  (global $heap_base i32 (i32.const 1048608))
  (export "memory" (memory 0))
  (export "kernel_run" (func $kernel_run))
  (export "__data_end" (global $data_end))
  (export "__heap_base" (global $heap_base))
  (func $kernel_run
    (local $i i32) (local $sum i32)
    (loop $next
      (local.set $sum (i32.add (local.get $sum) (call_indirect (type $int) (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (i32.const {HELPERS}))))
    (i32.store (global.get $sp) (local.get $sum)))
  {" ".join(f"(func $f{n} (type $int) (i32.const {n}))" for n in range(HELPERS))}
  (elem (i32.const 0) func {" ".join(f"$f{n}" for n in range(HELPERS))})
  (data (i32.const 1048576) "computation")
  (data (i32.const 1048592) "\\01\\02\\03\\04")
  (@custom "producers" (after data) "written for test_kernel_inspect"))"""


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


def test_rust_like_kernel_json_and_disasm(tmp_path: Path) -> None:
    """Table, element and data segments, custom sections, many functions, no host imports."""
    wasm = wat2wasm(COMPUTATION)
    info = inspect_kernel(wasm)
    assert [s.name for s in info.sections] == ["type", "function", "table", "memory", "global", "export",
                                              "element", "code", "data", "producers", "name"]
    assert info.functions == 70 and info.imports == [] and info.memories == ["min 17 pages, max none"]
    assert [(e.name, e.kind) for e in info.exports] == [("memory", "memory"), ("kernel_run", "func"),
                                                         ("__data_end", "global"), ("__heap_base", "global")]
    path = tmp_path / "computation.wasm"
    path.write_bytes(wasm)
    done = run("--json", str(path))
    assert done.exit_code == 0
    report = json.loads(done.output)
    assert report["pvm_valid"] is True and report["size"] == len(wasm) and report["floats"] == ""
    assert report["sections"][9]["name"] == "producers" and report["sections"][9]["size"] == 41
    wat = run("--disasm", str(path))
    assert wat.exit_code == 0 and "(module" in wat.output and '(export "kernel_run" (func $kernel_run))' in wat.output
    assert "(elem (;0;) (i32.const 0) func $f0 $f1 $f2" in wat.output and r'(data (;1;) (i32.const 1048592) "\01\02\03\04")' in wat.output
    assert '(@custom "producers" "written for test_kernel_inspect")' in wat.output


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
