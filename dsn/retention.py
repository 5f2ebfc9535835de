"""What the store keeps: batches of old committed sub-DAGs and own headers below the GC horizon.

* Own proposed headers of rounds below the GC round are deleted (a header is only re-sent while
  its round is current, and recovery reads the last one).
* Batches named only by certificates below the GC round that no sub-DAG committed (no later
  leader can commit them) are deleted, unless a sub-DAG committed the same batch or it is an own
  batch waiting for a header. The certificates stay.
* With ``retain_commits = K > 0``, sub-DAGs older than the last K — and below the GC round, so
  recovery and voting never need them — are deleted: their batches (unless a later sub-DAG
  committed the same batch again) and their commit records. Then every certificate of a round below
  both the GC round and the lowest round the oldest kept sub-DAG names (its certificates and its
  evidence) is deleted, committed or not. The export API answers a request starting at a pruned
  index with ``OUT_OF_RANGE`` naming the oldest pre-block it still serves. A peer that fell behind
  the deleted rounds is told so (``PRUNED``) and catches up from commit records (:mod:`dsn.catchup`).
  ``retain_commits = 0`` (the default) keeps everything: any subscriber can start from pre-block 1
  and any peer can replay the whole DAG.
* Peers' batches that no certificate names expire in the worker (``unreferenced_batch_ttl_ms``).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Callable

from dsn import codec
from dsn.store import Store

log = logging.getLogger(__name__)

PERIOD_S = 5.0
MAX_COMMITS_PER_PASS = 1000  # one pass stays short on the event loop
MAX_ROUNDS_PER_PASS = 1000
MAX_CERTIFICATES_PER_PASS = 20_000


class Retention:
    """Prunes ``store`` every PERIOD_S; ``gc_round`` gives the consensus' current GC round."""

    def __init__(self, store: Store, retain_commits: int, gc_round: Callable[[], int],
                 period_s: float = PERIOD_S) -> None:
        self.store = store
        self.retain_commits = retain_commits
        self.gc_round = gc_round
        self.period_s = period_s
        self.task: asyncio.Task | None = None

    def start(self) -> None:
        self.task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            await asyncio.gather(self.task, return_exceptions=True)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.period_s)
            self.prune()

    def prune(self) -> tuple[int, int, int, int]:
        """One pass; returns (own headers deleted, uncommitted batches deleted, sub-DAGs deleted,
        certificates deleted)."""
        gc = self.gc_round()
        headers = self.store.delete_proposed_below(gc)
        uncommitted = 0
        start = self.store.pruned_round()
        if gc - 1 > start + 1:
            upto = min(gc - 1, start + MAX_ROUNDS_PER_PASS + 1)  # rounds (start, upto)
            payloads = [e.digest for c in self.store.uncommitted_certificates(start, upto)
                        for e in codec.decode_certificate(c).header.payload]
            uncommitted = self.store.prune_uncommitted(upto - 1, payloads)
        pruned = 0
        if self.retain_commits > 0:
            upto = self.store.last_commit_index() - self.retain_commits
            index = self.store.pruned_commits() + 1
            while index <= upto and pruned < MAX_COMMITS_PER_PASS:
                commit = self.store.get_commit(index)
                if commit is None or commit[1] >= gc:
                    break  # leader at or above the GC round: still in use
                batches = [e.digest for d in commit[2]
                           for e in codec.decode_certificate(self.store.get_certificate(d)).header.payload]
                self.store.prune_commit(index, batches, record=True)
                index += 1
                pruned += 1
        certificates = self._prune_certificates(gc) if self.retain_commits > 0 else 0
        if headers or uncommitted or pruned or certificates:
            log.info("retention: deleted %d own headers and %d batches of uncommitted certificates below "
                     "round %d, %d sub-DAGs and %d certificates", headers, uncommitted, gc, pruned, certificates)
        return headers, uncommitted, pruned, certificates

    def _prune_certificates(self, gc: int) -> int:
        """Delete certificates below the GC round that no kept sub-DAG names."""
        oldest = self.store.pruned_commits() + 1
        if oldest > self.store.last_commit_index():
            return 0  # nothing pruned yet, or nothing kept to measure against
        rounds = self.store.commit_rounds(oldest)
        below = min([gc - 1, *rounds])
        if below <= max(self.store.kept_round(), 1):
            return 0
        return self.store.prune_certificates(below, MAX_CERTIFICATES_PER_PASS)
