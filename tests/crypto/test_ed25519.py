"""Ed25519 verify / verify_batch: RFC 8032 vectors, PyNaCl differential tests, corruptions, and the
strict + cofactored policy (non-canonical and small-order encodings, mixed-order points)."""

from __future__ import annotations

import hashlib
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

from tests.crypto import reference_ed25519 as ref
from tests.crypto.conftest import Backend
from tests.crypto.vectors import RFC8032_7_1

HYPOTHESIS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
MUTATIONS = ["none", "flip_r", "flip_s", "flip_a", "flip_msg", "s_plus_l", "other_key"]


def nacl_verify(public_key: bytes, message: bytes, signature: bytes) -> bool:
    try:
        VerifyKey(public_key).verify(message, signature)
    except (BadSignatureError, ValueError):
        return False
    return True


def flip(data: bytes, bit: int) -> bytes:
    out = bytearray(data)
    out[bit // 8] ^= 1 << (bit % 8)
    return bytes(out)


def sign_with(secret: int, nonce_point: ref.Point, nonce: int, public_key: bytes, message: bytes) -> bytes:
    """R || S with an explicit nonce: S = nonce + H(R || A || M) * secret mod L."""
    r_bytes = ref.encode(nonce_point)
    k = int.from_bytes(hashlib.sha512(r_bytes + public_key + message).digest(), "little") % ref.L
    return r_bytes + ((nonce + k * secret) % ref.L).to_bytes(32, "little")


def mutate(kind: str, pk: bytes, msg: bytes, sig: bytes, bit: int) -> tuple[bytes, bytes, bytes]:
    if kind == "flip_r":
        return pk, msg, flip(sig, bit % 256)
    if kind == "flip_s":
        return pk, msg, flip(sig, 256 + bit % 256)
    if kind == "flip_a":
        return flip(pk, bit % 256), msg, sig
    if kind == "flip_msg":
        return pk, flip(msg + b"\x00", bit % (8 * (len(msg) + 1))), sig
    if kind == "s_plus_l":
        s = int.from_bytes(sig[32:], "little") + ref.L
        return pk, msg, sig[:32] + s.to_bytes(32, "little")
    if kind == "other_key":
        return bytes(SigningKey(hashlib.sha256(pk).digest()).verify_key), msg, sig
    return pk, msg, sig


# ---------------------------------------------------------------------------------------------
# Known answers
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("vector", RFC8032_7_1, ids=[v[0] for v in RFC8032_7_1])
def test_rfc8032_vector_rows_are_self_consistent(vector: tuple[str, bytes, bytes, bytes, bytes]) -> None:
    _name, secret, public_key, message, signature = vector
    key = SigningKey(secret)
    assert bytes(key.verify_key) == public_key
    assert key.sign(message).signature == signature


def test_rfc8032_vectors_verify(backend: Backend) -> None:
    assert [len(v[3]) for v in RFC8032_7_1] == [0, 1, 2, 1023, 64]
    for _name, _secret, public_key, message, signature in RFC8032_7_1:
        assert backend.verify(public_key, message, signature) is True
        assert backend.verify(public_key, message + b"\x00", signature) is False


def test_rfc8032_vectors_verify_as_a_batch(backend: Backend) -> None:
    pks = [v[2] for v in RFC8032_7_1]
    msgs = [v[3] for v in RFC8032_7_1]
    sigs = [v[4] for v in RFC8032_7_1]
    assert backend.verify_batch(pks, msgs, sigs) is True
    assert backend.verify_batch(pks, msgs, sigs[1:] + sigs[:1]) is False


# ---------------------------------------------------------------------------------------------
# Differential against PyNaCl (libsodium)
# ---------------------------------------------------------------------------------------------


@HYPOTHESIS
@given(
    seed=st.binary(min_size=32, max_size=32),
    message=st.binary(max_size=300),
    kind=st.sampled_from(MUTATIONS),
    bit=st.integers(min_value=0, max_value=10_000),
)
def test_matches_pynacl_on_random_and_corrupted_signatures(
    backend: Backend, seed: bytes, message: bytes, kind: str, bit: int
) -> None:
    key = SigningKey(seed)
    pk = bytes(key.verify_key)
    sig = key.sign(message).signature
    pk2, msg2, sig2 = mutate(kind, pk, message, sig, bit)
    expected = kind == "none"
    assert nacl_verify(pk2, msg2, sig2) is expected
    assert backend.verify(pk2, msg2, sig2) is expected


def test_every_corruption_kind_is_rejected(backend: Backend) -> None:
    key = SigningKey(b"\x07" * 32)
    pk = bytes(key.verify_key)
    msg = b"dsn-tx-v1\x00" + bytes(range(40))
    sig = key.sign(msg).signature
    rng = random.Random(5)
    for kind in MUTATIONS[1:]:
        for _ in range(2):
            assert backend.verify(*mutate(kind, pk, msg, sig, rng.randrange(4096))) is False, kind
    assert backend.verify(pk, msg, sig) is True


def test_wrong_lengths_return_false(backend: Backend) -> None:
    _name, _secret, pk, msg, sig = RFC8032_7_1[1]
    for bad_pk in (b"", pk[:31], pk + b"\x00"):
        assert backend.verify(bad_pk, msg, sig) is False
    for bad_sig in (b"", sig[:63], sig + b"\x00"):
        assert backend.verify(pk, msg, bad_sig) is False
    assert backend.verify_batch([pk], [msg], [sig[:63]]) is False
    assert backend.verify_batch([pk[:31]], [msg], [sig]) is False
    assert backend.verify_batch([pk, pk], [msg], [sig, sig]) is False
    assert backend.verify_batch([pk], [msg, msg], [sig]) is False
    assert backend.verify_batch([], [], []) is True


# ---------------------------------------------------------------------------------------------
# Policy: strict encodings, small-order rejection, cofactored equation
# ---------------------------------------------------------------------------------------------


def test_small_order_public_key_forgery_is_rejected(backend: Backend) -> None:
    """With A of small order, R = [r]B and S = r satisfy the cofactored equation for any message."""
    r = 123456789
    nonce_point = ref.mul(r, ref.BASE)
    pks, msgs, sigs = make_batch(1, 9)
    for t in ref.torsion_points():
        forged = ref.encode(nonce_point) + r.to_bytes(32, "little")
        assert backend.verify(ref.encode(t), b"any message", forged) is False
        assert backend.verify_batch(pks + [ref.encode(t)], msgs + [b"any message"], sigs + [forged]) is False


def test_small_order_r_is_rejected(backend: Backend) -> None:
    """R = T of small order and S = k * a: [S]B - R - [k]A = -T would pass the bare cofactored equation."""
    a = 987654321987654321
    pk = ref.encode(ref.mul(a, ref.BASE))
    for t in ref.torsion_points():
        r_bytes = ref.encode(t)
        k = int.from_bytes(hashlib.sha512(r_bytes + pk + b"m").digest(), "little") % ref.L
        sig = r_bytes + (k * a % ref.L).to_bytes(32, "little")
        assert backend.verify(pk, b"m", sig) is False
        assert backend.verify_batch([pk], [b"m"], [sig]) is False


def test_non_canonical_encodings_are_rejected(backend: Backend) -> None:
    """y >= p, and x = 0 with the sign bit set, are refused for A and for R."""
    _name, _secret, pk, msg, sig = RFC8032_7_1[0]
    bad = [
        (ref.P + 1).to_bytes(32, "little"),  # y = 1 + p
        ((1 << 255) - 1).to_bytes(32, "little"),  # y = 2^255 - 1 = p + 18
        (1 | (1 << 255)).to_bytes(32, "little"),  # (x = 0, y = 1) with sign bit 1
    ]
    for y in range(2, 19):  # y + p < 2^255 for these: the only other non-canonical y values
        if ref.recover_x(y, 0) is not None:
            bad.append((y + ref.P).to_bytes(32, "little"))
    for encoding in bad:
        assert backend.verify(encoding, msg, sig) is False
        assert backend.verify(pk, msg, encoding + sig[32:]) is False
    assert backend.verify_batch([pk, bad[0]], [msg, msg], [sig, sig]) is False
    assert backend.verify_batch([pk, pk], [msg, msg], [sig, bad[0] + sig[32:]]) is False


def test_mixed_order_points_follow_the_cofactored_equation(backend: Backend) -> None:
    """R' = R + T and A' = A + T (T of order 8) verify under the cofactored rule (libsodium's
    cofactorless check refuses them), and the batch agrees with the single verifications."""
    a, r = 0x1234567890ABCDEF1234567890ABCDEF, 0xFEDCBA0987654321
    public = ref.mul(a, ref.BASE)
    pk = ref.encode(public)
    nonce_point = ref.mul(r, ref.BASE)
    t = ref.torsion_points()[1]
    sig_torsion_r = sign_with(a, ref.add(nonce_point, t), r, pk, b"m1")
    mixed_pk = ref.encode(ref.add(public, t))
    sig_mixed_key = sign_with(a, nonce_point, r, mixed_pk, b"m2")
    honest = sign_with(a, nonce_point, r, pk, b"m3")
    assert nacl_verify(pk, b"m1", sig_torsion_r) is False
    assert backend.verify(pk, b"m1", sig_torsion_r) is True
    assert backend.verify(mixed_pk, b"m2", sig_mixed_key) is True
    assert backend.verify(pk, b"m3", honest) is True
    assert backend.verify_batch([pk, mixed_pk, pk], [b"m1", b"m2", b"m3"], [sig_torsion_r, sig_mixed_key, honest]) is True
    assert backend.verify_batch([pk, mixed_pk, pk], [b"m1", b"m2", b"m2"], [sig_torsion_r, sig_mixed_key, honest]) is False


# ---------------------------------------------------------------------------------------------
# Batch
# ---------------------------------------------------------------------------------------------


def make_batch(count: int, seed: int) -> tuple[list[bytes], list[bytes], list[bytes]]:
    rng = random.Random(seed)
    pks, msgs, sigs = [], [], []
    for _ in range(count):
        key = SigningKey(rng.randbytes(32))
        msg = rng.randbytes(rng.randrange(0, 100))
        pks.append(bytes(key.verify_key))
        msgs.append(msg)
        sigs.append(key.sign(msg).signature)
    return pks, msgs, sigs


def test_batch_of_eight_valid_signatures(backend: Backend) -> None:
    pks, msgs, sigs = make_batch(8, 1)
    assert backend.verify_batch(pks, msgs, sigs) is True


def test_batch_rejects_any_single_corruption(backend: Backend) -> None:
    pks, msgs, sigs = make_batch(4, 2)
    rng = random.Random(3)
    for kind in MUTATIONS[1:]:
        i = rng.randrange(4)
        pk, msg, sig = mutate(kind, pks[i], msgs[i], sigs[i], rng.randrange(4096))
        bad_pks, bad_msgs, bad_sigs = list(pks), list(msgs), list(sigs)
        bad_pks[i], bad_msgs[i], bad_sigs[i] = pk, msg, sig
        assert backend.verify_batch(bad_pks, bad_msgs, bad_sigs) is False, kind


def test_batch_rejects_errors_that_cancel_without_coefficients(backend: Backend) -> None:
    """Moving a multiple of B from one S to another keeps sum(S_i) but breaks both equations."""
    pks, msgs, sigs = make_batch(2, 4)
    s0 = (int.from_bytes(sigs[0][32:], "little") + 1) % ref.L
    s1 = (int.from_bytes(sigs[1][32:], "little") - 1) % ref.L
    sigs = [sigs[0][:32] + s0.to_bytes(32, "little"), sigs[1][:32] + s1.to_bytes(32, "little")]
    assert backend.verify_batch(pks, msgs, sigs) is False


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(min_value=0, max_value=2**32), kinds=st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=3))
def test_batch_equals_all_singles(backend: Backend, seed: int, kinds: list[str]) -> None:
    pks, msgs, sigs = make_batch(len(kinds), seed)
    rows = [mutate(kind, pks[i], msgs[i], sigs[i], seed + i) for i, kind in enumerate(kinds)]
    singles = [backend.verify(pk, msg, sig) for pk, msg, sig in rows]
    assert singles == [kind == "none" for kind in kinds]
    assert backend.verify_batch([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]) is all(singles)


def test_swapped_keys_are_rejected(backend: Backend) -> None:
    pks, msgs, sigs = make_batch(3, 6)
    assert backend.verify(pks[1], msgs[0], sigs[0]) is False
    assert backend.verify(pks[0], msgs[1], sigs[1]) is False
    assert backend.verify_batch([pks[1], pks[0], pks[2]], msgs, sigs) is False
    assert backend.verify_batch(pks, msgs, sigs) is True


def test_batch_with_repeated_keys(backend: Backend) -> None:
    """Items under one key share a decoded key and one scalar; the result still equals all(singles)."""
    keys = [SigningKey(bytes([k]) * 32) for k in (1, 2)]
    rows = [(keys[i % 2], bytes([i]) * (i + 1)) for i in range(5)]
    pks = [bytes(k.verify_key) for k, _ in rows]
    msgs = [m for _, m in rows]
    sigs = [k.sign(m).signature for k, m in rows]
    assert backend.verify_batch(pks, msgs, sigs) is True
    for i in range(5):
        bad = list(sigs)
        bad[i] = flip(sigs[i], 256 + 3 * i)
        assert backend.verify_batch(pks, msgs, bad) is False
    # Errors under the same key cannot cancel: +d on one S and -d on another S of that key.
    s0 = (int.from_bytes(sigs[0][32:], "little") + 5) % ref.L
    s2 = (int.from_bytes(sigs[2][32:], "little") - 5) % ref.L
    moved = [sigs[0][:32] + s0.to_bytes(32, "little"), sigs[1], sigs[2][:32] + s2.to_bytes(32, "little")] + sigs[3:]
    assert backend.verify_batch(pks, msgs, moved) is False
