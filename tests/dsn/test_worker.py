"""Worker: sealing by size and delay, acknowledgement quorum, strict validation, serving and fetching."""

import asyncio

import pytest

from dsn import codec
from dsn.config import Parameters
from dsn.store import Store
from dsn.wire import Kind, decode_digests, decode_worker_batch, encode_digests, encode_worker_batch
from dsn.worker import Worker
from kernel_py.formats.limits import SizeLimits, size_limits
from tests.dsn.test_primary import FakeNet


def make_worker(tmp_path, limits: SizeLimits = size_limits(4, 50), **params):
    store = Store(tmp_path / "db", map_size=1 << 26)
    net = FakeNet()
    reported, stored = [], []
    w = Worker(0, [1000] * 4, 2667, Parameters(**params), store, net,
               lambda d, wid, size: reported.append(d), stored.append, limits)
    return w, store, net, reported, stored


def test_seals_by_size_and_reports_after_the_ack_quorum(tmp_path):
    async def run():
        w, store, net, reported, _ = make_worker(tmp_path, batch_size=100)
        f1 = w.submit(b"a" * 40)
        f2 = w.submit_encoded(codec.encode_batch_fast([b"b" * 30, b"c" * 30]))
        assert f1 is f2 and not f1.done()  # same open batch; sealed at ≥ 100 encoded bytes
        [(peer, body)] = net.of_kind(Kind.BATCH)
        assert peer is None  # broadcast
        wid, encoded = decode_worker_batch(body)
        assert wid == 0 and encoded == codec.encode_batch_fast([b"a" * 40, b"b" * 30, b"c" * 30])
        digest = codec.digest(encoded)
        assert store.get_batch(digest) == encoded
        w.handle(1, Kind.BATCH_ACK, digest)
        w.handle(1, Kind.BATCH_ACK, digest)  # a repeated ack counts once
        assert reported == [] and not f1.done()
        w.handle(2, Kind.BATCH_ACK, digest)
        assert reported == [digest] and f1.result() == digest
        store.close()

    asyncio.run(run())


def test_seals_after_the_max_delay(tmp_path):
    async def run():
        w, store, net, _, _ = make_worker(tmp_path, max_batch_delay_ms=20)
        w.start()
        w.submit(b"tx")
        await asyncio.sleep(0.1)
        assert len(net.of_kind(Kind.BATCH)) == 1
        await w.stop()
        store.close()

    asyncio.run(run())


def test_peer_batches_are_validated_stored_acked_and_served(tmp_path):
    async def run():
        w, store, net, _, stored = make_worker(tmp_path)
        good = codec.encode_batch_fast([b"x", b"yy"])
        w.handle(2, Kind.BATCH, encode_worker_batch(0, good))
        d = codec.digest(good)
        assert store.get_batch(d) == good and stored == [d] and net.of_kind(Kind.BATCH_ACK) == [(2, d)]
        bad = good + b"\x00"
        with pytest.raises(ValueError):
            w.handle(2, Kind.BATCH, encode_worker_batch(0, bad))
        assert store.get_batch(codec.digest(bad)) is None
        with pytest.raises(ValueError):
            w.handle(2, Kind.BATCH, encode_worker_batch(5, good))  # unknown worker id
        w.handle(3, Kind.BATCH_REQUEST, encode_digests([d, b"\x09" * 32]))
        assert net.of_kind(Kind.BATCH_DELIVERY) == [(3, encode_worker_batch(0, good))]
        net.reply_budget = False  # the requester's reply budget is spent: nothing more is read or sent
        w.handle(3, Kind.BATCH_REQUEST, encode_digests([d]))
        assert len(net.of_kind(Kind.BATCH_DELIVERY)) == 1
        store.close()

    asyncio.run(run())


def test_missing_batches_are_requested_after_a_delay_rotating_sources(tmp_path):
    async def run():
        w, store, net, _, _ = make_worker(tmp_path, sync_retry_delay_ms=30)
        w.start()
        missing = b"\x07" * 32
        w.want([missing], [0, 2, 3])  # 0 is this node: never asked
        await asyncio.sleep(0.045)
        assert net.of_kind(Kind.BATCH_REQUEST) == []  # probably in flight: not asked at once
        for _ in range(200):  # the second and third sweeps (poll: the machine may be busy)
            await asyncio.sleep(0.01)
            if len(net.of_kind(Kind.BATCH_REQUEST)) >= 2:
                break
        asked = [(p, decode_digests(b)) for p, b in net.of_kind(Kind.BATCH_REQUEST)]
        assert asked[:2] == [(2, [missing]), (3, [missing])]
        w.handle(3, Kind.BATCH_DELIVERY, encode_worker_batch(0, codec.encode_batch_fast([b"z"])))
        assert missing in w.wanted  # another batch: still wanted
        for _ in range(300):  # 5 rounds of both sources, then it is forgotten
            await asyncio.sleep(0.01)
            if missing not in w.wanted:
                break
        asked = [(p, decode_digests(b)) for p, b in net.of_kind(Kind.BATCH_REQUEST)]
        assert missing not in w.wanted and asked == [(2, [missing]), (3, [missing])] * 5
        await w.stop()
        store.close()

    asyncio.run(run())


def test_batches_short_of_their_quorum_are_sent_again_to_silent_peers(tmp_path):
    async def run():
        w, store, net, reported, _ = make_worker(tmp_path, batch_size=1, sync_retry_delay_ms=20)
        w.start()
        w.submit(b"tx").cancel()  # a client gave up waiting: the batch still goes on
        [(_, message)] = net.of_kind(Kind.BATCH)
        digest = codec.digest(decode_worker_batch(message)[1])
        w.handle(1, Kind.BATCH_ACK, digest)
        for _ in range(200):
            await asyncio.sleep(0.01)
            if len(net.of_kind(Kind.BATCH)) >= 3:
                break
        assert net.of_kind(Kind.BATCH)[1:3] == [(2, message), (3, message)]  # not peer 1: it acked
        w.handle(3, Kind.BATCH_ACK, digest)
        assert reported == [digest]
        sent = len(net.of_kind(Kind.BATCH))
        await asyncio.sleep(0.1)
        assert len(net.of_kind(Kind.BATCH)) == sent  # quorum reached: no more re-sends
        await w.stop()
        store.close()

    asyncio.run(run())


def test_unreferenced_peer_batches_expire_and_named_ones_stay(tmp_path, monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr("dsn.worker.time.time", lambda: now[0])

    async def run():
        w, store, net, _, _ = make_worker(tmp_path, unreferenced_batch_ttl_ms=60_000)
        a, b = codec.encode_batch_fast([b"a" * 1000]), codec.encode_batch_fast([b"b" * 1000])
        w.handle(1, Kind.BATCH, encode_worker_batch(0, a))
        now[0] += 30
        w.handle(2, Kind.BATCH, encode_worker_batch(0, b))
        w.want([codec.digest(a)], [1])  # a certificate names a
        now[0] += 31  # a arrived 61 s ago (named), b 31 s ago
        w._expire_unreferenced()
        assert store.has_batch(codec.digest(a)) and store.has_batch(codec.digest(b))
        store.close()
        # after a restart, b's arrival time is still known
        w, store, net, _, _ = make_worker(tmp_path, unreferenced_batch_ttl_ms=60_000)
        assert list(w.unreferenced) == [codec.digest(b)]
        now[0] += 28.5  # b arrived 59.5 s ago
        w._expire_unreferenced()
        assert store.has_batch(codec.digest(b))
        now[0] += 0.5  # 60 s
        w._expire_unreferenced()
        assert not store.has_batch(codec.digest(b)) and store.has_batch(codec.digest(a))
        assert store.unreferenced() == [] and w.unreferenced_bytes == [0] * 4
        store.close()

    asyncio.run(run())


def test_a_peer_cannot_park_more_than_its_quota_of_unreferenced_batches(tmp_path):
    async def run():
        w, store, net, _, _ = make_worker(tmp_path, unreferenced_bytes_per_peer=2500)
        batches = [codec.encode_batch_fast([bytes([i]) * 1000]) for i in range(4)]
        w.handle(1, Kind.BATCH, encode_worker_batch(0, batches[0]))
        w.handle(1, Kind.BATCH, encode_worker_batch(0, batches[1]))
        with pytest.raises(ValueError, match="2,016 bytes of its batches are not named by any certificate"):
            w.handle(1, Kind.BATCH, encode_worker_batch(0, batches[2]))
        assert not store.has_batch(codec.digest(batches[2]))
        w.handle(2, Kind.BATCH, encode_worker_batch(0, batches[2]))  # another peer has its own quota
        assert [b for _, b in net.of_kind(Kind.BATCH_ACK)] == [codec.digest(batches[i]) for i in (0, 1, 2)]
        w.want([codec.digest(batches[0])], [1])  # named: no longer counted
        w.handle(1, Kind.BATCH, encode_worker_batch(0, batches[3]))
        assert store.has_batch(codec.digest(batches[3]))
        # a batch wanted because a certificate names it is stored whatever the quota
        big = codec.encode_batch_fast([b"w" * 5000])
        w.want([codec.digest(big)], [1])
        w.handle(1, Kind.BATCH_DELIVERY, encode_worker_batch(0, big))
        assert store.has_batch(codec.digest(big)) and codec.digest(big) not in w.unreferenced
        store.close()

    asyncio.run(run())


def test_size_limits_refuse_large_transactions_and_split_submitted_batches(tmp_path):
    async def run():
        limits = SizeLimits(max_tx=42, max_batch=50, max_header_payload=50, max_header_batches=32)
        w, store, net, _, _ = make_worker(tmp_path, limits)
        with pytest.raises(ValueError, match="limit for this committee is 1 to 42 bytes"):
            w.submit(b"x" * 43)
        too_big = codec.encode_batch_fast([b"a" * 10, b"b" * 43])
        with pytest.raises(ValueError, match="43 bytes"):
            w.submit_encoded(too_big)
        assert w.count == 0 and net.sent == []  # nothing of a refused batch is queued
        w.submit(b"z" * 42)  # exactly the limit: one full batch (4 + 4 + 42 = 50 bytes)
        # 6 × 14-byte entries: at most 3 fit in a batch's 46 entry bytes
        w.submit_encoded(codec.encode_batch_fast([bytes([65 + i]) * 10 for i in range(6)]))
        w._seal()
        sealed = [decode_worker_batch(b)[1] for _, b in net.of_kind(Kind.BATCH)]
        assert sealed == [codec.encode_batch_fast([b"z" * 42]),
                          codec.encode_batch_fast([bytes([65 + i]) * 10 for i in range(3)]),
                          codec.encode_batch_fast([bytes([65 + i]) * 10 for i in range(3, 6)])]
        assert all(len(b) <= 50 for b in sealed)
        # a peer's batch above the limit is refused (never stored, never acknowledged)
        with pytest.raises(ValueError, match="above the limit"):
            w.handle(1, Kind.BATCH, encode_worker_batch(0, codec.encode_batch_fast([b"p" * 30, b"q" * 30])))
        assert len(net.of_kind(Kind.BATCH_ACK)) == 0
        store.close()

    asyncio.run(run())


def test_batches_are_capped_at_a_share_of_the_header_payload_so_headers_fill(tmp_path):
    async def run():
        limits = SizeLimits(max_tx=92, max_batch=100, max_header_payload=100, max_header_batches=32)
        w, store, net, _, _ = make_worker(tmp_path, limits, batch_size=60)  # 60 B: two 50-byte batches per header
        assert (w.batch_cap, w.seal_size) == (50, 50)
        w.submit_encoded(codec.encode_batch_fast([bytes([65 + i]) * 10 for i in range(6)]))
        w._seal()
        sealed = [decode_worker_batch(b)[1] for _, b in net.of_kind(Kind.BATCH)]
        assert sealed == [codec.encode_batch_fast([bytes([65 + i]) * 10 for i in range(3)]),
                          codec.encode_batch_fast([bytes([65 + i]) * 10 for i in range(3, 6)])]
        assert [len(b) for b in sealed] == [46, 46]
        w.submit(b"z" * 92)  # a transaction above the cap still goes, alone, within the batch limit
        assert w.count == 0 and len(decode_worker_batch(net.of_kind(Kind.BATCH)[-1][1])[1]) == 100
        store.close()

    asyncio.run(run())


def test_the_seal_timer_waits_while_the_header_queue_is_full(tmp_path):
    async def run():
        w, store, net, _, _ = make_worker(tmp_path, max_batch_delay_ms=20)
        w.start()
        w.set_backlog(True)
        w.submit(b"partial")
        await asyncio.sleep(0.2)
        assert net.of_kind(Kind.BATCH) == []  # not sealed at 20 ms: more transactions may fill it meanwhile
        w.set_backlog(False)
        await asyncio.sleep(0.1)
        [(_, body)] = net.of_kind(Kind.BATCH)
        assert codec.decode_batch(decode_worker_batch(body)[1]).transactions == [b"partial"]
        await w.stop()
        store.close()

    asyncio.run(run())


def test_submitted_batches_top_up_the_open_batch(tmp_path):
    async def run():
        limits = SizeLimits(max_tx=92, max_batch=100, max_header_payload=100, max_header_batches=32)
        w, store, net, _, _ = make_worker(tmp_path, limits)
        txs = [bytes([65 + i]) * 10 for i in range(14)]  # 14-byte entries: 6 fill a batch's 96 entry bytes
        w.submit_encoded(codec.encode_batch_fast(txs[:4]))
        w.submit_encoded(codec.encode_batch_fast(txs[4:]))  # 2 join the open batch, then 6, then 2 stay open
        w._seal()
        sealed = [codec.decode_batch(decode_worker_batch(b)[1]).transactions for _, b in net.of_kind(Kind.BATCH)]
        assert sealed == [txs[:6], txs[6:12], txs[12:]]
        store.close()

    asyncio.run(run())


@pytest.mark.parametrize("open_txs, sizes", [(0, [20] * 40), (3, [20] * 40), (5, [7] * 17), (0, [96] * 16)])
def test_a_batch_of_equal_transactions_is_split_as_by_the_entry_walk(tmp_path, monkeypatch, open_txs, sizes):
    """submit_encoded counts runs of equal-length transactions instead of walking them: the sealed
    batches, futures and metrics are those of the walk (forced with uniform_entry_size → None)."""
    limits = SizeLimits(max_tx=96, max_batch=100, max_header_payload=100, max_header_batches=32)
    batch = codec.encode_batch_fast([bytes([i % 251]) * s for i, s in enumerate(sizes)])
    assert codec.uniform_entry_size(batch) == sizes[0]

    def sealed(path, walk):
        async def run():
            if walk:
                monkeypatch.setattr(codec, "uniform_entry_size", lambda b: None)
            w, store, net, _, _ = make_worker(path, limits)
            for k in range(open_txs):
                w.submit(bytes([200 + k]) * 3)
            f = w.submit_encoded(batch)
            w._seal()
            monkeypatch.undo()
            out = ([decode_worker_batch(b)[1] for _, b in net.of_kind(Kind.BATCH)], w.metrics.txs._value.get(),
                   isinstance(f, asyncio.Future) and not isinstance(f, asyncio.Task))
            store.close()
            return out
        return asyncio.run(run())

    assert sealed(tmp_path / "a", False) == sealed(tmp_path / "b", True)


def test_check_batch_takes_the_uniform_path_only_for_valid_batches():
    ok = codec.encode_batch_fast([b"x" * 9] * 16)
    assert codec.uniform_entry_size(ok) == 9
    assert codec.uniform_entry_size(codec.encode_batch_fast([b"x" * 9] * 15)) is None  # below MIN_UNIFORM
    mixed = codec.encode_batch_fast([b"x" * 9] * 15 + [b"y" * 9 + b"z"])
    assert codec.uniform_entry_size(mixed) is None
    codec.check_batch(mixed)  # valid: the walk accepts it
    # one length field changed keeps the total but breaks the walk: refused by both
    bad = bytearray(ok)
    bad[4 + 13 * 3 + 3] = 8
    bad[4 + 13 * 4 + 3] = 10
    assert codec.uniform_entry_size(bytes(bad)) is None
    with pytest.raises(ValueError, match="malformed"):
        codec.check_batch(bytes(bad))
    for broken in (ok[:-1], ok + b"\0", b"\0\0\0\x11" + ok[4:], ok[:4] + b"\0\0\0\0" + ok[8:]):
        assert codec.uniform_entry_size(broken) is None
        with pytest.raises(ValueError, match="malformed"):
            codec.check_batch(broken)


def test_batches_are_reported_in_the_order_they_were_sealed(tmp_path):
    async def run():
        w, store, net, reported, _ = make_worker(tmp_path, batch_size=100, sync_retry_delay_ms=20)
        futures = [w.submit(bytes([i]) * 100) for i in range(3)]  # one sealed batch each
        messages = [b for _, b in net.of_kind(Kind.BATCH)]
        digests = [codec.digest(decode_worker_batch(m)[1]) for m in messages]
        assert len(digests) == 3
        for peer in (1, 2):  # the second and third batches reach their quorum first: they wait
            w.handle(peer, Kind.BATCH_ACK, digests[2])
            w.handle(peer, Kind.BATCH_ACK, digests[1])
        w.handle(1, Kind.BATCH_ACK, digests[0])
        assert reported == [] and not any(f.done() for f in futures)
        w.start()
        await asyncio.sleep(0.1)
        await w.stop()
        assert set(net.sent[3:]) == {(2, Kind.BATCH, messages[0]), (3, Kind.BATCH, messages[0])}  # re-sent
        w.handle(3, Kind.BATCH_ACK, digests[0])
        assert reported == digests and [f.result() for f in futures] == digests
        store.close()

    asyncio.run(run())
