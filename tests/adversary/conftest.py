"""The compiled kernel, built once per session for the wasm runs of the adversarial tests."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def kernel_wasm() -> bytes:
    from kernel_wasm import compile_file

    return compile_file("kernel_py/kernel.py", exports=["kernel_run"]).wasm
