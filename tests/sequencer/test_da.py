"""DA framing (equal to kernel_py's page builder), the injection log, and the DA task's resume rule."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from dsn.sequencer.committee_keys import fixture_committee
from dsn.sequencer.da import InjectionLog, build_pages, preblock_frames
from dsn.sequencer.da_task import DaTask
from dsn.sequencer.mock_consensus import MockConsensus
from kernel_py.formats import inbox
from kernel_py.formats.dsn import digest
from pvm_spec.constants import MAX_EXTERNAL_PAYLOAD
from tests.sequencer.fakes import FakeBackend, ListSource

ADDRESS = bytes(range(20))


@pytest.mark.parametrize("size", [0, 1, 4071, 4072, 4073, 3 * 4072 + 5, 127 * 4072 + 1])
def test_build_pages_equals_kernel_py(size: int) -> None:
    data = bytes((i * 7 + size) % 251 for i in range(size))
    assert build_pages(data) == inbox.build_pages(data)


def test_preblock_frames_fit_the_inbox_and_end_with_the_announcement() -> None:
    data = bytes(range(256)) * 40  # 10,240 bytes: 3 leaves + 1 node
    frames = preblock_frames(ADDRESS, 7, data)
    pages = inbox.build_pages(data)
    assert len(frames) == len(pages) + 1 == 5
    assert all(len(f) <= MAX_EXTERNAL_PAYLOAD and f[:21] == b"\x00" + ADDRESS for f in frames)
    assert frames[:-1] == [b"\x00" + ADDRESS + b"\x01" + p for p in pages]
    assert frames[-1] == b"\x00" + ADDRESS + b"\x02" + (7).to_bytes(8, "big") + digest(pages[-1])
    leaf = inbox.parse_message(b"\x01" + frames[0][:1] + frames[0][1:], ADDRESS)
    assert leaf.kind == inbox.KIND_PAGE


def test_injection_log_persists_and_rejects_corruption(tmp_path: Path) -> None:
    path = tmp_path / "injected.json"
    assert InjectionLog.load(path).last_injected == 0
    InjectionLog.load(path).record(41)
    assert json.loads(path.read_text()) == {"last_injected": 41}
    assert InjectionLog.load(path).last_injected == 41
    path.write_text("{not json")
    with pytest.raises(ValueError, match="corrupt injection log"):
        InjectionLog.load(path)


def _preblocks(n: int) -> list[bytes]:
    committee, keys = fixture_committee(4)
    mc = MockConsensus(keys, committee)
    return [mc.commit([bytes([i]) * 10], 1000 * i) for i in range(1, n + 1)]


PREBLOCKS = _preblocks(5)


def _announced(frames: list[bytes]) -> list[int]:
    return [int.from_bytes(f[22:30], "big") for f in frames if f[21] == 2]


async def _run_until(task: DaTask, last: int) -> None:
    runner = asyncio.create_task(task.run())
    while task.stats.last_posted < last and not runner.done():
        await asyncio.sleep(0.005)
    runner.cancel()
    await asyncio.gather(runner, return_exceptions=True)
    if runner.done() and not runner.cancelled() and runner.exception():
        raise runner.exception()  # type: ignore[misc]


def test_fresh_start_posts_every_preblock_in_order(tmp_path: Path) -> None:
    backend, source = FakeBackend(ADDRESS), ListSource(PREBLOCKS)
    log = InjectionLog.load(tmp_path / "injected.json")
    asyncio.run(_run_until(DaTask(source, backend, log, poll=0.001, max_lag=100), 5))
    assert _announced(backend.injected) == [1, 2, 3, 4, 5]
    assert source.streams == [0]
    assert InjectionLog.load(tmp_path / "injected.json").last_injected == 5


def test_restart_waits_for_the_rollup_to_catch_up_and_posts_no_duplicate(tmp_path: Path) -> None:
    InjectionLog.load(tmp_path / "injected.json").record(3)
    backend, source = FakeBackend(ADDRESS), ListSource(PREBLOCKS)
    backend.set_last_index(1)
    backend.queue = 5  # pre-blocks 2 and 3 still in the batcher queue ...

    def catch_up(b: FakeBackend) -> None:  # ... and applied a few levels later
        if b.polls == 4:
            b.queue = 0
            b.set_last_index(3)

    backend.on_poll = catch_up
    task = DaTask(source, backend, InjectionLog.load(tmp_path / "injected.json"), poll=0.001, settle_timeout=5)
    asyncio.run(_run_until(task, 5))
    assert backend.polls >= 4
    assert source.streams == [3]
    assert task.stats.resyncs == 0
    assert _announced(backend.injected) == [4, 5]


def test_restart_reposts_what_the_rollup_lost(tmp_path: Path) -> None:
    InjectionLog.load(tmp_path / "injected.json").record(4)
    backend, source = FakeBackend(ADDRESS), ListSource(PREBLOCKS)
    backend.set_last_index(2)  # 3 and 4 were queued in a rollup node that died: the queue is empty now
    task = DaTask(source, backend, InjectionLog.load(tmp_path / "injected.json"), poll=0.001)
    asyncio.run(_run_until(task, 5))
    assert source.streams == [2]
    assert _announced(backend.injected) == [3, 4, 5]
    assert task.stats.resumed_from == 3
    assert task.stats.resyncs == 1


def test_restart_does_not_settle_while_the_kernel_has_queued_work(tmp_path: Path) -> None:
    InjectionLog.load(tmp_path / "injected.json").record(2)
    backend = FakeBackend(ADDRESS)
    backend.set_last_index(1)
    backend.values["/queue/tail"] = (1).to_bytes(8, "big")  # an announcement is queued in the kernel
    task = DaTask(ListSource(PREBLOCKS), backend, InjectionLog.load(tmp_path / "injected.json"), poll=0.001,
                  settle_timeout=0.2)
    with pytest.raises(TimeoutError, match="did not catch up with pre-block 2"):
        asyncio.run(task.settle())


def test_source_index_gap_is_an_error(tmp_path: Path) -> None:
    backend, source = FakeBackend(ADDRESS), ListSource([PREBLOCKS[0], PREBLOCKS[2]])
    task = DaTask(source, backend, InjectionLog.load(tmp_path / "injected.json"), poll=0.001)
    with pytest.raises(RuntimeError, match="gave index 3, expected 2"):
        asyncio.run(task.run())
    assert _announced(backend.injected) == [1]


def test_running_task_reposts_preblocks_the_rollup_lost(tmp_path: Path) -> None:
    backend, source = FakeBackend(ADDRESS), ListSource(PREBLOCKS)

    def kernel(b: FakeBackend) -> None:  # applies 1-2, loses the first posting of 3-5, applies re-posts
        announced = _announced(b.injected)
        b.set_last_index(5 if announced.count(3) >= 2 and 5 in announced[announced.index(3) + 1:] else
                         min(2, max(announced, default=0)))

    backend.on_poll = kernel
    task = DaTask(source, backend, InjectionLog.load(tmp_path / "injected.json"), poll=0.001, stall_timeout=0.05)

    async def go() -> None:
        runner = asyncio.create_task(task.run())
        while backend.values.get("/dsn/last_index") != (5).to_bytes(8, "big") and not runner.done():
            await asyncio.sleep(0.01)
        runner.cancel()
        await asyncio.gather(runner, return_exceptions=True)
        assert runner.cancelled(), runner.exception()

    asyncio.run(asyncio.wait_for(go(), 20))
    assert _announced(backend.injected) == [1, 2, 3, 4, 5, 3, 4, 5]
    assert task.stats.resyncs == 1
