"""Thin service-side wrappers of :mod:`kernel_py.formats.dsn`: decoders raise ``ValueError``.

The byte layouts live only in ``kernel_py.formats.dsn``; this module adds exceptions and fast
digests (``hashlib``'s BLAKE2b-256, equal to the kernel's by the test vectors).
"""

from __future__ import annotations

import hashlib
import struct

import numpy as np

from kernel_py.formats import dsn as fmt
from kernel_py.formats.dsn import (  # noqa: F401  (re-exported record types and constants)
    EVIDENCE_CONTINUE,
    EVIDENCE_DIRECT,
    EVIDENCE_STEP,
    Authority,
    Batch,
    Certificate,
    Committee,
    Header,
    PayloadEntry,
    PreBlock,
    Signer,
)


def digest(data: bytes | memoryview) -> bytes:
    """BLAKE2b-256 of ``data`` (a view too: a peer's batch is hashed where it arrived)."""
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


# Fast equivalents for the hot paths (a Python loop per transaction in the kernel decoder would
# dominate a node's time); tests/dsn/test_codec.py checks them against the kernel functions.
_U32 = struct.Struct(">I")
_PREBLOCK_HEAD = struct.Struct(">QQI")


def encode_batch_fast(txs: list[bytes]) -> bytes:
    """Same bytes as ``encode_batch(Batch(txs))``."""
    parts = [_U32.pack(len(txs))]
    for tx in txs:
        parts.append(_U32.pack(len(tx)))
        parts.append(tx)
    return b"".join(parts)


_HEAD = struct.Struct(">II")
MIN_UNIFORM = 16  # below this many transactions the entry walk is cheaper than numpy's set-up


def uniform_entry_size(encoded: bytes | memoryview) -> int | None:
    """The transaction length of a batch of at least ``MIN_UNIFORM`` transactions that all have it and
    that passes the strict checks of ``decode_batch`` (one vectorised comparison of the length
    fields); ``None`` otherwise — the batch may still be valid, :func:`batch_entries` decides."""
    if len(encoded) < 8:
        return None
    n, size = _HEAD.unpack_from(encoded, 0)
    stride = 4 + size
    if n < MIN_UNIFORM or size == 0 or size > fmt.MAX_TX_LEN or 4 + n * stride != len(encoded):
        return None
    lengths = np.frombuffer(encoded, dtype=np.uint8, count=n * stride, offset=4).reshape(n, stride)[:, :4]
    return size if bool((lengths == lengths[0]).all()) else None


def check_batch(encoded: bytes | memoryview) -> None:
    """The strict checks of ``decode_batch`` without building the transactions; raises ``ValueError``."""
    if uniform_entry_size(encoded) is None:
        batch_entries(encoded)


def batch_entries(encoded: bytes | memoryview) -> list[tuple[int, int]]:
    """``(start, end)`` of each ``length ‖ bytes`` entry of a batch, after the strict checks of
    ``decode_batch``; raises ``ValueError``."""
    end = len(encoded)
    spans = []
    unpack = _U32.unpack_from
    max_len = fmt.MAX_TX_LEN
    try:
        (n,) = unpack(encoded, 0)
        if n == 0 or n * fmt.MIN_TX_ENTRY_LEN > end - 4:
            raise ValueError("malformed batch")
        pos = 4
        for _ in range(n):
            (size,) = unpack(encoded, pos)
            if size == 0 or size > max_len:
                raise ValueError("malformed batch")
            spans.append((pos, pos + 4 + size))
            pos += 4 + size  # a length past the end makes the next read fail or pos != end
    except struct.error:
        raise ValueError("malformed batch") from None
    if pos != end:
        raise ValueError("malformed batch")
    return spans


def encode_preblock_fast(index: int, commit_timestamp: int, certificates: list[bytes], batches: list[bytes],
                         evidence: bytes) -> bytes:
    """Same bytes as ``encode_preblock_parts``: the evidence (FORMATS §1.5) ends the pre-block (the poster may
    append x(R) hints, ``dsn.sequencer.hints``)."""
    return b"".join([_PREBLOCK_HEAD.pack(index, commit_timestamp, len(certificates)), *certificates,
                     _U32.pack(len(batches)), *batches, evidence])


def header_length(payload_entries: int, parents: int) -> int:
    """Bytes of a header encoding with that many payload entries and parents (FORMATS §1.3)."""
    return 34 + 36 * payload_entries + 32 * parents


def encode_evidence_fast(kind: int, anchor: bytes, support: list[bytes], history: list[bytes]) -> bytes:
    """Pre-block evidence (FORMATS §1.5) from encoded certificates and headers: ``00``;
    ``01 ‖ list<certificate> support``; ``02 ‖ anchor ‖ list<certificate> support ‖ list<header> history``."""
    tag = bytes([kind])
    if kind == EVIDENCE_CONTINUE:
        return tag
    if kind == EVIDENCE_DIRECT:
        return b"".join([tag, _U32.pack(len(support)), *support])
    return b"".join([tag, anchor, _U32.pack(len(support)), *support, _U32.pack(len(history)), *history])


def genesis_digests(c: Committee) -> list[bytes]:
    return [header_digest(fmt.genesis_header(c, i)) for i in range(len(c.authorities))]
