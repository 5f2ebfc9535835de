"""pvm_host.http_guard against hostile clients (raw sockets on loopback, bounded counts and times)."""

from __future__ import annotations

import logging
import socket
import time

import pytest
from aiohttp import web

from pvm_host.http_guard import HttpError, HttpGuard, HttpLimits, RateLimitFilter, parse_uint
from tests.pvm_host.hostile import Served, closed_by_peer, connect, read_response, request


def make_app(limits: HttpLimits) -> tuple[web.Application, HttpGuard]:
    guard = HttpGuard(limits)

    async def echo(req: web.Request) -> web.Response:
        value = await guard.read_json(req, max_items=100)
        return web.json_response({"type": type(value).__name__})

    async def blob(req: web.Request) -> web.Response:
        return web.json_response({"bytes": len(await guard.read_body(req))})

    async def item(req: web.Request) -> web.Response:
        return web.json_response(parse_uint(req.match_info["n"], "item id"))

    async def health(_req: web.Request) -> web.Response:
        return web.json_response({"healthy": True})

    async def bug(_req: web.Request) -> web.Response:
        raise KeyError("oops")

    app = web.Application(middlewares=[guard.middleware], client_max_size=limits.max_body)
    app.router.add_post("/echo", echo)
    app.router.add_post("/blob", blob)
    app.router.add_get("/items/{n}", item)
    app.router.add_get("/health", health)
    app.router.add_get("/bug", bug)
    return app, guard


def serve(**kw: float) -> Served:
    return Served(*make_app(HttpLimits(**kw)))  # type: ignore[arg-type]


def test_malformed_json_bodies_get_4xx_json() -> None:
    with serve() as srv:
        p = srv.port
        assert request(p, "POST", "/echo", b"[" * 100_000 + b"]" * 100_000)[0] == 400
        status, body = request(p, "POST", "/echo", b"[" * 40 + b"]" * 40)
        assert (status, body) == (400, {"error": "JSON nested too deeply (at most 32 levels)"})
        status, body = request(p, "POST", "/echo", b"[" + b"7" * 5000 + b"]")
        assert (status, body) == (400, {"error": "JSON integer of 5000 digits; at most 20"})
        status, body = request(p, "POST", "/echo", b'["\xff\xfe"]')
        assert (status, body) == (400, {"error": "body is not UTF-8 (byte 2)"})
        assert request(p, "POST", "/echo", b"[NaN]") == (400, {"error": "JSON constant NaN is not allowed"})
        assert request(p, "POST", "/echo", b"[1e999]") == (400, {"error": "JSON number out of range: 1e999"})
        assert request(p, "POST", "/echo", b"[" + b"0," * 200 + b"0]") == (
            413, {"error": "too many JSON values (at most 100)"})
        assert request(p, "POST", "/echo", b"{") == (400, {"error": "body is not JSON: Expecting property name enclosed in double quotes at character 1"})
        assert request(p, "POST", "/echo", b"[1, {\"a\": [2]}]") == (200, {"type": "list"})


def test_huge_ids_unknown_routes_and_bugs_are_json() -> None:
    with serve() as srv:
        p = srv.port
        status, body = request(p, "GET", "/items/" + "9" * 5000)
        assert status == 400 and body["error"].startswith("item id must be an integer from 0 to 18446744073709551615")
        assert request(p, "GET", "/items/%C2%B2")[0] == 400  # "²" is a Unicode digit, not an ASCII one
        assert request(p, "GET", "/items/18446744073709551615") == (200, 2**64 - 1)
        assert request(p, "GET", "/nowhere") == (404, {"error": "Not Found"})
        assert request(p, "GET", "/bug") == (500, {"error": "internal error: KeyError"})


def test_body_limit_is_enforced_while_streaming() -> None:
    with serve(max_body=100_000) as srv:
        assert request(srv.port, "POST", "/blob", b"x" * 100_001) == (
            413, {"error": "body of 100001 bytes; the limit is 100000"})
        with connect(srv.port) as s:  # chunked, no length announced: refused once past the limit
            s.sendall(b"POST /blob HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
            for _ in range(30):
                s.sendall(b"2000\r\n" + b"y" * 0x2000 + b"\r\n")
            assert read_response(s) == (413, {"error": "body larger than the limit of 100000 bytes"})
        assert request(srv.port, "POST", "/blob", b"z" * 100_000) == (200, {"bytes": 100_000})
        assert srv.guard.inflight == 0


def test_total_in_flight_body_bytes_are_capped() -> None:
    with serve(max_body=600_000, max_inflight=1_000_000, body_timeout=20) as srv:
        slow = connect(srv.port)
        slow.sendall(b"POST /blob HTTP/1.1\r\nHost: x\r\nContent-Length: 600000\r\n\r\n" + b"a" * 590_000)
        deadline = time.monotonic() + 10
        while srv.guard.inflight < 590_000 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert srv.guard.inflight == 590_000
        assert request(srv.port, "POST", "/blob", b"b" * 500_000) == (
            503, {"error": "server busy: too much request data in flight, retry later"})
        slow.sendall(b"a" * 10_000)
        assert read_response(slow) == (200, {"bytes": 600_000})
        slow.close()
        assert request(srv.port, "POST", "/blob", b"b" * 500_000) == (200, {"bytes": 500_000})


def test_slow_body_gets_408() -> None:
    with serve(body_timeout=1.0) as srv, connect(srv.port) as s:
        s.sendall(b"POST /blob HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" + b"a" * 10)
        t = time.monotonic()
        assert read_response(s) == (408, {"error": "request body not received within 1 s"})
        assert time.monotonic() - t < 5


@pytest.mark.slow
def test_slowloris_connections_are_closed_and_health_answers() -> None:
    with serve(header_timeout=1.0, max_connections=64) as srv:
        socks = []
        for _ in range(40):  # request heads that never finish
            s = connect(srv.port)
            s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-a: ")
            socks.append(s)
        assert request(srv.port, "GET", "/health") == (200, {"healthy": True})
        time.sleep(0.5)
        for s in socks:
            s.sendall(b"b")  # trickling bytes does not extend the deadline
        assert all(closed_by_peer(s, 5.0) for s in socks)
        for s in socks:
            s.close()


@pytest.mark.slow
def test_at_the_cap_idle_connections_make_room_and_busy_ones_do_not() -> None:
    with serve(max_connections=20, header_timeout=30.0, body_timeout=30.0) as srv:
        idle = [connect(srv.port) for _ in range(20)]
        for s in idle[10:]:
            s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-slow: ")  # slowloris: an unfinished head
            time.sleep(0.01)
        time.sleep(0.3)
        # a new client closes the oldest connection that runs no request
        assert request(srv.port, "GET", "/health") == (200, {"healthy": True})
        assert srv.guard.evicted_connections == 1
        more = []
        for _ in range(10):  # 19 left + 10 new: 9 more of the oldest go
            more.append(connect(srv.port))
            time.sleep(0.05)
        assert srv.guard.evicted_connections == 10
        assert all(closed_by_peer(s, 2.0) for s in idle[:10])  # oldest first, incomplete heads included
        assert not any(closed_by_peer(s, 0.1) for s in idle[10:] + more)
        for s in idle + more:
            s.close()
        time.sleep(0.3)
        busy = []
        for _ in range(20):  # requests in progress (bodies still arriving) are never closed for others
            s = connect(srv.port)
            s.sendall(b"POST /blob HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n" + b"a" * 10)
            busy.append(s)
            time.sleep(0.02)
        time.sleep(0.3)
        extra = [connect(srv.port) for _ in range(5)]
        assert [read_response(s) for s in extra] == [(503, {"error": "too many connections, retry later"})] * 5
        assert srv.guard.refused_connections == 5
        for s in busy:
            s.sendall(b"a" * 90)
        assert [read_response(s) for s in busy] == [(200, {"bytes": 100})] * 20
        for s in busy + extra:
            s.close()


def test_garbage_requests_log_a_bounded_number_of_lines(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("aiohttp.server")
    installed = logger.filters[:]  # a service started in-process by an earlier test installs its own filter
    for f in installed:
        logger.removeFilter(f)
    flt = RateLimitFilter(burst=5, window=60.0)
    logger.addFilter(flt)
    try:
        with caplog.at_level(logging.DEBUG, logger="aiohttp.server"), serve() as srv:
            for _ in range(60):
                with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as s:
                    s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n")
                    assert read_response(s) == (400, {"error": "malformed HTTP request: Invalid header token:"})
        records = [r for r in caplog.records if r.name == "aiohttp.server"]
        assert len(records) == 5 and flt.dropped == 55
        assert all(r.exc_info is None for r in records)  # no traceback per malformed request
    finally:
        logger.removeFilter(flt)
        for f in installed:
            logger.addFilter(f)


def test_parse_uint_bounds() -> None:
    assert parse_uint("0", "n") == 0
    for bad in ("", "-1", "1.0", "²", "18446744073709551616", "0" * 21):
        with pytest.raises(HttpError):
            parse_uint(bad, "n")


@pytest.mark.slow
def test_a_burst_of_connections_never_exceeds_the_cap() -> None:
    with serve(max_connections=50, header_timeout=30.0) as srv:
        socks = [connect(srv.port) for _ in range(200)]  # faster than the server accepts them
        time.sleep(1.0)
        closed = sum(closed_by_peer(s, 0.05) for s in socks)
        assert closed == 150 and srv.guard.evicted_connections == 150
        assert not any(closed_by_peer(s, 0.01) for s in socks[-50:])  # the newest stay
        for s in socks:
            s.close()
