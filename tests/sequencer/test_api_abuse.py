"""The sequencer API under hostile input (real sockets on loopback) and its block-transaction cache."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer

from dsn.codec import digest
from dsn.sequencer.api import SequencerApi
from dsn.sequencer.block_cache import BlockTxCache
from dsn.sequencer.committee_keys import fixture_committee
from dsn.sequencer.custody import Custody
from dsn.sequencer.mock_consensus import MockConsensus
from dsn.sequencer.state import KernelState
from dsn.sequencer.status_store import StatusStore
from dsn.sequencer.submitter import Submitter
from dsn.sequencer.tracker import TxTracker
from tests.pvm_host.hostile import Served, request
from tests.sequencer.fakes import FakeBackend, ListSource
from tests.sequencer.test_api import MAX_TX, ROLLUP, good_tx


def api_for(backend: FakeBackend, source: ListSource, data_dir: Path) -> SequencerApi:
    custody = Custody(StatusStore(data_dir))
    return SequencerApi(KernelState(backend), TxTracker(custody), source, Submitter(source, custody, window=0),
                        ROLLUP, lambda: {}, MAX_TX)


def test_malformed_input_gets_4xx_json_over_real_sockets(tmp_path: Path) -> None:
    api = api_for(FakeBackend(ROLLUP), ListSource([]), tmp_path)
    with Served(api.app, api.guard) as srv:
        p = srv.port
        cases = [
            ("POST", "/broadcast", b"[" * 100_000 + b"]" * 100_000, "application/json", 400),
            ("POST", "/broadcast", b'{"tx": ' + b"1" * 5000 + b"}", "application/json", 400),
            ("POST", "/broadcast", b'{"tx": "\xff\xfe"}', "application/json", 400),
            ("POST", "/broadcast", b"\xff\xfe" * 10, "text/plain", 400),
            ("POST", "/broadcast", b'{"txs": [' + b'"00",' * 20_000 + b'"00"]}', "application/json", 413),
            ("POST", "/broadcast", b"0" * (8 * 1024 * 1024 + 1), "text/plain", 413),
            ("GET", "/blocks/" + "9" * 5000, b"", "application/json", 400),
            ("GET", "/authorities/" + "9" * 5000, b"", "application/json", 400),
            ("GET", "/chains/01/messages?from=" + "9" * 5000, b"", "application/json", 400),
            ("GET", "/chains/01/messages?limit=" + "9" * 5000, b"", "application/json", 400),
        ]
        for method, path, body, ctype, want in cases:
            status, answer = request(p, method, path, body, ctype)
            assert status == want and isinstance(answer["error"], str), (path, body[:40], status, answer)
        assert request(p, "POST", "/broadcast", json.dumps({"tx": good_tx().hex()}).encode())[0] == 200
        assert srv.guard.inflight == 0


class SlowSource(ListSource):
    def __init__(self, preblocks: list[bytes]) -> None:
        super().__init__(preblocks)
        self.fetched: list[int] = []

    async def fetch(self, index: int) -> bytes | None:
        self.fetched.append(index)
        await asyncio.sleep(0.2)  # an export stream takes a while
        return await super().fetch(index)


def test_old_block_with_txs_is_fetched_once_for_many_requests(tmp_path: Path) -> None:
    committee, keys = fixture_committee(4)
    txs = [good_tx(0), good_tx(1)]
    encoded = MockConsensus(keys, committee, tmp_path / "mc").commit(txs, 5000)
    backend = FakeBackend(ROLLUP)
    backend.values["/blocks/1/info"] = bytes(32) + (5000).to_bytes(8, "big") + bytes(16) + (2).to_bytes(4, "big")
    backend.values["/blocks/1/root"] = bytes(32)
    backend.values["/blocks/1/results"] = b"".join(digest(t) + b"\x00\x00\x00" for t in txs)
    source = SlowSource([encoded])

    async def main() -> list[dict]:
        api = api_for(backend, source, tmp_path / "status")
        async with TestClient(TestServer(api.app)) as client:
            async def get() -> dict:
                resp = await client.get("/blocks/1?txs=1")
                assert resp.status == 200
                return await resp.json()
            first = await asyncio.gather(*(get() for _ in range(50)))
            return first + [await get()]

    answers = asyncio.run(main())
    assert source.fetched == [1]  # 51 requests, one export stream
    assert all(a == answers[0] for a in answers)
    assert [r["nonce"] for r in answers[0]["results"]] == [0, 1]
    assert answers[0]["results"][0]["action"] == "transfer"


def test_block_cache_bounds_concurrent_fetches_and_remembers_failures() -> None:
    calls: list[int] = []
    gate = asyncio.Event()

    async def fetch(index: int) -> bytes | None:
        calls.append(index)
        await gate.wait()
        return None

    async def main() -> list[object]:
        cache = BlockTxCache(fetch, max_fetches=2, retry_after=60)
        tasks = [asyncio.ensure_future(cache.get(i)) for i in (1, 2, 1, 2)]
        await asyncio.sleep(0.01)
        third = await cache.get(3)  # two fetches already run: answered without waiting
        gate.set()
        out = [third] + list(await asyncio.gather(*tasks))
        out.append(await cache.get(1))  # failed recently: not fetched again
        return out

    assert asyncio.run(main()) == [None] * 6
    assert calls == [1, 2]
