"""tz1 (Ed25519) operator keys: generation, key files (mode 600), addresses and operation signatures."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import nacl.signing
from pytezos.crypto.encoding import base58_decode, base58_encode

OPERATION_WATERMARK = b"\x03"  # generic manager-operation watermark signed by Tezos clients


class KeyFileError(ValueError):
    """A key file or key string is unreadable or of an unsupported kind."""


@dataclass(frozen=True)
class Key:
    """An Ed25519 key pair with its Tezos encodings."""

    seed: bytes  # 32-byte Ed25519 seed

    @property
    def _signing(self) -> nacl.signing.SigningKey:
        return nacl.signing.SigningKey(self.seed)

    @property
    def public_key_bytes(self) -> bytes:
        return bytes(self._signing.verify_key)

    @property
    def secret_key(self) -> str:
        """``edsk…`` (54 characters, the seed form accepted by octez-client)."""
        return base58_encode(self.seed, b"edsk").decode()

    @property
    def public_key(self) -> str:
        """``edpk…``"""
        return base58_encode(self.public_key_bytes, b"edpk").decode()

    @property
    def address(self) -> str:
        """``tz1…`` = base58 of BLAKE2b-160 of the public key."""
        return base58_encode(hashlib.blake2b(self.public_key_bytes, digest_size=20).digest(), b"tz1").decode()

    def sign_operation(self, unsigned: bytes) -> bytes:
        """64-byte Ed25519 signature of BLAKE2b-256(``03`` ‖ unsigned operation bytes)."""
        digest = hashlib.blake2b(OPERATION_WATERMARK + unsigned, digest_size=32).digest()
        return self._signing.sign(digest).signature

    def signature_b58(self, signature: bytes) -> str:
        """``edsig…`` form of a signature, as the node's JSON RPC takes it."""
        return base58_encode(signature, b"edsig").decode()


def generate() -> Key:
    """A fresh random key."""
    return Key(os.urandom(32))


def from_secret(secret: str) -> Key:
    """Key from an ``edsk…`` string (54-char seed form or 98-char expanded form)."""
    secret = secret.strip()
    if not secret.startswith("edsk"):
        raise KeyFileError("only Ed25519 (edsk…) secret keys are supported")
    try:
        raw = base58_decode(secret.encode())
    except ValueError as e:
        raise KeyFileError(f"invalid edsk key: {e}") from e
    return Key(raw[:32])


def save(key: Key, path: Path, force: bool = False) -> None:
    """Write a key file (JSON, created with mode 600); refuses to overwrite unless ``force``."""
    path = Path(path)
    if path.exists() and not force:
        raise FileExistsError(f"{path} exists; pass --force to overwrite it")
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {"kind": "ed25519", "address": key.address, "public_key": key.public_key, "secret_key": key.secret_key}
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    fd = os.open(path, flags, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    os.chmod(path, 0o600)


def load(spec: str) -> Key:
    """Key from a key file written by :func:`save`, or from a literal ``edsk…`` string."""
    if spec.startswith("edsk"):
        return from_secret(spec)
    path = Path(spec)
    if not path.is_file():
        raise KeyFileError(f"no key file at {spec} (and not an edsk… secret key)")
    try:
        doc = json.loads(path.read_text())
        key = from_secret(doc["secret_key"])
    except (json.JSONDecodeError, KeyError, TypeError) as e:
        raise KeyFileError(f"{spec} is not a key file: {e}") from e
    if doc.get("address") not in (None, key.address):
        raise KeyFileError(f"{spec}: stored address {doc['address']} does not match its secret key")
    return key
