"""DAL slot framing (FORMATS.md §2.2) and the DAL backend's packing, input checks and publisher keys."""

from __future__ import annotations

import asyncio
import json
from collections import deque

import pytest
from pytezos.crypto.encoding import base58_decode

from dsn.sequencer.dal_backend import ZERO_BRANCH, DalBackend, DalParams, DalRpc, pack, slot_body, split_slots
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
    """Two keys: each publishes its run of slots in its own operation; when one key's operation is
    refused (its source already has one in the block), its slots go back to the front of the queue
    and are published at the next level, the other key's stay in flight; all are attested."""
    params = DalParameters(8, 2, 4 * 3967, 3967)
    l1 = LocalL1(L1Profile("t", 1.0, params), DalNode(params))
    rpc = LocalDalRpc(l1)
    a, b = Key(bytes([1]) * 32), Key(bytes([2]) * 32)
    levels = Levels(bytes(range(20)))
    backend = DalBackend(levels, rpc, [a, b], [5, 1, 2, 3], rpc.parameters())  # type: ignore[arg-type]
    assert [p.slots for p in backend.publishers] == [[1, 2], [3, 5]]
    records = [bytes([n]) * 7000 for n in range(6)]  # two records per slot: three slots
    asyncio.run(backend.inject([b"\x00" + bytes(range(20)) + r for r in records]))
    reveal_b = forge_unsigned(ZERO_BRANCH, [{"kind": "reveal", "source": b.address, "fee": "400", "counter": "1",
                                             "gas_limit": "1000", "storage_limit": "0", "public_key": b.public_key}])
    l1.inject(reveal_b + b.sign_operation(reveal_b))  # b already has an operation in block 1

    asyncio.run(backend.publish(1))
    assert [(s.index, s.contents) for s in backend.in_flight] == [(1, records[0:2]), (2, records[2:4])]
    assert list(backend.queue) == records[4:6] and backend.stats.refused == 1
    _, _, report = l1.build_block(1, [])
    assert report.dal_published == [1, 2] and report.operations == 2
    more = [bytes([n]) * 7000 for n in range(6, 10)]
    asyncio.run(backend.inject([b"\x00" + bytes(range(20)) + r for r in more]))
    asyncio.run(backend.publish(2))  # the refused slots first; b again (counter re-read, reveal again)
    _, _, report = l1.build_block(2, [])
    assert report.dal_published == [1, 2, 3] and report.operations == 2
    assert [(s.index, s.contents) for s in backend.in_flight[2:]] == [(1, records[4:6]), (2, more[0:2]), (3, more[2:4])]
    assert backend.stats.operations == 3 and backend.stats.slots == 5
    for level in (3, 4):
        l1.build_block(level, [])
        asyncio.run(backend.follow(level))
    assert backend.in_flight == [] and backend.stats.attested == 5
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
    """Key a publishes the first run, key b the next; a's operation lands a block later than b's, so b's
    slot would be read by the kernel before the contents ahead of it: it is posted again, after them."""
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
    assert report.dal_published == [3]  # only b's operation made block 1
    asyncio.run(backend.follow(1))
    assert [s.index for s in backend.in_flight] == [1, 2] and list(backend.queue) == records[4:6]
    assert backend.stats.reposted == 1
    rpc.release()
    asyncio.run(backend.publish(2))  # a already has an operation in block 2: refused, published at level 3
    _, _, report = l1.build_block(2, [])
    assert report.dal_published == [1, 2] and backend.stats.refused == 1
    asyncio.run(backend.follow(2))
    asyncio.run(backend.publish(2))
    _, _, report = l1.build_block(3, [])
    assert report.dal_published == [1]
    for level in (3, 4, 5):
        if level > 3:
            l1.build_block(level, [])
        asyncio.run(backend.follow(level))
    assert backend.in_flight == [] and backend.stats.reposted == 1 and backend.stats.attested == 3
    padding = bytes(params.slot_size - 2 * 7002)
    assert l1.dal.content(3, 1) == pack_slots(records[4:6], params.slot_size)[0] + padding


def test_publication_waits_for_the_l1_block_clock() -> None:
    """Unknown clock: at once. Known: once the next block is due within twice the publication time and
    two polls, or at once when the queue fills every slot."""
    params = DalParams(16, 2, 1000, 100)
    backend = DalBackend(_Rollup(), DalRpc("http://x", "http://x"), Key(bytes(32)), [1, 2], params)  # type: ignore[arg-type]
    backend.queue.extend([b"x" * 500])
    assert backend._due(0.0)
    backend.block_interval, backend.publish_time, backend.poll = 1.0, 0.1, 0.05
    assert [backend._due(t) for t in (0.0, 0.69, 0.7, 0.9)] == [False, False, True, True]
    backend.queue.extend([b"x" * 500] * 3)  # 4 × (2 + 500) bytes ≥ 2 slots of 1,000
    assert backend._due(0.0)
