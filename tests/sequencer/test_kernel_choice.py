"""Kernel selection: a given wasm, a compiled kernel that passes the smoke test, else the native kernel
with the reason (the demo and --mock-rollup print it loudly)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dsn.sequencer import kernel_choice
from dsn.sequencer.kernel_choice import choose_kernel, smoke_test

ECHO = Path(__file__).resolve().parents[2] / "fixtures" / "replay" / "echo.wasm"


def test_compiler_failure_falls_back_to_native(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_out: Path | None = None) -> bytes:
        raise RuntimeError("unsupported construct at kernel.py:1")

    monkeypatch.setattr(kernel_choice, "build_wasm", broken)
    choice = choose_kernel()
    assert (choice.wasm, choice.native, choice.label) == (None, "kernel_py.kernel", "native (CPython)")
    assert choice.note == "the compiler could not build the kernel (RuntimeError: unsupported construct at kernel.py:1)"


def test_a_kernel_that_does_not_initialise_fails_the_smoke_test(monkeypatch: pytest.MonkeyPatch) -> None:
    assert smoke_test(ECHO.read_bytes()) == "the kernel did not initialise (/state/root absent)"
    monkeypatch.setattr(kernel_choice, "build_wasm", lambda _out=None: ECHO.read_bytes())
    choice = choose_kernel()
    assert choice.native == "kernel_py.kernel"
    assert choice.note.startswith("the compiled kernel fails its smoke test (the kernel did not initialise")


def test_given_wasm_and_native_request(tmp_path: Path) -> None:
    assert choose_kernel(prefer_native=True).note == "native kernel requested"
    chosen = choose_kernel(wasm_path=ECHO)
    assert chosen.wasm == ECHO.read_bytes() and chosen.label == "wasm"
