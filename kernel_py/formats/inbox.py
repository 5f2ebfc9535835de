"""Inbox messages (docs/FORMATS.md §2, Tezos PVM inbox encoding): classification and DA pages.

:func:`parse_message` turns the raw bytes from ``read_input`` into an :class:`InboxMessage` for the
kernel's own rollup address; it never raises. Encoders for the sequencer side sit beside it.
"""

from dataclasses import dataclass

from kernel_py.formats.dsn import digest
from kernel_py.intrinsics import u64

ADDRESS_LEN: int = 20
DIGEST_LEN: int = 32
MAX_PAGE: int = 4073
MAX_LEAF_DATA: int = 4072
MAX_CONTENTS: int = 4074
MAX_PAGE_CHILDREN: int = 127
TRANSFER_TAIL: int = 61

KIND_IGNORED: int = 0
KIND_START_OF_LEVEL: int = 1
KIND_INFO_PER_LEVEL: int = 2
KIND_END_OF_LEVEL: int = 3
KIND_GOVERNANCE: int = 4
KIND_PAGE: int = 5
KIND_ANNOUNCEMENT: int = 6
KIND_USER_TX: int = 7
KIND_INVALID: int = 8

PAGE_LEAF: int = 0
PAGE_NODE: int = 1


@dataclass
class InboxMessage:
    """A classified inbox message.

    ``payload`` = the page (KIND_PAGE), the user transaction (KIND_USER_TX), the committee bytes of
    a governance transfer (KIND_GOVERNANCE), or the reason (KIND_INVALID). ``index``/``root`` are
    set for KIND_ANNOUNCEMENT; ``sender`` (KT1 hash) for KIND_GOVERNANCE.
    """

    kind: int
    payload: bytes
    index: u64
    root: bytes
    sender: bytes


def _msg(kind: int, payload: bytes) -> InboxMessage:
    return InboxMessage(kind, payload, 0, b"", b"")


def _parse_transfer(raw: bytes, address: bytes) -> InboxMessage:
    """``00 00 ‖ micheline ‖ sender (20) ‖ source (21) ‖ destination (20)``; only Micheline ``bytes``."""
    n = len(raw)
    if n < 2 + TRANSFER_TAIL:
        return _msg(KIND_INVALID, b"malformed transfer")
    if raw[n - ADDRESS_LEN:n] != address:
        return _msg(KIND_IGNORED, b"")
    end = n - TRANSFER_TAIL
    if end < 7 or raw[2] != 10:
        return _msg(KIND_INVALID, b"transfer payload is not Micheline bytes")
    length: int = int.from_bytes(raw[3:7], "big")
    if 7 + length != end:
        return _msg(KIND_INVALID, b"transfer payload is not Micheline bytes")
    return InboxMessage(KIND_GOVERNANCE, raw[7:end], 0, b"", raw[end:end + ADDRESS_LEN])


def parse_contents(contents: bytes) -> InboxMessage:
    """Classify the contents of an addressed external (or of a DAL slot record)."""
    if len(contents) == 0:
        return _msg(KIND_INVALID, b"empty contents")
    tag = contents[0]
    if tag == 1:
        page = contents[1:len(contents)]
        if not page_valid(page):
            return _msg(KIND_INVALID, b"malformed page")
        return _msg(KIND_PAGE, page)
    if tag == 2:
        if len(contents) != 1 + 8 + DIGEST_LEN:
            return _msg(KIND_INVALID, b"malformed announcement")
        index: u64 = int.from_bytes(contents[1:9], "big")
        return InboxMessage(KIND_ANNOUNCEMENT, b"", index, contents[9:9 + DIGEST_LEN], b"")
    if tag == 3:
        return _msg(KIND_USER_TX, contents[1:len(contents)])
    return _msg(KIND_INVALID, b"unknown contents tag")


def parse_message(raw: bytes, address: bytes) -> InboxMessage:
    """Classify one inbox message for the rollup whose 20-byte address is ``address``."""
    n = len(raw)
    if n < 2:
        return _msg(KIND_INVALID, b"short message")
    if raw[0] == 0:
        kind = raw[1]
        if kind == 0:
            return _parse_transfer(raw, address)
        if kind == 1 and n == 2:
            return _msg(KIND_START_OF_LEVEL, b"")
        if kind == 2 and n == 2:
            return _msg(KIND_END_OF_LEVEL, b"")
        if kind == 3 and n == 42:
            return _msg(KIND_INFO_PER_LEVEL, raw[2:42])
        return _msg(KIND_IGNORED, b"")
    if raw[0] != 1:
        return _msg(KIND_INVALID, b"unknown message tag")
    if raw[1] != 0 or n < 2 + ADDRESS_LEN or raw[2:2 + ADDRESS_LEN] != address:
        return _msg(KIND_IGNORED, b"")
    return parse_contents(raw[2 + ADDRESS_LEN:n])


def page_valid(page: bytes) -> bool:
    """A leaf ``00 ‖ data`` or a node ``01 ‖ digest*`` (1 … 127 children), at most 4,073 bytes."""
    n = len(page)
    if n == 0 or n > MAX_PAGE:
        return False
    if page[0] == PAGE_LEAF:
        return True
    if page[0] != PAGE_NODE:
        return False
    children = (n - 1) // DIGEST_LEN
    return (n - 1) % DIGEST_LEN == 0 and children >= 1 and children <= MAX_PAGE_CHILDREN


# ---------------------------------------------------------------------------------------------
# Encoders (sequencer side)
# ---------------------------------------------------------------------------------------------


def frame_external(address: bytes, contents: bytes) -> bytes:
    """``00 ‖ address ‖ contents``: what the sequencer injects (the PVM adds the ``01`` tag)."""
    return b"\x00" + address + contents


def page_contents(page: bytes) -> bytes:
    """Contents carrying one DA page."""
    return b"\x01" + page


def announcement_contents(index: u64, root: bytes) -> bytes:
    """Contents announcing pre-block ``index`` whose root page hashes to ``root``."""
    return b"\x02" + index.to_bytes(8, "big") + root


def user_tx_contents(tx: bytes) -> bytes:
    """Contents carrying one user transaction sent directly to the kernel."""
    return b"\x03" + tx


def governance_payload(committee: bytes) -> bytes:
    """Micheline ``bytes`` node holding a committee encoding (FORMATS.md §5)."""
    return b"\x0a" + len(committee).to_bytes(4, "big") + committee


def leaf_page(data: bytes) -> bytes:
    """A leaf page holding ``data`` (at most 4,072 bytes)."""
    return b"\x00" + data


def node_page(children: list[bytes]) -> bytes:
    """A node page listing child page hashes (1 … 127)."""
    out = b"\x01"
    for c in children:
        out = out + c
    return out


def build_pages(data: bytes) -> list[bytes]:
    """The DA pages carrying ``data``, children before parents; the root page is the last one.

    Leaves hold 4,072-byte slices (one empty leaf for empty data); nodes group up to 127 hashes.
    """
    pages: list[bytes] = []
    level: list[bytes] = []
    pos = 0
    n = len(data)
    while pos < n or len(pages) == 0:
        end = pos + MAX_LEAF_DATA
        if end > n:
            end = n
        page = leaf_page(data[pos:end])
        pages.append(page)
        level.append(digest(page))
        pos = end
    while len(level) > 1:
        upper: list[bytes] = []
        i = 0
        while i < len(level):
            group: list[bytes] = []
            j = i
            while j < len(level) and j < i + MAX_PAGE_CHILDREN:
                group.append(level[j])
                j = j + 1
            page = node_page(group)
            pages.append(page)
            upper.append(digest(page))
            i = j
        level = upper
    return pages
