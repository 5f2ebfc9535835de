"""Rollup setup for the sequencer's kernel: the committee and genesis allocations (FORMATS.md §4.1)
as installer-style instructions or a setup file for ``dsn rollup node --setup``."""

from __future__ import annotations

import json
from pathlib import Path

from dsn.codec import Committee, encode_committee
from kernel_py.genesis import encode_genesis


def genesis_bytes(allocations: list[tuple[bytes, int]]) -> bytes:
    """``(pk ‖ amount u64)*`` (``kernel_py.genesis.encode_genesis``), after checking each allocation."""
    for pk, amount in allocations:
        if len(pk) != 32 or not 0 < amount < 1 << 64:
            raise ValueError(f"bad allocation {pk.hex()}={amount}")
    return encode_genesis([pk for pk, _ in allocations], [amount for _, amount in allocations])


def setup_instructions(committee: Committee, allocations: list[tuple[bytes, int]]) -> list[tuple[str, str, bytes | str]]:
    """``set`` instructions for ``/setup/committee`` and ``/setup/genesis``."""
    return [("set", "/setup/committee", encode_committee(committee)),
            ("set", "/setup/genesis", genesis_bytes(allocations))]


def write_setup_file(path: Path, committee: Committee, allocations: list[tuple[bytes, int]]) -> Path:
    """Write the instructions as a JSON setup file; returns ``path``."""
    items = [{"set": {"value": value.hex(), "to": to}} for _, to, value in setup_instructions(committee, allocations)
             if isinstance(value, bytes)]
    path.write_text(json.dumps({"instructions": items}, indent=2) + "\n")
    return path


def parse_allocation(text: str) -> tuple[bytes, int]:
    """``PK_HEX=AMOUNT`` → (pk, amount); ``ValueError`` with the reason otherwise."""
    pk_text, sep, amount_text = text.partition("=")
    if not sep or not amount_text.isdigit():
        raise ValueError(f"expected PUBLIC_KEY_HEX=AMOUNT, got {text!r}")
    pk = bytes.fromhex(pk_text)
    if len(pk) != 32:
        raise ValueError(f"public key must be 32 bytes: {pk_text!r}")
    return pk, int(amount_text)
