"""Prometheus metrics shared by the services (DSN node, sequencer, local rollup node).

Each service keeps its metrics in its own :class:`~prometheus_client.CollectorRegistry` (never the
process-global one), so several services in one process (tests, the demo) do not clash. Values a
service already keeps (levels, queue sizes, progress counters) are read at scrape time by a
:class:`ScrapeCollector`, so they cost nothing between scrapes; events (requests, commits) are
counted where they happen.

Exposition: :func:`add_metrics_route` adds ``GET /metrics`` to an aiohttp application;
:class:`MetricsServer` serves it alone on a separate port (the DSN node, which has no HTTP server,
and services whose API port is public while metrics should stay on loopback).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from pvm_host.http_guard import Handler, HttpGuard, HttpLimits

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"})  # others: label "other"
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


def counter(name: str, doc: str, value: float) -> CounterMetricFamily:
    """A counter family read at scrape time (``name`` without ``_total``)."""
    return CounterMetricFamily(name, doc, value=value)


def gauge(name: str, doc: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, doc, value=value)


class ScrapeCollector(Collector):
    """Metrics computed by ``read`` at each scrape from state the service already keeps."""

    def __init__(self, read: Callable[[], Iterable[Metric]]) -> None:
        self.read = read

    def collect(self) -> Iterable[Metric]:
        return list(self.read())


def metrics_handler(registry: CollectorRegistry) -> Handler:
    """An aiohttp handler answering the text exposition format of ``registry``."""

    async def handle(_request: web.Request) -> web.Response:
        body = generate_latest(registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    return handle


def add_metrics_route(app: web.Application, registry: CollectorRegistry) -> None:
    app.router.add_get("/metrics", metrics_handler(registry))


class HttpMetrics:
    """Requests by route template, method and status, and their duration (an aiohttp middleware).
    Labels are bounded whatever clients send: unknown paths are ``unmatched``, unknown methods ``other``."""

    def __init__(self, prefix: str, registry: CollectorRegistry) -> None:
        self.requests = Counter(f"{prefix}_http_requests", "HTTP requests by route, method and status",
                                ["route", "method", "status"], registry=registry)
        self.duration = Histogram(f"{prefix}_http_request_duration_seconds", "HTTP request duration by route",
                                  ["route"], buckets=LATENCY_BUCKETS, registry=registry)

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        start = time.perf_counter()
        status = 500
        try:
            response = await handler(request)
            status = response.status
            return response
        except web.HTTPException as exc:
            status = exc.status
            raise
        finally:
            resource = request.match_info.route.resource
            route = resource.canonical if resource is not None else "unmatched"
            method = request.method if request.method in METHODS else "other"
            self.requests.labels(route, method, str(status)).inc()
            self.duration.labels(route).observe(time.perf_counter() - start)


class MetricsServer:
    """``GET /metrics`` of one registry on its own port (behind an :class:`HttpGuard`)."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.guard = HttpGuard(HttpLimits(max_connections=16, max_body=0))
        self.app = web.Application(middlewares=[self.guard.middleware])
        add_metrics_route(self.app, registry)
        self.runner: web.AppRunner | None = None
        self.port = 0

    async def start(self, host: str, port: int) -> int:
        """Listen on ``host:port`` (0: any free port); return the bound port. May be called again
        after an ``OSError`` (port taken)."""
        if self.runner is None:
            self.runner = self.guard.runner(self.app, access_log=None)
            await self.runner.setup()
        site = self.guard.site(self.runner, host, port)
        await site.start()
        self.port = site.bound_port
        return self.port

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()
            self.runner = None


def lmdb_used_bytes(env: Any) -> int:
    """Bytes an LMDB environment uses (pages up to the last one written)."""
    return (env.info()["last_pgno"] + 1) * env.stat()["psize"]
