"""Node links on loopback with hostile peers as real sockets: every frame authenticated and
encrypted (tampered, replayed and outsider frames refused), per-peer budgets and pacing."""

from __future__ import annotations

import asyncio
import logging
import random
import socket
import time

import pytest
from nacl.signing import SigningKey

from dsn import network, secure_channel
from dsn.config import AuthorityInfo, CommitteeFile
from dsn.network import Network
from dsn.ratelimit import Limits
from dsn.wire import Kind, encode_round

KEYS = [SigningKey(bytes([i + 1]) * 32) for i in range(3)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def committee() -> CommitteeFile:
    return CommitteeFile(0, 50, [AuthorityInfo(f"node{i}", bytes(k.verify_key), 1000, "127.0.0.1", free_port(),
                                               free_port(), free_port()) for i, k in enumerate(KEYS)])


class Node0:
    """A started Network of index 0 that records what its handler receives."""

    def __init__(self, limits: Limits | None = None) -> None:
        self.committee = committee()
        self.received: list[tuple[int, Kind, bytes]] = []
        self.net = Network(self.committee, 0, KEYS[0], lambda p, k, b: self.received.append((p, k, b)),
                           limits=limits)

    @property
    def port(self) -> int:
        return self.committee.authorities[0].node_port

    async def link(self, index: int, key: SigningKey):
        """An inbound link from ``index`` holding ``key``: (reader, writer, sealer)."""
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        sealer = await secure_channel.connect(reader, writer, key, index, 0, KEYS[0].verify_key)
        return reader, writer, sealer


async def closed_by_peer(reader: asyncio.StreamReader, timeout: float = 3.0) -> bool:
    try:
        return await asyncio.wait_for(reader.read(), timeout) == b""
    except (ConnectionResetError, asyncio.TimeoutError):
        return False


def run(coro_fn, limits: Limits | None = None):
    async def main():
        node = Node0(limits)
        await node.net.start()
        try:
            return await coro_fn(node)
        finally:
            await node.net.stop()
    return asyncio.run(main())


def test_frames_from_a_committee_member_arrive_in_order():
    async def body(node):
        _, writer, sealer = await node.link(1, KEYS[1])
        for i in range(3):
            writer.writelines(sealer.seal(bytes([Kind.SYNC_REQUEST]) + encode_round(i)))
        await writer.drain()
        await asyncio.sleep(0.3)
        writer.close()
        assert node.received == [(1, Kind.SYNC_REQUEST, encode_round(i)) for i in range(3)]
    run(body)


def test_a_tampered_frame_is_refused_and_the_link_closed():
    async def body(node):
        reader, writer, sealer = await node.link(1, KEYS[1])
        header, ct = sealer.seal(bytes([Kind.SYNC_REQUEST]) + encode_round(7))
        tampered = bytearray(ct)
        tampered[3] ^= 0x01  # one bit of the ciphertext
        writer.writelines([header, bytes(tampered)])
        writer.writelines(sealer.seal(bytes([Kind.SYNC_REQUEST]) + encode_round(8)))
        await writer.drain()
        assert await closed_by_peer(reader)
        assert node.received == []
    run(body)


def test_a_replayed_or_reordered_frame_is_refused():
    async def body(node):
        reader, writer, sealer = await node.link(1, KEYS[1])
        first = sealer.seal(bytes([Kind.SYNC_REQUEST]) + encode_round(1))
        writer.writelines(first)
        writer.writelines(first)  # the same bytes again: nonce 0 is not expected twice
        await writer.drain()
        assert await closed_by_peer(reader)
        assert node.received == [(1, Kind.SYNC_REQUEST, encode_round(1))]
        reader, writer, sealer = await node.link(2, KEYS[2])
        a = sealer.seal(bytes([Kind.SYNC_REQUEST]) + encode_round(2))
        b = sealer.seal(bytes([Kind.SYNC_REQUEST]) + encode_round(3))
        writer.writelines(b + a)  # swapped
        await writer.drain()
        assert await closed_by_peer(reader)
        assert node.received == [(1, Kind.SYNC_REQUEST, encode_round(1))]
    run(body)


def test_a_key_outside_the_committee_is_refused_at_the_handshake():
    async def body(node):
        outsider = SigningKey(b"\x99" * 32)
        with pytest.raises((asyncio.IncompleteReadError, ConnectionResetError)):
            # the acceptor signs first, then closes on the connector's bad signature; the connector
            # only sees EOF when it reads again
            reader, writer, sealer = await node.link(1, outsider)
            writer.writelines(sealer.seal(bytes([Kind.SYNC_REQUEST]) + encode_round(1)))
            await writer.drain()
            await asyncio.wait_for(reader.readexactly(1), 3)
        # an index outside the committee, and a hello for another node, are closed before any signing
        for hello in ((7).to_bytes(2, "big") + (0).to_bytes(2, "big"), (1).to_bytes(2, "big") + (2).to_bytes(2, "big")):
            reader, writer = await asyncio.open_connection("127.0.0.1", node.port)
            writer.write(hello + b"e" * 32)
            assert await asyncio.wait_for(reader.read(), 3) == b""
            writer.close()
        assert node.received == []
    run(body)


def test_the_connector_refuses_an_acceptor_without_the_committee_key():
    async def impostor(reader, writer):  # answers the handshake with an outsider's key
        try:
            await secure_channel.accept(reader, writer, SigningKey(b"\x77" * 32), 0,
                                        {1: KEYS[1].verify_key}, 1 << 20)
        except (secure_channel.HandshakeError, asyncio.IncompleteReadError):
            pass
        writer.close()

    async def main():
        server = await asyncio.start_server(impostor, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        with pytest.raises(secure_channel.HandshakeError, match="did not prove its committee key"):
            await secure_channel.connect(reader, writer, KEYS[1], 1, 0, KEYS[0].verify_key)
        writer.close()
        server.close()
    asyncio.run(main())


def test_two_networks_exchange_sealed_frames():
    async def main():
        c = committee()
        got: list[tuple[int, Kind, bytes]] = []
        a = Network(c, 0, KEYS[0], lambda p, k, b: got.append((p, k, b)))
        b = Network(c, 1, KEYS[1], lambda p, k, b: None)
        await a.start()
        await b.start()
        try:
            for _ in range(100):
                if 0 in b.connected_peers():
                    break
                await asyncio.sleep(0.05)
            b.send(0, Kind.VOTE, b"v" * 96)
            b.broadcast(Kind.BATCH, b"\0\0\0\0" + b"x" * 100_000)
            for _ in range(100):
                if len(got) == 2:
                    break
                await asyncio.sleep(0.05)
            assert got == [(1, Kind.VOTE, b"v" * 96), (1, Kind.BATCH, b"\0\0\0\0" + b"x" * 100_000)]
        finally:
            await a.stop()
            await b.stop()
    asyncio.run(main())


def test_a_request_storm_gets_its_budget_and_no_more():
    limits = Limits(kinds={Kind.SYNC_REQUEST: (0.001, 5), Kind.VOTE: (1000, 1000)})

    async def body(node):
        _, writer, sealer = await node.link(1, KEYS[1])
        for i in range(200):
            writer.writelines(sealer.seal(bytes([Kind.SYNC_REQUEST]) + encode_round(i)))
        writer.writelines(sealer.seal(bytes([Kind.VOTE]) + b"v" * 96))  # other kinds still pass
        await writer.drain()
        await asyncio.sleep(0.5)
        writer.close()
        assert node.received == [(1, Kind.SYNC_REQUEST, encode_round(i)) for i in range(5)] + \
            [(1, Kind.VOTE, b"v" * 96)]
        assert node.net.budgets[1].dropped == {"SYNC_REQUEST over budget": 194}  # the first drop was logged
    run(body, limits)


def test_requests_wait_while_their_reply_budget_is_in_debt():
    limits = Limits(cert_reply_bytes_per_s=1000, cert_reply_burst=1000)

    async def body(node):
        node.net.send(1, Kind.CERTIFICATES, b"c" * 5000)  # 5,000 bytes charged: 4 s of debt
        assert not node.net.may_reply(1, Kind.CERTIFICATES) and node.net.may_reply(2, Kind.CERTIFICATES)
        _, writer, sealer = await node.link(1, KEYS[1])
        writer.writelines(sealer.seal(bytes([Kind.SYNC_REQUEST]) + encode_round(1)))
        writer.writelines(sealer.seal(bytes([Kind.CERT_REQUEST]) + b"d" * 32))
        await writer.drain()
        await asyncio.sleep(0.3)
        writer.close()
        assert node.received == []
    run(body, limits)


def test_a_fast_peer_is_paced_not_dropped():
    limits = Limits(frames_per_s=100, frames_burst=10, kinds={})

    async def body(node):
        _, writer, sealer = await node.link(1, KEYS[1])
        started = time.monotonic()
        for i in range(40):
            writer.writelines(sealer.seal(bytes([Kind.VOTE]) + bytes([i]) * 96))
        await writer.drain()
        while len(node.received) < 40 and time.monotonic() - started < 5:
            await asyncio.sleep(0.02)
        elapsed = time.monotonic() - started
        writer.close()
        assert [b[0] for _, _, b in node.received] == list(range(40))  # all of them, in order
        assert elapsed >= 0.28  # 30 frames past the burst at 100 frames/s
    run(body, limits)


def test_refused_handshakes_are_logged_a_few_times_not_once_each(caplog):
    async def body(node):
        for claimed in range(20):
            reader, writer = await asyncio.open_connection("127.0.0.1", node.port)
            writer.write((100 + claimed).to_bytes(2, "big") + (0).to_bytes(2, "big") + b"e" * 32)
            assert await asyncio.wait_for(reader.read(), 3) == b""
            writer.close()

    with caplog.at_level(logging.WARNING, logger="dsn.network"):
        run(body)
    lines = [r.getMessage() for r in caplog.records if "refused a connection" in r.getMessage()]
    assert lines == [f"refused a connection: hello from {100 + i} for 0: not a link of this node" for i in range(5)]


def test_idle_unauthenticated_connections_cannot_lock_members_out():
    async def body(node):
        idle = [await asyncio.open_connection("127.0.0.1", node.port) for _ in range(network.MAX_HANDSHAKES + 6)]
        await asyncio.sleep(0.1)
        _, writer, sealer = await node.link(1, KEYS[1])  # evicts the oldest idle connection
        writer.writelines(sealer.seal(bytes([Kind.SYNC_REQUEST]) + encode_round(5)))
        await writer.drain()
        await asyncio.sleep(0.2)
        assert node.received == [(1, Kind.SYNC_REQUEST, encode_round(5))]
        closed = 0
        for reader, w in idle:
            try:
                closed += await asyncio.wait_for(reader.read(), 0.02) == b""
            except asyncio.TimeoutError:
                pass
            w.close()
        assert closed == 7  # 6 past the cap, then one more for the member's handshake
        writer.close()
    run(body)


def test_a_handshake_flood_gets_its_budget_per_address_and_claimed_member():
    async def body(node):
        answered = 0
        for _ in range(60):  # each handshake answered costs the node a key pair and a signature
            reader, writer = await asyncio.open_connection("127.0.0.1", node.port)
            writer.write((1).to_bytes(2, "big") + (0).to_bytes(2, "big") + b"e" * 32)
            answered += len(await asyncio.wait_for(reader.read(96), 3)) == 96
            writer.close()
        assert 40 <= answered <= 45  # the burst, plus what 10/s refilled meanwhile
        _, writer, sealer = await node.link(2, KEYS[2])  # another member is not locked out
        writer.writelines(sealer.seal(bytes([Kind.SYNC_REQUEST]) + encode_round(9)))
        await writer.drain()
        await asyncio.sleep(0.2)
        writer.close()
        assert node.received == [(2, Kind.SYNC_REQUEST, encode_round(9))]
    run(body)


def test_frames_sealed_into_one_buffer_are_the_frames_of_seal_and_open_in_order():
    key = bytes(range(32))
    sealer, twin, opener = secure_channel.Sealer(key), secure_channel.Sealer(key), secure_channel.Opener(key, 1000)
    messages = [b"a", b"bc" * 300, b"", b"d"]
    buf = bytearray(b"\xff" * (3 + sum(len(m) for m in messages) + secure_channel.FRAME_OVERHEAD * len(messages) + 5))
    pos = 3
    for m in messages:
        pos += sealer.seal_into(m, buf, pos)
    assert pos == 3 + sum(len(m) + secure_channel.FRAME_OVERHEAD for m in messages)
    assert bytes(buf[:3]) == b"\xff" * 3 and bytes(buf[pos:]) == b"\xff" * 5  # nothing written outside
    assert bytes(buf[3:pos]) == b"".join(b"".join(twin.seal(m)) for m in messages)
    opened, at = [], 3
    for _ in messages:
        size = int.from_bytes(buf[at:at + 4], "big")
        opened.append(opener.open(bytes(buf[at:at + 4]), bytes(buf[at + 4:at + 4 + size])))
        at += 4 + size
    assert opened == messages


def test_frames_of_any_size_split_anywhere_arrive_whole_and_in_order():
    rng = random.Random(5)
    sizes = [1_000, 300_000, 10, 700_000, *[rng.randint(1, 300) for _ in range(20)], 2_000_000, 5]
    messages = [bytes([Kind.BATCH]) + rng.randbytes(n) for n in sizes]
    messages[5:15] = [bytes([Kind.SYNC_REQUEST]) + encode_round(i) for i in range(10)]

    async def body(node):
        _, writer, sealer = await node.link(1, KEYS[1])
        stream = b"".join(b"".join(sealer.seal(m)) for m in messages)
        pos = 0
        while pos < len(stream):  # chunks cut across frame headers and bodies, with pauses between some
            n = rng.choice([1, 3, 4, 5, 1000, 65_536, 300_000])
            writer.write(stream[pos:pos + n])
            pos += n
            if rng.random() < 0.3:
                await writer.drain()
                await asyncio.sleep(0.001)
        await writer.drain()
        for _ in range(200):
            if len(node.received) == len(messages):
                break
            await asyncio.sleep(0.05)
        writer.close()
        assert [(p, k, bytes(b)) for p, k, b in node.received] == [(1, Kind(m[0]), m[1:]) for m in messages]
    run(body)
