"""DAL slot framing (FORMATS.md §2.2) and the DAL backend's packing, input checks and publisher keys."""

from __future__ import annotations

import asyncio
import json
import random
import threading
from collections import deque

import pytest
from pytezos.crypto.encoding import base58_decode

from dsn.sequencer.dal_backend import (
    ZERO_BRANCH,
    DalBackend,
    DalError,
    DalParams,
    DalRpc,
    pack,
    publisher_hash,
    slot_body,
    split_slots,
)
from dsn.sequencer.dal_slots import pack_slots, record, slot_bitmap, unpack_slot
from dsn.sequencer.setup_file import dal_publishers_value
from pvm_host.dal import DalParameters
from pvm_host.l1_sim.chain import L1Profile, LocalL1
from pvm_host.l1_sim.dal_node import DalNode
from tests.sequencer.local_dal import Levels, LocalDalRpc
from tezos_l1.forge import forge_unsigned
from tezos_l1.keys import Key


def test_records_pack_greedily_without_spanning_slots() -> None:
    contents = [b"\x01" * 10, b"\x02" * 20, b"\x03" * 5]
    assert record(contents[0]) == b"\x00\x0a" + contents[0]
    slots = pack_slots(contents, 34)  # 12 + 22 fit; 7 does not
    assert slots == [record(contents[0]) + record(contents[1]), record(contents[2])]
    assert [unpack_slot(s + bytes(9)) for s in slots] == [contents[:2], contents[2:]]
    assert unpack_slot(b"\x00\x05abc") == [] and unpack_slot(b"\x00\x01x\x00\x09y") == [b"x"]
    with pytest.raises(ValueError, match="does not fit"):
        pack_slots([bytes(40)], 34)
    with pytest.raises(ValueError, match="1 to 65535"):
        record(b"")


def test_backend_pack_takes_at_most_one_slot_per_index() -> None:
    queue = deque([bytes(10)] * 7)
    assert pack(queue, 25, 2) == [[bytes(10)] * 2] * 2 and len(queue) == 3
    with pytest.raises(ValueError, match="does not fit"):
        pack(deque([bytes(30)]), 25, 1)


def test_backend_pack_full_only_leaves_the_last_unfilled_slot_queued() -> None:
    """A slot is full when the queue's next record does not fit in it; the records of a slot that is
    not are left at the queue's front, in order."""
    items = [bytes([i]) * 10 for i in range(5)]  # 12-byte records: two fill a 25-byte slot
    queue = deque(items)
    assert pack(queue, 25, 5, full_only=True) == [items[0:2], items[2:4]] and list(queue) == items[4:]
    queue = deque(items[:4])
    assert pack(queue, 25, 5, full_only=True) == [items[0:2]] and list(queue) == items[2:4]
    queue = deque(items)
    assert pack(queue, 25, 1, full_only=True) == [items[0:2]] and list(queue) == items[2:]
    queue = deque(items[:2])
    assert pack(queue, 25, 5, full_only=True) == [] and list(queue) == items[:2]


def test_slot_bitmap_and_publishers() -> None:
    assert slot_bitmap([0, 7, 8]) == b"\x81\x01" and slot_bitmap([]) == b""
    with pytest.raises(ValueError):
        slot_bitmap([256])
    key = Key(bytes(32))
    assert dal_publishers_value([key.address]) == b"\x00" + base58_decode(key.address.encode())
    with pytest.raises(ValueError, match="bad DAL publisher"):
        dal_publishers_value(["tz1x"])


class _Rollup:
    address = bytes(range(20))

    async def pending(self) -> int:
        return 2


def test_backend_queues_only_its_rollups_frames() -> None:
    params = DalParams(16, 2, 1000, 100)
    with pytest.raises(ValueError, match="outside 0"):
        DalBackend(_Rollup(), DalRpc("http://x", "http://x"), Key(bytes(32)), [16], params)  # type: ignore[arg-type]
    backend = DalBackend(_Rollup(), DalRpc("http://x", "http://x"), Key(bytes(32)), [3, 1], params)  # type: ignore[arg-type]
    assert backend.slots == [1, 3]
    asyncio.run(backend.inject([b"\x00" + bytes(range(20)) + b"\x01page"]))
    assert list(backend.queue) == [b"\x01page"] and asyncio.run(backend.pending()) == 3
    with pytest.raises(ValueError, match="addressed to this rollup"):
        asyncio.run(backend.inject([b"\x00" + bytes(20) + b"\x01page"]))


def test_slot_runs_per_publisher_key() -> None:
    assert split_slots([0, 1, 2, 3, 4], 2) == [[0, 1, 2], [3, 4]]
    assert split_slots(list(range(32)), 4) == [list(range(8 * k, 8 * k + 8)) for k in range(4)]
    with pytest.raises(ValueError, match="at most one key per slot"):
        split_slots([1, 2], 3)
    with pytest.raises(ValueError, match="distinct"):
        DalBackend(_Rollup(), DalRpc("http://x", "http://x"), [Key(bytes(32))] * 2, [1, 2], DalParams(16, 2, 1000, 100))  # type: ignore[arg-type]


def test_several_publisher_keys_one_operation_each_per_level() -> None:
    """Two keys, in the kernel's reading order (ascending key hash): each publishes its run of slots in
    its own operation; when one key's operation is refused (its source already has one in the block),
    its slots go back to the front of the queue, nothing more is published until the headers in flight
    are found, then the refused slots go first; all are attested."""
    params = DalParameters(8, 2, 4 * 3967, 3967)
    l1 = LocalL1(L1Profile("t", 1.0, params), DalNode(params))
    rpc = LocalDalRpc(l1)
    a, b = Key(bytes([1]) * 32), Key(bytes([2]) * 32)
    assert publisher_hash(b) < publisher_hash(a)
    levels = Levels(bytes(range(20)))
    backend = DalBackend(levels, rpc, [a, b], [5, 1, 2, 3], rpc.parameters())  # type: ignore[arg-type]
    assert [(p.key.address, p.slots) for p in backend.publishers] == [(b.address, [1, 2]), (a.address, [3, 5])]
    records = [bytes([n]) * 7000 for n in range(6)]  # two records per slot: three slots
    asyncio.run(backend.inject([b"\x00" + bytes(range(20)) + r for r in records]))
    reveal_a = forge_unsigned(ZERO_BRANCH, [{"kind": "reveal", "source": a.address, "fee": "400", "counter": "1",
                                             "gas_limit": "1000", "storage_limit": "0", "public_key": a.public_key}])
    l1.inject(reveal_a + a.sign_operation(reveal_a))  # a already has an operation in block 1

    asyncio.run(backend.publish(1))
    assert [(s.index, s.source, s.contents) for s in backend.in_flight] == [(1, b.address, records[0:2]),
                                                                           (2, b.address, records[2:4])]
    assert list(backend.queue) == records[4:6] and backend.stats.refused == 1
    _, _, report = l1.build_block(1, [])
    assert report.dal_published == [1, 2] and report.operations == 2
    more = [bytes([n]) * 7000 for n in range(6, 10)]
    asyncio.run(backend.inject([b"\x00" + bytes(range(20)) + r for r in more]))
    asyncio.run(backend.publish(2))  # the headers of block 1 are not found yet: nothing is published
    assert len(backend.in_flight) == 2 and len(backend.queue) == 6 and backend.stats.operations == 1
    asyncio.run(backend.follow(1))
    assert [s.published for s in backend.in_flight] == [1, 1]
    asyncio.run(backend.publish(2))  # the refused slots first; a again (counter re-read, reveal again)
    _, _, report = l1.build_block(2, [])
    assert report.dal_published == [1, 2, 3] and report.operations == 2
    assert [(s.index, s.contents) for s in backend.in_flight[2:]] == [(1, records[4:6]), (2, more[0:2]), (3, more[2:4])]
    assert backend.stats.operations == 3 and backend.stats.slots == 5
    for level in (3, 4):
        l1.build_block(level, [])
        asyncio.run(backend.follow(level))
    assert backend.in_flight == [] and backend.stats.attested == 5 and backend.stats.reposted == 0
    padding = bytes(params.slot_size - 2 * 7002)
    assert l1.dal.content(2, 1) == pack_slots(records[4:6], params.slot_size)[0] + padding
    assert l1.dal.content(2, 3) == pack_slots(more[2:4], params.slot_size)[0] + padding


def test_slot_body_is_octez_json() -> None:
    data = bytes([0, 1, 255, 10, 200])
    assert slot_body(data) == json.dumps({"invalid_utf8_string": list(data)}, separators=(",", ":")).encode()
    assert json.loads(slot_body(b'pages "\xc3\xa9"')) == 'pages "é"'
    assert slot_body(b"") == b'""'


class _HeldFirstInjection(LocalDalRpc):
    """The first operation injected is held back (as a mempool may leave it for a later block) until released."""

    def __init__(self, l1: LocalL1) -> None:
        super().__init__(l1)
        self.held: bytes | None = None
        self.holding = True

    def inject(self, signed: bytes) -> str:
        if self.holding:
            self.holding, self.held = False, signed
            return "held"
        return super().inject(signed)

    def release(self) -> None:
        assert self.held is not None
        self.l1.inject(self.held)


def test_slots_published_before_earlier_contents_are_posted_again() -> None:
    """Key b publishes the first run, key a the next; b's operation lands a block later than a's, so a's
    slot would be read by the kernel before the contents ahead of it: it is posted again, after them,
    once b's headers are found."""
    params = DalParameters(8, 2, 4 * 3967, 3967)
    l1 = LocalL1(L1Profile("t", 1.0, params), DalNode(params))
    rpc = _HeldFirstInjection(l1)
    a, b = Key(bytes([1]) * 32), Key(bytes([2]) * 32)
    levels = Levels(bytes(range(20)))
    backend = DalBackend(levels, rpc, [a, b], [1, 2, 3], rpc.parameters())  # type: ignore[arg-type]
    records = [bytes([n]) * 7000 for n in range(6)]  # two records per slot: three slots
    asyncio.run(backend.inject([b"\x00" + bytes(range(20)) + r for r in records]))
    asyncio.run(backend.publish(1))
    _, _, report = l1.build_block(1, [])
    assert report.dal_published == [3]  # only a's operation made block 1
    asyncio.run(backend.follow(1))
    assert [s.index for s in backend.in_flight] == [1, 2] and list(backend.queue) == records[4:6]
    assert backend.stats.reposted == 1
    asyncio.run(backend.publish(1))  # b's headers are not found yet: nothing is published
    assert backend.stats.operations == 2 and list(backend.queue) == records[4:6]
    rpc.release()
    _, _, report = l1.build_block(2, [])
    assert report.dal_published == [1, 2]
    asyncio.run(backend.follow(2))
    assert [s.published for s in backend.in_flight] == [2, 2]
    asyncio.run(backend.publish(2))
    _, _, report = l1.build_block(3, [])
    assert report.dal_published == [1] and backend.stats.refused == 0
    for level in (4, 5):
        l1.build_block(level, [])
        asyncio.run(backend.follow(level))
    assert backend.in_flight == [] and backend.stats.reposted == 1 and backend.stats.attested == 3
    padding = bytes(params.slot_size - 2 * 7002)
    assert l1.dal.content(3, 1) == pack_slots(records[4:6], params.slot_size)[0] + padding


def test_published_level_is_found_by_commitment_not_by_index() -> None:
    """A slot's published level is the block holding its own header (source, index and commitment): not
    the block where the same index carries this key's previous slot, nor one where another publisher
    used the index first."""
    params = DalParameters(8, 2, 4 * 3967, 3967)
    l1 = LocalL1(L1Profile("t", 1.0, params), DalNode(params))
    rpc = _HeldFirstInjection(l1)
    rpc.holding = False
    key, stranger = Key(bytes([1]) * 32), Key(bytes([3]) * 32)
    levels = Levels(bytes(range(20)))
    backend = DalBackend(levels, rpc, key, [1], rpc.parameters())  # type: ignore[arg-type]
    first, second = bytes([7]) * 9000, bytes([8]) * 9000
    asyncio.run(backend.inject([b"\x00" + bytes(range(20)) + first]))
    asyncio.run(backend.publish(0))
    l1.build_block(1, [])
    asyncio.run(backend.follow(1))
    assert [(s.index, s.published) for s in backend.in_flight] == [(1, 1)]
    asyncio.run(backend.inject([b"\x00" + bytes(range(20)) + second]))
    rpc.holding = True  # this operation misses the next block
    asyncio.run(backend.publish(1))  # head 1, whose block has this key's previous header for slot 1
    asyncio.run(backend.follow(1))
    assert [s.published for s in backend.in_flight] == [1, None]
    commitment, proof = rpc.post_slot(b"not ours", 1)
    op = forge_unsigned(ZERO_BRANCH, [
        {"kind": "reveal", "source": stranger.address, "fee": "400", "counter": "1", "gas_limit": "1000",
         "storage_limit": "0", "public_key": stranger.public_key},
        {"kind": "dal_publish_commitment", "source": stranger.address, "fee": "400", "counter": "2",
         "gas_limit": "1160", "storage_limit": "0",
         "slot_header": {"slot_index": 1, "commitment": commitment, "commitment_proof": proof}}])
    l1.inject(op + stranger.sign_operation(op))
    l1.build_block(2, [])  # slot 1 of level 2: the stranger's header
    asyncio.run(backend.follow(2))
    assert rpc.status(2, 1) == "waiting_attestation" and [s.published for s in backend.in_flight] == [1, None]
    rpc.release()
    l1.build_block(3, [])
    asyncio.run(backend.follow(3))  # the first slot is attested and imported (3 >= 1 + lag)
    assert [(s.index, s.published) for s in backend.in_flight] == [(1, 3)] and backend.stats.attested == 1
    for level in (4, 5):
        l1.build_block(level, [])
        asyncio.run(backend.follow(level))
    assert backend.in_flight == [] and backend.stats.attested == 2 and backend.stats.reposted == 0
    assert l1.dal.content(3, 1) == pack_slots([second], params.slot_size)[0] + bytes(params.slot_size - 9002)


def _preblock(index: int) -> list[bytes]:
    """Stand-in contents of pre-block ``index``: two pages, then its announcement."""
    return [b"\x01" + bytes([index % 256]) * 4000, b"\x01" + bytes([index % 256]) * 3000,
            b"\x02" + index.to_bytes(8, "big") + bytes(32)]


def test_drop_applied_skips_the_preblocks_the_kernel_applied() -> None:
    levels = Levels(bytes(range(20)))
    backend = DalBackend(levels, DalRpc("http://x", "http://x"), Key(bytes(32)), [1],  # type: ignore[arg-type]
                         DalParams(16, 2, 20000, 4000))
    backend.queue.extend(_preblock(1)[1:] + _preblock(2) + _preblock(3) + _preblock(4)[:1])
    assert asyncio.run(backend.drop_applied()) == 0  # the kernel applied nothing yet
    levels.applied = 2
    assert asyncio.run(backend.drop_applied()) == 2  # the rest of 1 (its last page) and all of 2
    assert list(backend.queue) == _preblock(3) + _preblock(4)[:1]
    levels.applied = 9
    assert asyncio.run(backend.drop_applied()) == 1  # 4's announcement is not queued yet: its page stays
    assert list(backend.queue) == _preblock(4)[:1] and backend.stats.dropped == 3


def _announcements_read(l1: LocalL1, message: bytes) -> list[int]:
    """The announcements the kernel reads, in order, from one ``Dal_attested_slots`` message: per
    publisher entry (pkh, zarith slot bitset) in the message's order, the slots by index."""
    assert message[:2] == b"\x00\x05"
    body, out = message[2:], []
    published, pos = int.from_bytes(body[0:4], "big"), 16
    while pos < len(body):
        pos += 21
        bits, shift, more = 0, 0, True
        while more:
            b = body[pos]
            pos += 1
            width = 6 if shift == 0 else 7
            bits |= (b & ((1 << width) - 1)) << shift
            shift += width
            more = b >= 0x80
        for index in (i for i in range(shift) if bits >> i & 1):
            slot = l1.dal.attested_slot(published, index)
            assert slot is not None
            out += [int.from_bytes(c[1:9], "big") for c in unpack_slot(slot) if c[:1] == b"\x02"]
    return out


class _RacingRpc(LocalDalRpc):
    """Injections racing the L1: before an injection, with probability ``rate``, the next block is made
    first (the operation then lands a block later than those injected before it, and is still pending
    when the poster sees the new level)."""

    def __init__(self, l1: LocalL1, make_block, rate: float, seed: int) -> None:  # type: ignore[no-untyped-def]
        super().__init__(l1)
        self.make_block = make_block
        self.rate = rate
        self.rng = random.Random(seed)
        self.races = 0

    def inject(self, signed: bytes) -> str:
        if self.rng.random() < self.rate:
            self.races += 1
            self.make_block()
        return super().inject(signed)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_two_keys_racing_blocks_feed_the_kernel_every_preblock_once_in_order(seed: int) -> None:
    """Two publisher keys (given in the order opposite to their key hashes) whose operations race the
    L1's blocks: the kernel reads every pre-block's announcement exactly once, in index order, so its
    index rule refuses nothing (no entry in /rejections/count)."""
    params = DalParameters(8, 2, 4 * 3967, 3967)
    l1 = LocalL1(L1Profile("t", 1.0, params), DalNode(params))
    levels = Levels(bytes(range(20)))
    read: list[int] = []
    second_key = []  # levels whose block has headers of the second key (slots 2-3)

    def make_block() -> None:
        levels.current += 1
        _, tail, report = l1.build_block(levels.current, [])
        if set(report.dal_published) & {2, 3}:
            second_key.append(levels.current)
        for message in tail:
            read.extend(_announcements_read(l1, message))
        while levels.applied + 1 in read[levels.applied:]:  # the kernel's index rule, in reading order
            levels.applied += 1

    rpc = _RacingRpc(l1, make_block, 0.3, seed)
    a, b = Key(bytes([1]) * 32), Key(bytes([2]) * 32)
    backend = DalBackend(levels, rpc, [a, b], [0, 1, 2, 3], rpc.parameters())  # type: ignore[arg-type]
    total, index = 100, 0

    async def drive() -> None:
        nonlocal index
        for _ in range(200):
            if index == total and not backend.queue and not backend.in_flight:
                return
            for _ in range(min(5, total - index)):  # 5 pre-blocks: 3 slots, both keys
                index += 1
                await backend.inject([b"\x00" + bytes(range(20)) + c for c in _preblock(index)])
            head = levels.current
            await backend.follow(head)
            await backend.publish(head)
            if levels.current == head:  # else an injection raced this level's block: the next level comes next
                make_block()

    asyncio.run(drive())
    assert rpc.races > 5 and len(second_key) > 10
    assert read == list(range(1, total + 1)) and levels.applied == total
    assert backend.stats.reposted == 0 and backend.stats.refused == 0


class _CannedRpc(DalRpc):
    """:class:`DalRpc` whose GET answers are canned JSON (octez's shapes)."""

    def __init__(self, answer: object) -> None:
        super().__init__("http://dal", "http://l1")
        self.answer = answer
        self.urls: list[str] = []

    def _call(self, url: str, method: str = "GET", body: object = None) -> object:
        self.urls.append(url)
        return self.answer


def test_publications_read_the_applied_headers_of_a_block() -> None:
    """octez's ``operations/3``: applied ``dal_publish_commitment`` contents only (a failed one, e.g. a
    duplicate index, and other kinds are left out; the local L1 has no metadata: applied)."""
    def publish(source: str, index: int, commitment: str, status: str | None) -> dict:
        c = {"kind": "dal_publish_commitment", "source": source, "counter": "7",
             "slot_header": {"slot_index": index, "commitment": commitment, "commitment_proof": "00"}}
        return c | ({"metadata": {"operation_result": {"status": status}}} if status else {})
    ops = [{"hash": "oo1", "contents": [{"kind": "reveal", "source": "tz1a", "public_key": "edpk"},
                                        publish("tz1a", 3, "sh1x", "applied")]},
           {"hash": "oo2", "contents": [publish("tz1b", 3, "sh1y", "failed")]},
           {"hash": "oo3", "contents": [publish("tz1c", 5, "sh1z", None)]},
           {"hash": "oo4", "contents": [{"kind": "transaction", "source": "tz1d", "amount": "1"}]}]
    rpc = _CannedRpc(ops)
    assert rpc.publications(42) == [("tz1a", 3, "sh1x"), ("tz1c", 5, "sh1z")]
    assert rpc.urls == ["http://l1/chains/main/blocks/42/operations/3"]
    for bad in ([{"contents": [{"kind": "dal_publish_commitment", "source": "tz1a"}]}], {"not": "a list"}, [7]):
        with pytest.raises(DalError, match="block 42: unexpected operations JSON"):
            _CannedRpc(bad).publications(42)



class _SignalledRpc(LocalDalRpc):
    """Sets ``injected`` (a thread-safe event) when an operation reaches the L1's pending operations."""

    def __init__(self, l1: LocalL1) -> None:
        super().__init__(l1)
        self.injected = threading.Event()

    def inject(self, signed: bytes) -> str:
        answer = super().inject(signed)
        self.injected.set()
        return answer


def test_the_poster_publishes_in_every_block_while_the_kernel_lags_the_l1() -> None:
    """A backlog of 40 pre-blocks (4 per publication) and a kernel whose level takes longer than a block
    interval: the rollup node builds the next block as soon as a level ends, so the rollup's level moves
    only after the next block is made. The poster follows the L1 head: it publishes in every block
    (ten blocks in a row), and the kernel reads every announcement once, in order."""
    params = DalParameters(8, 2, 4 * 3967, 3967)
    l1 = LocalL1(L1Profile("t", 1.0, params), DalNode(params))
    rpc = _SignalledRpc(l1)
    levels = Levels(bytes(range(20)))
    backend = DalBackend(levels, rpc, Key(bytes([1]) * 32), [0, 1], rpc.parameters(), poll=0.005)  # type: ignore[arg-type]
    total = 40
    for index in range(1, total + 1):
        asyncio.run(backend.inject([b"\x00" + bytes(range(20)) + c for c in _preblock(index)]))
    read: list[int] = []
    published: dict[int, list[int]] = {}

    async def produce() -> None:
        loop = asyncio.get_running_loop()
        for level in range(1, 40):
            _, tail, report = l1.build_block(level, [])
            published[level] = report.dal_published
            for message in tail:
                read.extend(_announcements_read(l1, message))
            while levels.applied + 1 in read[levels.applied:]:
                levels.applied += 1
            if levels.applied == total:
                return
            # the kernel runs this level until the poster has injected (at most 1 s, while the backlog's 20
            # slots are not all published), then the next block is built at once: the level took longer
            # than a block interval
            deadline = loop.time() + 1.0
            while not rpc.injected.is_set() and backend.stats.slots < 20 and loop.time() < deadline:
                await asyncio.sleep(0.002)
            rpc.injected.clear()
            levels.current = level

    async def drive() -> None:
        backend.start()
        try:
            await asyncio.wait_for(produce(), 60)
        finally:
            assert backend.task is not None
            backend.task.cancel()
            await asyncio.gather(backend.task, return_exceptions=True)

    asyncio.run(drive())
    assert read == list(range(1, total + 1)) and levels.applied == total
    assert [level for level, slots in published.items() if slots] == list(range(2, 12))
    assert all(published[level] == [0, 1] for level in range(2, 12))
    assert backend.stats.publications == 10 and backend.stats.reposted == 0 and backend.stats.refused == 0


def test_full_slots_are_posted_ahead_and_published_first() -> None:
    """Between blocks the poster posts the queue's full slots to the DAL node (one per index at most);
    the next publication publishes them first, at the indices in order, then what is left. Slots posted
    ahead go back to the queue, after the contents posted again, when a slot in flight is re-posted."""
    params = DalParameters(8, 2, 4 * 3967, 3967)
    l1 = LocalL1(L1Profile("t", 1.0, params), DalNode(params))
    rpc = LocalDalRpc(l1)
    levels = Levels(bytes(range(20)))
    backend = DalBackend(levels, rpc, Key(bytes([1]) * 32), [2, 5, 6], rpc.parameters())  # type: ignore[arg-type]
    records = [bytes([n]) * 7000 for n in range(5)]  # two records per slot
    asyncio.run(backend.inject([b"\x00" + bytes(range(20)) + r for r in records]))
    asyncio.run(backend.prepare())  # two full slots; the fifth record's slot is not full
    assert [r.contents for r in backend.ready] == [records[0:2], records[2:4]] and list(backend.queue) == records[4:]
    assert backend.stats.preposted == 2 and rpc.posted_bytes == 4 * 7002 and asyncio.run(backend.pending()) == 3
    asyncio.run(backend.prepare())  # nothing more is full
    assert backend.stats.preposted == 2
    assert asyncio.run(backend.publish(0))
    assert backend.ready == [] and not backend.queue
    _, _, report = l1.build_block(1, [])
    assert report.dal_published == [2, 5, 6]
    assert [(s.index, s.contents) for s in backend.in_flight] == [(2, records[0:2]), (5, records[2:4]), (6, records[4:])]
    padding = bytes(params.slot_size - 2 * 7002)
    assert l1.dal.content(1, 5) == pack_slots(records[2:4], params.slot_size)[0] + padding

    more = [bytes([n]) * 7000 for n in range(5, 9)]
    asyncio.run(backend.inject([b"\x00" + bytes(range(20)) + r for r in more]))
    asyncio.run(backend.prepare())
    assert [r.contents for r in backend.ready] == [more[0:2]]
    backend._repost(1, "a test")  # slots 5 and 6 of block 1 again, before the slot posted ahead
    assert list(backend.queue) == records[2:5] + more and backend.ready == [] and backend.stats.reposted == 2


def test_slots_posted_ahead_with_applied_preblocks_are_packed_again() -> None:
    """A slot posted ahead whose pre-blocks the kernel has meanwhile applied (copies of an earlier
    posting) is not published: its contents go back to the queue, the applied pre-blocks are dropped."""
    params = DalParameters(8, 2, 4 * 3967, 3967)
    l1 = LocalL1(L1Profile("t", 1.0, params), DalNode(params))
    rpc = LocalDalRpc(l1)
    levels = Levels(bytes(range(20)))
    backend = DalBackend(levels, rpc, Key(bytes([1]) * 32), [0], rpc.parameters())  # type: ignore[arg-type]
    for index in (1, 2, 3):
        asyncio.run(backend.inject([b"\x00" + bytes(range(20)) + c for c in _preblock(index)]))
    asyncio.run(backend.prepare())
    assert [r.contents for r in backend.ready] == [_preblock(1) + _preblock(2)]
    levels.applied = 1
    assert asyncio.run(backend.publish(0))
    assert [s.contents for s in backend.in_flight] == [_preblock(2) + _preblock(3)] and backend.stats.dropped == 1
