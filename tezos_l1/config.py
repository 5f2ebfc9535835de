"""The local deployment record (``.dsn/rollup.json``): rollup address, origination level and how."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

DEFAULT_CONFIG = Path(".dsn/rollup.json")


@dataclass(frozen=True)
class Deployment:
    """A rollup originated by ``dsn rollup deploy``."""

    rollup: str  # sr1…
    origination_level: int
    operation_hash: str
    rpc: str
    originator: str  # tz1…
    kernel_sha256: str
    kernel_size: int
    boot_sector_size: int
    installer: bool
    preimages_dir: str | None  # pages to copy into <data-dir>/wasm_2_0_0/ (installer only)
    parameters_ty: str
    setup_paths: list[str] = field(default_factory=list)  # durable keys the installer writes


def load(path: Path = DEFAULT_CONFIG) -> Deployment:
    try:
        return Deployment(**json.loads(Path(path).read_text()))
    except FileNotFoundError as e:
        raise FileNotFoundError(f"no deployment record at {path}: run `dsn rollup deploy` first") from e
    except (json.JSONDecodeError, TypeError) as e:
        raise ValueError(f"{path} is not a deployment record: {e}") from e


def check_writable(path: Path, force: bool) -> None:
    """Refuse to replace an existing record unless ``force`` (checked before anything is injected)."""
    if Path(path).exists() and not force:
        raise FileExistsError(f"{path} already records a rollup; pass --force to deploy a new one over it")


def save(record: Deployment, path: Path, force: bool) -> None:
    """Write atomically (temp file + rename)."""
    check_writable(path, force)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(record), indent=2) + "\n")
    os.replace(tmp, path)
