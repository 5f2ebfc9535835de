"""Data availability (FORMATS.md §2): DA pages stored by hash and pre-block reassembly.

A pre-block's bytes are the leaf data of its page tree, depth first and in order. Reassembly is
bounded (size, depth, page visits) so no tree, however crafted, can exhaust the kernel.
Retention: a page is deleted at the latest ``PAGE_TTL`` levels after it was stored, whatever its
count (:func:`sweep_pages`, run at the first input of every level for the level ``PAGE_TTL`` before).
"""

from kernel_py.formats.dsn import concat, digest
from kernel_py.formats.inbox import DIGEST_LEN, PAGE_LEAF
from kernel_py.intrinsics import u64
from kernel_py.store import append_value, delete_value, read_u64, read_value, write_u64, write_value
from kernel_py.text import to_decimal, to_hex

PAGE_PREFIX: bytes = b"/da/page/"
REF_PREFIX: bytes = b"/da/ref/"
MAX_PREBLOCK_BYTES: int = 8388608
MAX_PAGE_VISITS: int = 4096
MAX_DEPTH: int = 4
EXPIRY_PREFIX: bytes = b"/da/exp/"
PAGE_TTL: int = 64


def page_key(page_hash: bytes) -> bytes:
    """``/da/page/<hash hex>``."""
    return PAGE_PREFIX + to_hex(page_hash)


def ref_key(page_hash: bytes) -> bytes:
    """``/da/ref/<hash hex>``: how many times the page was posted and not yet used (u64)."""
    return REF_PREFIX + to_hex(page_hash)


def store_page(page: bytes, level: u64) -> bytes:
    """Store a (validated) page under its hash and count the posting; a page new at ``level`` is
    listed in ``/da/exp/<level>`` for :func:`sweep_pages`. Returns the hash."""
    h = digest(page)
    write_value(page_key(h), page)
    key = ref_key(h)
    ref = read_u64(key)
    if ref == 0:
        append_value(EXPIRY_PREFIX + to_decimal(level), h)
    write_u64(key, ref + 1)
    return h


def sweep_pages(old: u64) -> None:
    """Delete the pages stored at level ``old`` that are still there, and that level's list."""
    key = EXPIRY_PREFIX + to_decimal(old)
    hashes = read_value(key)
    for p in range(0, len(hashes), DIGEST_LEN):
        h = hashes[p:p + DIGEST_LEN]
        delete_value(page_key(h))
        delete_value(ref_key(h))
    delete_value(key)


def reassemble(root: bytes) -> tuple[bytes, bytes, list[bytes]]:
    """(error, data, page hashes visited) for the tree under ``root``; ``error`` is empty on success."""
    used: list[bytes] = [root]
    pieces: list[bytes] = []
    root_page = read_value(page_key(root))
    if len(root_page) == 0:
        return b"missing page", b"", used
    if root_page[0] == PAGE_LEAF:
        return b"", root_page[1:len(root_page)], used
    stack_pages: list[bytes] = [root_page, b"", b"", b""]
    stack_pos: list[int] = [1, 0, 0, 0]
    depth = 1
    total = 0
    while depth > 0:
        top = depth - 1
        node = stack_pages[top]
        pos = stack_pos[top]
        if pos >= len(node):
            depth = depth - 1
            continue
        stack_pos[top] = pos + DIGEST_LEN
        child = node[pos:pos + DIGEST_LEN]
        used.append(child)
        if len(used) > MAX_PAGE_VISITS:
            return b"too many pages", b"", used
        page = read_value(page_key(child))
        if len(page) == 0:
            return b"missing page", b"", used
        if page[0] == PAGE_LEAF:
            total = total + len(page) - 1
            if total > MAX_PREBLOCK_BYTES:
                return b"pre-block too large", b"", used
            pieces.append(page[1:len(page)])
        elif depth >= MAX_DEPTH:
            return b"page tree too deep", b"", used
        else:
            stack_pages[depth] = page
            stack_pos[depth] = 1
            depth = depth + 1
    return b"", concat(pieces), used


def release_pages(hashes: list[bytes]) -> None:
    """Use up one posting per reference of an accepted pre-block's pages; a page whose postings
    are all used is deleted (so pages shared with a later pre-block stay until it is done)."""
    for h in hashes:
        key = ref_key(h)
        n = read_u64(key)
        if n <= 1:
            delete_value(page_key(h))
            delete_value(key)
        else:
            write_u64(key, n - 1)
