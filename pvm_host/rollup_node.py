"""A local rollup node: makes a level every block time and serves the octez rollup-node RPC subset.

Routes (JSON; ``{id}`` is ``head``, ``finalized``, ``cemented`` or the head level number — only the
head state is kept, other levels answer 404 except for outbox messages, which are kept per level):

- ``GET /health`` → ``{"healthy": true, "level": L, "status": "running"|"stuck: …"}``
- ``GET /global/smart_rollup_address`` → ``"sr1…"``
- ``GET /global/block/{id}/level`` → last completed level (int)
- ``GET /global/block/{id}/durable/wasm_2_0_0/value?key=/k`` → hex string or ``null``
- ``GET /global/block/{id}/durable/wasm_2_0_0/length?key=/k`` → int or ``null``
- ``GET /global/block/{id}/durable/wasm_2_0_0/subkeys?key=/k`` → list of names
- ``GET /global/block/{id}/state_hash`` → hex of the durable root hash; ``/status`` → status string;
  ``/total_ticks`` → ticks used since origination
- ``GET /global/block/{id}/outbox/{level}/messages`` →
  ``[{"outbox_level": L, "message_index": i, "message": {"kind": …, "hex": …, "transactions": […]}}]``
  (``kind``: ``atomic_transaction_batch``, ``atomic_transaction_batch_typed``, ``whitelist_update`` or
  ``unknown``; transactions as ``{"destination", "entrypoint", "parameters_hex"}``, see :mod:`pvm_host.outbox`)
- ``POST /local/batcher/injection`` with a JSON array of hex external payloads (each ≤ 4,095 bytes,
  the protocol limit once the PVM adds the ``01`` tag) → list of ids (hex BLAKE2b-256 of the payload)
- ``GET /local/batcher/queue`` → ids of injected messages not yet in a level

Every level takes the messages injected since the previous one, in order, as its externals
(timestamp = wall-clock seconds). Malformed requests get a 4xx JSON ``{"error": …}``.
Injected messages are persisted (with a state directory) before the answer and leave the queue in
the same commit as the level that consumes them, so a crash neither loses nor repeats them. A level that needs
a preimage the node does not have stops the node (nothing of that level is committed), as octez does.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web

from pvm_host.durable import path_of
from pvm_host.lifecycle import LevelReport
from pvm_host.outbox import decode as decode_outbox
from pvm_host.pvm import MissingPreimage
from pvm_host.rollup import Rollup
from pvm_spec.constants import MAX_EXTERNAL_PAYLOAD

HEAD_ALIASES = {"head", "finalized", "cemented"}


def _describe(message: bytes) -> dict[str, Any]:
    """JSON view of an outbox message: raw hex, kind, and decoded transactions when well formed."""
    try:
        kind, content = decode_outbox(message)
    except ValueError:
        return {"kind": "unknown", "hex": message.hex()}
    out: dict[str, Any] = {"kind": kind, "hex": message.hex()}
    if kind == "whitelist_update":
        out["whitelist"] = None if content is None else [p.hex() for p in content]  # type: ignore[union-attr]
    else:
        out["transactions"] = [
            {"destination": tx.destination, "entrypoint": tx.entrypoint, "parameters_hex": tx.parameters.hex()}
            for tx in content or []
        ]
    return out


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


@web.middleware
async def _json_errors(request: web.Request, handler: Callable[[web.Request], Any]) -> web.StreamResponse:
    """Unknown routes, wrong methods and oversized bodies answer JSON errors too."""
    try:
        response: web.StreamResponse = await handler(request)
        return response
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        return _error(exc.status, exc.reason or "error")


class RollupNode:
    """Owns a :class:`Rollup`, a message queue and the HTTP application."""

    def __init__(
        self,
        rollup: Rollup,
        block_time: float = 1.0,
        on_level: Callable[[LevelReport, int], None] | None = None,
    ) -> None:
        self.rollup = rollup
        self.block_time = block_time
        self.on_level = on_level
        self.failure = ""  # set when a level cannot complete (missing preimage): the node stops
        self.stopped: asyncio.Event | None = None
        self._lock = asyncio.Lock()
        self._producer: asyncio.Task[None] | None = None
        self.app = web.Application(client_max_size=64 * 1024 * 1024, middlewares=[_json_errors])
        self._routes()

    def _routes(self) -> None:
        r = self.app.router
        r.add_get("/health", self.health)
        r.add_get("/global/smart_rollup_address", self.address)
        r.add_get("/global/block/{block}/level", self.level)
        r.add_get("/global/block/{block}/state_hash", self.state_hash)
        r.add_get("/global/block/{block}/status", self.status)
        r.add_get("/global/block/{block}/total_ticks", self.total_ticks)
        r.add_get("/global/block/{block}/durable/wasm_2_0_0/{what}", self.durable)
        r.add_get("/global/block/{block}/outbox/{level}/messages", self.outbox)
        r.add_post("/local/batcher/injection", self.inject)
        r.add_get("/local/batcher/queue", self.batcher_queue)
        self.app.on_startup.append(self._start)
        self.app.on_cleanup.append(self._stop)

    # ---- level production --------------------------------------------------------------------

    async def _start(self, _app: web.Application) -> None:
        self.stopped = asyncio.Event()
        self._producer = asyncio.create_task(self._produce())

    async def _stop(self, _app: web.Application) -> None:
        if self._producer is not None:
            self._producer.cancel()
            try:
                await self._producer
            except asyncio.CancelledError:
                pass

    async def _produce(self) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time()
        while True:
            deadline = max(deadline + self.block_time, loop.time())  # fixed cadence; no catch-up burst
            await asyncio.sleep(deadline - loop.time())
            try:
                await self.make_level(loop)
            except MissingPreimage as exc:
                # like octez: the level cannot complete; nothing of it was committed
                self.failure = f"{exc}; add it to the preimage directory and restart"
            except Exception as exc:  # a host failure: stop rather than serve a half-run level
                self.failure = f"level {self.rollup.next_level} failed: {exc!r}"
            else:
                continue
            assert self.stopped is not None
            self.stopped.set()
            return

    async def make_level(self, loop: asyncio.AbstractEventLoop | None = None) -> LevelReport:
        """Run one level now with the queued messages."""
        loop = loop or asyncio.get_running_loop()
        async with self._lock:
            count = len(self.rollup.queued())
            report = await loop.run_in_executor(None, self.rollup.run_queued_level, int(time.time()))
        if self.on_level is not None:
            self.on_level(report, count)
        return report

    # ---- handlers ----------------------------------------------------------------------------

    def _head(self) -> int:
        return self.rollup.next_level - 1

    def _check_block(self, request: web.Request) -> web.Response | None:
        block = request.match_info["block"]
        if block in HEAD_ALIASES or (block.isdigit() and int(block) == self._head()):
            return None
        if block.lstrip("-").isdigit():
            return _error(404, f"block {block} is not the head ({self._head()}); only the head state is kept")
        return _error(400, f"unknown block id {block!r}")

    async def health(self, _request: web.Request) -> web.Response:
        return web.json_response({"healthy": True, "level": self._head(), "status": self.rollup.status})

    async def address(self, _request: web.Request) -> web.Response:
        return web.json_response(self.rollup.address)

    async def level(self, request: web.Request) -> web.Response:
        block = request.match_info["block"]
        if block in HEAD_ALIASES:
            return web.json_response(self._head())
        if block.isdigit() and int(block) <= self._head():
            return web.json_response(int(block))
        return _error(404 if block.isdigit() else 400, f"unknown block {block!r}")

    async def state_hash(self, request: web.Request) -> web.Response:
        async with self._lock:
            return self._check_block(request) or web.json_response(self.rollup.root_hash().hex())

    async def status(self, request: web.Request) -> web.Response:
        return self._check_block(request) or web.json_response(self.rollup.status)

    async def total_ticks(self, request: web.Request) -> web.Response:
        return self._check_block(request) or web.json_response(self.rollup.meta.total_ticks)

    async def durable(self, request: web.Request) -> web.Response:
        bad = self._check_block(request)
        if bad is not None:
            return bad
        what = request.match_info["what"]
        key = request.query.get("key")
        if key is None:
            return _error(400, "missing ?key=")
        try:
            path = () if key in ("", "/") else path_of(key)
        except ValueError as exc:
            return _error(400, str(exc))
        async with self._lock:
            durable = self.rollup.pvm.durable
            if what == "value":
                value = durable.get(path)
                return web.json_response(None if value is None else value.hex())
            if what == "length":
                value = durable.get(path)
                return web.json_response(None if value is None else len(value))
            if what == "subkeys":
                return web.json_response(durable.subkeys(path))
        return _error(404, f"unknown durable query {what!r} (value, length, subkeys)")

    async def outbox(self, request: web.Request) -> web.Response:
        if request.match_info["block"] not in HEAD_ALIASES and not request.match_info["block"].isdigit():
            return _error(400, "bad block id")
        level_text = request.match_info["level"]
        if not level_text.isdigit():
            return _error(400, f"bad outbox level {level_text!r}")
        level = int(level_text)
        async with self._lock:
            messages = self.rollup.outbox_at(level)
        return web.json_response([
            {"outbox_level": level, "message_index": i, "message": _describe(m)} for i, m in enumerate(messages)
        ])

    async def inject(self, request: web.Request) -> web.Response:
        try:
            body: Any = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            return _error(400, "body must be a JSON array of hex strings")
        if not isinstance(body, list) or not all(isinstance(x, str) for x in body):
            return _error(400, "body must be a JSON array of hex strings")
        payloads: list[bytes] = []
        for i, text in enumerate(body):
            try:
                payload = bytes.fromhex(text)
            except ValueError:
                return _error(400, f"message {i} is not hex")
            if len(payload) > MAX_EXTERNAL_PAYLOAD:
                return _error(400, f"message {i} has {len(payload)} bytes; the limit is {MAX_EXTERNAL_PAYLOAD}")
            payloads.append(payload)
        async with self._lock:  # persisted before the answer (one synced write per request)
            await asyncio.get_running_loop().run_in_executor(None, self.rollup.enqueue, payloads)
        return web.json_response([hashlib.blake2b(p, digest_size=32).hexdigest() for p in payloads])

    async def batcher_queue(self, _request: web.Request) -> web.Response:
        return web.json_response([hashlib.blake2b(p, digest_size=32).hexdigest() for p in self.rollup.queued()])


def serve(node: RollupNode, port: int, on_ready: Callable[[int], None] | None = None) -> str:
    """Run the node on 127.0.0.1:``port`` (0 = any free port) until interrupted or a level fails.

    Returns the failure message ("" when interrupted).
    """

    async def main() -> None:
        runner = web.AppRunner(node.app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", port)
        await site.start()
        server = site._server
        bound = server.sockets[0].getsockname()[1] if server is not None and server.sockets else port
        if on_ready is not None:
            on_ready(bound)
        try:
            assert node.stopped is not None
            await node.stopped.wait()
        finally:
            await runner.cleanup()

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
    return node.failure
