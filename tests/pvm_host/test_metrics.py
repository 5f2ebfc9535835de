"""Prometheus helpers and the rollup node's metrics, in process: one registry per service, request
metrics by route template, the stand-alone metrics server."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

from pvm_host.metrics import MetricsServer
from pvm_host.rollup import Rollup
from pvm_host.rollup_node import RollupNode

ECHO = Path(__file__).resolve().parents[2] / "fixtures" / "replay" / "echo.wasm"


def samples(text: str) -> dict[tuple[str, tuple], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for f in text_string_to_metric_families(text) for s in f.samples}


async def scenario() -> tuple[dict, dict, str]:
    a, b = (RollupNode(Rollup.open(state_dir=None, kernel=ECHO.read_bytes()), block_time=3600) for _ in range(2))
    a.rollup.enqueue([b"\x00one", b"\x00two"])
    await a.make_level()
    runner = a.guard.runner(a.app)
    await runner.setup()
    site = a.guard.site(runner, "127.0.0.1", 0)
    await site.start()
    other = MetricsServer(b.metrics.registry)
    port = await other.start("127.0.0.1", 0)
    try:
        async with aiohttp.ClientSession() as http:
            base = f"http://127.0.0.1:{site.bound_port}"
            for path in ("/global/block/head/level", "/global/block/7/level", "/nowhere"):
                async with http.get(base + path) as r:
                    await r.read()
            async with http.request("PROPFIND", base + "/coffee/42") as r:
                await r.read()
            async with http.get(base + "/metrics") as r:
                assert r.headers["Content-Type"].startswith("text/plain; version=")
                text_a = await r.text()
            async with http.get(f"http://127.0.0.1:{port}/metrics") as r:
                text_b = await r.text()
            async with http.get(f"http://127.0.0.1:{port}/other") as r:
                missing = f"{r.status} {(await r.json())['error']}"
    finally:
        await other.stop()
        await runner.cleanup()
    return samples(text_a), samples(text_b), missing


def test_each_node_has_its_own_registry_and_counts_requests_by_route() -> None:
    a, b, missing = asyncio.run(scenario())
    assert a[("rollup_node_levels_total", ())] == 1 and b[("rollup_node_levels_total", ())] == 0
    assert a[("rollup_node_inbox_messages_total", ())] == 2 and b[("rollup_node_inbox_messages_total", ())] == 0
    assert a[("rollup_node_outbox_messages_total", ())] == 2  # the echo kernel writes each message back
    assert a[("rollup_node_level", ())] == b[("rollup_node_level", ())] + 1  # one level made by a only
    assert a[("rollup_node_level_ticks_count", ())] == 1 and a[("rollup_node_level_ticks_sum", ())] > 0
    assert a[("rollup_node_stuck", ())] == 0 and a[("rollup_node_batcher_queue_messages", ())] == 0
    route = "/global/block/{block}/level"
    assert a[("rollup_node_http_requests_total", (("method", "GET"), ("route", route), ("status", "200")))] == 1
    assert a[("rollup_node_http_requests_total", (("method", "GET"), ("route", route), ("status", "404")))] == 1
    assert a[("rollup_node_http_requests_total", (("method", "GET"), ("route", "unmatched"), ("status", "404")))] == 1
    assert a[("rollup_node_http_requests_total", (("method", "other"), ("route", "unmatched"), ("status", "404")))] == 1
    assert a[("rollup_node_http_request_duration_seconds_count", (("route", route),))] == 2
    assert ("rollup_node_storage_bytes", ()) not in a  # in memory: no store
    assert missing == "404 Not Found"
