"""Ed25519 signatures of the DSN (PyNaCl), always over domain-separated messages."""

from __future__ import annotations

from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

from dsn import codec
from dsn.codec import Certificate, Committee


def sign_vote(key: SigningKey, header_digest: bytes) -> bytes:
    """A vote: the 64-byte signature of ``"dsn-vote-v1" ‖ 00 ‖ header_digest``."""
    return key.sign(codec.vote_message(header_digest)).signature


def verify(verify_key: VerifyKey, message: bytes, signature: bytes) -> bool:
    try:
        verify_key.verify(message, signature)
        return True
    except (BadSignatureError, ValueError):
        return False


def verify_vote(verify_key: VerifyKey, header_digest: bytes, signature: bytes) -> bool:
    return verify(verify_key, codec.vote_message(header_digest), signature)


def verify_certificate(committee: Committee, keys: list[VerifyKey], cert: Certificate, digest: bytes,
                       known: tuple[int, bytes] | None = None) -> bool:
    """Every rule of a valid certificate (FORMATS §1.3), given its header digest. ``known`` = (signer,
    signature) already known valid for this digest (the node's own vote): equal bytes are not checked again."""
    if not codec.certificate_structure_valid(committee, cert):
        return False
    return all((s.index, s.signature) == known or verify_vote(keys[s.index], digest, s.signature)
               for s in cert.signers)

