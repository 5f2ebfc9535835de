"""verify_each: one batch equation plus bisection gives, per item, exactly the single verification (ours, and
PyNaCl's on honest encodings), whatever the invalid items are and wherever they sit; and the bisection's cost."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nacl.signing import SigningKey

from kernel_py.crypto import ed25519
from tests.crypto import reference_ed25519 as ref
from tests.crypto.conftest import Backend, cpython_backend, wasm_backend
from tests.crypto.test_ed25519 import flip, nacl_verify

# Kinds of item: the first ones keep honest encodings (PyNaCl's cofactorless rule then agrees with ours).
HONEST = ["good", "good", "good", "wrong_msg", "other_key", "flip_s", "s_plus_l", "short_sig"]
KINDS = HONEST + ["flip_r", "flip_a", "small_r", "small_a", "non_canonical_a", "torsion_r"]
KEYS = [SigningKey(bytes([7 * i + 1]) * 32) for i in range(3)]


def item(kind: str, key: int, n: int, bit: int) -> tuple[bytes, bytes, bytes]:
    """(public key, message, signature) of the given kind, signed by KEYS[key] on message n."""
    sk = KEYS[key]
    pk, msg = bytes(sk.verify_key), b"message %d" % n
    sig = sk.sign(msg).signature
    if kind == "wrong_msg":
        return pk, msg + b"!", sig
    if kind == "other_key":
        return bytes(KEYS[(key + 1) % 3].verify_key), msg, sig
    if kind == "flip_s":
        return pk, msg, flip(sig, 256 + bit % 256)
    if kind == "s_plus_l":
        return pk, msg, sig[:32] + (int.from_bytes(sig[32:], "little") + ref.L).to_bytes(32, "little")
    if kind == "short_sig":
        return pk, msg, sig[:63]
    if kind == "flip_r":
        return pk, msg, flip(sig, bit % 256)
    if kind == "flip_a":
        return flip(pk, bit % 256), msg, sig
    if kind == "small_r":
        return pk, msg, ref.encode(ref.torsion_points()[bit % 8]) + sig[32:]
    if kind == "small_a":
        return ref.encode(ref.torsion_points()[bit % 8]), msg, sig
    if kind == "non_canonical_a":
        return (ref.P + 1).to_bytes(32, "little"), msg, sig
    if kind == "torsion_r":  # valid under the cofactored rule, refused by PyNaCl: R' = R + T, S for R'
        a = int.from_bytes(hashlib.sha512(bytes(sk)).digest()[:32], "little")
        a = (a & ((1 << 254) - 8)) | (1 << 254)
        r = 1000 + n
        r_point = ref.add(ref.mul(r, ref.BASE), ref.torsion_points()[1 + bit % 7])
        r_bytes = ref.encode(r_point)
        k = int.from_bytes(hashlib.sha512(r_bytes + pk + msg).digest(), "little") % ref.L
        return pk, msg, r_bytes + ((r + k * a) % ref.L).to_bytes(32, "little")
    return pk, msg, sig


def batch(kinds: list[str], keys: list[int], bits: list[int]) -> tuple[list[bytes], list[bytes], list[bytes]]:
    rows = [item(kind, key, n, bit) for n, (kind, key, bit) in enumerate(zip(kinds, keys, bits))]
    return [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]


@pytest.fixture(params=["cpython", "wasm"])
def fast_backend(request: pytest.FixtureRequest) -> Backend:
    if request.param == "cpython":
        return cpython_backend()
    return wasm_backend(request.getfixturevalue("compiled_crypto"))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(st.sampled_from(KINDS), st.integers(0, 2), st.integers(0, 1 << 16)),
                     min_size=1, max_size=9))
def test_each_equals_single_verification(fast_backend: Backend, rows: list[tuple[str, int, int]]) -> None:
    kinds = [r[0] for r in rows]
    pks, msgs, sigs = batch(kinds, [r[1] for r in rows], [r[2] for r in rows])
    got = fast_backend.verify_each(pks, msgs, sigs)
    singles = [fast_backend.verify(p, m, s) for p, m, s in zip(pks, msgs, sigs)]
    assert got == singles
    assert got == [ed25519.verify(p, m, s) for p, m, s in zip(pks, msgs, sigs)]
    for k, kind in enumerate(kinds):
        if kind in HONEST:
            assert got[k] is nacl_verify(pks[k], msgs[k], sigs[k]), kind
        if kind == "torsion_r":
            assert got[k] is True and nacl_verify(pks[k], msgs[k], sigs[k]) is False
    assert fast_backend.verify_batch(pks, msgs, sigs) is all(singles)


def test_duplicate_items_and_duplicate_keys(fast_backend: Backend) -> None:
    """The same signature twice, valid and invalid, among items sharing one key."""
    pks, msgs, sigs = batch(["good", "wrong_msg", "good", "good", "wrong_msg"], [0, 0, 0, 1, 0], [0] * 5)
    pks.append(pks[1])
    msgs.append(msgs[1])
    sigs.append(sigs[1])
    pks.append(pks[0])
    msgs.append(msgs[0])
    sigs.append(sigs[0])
    assert fast_backend.verify_each(pks, msgs, sigs) == [True, False, True, True, False, False, True]


def test_edge_cases(fast_backend: Backend) -> None:
    assert fast_backend.verify_each([], [], []) == []
    pks, msgs, sigs = batch(["short_sig", "small_a", "flip_a"], [0, 1, 2], [3, 3, 3])
    assert fast_backend.verify_each(pks, msgs, sigs) == [False, False, False]
    assert fast_backend.verify_batch(pks[:1], msgs, sigs[:1]) is False  # lengths differ
    assert fast_backend.verify_batch([], [], []) is True


def bad_positions(n: int, bad: int) -> set[int]:
    return {(2 * j + 1) * n // (2 * bad) for j in range(bad)}


def signed(n: int, senders: int, bad: set[int]) -> tuple[list[bytes], list[bytes], list[bytes]]:
    """n signatures from ``senders`` keys; those at ``bad`` are well formed but over another message."""
    keys = [SigningKey(i.to_bytes(2, "big") * 16) for i in range(senders)]
    pks, msgs, sigs = [], [], []
    for i in range(n):
        k = keys[i % senders]
        msg = i.to_bytes(4, "big") * 8
        pks.append(bytes(k.verify_key))
        msgs.append(msg)
        sigs.append(k.sign(msg + b"x" if i in bad else msg).signature)
    return pks, msgs, sigs


@pytest.mark.parametrize("bad", [0, 1, 16])
def test_bad_signatures_in_a_large_batch(compiled_crypto: dict, bad: int) -> None:
    """Wasm, 96 signatures from 20 keys: exactly the bad ones are refused."""
    positions = bad_positions(96, bad) if bad else set()
    pks, msgs, sigs = signed(96, 20, positions)
    got = wasm_backend(compiled_crypto).verify_each(pks, msgs, sigs)
    assert got == [i not in positions for i in range(96)]


@pytest.mark.slow
@pytest.mark.parametrize("bad", [1, 16, 500])
def test_bad_signatures_in_a_preblock_sized_batch(compiled_crypto: dict, bad: int) -> None:
    positions = bad_positions(500, bad)
    pks, msgs, sigs = signed(500, 50, positions)
    got = wasm_backend(compiled_crypto).verify_each(pks, msgs, sigs)
    assert got == [i not in positions for i in range(500)]


def test_bisection_cost(monkeypatch: pytest.MonkeyPatch) -> None:
    """Multi-scalar multiplications and the items they sum, for 64 signatures (4 first ranges of 16):
    clean 1 (64 items); one bad: 1 + 3 for the first split (48 items) + 4 halvings (8 + 4 + 2 + 1 items);
    two bad in one range (33, 37): the same split, then (ranges in breadth-first order) 8, 4, both 4-ranges
    halved (2, 2), then both 2-ranges (1, 1)."""
    calls: list[int] = []
    original = ed25519._subset_sum

    def counting(e: ed25519.Point, b: ed25519.Batch, lo: int, hi: int) -> None:
        calls.append(hi - lo)
        original(e, b, lo, hi)

    monkeypatch.setattr(ed25519, "_subset_sum", counting)
    pks, msgs, sigs = signed(64, 64, set())
    assert ed25519.verify_each(pks, msgs, sigs) == [True] * 64 and calls == [64]
    for bad, expected in (({40}, [64, 16, 16, 16, 8, 4, 2, 1]), ({33, 37}, [64, 16, 16, 16, 8, 4, 2, 2, 1, 1])):
        calls.clear()
        pks, msgs, sigs = signed(64, 64, bad)
        assert ed25519.verify_each(pks, msgs, sigs) == [i not in bad for i in range(64)]
        assert calls == expected
