"""The admission signature check never accepts what the kernel rejects: OpenSSL's own acceptance
(small-order and non-canonical keys, small-order R) is shown, and refused behind the encoding checks."""

from __future__ import annotations

import hashlib

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from nacl.signing import SigningKey

from dsn.sequencer.sigcheck import strict_point, verify, verify_libsodium, verify_openssl
from kernel_py.crypto import ed25519 as kernel
from tests.crypto import reference_ed25519 as ref

CHECKS = [verify_libsodium, verify_openssl]
SECRET, NONCE = 987654321987654321, 123456789
PK = ref.encode(ref.mul(SECRET, ref.BASE))
NONCE_POINT = ref.encode(ref.mul(NONCE, ref.BASE))


def openssl_alone(pk: bytes, msg: bytes, sig: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(pk).verify(sig, msg)
    except InvalidSignature:
        return False
    return True


def signed(r_bytes: bytes, nonce: int, msg: bytes, pk: bytes = PK) -> bytes:
    k = int.from_bytes(hashlib.sha512(r_bytes + pk + msg).digest(), "little") % ref.L
    return r_bytes + ((nonce + k * SECRET) % ref.L).to_bytes(32, "little")


def torsion_encodings() -> list[bytes]:
    """Every encoding of a small-order point with y < p, both sign bits."""
    out = []
    for t in ref.torsion_points():
        e = ref.encode(t)
        out += [e, e[:31] + bytes([e[31] ^ 0x80])]
    return out


def test_the_check_in_use_is_measured_faster() -> None:
    assert verify is verify_libsodium  # scripts/bench_admission: libsodium 54.8 µs, OpenSSL 107 µs


@pytest.mark.parametrize("check", CHECKS)
def test_honest_and_corrupted_signatures_agree_with_the_kernel(check) -> None:
    key = SigningKey(bytes(range(32)))
    pk = bytes(key.verify_key)
    for i in range(4):
        msg = b"transfer %d" % i
        sig = key.sign(msg).signature
        assert check(pk, msg, sig) is True
        s_plus_l = sig[:32] + (int.from_bytes(sig[32:], "little") + ref.L).to_bytes(32, "little")
        for bad_pk, bad_msg, bad_sig in [(pk, msg + b"x", sig), (pk, msg, sig[:5] + bytes([sig[5] ^ 1]) + sig[6:]),
                                         (pk, msg, s_plus_l), (pk[:31], msg, sig), (pk, msg, sig[:63])]:
            assert check(bad_pk, bad_msg, bad_sig) is False
    assert kernel.verify(pk, msg, sig) is True
    assert kernel.verify(pk, msg, s_plus_l) is False


@pytest.mark.parametrize("check", CHECKS)
def test_small_order_public_keys_are_refused(check) -> None:
    """A = T of small order, R = [r]B, S = r: OpenSSL alone accepts it whenever [k]T = 0."""
    forged = NONCE_POINT + NONCE.to_bytes(32, "little")
    accepted_by_openssl = 0
    for pk in torsion_encodings():
        for msg in (b"a", b"b", b"c", b"d"):
            accepted_by_openssl += openssl_alone(pk, msg, forged)
            assert check(pk, msg, forged) is False
            assert kernel.verify(pk, msg, forged) is False
    assert accepted_by_openssl == 19  # of these 64 forgeries (fixed inputs): each one with [k]T = 0


@pytest.mark.parametrize("check", CHECKS)
def test_small_order_r_is_refused(check) -> None:
    """R = identity, S = k·a: [S]B = R + [k]A holds, OpenSSL alone accepts it, the kernel refuses it."""
    identity = ref.encode(ref.torsion_points()[0])
    assert identity == (1).to_bytes(32, "little")
    sig = signed(identity, 0, b"m")
    assert openssl_alone(PK, b"m", sig) is True
    assert kernel.verify(PK, b"m", sig) is False
    assert check(PK, b"m", sig) is False
    for t in torsion_encodings():
        assert check(PK, b"m", signed(t, 0, b"m")) is False


@pytest.mark.parametrize("check", CHECKS)
def test_non_canonical_encodings_are_refused(check) -> None:
    """y ≥ p (and x = 0 with the sign bit) as A, which OpenSSL alone accepts, and as R."""
    forged = NONCE_POINT + NONCE.to_bytes(32, "little")
    for pk in [(ref.P + 1).to_bytes(32, "little"), (1 | 1 << 255).to_bytes(32, "little"),
               (ref.P - 1 | 1 << 255).to_bytes(32, "little")]:
        assert openssl_alone(pk, b"m", forged) is True
        assert kernel.verify(pk, b"m", forged) is False
        assert check(pk, b"m", forged) is False
    for y in range(19):  # every y with y + p < 2^255 that decodes: R non-canonical
        if ref.recover_x(y, 0) is not None:
            r_bytes = (y + ref.P).to_bytes(32, "little")
            assert check(PK, b"m", signed(r_bytes, 0, b"m")) is False


def test_mixed_order_signatures_are_refused_though_the_kernel_accepts_them() -> None:
    """Stricter than the kernel is allowed: R' = R + T passes the cofactored equation only."""
    r_point = ref.add(ref.mul(NONCE, ref.BASE), ref.torsion_points()[1])
    sig = signed(ref.encode(r_point), NONCE, b"m")
    assert kernel.verify(PK, b"m", sig) is True
    for check in CHECKS:
        assert check(PK, b"m", sig) is False


def test_strict_point() -> None:
    assert strict_point(PK) is True
    assert not any(strict_point(e) for e in torsion_encodings())
    assert strict_point((ref.P - 2).to_bytes(32, "little")) is True  # canonical (whether it decodes is OpenSSL's)
    assert strict_point((ref.P).to_bytes(32, "little")) is False
    assert strict_point(((1 << 255) - 1).to_bytes(32, "little")) is False
