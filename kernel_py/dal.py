"""DAL import (FORMATS.md §2.2): which attested slots to read, and reading them.

A ``Dal_attested_slots`` inbox message (internal ``00 05``, docs dal.md §2.3) lists, per publisher,
the slots of published level P that became attested. :func:`attested_entries` keeps the slots of
whitelisted publishers (``/dal/publishers``: 21-byte public key hashes) whose index is set in the
configured bitmap (``/dal/slots``: bit ``i % 8`` of byte ``i // 8`` set = import slot ``i``); the
kernel queues them as work items. :func:`read_slot` reads one through ``reveal``
(``02 ‖ P i32 ‖ slot u8 ‖ page i16``), at most ``MAX_PAGES`` pages; a slot with any page shorter
than ``page_size`` (not attested, outside the import window, ...) is dropped whole. The slot and
page sizes are those the message gives for level P (the parameters reveal answers for the current
level, which differs across a protocol migration). The kernel splits a slot into records
``u16 BE length ‖ contents`` (ended by a zero length or the slot's end) and handles each contents
exactly like an addressed inbox external's.

Governance replaces the whitelist (FORMATS.md §5.0): :func:`set_publishers` takes a governance
message ``PUBLISHERS_UPDATE ‖ pkh*`` (at most ``MAX_PUBLISHERS`` 21-byte hashes; none empties it).
"""

from kernel_py.formats.dsn import concat
from kernel_py.intrinsics import reveal, u64
from kernel_py.store import read_value, write_value

DAL_ATTESTED: bytes = b"\x00\x05"  # internal message tag of Dal_attested_slots
PUBLISHERS: bytes = b"/dal/publishers"
SLOTS: bytes = b"/dal/slots"
PKH_LEN: int = 21
MAX_PAGES: int = 128
ENTRY_LEN: int = 15
PUBLISHERS_UPDATE: bytes = b"\xff\xff\xff\xff\xff\xff\xff\xff"  # a committee's epoch can never be 2^64 - 1
MAX_PUBLISHERS: int = 160  # one per slot of protocol 025; 3,360 bytes fit one governance message


def publishers_update(pkhs: list[bytes]) -> bytes:
    """The governance message that makes ``pkhs`` (21-byte public key hashes) the whitelist."""
    return PUBLISHERS_UPDATE + b"".join(pkhs)


def set_publishers(message: bytes) -> bytes:
    """Replace ``/dal/publishers`` by the hashes of a :func:`publishers_update` message; returns an
    error (empty on success) when the length is not 8 + 21·n with n ≤ ``MAX_PUBLISHERS``. Hashes are
    stored as given: one that is no publisher's (e.g. an unknown curve tag) never matches."""
    table = message[8:len(message)]
    if len(table) % PKH_LEN != 0 or len(table) > MAX_PUBLISHERS * PKH_LEN:
        return b"malformed publisher list"
    write_value(PUBLISHERS, table)
    return b""


def attested_entries(body: bytes, level: u64) -> bytes:
    """The whitelisted, configured slots of a ``Dal_attested_slots`` message (``body`` = the bytes
    after ``00 05``), as ``ENTRY_LEN``-byte entries ``P ‖ slot ‖ slot_size ‖ page_size ‖ level``
    for :func:`read_slot` (``level`` = the inbox level, for the pages' retention)."""
    out = b""
    table = read_value(PUBLISHERS)
    slots = read_value(SLOTS)[0:32]
    pos = 16
    while pos + PKH_LEN < len(body):
        pkh = body[pos:pos + PKH_LEN]
        keep = False
        p = 0
        while p + PKH_LEN <= len(table):
            if table[p:p + PKH_LEN] == pkh:
                keep = True
            p += PKH_LEN
        pos += PKH_LEN
        index = 0
        width = 6
        more = True
        while more and pos < len(body):
            b = body[pos]
            pos += 1
            more = b >= 0x80
            for i in range(0, width):
                s = index + i
                if keep and (b >> i) & 1 == 1 and (s >> 3) < len(slots) and (slots[s >> 3] >> (s & 7)) & 1 == 1:
                    out = out + body[0:4] + s.to_bytes(1, "big") + body[6:12] + level.to_bytes(4, "big")
            index += width
            width = 7
    return out


def read_slot(entry: bytes) -> bytes:
    """The content of the slot of an entry of :func:`attested_entries`, or b"" when it is dropped
    (a page shorter than ``page_size``)."""
    page_size: int = int.from_bytes(entry[9:11], "big")
    pages = min(int.from_bytes(entry[5:9], "big") // max(page_size, 1), MAX_PAGES)
    parts: list[bytes] = []
    for page in range(0, pages):
        got = reveal(b"\x02" + entry[0:5] + page.to_bytes(2, "big"), 4096)
        if len(got) != page_size:
            return b""
        parts.append(got)
    return concat(parts)
