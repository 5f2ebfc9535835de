"""verify_each_keys: the decoded keys it hands back are -A's x exactly, only for keys that decode strictly, and
feeding them back (a warm cache) changes no result."""

from __future__ import annotations

from kernel_py.crypto import ed25519
from tests.crypto import reference_ed25519 as ref
from tests.crypto.test_ed25519_each import batch

KINDS = ["good", "flip_a", "good", "small_a", "wrong_msg", "non_canonical_a", "short_sig", "good", "other_key"]


def neg_x(public_key: bytes) -> bytes:
    """Canonical bytes of -A's x, by the big-integer reference."""
    point = ref.decode(public_key)
    assert point is not None
    return ((ref.P - point[0]) % ref.P).to_bytes(32, "little")


def test_cold_then_warm_keys_give_the_same_results() -> None:
    pks, msgs, sigs = batch(KINDS, [0, 1, 1, 2, 0, 1, 2, 2, 1], [5] * len(KINDS))
    expected = ed25519.verify_each(pks, msgs, sigs)
    assert expected == [True, False, True, False, False, False, False, True, False]
    xs = [b""] * len(pks)
    assert ed25519.verify_each_keys(pks, xs, msgs, sigs) == expected
    # Each strictly decodable key is decoded once, where it is first used by a well-formed signature; the rest
    # (a flipped or non-canonical key, a small-order one, or a later use) stay empty.
    filled = {i: neg_x(pks[i]) for i in (0, 2, 7)}
    assert xs == [filled.get(i, b"") for i in range(len(pks))]
    warm = list(xs)
    assert ed25519.verify_each_keys(pks, warm, msgs, sigs) == expected
    assert warm == xs  # cached entries are used, not rewritten


def test_a_cached_key_is_trusted_only_through_its_x() -> None:
    """A cached x stands in for the decoding: the key's y still comes from the key itself."""
    pks, msgs, sigs = batch(["good", "good"], [0, 1], [0, 0])
    xs = [neg_x(pks[0]), neg_x(pks[1])]
    assert ed25519.verify_each_keys(pks, xs, msgs, sigs) == [True, True]
    # Swapped entries describe no point on either key's y: the equations fail instead of passing wrongly.
    assert ed25519.verify_each_keys(pks, [xs[1], xs[0]], msgs, sigs) == [False, False]


def test_lists_of_another_length_decode_every_key() -> None:
    pks, msgs, sigs = batch(["good", "flip_s"], [0, 0], [1, 1])
    assert ed25519.verify_each_keys(pks, [], msgs, sigs) == [True, False]
