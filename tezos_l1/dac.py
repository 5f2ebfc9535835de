"""DAC-format preimage pages (the installer's reveal tree), as in the kernel SDK's ``dac/pages.rs``.

A page is ``tag ‖ u32 BE length ‖ body`` (≤ 4,096 bytes): tag ``00`` = content (≤ 4,091 payload
bytes), tag ``01`` = hashes (≤ 123 concatenated 33-byte hashes). A page's hash is ``00 ‖
BLAKE2b-256(page)``. Content pages are hashed, their hashes packed 123 per hashes page, and so on
until one root hash remains. Rebuilding walks the tree depth-first from the root.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

PAGE_SIZE = 4096
HEADER_SIZE = 5
MAX_CONTENT = PAGE_SIZE - HEADER_SIZE  # 4,091
HASH_SIZE = 33
MAX_HASHES = MAX_CONTENT // HASH_SIZE  # 123
CONTENT_TAG = 0
HASHES_TAG = 1
MAX_LEVELS = 4  # the SDK installer's MAX_DAC_LEVELS: content pages + up to 3 levels of hashes pages


def page_hash(page: bytes) -> bytes:
    """33-byte reveal hash: scheme ``00`` ‖ BLAKE2b-256 of the encoded page."""
    return b"\x00" + hashlib.blake2b(page, digest_size=32).digest()


def _page(tag: int, body: bytes) -> bytes:
    return bytes([tag]) + len(body).to_bytes(4, "big") + body


def build_pages(payload: bytes) -> tuple[bytes, dict[bytes, bytes]]:
    """Cut ``payload`` into pages; returns ``(root_hash, {hash: page})``."""
    if not payload:
        raise ValueError("nothing to split into pages: the payload is empty")
    pages: dict[bytes, bytes] = {}
    level = [_page(CONTENT_TAG, payload[i:i + MAX_CONTENT]) for i in range(0, len(payload), MAX_CONTENT)]
    depth = 1
    while True:
        hashes = []
        for page in level:
            h = page_hash(page)
            pages[h] = page
            hashes.append(h)
        if len(hashes) == 1:
            return hashes[0], pages
        depth += 1
        if depth > MAX_LEVELS:
            raise ValueError(f"payload of {len(payload)} bytes needs more than {MAX_LEVELS} page levels")
        level = [_page(HASHES_TAG, b"".join(hashes[i:i + MAX_HASHES])) for i in range(0, len(hashes), MAX_HASHES)]


def rebuild(root: bytes, reveal: Callable[[bytes], bytes]) -> bytes:
    """Reassemble a payload from its root hash, fetching pages with ``reveal`` (checked against hashes)."""
    out = bytearray()
    stack = [root]
    while stack:
        h = stack.pop()
        page = reveal(h)
        if page_hash(page) != h:
            raise ValueError(f"preimage of {h.hex()} does not match its hash")
        tag, length = page[0], int.from_bytes(page[1:5], "big")
        body = page[5:]
        if len(body) != length:
            raise ValueError(f"page {h.hex()} declares {length} bytes but holds {len(body)}")
        if tag == CONTENT_TAG:
            out += body
        elif tag == HASHES_TAG and length % HASH_SIZE == 0:
            children = [body[i:i + HASH_SIZE] for i in range(0, length, HASH_SIZE)]
            stack.extend(reversed(children))
        else:
            raise ValueError(f"page {h.hex()} has a bad tag or length")
    return bytes(out)


def write_preimages(pages: dict[bytes, bytes], directory: Path) -> list[Path]:
    """Write each page to ``directory/<66-hex hash>`` (the rollup node's ``wasm_2_0_0/`` layout)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for h, page in sorted(pages.items()):
        path = directory / h.hex()
        path.write_bytes(page)
        paths.append(path)
    return paths
