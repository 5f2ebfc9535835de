"""Rollup setup for the sequencer's kernel: the committee and genesis allocations (FORMATS.md §4.1)
as installer-style instructions or a setup file for ``dsn rollup node --setup``."""

from __future__ import annotations

import json
from pathlib import Path

from pytezos.michelson.forge import forge_address

from dsn.codec import Committee, encode_committee
from dsn.sequencer.dal_slots import slot_bitmap
from kernel_py.genesis import encode_genesis


def genesis_bytes(allocations: list[tuple[bytes, int]]) -> bytes:
    """``(pk ‖ amount u64)*`` (``kernel_py.genesis.encode_genesis``), after checking each allocation."""
    for pk, amount in allocations:
        if len(pk) != 32 or not 0 < amount < 1 << 64:
            raise ValueError(f"bad allocation {pk.hex()}={amount}")
    return encode_genesis([pk for pk, _ in allocations], [amount for _, amount in allocations])


def dal_publishers_value(publishers: list[str]) -> bytes:
    """The kernel's ``/dal/publishers``: the 21-byte forms of ``tz1…``/``tz2…``/``tz3…`` addresses."""
    try:
        return b"".join(forge_address(p, tz_only=True) for p in publishers)
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"bad DAL publisher address in {publishers}: {exc}") from None


def setup_instructions(committee: Committee, allocations: list[tuple[bytes, int]], dal_publishers: list[str] | None = None,
                       dal_slots: list[int] | None = None) -> list[tuple[str, str, bytes | str]]:
    """``set`` instructions for ``/setup/committee`` and ``/setup/genesis``, and with DAL publishers
    ``/dal/publishers`` and ``/dal/slots`` (FORMATS.md §2.2)."""
    out: list[tuple[str, str, bytes | str]] = [("set", "/setup/committee", encode_committee(committee)),
                                               ("set", "/setup/genesis", genesis_bytes(allocations))]
    if dal_publishers:
        out += [("set", "/dal/publishers", dal_publishers_value(dal_publishers)),
                ("set", "/dal/slots", slot_bitmap(dal_slots or [0]))]
    return out


def write_setup_file(path: Path, committee: Committee, allocations: list[tuple[bytes, int]],
                     dal_publishers: list[str] | None = None, dal_slots: list[int] | None = None) -> Path:
    """Write the instructions as a JSON setup file; returns ``path``."""
    items = [{"set": {"value": value.hex(), "to": to}}
             for _, to, value in setup_instructions(committee, allocations, dal_publishers, dal_slots)
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
