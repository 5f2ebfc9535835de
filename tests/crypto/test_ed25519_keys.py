"""verify_each_cached: a key's cache entry is -A's x exactly, written only after the key's first valid signature,
and a warm cache changes no result."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kernel_py.crypto import ed25519
from kernel_py.intrinsics import install_host
from pvm_host.pvm import PvmState
from tests.crypto import reference_ed25519 as ref
from tests.crypto.test_ed25519_each import batch

KINDS = ["good", "flip_a", "good", "small_a", "wrong_msg", "non_canonical_a", "short_sig", "good", "other_key"]


def neg_x(public_key: bytes) -> bytes:
    """Canonical bytes of -A's x, by the big-integer reference."""
    point = ref.decode(public_key)
    assert point is not None
    return ((ref.P - point[0]) % ref.P).to_bytes(32, "little")


@pytest.fixture
def pvm() -> Iterator[PvmState]:
    state = PvmState()
    install_host(state)
    try:
        yield state
    finally:
        install_host(None)


def entries(pvm: PvmState) -> dict[str, bytes]:
    return dict(pvm.durable.items("/c"))


def test_cold_then_warm_cache_gives_the_same_results(pvm: PvmState) -> None:
    pks, msgs, sigs = batch(KINDS, [0, 1, 1, 2, 0, 1, 2, 2, 1], [5] * len(KINDS))
    expected = ed25519.verify_each(pks, msgs, sigs)
    assert expected == [True, False, True, False, False, False, False, True, False]
    assert entries(pvm) == {}  # no cache prefix, no storage
    assert ed25519.verify_each_cached(b"/c/", pks, msgs, sigs, b"") == expected
    # One entry per key with a valid signature (KEYS[0], [1], [2] at items 0, 2, 7), none for the flipped,
    # non-canonical or small-order keys.
    cold = entries(pvm)
    assert cold == {"/c/" + pks[i].hex(): neg_x(pks[i]) for i in (0, 2, 7)}
    assert ed25519.verify_each_cached(b"/c/", pks, msgs, sigs, b"") == expected
    assert entries(pvm) == cold


def test_a_key_without_a_valid_signature_is_not_cached(pvm: PvmState) -> None:
    pks, msgs, sigs = batch(["wrong_msg", "flip_s", "good"], [0, 0, 1], [1, 1, 1])
    assert ed25519.verify_each_cached(b"/c/", pks, msgs, sigs, b"") == [False, False, True]
    assert entries(pvm) == {"/c/" + pks[2].hex(): neg_x(pks[2])}


def test_a_cached_key_is_used_through_its_x(pvm: PvmState) -> None:
    """The entry stands in for the decoding (the key's y still comes from the key): entries swapped between two
    keys describe no point with either y, and both signatures then fail instead of passing wrongly."""
    pks, msgs, sigs = batch(["good", "good"], [0, 1], [0, 0])
    pvm.durable.set("/c/" + pks[0].hex(), neg_x(pks[1]))
    pvm.durable.set("/c/" + pks[1].hex(), neg_x(pks[0]))
    assert ed25519.verify_each_cached(b"/c/", pks, msgs, sigs, b"") == [False, False]
    pvm.durable.set("/c/" + pks[0].hex(), neg_x(pks[0]))
    assert ed25519.verify_each_cached(b"/c/", pks, msgs, sigs, b"") == [True, False]
