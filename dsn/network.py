"""Authenticated, encrypted node-to-node transport over TCP (asyncio streams).

Every node connects to every other node and writes its frames (:mod:`dsn.wire`) on that outbound
connection; it reads the frames of each peer on the connection that peer opened to it. Each
connection starts with the handshake of :mod:`dsn.secure_channel` (both sides prove their committee
key, ephemeral X25519 session keys) and then carries AES-256-GCM frames. Outbound frames are
queued per peer and written together (sealed in place into one buffer: one ``write`` + ``drain``
per wake-up), consensus messages ahead of batches; broken connections are re-opened with
exponential back-off. Inbound frames are received into a per-link buffer and opened in place
(:class:`_Inbound`), paced and budgeted per peer (:mod:`dsn.ratelimit`).
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
KEPT_BUFFER = 4 << 20        # a link's send or receive buffer is re-used up to this size (a batch frame: ~500 kB)
INBOUND_BUFFER = 256 << 10   # a link's receive buffer to start with (it grows to the largest frame)
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
            inbound = _Inbound(self, peer, opener, writer.transport, reader)
            await inbound.closed
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


class _Inbound(asyncio.BufferedProtocol):
    """A peer's link after the handshake: frames are received straight into a buffer (``recv_into``:
    no stream-buffer copies), opened in place and handed on from the protocol's callback. Pacing
    pauses reading (TCP flow control slows the sender down) and holds the frame back meanwhile."""

    def __init__(self, net: Network, peer: int, opener: secure_channel.Opener, transport: asyncio.Transport,
                 handshake: asyncio.StreamReader) -> None:
        self.net = net
        self.peer = peer
        self.opener = opener
        self.budget = net.budgets[peer]
        self.transport = transport
        self.closed: asyncio.Future = asyncio.get_running_loop().create_future()
        self.held: bytes | None = None  # a frame waiting for its pacing delay
        # bytes the handshake's stream reader already holds (frames sent right after the handshake)
        leftover = bytes(handshake._buffer)  # asyncio.StreamReader keeps them there
        self.buf = bytearray(max(INBOUND_BUFFER, len(leftover)))
        self.buf[:len(leftover)] = leftover
        self.start, self.end = 0, len(leftover)  # unprocessed bytes: buf[start:end]
        transport.set_protocol(self)
        transport.resume_reading()  # the stream reader may have paused it
        self._process()

    def get_buffer(self, sizehint: int) -> memoryview:
        if self.start == self.end:
            self.start = self.end = 0
            if len(self.buf) > KEPT_BUFFER:
                self.buf = bytearray(INBOUND_BUFFER)
        pending = self.end - self.start
        need = 4 if pending < 4 else 4 + min(int.from_bytes(self.buf[self.start:self.start + 4], "big"),
                                             self.opener.max_plaintext + secure_channel.TAG_LEN)  # checked by _process
        if self.start + need > len(self.buf):  # the frame does not fit after its start: move it to the front
            buf = self.buf if need <= len(self.buf) else bytearray(need)
            buf[:pending] = self.buf[self.start:self.end]
            self.buf, self.start, self.end = buf, 0, pending
        return memoryview(self.buf)[self.end:]

    def buffer_updated(self, nbytes: int) -> None:
        self.end += nbytes
        self._process()

    def _process(self) -> None:
        """Open and hand on every whole frame received (unless one is held back by pacing)."""
        try:
            while self.held is None and self.end - self.start >= 4:
                size = int.from_bytes(self.buf[self.start:self.start + 4], "big")
                self.opener.check_size(size)
                if self.end - self.start < 4 + size:
                    return
                header = bytes(self.buf[self.start:self.start + 4])
                data = self.opener.open(header, memoryview(self.buf)[self.start + 4:self.start + 4 + size])
                self.start += 4 + size
                pause = self.budget.pace(len(data))
                if pause > 0:
                    self.held = data
                    self.transport.pause_reading()
                    asyncio.get_running_loop().call_later(pause, self._release)
                    return
                self._deliver(data)
        except secure_channel.LinkError as e:
            log.warning("link from %d closed: %s", self.peer, e)
            self.transport.close()

    def _release(self) -> None:
        """The pacing delay is over: hand on the held frame and read again (a timer callback, so an
        unexpected error closes the link here, as the transport does for errors in its callbacks)."""
        data, self.held = self.held, None
        if self.closed.done() or data is None:
            return
        try:
            self._deliver(data)
            self.transport.resume_reading()
            self._process()
        except Exception:
            log.exception("link from %d closed", self.peer)
            self.transport.close()

    def _deliver(self, data: bytes) -> None:
        try:
            kind = Kind(data[0])
        except ValueError:
            self.budget.drop(f"unknown message kind {data[0]}")
            return
        if not self.budget.admit(kind):
            return
        try:  # a batch's body is handed on as a view (no copy of its 500 kB); the rest as bytes
            self.net.handler(self.peer, kind, memoryview(data)[1:] if kind in BULK_KINDS else data[1:])
        except ValueError as e:
            self.budget.drop(f"bad {kind.name} ({e})")

    def eof_received(self) -> bool:
        return False  # the transport closes

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.closed.done():
            self.closed.set_result(None)
