"""DAL slot framing (FORMATS.md §2.2) and the DAL backend's packing and input checks."""

from __future__ import annotations

import asyncio
from collections import deque

import pytest
from pytezos.crypto.encoding import base58_decode

from dsn.sequencer.dal_backend import DalBackend, DalParams, DalRpc, pack
from dsn.sequencer.dal_slots import pack_slots, record, slot_bitmap, unpack_slot
from dsn.sequencer.setup_file import dal_publishers_value
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
