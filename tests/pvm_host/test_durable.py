"""Durable tree semantics against the PVM rules (spec §1.2–1.5, §8)."""

import hashlib

from pvm_host.durable import DurableTree, parse_key
from pvm_spec.constants import (
    INPUT_OUTPUT_TOO_LARGE,
    STORE_INVALID_ACCESS,
    STORE_INVALID_KEY,
    STORE_KEY_TOO_LARGE,
    STORE_NOT_A_NODE,
    STORE_NOT_A_VALUE,
    STORE_READONLY_VALUE,
    STORE_VALUE_ALREADY_EXISTS,
    STORE_VALUE_SIZE_EXCEEDED,
)


def test_key_syntax_and_length() -> None:
    assert parse_key(b"/a/b.c/-_9") == ("a", "b.c", "-_9")
    assert parse_key(b"") == ()
    assert parse_key(b"/..") == ("..",)
    for bad in (b"a", b"/", b"/a/", b"//a", b"/a b", b"/a/@", b"/\xff"):
        assert parse_key(bad) == STORE_INVALID_KEY, bad
    assert parse_key(b"/" + b"x" * 239) == ("x" * 239,)
    assert parse_key(b"/" + b"x" * 240) == STORE_KEY_TOO_LARGE


def test_has_list_size_value_and_subtrees() -> None:
    t = DurableTree()
    assert t.store_has(b"/a") == 0
    assert t.store_write(b"/a", 0, b"v") == 0
    assert t.store_has(b"/a") == 1
    assert t.store_write(b"/a/b", 0, b"1") == 0
    assert t.store_write(b"/a/c", 0, b"2") == 0
    assert t.store_has(b"/a") == 3
    assert t.store_list_size(b"/a") == 3
    assert t.store_delete_value(b"/a") == 0
    assert t.store_has(b"/a") == 2
    assert t.store_list_size(b"/a") == 2
    assert t.store_exists(b"/a") == 1
    assert t.store_exists(b"/zz") == 0
    assert t.store_list_size(b"/zz") == 0
    assert t.store_get_nth_key(b"/a", 1) == b"c"
    assert t.store_get_nth_key(b"/a", 2) == -12


def test_read_write_offsets_and_limits() -> None:
    t = DurableTree()
    assert t.store_read(b"/k", 0, 10) == STORE_NOT_A_VALUE
    assert t.store_write(b"/k", 1, b"x") == STORE_INVALID_ACCESS  # missing value: offset must be 0
    assert t.store_create(b"/e", 0) == 0
    assert t.store_read(b"/e", 0, 10) == STORE_INVALID_ACCESS  # offset 0 of an empty value
    assert t.store_create(b"/e", 3) == STORE_VALUE_ALREADY_EXISTS
    assert t.store_write(b"/k", 0, b"hello") == 0
    assert t.store_write(b"/k", 6, b"!") == STORE_INVALID_ACCESS  # past the end
    assert t.store_write(b"/k", 5, b" world") == 0  # append at the end
    assert t.store_write(b"/k", 0, b"J") == 0  # never truncates
    assert t.get("/k") == b"Jello world"
    assert t.store_read(b"/k", 6, 100) == b"world"
    assert t.store_read(b"/k", 11, 1) == STORE_INVALID_ACCESS
    assert t.store_read(b"/k", 0, 2049) == INPUT_OUTPUT_TOO_LARGE
    assert t.store_write(b"/k", 0, bytes(2049)) == INPUT_OUTPUT_TOO_LARGE
    assert t.store_write(b"/big", 0, bytes(2048)) == 0
    assert t.store_read(b"/big", 2048, 1) == STORE_INVALID_ACCESS
    assert t.store_value_size(b"/big") == 2048
    assert t.store_value_size(b"/none") == STORE_NOT_A_VALUE
    assert t.store_create(b"/z", 4) == 0 and t.get("/z") == bytes(4)


def test_readonly_protection() -> None:
    t = DurableTree()
    t.set("/readonly/x", b"1")
    assert t.store_write(b"/readonly/x", 0, b"2") == STORE_READONLY_VALUE
    assert t.store_write(b"/readonly", 0, b"2") == STORE_READONLY_VALUE
    assert t.store_delete(b"/readonly/x") == STORE_READONLY_VALUE
    assert t.store_delete(b"") == STORE_READONLY_VALUE
    assert t.store_move(b"/readonly/x", b"/y") == STORE_READONLY_VALUE
    assert t.store_copy(b"/readonly/x", b"/y") == 0  # source may be read-only
    assert t.get("/y") == b"1"
    assert t.store_copy(b"/y", b"/readonly/z") == STORE_READONLY_VALUE
    assert t.store_create(b"/readonly/w", 1) == STORE_READONLY_VALUE
    assert t.store_delete(b"/readonlyx") == 0  # only the exact first step is protected


def test_copy_move_delete_subtrees() -> None:
    t = DurableTree()
    t.set("/a", b"root")
    t.set("/a/b", b"1")
    t.set("/a/b/c", b"2")
    t.set("/d/old", b"gone")
    assert t.store_copy(b"/nothing", b"/d") == STORE_NOT_A_NODE
    assert t.store_copy(b"/a", b"/d") == 0
    assert dict(t.items("/d")) == {"/d": b"root", "/d/b": b"1", "/d/b/c": b"2"}
    assert t.store_move(b"/d", b"/e/f") == 0
    assert t.store_has(b"/d") == 0
    assert dict(t.items("/e")) == {"/e/f": b"root", "/e/f/b": b"1", "/e/f/b/c": b"2"}
    assert t.store_move(b"/nothing", b"/x") == STORE_NOT_A_NODE
    assert t.store_delete(b"/e/f/b") == 0
    assert t.store_delete(b"/missing") == 0
    assert t.store_delete_value(b"/e/f") == 0
    assert t.store_has(b"/e") == 0  # emptied ancestors disappear
    assert t.subkeys("") == ["a"]


def test_root_hash_is_deterministic_and_structural() -> None:
    a, b = DurableTree(), DurableTree()
    a.set("/x", b"1")
    a.set("/y/z", b"2")
    b.set("/y/z", b"2")
    b.set("/x", b"1")
    assert a.root_hash() == b.root_hash()
    b.set("/tmp", b"")
    assert a.root_hash() != b.root_hash()
    b.remove("/tmp")
    assert a.root_hash() == b.root_hash()
    assert len(a.store_get_hash(b"/y")) == 32
    assert a.store_get_hash(b"/nope") == STORE_NOT_A_NODE


def test_root_hash_definition() -> None:
    def h(data: bytes) -> bytes:
        return hashlib.blake2b(data, digest_size=32).digest()

    t = DurableTree()
    assert t.root_hash() == h(b"N\x00")
    t.set("/ab", b"v")
    leaf = h(b"N\x01" + h(b"v"))
    assert t.root_hash() == h(b"N\x00" + b"\x02ab" + leaf)


def test_value_size_limit(monkeypatch) -> None:
    import pvm_host.durable

    monkeypatch.setattr(pvm_host.durable, "MAX_VALUE_SIZE", 10)
    t = DurableTree()
    assert t.store_write(b"/k", 0, b"12345678") == 0
    assert t.store_write(b"/k", 8, b"123") == STORE_VALUE_SIZE_EXCEEDED
    assert t.store_write(b"/k", 8, b"12") == 0
    assert t.store_create(b"/c", -1) == STORE_VALUE_SIZE_EXCEEDED
    assert t.store_create(b"/c", 11) == STORE_VALUE_SIZE_EXCEEDED
