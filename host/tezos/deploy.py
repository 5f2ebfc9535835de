"""``dsn rollup deploy``: originate a ``wasm_2_0_0`` rollup with the built kernel.

A kernel that fits one L1 operation is originated as is; a bigger one is split into DAC preimage
pages and the installer kernel (``kernel_py/installer.py``) is originated in its place. The rollup
parameter type is ``bytes``: the governance message (docs/FORMATS.md §5).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from host.tezos import config, operations
from host.tezos.forge import MAX_OPERATION_SIZE, SIGNATURE_SIZE, forge_content
from host.tezos.installer import InstallerBundle, build_installer
from host.tezos.keys import Key
from host.tezos.rpc import L1Client

PARAMETERS_TY: dict[str, Any] = {"prim": "bytes"}
PARAMETERS_TY_TEXT = "bytes"
BRANCH_SIZE = 32
# A reveal costs about 100 bytes; keep that room so the decision does not depend on the account state.
REVEAL_ROOM = 110


def originate_content(boot_sector: bytes) -> dict[str, Any]:
    return {"kind": "smart_rollup_originate", "pvm_kind": "wasm_2_0_0", "kernel": boot_sector.hex(),
            "parameters_ty": PARAMETERS_TY}


def worst_case_size(boot_sector: bytes) -> int:
    """Signed size of the origination with generous fee/counter/limit fields and room for a reveal."""
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


def plan(kernel: bytes, installer_wasm: bytes | None = None, force_installer: bool = False) -> Plan:
    """Originate the kernel directly when it fits one operation, else through the installer."""
    if not kernel.startswith(b"\x00asm"):
        raise ValueError("the kernel is not a wasm binary (no \\0asm magic)")
    if fits_one_operation(kernel) and not force_installer:
        return Plan(kernel, kernel, None)
    bundle = build_installer(kernel, installer_wasm)
    if not fits_one_operation(bundle.boot_sector):
        raise ValueError(f"the installer boot sector ({len(bundle.boot_sector)} bytes) does not fit one operation")
    return Plan(kernel, bundle.boot_sector, bundle)


def deploy(client: L1Client, key: Key, kernel: bytes, *, config_path: Path = config.DEFAULT_CONFIG,
           preimages_dir: Path = Path("build/preimages"), force: bool = False,
           installer_wasm: bytes | None = None, force_installer: bool = False, timeout: float = 300.0,
           poll: float = 2.0, progress: operations.Progress = operations._silent) -> config.Deployment:
    """Originate, wait for inclusion, and record the rollup in ``config_path``."""
    config.check_writable(config_path, force)
    p = plan(kernel, installer_wasm, force_installer)
    if p.installer is not None:
        paths = p.installer.write_preimages(preimages_dir)
        progress(f"kernel of {len(kernel)} bytes does not fit one operation: originating the installer "
                 f"({len(p.boot_sector)} bytes); {len(paths)} preimage pages in {preimages_dir}, "
                 f"root {p.installer.root.hex()}")
    else:
        progress(f"kernel of {len(kernel)} bytes fits one operation: originating it directly")
    included = operations.send(client, key, [originate_content(p.boot_sector)], timeout=timeout, poll=poll,
                               progress=progress)
    result = included.contents[-1]["metadata"]["operation_result"]
    record = config.Deployment(
        rollup=result["address"], origination_level=included.level, operation_hash=included.op_hash,
        rpc=client.base_url, originator=key.address, kernel_sha256=hashlib.sha256(kernel).hexdigest(),
        kernel_size=len(kernel), boot_sector_size=len(p.boot_sector), installer=p.installer is not None,
        preimages_dir=str(preimages_dir) if p.installer is not None else None, parameters_ty=PARAMETERS_TY_TEXT)
    config.save(record, config_path, force=True)
    progress(f"rollup {record.rollup} originated at level {record.origination_level}; recorded in {config_path}")
    return record
