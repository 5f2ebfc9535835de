"""Fixtures shared by the kernel tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def shipped_kernel(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The kernel exactly as `dsn kernel build` ships it (built once per test session)."""
    out = tmp_path_factory.mktemp("build") / "kernel.wasm"
    subprocess.run([str(Path(sys.executable).parent / "dsn"), "kernel", "build", "-o", str(out)], check=True,
                   capture_output=True)
    return out.read_bytes()
