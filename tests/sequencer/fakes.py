"""Test doubles: an in-memory rollup backend whose kernel state the test controls, and a list source."""

from __future__ import annotations

import asyncio
from typing import AsyncIterator


class FakeBackend:
    """Durable values in a dict; injected frames are recorded; ``pending``/``level`` are settable."""

    def __init__(self, address: bytes = bytes(20)) -> None:
        self.address = address
        self.values: dict[str, bytes] = {}
        self.injected: list[bytes] = []
        self.queue = 0
        self.current_level = 0
        self.polls = 0
        self.on_poll = None

    def set_last_index(self, k: int) -> None:
        self.values["/dsn/last_index"] = k.to_bytes(8, "big")

    async def value(self, key: str) -> bytes | None:
        return self.values.get(key)

    async def subkeys(self, key: str) -> list[str]:
        prefix = key.rstrip("/") + "/"
        return sorted({k[len(prefix):].split("/")[0] for k in self.values if k.startswith(prefix)})

    async def level(self) -> int:
        self.current_level += 1  # every look advances the level: the rollup keeps making levels
        self._poll()
        return self.current_level

    def _poll(self) -> None:
        self.polls += 1
        if self.on_poll is not None:
            self.on_poll(self)

    async def inject(self, frames: list[bytes]) -> None:
        self.injected.extend(frames)

    async def pending(self) -> int:
        self._poll()
        return self.queue

    async def close(self) -> None:
        return None


class ListSource:
    """Pre-blocks from a list (index i at position i-1); records the ``after`` each stream started at."""

    def __init__(self, preblocks: list[bytes]) -> None:
        self.preblocks = preblocks
        self.streams: list[int] = []
        self.submitted: list[bytes] = []
        self.nodes = 1

    async def submit(self, txs: list[bytes], node: int = 0) -> None:
        self.submitted.extend(txs)

    async def stream(self, after: int) -> AsyncIterator[bytes]:
        self.streams.append(after)
        for p in self.preblocks[after:]:
            yield p
        await asyncio.Event().wait()  # a live source never ends

    async def fetch(self, index: int) -> bytes | None:
        return self.preblocks[index - 1] if 0 < index <= len(self.preblocks) else None

    async def close(self) -> None:
        return None
