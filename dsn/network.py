"""Authenticated, encrypted node-to-node transport over TCP (asyncio streams).

Every node connects to every other node and writes its frames (:mod:`dsn.wire`) on that outbound
connection; it reads the frames of each peer on the connection that peer opened to it. Each
connection starts with the handshake of :mod:`dsn.secure_channel` (both sides prove their committee
key, ephemeral X25519 session keys) and then carries AES-256-GCM frames. Outbound frames are
queued per peer and written together (sealed in place into one buffer, one ``write`` + ``drain`` per wake-up), consensus
messages ahead of batches; broken connections are re-opened with exponential back-off. Inbound
frames are paced and budgeted per peer (:mod:`dsn.ratelimit`).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from typing import Callable

from nacl.signing import SigningKey, VerifyKey

from dsn import secure_channel
from dsn.config import CommitteeFile
from dsn.ports import bind_with_retry
from dsn.ratelimit import Limits, PeerBudget, TokenBucket, install_log_filter
from dsn.wire import MAX_FRAME, Kind

log = logging.getLogger(__name__)

Handler = Callable[[int, Kind, bytes], None]  # BATCH and BATCH_DELIVERY bodies come as a memoryview
MAX_QUEUED_BYTES = 64 << 20
BACKOFF_MIN_S = 0.05
BACKOFF_MAX_S = 2.0
WRITE_BUFFER_HIGH = 1 << 20
BULK_KINDS = frozenset({Kind.BATCH, Kind.BATCH_DELIVERY})
MAX_HANDSHAKES = 64          # unauthenticated connections at once; past this the oldest is closed
MAX_INBOUND_PER_PEER = 3     # a peer's older connections are closed past this
HANDSHAKES_PER_SOURCE = (10.0, 40.0)  # per (address, claimed index): handshakes/s, burst (each costs a signature)
KEPT_BUFFER = 4 << 20        # a link's send buffer is re-used up to this size (a batch frame: ~500 kB)
READ_BUFFER = 1 << 20        # a connection's unread bytes (up to 2x) before TCP pushes back (frames may be larger)


class _Outbound:
    """The connection to one peer: two queues of plaintext frames and the task that writes them.

    Consensus messages (the urgent lane) overtake batches (the bulk lane), which are written one
    at a time, so a header or vote never waits behind megabytes of transactions.
    """

    def __init__(self, net: "Network", peer: int) -> None:
        self.net = net
        self.peer = peer
        self.urgent: list[bytes] = []
        self.bulk: deque[bytes] = deque()
        self.queued = 0
        self.wake = asyncio.Event()
        self.connected = False
        self.task: asyncio.Task | None = None

    def push(self, data: bytes, bulk: bool) -> None:
        if (bulk and not self.connected) or self.queued + len(data) > MAX_QUEUED_BYTES:
            return  # peer unreachable or too slow: batches are re-sent or fetched, certificates synced
        (self.bulk if bulk else self.urgent).append(data)
        self.queued += len(data)
        self.wake.set()

    def _next_frames(self) -> list[bytes]:
        if self.urgent:
            frames, self.urgent = self.urgent, []
        else:
            frames = [self.bulk.popleft()]
        self.queued -= sum(len(f) for f in frames)
        return frames

    async def run(self) -> None:
        info = self.net.committee.authorities[self.peer]
        backoff = BACKOFF_MIN_S
        while True:
            writer = None
            try:
                reader, writer = await asyncio.wait_for(asyncio.open_connection(info.host, info.node_port),
                                                        secure_channel.HANDSHAKE_TIMEOUT_S)
                sealer = await secure_channel.connect(reader, writer, self.net.key, self.net.index, self.peer,
                                                      self.net.verify_keys[self.peer])
                writer.transport.set_write_buffer_limits(high=WRITE_BUFFER_HIGH)
                self.connected = True
                backoff = BACKOFF_MIN_S
                self.net.on_connect(self.peer)
                out = bytearray()  # the frames of one wake-up, sealed in place: one write, no join
                while True:
                    if not self.urgent and not self.bulk:
                        self.wake.clear()
                        await self.wake.wait()
                    frames = self._next_frames()
                    size = sum(len(f) for f in frames) + secure_channel.FRAME_OVERHEAD * len(frames)
                    if len(out) < size:
                        out = bytearray(size)
                    pos = 0
                    for f in frames:
                        pos += sealer.seal_into(f, out, pos)
                    writer.write(memoryview(out)[:pos])  # the transport sends or copies it: ours again
                    if len(out) > KEPT_BUFFER:
                        out = bytearray()
                    await writer.drain()
            except asyncio.CancelledError:
                raise
            except secure_channel.HandshakeError as e:
                log.warning("link to %d refused: %s", self.peer, e)
            except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError) as e:
                if self.connected:
                    log.info("connection to %d lost: %s", self.peer, e)
            finally:
                self.connected = False
                if writer is not None:
                    writer.close()
            await asyncio.sleep(backoff)
            backoff = min(BACKOFF_MAX_S, backoff * 2)


class Network:
    """Sends frames to peers by committee index and hands received frames to ``handler``."""

    def __init__(self, committee: CommitteeFile, index: int, key: SigningKey, handler: Handler,
                 on_connect: Callable[[int], None] = lambda peer: None, limits: Limits | None = None) -> None:
        self.committee = committee
        self.index = index
        self.key = key
        self.handler = handler
        self.on_connect = on_connect
        self.verify_keys = [VerifyKey(a.public_key) for a in committee.authorities]
        self.peers = {i: _Outbound(self, i) for i in range(len(committee.authorities)) if i != index}
        self.peer_keys = {i: self.verify_keys[i] for i in self.peers}
        limits = limits or Limits()
        self.budgets = {i: PeerBudget(i, limits) for i in self.peers}
        self.server: asyncio.base_events.Server | None = None
        self._inbound: set[asyncio.Task] = set()
        self._links: dict[int, deque[asyncio.StreamWriter]] = {i: deque() for i in self.peers}
        self._handshaking: deque[asyncio.StreamWriter] = deque()
        self._handshake_budgets: dict[tuple[str, int], TokenBucket] = {}
        self._refusals = TokenBucket(0.2, 5)  # log lines about refused handshakes (any source)
        self._refusals_unlogged = 0
        install_log_filter()

    async def start(self) -> None:
        me = self.committee.authorities[self.index]
        self.server = await bind_with_retry(
            lambda: asyncio.start_server(self._accept, me.host, me.node_port, limit=READ_BUFFER, reuse_address=True),
            f"{me.host}:{me.node_port} (node port)")
        for p in self.peers.values():
            p.task = asyncio.create_task(p.run())

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
        tasks = [p.task for p in self.peers.values() if p.task] + list(self._inbound)
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def send(self, peer: int, kind: Kind, body: bytes) -> None:
        data = bytes((kind,)) + body
        self.budgets[peer].sent(kind, len(data))
        self.peers[peer].push(data, kind in BULK_KINDS)

    def broadcast(self, kind: Kind, body: bytes) -> None:
        data = bytes((kind,)) + body
        bulk = kind in BULK_KINDS
        for p in self.peers.values():
            p.push(data, bulk)

    def may_reply(self, peer: int, kind: Kind) -> bool:
        """Whether a reply of ``kind`` to ``peer`` is within its budget (see :mod:`dsn.ratelimit`)."""
        return self.budgets[peer].may_reply(kind)

    def connected_peers(self) -> list[int]:
        return [i for i, p in self.peers.items() if p.connected]

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        self._inbound.add(task)
        peer = None
        try:
            self._handshaking.append(writer)
            if len(self._handshaking) > MAX_HANDSHAKES:
                self._handshaking.popleft().close()  # the oldest: an honest handshake takes milliseconds
            try:
                peer, opener = await secure_channel.accept(
                    reader, writer, self.key, self.index, self.peer_keys, MAX_FRAME,
                    lambda claimed: self._handshake_allowed(writer, claimed))
            finally:
                if writer in self._handshaking:
                    self._handshaking.remove(writer)
            links = self._links[peer]
            links.append(writer)
            if len(links) > MAX_INBOUND_PER_PEER:
                links.popleft().close()
                self.budgets[peer].drop("connection (too many at once: the oldest was closed)")
            await self._read_frames(peer, reader, opener)
        except secure_channel.HandshakeError as e:
            self._log_refusal(str(e))
        except secure_channel.LinkError as e:
            log.warning("link from %d closed: %s", peer, e)
        except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, asyncio.CancelledError):
            pass  # peer gone, or shutting down (a cancelled handler task would be logged as an error)
        finally:
            writer.close()
            if peer is not None and writer in self._links[peer]:
                self._links[peer].remove(writer)
            self._inbound.discard(task)

    def _handshake_allowed(self, writer: asyncio.StreamWriter, claimed: int) -> bool:
        """Whether (source address, claimed index) is within its handshake budget: a flood from
        one address cannot make us sign for it, nor lock out members connecting from elsewhere."""
        peername = writer.get_extra_info("peername")
        key = (peername[0] if peername else "?", claimed)
        bucket = self._handshake_budgets.get(key)
        if bucket is None:
            if len(self._handshake_budgets) >= 4096:
                self._handshake_budgets.clear()
            bucket = self._handshake_budgets[key] = TokenBucket(*HANDSHAKES_PER_SOURCE)
        return bucket.take()

    def _log_refusal(self, why: str) -> None:
        """Handshake failures come from anyone: log at most one per 5 s (after a burst of 5)."""
        if self._refusals.take():
            more = f" ({self._refusals_unlogged} more refused since the last report)" if self._refusals_unlogged else ""
            log.warning("refused a connection: %s%s", why, more)
            self._refusals_unlogged = 0
        else:
            self._refusals_unlogged += 1

    async def _read_frames(self, peer: int, reader: asyncio.StreamReader, opener: secure_channel.Opener) -> None:
        budget = self.budgets[peer]
        while True:
            data = await opener.read(reader)
            pause = budget.pace(len(data))
            if pause > 0:
                await asyncio.sleep(pause)  # TCP flow control slows the sender down
            try:
                kind = Kind(data[0])
            except ValueError:
                budget.drop(f"unknown message kind {data[0]}")
                continue
            if not budget.admit(kind):
                continue
            try:  # a batch's body is handed on as a view (no copy of its 500 kB); the rest as bytes
                self.handler(peer, kind, memoryview(data)[1:] if kind in BULK_KINDS else data[1:])
            except ValueError as e:
                budget.drop(f"bad {kind.name} ({e})")
