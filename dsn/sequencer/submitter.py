"""Submission of held transactions to the DSN.

Every sender is pinned to one node: the last that accepted a call (calls are serialised, so one
sender's transactions reach it in order). When a call to it fails, the next node is tried, taking
along — sorted by (sender, nonce), in the same call — every copy the failed node acknowledged and
the DSN has not ordered yet. Concurrent submissions are grouped into one call per short window;
transactions that :class:`Custody` marks for retry ride along with the next call, or go alone.
A call carries at most ``max_txs`` fresh transactions and ``max_bytes`` of them (below the DSN's
64 MiB request limit).
"""

from __future__ import annotations

import asyncio
import logging
from operator import attrgetter

from dsn.sequencer.custody import Custody, Held
from dsn.sequencer.sources import PreBlockSource, SubmitError

log = logging.getLogger("dsn.sequencer")


_ORDER = attrgetter("signer", "nonce")


def _bytes(held: list[Held]) -> int:
    return sum(len(h.raw) for h in held)


class Submitter:
    """``await submit(held)`` returns once a DSN node acknowledged them (or raises :class:`SubmitError`
    after every node failed; the transactions are then released from custody)."""

    def __init__(self, source: PreBlockSource, custody: Custody, window: float = 0.01, max_txs: int = 2000,
                 retry_pause: float = 0.5, max_bytes: int = 32 << 20) -> None:
        self.source = source
        self.custody = custody
        self.window = window
        self.max_txs = max_txs
        self.max_bytes = max_bytes
        self.retry_pause = retry_pause
        self.turn = 0
        self.lock = asyncio.Lock()
        self.pending: list[tuple[list[Held], asyncio.Future[None]]] = []
        self.flusher: asyncio.Task[None] | None = None

    async def submit(self, held: list[Held]) -> None:
        if not held:
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.pending.append((held, future))
        if self.flusher is None or self.flusher.done():
            self.flusher = asyncio.create_task(self._flush())
        await future

    async def run(self) -> None:
        """Resubmit what custody marks for retry (at most one retry call per ``retry_pause``)."""
        while True:
            await self.custody.wake.wait()
            self.custody.wake.clear()
            if self.custody.has_retries():
                try:
                    await self._send([])
                except SubmitError as exc:
                    log.warning("resubmission: %s", exc)
            await asyncio.sleep(self.retry_pause)

    async def _flush(self) -> None:
        await asyncio.sleep(self.window)
        while self.pending:
            group, size, nbytes = [], 0, 0
            while self.pending and (not group or (size + len(self.pending[0][0]) <= self.max_txs and
                                                  nbytes + _bytes(self.pending[0][0]) <= self.max_bytes)):
                item = self.pending.pop(0)
                group.append(item)
                size += len(item[0])
                nbytes += _bytes(item[0])
            try:
                await self._send([h for held, _ in group for h in held])
            except Exception as exc:  # every waiter of the group gets the error
                for _, f in group:
                    if not f.done():
                        f.set_exception(exc)
            else:
                for _, f in group:
                    if not f.done():
                        f.set_result(None)

    async def _send(self, fresh: list[Held]) -> None:
        """One call with ``fresh`` and the retries, to the pinned node, failing over node by node."""
        async with self.lock:
            errors = []
            for _ in range(self.source.nodes):
                node = self.turn
                retries = self.custody.take_retries(max(0, self.max_txs - len(fresh)))
                call = sorted(fresh + retries, key=_ORDER)
                if not call:
                    return
                try:
                    await self.source.submit([h.raw for h in call], node)
                except SubmitError as exc:
                    errors.append(str(exc))
                    self.custody.unsent(retries)
                    self.custody.node_failed(node)
                    self.turn = (node + 1) % self.source.nodes
                    continue
                self.custody.sent(call, node)
                return
            self.custody.unsent([h for h in fresh if h.copies])
            self.custody.release([h for h in fresh if not h.copies])
            raise SubmitError("no DSN node accepted the transactions (" + "; ".join(errors) + ")")
