"""The installer kernel shipped with tezos_l1 is exactly what the compiler builds from its source."""

from __future__ import annotations

import hashlib

from kernel_wasm.installer import SHIPPED, compile_installer
from tezos_l1.installer import INSTALLER_WASM, installer_kernel


def test_shipped_installer_is_a_fresh_build() -> None:
    assert SHIPPED == INSTALLER_WASM
    fresh = compile_installer()
    assert hashlib.sha256(installer_kernel()).hexdigest() == hashlib.sha256(fresh).hexdigest(), (
        "tezos_l1/data/installer.wasm is stale: run `python -m kernel_wasm.installer`")


def test_deploy_needs_no_compiler() -> None:
    import subprocess
    import sys

    code = ("import sys; from tezos_l1 import deploy; from tezos_l1.installer import build_installer\n"
            "build_installer(b'\\0asm\\1\\0\\0\\0')\n"
            "assert not [m for m in sys.modules if m.startswith('kernel_wasm')], 'compiler imported'\n")
    subprocess.run([sys.executable, "-c", code], check=True)
