"""The worker: seals client transactions into batches, disseminates them, serves and fetches batches.

A batch is sealed when its encoding reaches ``batch_size`` bytes or ``max_batch_delay`` after its
first transaction, and before a transaction would take it past its cap: the committee's batch limit
(:mod:`kernel_py.formats.limits`; a transaction above the transaction limit is refused, and peers'
batches above the batch limit are refused), lowered to an equal share of the header payload limit
when ``batch_size`` is below that limit, so that whole batches fill a header; client transactions
are kept as encoded entries, so sealing is one join; it is stored, sent to every peer, and reported to the primary once acknowledgements
(own stake included) reach the quorum, and after every batch sealed before it (so a node's batches
keep their order). Peers' batches are validated (strict decoding), stored and acknowledged. Missing batches (named by certificates or by headers to vote on) are requested from
the nodes that must hold them, rotating through them every ``sync_retry_delay`` (the first
request after one to two delays, as most are in flight), FETCH_ROUNDS times each; a batch still
needed then is wanted again by its user (the export of a pre-block, a header waiting for a vote).
A peer's batch that no accepted certificate names within ``unreferenced_batch_ttl`` is deleted
(its author re-sends it if it is still pending; a certificate naming it later has it fetched).
"""

from __future__ import annotations

import asyncio
import logging
import struct
import time
from typing import Callable

from dsn import codec
from dsn.config import Parameters
from dsn.metrics import NodeMetrics
from dsn.network import Network
from dsn.store import Store
from dsn.wire import MAX_REQUEST_DIGESTS, Kind, decode_digests, decode_worker_batch, encode_digests, encode_worker_batch
from kernel_py.formats.limits import SizeLimits

log = logging.getLogger(__name__)

WORKER_ID = 0
FETCH_ROUNDS = 5  # a missing batch is asked of each source this many times, then forgotten
_U32 = struct.Struct(">I")
_BATCH_HEAD = struct.Struct(">II")  # worker id, transaction count


def batch_cap(params: Parameters, limits: SizeLimits) -> int:
    """The largest batch the worker seals: an equal share of a header's payload limit, so that headers
    fill up (500 kB batches and a 695 kB header limit: two of 347.5 kB per header, not one of 500 kB),
    or the batch limit when ``batch_size`` is so small that a header holds more than its batch count."""
    share = -(-limits.max_header_payload // min(params.batch_size, limits.max_batch))
    return limits.max_header_payload // share if share <= limits.max_header_batches else limits.max_batch


class _Pending:
    """A sealed batch waiting for its acknowledgement quorum."""

    __slots__ = ("message", "size", "stake", "acked", "done")

    def __init__(self, message: bytes, size: int, stake: int, done: asyncio.Future) -> None:
        self.message = message
        self.size = size
        self.stake = stake
        self.acked: set[int] = set()
        self.done = done


class _Want:
    """A missing batch: who should hold it, and how many requests were sent."""

    __slots__ = ("sources", "attempts")

    def __init__(self, sources: list[int]) -> None:
        self.sources = sources
        self.attempts = 0


class Worker:
    def __init__(self, index: int, stakes: list[int], quorum: int, params: Parameters, store: Store,
                 net: Network, report_own: Callable[[bytes, int, int], None],
                 on_stored: Callable[[bytes], None], limits: SizeLimits, metrics: NodeMetrics | None = None) -> None:
        self.index = index
        self.metrics = metrics or NodeMetrics()
        self.limits = limits
        self.batch_cap = batch_cap(params, limits)
        self.seal_size = min(params.batch_size, self.batch_cap)
        self.stakes = stakes
        self.quorum = quorum
        self.params = params
        self.store = store
        self.net = net
        self.report_own = report_own
        self.on_stored = on_stored
        self.entries: list[bytes] = []  # encoded ``length ‖ bytes`` entries of the open batch
        self.count = 0
        self.size = 0
        self.batch_done: asyncio.Future = asyncio.get_running_loop().create_future()
        self.first_tx_at = 0.0
        self.seal_wake = asyncio.Event()
        self.pending: dict[bytes, _Pending] = {}
        self.wanted: dict[bytes, _Want] = {}
        self.young: set[bytes] = set()  # wanted since the last sweep
        # peers' batches no certificate named yet, in arrival order: digest -> (arrival ms, peer, size)
        self.unreferenced: dict[bytes, tuple[int, int, int]] = {d: (t, p, n) for d, t, p, n in store.unreferenced()}
        self.unreferenced_bytes = [0] * len(stakes)
        for _, p, n in self.unreferenced.values():
            self.unreferenced_bytes[p] += n
        self.room = asyncio.Event()  # cleared while the primary's header queue is full (back-pressure)
        self.room.set()
        self.tasks: list[asyncio.Task] = []

    def start(self) -> None:
        self.tasks = [asyncio.create_task(self._seal_timer()), asyncio.create_task(self._fetch_loop())]

    async def stop(self) -> None:
        for t in self.tasks:
            t.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)

    # client transactions -------------------------------------------------------------------------
    def set_backlog(self, full: bool) -> None:
        """The primary's queue of own batches waiting for a header is full (or has room again)."""
        if full:
            self.room.clear()
        else:
            self.room.set()

    async def admit(self) -> None:
        """Wait until the primary's header queue has room: clients are answered no faster than
        headers carry their batches, so the backlog (and the latency) stays bounded under overload."""
        await self.room.wait()

    def _check_size(self, size: int) -> None:
        if not 1 <= size <= self.limits.max_tx:
            raise ValueError(f"transaction of {size} bytes: the limit for this committee is 1 to "
                             f"{self.limits.max_tx} bytes (max_tx)")

    def submit(self, tx: bytes) -> asyncio.Future:
        """Queue a transaction; the future resolves to its batch digest once the quorum acknowledged it.
        Raises ``ValueError`` for a size outside 1 … ``max_tx``."""
        self._check_size(len(tx))
        self.metrics.txs.inc()
        self.metrics.tx_bytes.inc(len(tx))
        return self._add(_U32.pack(len(tx)) + tx, 1)

    def submit_encoded(self, batch: bytes) -> asyncio.Future:
        """Queue the transactions of an encoded batch (FORMATS §1.2); their ``length ‖ bytes`` entries
        are appended as they are, in runs that fill the open batch up to its cap, then whole batches.
        The future resolves once every batch holding them is acknowledged. Raises ``ValueError`` (nothing queued) if malformed or a
        transaction is above ``max_tx``."""
        size = codec.uniform_entry_size(batch)
        if size is not None:
            return self._submit_uniform(batch, size)
        spans = codec.batch_entries(batch)
        for start, end in spans:
            self._check_size(end - start - 4)
        self.metrics.txs.inc(len(spans))
        self.metrics.tx_bytes.inc(len(batch) - 4 - 4 * len(spans))
        futures: list[asyncio.Future] = []
        room = self.batch_cap - 4  # entry bytes of one batch
        free = room - self.size  # the first run tops up the open batch, so batches fill whatever the request sizes
        run_start, count = 4, 0
        for start, end in spans:
            if count and end - run_start > free:
                futures.append(self._add(batch[run_start:start], count))
                run_start, count = start, 0
                free = room - self.size
            count += 1
        futures.append(self._add(batch[run_start:], count))
        distinct = list({id(f): f for f in futures}.values())
        return distinct[0] if len(distinct) == 1 else asyncio.gather(*distinct)

    def _submit_uniform(self, batch: bytes, size: int) -> asyncio.Future:
        """``submit_encoded`` for a batch whose transactions all have ``size`` bytes: the same runs,
        counted instead of walked."""
        self._check_size(size)
        stride = 4 + size
        left = (len(batch) - 4) // stride
        self.metrics.txs.inc(left)
        self.metrics.tx_bytes.inc(left * size)
        futures: list[asyncio.Future] = []
        room = self.batch_cap - 4
        pos = 4
        while left:
            take = min(left, max(1, (room - self.size) // stride))  # the first run tops up the open batch
            futures.append(self._add(batch[pos:pos + take * stride], take))
            pos += take * stride
            left -= take
        distinct = list({id(f): f for f in futures}.values())
        return distinct[0] if len(distinct) == 1 else asyncio.gather(*distinct)

    def _add(self, entries: bytes, count: int) -> asyncio.Future:
        if self.count and self.size + len(entries) > self.batch_cap - 4:
            self._seal()  # the entries would take the open batch past its cap
        if not self.count:
            self.first_tx_at = time.monotonic()
            self.seal_wake.set()
        self.entries.append(entries)
        self.count += count
        self.size += len(entries)
        done = self.batch_done
        if 4 + self.size >= self.seal_size:  # the encoded batch: count ‖ entries
            self._seal()
        return done

    async def _seal_timer(self) -> None:
        delay = self.params.max_batch_delay_ms / 1000
        while True:
            if not self.count:
                self.seal_wake.clear()
                await self.seal_wake.wait()
                continue
            remaining = self.first_tx_at + delay - time.monotonic()
            if remaining > 0:
                await asyncio.sleep(remaining)
            elif not self.room.is_set():
                await self.room.wait()  # headers are behind: a batch sealed early would only take a header's room
            elif self.count:
                self._seal()

    def _seal(self) -> None:
        # the BATCH message body, worker id ‖ batch (FORMATS §1.2), in one join; the batch is a view of it
        message = b"".join([_BATCH_HEAD.pack(WORKER_ID, self.count), *self.entries])
        encoded = memoryview(message)[4:]
        done = self.batch_done
        self.entries, self.count, self.size = [], 0, 0
        self.batch_done = asyncio.get_running_loop().create_future()
        digest = codec.digest(encoded)
        self.store.put_batch(digest, encoded)
        self.metrics.batches_sealed.inc()
        self.metrics.batches_sealed_bytes.inc(len(encoded))
        self.pending[digest] = _Pending(message, len(encoded), self.stakes[self.index], done)
        self.net.broadcast(Kind.BATCH, message)
        self._check_quorum(digest)

    def _check_quorum(self, digest: bytes) -> None:
        """Report the batches that reached their quorum, in the order they were sealed: one waits for
        those sealed before it, so the primary queues (and headers carry) a node's batches in order."""
        if self.pending[digest].stake < self.quorum:
            return
        while self.pending:
            first = next(iter(self.pending))
            p = self.pending[first]
            if p.stake < self.quorum:
                return
            del self.pending[first]
            self.report_own(first, WORKER_ID, p.size)
            if not p.done.done():
                p.done.set_result(first)

    # peer messages ---------------------------------------------------------------------------------
    def handle(self, peer: int, kind: Kind, body: bytes | memoryview) -> None:
        if kind is Kind.BATCH or kind is Kind.BATCH_DELIVERY:
            worker_id, encoded = decode_worker_batch(body)
            if worker_id != WORKER_ID:
                raise ValueError(f"unknown worker id {worker_id}")
            digest = self._accept_batch(encoded, peer)
            if kind is Kind.BATCH:
                self.net.send(peer, Kind.BATCH_ACK, digest)
        elif kind is Kind.BATCH_ACK:
            p = self.pending.get(body)
            if p is not None and peer not in p.acked:
                p.acked.add(peer)
                p.stake += self.stakes[peer]
                self._check_quorum(body)
        elif kind is Kind.BATCH_REQUEST:
            for d in decode_digests(body):
                if not self.net.may_reply(peer, Kind.BATCH_DELIVERY):
                    break  # this peer's reply budget is spent: it asks again (or asks another node)
                encoded = self.store.get_batch(d)
                if encoded is not None:
                    self.net.send(peer, Kind.BATCH_DELIVERY, encode_worker_batch(WORKER_ID, encoded))

    def _accept_batch(self, encoded: bytes | memoryview, peer: int) -> bytes:
        """Validate and store a batch from ``peer``; ``ValueError`` if it is malformed or if the
        peer's batches that no certificate names yet would pass ``unreferenced_bytes_per_peer``."""
        digest = codec.digest(encoded)
        if not self.store.has_batch(digest):
            if len(encoded) > self.limits.max_batch:
                raise ValueError(f"batch of {len(encoded)} bytes above the limit of {self.limits.max_batch}")
            codec.check_batch(encoded)  # strict validation; raises ValueError
            if digest in self.wanted:  # named by a certificate
                self.store.put_batch(digest, encoded)
            else:
                if self.unreferenced_bytes[peer] + len(encoded) > self.params.unreferenced_bytes_per_peer:
                    raise ValueError(f"{self.unreferenced_bytes[peer]:,} bytes of its batches are not named by "
                                     "any certificate yet: batch refused")
                arrived = int(time.time() * 1000)
                self.store.put_peer_batch(digest, encoded, arrived, peer)
                self.unreferenced[digest] = (arrived, peer, len(encoded))
                self.unreferenced_bytes[peer] += len(encoded)
            self.metrics.batches_received.inc()
        self.wanted.pop(digest, None)
        self.on_stored(digest)
        return digest

    def _forget(self, digest: bytes) -> None:
        _, peer, size = self.unreferenced.pop(digest)
        self.unreferenced_bytes[peer] -= size

    def _expire_unreferenced(self) -> None:
        """Delete peers' batches that no certificate named within ``unreferenced_batch_ttl_ms``."""
        horizon = int(time.time() * 1000) - self.params.unreferenced_batch_ttl_ms
        expired = []
        for d, (arrived, _, _) in self.unreferenced.items():  # in arrival order
            if arrived > horizon:
                break
            expired.append(d)
        if expired:
            for d in expired:
                self._forget(d)
            self.store.delete_batches(expired)
            log.info("deleted %d batches no certificate named within %d ms", len(expired),
                     self.params.unreferenced_batch_ttl_ms)

    # fetching missing batches ---------------------------------------------------------------------
    def want(self, digests: list[bytes], sources: list[int]) -> None:
        """Fetch the batches among ``digests`` not stored by the next-but-one sweep (most are already
        in flight: asking at once would send them twice), from ``sources`` in turn. Those stored
        no longer expire."""
        named = [d for d in digests if d in self.unreferenced]
        if named:
            for d in named:
                self._forget(d)
            self.store.mark_referenced(named)
        for d in digests:
            if d not in self.wanted and not self.store.has_batch(d):
                self.wanted[d] = _Want([s for s in sources if s != self.index])
                self.young.add(d)

    async def _fetch_loop(self) -> None:
        """Every ``sync_retry_delay``: re-send own batches still short of their quorum to the peers
        that did not acknowledge them, and request missing batches."""
        resend: list[_Pending] = []
        while True:
            await asyncio.sleep(self.params.sync_retry_delay_ms / 1000)
            for p in resend:  # pending since the previous sweep at least
                if p.stake < self.quorum:
                    for peer in range(len(self.stakes)):
                        if peer != self.index and peer not in p.acked:
                            self.net.send(peer, Kind.BATCH, p.message)
            resend = list(self.pending.values())
            by_source: dict[int, list[bytes]] = {}
            for d, w in list(self.wanted.items()):
                if self.store.has_batch(d):
                    del self.wanted[d]
                elif w.attempts >= FETCH_ROUNDS * len(w.sources):
                    del self.wanted[d]  # pruned everywhere, or never existed: whoever needs it asks again
                elif d not in self.young:
                    by_source.setdefault(w.sources[w.attempts % len(w.sources)], []).append(d)
                    w.attempts += 1
            self.young.clear()
            self._expire_unreferenced()
            for peer, ds in by_source.items():
                for i in range(0, len(ds), MAX_REQUEST_DIGESTS):
                    self.net.send(peer, Kind.BATCH_REQUEST, encode_digests(ds[i:i + MAX_REQUEST_DIGESTS]))
