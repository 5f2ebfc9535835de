"""The token CLI's keystore: one JSON file of named Ed25519 keys, created with mode 600.

Layout: ``{"default": "<name>", "keys": {"<name>": "<32-byte seed hex>"}}``. A keystore readable or
writable by group/others is refused (like ssh), so a copied file does not leak keys silently.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from nacl.signing import SigningKey

DEFAULT_KEYSTORE = Path(".dsn-token") / "keys.json"


class KeystoreError(Exception):
    """A keystore problem the user must fix (message says how)."""


@dataclass
class Keystore:
    path: Path
    keys: dict[str, bytes] = field(default_factory=dict)
    default: str | None = None

    @classmethod
    def open(cls, path: Path) -> "Keystore":
        """Load ``path`` (an empty keystore if it does not exist yet)."""
        if not path.exists():
            return cls(path)
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise KeystoreError(f"keystore {path} is accessible by other users (mode {mode:o}); run chmod 600 {path}")
        try:
            raw = json.loads(path.read_text())
            keys = {str(n): bytes.fromhex(s) for n, s in raw["keys"].items()}
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise KeystoreError(f"keystore {path} is malformed: {exc}") from None
        if any(len(s) != 32 for s in keys.values()):
            raise KeystoreError(f"keystore {path} holds a seed that is not 32 bytes")
        default = raw.get("default")
        return cls(path, keys, default if default in keys else None)

    def save(self) -> None:
        """Write atomically with mode 600 (directory 700 when created)."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = self.path.with_name(self.path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump({"default": self.default, "keys": {n: s.hex() for n, s in self.keys.items()}}, f, indent=2)
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.path)

    def add(self, seed: bytes, name: str | None = None) -> str:
        """Store a key (made the default); returns its name (default: the first 8 hex of its public key)."""
        pk = bytes(SigningKey(seed).verify_key)
        for existing, s in self.keys.items():
            if s == seed:
                self.default = existing
                return existing
        name = name or pk.hex()[:8]
        if name in self.keys:
            raise KeystoreError(f"a different key is already named {name!r}")
        self.keys[name] = seed
        self.default = name
        return name

    def get(self, name: str | None = None) -> tuple[str, SigningKey]:
        """A key by name or public-key hex prefix; the default key when ``name`` is None."""
        if name is None:
            if self.default is None:
                raise KeystoreError(f"no key in {self.path}: run `dsn token key generate` or `key import`")
            name = self.default
        if name in self.keys:
            return name, SigningKey(self.keys[name])
        matches = [n for n, s in self.keys.items() if bytes(SigningKey(s).verify_key).hex().startswith(name.lower())]
        if len(matches) != 1:
            raise KeystoreError(f"no single key named or starting with {name!r} in {self.path}")
        return matches[0], SigningKey(self.keys[matches[0]])


def read_key_file(path: Path) -> bytes:
    """A seed from a key file: raw 64-byte Ed25519 private key (seed ‖ pk, token-cli's format), raw
    32-byte seed, or either in hex text."""
    data = path.read_bytes()
    try:
        text = data.decode().strip()
        if text and all(c in "0123456789abcdefABCDEF" for c in text):
            data = bytes.fromhex(text)
    except (UnicodeDecodeError, ValueError):
        pass
    if len(data) == 64:
        seed = data[:32]
        if bytes(SigningKey(seed).verify_key) != data[32:]:
            raise KeystoreError(f"{path}: the last 32 bytes are not the public key of the first 32")
        return seed
    if len(data) == 32:
        return data
    raise KeystoreError(f"{path}: expected a 32-byte seed or 64-byte private key, got {len(data)} bytes")
