"""The DA task: follow committed pre-blocks, post each one to the rollup inbox, resume without gap or
duplicate after a restart.

Resume rule. The kernel's ``/dsn/last_index`` (K) is what was applied; the injection log (P) is the
highest pre-block this sequencer started to post (recorded before posting, so a crash mid-way leaves
at worst a pre-block the rollup never fully got). At start the task waits until the rollup has *settled* — the batcher queue
is empty, a level has completed since, and the kernel has no queued or open work — or until K
reaches P. It then continues from K + 1: pre-blocks posted but lost (e.g. the rollup node died
with them queued) are posted again, and none that the kernel applied is posted twice.
While running, at most ``max_lag`` pre-blocks are posted ahead of the kernel (back-pressure), calls
to an unavailable rollup node are retried, and when the kernel stays behind what was posted for
``stall_timeout`` seconds while the rollup is quiet (the node restarted and dropped its queue), the
task settles again and re-posts from K + 1.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from dsn.sequencer.da import InjectionLog, preblock_frames
from dsn.sequencer.hints import with_hints
from dsn.sequencer.rollup_backend import RollupBackend
from dsn.sequencer.sources import PreBlockSource
from dsn.sequencer.state import KernelState
from dsn.sequencer.tracker import TxTracker, decoded_preblock, preblock_summary
from kernel_py.da import MAX_PREBLOCK_BYTES
from kernel_py.formats.limits import kernel_preblock_budget
from pvm_host.rollup_client import RollupRpcError

log = logging.getLogger("dsn.sequencer")

MAX_FRAMES_PER_REQUEST = 256
PREBLOCK_BUDGET = kernel_preblock_budget()  # hints only fill what the kernel reassembles
T = TypeVar("T")


@dataclass
class DaStats:
    """Progress counters of the DA task."""

    resumed_from: int = 0
    last_posted: int = 0
    preblocks: int = 0
    txs: int = 0
    frames: int = 0
    bytes: int = 0
    resyncs: int = 0
    started: float = field(default_factory=time.monotonic)


class DaTask:
    def __init__(self, source: PreBlockSource, backend: RollupBackend, log_file: InjectionLog,
                 tracker: TxTracker | None = None, max_lag: int = 64, settle_timeout: float = 120.0,
                 poll: float = 0.2, stall_timeout: float = 5.0, hints: bool = True) -> None:
        self.source = source
        self.backend = backend
        self.state = KernelState(backend)
        self.injection_log = log_file
        self.tracker = tracker
        self.max_lag = max_lag
        self.settle_timeout = settle_timeout
        self.poll = poll
        self.stall_timeout = stall_timeout
        self.hints = hints  # append x(R) hints to each posted pre-block (dsn/sequencer/hints.py)
        self.kernel_high = 0  # highest kernel index seen (a decrease means the rollup state was reset)
        self.stats = DaStats()
        self.observers: list[Callable[[bytes], None]] = []  # called with each pre-block received (the dashboard)

    async def _retry(self, fn: Callable[..., Awaitable[T]], *args: Any) -> T:
        """Call the rollup until it answers (it may be restarting); warns every 10 s."""
        warned = 0.0
        while True:
            try:
                return await fn(*args)
            except RollupRpcError as exc:
                if time.monotonic() - warned > 10:
                    warned = time.monotonic()
                    log.warning("DA: rollup node unavailable (%s); retrying", exc)
                await asyncio.sleep(max(self.poll, 0.5))

    async def _quiet(self) -> bool:
        """True once the batcher queue is empty, a level completed after that, and the kernel has no work."""
        if await self._retry(self.backend.pending) != 0:
            return False
        level = await self._retry(self.backend.level)
        deadline = time.monotonic() + self.settle_timeout
        while await self._retry(self.backend.level) <= level:
            if time.monotonic() > deadline:
                return False
            await asyncio.sleep(self.poll)
        return await self._retry(self.state.settled)

    async def settle(self) -> int:
        """Wait until the rollup has caught up with what was posted before; return the kernel's K
        (counting a re-synchronisation in ``stats.resyncs`` when posted pre-blocks were lost)."""
        posted = self.injection_log.last_injected
        deadline = time.monotonic() + self.settle_timeout
        while True:
            k = await self._retry(self.state.last_index)
            if k >= posted:
                self.kernel_high = k
                return k
            if await self._quiet() and await self._retry(self.state.last_index) == k:
                self.stats.resyncs += 1
                log.warning("DA: pre-blocks %d..%d were posted but not applied (lost or rejected by the kernel, "
                            "see /rejections/last); posting again from %d", k + 1, posted, k + 1)
                self.kernel_high = k
                return k
            if time.monotonic() > deadline:
                raise TimeoutError(f"the rollup did not catch up with pre-block {posted} (kernel at {k}) "
                                   f"within {self.settle_timeout:.0f} s")
            await asyncio.sleep(self.poll)

    async def _throttle(self, index: int) -> None:
        warned = time.monotonic()
        while index - (k := await self._retry(self.state.last_index)) > self.max_lag:
            if time.monotonic() - warned > 10:
                warned = time.monotonic()
                last = await self._retry(self.backend.value, "/rejections/last")
                log.warning("DA: waiting for the kernel (at pre-block %d, %d posted); last kernel rejection: %s",
                            k, index - 1, last.decode("utf-8", "replace") if last else "none")
            await asyncio.sleep(self.poll)

    async def _post_from(self, k: int) -> None:
        expected = k + 1
        async for encoded in self.source.stream(k):
            index, commit_ms, txs = preblock_summary(encoded)
            for observe in self.observers:
                observe(encoded)
            if index != expected:
                raise RuntimeError(f"pre-block source gave index {index}, expected {expected}")
            await self._throttle(index)
            tracing = self.tracker.tracing if self.tracker is not None else None
            if self.tracker is not None:
                self.tracker.on_sequenced(index, txs, commit_ms)
            if tracing is not None:
                tracing.ordered(encoded)
            if len(encoded) > MAX_PREBLOCK_BYTES:
                log.error("DA: pre-block %d has %d bytes, above the kernel's reassembly limit (%d): the kernel will "
                          "reject it and stop at pre-block %d", index, len(encoded), MAX_PREBLOCK_BYTES, index - 1)
            if self.hints:
                encoded = with_hints(encoded, decoded_preblock(encoded), PREBLOCK_BUDGET)
            frames = preblock_frames(self.backend.address, index, encoded)
            self.injection_log.record(index)  # before posting: a crash mid-way is then a loss, re-posted at restart
            for i in range(0, len(frames), MAX_FRAMES_PER_REQUEST):
                await self._retry(self.backend.inject, frames[i:i + MAX_FRAMES_PER_REQUEST])
            if tracing is not None:
                tracing.posted(index, len(frames), len(encoded), await self._retry(self.backend.level))
            s = self.stats
            s.last_posted, s.preblocks, s.txs = index, s.preblocks + 1, s.txs + len(txs)
            s.frames, s.bytes = s.frames + len(frames), s.bytes + len(encoded)
            log.debug("DA: posted pre-block %d (%d txs, %d bytes, %d frames)", index, len(txs), len(encoded), len(frames))
            expected += 1

    async def _detect_loss(self) -> None:
        """Return when posted pre-blocks stopped reaching the kernel: its index went backwards (state
        reset), or it is behind, has not moved for ``stall_timeout`` and is quiet (the node dropped
        its queue)."""
        last_k, since = self.kernel_high, time.monotonic()
        while True:
            await asyncio.sleep(self.poll * 2.5)
            k = await self._retry(self.state.last_index)
            if k < self.kernel_high:
                log.warning("DA: the kernel went back from pre-block %d to %d (rollup state reset)", self.kernel_high, k)
                self.kernel_high = k
                return
            self.kernel_high = k
            if k != last_k or k >= self.injection_log.last_injected:
                last_k, since = k, time.monotonic()
            elif time.monotonic() - since > self.stall_timeout and await self._quiet() \
                    and await self._retry(self.state.last_index) == k:
                return

    async def run(self) -> None:
        """Post pre-blocks forever (cancel to stop); re-synchronise with the kernel after losses."""
        first = True
        while True:
            k = await self.settle()
            if first:
                self.stats.resumed_from, first = k + 1, False
            log.info("DA: kernel at pre-block %d; posting from %d", k, k + 1)
            poster = asyncio.create_task(self._post_from(k))
            watchdog = asyncio.create_task(self._detect_loss())
            try:
                done, _ = await asyncio.wait({poster, watchdog}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for t in (poster, watchdog):
                    t.cancel()
                await asyncio.gather(poster, watchdog, return_exceptions=True)
            if poster in done:
                poster.result()
                return
