"""Transactions of older pre-blocks for ``GET /blocks/<i>?txs=1``, fetched from the DSN sparingly.

Requests for the same index share one fetch; at most ``max_fetches`` fetches (export streams) run
at once and a request past that answers without the transaction bodies; the last ``size`` results
are kept; a fetch that failed is not retried for ``retry_after`` seconds. So any number of clients
costs the DSN at most ``max_fetches`` export streams at a time and one per distinct block.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from dsn.sequencer.tracker import Bounded, preblock_txs

log = logging.getLogger("dsn.sequencer")


class BlockTxCache:
    """Bounded, single-flight cache of pre-block transaction lists by index."""

    def __init__(self, fetch: Callable[[int], Awaitable[bytes | None]], size: int = 16, max_fetches: int = 2,
                 retry_after: float = 5.0) -> None:
        self.fetch = fetch
        self.max_fetches = max_fetches
        self.retry_after = retry_after
        self.cache: Bounded = Bounded(size)
        self.failed: Bounded = Bounded(4 * size)  # index -> monotonic time before which not to retry
        self.pending: dict[int, asyncio.Future[list[bytes] | None]] = {}
        self.fetches = 0  # fetches started (for tests and the abuse report)

    async def get(self, index: int) -> list[bytes] | None:
        """The transactions of pre-block ``index``, or None (not available now)."""
        if index in self.cache:
            self.cache.move_to_end(index)
            return self.cache[index]
        if self.failed.get(index, 0.0) > time.monotonic():
            return None
        fut = self.pending.get(index)
        if fut is None:
            if len(self.pending) >= self.max_fetches:
                return None
            self.fetches += 1
            fut = self.pending[index] = asyncio.ensure_future(self._fetch(index))
        return await asyncio.shield(fut)

    async def _fetch(self, index: int) -> list[bytes] | None:
        bodies: list[bytes] | None = None
        try:
            encoded = await self.fetch(index)
            if encoded is not None:
                bodies = preblock_txs(encoded)[1]
        except Exception as exc:  # the DSN is a trusted peer, but a failure must not fail the request
            log.warning("fetching pre-block %d for its transactions: %r", index, exc)
        finally:
            del self.pending[index]
        if bodies is None:
            self.failed[index] = time.monotonic() + self.retry_after
        else:
            self.cache[index] = bodies
        return bodies
