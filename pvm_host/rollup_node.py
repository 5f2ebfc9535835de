"""A local rollup node: makes a level every block time and serves the octez rollup-node RPC subset.

Paths and JSON shapes follow octez (``src/lib_smart_rollup/rollup_node_services.ml``,
``src/proto_alpha/lib_sc_rollup_layer2/sc_rollup_services.ml``); ``{id}`` is ``head``,
``finalized``, ``cemented`` or the head level number — only the head state is kept, other levels
answer 404 except for outbox messages, which are kept per level. Numbers octez encodes as int64 or
Zarith are JSON strings, int32 are JSON numbers.

- ``GET /health`` → ``{"healthy", "degraded", "l1": {"connection", "blocks_late"}, "active_workers":
  [["batcher", "running" | {"crashed": …}]]}`` (no L1 here: always connected, 0 blocks late)
- ``GET /version`` → ``{"version", "store_version", "context_version"}``; ``GET /openapi`` → the
  OpenAPI 3 description of the routes below
- ``GET /global/smart_rollup_address`` → ``"sr1…"``; ``GET /global/tezos_level`` → head level
- ``GET /global/block/{id}/level`` → last completed level (int)
- ``GET /global/block/{id}/durable/wasm_2_0_0/value?key=/k`` → hex string or ``null``;
  ``…/length`` → ``"n"`` or ``null``; ``…/subkeys`` → names; ``…/values`` → ``[{"key", "value"}]``
  for the direct children holding a value
- ``GET /global/block/{id}/state_hash`` → ``"srs1…"`` (base58 of the durable root hash);
  ``/status`` → status string; ``/total_ticks`` → ``"n"`` ticks used since origination
- ``GET /global/block/{id}/outbox/{level}/messages`` →
  ``[{"outbox_level": L, "message_index": "i", "message": {"transactions": […], "kind": "untyped"}}]``
  (see :func:`pvm_host.outbox.to_json`); messages the protocol cannot decode are left out, their
  indexes are not reused (as the PVM's ``get_outbox`` does)
- ``POST /local/batcher/injection`` with a JSON array of hex external payloads (each ≤ 4,095 bytes,
  the protocol limit once the PVM adds the ``01`` tag) → ``["scmsg…"]`` ids
  (:mod:`pvm_host.l2_message`, counter = the queue sequence number). ``?drop_duplicate=false`` is
  accepted; ``order`` and ``drop_duplicate=true`` get 400 (this batcher is first-in first-out).
  Per request at most ``max_inject_messages`` (1,000) messages in a body of at most
  ``max_inject_body`` bytes (413 past either); 429 when the queue already holds
  ``max_queued_messages`` (20,000) messages or ``max_queued_bytes`` (64 MiB).
- ``GET /local/batcher/queue`` → ``[{"id": "scmsg…", "message": {"content": hex, "counter": "n"}}]``
  not yet in a level; ``GET /local/batcher/queue/{id}`` → ``{"content": hex, "status":
  "pending_batch"}`` while queued, ``{"status": "unknown"}`` otherwise (no L1 operation to report)
- ``GET /metrics`` → Prometheus metrics (:mod:`pvm_host.node_metrics`)

Every level takes the oldest injected messages, in order, as its externals: at most
``max_level_messages`` (10,000) totalling at most ``max_level_bytes`` (16 MiB); the rest wait for
the next levels (timestamp = wall-clock seconds). With a local L1 (``l1``, :mod:`pvm_host.l1_sim`)
each level is an L1 block instead: the batcher's operations carry what the protocol limits allow,
``Dal_attested_slots`` messages end the inbox, the DAL reveals are answered from its DAL node,
and the DAL-node routes (:mod:`pvm_host.l1_sim.dal_routes`) and L1 routes
(:mod:`pvm_host.l1_sim.l1_routes`) are served on the same port. Levels run in a worker thread;
durable reads (``value``, ``length``, ``subkeys``, ``values``), the state hash and outboxes are
answered from the last committed level (an LMDB read transaction), so they stay fast while a level runs.
Malformed requests get a 4xx JSON ``{"error": …}`` and the HTTP limits of :mod:`pvm_host.http_guard`
apply (connections, header and body timeouts, body sizes, JSON shape).
Injected messages are persisted (with a state directory) before the answer and leave the queue in
the same commit as the level that consumes them, so a crash neither loses nor repeats them. A level that needs
a preimage the node does not have stops the node (nothing of that level is committed), as octez does.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from pvm_host.dal import DalView
from pvm_host.durable import path_of
from pvm_host.http_guard import HttpError, HttpGuard, HttpLimits, limit_logging, parse_uint
from pvm_host.l1_sim.chain import BlockReport, LocalL1
from pvm_host.l2_message import is_message_id, message_id
from pvm_host.lifecycle import LevelReport
from pvm_host.metrics import MetricsServer, add_metrics_route
from pvm_host.node_metrics import RollupNodeMetrics
from pvm_host.outbox import to_json as outbox_json
from pvm_host.pvm import MissingPreimage
from pvm_host.rollup import Rollup
from pvm_host.rollup_openapi import CONTEXT_VERSION, STORE_VERSION, openapi, package_version
from pvm_spec import b58
from pvm_spec.constants import MAX_EXTERNAL_PAYLOAD

HEAD_ALIASES = {"head", "finalized", "cemented"}
log = logging.getLogger("pvm_host.rollup_node")


@dataclass(frozen=True)
class InjectionLimits:
    """Bounds of the batcher (see the module docstring)."""

    max_inject_messages: int = 1000
    max_inject_body: int = 9 * 1024 * 1024  # 1,000 payloads of 4,095 bytes as hex, with JSON framing
    max_queued_messages: int = 20_000
    max_queued_bytes: int = 64 * 1024 * 1024
    max_level_messages: int = 10_000
    max_level_bytes: int = 16 * 1024 * 1024


def _outbox_entries(level: int, messages: list[bytes]) -> list[dict[str, Any]]:
    """octez ``Sc_rollup.output_encoding`` list: decodable messages only, original indexes."""
    out = []
    for index, message in enumerate(messages):
        try:
            body = outbox_json(message)
        except ValueError:
            continue
        out.append({"outbox_level": level, "message_index": str(index), "message": body})
    return out


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


class RollupNode:
    """Owns a :class:`Rollup`, a message queue and the HTTP application."""

    def __init__(
        self,
        rollup: Rollup,
        block_time: float = 1.0,
        on_level: Callable[[LevelReport, int], None] | None = None,
        limits: InjectionLimits | None = None,
        http: HttpLimits | None = None,
        l1: LocalL1 | None = None,
    ) -> None:
        self.rollup = rollup
        self.l1 = l1
        self.last_block: BlockReport | None = None
        if l1 is not None:
            rollup.pvm.dal = DalView(l1.dal.params, l1.dal)
        self.block_time = block_time
        self.on_level = on_level
        self.limits = limits or InjectionLimits()
        self.failure = ""  # set when a level cannot complete (missing preimage): the node stops
        self.stopped: asyncio.Event | None = None
        self._lock = asyncio.Lock()  # one level at a time; in-memory rollups also serialise reads with it
        self._producer: asyncio.Task[None] | None = None
        self._running: asyncio.Future | None = None  # the level running in a worker thread, if any
        self.head_level = rollup.next_level - 1  # last committed level
        self.root_hex = rollup.root_hash().hex()  # state hash of that level
        self._ids: dict[int, str] = {}  # queue sequence number -> scmsg id (queued messages only)
        self.guard = HttpGuard(http or HttpLimits(max_body=self.limits.max_inject_body), log)
        limit_logging(log.name)
        self.metrics = RollupNodeMetrics(self)
        self.app = web.Application(client_max_size=self.guard.limits.max_body,
                                   middlewares=[self.metrics.http.middleware, self.guard.middleware])
        self._routes()

    def _routes(self) -> None:
        r = self.app.router
        # root
        r.add_get("/health", self.health)
        r.add_get("/version", self.version)
        r.add_get("/openapi", self.openapi)
        # /global
        r.add_get("/global/smart_rollup_address", self.address)
        r.add_get("/global/tezos_level", self.tezos_level)
        r.add_get("/global/block/{block}/level", self.level)
        r.add_get("/global/block/{block}/state_hash", self.state_hash)
        r.add_get("/global/block/{block}/status", self.status)
        r.add_get("/global/block/{block}/total_ticks", self.total_ticks)
        r.add_get("/global/block/{block}/durable/wasm_2_0_0/{what}", self.durable)
        r.add_get("/global/block/{block}/outbox/{level}/messages", self.outbox)
        # /local
        r.add_post("/local/batcher/injection", self.inject)
        r.add_get("/local/batcher/queue", self.batcher_queue)
        r.add_get("/local/batcher/queue/{id}", self.batcher_message)
        add_metrics_route(self.app, self.metrics.registry)
        if self.l1 is not None:
            from pvm_host.l1_sim.dal_routes import DalRoutes
            from pvm_host.l1_sim.l1_routes import L1Routes

            DalRoutes(self.l1.dal, self.guard, self.block_time).add_to(self.app)
            L1Routes(self.l1, self.guard).add_to(self.app)
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
        if self._running is not None:  # a level still running in its thread finishes before the store closes
            await asyncio.gather(self._running, return_exceptions=True)

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
            self._running = loop.run_in_executor(None, self._run_level)
            report, root = await asyncio.shield(self._running)  # cancelling us does not stop the thread
            self.head_level, self.root_hex = self.rollup.next_level - 1, root
        self.metrics.on_level(report, self.rollup.last_dequeued)
        if self.on_level is not None:
            self.on_level(report, self.rollup.last_dequeued)
        return report

    def _run_level(self) -> tuple[LevelReport, str]:
        """In a worker thread: the next level from the queue (within the level bounds, or the local
        L1's block) and its root."""
        if self.l1 is not None:
            sizes = [len(p) for p in self.rollup.queued()]
            taken, tail, self.last_block = self.l1.build_block(self.rollup.next_level, sizes)
            report = self.rollup.run_queued_level(int(time.time()), max_messages=taken, tail=tail)
            self.last_block.applied_at = time.time()
        else:
            report = self.rollup.run_queued_level(int(time.time()), max_messages=self.limits.max_level_messages,
                                                  max_bytes=self.limits.max_level_bytes)
        return report, self.rollup.root_hash().hex()

    # ---- handlers ----------------------------------------------------------------------------

    def _head(self) -> int:
        return self.head_level

    def _check_block(self, request: web.Request) -> web.Response | None:
        block = request.match_info["block"]
        if block in HEAD_ALIASES:
            return None
        number = parse_uint(block, "block id")
        if number == self._head():
            return None
        return _error(404, f"block {block} is not the head ({self._head()}); only the head state is kept")

    async def health(self, _request: web.Request) -> web.Response:
        """Health of the node (octez ``Root.health``)."""
        worker: Any = {"crashed": self.failure} if self.failure else "running"
        return web.json_response({"healthy": not self.failure, "degraded": False,
                                  "l1": {"connection": "connected", "blocks_late": 0},
                                  "active_workers": [["batcher", worker]]})

    async def version(self, _request: web.Request) -> web.Response:
        """Versions of the node, its store and its durable-state format (octez ``Root.version``)."""
        return web.json_response({"version": f"dsn-rollup-node {package_version()}",
                                  "store_version": STORE_VERSION, "context_version": CONTEXT_VERSION})

    async def openapi(self, _request: web.Request) -> web.Response:
        """OpenAPI 3 description of the routes this node serves."""
        return web.json_response(openapi(self.app.router, package_version()))

    async def address(self, _request: web.Request) -> web.Response:
        """The rollup address ``sr1…``."""
        return web.json_response(self.rollup.address)

    async def tezos_level(self, _request: web.Request) -> web.Response:
        """Last level processed (the node is its own L1: the Tezos level is the rollup level)."""
        return web.json_response(self._head() if self._head() >= 0 else None)

    async def level(self, request: web.Request) -> web.Response:
        """Level of a block id (int32)."""
        block = request.match_info["block"]
        if block in HEAD_ALIASES:
            return web.json_response(self._head())
        number = parse_uint(block, "block id")
        if number <= self._head():
            return web.json_response(number)
        return _error(404, f"unknown block {block!r}")

    async def state_hash(self, request: web.Request) -> web.Response:
        """State hash ``srs1…`` of the head (base58 of the durable root hash)."""
        return self._check_block(request) or web.json_response(b58.encode("srs1", bytes.fromhex(self.root_hex)))

    async def status(self, request: web.Request) -> web.Response:
        """Kernel status at the head: ``running`` or ``stuck: <reason>``."""
        return self._check_block(request) or web.json_response(self.rollup.status)

    async def total_ticks(self, request: web.Request) -> web.Response:
        """Ticks used since origination (decimal string)."""
        return self._check_block(request) or web.json_response(str(self.rollup.meta.total_ticks))

    async def durable(self, request: web.Request) -> web.Response:
        """Durable storage at ``?key=``: ``value``, ``length``, ``subkeys`` or ``values``."""
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
        if what not in ("value", "length", "subkeys", "values"):
            return _error(404, f"unknown durable query {what!r} (value, length, subkeys, values)")
        if self.rollup.store is None:  # in memory: the live tree, never while a level runs
            async with self._lock:
                return self._durable_answer(what, path)
        return await asyncio.to_thread(self._durable_answer, what, path)  # committed state (LMDB)

    def _durable_answer(self, what: str, path: tuple[str, ...]) -> web.Response:
        if what == "subkeys":
            return web.json_response(self.rollup.subkeys_committed(path))
        if what == "values":  # octez wasm_2_0_0_rpc.ml: the direct children that hold a value
            children = ((name, self.rollup.read_committed((*path, name))) for name in self.rollup.subkeys_committed(path))
            return web.json_response([{"key": name, "value": v.hex()} for name, v in children if v is not None])
        value = self.rollup.read_committed(path)
        if value is None:
            return web.json_response(None)
        return web.json_response(value.hex() if what == "value" else str(len(value)))

    async def outbox(self, request: web.Request) -> web.Response:
        """Outbox messages written at an outbox level (octez ``Sc_rollup.output_encoding``)."""
        if request.match_info["block"] not in HEAD_ALIASES:
            parse_uint(request.match_info["block"], "block id")
        level = parse_uint(request.match_info["level"], "outbox level", 2**32 - 1)
        if self.rollup.store is None:
            async with self._lock:
                messages = self.rollup.outbox_at(level)
        else:
            messages = await asyncio.to_thread(self.rollup.outbox_at, level)
        return web.json_response(_outbox_entries(level, messages))

    async def inject(self, request: web.Request) -> web.Response:
        """Queue external payloads; answers their ``scmsg…`` ids."""
        if "order" in request.query:
            return _error(400, "order is not supported: this batcher keeps injection order")
        if request.query.get("drop_duplicate", "false") != "false":
            return _error(400, "drop_duplicate=true is not supported: identical messages are all kept")
        lim = self.limits
        body: Any = await self.guard.read_json(request, lim.max_inject_body, lim.max_inject_messages)
        if not isinstance(body, list) or not all(isinstance(x, str) for x in body):
            return _error(400, "body must be a JSON array of hex strings")
        if len(body) > lim.max_inject_messages:
            raise HttpError(413, f"{len(body)} messages; at most {lim.max_inject_messages} per request")
        payloads: list[bytes] = []
        for i, text in enumerate(body):
            try:
                payload = bytes.fromhex(text)
            except ValueError:
                return _error(400, f"message {i} is not hex")
            if len(payload) > MAX_EXTERNAL_PAYLOAD:
                return _error(400, f"message {i} has {len(payload)} bytes; the limit is {MAX_EXTERNAL_PAYLOAD}")
            payloads.append(payload)
        queued = len(self.rollup.queued())
        if queued + len(payloads) > lim.max_queued_messages or \
                self.rollup.queued_bytes + sum(map(len, payloads)) > lim.max_queued_bytes:
            raise HttpError(429, f"batcher queue full ({queued} messages, {self.rollup.queued_bytes} bytes); "
                                 "retry after the next level")
        # persisted before the answer (one synced write per request); may run while a level runs
        seqs = await asyncio.to_thread(self.rollup.enqueue, payloads)
        return web.json_response([self._id(seq, p) for seq, p in zip(seqs, payloads, strict=True)])

    def _id(self, seq: int, payload: bytes) -> str:
        known = self._ids.get(seq)
        if known is None:
            known = self._ids[seq] = message_id(payload, seq)
        return known

    def _queue(self) -> list[tuple[str, int, bytes]]:
        """(id, counter, payload) of the queued messages; forgets the ids of messages gone to a level."""
        entries = self.rollup.queued_entries()
        first = entries[0][0] if entries else None
        for seq in [s for s in self._ids if first is None or s < first]:
            del self._ids[seq]
        return [(self._id(seq, p), seq, p) for seq, p in entries]

    async def batcher_queue(self, _request: web.Request) -> web.Response:
        """Messages injected and not yet in a level (octez ``L2_message.encoding``)."""
        return web.json_response([{"id": i, "message": {"content": p.hex(), "counter": str(seq)}}
                                  for i, seq, p in self._queue()])

    async def batcher_message(self, request: web.Request) -> web.Response:
        """Status of one injected message (octez ``message_status_output``)."""
        wanted = request.match_info["id"]
        if not is_message_id(wanted):
            return _error(400, f"invalid L2 message id {wanted!r}")
        for i, _seq, payload in self._queue():
            if i == wanted:
                return web.json_response({"content": payload.hex(), "status": "pending_batch"})
        return web.json_response({"status": "unknown"})


def serve(node: RollupNode, port: int, on_ready: Callable[[int], None] | None = None,
          metrics_port: int | None = None) -> str:
    """Run the node on 127.0.0.1:``port`` (0 = any free port) until interrupted or a level fails;
    ``/metrics`` also on ``metrics_port`` when given.

    Returns the failure message ("" when interrupted).
    """

    async def main() -> None:
        runner = node.guard.runner(node.app)
        await runner.setup()
        site = node.guard.site(runner, "127.0.0.1", port)
        await site.start()
        metrics = MetricsServer(node.metrics.registry)
        if metrics_port is not None:
            await metrics.start("127.0.0.1", metrics_port)
        if on_ready is not None:
            on_ready(site.bound_port)
        try:
            assert node.stopped is not None
            await node.stopped.wait()
        finally:
            await runner.cleanup()
            await metrics.stop()

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
    return node.failure
