"""Node-to-node messages (docs/FORMATS.md §6): ``message = u8 kind ‖ body``.

Each TCP connection carries messages in one direction, from the connecting node to the accepting
one, each sealed in one encrypted frame after a handshake that authenticates both authorities
(see :mod:`dsn.secure_channel`).
"""

from __future__ import annotations

import struct
from enum import IntEnum

from dsn.codec import encode_batch_fast

_U32 = struct.Struct(">I")
_U64 = struct.Struct(">Q")
MAX_FRAME = 64 << 20         # largest message (kind ‖ body)
MAX_REQUEST_DIGESTS = 1000   # digests in one BATCH_REQUEST or CERT_REQUEST
DIGEST_LEN = 32
SIG_LEN = 64


class Kind(IntEnum):
    BATCH = 1           # worker_id u32 ‖ batch            answered by BATCH_ACK
    BATCH_ACK = 2       # batch digest
    BATCH_REQUEST = 3   # digest*                          answered by BATCH_DELIVERY per batch held
    BATCH_DELIVERY = 4  # worker_id u32 ‖ batch            (no acknowledgement)
    HEADER = 5          # header (a vote request)          answered by VOTE
    VOTE = 6            # header digest ‖ signature
    CERTIFICATE = 7     # certificate
    CERT_REQUEST = 8    # digest*                          answered by CERTIFICATES
    SYNC_REQUEST = 9    # after_round u64                  answered by CERTIFICATES
    CERTIFICATES = 10   # list<bytes> of certificates, in causal order
    PRUNED = 11         # kept_round u64 ‖ oldest_commit u64  answers a SYNC_REQUEST below kept_round
    COMMIT_REQUEST = 12  # from_index u64                  answered by COMMITS
    COMMITS = 13        # list<bytes> of commit records (dsn.catchup)


def encode_digests(digests: list[bytes]) -> bytes:
    return b"".join(digests)


def decode_digests(body: bytes) -> list[bytes]:
    """A request's digests; raises ``ValueError`` on a bad length or more than MAX_REQUEST_DIGESTS."""
    if len(body) % DIGEST_LEN:
        raise ValueError("digest list length is not a multiple of 32")
    if len(body) > MAX_REQUEST_DIGESTS * DIGEST_LEN:
        raise ValueError(f"more than {MAX_REQUEST_DIGESTS} digests")
    return [body[i:i + DIGEST_LEN] for i in range(0, len(body), DIGEST_LEN)]


def encode_blobs(blobs: list[bytes]) -> bytes:
    """``list<bytes>``: the batch layout, but possibly empty."""
    return encode_batch_fast(blobs)


def decode_blobs(body: bytes) -> list[bytes]:
    """``list<bytes>``; raises ``ValueError`` on bad lengths or trailing bytes."""
    if len(body) < 4:
        raise ValueError("short list")
    n = _U32.unpack_from(body)[0]
    pos, out = 4, []
    for _ in range(n):
        if pos + 4 > len(body):
            raise ValueError("short list")
        size = _U32.unpack_from(body, pos)[0]
        pos += 4
        if pos + size > len(body):
            raise ValueError("item past the end")
        out.append(body[pos:pos + size])
        pos += size
    if pos != len(body):
        raise ValueError("trailing bytes")
    return out


def encode_worker_batch(worker_id: int, batch: bytes) -> bytes:
    return _U32.pack(worker_id) + batch


def decode_worker_batch(body: bytes | memoryview) -> tuple[int, bytes | memoryview]:
    """``(worker_id, batch)``; the batch is a slice of ``body`` (a view of it if ``body`` is a view)."""
    if len(body) < 4:
        raise ValueError("short batch message")
    return _U32.unpack_from(body)[0], body[4:]


def encode_vote(header_digest: bytes, signature: bytes) -> bytes:
    return header_digest + signature


def decode_vote(body: bytes) -> tuple[bytes, bytes]:
    if len(body) != DIGEST_LEN + SIG_LEN:
        raise ValueError("bad vote length")
    return body[:DIGEST_LEN], body[DIGEST_LEN:]


def encode_round(r: int) -> bytes:
    return _U64.pack(r)


def decode_round(body: bytes) -> int:
    if len(body) != 8:
        raise ValueError("bad round length")
    return _U64.unpack(body)[0]
