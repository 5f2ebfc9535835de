"""The sequencer's public HTTP API (aiohttp, JSON). Routes are documented in dsn/sequencer/README.md.

Malformed input gets a 4xx ``{"error": …}``: 400 for bad hex, JSON or numbers, 413 for a
transaction above the DSN's size limit (``{"error", "limit"}``) or a body above the HTTP limit, 422 for a
transaction the kernel would reject (decoding, rollup address, signature), 404 for unknown ids.
A rollup or DSN failure is a 502/503. The HTTP limits of :mod:`pvm_host.http_guard` apply (connections,
header and body timeouts, ``MAX_BROADCAST_BODY``, JSON depth and integer size).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any, Awaitable, Callable

from aiohttp import web

from dsn.sequencer.block_cache import BlockTxCache
from dsn.sequencer.dashboard.routes import Dashboard
from dsn.sequencer.metrics import SequencerMetrics
from dsn.sequencer.sources import PreBlockSource, SubmitError
from dsn.sequencer.state import KernelState
from dsn.sequencer.submitter import Submitter
from dsn.sequencer.tracker import TxTracker, describe_tx
from dsn.sequencer.txcheck import Admitted, NotHex, TxRejected, TxTooLarge, admit, parse_hex
from pvm_host.http_guard import HttpError, HttpGuard, HttpLimits, parse_uint
from pvm_host.metrics import add_metrics_route
from pvm_host.rollup_client import RollupRpcError

MAX_BROADCAST_TXS = 10_000
MAX_BROADCAST_BODY = 8 * 1024 * 1024
MAX_MESSAGES = 1000
MAX_TX = web.AppKey("max_tx", int)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _hex_id(text: str, what: str, length: int | None = 32) -> bytes:
    try:
        raw = bytes.fromhex(text)
    except ValueError:
        raise ApiError(400, f"{what} is not hex: {text[:80]!r}") from None
    if length is not None and len(raw) != length:
        raise ApiError(400, f"{what} must be {length} bytes, got {len(raw)}")
    return raw


def _int(text: str, what: str) -> int:
    return parse_uint(text, what)


@web.middleware
async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except ApiError as exc:
        return web.json_response({"error": str(exc)}, status=exc.status)
    except TxTooLarge as exc:
        return web.json_response({"error": str(exc), "limit": request.app[MAX_TX]}, status=413)
    except TxRejected as exc:
        return web.json_response({"error": str(exc)}, status=400 if isinstance(exc, NotHex) else 422)
    except SubmitError as exc:
        return web.json_response({"error": str(exc)}, status=503)
    except RollupRpcError as exc:
        return web.json_response({"error": f"rollup node: {exc}"}, status=502)


class SequencerApi:
    """Handlers over the kernel state, the tracker and the pre-block source."""

    def __init__(self, state: KernelState, tracker: TxTracker, source: PreBlockSource, submitter: Submitter,
                 rollup: bytes, info: Callable[[], dict[str, Any]], max_tx: int,
                 limits: HttpLimits | None = None, metrics: SequencerMetrics | None = None) -> None:
        self.state = state
        self.tracker = tracker
        self.source = source
        self.submitter = submitter
        self.rollup = rollup
        self.info = info
        self.blocks = BlockTxCache(source.fetch)
        self.guard = HttpGuard(limits or HttpLimits(max_body=MAX_BROADCAST_BODY), logging.getLogger("dsn.sequencer"))
        self.metrics = metrics or SequencerMetrics()
        self.app = web.Application(middlewares=[self.metrics.http.middleware, self.guard.middleware, errors],
                                   client_max_size=self.guard.limits.max_body)
        self.max_tx = max_tx
        self.app[MAX_TX] = max_tx
        r = self.app.router
        r.add_post("/broadcast", self.broadcast)
        r.add_get("/head", self.head)
        r.add_get("/blocks/{index}", self.block)
        r.add_get("/authorities/{epoch}", self.authorities)
        r.add_get("/chains/{chain_id}/messages", self.messages)
        r.add_get("/txs/{tx_id}", self.tx)
        r.add_get("/accounts/{pk}", self.account)
        r.add_get("/assets/{asset}", self.asset)
        r.add_get("/health", self.health)
        self.dashboard = Dashboard(state, tracker, info)
        self.dashboard.add_routes(self.app)
        add_metrics_route(self.app, self.metrics.registry)

    async def _body_txs(self, request: web.Request) -> tuple[list[str], bool]:
        """The hex transactions of a broadcast body and whether it was a list."""
        raw = await self.guard.read_body(request)
        if request.content_type != "application/json":
            try:
                return [raw.decode("ascii")], False
            except UnicodeDecodeError:
                raise HttpError(400, "body is not a hex string") from None
        body = self.guard.parse_json(raw, MAX_BROADCAST_TXS + 2)
        if isinstance(body, dict) and isinstance(body.get("tx"), str):
            return [body["tx"]], False
        if isinstance(body, dict) and isinstance(body.get("txs"), list) and all(isinstance(t, str) for t in body["txs"]):
            if len(body["txs"]) > MAX_BROADCAST_TXS:
                raise ApiError(400, f"at most {MAX_BROADCAST_TXS} transactions per request")
            return body["txs"], True
        raise ApiError(400, 'body must be {"tx": "<hex>"}, {"txs": ["<hex>", …]} or a bare hex string')

    async def broadcast(self, request: web.Request) -> web.Response:
        """Admit (decode, address, signature), persist and submit to the DSN; answers once the DSN holds them."""
        with self.metrics.admission.time():
            return await self._broadcast(request)

    async def _broadcast(self, request: web.Request) -> web.Response:
        tracing = self.tracker.tracing
        start_ns = time.time_ns() if tracing is not None else 0
        texts, many = await self._body_txs(request)
        checked = await asyncio.to_thread(self._admit_all, texts)  # signature checks off the event loop
        admitted = [a for a in checked if isinstance(a, Admitted)]
        self.metrics.admitted.inc(len(admitted))
        self.metrics.refused.inc(len(checked) - len(admitted))
        if not many and isinstance(checked[0], TxRejected):
            raise checked[0]
        trace_headers: dict[str, str] = {}
        if admitted:  # acknowledged once on disk here and held by a DSN quorum (README: acknowledgement)
            new, earlier = await self.tracker.custody.hold(admitted)
            checked_ns = time.time_ns() if tracing is not None else 0
            await self.submitter.submit(new)
            await self.tracker.custody.acknowledged(earlier)
            if tracing is not None and new:
                trace_headers = tracing.admitted([h.tx_id for h in new], request.headers, start_ns, checked_ns,
                                                 time.time_ns())
        if many:  # written directly: json.dumps of 10,000 small dicts costs more than the rest of the answer
            results = ",".join(f'{{"tx_id":"{a.tx_id.hex()}"}}' if isinstance(a, Admitted)
                               else json.dumps({"error": str(a)}) for a in checked)
            return web.Response(text=f'{{"results":[{results}],"accepted":{len(admitted)}}}',
                                content_type="application/json", headers=trace_headers)
        return web.json_response({"tx_id": admitted[0].tx_id.hex(), "status": self._status(admitted[0].tx_id)},
                                 headers=trace_headers)

    def _status(self, tx_id: bytes) -> str:
        """``pending`` for a transaction held here, else what is known (a replayed transaction keeps its result)."""
        status = self.tracker.status(tx_id)
        return "pending" if status is None else status["status"]

    def _admit_all(self, texts: list[str]) -> list[Admitted | TxRejected]:
        started = time.thread_time()
        out: list[Admitted | TxRejected] = []
        for text in texts:
            try:
                out.append(admit(parse_hex(text), self.rollup, self.max_tx))
            except TxRejected as exc:
                out.append(exc)
        self.metrics.checking.inc(time.thread_time() - started)
        return out

    async def head(self, _request: web.Request) -> web.Response:
        return web.json_response(dict(await self.state.head(), sequencer=self.info()))

    async def block(self, request: web.Request) -> web.Response:
        index = _int(request.match_info["index"], "block index")
        block = await self.state.block(index)
        if block is None:
            raise ApiError(404, f"block {index} is not applied")
        bodies = self.tracker.block_tx_bodies(index)
        if bodies is None and request.query.get("txs") == "1":
            bodies = await self.blocks.get(index)  # shared, bounded fetches from the DSN
        if bodies is not None and len(bodies) == len(block["results"]):
            for result, raw in zip(block["results"], bodies):
                result.update(describe_tx(raw))
        return web.json_response(block)

    async def authorities(self, request: web.Request) -> web.Response:
        epoch = _int(request.match_info["epoch"], "epoch")
        out = await self.state.authorities(epoch)
        if out is None:
            raise ApiError(404, f"no committee registered for epoch {epoch}")
        return web.json_response(out)

    async def messages(self, request: web.Request) -> web.Response:
        chain_id = _hex_id(request.match_info["chain_id"], "chain id", None)
        if not 1 <= len(chain_id) <= 64:
            raise ApiError(400, "chain id must be 1 to 64 bytes")
        start = _int(request.query.get("from", "0"), "from")
        limit = _int(request.query.get("limit", "100"), "limit")
        if not 1 <= limit <= MAX_MESSAGES:
            raise ApiError(400, f"limit must be 1 to {MAX_MESSAGES}")
        return web.json_response(await self.state.messages(chain_id, start, limit))

    async def tx(self, request: web.Request) -> web.Response:
        tx_id = _hex_id(request.match_info["tx_id"], "transaction id")
        status = self.tracker.status(tx_id)
        if status is None:
            raise ApiError(404, f"unknown transaction {tx_id.hex()}")
        return web.json_response(status)

    async def account(self, request: web.Request) -> web.Response:
        pk = _hex_id(request.match_info["pk"], "public key")
        nonce = await self.state.nonce(pk)
        return web.json_response({"account": pk.hex(), "nonce": nonce, "next_nonce": self.tracker.next_nonce(pk, nonce),
                                  "balances": await self.state.balances(pk)})

    async def asset(self, request: web.Request) -> web.Response:
        asset = _hex_id(request.match_info["asset"], "asset id")
        out = await self.state.asset(asset)
        if out is None:
            raise ApiError(404, f"unknown asset {asset.hex()}")
        return web.json_response(out)

    async def health(self, _request: web.Request) -> web.Response:
        return web.json_response({"healthy": True, **self.info()})
