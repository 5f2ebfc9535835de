"""HTTP routes of the local L1 on the local rollup node's port.

- ``POST /injection/operation`` (octez's shell RPC): body = JSON hex string of a forged, signed
  operation → its ``o…`` hash; a refused operation → 400 ``{"error": message, "id": octez error id}``
  (nothing of it applied; see :mod:`.chain`).
- ``GET /local/l1/blocks`` → the reports of the last blocks (at most 256), oldest first;
  ``GET /local/l1/blocks/<level>`` → one report (404 when not kept): level, manager bytes, operations,
  batcher operations, inbox messages and bytes, DAL slots published/attested/unattested, gas, fees.
- ``GET /local/l1/profile`` → profile name, block time, DAL parameters, batcher keys.
"""

from __future__ import annotations

from aiohttp import web

from pvm_host.http_guard import HttpError, HttpGuard, parse_uint
from pvm_host.l1_sim.chain import LocalL1
from pvm_host.l1_sim.operations import MAX_OPERATION_SIZE, OperationError


class L1Routes:
    """Adds the local L1's routes to an aiohttp application guarded by ``guard``."""

    def __init__(self, l1: LocalL1, guard: HttpGuard) -> None:
        self.l1 = l1
        self.guard = guard

    def add_to(self, app: web.Application) -> None:
        r = app.router
        r.add_post("/injection/operation", self.inject)
        r.add_get("/local/l1/blocks", self.blocks)
        r.add_get("/local/l1/blocks/{level}", self.block)
        r.add_get("/local/l1/profile", self.profile)

    async def inject(self, request: web.Request) -> web.Response:
        # up to 4x the limit gets the octez size error; a larger body is a 413
        body = await self.guard.read_json(request, 8 * MAX_OPERATION_SIZE, 1)
        if not isinstance(body, str):
            raise HttpError(400, "body must be the operation as a JSON hex string")
        try:
            raw = bytes.fromhex(body)
        except ValueError:
            raise HttpError(400, "the operation is not hex") from None
        try:
            return web.json_response(self.l1.inject(raw))
        except OperationError as exc:
            return web.json_response({"error": str(exc), "id": exc.error_id}, status=400)

    async def blocks(self, _request: web.Request) -> web.Response:
        return web.json_response([r.to_json() for r in list(self.l1.reports)])

    async def block(self, request: web.Request) -> web.Response:
        report = self.l1.report(parse_uint(request.match_info["level"], "level"))
        if report is None:
            raise HttpError(404, "no report for that level (only the last 256 blocks are kept)")
        return web.json_response(report.to_json())

    async def profile(self, _request: web.Request) -> web.Response:
        p = self.l1.profile
        return web.json_response({"profile": p.name, "block_time": p.block_time, "batcher_keys": self.l1.batcher_keys,
                                  "dal": {"number_of_slots": p.dal.number_of_slots,
                                          "attestation_lag": p.dal.attestation_lag,
                                          "slot_size": p.dal.slot_size, "page_size": p.dal.page_size}})
