"""Stopping never hangs: a cancel that coincides with a wake-up ends the primary's proposer loop and
an export subscriber's wait (Python 3.11's asyncio.wait_for used to drop such a cancel, so a node
ignored SIGTERM now and then)."""

from __future__ import annotations

import asyncio

from dsn.config import Parameters
from dsn.export import Notifier
from dsn.primary import Primary
from dsn.store import Store
from tests.dsn.dag import DagBuilder
from tests.dsn.test_primary import FakeNet


def test_notifier_waiter_stops_when_cancelled_at_a_notify():
    async def run() -> bool:
        n = Notifier()

        async def subscriber() -> None:
            while True:
                await n.wait(10)

        task = asyncio.create_task(subscriber())
        await asyncio.sleep(0.01)
        n.notify()
        task.cancel()
        done, _ = await asyncio.wait([task], timeout=2)
        task.cancel()
        return bool(done)

    assert asyncio.run(run())


def test_primary_stops_when_cancelled_at_a_wake_up(tmp_path):
    d = DagBuilder(4)
    store = Store(tmp_path / "db", map_size=1 << 26)

    async def run() -> bool:
        p = Primary(d.committee, 0, d.keys[0], Parameters(), store, FakeNet())
        p.want_batches = lambda digests, sources: None
        p.start()
        await asyncio.sleep(0.05)  # proposed round 1; the proposer waits for a wake-up
        p.proposer_wake.set()
        stop = asyncio.create_task(p.stop())
        done, _ = await asyncio.wait([stop], timeout=2)
        for t in p.tasks:
            t.cancel()
        return bool(done)

    try:
        assert asyncio.run(run())
    finally:
        store.close()
