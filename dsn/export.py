"""Pre-blocks from the store: assembly (FORMATS §1.5) and the ordered stream served to subscribers."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from typing import AsyncIterator, Callable

from dsn import codec
from dsn.consensus import Cert, Evidence
from dsn.store import Store

CACHE_BYTES = 64 << 20  # recent pre-blocks kept for several subscribers


class Notifier:
    """Wakes every waiter at each :meth:`notify`."""

    def __init__(self) -> None:
        self._future: asyncio.Future | None = None

    def notify(self) -> None:
        if self._future is not None and not self._future.done():
            self._future.set_result(None)
        self._future = None

    async def wait(self, timeout: float) -> None:
        if self._future is None:
            self._future = asyncio.get_running_loop().create_future()
        try:  # not asyncio.wait_for: on 3.11 it drops a cancel that coincides with a notify
            async with asyncio.timeout(timeout):
                await asyncio.shield(self._future)
        except TimeoutError:
            pass


class PrunedError(Exception):
    """The requested pre-blocks' batches were deleted by the retention policy (``dsn.retention``)."""


class PreBlockSource:
    """Encoded pre-blocks by index, built from commit records, certificates and batches."""

    def __init__(self, store: Store, want_batches: Callable[[list[bytes], list[int]], None]) -> None:
        self.store = store
        self.want_batches = want_batches
        self.changed = Notifier()
        self.last_index = store.last_commit_index()
        self._cache: OrderedDict[int, bytes] = OrderedDict()
        self._cached_bytes = 0

    def committed(self, index: int) -> None:
        """Sub-DAG ``index`` was committed (called in index order)."""
        self.last_index = index
        self.changed.notify()

    def assemble(self, index: int) -> bytes | None:
        """Pre-block ``index``, or None while a batch is missing (it is then requested)."""
        cached = self._cache.get(index)
        if cached is not None:
            return cached
        commit = self.store.get_commit(index)
        if commit is None:
            return None
        ts, _, digests = commit
        certs = [self._certificate(d) for d in digests]
        batches, missing, sources = [], [], set()
        for c in certs:
            for e in c.certificate.header.payload:
                b = self.store.get_batch(e.digest)
                if b is None:
                    missing.append(e.digest)
                    sources.add(c.author)
                    sources.update(s.index for s in c.certificate.signers)
                batches.append(b)
        if missing:
            self.want_batches(missing, sorted(sources))
            return None
        encoded = codec.encode_preblock_fast(index, ts, [c.encoded for c in certs], batches, self._evidence(index))
        self._cache[index] = encoded
        self._cached_bytes += len(encoded)
        while self._cached_bytes > CACHE_BYTES and len(self._cache) > 1:
            self._cached_bytes -= len(self._cache.popitem(last=False)[1])
        return encoded

    def _evidence(self, index: int) -> bytes:
        ref = self.store.get_evidence(index)
        if ref is None:
            raise LookupError(f"sub-DAG {index} has no stored evidence")
        load = self._certificate
        return Evidence(ref.kind, load(ref.anchor) if ref.anchor else None, [load(d) for d in ref.support],
                        [load(d) for d in ref.history]).encode()

    def _certificate(self, digest: bytes) -> Cert:
        return Cert.decode(self.store.get_certificate(digest))

    async def stream(self, from_id: int) -> AsyncIterator[bytes]:
        """Pre-blocks ``from_id + 1, from_id + 2, …``: history first, then live, without gaps.
        Raises :class:`PrunedError` when the next one is pruned (at the start, or for a subscriber
        that fell behind the retention horizon)."""
        next_index = from_id + 1
        self._check_pruned(next_index)
        while True:
            if next_index <= self.last_index:
                encoded = self.assemble(next_index)
                if encoded is not None:
                    yield encoded
                    next_index += 1
                    continue
                self._check_pruned(next_index)
            await self.changed.wait(1.0)

    def _check_pruned(self, index: int) -> None:
        pruned = self.store.pruned_commits()
        if index <= pruned:
            raise PrunedError(f"pre-block {index} is pruned on this node (it keeps the batches of the last "
                              f"sub-DAGs only); the oldest it serves is {pruned + 1}")
