"""Deterministic user keys for the end-to-end tests."""

from __future__ import annotations

from nacl.signing import SigningKey

NATIVE = bytes(32)


def key(seed: int) -> SigningKey:
    """The user key of ``seed`` (key(1) is funded with 1,000,000 of the native asset at genesis)."""
    return SigningKey(seed.to_bytes(32, "big"))
