"""HTTP routes of the dashboard, added to the sequencer's API app (behind its HTTP guard).

- ``GET /dashboard``: the page; ``GET /dashboard/static/<name>``: its bundled script and style.
- ``GET /dashboard/rounds?limit=N`` (1 ≤ N ≤ 32, default 12): the certificates of the last N
  pre-blocks received (:mod:`.recent`).
- ``GET /dashboard/stats?since=T``: the latest counters, the time series (one sample per second,
  the last :data:`MAX_SERIES`; only samples after ``T`` ms) and per-asset top balances.

Sampling (4 reads of the kernel state per second) and the balance scan (every
:data:`BALANCE_EVERY` seconds, at most :data:`MAX_OWNERS` accounts) run only while someone polls:
they stop :data:`IDLE_AFTER` seconds after the last dashboard request.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from importlib import resources
from typing import Any, Callable

from aiohttp import web

from dsn.sequencer.dashboard.recent import MAX_PREBLOCKS, RecentPreBlocks
from dsn.sequencer.state import KernelState, step_bytes
from dsn.sequencer.tracker import TxTracker
from kernel_py.ledger import BALANCE_PREFIX
from pvm_host.http_guard import HttpError, parse_uint

log = logging.getLogger("dsn.sequencer")

MAX_SERIES = 300
SAMPLE_EVERY = 1.0
IDLE_AFTER = 60.0
BALANCE_EVERY = 15.0
MAX_OWNERS = 256
TOP = 5
STATIC_TYPES = {".html": "text/html", ".js": "application/javascript", ".css": "text/css"}


def _static_files() -> dict[str, tuple[bytes, str]]:
    """The bundled assets (package data), by file name."""
    out = {}
    for entry in resources.files("dsn.sequencer.dashboard").joinpath("static").iterdir():
        suffix = entry.name[entry.name.rfind("."):]
        if suffix in STATIC_TYPES:
            out[entry.name] = (entry.read_bytes(), STATIC_TYPES[suffix])
    return out


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


class Dashboard:
    """The page, its JSON routes and the on-demand sampler."""

    def __init__(self, state: KernelState, tracker: TxTracker, info: Callable[[], dict[str, Any]]) -> None:
        self.state = state
        self.tracker = tracker
        self.info = info
        self.recent = RecentPreBlocks()
        self.files = _static_files()
        self.series: deque[dict[str, Any]] = deque(maxlen=MAX_SERIES)
        self.balances: dict[str, Any] = {"accounts": 0, "scanned": 0, "updated_ms": None, "assets": []}
        self.asset_names: dict[str, str] = {}
        self.last_request = 0.0
        self.sampler: asyncio.Task | None = None

    def add_routes(self, app: web.Application) -> None:
        r = app.router
        r.add_get("/dashboard", self.page)
        r.add_get("/dashboard/static/{name}", self.static)
        r.add_get("/dashboard/rounds", self.rounds)
        r.add_get("/dashboard/stats", self.stats)
        app.on_cleanup.append(self._stop)

    async def page(self, _request: web.Request) -> web.Response:
        body, ctype = self.files["index.html"]
        return web.Response(body=body, content_type=ctype, charset="utf-8")

    async def static(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in self.files or name == "index.html":
            raise HttpError(404, f"no dashboard asset {name[:80]!r}")
        body, ctype = self.files[name]
        return web.Response(body=body, content_type=ctype, charset="utf-8",
                            headers={"Cache-Control": "no-cache"})

    async def rounds(self, request: web.Request) -> web.Response:
        limit = parse_uint(request.query.get("limit", "12"), "limit", MAX_PREBLOCKS)
        if limit < 1:
            raise HttpError(400, f"limit must be 1 to {MAX_PREBLOCKS}")
        views = self.recent.last(limit)
        return web.json_response({"preblocks": [v.to_json() for v in views],
                                  "undecodable": self.recent.undecodable})

    async def stats(self, request: web.Request) -> web.Response:
        since = parse_uint(request.query.get("since", "0"), "since")
        self.last_request = time.monotonic()
        if self.sampler is None or self.sampler.done():
            if not self.series:
                await self._sample()
            self.sampler = asyncio.create_task(self._run(), name="dashboard-sampler")
        latest = self.series[-1] if self.series else None
        series = [x for x in self.series if x["t_ms"] > since]
        return web.json_response({"now_ms": int(time.time() * 1000), "latest": latest, "series": series,
                                  "balances": self.balances})

    async def _run(self) -> None:
        """Sample every second and scan balances every 15 s until nobody asked for a minute."""
        next_scan = 0.0
        while time.monotonic() - self.last_request < IDLE_AFTER:
            if time.monotonic() >= next_scan:
                next_scan = time.monotonic() + BALANCE_EVERY
                try:
                    await self._scan_balances()
                except Exception as exc:  # the rollup may be restarting: keep the previous figures
                    log.warning("dashboard: balance scan: %s", exc)
            await asyncio.sleep(SAMPLE_EVERY)
            try:
                await self._sample()
            except Exception as exc:
                log.warning("dashboard: sample: %s", exc)

    async def _sample(self) -> None:
        head = await self.state.head()
        info = self.info()
        now = int(time.time() * 1000)
        s: dict[str, Any] = {"t_ms": now, "index": head["index"], "root": head["root"],
                             "rollup_level": head["rollup_level"], "last_verified": head["last_verified"],
                             "rejections": head["rejections"], "results": self.tracker.applied_count,
                             "held": len(self.tracker.custody.held),
                             **{k: info.get(k) for k in ("last_posted", "posted_preblocks", "posted_txs", "resyncs",
                                                         "uptime_s")}}
        prev = self.series[-1] if self.series else None
        s["results_per_s"] = s["ordered_per_s"] = s["commit_latency_ms"] = s["apply_latency_ms"] = None
        if prev is not None and now > prev["t_ms"]:
            dt = (now - prev["t_ms"]) / 1000
            s["results_per_s"] = round((s["results"] - prev["results"]) / dt, 1)
            if s["posted_txs"] is not None and prev["posted_txs"] is not None:
                s["ordered_per_s"] = round((s["posted_txs"] - prev["posted_txs"]) / dt, 1)
            s["commit_latency_ms"] = _mean([lat for _, _, lat in self.recent.since(prev["t_ms"])])
            applied = [now - r for i in range(prev["index"] + 1, s["index"] + 1)
                       if (r := self.recent.received_ms(i)) is not None]
            s["apply_latency_ms"] = _mean(applied)
        self.series.append(s)

    async def _scan_balances(self) -> None:
        owners = await self.state.backend.subkeys(BALANCE_PREFIX[:-1].decode())
        per_asset: dict[str, list[tuple[int, str]]] = {}
        for step in owners[:MAX_OWNERS]:
            owner = step_bytes(step)
            for asset, amount in (await self.state.balances(owner)).items():
                per_asset.setdefault(asset, []).append((amount, owner.hex()))
        assets = []
        for asset, holders in sorted(per_asset.items()):
            if asset not in self.asset_names:
                meta = await self.state.asset(bytes.fromhex(asset))
                self.asset_names[asset] = meta["metadata"] if meta else ""
            holders.sort(reverse=True)
            assets.append({"asset": asset, "name": self.asset_names[asset], "holders": len(holders),
                           "total": sum(a for a, _ in holders),
                           "top": [{"owner": o, "amount": a} for a, o in holders[:TOP]]})
        self.balances = {"accounts": len(owners), "scanned": min(len(owners), MAX_OWNERS),
                         "updated_ms": int(time.time() * 1000), "assets": assets}

    async def _stop(self, _app: web.Application) -> None:
        if self.sampler is not None:
            self.sampler.cancel()
            await asyncio.gather(self.sampler, return_exceptions=True)
