"""Recent committed rounds for the dashboard: the certificates, leaders and timings of the last
pre-blocks the sequencer received, bounded in count and size.

The DA task's decoding of each pre-block is reused when it just decoded it (``tracker.last_decoded``);
otherwise only the head is decoded (index, commit timestamp, certificates: FORMATS.md §1.5).
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass

from dsn import codec
from dsn.sequencer.tracker import last_decoded
from kernel_py.formats import dsn as fmt

MAX_PREBLOCKS = 32  # pre-blocks whose certificates are kept
MAX_CERTIFICATES = 256  # certificates kept per pre-block (its last ones, ending with the leader)
MAX_TIMINGS = 512  # pre-blocks whose timings are kept
MAX_RESPONSE_CERTIFICATES = 1024  # certificates in one /dashboard/rounds answer
SHORT = 8  # bytes of a digest shown


@dataclass(frozen=True)
class CertView:
    """One certificate of a committed sub-DAG, digests shortened to :data:`SHORT` bytes (hex)."""

    digest: str
    round: int
    author: int
    created_ms: int
    parents: tuple[str, ...]
    batches: int


@dataclass(frozen=True)
class PreBlockView:
    """A received pre-block: its certificates in commit order (the last is the leader)."""

    index: int
    commit_ms: int
    received_ms: int
    certificates: tuple[CertView, ...]
    truncated: int  # certificates left out beyond MAX_CERTIFICATES

    @property
    def leader(self) -> CertView:
        return self.certificates[-1]

    @property
    def commit_latency_ms(self) -> int:
        """Leader header created → pre-block received by the sequencer (both Unix ms)."""
        return max(0, self.received_ms - self.leader.created_ms)

    def to_json(self) -> dict:
        leader = self.leader
        return {"index": self.index, "commit_ms": self.commit_ms, "received_ms": self.received_ms,
                "commit_latency_ms": self.commit_latency_ms, "truncated": self.truncated,
                "leader": {"digest": leader.digest, "round": leader.round, "author": leader.author},
                "certificates": [{"digest": c.digest, "round": c.round, "author": c.author,
                                  "parents": list(c.parents), "batches": c.batches} for c in self.certificates]}


def head_view(p: codec.PreBlock, received_ms: int) -> PreBlockView:
    """The view :func:`read_head` gives, of a pre-block already decoded."""
    kept = p.certificates[-MAX_CERTIFICATES:]
    return PreBlockView(p.index, p.commit_timestamp, received_ms, tuple(_view(c) for c in kept),
                        len(p.certificates) - len(kept))


def read_head(encoded: bytes, received_ms: int) -> PreBlockView:
    """Index, commit timestamp and certificates (the last :data:`MAX_CERTIFICATES`, which end with the
    leader) of an encoded pre-block; ``ValueError`` if they do not decode."""
    r = fmt.new_reader(encoded)
    index = fmt.read_u64(r)
    commit_ms = fmt.read_u64(r)
    n = fmt.read_count(r, fmt.MIN_CERTIFICATE_LEN)
    kept: deque[codec.Certificate] = deque(maxlen=MAX_CERTIFICATES)
    for _ in range(n):
        kept.append(fmt.read_certificate(r))
        if not r.ok:
            break
    if not r.ok or not kept:
        raise ValueError("pre-block head does not decode")
    return PreBlockView(index, commit_ms, received_ms, tuple(_view(c) for c in kept), n - len(kept))


def _view(c: codec.Certificate) -> CertView:
    h = c.header
    return CertView(codec.header_digest(h)[:SHORT].hex(), h.round, h.author, h.created_at,
                    tuple(p[:SHORT].hex() for p in h.parents), len(h.payload))


class RecentPreBlocks:
    """The last :data:`MAX_PREBLOCKS` pre-blocks' sub-DAGs and the last :data:`MAX_TIMINGS` pre-blocks'
    timings; :meth:`observe` is called by the DA task with each pre-block it receives."""

    def __init__(self) -> None:
        self.views: deque[PreBlockView] = deque(maxlen=MAX_PREBLOCKS)
        self.timings: deque[tuple[int, int, int]] = deque(maxlen=MAX_TIMINGS)  # index, received ms, latency ms
        self.undecodable = 0

    def observe(self, encoded: bytes) -> None:
        try:
            decoded = last_decoded(encoded)  # the DA task decoded it just before (decoded once)
            now = int(time.time() * 1000)
            view = read_head(encoded, now) if decoded is None else head_view(decoded, now)
        except Exception:  # advisory: nothing here may stop the DA task that calls it
            self.undecodable += 1
            return
        if self.views and view.index <= self.views[-1].index:  # the DA task re-posts after a resync
            self.views.clear()
            self.timings.clear()
        self.views.append(view)
        self.timings.append((view.index, view.received_ms, view.commit_latency_ms))

    def last(self, limit: int, max_certificates: int = MAX_RESPONSE_CERTIFICATES) -> list[PreBlockView]:
        """The last ``limit`` pre-blocks, fewer if they would hold more than ``max_certificates``
        certificates together (the newest one is always given)."""
        out: list[PreBlockView] = []
        total = 0
        for view in reversed(self.views):
            total += len(view.certificates)
            if len(out) == limit or (out and total > max_certificates):
                break
            out.append(view)
        return out[::-1]

    def since(self, received_after_ms: int) -> list[tuple[int, int, int]]:
        """Timings of the pre-blocks received after ``received_after_ms``."""
        return [t for t in self.timings if t[1] > received_after_ms]

    def received_ms(self, index: int) -> int | None:
        for i, received, _ in reversed(self.timings):
            if i == index:
                return received
            if i < index:
                return None
        return None
