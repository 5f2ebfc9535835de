"""Tezos base58check addresses (``sr1``, ``KT1``, ``tz1``–``tz4``) to and from raw bytes."""

from __future__ import annotations

import hashlib

_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {c: i for i, c in enumerate(_ALPHABET)}

# prefix name -> (version bytes, payload length)
PREFIXES: dict[str, tuple[bytes, int]] = {
    "sr1": (bytes([6, 124, 117]), 20),
    "KT1": (bytes([2, 90, 121]), 20),
    "tz1": (bytes([6, 161, 159]), 20),
    "tz2": (bytes([6, 161, 161]), 20),
    "tz3": (bytes([6, 161, 164]), 20),
    "tz4": (bytes([6, 161, 166]), 20),
    # src/lib_crypto/base58.ml smart_rollup_state; src/lib_smart_rollup/l2_message.ml Id
    "srs1": (bytes([17, 165, 235, 240]), 32),
    "scmsg": (bytes([3, 250, 179, 247, 196]), 32),
}
_CURVE_TAG = {"tz1": 0, "tz2": 1, "tz3": 2, "tz4": 3}


def b58encode(data: bytes) -> str:
    n = int.from_bytes(data, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = _ALPHABET[r] + out
    pad = len(data) - len(data.lstrip(b"\x00"))
    return "1" * pad + out


def b58decode(text: str) -> bytes:
    n = 0
    for c in text:
        if c not in _INDEX:
            raise ValueError(f"invalid base58 character {c!r}")
        n = n * 58 + _INDEX[c]
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    pad = len(text) - len(text.lstrip("1"))
    return b"\x00" * pad + body


def _checksum(data: bytes) -> bytes:
    return hashlib.sha256(hashlib.sha256(data).digest()).digest()[:4]


def encode(prefix: str, payload: bytes) -> str:
    """Base58check text of ``payload`` with the named prefix (e.g. ``encode("sr1", h20)``)."""
    version, size = PREFIXES[prefix]
    if len(payload) != size:
        raise ValueError(f"{prefix} payload must be {size} bytes")
    raw = version + payload
    return b58encode(raw + _checksum(raw))


def decode(text: str, prefix: str) -> bytes:
    """Raw payload of a base58check address that must start with ``prefix``."""
    version, size = PREFIXES[prefix]
    raw = b58decode(text)
    body, check = raw[:-4], raw[-4:]
    if len(raw) < 4 or _checksum(body) != check:
        raise ValueError(f"bad base58 checksum in {text!r}")
    if not body.startswith(version) or len(body) != len(version) + size:
        raise ValueError(f"{text!r} is not a {prefix} address")
    return body[len(version) :]


def rollup_address(text: str) -> bytes:
    """20-byte hash of an ``sr1…`` address."""
    return decode(text, "sr1")


def contract_address(text: str) -> bytes:
    """20-byte hash of a ``KT1…`` address."""
    return decode(text, "KT1")


def implicit_address(text: str) -> bytes:
    """21 bytes (curve tag ‖ hash) of a ``tz1…``–``tz4…`` address."""
    prefix = text[:3]
    if prefix not in _CURVE_TAG:
        raise ValueError(f"{text!r} is not an implicit account address")
    return bytes([_CURVE_TAG[prefix]]) + decode(text, prefix)
