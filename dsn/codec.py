"""Thin service-side wrappers of :mod:`kernel_py.formats.dsn`: decoders raise ``ValueError``.

The byte layouts live only in ``kernel_py.formats.dsn``; this module adds exceptions and fast
digests (``hashlib``'s BLAKE2b-256, equal to the kernel's by the test vectors).
"""

from __future__ import annotations

import hashlib

from kernel_py.formats import dsn as fmt
from kernel_py.formats.dsn import (  # noqa: F401  (re-exported record types)
    Authority,
    Batch,
    Certificate,
    Committee,
    Header,
    PayloadEntry,
    PreBlock,
    Signer,
)


def digest(data: bytes) -> bytes:
    """BLAKE2b-256 of ``data``."""
    return hashlib.blake2b(data, digest_size=32).digest()


def _strict(ok: bool, value, what: str):
    if not ok:
        raise ValueError(f"malformed {what}")
    return value


def decode_committee(data: bytes) -> Committee:
    return _strict(*fmt.decode_committee(data), "committee")


def decode_batch(data: bytes) -> Batch:
    return _strict(*fmt.decode_batch(data), "batch")


def decode_header(data: bytes) -> Header:
    return _strict(*fmt.decode_header(data), "header")


def decode_certificate(data: bytes) -> Certificate:
    return _strict(*fmt.decode_certificate(data), "certificate")


def decode_preblock(data: bytes) -> PreBlock:
    return _strict(*fmt.decode_preblock(data), "pre-block")


encode_committee = fmt.encode_committee
encode_batch = fmt.encode_batch
encode_header = fmt.encode_header
encode_certificate = fmt.encode_certificate
encode_preblock = fmt.encode_preblock
encode_preblock_parts = fmt.encode_preblock_parts
vote_message = fmt.vote_message
quorum_threshold = fmt.quorum_threshold
validity_threshold = fmt.validity_threshold
total_stake = fmt.total_stake
leader_index = fmt.leader_index
signers_stake = fmt.signers_stake
certificate_structure_valid = fmt.certificate_structure_valid


def batch_digest(b: Batch) -> bytes:
    return digest(fmt.encode_batch(b))


def header_digest(h: Header) -> bytes:
    """Also the certificate digest."""
    return digest(fmt.encode_header(h))


def genesis_digests(c: Committee) -> list[bytes]:
    return [header_digest(fmt.genesis_header(c, i)) for i in range(len(c.authorities))]
