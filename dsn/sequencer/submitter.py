"""Submission of held transactions to the DSN.

Senders are spread over the nodes in *shards* (a sender's shard: the first byte of its key modulo
the number of nodes), and every shard is pinned to one node: at first shard ``s`` goes to node
``s``, later to the last node that accepted its call (a shard's calls are serialised, so one sender's
transactions reach one node in order; the shards' calls run concurrently). Spreading matters for
throughput and latency: a node's headers carry only its own worker's batches, one header per round
within the header payload limit (36.9 kB with 4 nodes and gc_depth 50), so one node taking every
transaction caps the DSN at one header per round and queues the rest. When a call fails, the shard's
next node is tried, taking along — sorted by (sender, nonce), in the same call — every copy of the
shard's senders the failed node acknowledged and the DSN has not ordered yet. Concurrent submissions
are grouped into one call per shard per short window; transactions that :class:`Custody` marks for
retry ride along with their shard's next call, or go alone. A call carries at most ``max_txs`` fresh
transactions and ``max_bytes`` of them (below the DSN's 64 MiB request limit).
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
        self.turns = list(range(source.nodes))  # shard -> the node its calls go to
        self.locks = [asyncio.Lock() for _ in range(source.nodes)]
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

    @property
    def turn(self) -> int:
        """The node shard 0 submits to (0-based)."""
        return self.turns[0]

    def shard(self, signer: bytes) -> int:
        """The shard of a sender."""
        return signer[0] % len(self.turns)

    async def _send(self, fresh: list[Held]) -> None:
        """One call per shard (concurrently) with its ``fresh`` transactions and its retries; with no
        fresh transactions, every shard's retries."""
        groups: dict[int, list[Held]] = {} if fresh else {s: [] for s in range(len(self.turns))}
        for h in fresh:
            groups.setdefault(self.shard(h.signer), []).append(h)
        results = await asyncio.gather(*(self._send_shard(s, g) for s, g in groups.items()), return_exceptions=True)
        errors = [r for r in results if isinstance(r, BaseException)]
        if errors:
            raise errors[0]

    async def _send_shard(self, shard: int, fresh: list[Held]) -> None:
        """One call with ``fresh`` and the shard's retries, to the shard's node, failing over node by node."""
        async with self.locks[shard]:
            errors = []
            for _ in range(self.source.nodes):
                node = self.turns[shard]
                retries = self.custody.take_retries(max(0, self.max_txs - len(fresh)),
                                                    lambda signer: self.shard(signer) == shard)
                call = sorted(fresh + retries, key=_ORDER)
                if not call:
                    return
                try:
                    await self.source.submit([h.raw for h in call], node)
                except SubmitError as exc:
                    errors.append(str(exc))
                    self.custody.unsent(retries)
                    self.custody.node_failed(node)
                    self.turns[shard] = (node + 1) % self.source.nodes
                    continue
                self.custody.sent(call, node)
                return
            self.custody.unsent([h for h in fresh if h.copies])
            self.custody.release([h for h in fresh if not h.copies])
            raise SubmitError("no DSN node accepted the transactions (" + "; ".join(errors) + ")")
