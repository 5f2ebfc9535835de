"""DA framing of pre-blocks for the rollup inbox (docs/FORMATS.md §2) and the injection log.

:func:`preblock_frames` cuts an encoded pre-block into DA pages exactly as
``kernel_py.formats.inbox.build_pages`` does (same leaves, same grouping, children first, root
last), but hashes with ``hashlib`` (the kernel_py BLAKE2b is pure Python: ~1 MB/s); a unit test
pins the equality. The pages and the announcement are framed for ``/local/batcher/injection``.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from kernel_py.formats.inbox import (
    MAX_LEAF_DATA,
    MAX_PAGE_CHILDREN,
    announcement_contents,
    frame_external,
    leaf_page,
    node_page,
    page_contents,
)


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=32).digest()


def build_pages(data: bytes) -> list[bytes]:
    """The DA pages carrying ``data``, children before parents, root page last."""
    pages = [leaf_page(data[pos:pos + MAX_LEAF_DATA]) for pos in range(0, len(data), MAX_LEAF_DATA)] or [leaf_page(b"")]
    level = [_digest(p) for p in pages]
    while len(level) > 1:
        upper = []
        for i in range(0, len(level), MAX_PAGE_CHILDREN):
            page = node_page(level[i:i + MAX_PAGE_CHILDREN])
            pages.append(page)
            upper.append(_digest(page))
        level = upper
    return pages


def preblock_frames(address: bytes, index: int, encoded: bytes) -> list[bytes]:
    """External payloads (``00 ‖ address ‖ contents``) posting pre-block ``index``: pages, then the announcement."""
    pages = build_pages(encoded)
    frames = [frame_external(address, page_contents(p)) for p in pages]
    frames.append(frame_external(address, announcement_contents(index, _digest(pages[-1]))))
    return frames


@dataclass
class InjectionLog:
    """The highest pre-block index injected into the rollup, persisted atomically in a JSON file.

    It only says how far the rollup may still catch up after a restart; the kernel's
    ``/dsn/last_index`` is the authority on what was applied.
    """

    path: Path
    last_injected: int = 0

    @classmethod
    def load(cls, path: Path) -> "InjectionLog":
        try:
            raw = json.loads(path.read_text())
            return cls(path, int(raw["last_injected"]))
        except FileNotFoundError:
            return cls(path, 0)
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"corrupt injection log {path}: {exc}") from exc

    def record(self, index: int) -> None:
        """Persist ``index`` as injected (write to a temporary file, fsync, rename)."""
        self.last_injected = index
        tmp = self.path.with_suffix(".tmp")
        with open(tmp, "w") as f:
            json.dump({"last_injected": index}, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)
