"""Authenticated node-to-node transport over TCP (asyncio streams).

Every node connects to every other node and writes its frames (:mod:`dsn.wire`) on that outbound
connection; it reads the frames of each peer on the connection that peer opened to it. Handshake:
the accepting node sends a 32-byte random nonce; the connecting node answers ``index u16 ‖ sig``,
an Ed25519 signature of :func:`dsn.signing.hello_message`. Outbound frames are queued per peer and
written together (one ``writelines`` + ``drain`` per wake-up), consensus messages ahead of batches;
broken connections are re-opened with exponential back-off.
"""

from __future__ import annotations

import asyncio
import logging
import os
import struct
from collections import deque
from typing import Callable

from nacl.signing import SigningKey, VerifyKey

from dsn.config import CommitteeFile
from dsn.signing import hello_message, verify
from dsn.wire import MAX_FRAME, Kind, frame

log = logging.getLogger(__name__)

Handler = Callable[[int, Kind, bytes], None]
_U32 = struct.Struct(">I")
MAX_QUEUED_BYTES = 64 << 20
BACKOFF_MIN_S = 0.05
BACKOFF_MAX_S = 2.0
WRITE_BUFFER_HIGH = 1 << 20
BULK_KINDS = frozenset({Kind.BATCH, Kind.BATCH_DELIVERY})


class _Outbound:
    """The connection to one peer: two queues of frames and the task that writes them.

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
                reader, writer = await asyncio.open_connection(info.host, info.node_port)
                nonce = await asyncio.wait_for(reader.readexactly(32), 5)
                sig = self.net.key.sign(hello_message(nonce, self.peer, self.net.index)).signature
                writer.write(self.net.index.to_bytes(2, "big") + sig)
                writer.transport.set_write_buffer_limits(high=WRITE_BUFFER_HIGH)
                self.connected = True
                backoff = BACKOFF_MIN_S
                self.net.on_connect(self.peer)
                while True:
                    if not self.urgent and not self.bulk:
                        self.wake.clear()
                        await self.wake.wait()
                    writer.writelines(self._next_frames())
                    await writer.drain()
            except asyncio.CancelledError:
                raise
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
                 on_connect: Callable[[int], None] = lambda peer: None) -> None:
        self.committee = committee
        self.index = index
        self.key = key
        self.handler = handler
        self.on_connect = on_connect
        self.verify_keys = [VerifyKey(a.public_key) for a in committee.authorities]
        self.peers = {i: _Outbound(self, i) for i in range(len(committee.authorities)) if i != index}
        self.server: asyncio.base_events.Server | None = None
        self._inbound: set[asyncio.Task] = set()

    async def start(self) -> None:
        me = self.committee.authorities[self.index]
        self.server = await asyncio.start_server(self._accept, me.host, me.node_port, limit=MAX_FRAME,
                                                 reuse_address=True)
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
        self.peers[peer].push(frame(kind, body), kind in BULK_KINDS)

    def broadcast(self, kind: Kind, body: bytes) -> None:
        data = frame(kind, body)
        bulk = kind in BULK_KINDS
        for p in self.peers.values():
            p.push(data, bulk)

    def connected_peers(self) -> list[int]:
        return [i for i, p in self.peers.items() if p.connected]

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        self._inbound.add(task)
        try:
            nonce = os.urandom(32)
            writer.write(nonce)
            hello = await asyncio.wait_for(reader.readexactly(66), 5)
            peer = int.from_bytes(hello[:2], "big")
            if peer not in self.peers or not verify(self.verify_keys[peer],
                                                    hello_message(nonce, self.index, peer), hello[2:]):
                log.warning("rejected a connection with a bad handshake")
                return
            while True:
                size = _U32.unpack(await reader.readexactly(4))[0]
                if not 1 <= size <= MAX_FRAME:
                    log.warning("peer %d sent a frame of %d bytes: disconnected", peer, size)
                    return
                data = await reader.readexactly(size)
                try:
                    kind = Kind(data[0])
                except ValueError:
                    log.warning("peer %d sent an unknown message kind %d", peer, data[0])
                    continue
                try:
                    self.handler(peer, kind, data[1:])
                except ValueError as e:
                    log.warning("bad %s from %d: %s", kind.name, peer, e)
        except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, asyncio.CancelledError):
            pass  # peer gone, or shutting down (a cancelled handler task would be logged as an error)
        finally:
            writer.close()
            self._inbound.discard(task)
