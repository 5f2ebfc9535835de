"""Hostile HTTP clients as raw sockets on loopback, and a helper to serve an app in a thread."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web

from pvm_host.http_guard import HttpGuard


def connect(port: int, timeout: float = 10.0) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    return s


def read_response(s: socket.socket) -> tuple[int, Any]:
    """Status and JSON body of one HTTP/1.1 response (the server closes or sends Content-Length)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            raise ConnectionError(f"closed before a response head: {data!r}")
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    status = int(head.split(b" ", 2)[1])
    length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                   if line.lower().startswith(b"content-length:")), None)
    while length is not None and len(body) < length:
        chunk = s.recv(65536)
        if not chunk:
            break
        body += chunk
    return status, json.loads(body) if body else None


def request(port: int, method: str, path: str, body: bytes = b"", content_type: str = "application/json",
            timeout: float = 10.0) -> tuple[int, Any]:
    """One request on a fresh connection."""
    with connect(port, timeout) as s:
        s.sendall(f"{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {content_type}\r\n"
                  f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body)
        return read_response(s)


def closed_by_peer(s: socket.socket, within: float) -> bool:
    """True when the server closes (or resets) the connection within ``within`` seconds."""
    s.settimeout(within)
    try:
        while s.recv(65536):
            pass
        return True
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


class Served:
    """An aiohttp application behind a :class:`HttpGuard` site, run in a thread on a free port."""

    def __init__(self, app: web.Application, guard: HttpGuard,
                 on_loop: Callable[[asyncio.AbstractEventLoop], None] | None = None) -> None:
        self.app, self.guard, self.on_loop = app, guard, on_loop
        self.port = 0
        self.loop: asyncio.AbstractEventLoop | None = None
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=lambda: asyncio.run(self._main()), daemon=True)

    async def _main(self) -> None:
        self.loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        runner = self.guard.runner(self.app)
        await runner.setup()
        site = self.guard.site(runner, "127.0.0.1", 0)
        await site.start()
        self.port = site.bound_port
        self._ready.set()
        try:
            await self._stop.wait()
        finally:
            await runner.cleanup()

    def __enter__(self) -> Served:
        self._thread.start()
        assert self._ready.wait(15)
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.loop is not None and self._stop is not None
        self.loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(15)


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t = time.monotonic()
    out = fn()
    return time.monotonic() - t, out
