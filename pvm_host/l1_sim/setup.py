"""Builds the local L1 of ``dsn rollup node`` from its command-line options."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

from pvm_host.dal import DalParameters
from pvm_host.l1_sim.chain import PROFILES, LocalL1
from pvm_host.l1_sim.dal_node import DalNode
from pvm_host.l1_sim.operations import public_key_hash
from pvm_spec.b58 import b58decode

_EDPK_PREFIX = bytes([13, 15, 37, 217])


def ed25519_public_key(text: str) -> bytes:
    """Tagged public key (``00`` ‖ 32 bytes) of an ``edpk…`` text; ``ValueError`` if malformed."""
    raw = b58decode(text)
    body, check = raw[:-4], raw[-4:]
    if (len(body) != 36 or not body.startswith(_EDPK_PREFIX)
            or hashlib.sha256(hashlib.sha256(body).digest()).digest()[:4] != check):
        raise ValueError(f"{text[:60]!r} is not an Ed25519 public key (edpk…)")
    return b"\x00" + body[4:]


def load_accounts(path: Path) -> dict[bytes, bytes]:
    """pkh → public key of a JSON list of ``edpk…`` keys."""
    data = json.loads(path.read_text())
    if not isinstance(data, list) or not all(isinstance(k, str) for k in data):
        raise ValueError(f"{path}: expected a JSON list of edpk… public keys")
    keys = [ed25519_public_key(k) for k in data]
    return {public_key_hash(k): k for k in keys}


def make_l1(profile: str, dal_parameters: str | None, batcher_keys: int, unattested_rate: float, seed: int,
            accounts: Path | None, block_time: float | None, directory: Path | None = None) -> LocalL1 | None:
    """The local L1 for these options (None for the ``none`` profile); ``ValueError`` on bad values.
    With a ``directory`` its state survives restarts (:class:`DalNode`, :class:`LocalL1`)."""
    if profile == "none":
        return None
    chosen = PROFILES[profile]
    if dal_parameters is not None:
        chosen = dataclasses.replace(chosen, dal=DalParameters.parse(dal_parameters))
    if block_time is not None:
        if block_time <= 0:
            raise ValueError("the block time must be positive")
        chosen = dataclasses.replace(chosen, block_time=block_time)
    dal = DalNode(chosen.dal, unattested_rate=unattested_rate, seed=seed, directory=directory)
    return LocalL1(chosen, dal, batcher_keys, load_accounts(accounts) if accounts is not None else None,
                   directory=directory)
