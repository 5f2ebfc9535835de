"""Where the sequencer reads kernel state and injects inbox messages: a rollup node over its RPC
(:class:`RemoteRollup`, octez or ``dsn rollup node``) or an in-process rollup (:class:`LocalRollup`,
``--mock-rollup``). Both expose the same asyncio interface."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path
from typing import Protocol

from pvm_host.rollup import Rollup
from pvm_host.rollup_client import AsyncRollupClient, RollupRpcError
from pvm_spec import b58

log = logging.getLogger("dsn.sequencer")


class RollupBackend(Protocol):
    """Durable-state reads, inbox injection and the batcher's backlog of one rollup."""

    address: bytes

    async def value(self, key: str) -> bytes | None: ...

    async def subkeys(self, key: str) -> list[str]: ...

    async def level(self) -> int: ...

    async def inject(self, frames: list[bytes]) -> None: ...

    async def pending(self) -> int: ...

    async def close(self) -> None: ...


class RemoteRollup:
    """A rollup node reached over HTTP (one pool of kept-alive connections, :class:`AsyncRollupClient`)."""

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        self.url = url.rstrip("/")
        self.client = AsyncRollupClient(self.url, timeout)
        self.address = b""

    async def connect(self, wait: float = 30.0) -> None:
        """Learn the rollup address, retrying while the node starts (up to ``wait`` seconds)."""
        deadline = time.monotonic() + wait
        while True:
            try:
                self.address = b58.rollup_address(await self.client.smart_rollup_address())
                return
            except RollupRpcError:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.5)

    async def value(self, key: str) -> bytes | None:
        return await self.client.durable_value(key)

    async def subkeys(self, key: str) -> list[str]:
        return await self.client.durable_subkeys(key)

    async def level(self) -> int:
        return await self.client.level()

    async def inject(self, frames: list[bytes]) -> None:
        await self.client.inject(frames)

    async def pending(self) -> int:
        return len(await self.client.batcher_queue())

    async def close(self) -> None:
        await self.client.close()


def open_local_rollup(kernel: bytes | None, native: str | None, state_dir: Path | None,
                      setup: list[tuple[str, str, bytes | str]] | None) -> Rollup:
    """A rollup running ``kernel`` (wasm) or the ``native`` kernel_py module, optionally persisted."""
    return Rollup.open(state_dir=state_dir, kernel=kernel, native=native, setup=setup)


class LocalRollup:
    """An in-process rollup producing a level every ``block_time`` seconds from the injected frames."""

    def __init__(self, rollup: Rollup, block_time: float = 0.5) -> None:
        self.rollup = rollup
        self.block_time = block_time
        self.address = rollup.pvm.rollup_address
        self.queue: list[bytes] = []
        self.lock = asyncio.Lock()
        self.task: asyncio.Task[None] | None = None
        self.running: asyncio.Future | None = None  # the level running in a worker thread, if any

    def start(self) -> None:
        self.task = asyncio.create_task(self._produce())

    async def _produce(self) -> None:
        from pvm_host.inbox import external

        while True:
            await asyncio.sleep(self.block_time)
            async with self.lock:
                batch, self.queue = self.queue, []
                # shielded: cancelling this task must not leave the thread running on a store close() frees
                self.running = asyncio.ensure_future(
                    asyncio.to_thread(self.rollup.run_level, [external(m) for m in batch], int(time.time())))
                report = await asyncio.shield(self.running)
            if report.stuck:
                log.error("local rollup stuck: %s", report.stuck)

    async def value(self, key: str) -> bytes | None:
        async with self.lock:
            return self.rollup.read(key)

    async def subkeys(self, key: str) -> list[str]:
        async with self.lock:
            return self.rollup.subkeys(key)

    async def level(self) -> int:
        return self.rollup.next_level - 1

    async def inject(self, frames: list[bytes]) -> None:
        self.queue.extend(frames)

    async def pending(self) -> int:
        return len(self.queue)

    async def close(self) -> None:
        if self.task is not None:
            self.task.cancel()
            try:
                await self.task
            except asyncio.CancelledError:
                pass
        if self.running is not None:
            await asyncio.gather(self.running, return_exceptions=True)  # let a running level finish first
        async with self.lock:
            self.rollup.close()
