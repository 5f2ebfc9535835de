"""The dashboard's pre-block view (exact certificates of a mock pre-block, bounds, resync) and its
HTTP routes (page, assets, bounded JSON, 4xx for bad input) over a fake rollup backend."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from dsn import codec
from dsn.sequencer.api import SequencerApi
from dsn.sequencer.committee_keys import fixture_committee
from dsn.sequencer.custody import Custody
from dsn.sequencer.dashboard import recent
from dsn.sequencer.dashboard.recent import RecentPreBlocks, read_head
from dsn.sequencer.mock_consensus import MockConsensus
from dsn.sequencer.state import KernelState
from dsn.sequencer.status_store import StatusStore
from dsn.sequencer.submitter import Submitter
from dsn.sequencer.tracker import TxTracker
from kernel_py.ledger import balance_key
from tests.sequencer.fakes import FakeBackend, ListSource

ROLLUP = bytes(range(1, 21))


def mock_preblocks(count: int) -> list[bytes]:
    committee, keys = fixture_committee(4)
    producer = MockConsensus(keys, committee)
    return [producer.commit([bytes([i]) * 40], 1_000 + i) for i in range(count)]


def test_read_head_gives_the_certificates_in_commit_order() -> None:
    encoded = mock_preblocks(2)[1]
    p = codec.decode_preblock(encoded)
    view = read_head(encoded, 99_999)
    assert (view.index, view.commit_ms, view.received_ms, view.truncated) == (2, p.commit_timestamp, 99_999, 0)
    assert [(c.digest, c.round, c.author, c.created_ms, c.parents, c.batches) for c in view.certificates] == [
        (codec.header_digest(c.header)[:8].hex(), c.header.round, c.header.author, c.header.created_at,
         tuple(d[:8].hex() for d in c.header.parents), len(c.header.payload)) for c in p.certificates]
    assert view.leader == view.certificates[-1]
    assert view.commit_latency_ms == 99_999 - p.certificates[-1].header.created_at


def test_read_head_keeps_the_last_certificates_and_counts_the_rest(monkeypatch) -> None:
    encoded = mock_preblocks(1)[0]
    n = len(codec.decode_preblock(encoded).certificates)
    monkeypatch.setattr(recent, "MAX_CERTIFICATES", 2)
    view = read_head(encoded, 0)
    assert view.truncated == n - 2 and len(view.certificates) == 2
    assert view.leader.digest == codec.header_digest(codec.decode_preblock(encoded).certificates[-1].header)[:8].hex()


def test_recent_is_bounded_and_restarts_after_a_resync() -> None:
    pres = mock_preblocks(3)
    r = RecentPreBlocks()
    r.observe(b"\x00garbage")
    for e in pres:
        r.observe(e)
    assert r.undecodable == 1
    assert [v.index for v in r.last(2)] == [2, 3]
    two = len(r.views[1].certificates) + len(r.views[2].certificates)
    assert [v.index for v in r.last(3, max_certificates=two)] == [2, 3]
    assert [v.index for v in r.last(3, max_certificates=1)] == [3]  # the newest is always given
    assert r.received_ms(2) == r.views[1].received_ms and r.received_ms(7) is None
    r.observe(pres[0])  # the DA task posts from an earlier index again
    assert [v.index for v in r.last(32)] == [1]


async def call(paths: list[str], backend: FakeBackend) -> list[tuple[int, str, Any]]:
    source = ListSource([])
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        custody = Custody(StatusStore(Path(tmp)))
        api = SequencerApi(KernelState(backend), TxTracker(custody), source, Submitter(source, custody, window=0),
                           ROLLUP, lambda: {"posted_txs": 7, "posted_preblocks": 2, "last_posted": 2}, 1000)
        for e in mock_preblocks(2):
            api.dashboard.recent.observe(e)
        async with TestClient(TestServer(api.app)) as client:
            for path in paths:
                resp = await client.get(path)
                body = await (resp.json() if resp.content_type == "application/json" else resp.text())
                out.append((resp.status, resp.content_type, body))
            await asyncio.sleep(0.1)  # the sampler's first balance scan
            resp = await client.get("/dashboard/stats")
            out.append((resp.status, resp.content_type, await resp.json()))
            first = out[-1][2]["series"][0]["t_ms"]
            resp = await client.get(f"/dashboard/stats?since={first}")
            out.append((resp.status, resp.content_type, await resp.json()))
            resp = await client.get("/dashboard/stats?since=-1")
            out.append((resp.status, resp.content_type, await resp.json()))
    return out


def test_routes() -> None:
    backend = FakeBackend(ROLLUP)
    backend.values["/head"] = (2).to_bytes(8, "big") + bytes(32)
    backend.values["/rejections/count"] = (3).to_bytes(8, "big")
    alice, bob, native = b"\xaa" * 32, b"\xbb" * 32, bytes(32)
    backend.values[balance_key(alice, native).decode()] = (900).to_bytes(8, "big")
    backend.values[balance_key(bob, native).decode()] = (100).to_bytes(8, "big")
    page, js, missing, rounds, bad0, bad33, badx, stats, later, newer, bad_since = asyncio.run(call(
        ["/dashboard", "/dashboard/static/dashboard.js", "/dashboard/static/x.js", "/dashboard/rounds?limit=1",
         "/dashboard/rounds?limit=0", "/dashboard/rounds?limit=33", "/dashboard/rounds?limit=x", "/dashboard/stats"],
        backend))
    assert page[:2] == (200, "text/html") and '<script src="/dashboard/static/dashboard.js">' in page[2]
    assert js[:2] == (200, "application/javascript") and "function drawDag" in js[2]
    assert missing == (404, "application/json", {"error": "no dashboard asset 'x.js'"})
    assert rounds[0] == 200 and [p["index"] for p in rounds[2]["preblocks"]] == [2]
    assert rounds[2]["preblocks"][0]["leader"] == {k: rounds[2]["preblocks"][0]["certificates"][-1][k]
                                                   for k in ("digest", "round", "author")}
    assert bad0 == (400, "application/json", {"error": "limit must be 1 to 32"})
    assert bad33[0] == badx[0] == 400 and "limit must be an integer from 0 to 32" in badx[2]["error"]
    latest = stats[2]["latest"]
    assert stats[0] == 200 and {k: latest[k] for k in ("index", "rejections", "results", "held", "posted_txs",
                                                       "results_per_s")} == {
        "index": 2, "rejections": 3, "results": 0, "held": 0, "posted_txs": 7, "results_per_s": None}
    assert later[2]["balances"] == {
        "accounts": 2, "scanned": 2, "updated_ms": later[2]["balances"]["updated_ms"],
        "assets": [{"asset": native.hex(), "name": "", "holders": 2, "total": 1000,
                    "top": [{"owner": alice.hex(), "amount": 900}, {"owner": bob.hex(), "amount": 100}]}]}
    first = stats[2]["series"][0]["t_ms"]
    assert later[2]["series"][0]["t_ms"] == first and all(x["t_ms"] > first for x in newer[2]["series"])
    assert bad_since[:2] == (400, "application/json") and "since must be an integer" in bad_since[2]["error"]
