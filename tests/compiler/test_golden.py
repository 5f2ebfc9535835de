"""Golden IR and WAT snapshots of a few programs. Regenerate after an intended change with
``KERNEL_WASM_REGEN=1 pytest tests/compiler/test_golden.py`` and review the diff."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kernel_wasm.ir.printer import program
from kernel_wasm.phases import Compilation

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"
CASES = {
    "control": ["classify", "ranges"],
    "records": ["decode"],
    "bits": ["wrap64"],
}
REGEN = os.environ.get("KERNEL_WASM_REGEN") == "1"


def check(path: Path, text: str) -> None:
    if REGEN or not path.exists():
        path.write_text(text)
        if not REGEN:
            pytest.fail(f"{path.name} was missing and has been written; rerun")
        return
    assert text == path.read_text(), f"{path.name} changed: review, then regenerate with KERNEL_WASM_REGEN=1"


@pytest.mark.parametrize("name", sorted(CASES))
def test_snapshots(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(HERE.parents[1])  # diagnostics paths are relative to the repository
    comp = Compilation(HERE / "programs" / f"{name}.py", CASES[name])
    check(GOLDEN / f"{name}.ir", program(comp.ir))
    check(GOLDEN / f"{name}.wat", comp.wat)
    assert comp.wasm[:4] == b"\0asm"
