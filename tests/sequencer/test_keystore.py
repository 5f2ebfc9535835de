"""The token CLI keystore: mode 600 files, refusal of group/other-readable files, key file formats."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from nacl.signing import SigningKey

from dsn.token.keystore import Keystore, KeystoreError, read_key_file


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_keystore_is_created_with_mode_600_in_a_700_directory(tmp_path: Path) -> None:
    path = tmp_path / "store" / "keys.json"
    ks = Keystore.open(path)
    name = ks.add(bytes([1]) * 32, "alice")
    ks.save()
    assert (name, mode(path), mode(path.parent)) == ("alice", 0o600, 0o700)
    again = Keystore.open(path)
    assert again.default == "alice" and again.keys == {"alice": bytes([1]) * 32}


def test_keystore_readable_by_others_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    ks = Keystore.open(path)
    ks.add(bytes([1]) * 32)
    ks.save()
    path.chmod(0o644)
    with pytest.raises(KeystoreError, match="accessible by other users \\(mode 644\\); run chmod 600"):
        Keystore.open(path)


def test_malformed_keystore_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    path.write_text('{"keys": {"a": "zz"}}')
    path.chmod(0o600)
    with pytest.raises(KeystoreError, match="malformed"):
        Keystore.open(path)


def test_lookup_by_name_prefix_and_default(tmp_path: Path) -> None:
    ks = Keystore.open(tmp_path / "k.json")
    with pytest.raises(KeystoreError, match="key generate"):
        ks.get()
    ks.add(bytes([1]) * 32, "alice")
    bob_seed = bytes([2]) * 32
    ks.add(bob_seed, "bob")
    bob_pk = bytes(SigningKey(bob_seed).verify_key).hex()
    assert ks.get()[0] == "bob"
    assert ks.get(bob_pk[:6])[0] == "bob"
    assert ks.add(bob_seed, "other") == "bob"  # the same key is not stored twice
    with pytest.raises(KeystoreError, match="already named"):
        ks.add(bytes([3]) * 32, "alice")
    with pytest.raises(KeystoreError, match="no single key"):
        ks.get("carol")


def test_key_file_formats(tmp_path: Path) -> None:
    seed = bytes(range(32))
    pk = bytes(SigningKey(seed).verify_key)
    (tmp_path / "raw64").write_bytes(seed + pk)
    (tmp_path / "hex32").write_text(seed.hex() + "\n")
    (tmp_path / "bad64").write_bytes(seed + bytes(32))
    (tmp_path / "short").write_bytes(bytes(10))
    assert read_key_file(tmp_path / "raw64") == seed
    assert read_key_file(tmp_path / "hex32") == seed
    with pytest.raises(KeystoreError, match="not the public key"):
        read_key_file(tmp_path / "bad64")
    with pytest.raises(KeystoreError, match="got 10 bytes"):
        read_key_file(tmp_path / "short")
