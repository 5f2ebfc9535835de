"""DAL slot framing (FORMATS.md §2.2): inbox-external contents packed as records into slots.

A slot is a sequence of records ``u16 BE length ‖ contents``, where ``contents`` is exactly an inbox
external's contents (``01 ‖ page``, ``02 ‖ announcement``, ``03 ‖ transaction``), ended by a zero
length or the end of the slot (the DAL node zero-pads a posted slot). A pre-block's contents are
its pages then its announcement, so its announcement always follows its pages, in the same slot or
a later one.
"""

from __future__ import annotations

from kernel_py.formats import dsn as fmt
from kernel_py.formats import inbox as ib

RECORD_HEADER = 2
MAX_RECORD = 0xFFFF


def preblock_contents(data: bytes, index: int) -> list[bytes]:
    """The contents that carry one pre-block: its DA pages, then its announcement."""
    pages = ib.build_pages(data)
    return [ib.page_contents(p) for p in pages] + [ib.announcement_contents(index, fmt.digest(pages[-1]))]


def record(contents: bytes) -> bytes:
    """``u16 BE length ‖ contents`` (contents of 1 … 65,535 bytes)."""
    if not 0 < len(contents) <= MAX_RECORD:
        raise ValueError(f"a slot record holds 1 to {MAX_RECORD} bytes, not {len(contents)}")
    return len(contents).to_bytes(RECORD_HEADER, "big") + contents


def pack_slots(contents: list[bytes], slot_size: int) -> list[bytes]:
    """Records of ``contents``, in order, packed greedily into slots of at most ``slot_size`` bytes
    (unpadded: the DAL node pads). A record never spans two slots."""
    slots: list[bytes] = []
    current = bytearray()
    for c in contents:
        r = record(c)
        if len(r) > slot_size:
            raise ValueError(f"a {len(r)}-byte record does not fit a {slot_size}-byte slot")
        if len(current) + len(r) > slot_size:
            slots.append(bytes(current))
            current = bytearray()
        current += r
    if current:
        slots.append(bytes(current))
    return slots


def unpack_slot(slot: bytes) -> list[bytes]:
    """The contents of a slot's records, read as the kernel reads them."""
    out: list[bytes] = []
    pos = 0
    while pos + RECORD_HEADER <= len(slot):
        n = int.from_bytes(slot[pos:pos + RECORD_HEADER], "big")
        if n == 0 or pos + RECORD_HEADER + n > len(slot):
            break
        out.append(slot[pos + RECORD_HEADER:pos + RECORD_HEADER + n])
        pos += RECORD_HEADER + n
    return out


def slot_bitmap(indices: list[int]) -> bytes:
    """The kernel's ``/dal/slots`` value: bit ``i % 8`` of byte ``i // 8`` set for each index (0 … 255)."""
    if any(not 0 <= i <= 255 for i in indices):
        raise ValueError("DAL slot indices are 0 … 255")
    out = bytearray(max(indices) // 8 + 1 if indices else 0)
    for i in indices:
        out[i // 8] |= 1 << (i % 8)
    return bytes(out)
