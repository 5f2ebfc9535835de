"""Signed manager operations the local L1 accepts at ``POST /injection/operation``.

An operation is ``branch (32) ‖ contents+ ‖ signature (64)``, the whole at most 32,768 bytes
(``max_operation_data_length``). Contents understood (spec dal.md §3, octez encodings):

- ``reveal`` (tag 107): manager header ‖ public key (curve tag ‖ key) ‖ proof option (``00`` absent,
  ``ff`` ‖ 96-byte BLS proof);
- ``dal_publish_commitment`` (tag 230): manager header ‖ slot index u8 ‖ commitment 48 B ‖ proof 96 B.

Manager header: source (21 B implicit pkh) ‖ fee ‖ counter ‖ gas limit ‖ storage limit (Zarith
naturals). All contents must share one source. **Signature check**: when the source is a ``tz1``
whose Ed25519 key is known (a ``reveal`` in this operation, in an earlier one, or registered with
``--l1-accounts``/the sequencer's key) the signature must verify over BLAKE2b-256(``03`` ‖ unsigned
bytes) and the key must hash to the source; otherwise (unknown key, other curves) it is not checked.
Counters and balances are not checked (the last included counter of each source is reported, as
the shell's ``…/counter`` route does); fees are not debited.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import nacl.exceptions
import nacl.signing
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed, encode_dss_signature
from cryptography.hazmat.primitives.hashes import SHA256

from pvm_spec.b58 import b58encode

MAX_OPERATION_SIZE = 32_768
BRANCH_SIZE = 32
SIGNATURE_SIZE = 64
REVEAL_TAG = 107
DAL_PUBLISH_TAG = 230
_PUBLIC_KEY_SIZES = {0: 32, 1: 33, 2: 33, 3: 48}
_OPERATION_HASH_PREFIX = bytes([5, 116])


class OperationError(Exception):
    """An operation the L1 refuses: ``error_id`` is octez's error id, the message names the limit."""

    def __init__(self, error_id: str, message: str) -> None:
        super().__init__(message)
        self.error_id = error_id


@dataclass
class Content:
    """One manager content (only the fields the local L1 uses)."""

    kind: str
    source: bytes
    fee: int
    counter: int
    gas_limit: int
    public_key: bytes = b""  # reveal: curve tag ‖ key
    slot_index: int = -1  # dal_publish_commitment
    commitment: bytes = b""


@dataclass
class Operation:
    """A parsed signed operation."""

    raw: bytes
    contents: list[Content] = field(default_factory=list)

    @property
    def source(self) -> bytes:
        return self.contents[0].source

    @property
    def hash(self) -> str:
        """``o…`` operation hash (BLAKE2b-256 of the signed bytes)."""
        raw = _OPERATION_HASH_PREFIX + hashlib.blake2b(self.raw, digest_size=32).digest()
        return b58encode(raw + hashlib.sha256(hashlib.sha256(raw).digest()).digest()[:4])


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def take(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise OperationError("operation.decode", "truncated operation")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def nat(self) -> int:
        value, shift = 0, 0
        while True:
            byte = self.take(1)[0]
            value |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                return value
            if shift > 70:
                raise OperationError("operation.decode", "Zarith number too long")


def _content(reader: _Reader) -> Content:
    tag = reader.take(1)[0]
    if tag not in (REVEAL_TAG, DAL_PUBLISH_TAG):
        raise OperationError("operation.unsupported",
                             f"operation content tag {tag} is not supported by the local L1 (reveal 107, "
                             "dal_publish_commitment 230)")
    source = reader.take(21)
    if source[0] > 3:
        raise OperationError("operation.decode", "the source is not an implicit account")
    fee, counter, gas, _storage = reader.nat(), reader.nat(), reader.nat(), reader.nat()
    if tag == REVEAL_TAG:
        curve = reader.take(1)
        if curve[0] not in _PUBLIC_KEY_SIZES:
            raise OperationError("operation.decode", f"unknown public key curve {curve[0]}")
        key = curve + reader.take(_PUBLIC_KEY_SIZES[curve[0]])
        proof = reader.take(1)[0]
        if proof not in (0x00, 0xFF):
            raise OperationError("operation.decode", "bad proof option tag in a reveal")
        if proof == 0xFF:
            reader.take(96)
        return Content("reveal", source, fee, counter, gas, public_key=key)
    slot = reader.take(1)[0]
    commitment = reader.take(48)
    reader.take(96)
    return Content("dal_publish_commitment", source, fee, counter, gas, slot_index=slot, commitment=commitment)


def public_key_hash(public_key: bytes) -> bytes:
    """21-byte pkh (curve tag ‖ BLAKE2b-160) of a tagged public key."""
    return public_key[:1] + hashlib.blake2b(public_key[1:], digest_size=20).digest()


def parse_operation(raw: bytes) -> Operation:
    """Decode and size-check a signed operation; :class:`OperationError` on any defect."""
    if len(raw) > MAX_OPERATION_SIZE:
        raise OperationError("validate.operation.size_exceeded",
                             f"Oversized operation: {len(raw)} bytes; max_operation_data_length is {MAX_OPERATION_SIZE}")
    if len(raw) < BRANCH_SIZE + SIGNATURE_SIZE + 1:
        raise OperationError("operation.decode", "operation too short (branch, contents, 64-byte signature)")
    reader = _Reader(raw[:-SIGNATURE_SIZE])
    reader.take(BRANCH_SIZE)
    op = Operation(raw)
    while reader.pos < len(reader.data):
        op.contents.append(_content(reader))
    if any(c.source != op.source for c in op.contents):
        raise OperationError("validate.operation.inconsistent_sources", "all contents of a batch need the same source")
    for c in op.contents:
        if c.kind == "reveal" and public_key_hash(c.public_key) != c.source:
            raise OperationError("validate.operation.inconsistent_hash", "the revealed key does not hash to the source")
    return op


def _verify(key: bytes, digest: bytes, signature: bytes) -> bool | None:
    """Whether ``signature`` verifies ``digest`` under the tagged ``key``; None for an unsupported curve."""
    if key[0] == 0:
        try:
            nacl.signing.VerifyKey(key[1:]).verify(digest, signature)
            return True
        except nacl.exceptions.BadSignatureError:
            return False
    curve = {1: ec.SECP256K1(), 2: ec.SECP256R1()}.get(key[0])
    if curve is None:
        return None  # BLS (tz4) is not checked
    der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(curve, key[1:]).verify(der, digest, ec.ECDSA(Prehashed(SHA256())))
        return True
    except (InvalidSignature, ValueError):
        return False


def check_signature(op: Operation, known_key: bytes | None) -> bool:
    """Verify ``op``'s signature with the source's key (from a reveal in ``op`` or ``known_key``):
    Ed25519, secp256k1 or P-256 over BLAKE2b-256(``03`` ‖ unsigned bytes). True when checked, False
    when it cannot be (unknown key, BLS); :class:`OperationError` when it does not verify."""
    key = next((c.public_key for c in op.contents if c.kind == "reveal"), known_key)
    if key is None:
        return False
    digest = hashlib.blake2b(b"\x03" + op.raw[:-SIGNATURE_SIZE], digest_size=32).digest()
    verified = _verify(key, digest, op.raw[-SIGNATURE_SIZE:])
    if verified is False:
        raise OperationError("operation.invalid_signature", "The operation signature is invalid")
    return bool(verified)
