"""Byte encodings of PVM inbox messages (spec §3.2), as ``read_input`` returns them.

Integers are big-endian. Addresses are the raw 20-byte (contract, rollup) or 21-byte (implicit
account: curve tag ‖ hash) forms; :mod:`pvm_spec.b58` converts from the base58 text forms.
"""

from __future__ import annotations

from pvm_spec.constants import MAX_EXTERNAL_PAYLOAD

START_OF_LEVEL = b"\x00\x01"
END_OF_LEVEL = b"\x00\x02"
ZERO_HASH = bytes(32)


def info_per_level(timestamp: int, predecessor: bytes = ZERO_HASH) -> bytes:
    """``00 03 ‖ timestamp i64 BE (seconds) ‖ predecessor block hash (32 bytes)``."""
    if len(predecessor) != 32:
        raise ValueError("predecessor block hash must be 32 bytes")
    return b"\x00\x03" + timestamp.to_bytes(8, "big", signed=True) + predecessor


def external(payload: bytes) -> bytes:
    """``01 ‖ payload``; the payload is at most 4,095 bytes."""
    if len(payload) > MAX_EXTERNAL_PAYLOAD:
        raise ValueError(f"external payload of {len(payload)} bytes exceeds {MAX_EXTERNAL_PAYLOAD}")
    return b"\x01" + payload


def transfer(micheline: bytes, sender: bytes, source: bytes, destination: bytes) -> bytes:
    """Internal transfer ``00 00 ‖ micheline ‖ sender (20) ‖ source (21) ‖ destination (20)``."""
    if len(sender) != 20 or len(source) != 21 or len(destination) != 20:
        raise ValueError("transfer needs a 20-byte sender, 21-byte source and 20-byte destination")
    return b"\x00\x00" + micheline + sender + source + destination


def protocol_migration(name: str) -> bytes:
    """``00 04 ‖ u32 length ‖ ASCII protocol name``."""
    raw = name.encode("ascii")
    return b"\x00\x04" + len(raw).to_bytes(4, "big") + raw


def level_inbox(messages: list[bytes], timestamp: int, predecessor: bytes = ZERO_HASH) -> list[bytes]:
    """The full inbox of one level: SOL, IPL, the given serialized messages, EOL."""
    return [START_OF_LEVEL, info_per_level(timestamp, predecessor), *messages, END_OF_LEVEL]
