"""Size limits that make every sub-DAG the DSN can commit a pre-block the kernel accepts (dsn/README.md, "Size limits").

The kernel reassembles pre-blocks of at most ``kernel_py.da.MAX_PREBLOCK_BYTES`` bytes from at most
``MAX_PAGE_VISITS`` DA pages. A committed pre-block holds at most ``n · (gc_depth + 1)`` certificates
(its leader's causal history from the GC horizon ``r − gc_depth`` to ``r``, one certificate per
author and round), their batches, and evidence (worst case kind 02: the anchor, ``n`` support
certificates, and the headers of the anchor's causal history since the previous leader, reserved
for ``HISTORY_ROUNDS_PER_GC`` · gc_depth rounds). With every header listing at most
``MAX_HEADER_BATCHES`` batches and ``n`` parents and every certificate ``n`` signers, what is left
is shared equally by the certificates: that is the per-header payload limit (total bytes of the
encoded batches a header references). One batch may fill a header; a transaction must fit in a
batch. Pure: used by the DSN (worker, primary, gRPC submit), the sequencer API and the tests.
"""

from dataclasses import dataclass

from kernel_py.da import MAX_PAGE_VISITS, MAX_PREBLOCK_BYTES
from kernel_py.formats.dsn import DIGEST_LEN, MAX_TX_LEN, SIG_LEN
from kernel_py.formats.inbox import MAX_LEAF_DATA, MAX_PAGE_CHILDREN

MAX_HEADER_BATCHES: int = 32
HISTORY_ROUNDS_PER_GC: int = 2
PREBLOCK_FIXED: int = 8 + 8 + 4 + 4  # index, commit timestamp, certificate count, batch count
HEADER_FIXED: int = 2 + 8 + 8 + 8 + 4 + 4  # author, round, epoch, created_at, payload count, parent count
PAYLOAD_ENTRY: int = DIGEST_LEN + 4
SIGNER: int = 2 + SIG_LEN
BATCH_FIXED: int = 4  # transaction count
TX_FIXED: int = 4  # transaction length


@dataclass(frozen=True)
class SizeLimits:
    """Byte limits for one committee: a transaction, an encoded batch, a header's batches (total)
    and a header's batch count."""

    max_tx: int
    max_batch: int
    max_header_payload: int
    max_header_batches: int


def page_count(size: int) -> int:
    """DA pages (leaves and nodes) carrying ``size`` bytes (FORMATS §2, ``build_pages``)."""
    level = max(1, -(-size // MAX_LEAF_DATA))
    pages = level
    while level > 1:
        level = -(-level // MAX_PAGE_CHILDREN)
        pages += level
    return pages


def kernel_preblock_budget() -> int:
    """The largest pre-block the kernel reassembles: its byte limit, lowered if the page tree of that
    many bytes would need more page visits than the kernel allows."""
    size = MAX_PREBLOCK_BYTES
    while page_count(size) > MAX_PAGE_VISITS:
        size -= MAX_LEAF_DATA
    return size


def max_header_bytes(n: int) -> int:
    return HEADER_FIXED + PAYLOAD_ENTRY * MAX_HEADER_BATCHES + DIGEST_LEN * n


def max_certificate_bytes(n: int) -> int:
    return max_header_bytes(n) + 4 + SIGNER * n


def max_certificates(n: int, gc_depth: int) -> int:
    """Certificates of one sub-DAG: one per author in each round from the horizon to the leader's."""
    return n * (gc_depth + 1)


def max_evidence_bytes(n: int, gc_depth: int) -> int:
    """Kind 02 evidence: anchor, ``n`` support certificates, the history headers of
    ``HISTORY_ROUNDS_PER_GC · gc_depth`` rounds of ``n`` authors."""
    history = n * HISTORY_ROUNDS_PER_GC * max(gc_depth, 1)
    return 1 + (1 + n) * max_certificate_bytes(n) + 4 + 4 + history * max_header_bytes(n)


def size_limits(n: int, gc_depth: int) -> SizeLimits:
    """The limits for a committee of ``n`` authorities with GC depth ``gc_depth``; raises
    ``ValueError`` when certificates and evidence alone would not fit in a pre-block."""
    if n < 1 or gc_depth < 0:
        raise ValueError(f"invalid committee size {n} or GC depth {gc_depth}")
    certs = max_certificates(n, gc_depth)
    room = (kernel_preblock_budget() - PREBLOCK_FIXED - certs * max_certificate_bytes(n)
            - max_evidence_bytes(n, gc_depth))
    per_header = room // certs
    if per_header < BATCH_FIXED + TX_FIXED + 1:
        raise ValueError(f"a committee of {n} with GC depth {gc_depth} leaves no room for transactions in "
                         f"a {MAX_PREBLOCK_BYTES}-byte pre-block")
    max_tx = min(per_header - BATCH_FIXED - TX_FIXED, MAX_TX_LEN)
    return SizeLimits(max_tx, per_header, per_header, MAX_HEADER_BATCHES)


def worst_preblock_bytes(n: int, gc_depth: int) -> int:
    """The largest pre-block a committee within :func:`size_limits` can commit (for checks)."""
    limits = size_limits(n, gc_depth)
    certs = max_certificates(n, gc_depth)
    return (PREBLOCK_FIXED + certs * (max_certificate_bytes(n) + limits.max_header_payload)
            + max_evidence_bytes(n, gc_depth))
