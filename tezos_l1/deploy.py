"""``dsn rollup deploy``: originate a ``wasm_2_0_0`` rollup with the built kernel.

A kernel that fits one L1 operation is originated as is; a bigger one, or one with setup values
(e.g. ``/setup/committee``), is split into DAC preimage pages and the installer kernel
(``kernel_py/installer.py``) is originated in its place. The rollup
parameter type is ``bytes``: the governance message (docs/FORMATS.md §5).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pvm_spec.origination import BRANCH_SIZE, MAX_OPERATION_SIZE, REVEAL_ROOM, SIGNATURE_SIZE
from tezos_l1 import config, operations
from tezos_l1.forge import forge_content
from tezos_l1.installer import InstallerBundle, build_installer
from tezos_l1.keys import Key
from tezos_l1.rpc import L1Client

PARAMETERS_TY: dict[str, Any] = {"prim": "bytes"}
PARAMETERS_TY_TEXT = "bytes"


def originate_content(boot_sector: bytes) -> dict[str, Any]:
    return {"kind": "smart_rollup_originate", "pvm_kind": "wasm_2_0_0", "kernel": boot_sector.hex(),
            "parameters_ty": PARAMETERS_TY}


def worst_case_size(boot_sector: bytes) -> int:
    """Signed size of the origination with generous fee/counter/limit fields and room for a reveal
    (``len(boot_sector) + pvm_spec.origination.ORIGINATION_OVERHEAD``)."""
    content = {**originate_content(boot_sector), "source": "tz1Ke2h7sDdakHJQh8WX4Z372du1KChsksyU",
               "fee": str(10**9), "counter": str(10**12), "gas_limit": str(10**8), "storage_limit": str(10**8)}
    return BRANCH_SIZE + len(forge_content(content)) + SIGNATURE_SIZE + REVEAL_ROOM


def fits_one_operation(kernel: bytes) -> bool:
    return worst_case_size(kernel) <= MAX_OPERATION_SIZE


@dataclass(frozen=True)
class Plan:
    """What will be originated for a kernel."""

    kernel: bytes
    boot_sector: bytes
    installer: InstallerBundle | None


def plan(kernel: bytes, installer_wasm: bytes | None = None, force_installer: bool = False,
         setup: list[tuple[str, bytes]] | None = None) -> Plan:
    """Originate the kernel directly when it fits one operation and has no setup values, else
    through the installer (which also writes the setup values)."""
    if not kernel.startswith(b"\x00asm"):
        raise ValueError("the kernel is not a wasm binary (no \\0asm magic)")
    if fits_one_operation(kernel) and not force_installer and not setup:
        return Plan(kernel, kernel, None)
    bundle = build_installer(kernel, installer_wasm, setup)
    if not fits_one_operation(bundle.boot_sector):
        raise ValueError(f"the installer boot sector ({len(bundle.boot_sector)} bytes) does not fit one operation")
    return Plan(kernel, bundle.boot_sector, bundle)


def deploy(client: L1Client, key: Key, kernel: bytes, *, config_path: Path = config.DEFAULT_CONFIG,
           preimages_dir: Path = Path("build/preimages"), force: bool = False,
           installer_wasm: bytes | None = None, force_installer: bool = False,
           setup: list[tuple[str, bytes]] | None = None, timeout: float = 300.0,
           poll: float = 2.0, progress: operations.Progress = operations._silent) -> config.Deployment:
    """Originate, wait for inclusion, and record the rollup in ``config_path``.

    ``setup``: ``(durable path, value)`` pairs the installer writes before the kernel first runs.
    """
    config.check_writable(config_path, force)
    p = plan(kernel, installer_wasm, force_installer, setup)
    if p.installer is not None:
        paths = p.installer.write_preimages(preimages_dir)
        progress(f"originating the installer ({len(p.boot_sector)} bytes) for a kernel of {len(kernel)} bytes"
                 f" and {len(setup or [])} setup values; {len(paths)} preimage pages in {preimages_dir}, "
                 f"kernel root {p.installer.kernel_root.hex()}")
    else:
        progress(f"kernel of {len(kernel)} bytes fits one operation: originating it directly")
    included = operations.send(client, key, [originate_content(p.boot_sector)], timeout=timeout, poll=poll,
                               progress=progress)
    result = included.contents[-1]["metadata"]["operation_result"]
    record = config.Deployment(
        rollup=result["address"], origination_level=included.level, operation_hash=included.op_hash,
        rpc=client.base_url, originator=key.address, kernel_sha256=hashlib.sha256(kernel).hexdigest(),
        kernel_size=len(kernel), boot_sector_size=len(p.boot_sector), installer=p.installer is not None,
        preimages_dir=str(preimages_dir) if p.installer is not None else None, parameters_ty=PARAMETERS_TY_TEXT,
        setup_paths=[path for path, _ in setup or []])
    config.save(record, config_path, force=True)
    progress(f"rollup {record.rollup} originated at level {record.origination_level}; recorded in {config_path}")
    return record
