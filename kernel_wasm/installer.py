"""Build the installer kernel (``kernel_py/installer.py``) shipped as ``tezos_l1/data/installer.wasm``.

``python -m kernel_wasm.installer`` rewrites the shipped binary after the installer source or the
compiler changed; ``tests/deploy/test_installer_data.py`` fails until it matches a fresh build.
"""

from __future__ import annotations

from pathlib import Path

from kernel_wasm.frontend.loader import DEFAULT_KERNEL_PY
from kernel_wasm.phases import Compilation

INSTALLER_SOURCE = DEFAULT_KERNEL_PY / "installer.py"
SHIPPED = Path(__file__).resolve().parents[1] / "tezos_l1" / "data" / "installer.wasm"


def compile_installer() -> bytes:
    """The installer kernel in its smallest form: no name section, one trap per function, no unrolling
    (it runs once)."""
    return Compilation(INSTALLER_SOURCE, None, kernel=True, names=False, compact=True, small=True).wasm


if __name__ == "__main__":
    SHIPPED.write_bytes(compile_installer())
    print(f"wrote {SHIPPED}")
