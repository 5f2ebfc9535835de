"""The governance contract (``contracts/governance.tz``): origination, calls, and the exact inbox
message its ``TRANSFER_TOKENS`` puts in the rollup inbox (docs/FORMATS.md §5)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pytezos.michelson.forge import forge_address, forge_micheline
from pytezos.michelson.parse import michelson_to_micheline

from kernel_py.dal import MAX_PUBLISHERS, publishers_update

CONTRACT_PATH = Path(__file__).with_name("contracts") / "governance.tz"


def contract_code() -> list[dict[str, Any]]:
    """The contract as Micheline JSON (parameter, storage, code)."""
    return michelson_to_micheline(CONTRACT_PATH.read_text())


def originate_content(admin: str) -> dict[str, Any]:
    """Origination of the contract with ``admin`` (tz1…) as its only authorised sender."""
    return {"kind": "origination", "balance": "0",
            "script": {"code": contract_code(), "storage": {"string": admin}}}


def call_content(contract: str, rollup: str, message: bytes) -> dict[str, Any]:
    """Call: the contract forwards ``message`` to ``rollup`` (sr1…)."""
    value = {"prim": "Pair", "args": [{"string": rollup}, {"bytes": message.hex()}]}
    return {"kind": "transaction", "amount": "0", "destination": contract,
            "parameters": {"entrypoint": "default", "value": value}}


def transfer_payload(message: bytes) -> bytes:
    """Binary Micheline of the transferred value: ``0a ‖ u32 length ‖ message``."""
    return forge_micheline({"bytes": message.hex()})


def inbox_message(message: bytes, contract: str, admin: str, rollup: str) -> bytes:
    """The serialized internal transfer the rollup reads: ``00 00 ‖ payload ‖ sender KT1 (20) ‖
    source (21: curve tag ‖ hash) ‖ destination rollup (20)``."""
    sender = forge_address(contract)[1:21]
    source = forge_address(admin, tz_only=True)
    destination = forge_address(rollup)[1:21]
    return b"\x00\x00" + transfer_payload(message) + sender + source + destination


def contract_hash(contract: str) -> bytes:
    """The 20-byte hash of a KT1 address (what the kernel compares transfer senders with)."""
    return forge_address(contract)[1:21]


def publishers_message(publishers: list[str]) -> bytes:
    """The governance message that replaces the kernel's DAL publisher whitelist (``/dal/publishers``)
    by ``publishers`` (tz1…/tz2…/tz3…/tz4… addresses, at most ``MAX_PUBLISHERS``; FORMATS.md §5.0)."""
    if len(publishers) > MAX_PUBLISHERS:
        raise ValueError(f"{len(publishers)} publishers: a whitelist holds at most {MAX_PUBLISHERS}")
    pkhs = []
    for address in publishers:
        try:
            if not address.startswith(("tz1", "tz2", "tz3", "tz4")):
                raise ValueError("not an implicit account")
            pkhs.append(forge_address(address, tz_only=True))
        except ValueError as exc:
            raise ValueError(f"bad DAL publisher address {address!r}: {exc}") from None
    return publishers_update(pkhs)
