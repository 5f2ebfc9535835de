"""Hardening shared by the aiohttp services (sequencer API, local rollup node) against hostile clients.

- **Connections**: at most ``max_connections`` at once (:class:`GuardedSite`). At the cap a new
  connection closes the oldest one that is not running a request (idle, or still sending its request
  head, as slowloris clients do); when every connection runs a request it gets ``503 {"error": …}``
  and is closed. So slow clients can neither use up file descriptors nor lock others out.
- **Request heads**: a connection must deliver a complete request line and headers within
  ``header_timeout`` seconds of opening or of its previous response, else it is closed (aiohttp's
  keep-alive timer, which also runs before the first request, set to this value).
- **Bodies** (:meth:`HttpGuard.read_body`): streamed in chunks, refused past the route's limit
  (413) or when not complete within ``body_timeout`` seconds (408); all requests together hold at
  most ``max_inflight`` body bytes (503 past it). A request's reservation lasts until its handler
  returns, so memory per request is bounded by its limit and the total by the cap.
- **JSON** (:meth:`HttpGuard.read_json`): UTF-8 only, at most ``max_json_depth`` levels, integers of at
  most ``max_int_digits`` digits, no NaN/Infinity, and at most ``max_items`` values (a comma count
  made before parsing, so a body of many tiny values is refused before it is built).
- **Errors** (:meth:`HttpGuard.middleware`): :class:`HttpError` and aiohttp's HTTP errors become
  ``{"error": …}`` with their 4xx status; any other exception is a JSON 500 and one log line.
- **Logs** (:func:`limit_logging`): each guarded logger emits at most ``burst`` records per
  ``window`` seconds and then one line saying how many it dropped; aiohttp's reports of malformed
  requests are logged without their traceback.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import re
import time
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.web_protocol import RequestHandler

log = logging.getLogger("pvm_host.http_guard")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_RESERVED = web.RequestKey("http_guard.reserved", int)


class HttpError(Exception):
    """A request the service refuses: answered ``{"error": message}`` with ``status``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class HttpLimits:
    """Limits of one service (defaults suit both the sequencer API and the local rollup node)."""

    max_connections: int = 256
    header_timeout: float = 10.0
    body_timeout: float = 30.0
    max_body: int = 8 * 1024 * 1024
    max_inflight: int = 48 * 1024 * 1024
    max_json_depth: int = 32
    max_int_digits: int = 20
    lingering_time: float = 2.0


def parse_uint(text: str, what: str, maximum: int = 2**64 - 1) -> int:
    """A decimal id from a path or query (ASCII digits, at most ``maximum``), else a 400."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(maximum)) or int(text) > maximum:
        raise HttpError(400, f"{what} must be an integer from 0 to {maximum}, got {text[:40]!r}"
                             + (f" ({len(text)} characters)" if len(text) > 40 else ""))
    return int(text)


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_BRACKET = re.compile(r"[\[\]{}]")


def _nested_deeper_than(text: str, limit: int) -> bool:
    """Whether the JSON ``text`` nests arrays/objects more than ``limit`` levels, found by a linear
    scan of its brackets outside strings (before parsing: the C parser recurses once per level, and
    a deep document must never reach it)."""
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    for m in _JSON_BRACKET.finditer(_JSON_STRING.sub('""', text)):
        if m.group() in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


class HttpGuard:
    """Per-service limits, counters and the middleware; one instance per aiohttp application."""

    def __init__(self, limits: HttpLimits | None = None, logger: logging.Logger | None = None) -> None:
        self.limits = limits or HttpLimits()
        self.log = logger or log
        self.inflight = 0  # body bytes currently held by requests
        self.refused_connections = 0  # past the cap with every connection running a request
        self.evicted_connections = 0  # idle or incomplete connections closed for a new one

    # ---- application wiring ------------------------------------------------------------------

    def runner(self, app: web.Application, **kwargs: Any) -> web.AppRunner:
        """An :class:`aiohttp.web.AppRunner` whose connections use the header timeout."""
        return web.AppRunner(app, keepalive_timeout=self.limits.header_timeout,
                             lingering_time=self.limits.lingering_time, **kwargs)

    def site(self, runner: web.AppRunner, host: str, port: int) -> GuardedSite:
        return GuardedSite(runner, host, port, self)

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """JSON errors for refused requests, a JSON 500 (one log line) for bugs, and the release of
        the request's body reservation."""
        try:
            return await handler(request)
        except HttpError as exc:
            return web.json_response({"error": str(exc)}, status=exc.status)
        except web.HTTPException as exc:
            if exc.status < 400:
                raise
            return web.json_response({"error": exc.reason or "error"}, status=exc.status)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self.log.error("%s %s failed: %r", request.method, request.path[:100], exc)
            return web.json_response({"error": f"internal error: {type(exc).__name__}"}, status=500)
        finally:
            self.inflight -= request.get(_RESERVED, 0)

    # ---- bodies ------------------------------------------------------------------------------

    async def read_body(self, request: web.Request, limit: int | None = None) -> bytes:
        """The whole body, read in chunks: 413 past ``limit`` (default ``max_body``), 408 when not
        received within ``body_timeout``, 503 when all requests together would hold more than
        ``max_inflight`` bytes."""
        limit = self.limits.max_body if limit is None else limit
        if request.content_length is not None and request.content_length > limit:
            raise HttpError(413, f"body of {request.content_length} bytes; the limit is {limit}")
        buf = bytearray()
        try:
            async with asyncio.timeout(self.limits.body_timeout):
                async for chunk in request.content.iter_chunked(65536):
                    if len(buf) + len(chunk) > limit:
                        raise HttpError(413, f"body larger than the limit of {limit} bytes")
                    if self.inflight + len(chunk) > self.limits.max_inflight:
                        raise HttpError(503, "server busy: too much request data in flight, retry later")
                    self.inflight += len(chunk)
                    request[_RESERVED] = request.get(_RESERVED, 0) + len(chunk)
                    buf += chunk
        except TimeoutError:
            raise HttpError(408, f"request body not received within {self.limits.body_timeout:g} s") from None
        return bytes(buf)

    def parse_json(self, raw: bytes, max_items: int | None = None) -> Any:
        """Decode a JSON body within the limits (400, or 413 for too many values)."""
        if max_items is not None and raw.count(b",") >= max_items:
            raise HttpError(413, f"too many JSON values (at most {max_items})")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise HttpError(400, f"body is not UTF-8 (byte {exc.start})") from None
        digits = self.limits.max_int_digits

        def parse_int(s: str) -> int:
            if len(s.lstrip("-")) > digits:
                raise HttpError(400, f"JSON integer of {len(s)} digits; at most {digits}")
            return int(s)

        def parse_float(s: str) -> float:
            v = float(s) if len(s) <= 40 else math.inf
            if not math.isfinite(v):
                raise HttpError(400, f"JSON number out of range: {s[:40]}")
            return v

        def parse_constant(s: str) -> Any:
            raise HttpError(400, f"JSON constant {s} is not allowed")

        if _nested_deeper_than(text, self.limits.max_json_depth):
            raise HttpError(400, f"JSON nested too deeply (at most {self.limits.max_json_depth} levels)")
        try:
            return json.loads(text, parse_int=parse_int, parse_float=parse_float, parse_constant=parse_constant)
        except json.JSONDecodeError as exc:
            raise HttpError(400, f"body is not JSON: {exc.msg} at character {exc.pos}") from None

    async def read_json(self, request: web.Request, limit: int | None = None, max_items: int | None = None) -> Any:
        """:meth:`read_body` then :meth:`parse_json`."""
        return self.parse_json(await self.read_body(request, limit), max_items)


class _Refuse(asyncio.Protocol):
    """Answers a connection past the cap with a 503 and closes it."""

    BODY = b'{"error": "too many connections, retry later"}'
    RESPONSE = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(BODY), BODY))

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.WriteTransport)
        transport.write(self.RESPONSE)
        transport.close()


class _JsonErrorHandler(RequestHandler):
    """aiohttp's connection handler, answering malformed HTTP (bad request line or headers) in JSON;
    knows when it was opened and whether it runs a request (for eviction at the connection cap)."""

    def __init__(self, live: weakref.WeakSet[_JsonErrorHandler], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.opened = time.monotonic()
        self.made = False
        self.live = live  # the site's connections, counted from creation (before connection_made)
        live.add(self)

    def connection_lost(self, exc: BaseException | None) -> None:
        self.live.discard(self)
        super().connection_lost(exc)

    @property
    def busy(self) -> bool:
        return bool(self._request_in_progress)

    @property
    def open(self) -> bool:
        """Counts against the cap: not yet made (accepted, still to start) or made and not closing."""
        return not self.made or self.transport is not None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.made = True
        super().connection_made(transport)

    def handle_error(self, request: Any, status: int = 500, exc: BaseException | None = None,
                     message: str | None = None) -> web.StreamResponse:
        resp = super().handle_error(request, status, exc, message)
        if status >= 500:
            return resp
        detail = exc.message if isinstance(exc, HttpProcessingError) else (message or "")
        out = web.json_response({"error": f"malformed HTTP request: {str(detail).splitlines()[0] if detail else status}"},
                                status=status)
        out.force_close()
        return out


class GuardedSite(web.TCPSite):
    """A TCP site that keeps at most the guard's cap of connections open (see the module docstring)."""

    def __init__(self, runner: web.AppRunner, host: str, port: int, guard: HttpGuard) -> None:
        super().__init__(runner, host, port, backlog=min(128, guard.limits.max_connections))
        self.guard = guard
        self._live: weakref.WeakSet[_JsonErrorHandler] = weakref.WeakSet()

    async def start(self) -> None:
        await web.BaseSite.start(self)  # registers the site with the runner
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(self._protocol, self._host, self._port,
                                                backlog=self._backlog, reuse_address=True)

    def _protocol(self) -> asyncio.BaseProtocol:
        server = self._runner.server
        assert server is not None
        open_now = [h for h in self._live if h.open]
        if len(open_now) >= self.guard.limits.max_connections:
            idle = [h for h in open_now if h.made and not h.busy]
            if not idle:
                self.guard.refused_connections += 1
                return _Refuse()
            min(idle, key=lambda h: h.opened).force_close()
            self.guard.evicted_connections += 1
        return _JsonErrorHandler(self._live, server, loop=asyncio.get_running_loop(), **server._kwargs)

    @property
    def bound_port(self) -> int:
        """The port actually bound (useful with port 0)."""
        assert self._server is not None
        return int(self._server.sockets[0].getsockname()[1])  # type: ignore[union-attr]


class RateLimitFilter(logging.Filter):
    """Lets at most ``burst`` records through per ``window`` seconds; then notes how many it dropped.
    Records about malformed requests (aiohttp's ``HttpProcessingError``) lose their traceback."""

    def __init__(self, burst: int = 20, window: float = 10.0) -> None:
        super().__init__()
        self.burst = burst
        self.window = window
        self.start = 0.0
        self.passed = 0
        self.dropped = 0

    def filter(self, record: logging.LogRecord) -> bool:
        now = time.monotonic()
        if now - self.start >= self.window:
            if self.dropped:
                record.msg = f"{record.getMessage()} [{self.dropped} similar log records dropped in {self.window:g} s]"
                record.args = None
            self.start, self.passed, self.dropped = now, 0, 0
        if self.passed >= self.burst:
            self.dropped += 1
            return False
        self.passed += 1
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, (HttpProcessingError, ConnectionError)):
            record.msg = f"{record.getMessage()}: {exc!r}"
            record.args, record.exc_info, record.exc_text = None, None, None
        return True


GUARDED_LOGGERS = ("aiohttp.server", "aiohttp.access", "aiohttp.web", "aiohttp.internal", "asyncio",
                   "pvm_host.http_guard")


def limit_logging(*names: str, burst: int = 20, window: float = 10.0) -> None:
    """Rate-limit aiohttp's, asyncio's and the given loggers (idempotent per logger)."""
    for name in GUARDED_LOGGERS + names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RateLimitFilter) for f in logger.filters):
            logger.addFilter(RateLimitFilter(burst, window))
