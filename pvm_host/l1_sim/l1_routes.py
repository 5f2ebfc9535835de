"""HTTP routes of the local L1 on the local rollup node's port.

- ``POST /injection/operation`` (octez's shell RPC): body = JSON hex string of a forged, signed
  operation → its ``o…`` hash; a refused operation → 400 ``{"error": message, "id": octez error id}``
  (nothing of it applied; see :mod:`.chain`).
- ``GET /local/l1/blocks`` → the reports of the last blocks (at most 256), oldest first;
  ``GET /local/l1/blocks/<level>`` → one report (404 when not kept): level, manager bytes, operations,
  batcher operations, inbox messages and bytes, DAL slots published/attested/unattested, gas, fees.
- ``GET /local/l1/profile`` → profile name, block time, DAL parameters, batcher keys.
- Shell reads a client needs to forge (octez paths under ``/chains/main``): ``chain_id`` (a fixed
  local ``Net…``), ``blocks/head/header`` (``level``, ``hash`` = a ``B…`` hash derived from the
  level, ``chain_id``), ``blocks/head/hash``, ``blocks/head/context/contracts/<tz…>/counter`` (the
  last counter of its included operations, ``"0"`` if none), ``…/manager_key`` (``edpk…`` of a
  known tz1 key, else ``null``), ``blocks/head/context/constants`` (the limits, ``minimal_block_delay``
  and ``dal_parametric``), ``blocks/<level>/operations/3`` (the injected manager operations of one
  of the last 256 blocks: ``hash`` and ``contents`` with ``kind``, ``source``, ``counter`` and, for
  publications, ``slot_header`` ``{slot_index, commitment}``; the batcher's own operations are not
  listed). No simulation (``run_operation``): fill gas and fees yourself.
"""

from __future__ import annotations

import hashlib

from aiohttp import web

from pvm_host.http_guard import HttpError, HttpGuard, parse_uint
from pvm_host.l1_sim.chain import LocalL1
from pvm_host.l1_sim.dal_node import commitment_b58
from pvm_host.l1_sim.operations import MAX_OPERATION_SIZE, Content, OperationError
from pvm_spec import b58

CHAIN = "/chains/main"


def _b58check(prefix: bytes, payload: bytes) -> str:
    raw = prefix + payload
    return b58.b58encode(raw + hashlib.sha256(hashlib.sha256(raw).digest()).digest()[:4])


CHAIN_ID = _b58check(bytes([87, 82, 0]), hashlib.blake2b(b"dsn local L1", digest_size=4).digest())


def _address(pkh: bytes) -> str:
    return b58.encode(("tz1", "tz2", "tz3", "tz4")[pkh[0]], pkh[1:])


def _content_json(c: Content) -> dict[str, object]:
    out: dict[str, object] = {"kind": c.kind, "source": _address(c.source), "fee": str(c.fee),
                              "counter": str(c.counter), "gas_limit": str(c.gas_limit)}
    if c.kind == "dal_publish_commitment":
        out["slot_header"] = {"slot_index": c.slot_index, "commitment": commitment_b58(c.commitment)}
    return out


def block_hash(level: int) -> str:
    """The local L1's ``B…`` hash of a level (BLAKE2b-256 of a fixed tag and the level)."""
    digest = hashlib.blake2b(b"dsn local L1 block" + level.to_bytes(8, "big", signed=True), digest_size=32).digest()
    return _b58check(bytes([1, 52]), digest)


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
        r.add_get(f"{CHAIN}/chain_id", self.chain_id)
        r.add_get(f"{CHAIN}/blocks/head/header", self.header)
        r.add_get(f"{CHAIN}/blocks/head/hash", self.head_hash)
        r.add_get(f"{CHAIN}/blocks/head/context/constants", self.constants)
        r.add_get(CHAIN + "/blocks/head/context/contracts/{address}/{what}", self.contract)
        r.add_get(CHAIN + "/blocks/{level}/operations/{validation_pass}", self.operations)

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
            status = 429 if exc.error_id == "mempool_full" else 400
            return web.json_response({"error": str(exc), "id": exc.error_id}, status=status)

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

    async def chain_id(self, _request: web.Request) -> web.Response:
        return web.json_response(CHAIN_ID)

    async def header(self, _request: web.Request) -> web.Response:
        level = self.l1.head_level
        return web.json_response({"level": level, "hash": block_hash(level), "chain_id": CHAIN_ID,
                                  "protocol": "local-l1"})

    async def head_hash(self, _request: web.Request) -> web.Response:
        return web.json_response(block_hash(self.l1.head_level))

    async def constants(self, _request: web.Request) -> web.Response:
        p = self.l1.profile
        return web.json_response({
            "minimal_block_delay": str(max(1, round(p.block_time))),
            "max_operation_data_length": MAX_OPERATION_SIZE,
            "smart_rollup_message_size_limit": 4096,
            "hard_gas_limit_per_operation": "1040000",
            "hard_gas_limit_per_block": "1386666",
            "hard_storage_limit_per_operation": "60000",
            "cost_per_byte": "250",
            "dal_parametric": {
                "feature_enable": True, "number_of_slots": p.dal.number_of_slots,
                "attestation_lag": p.dal.attestation_lag, "attestation_threshold": 66,
                "redundancy_factor": 8, "page_size": p.dal.page_size, "slot_size": p.dal.slot_size,
                "number_of_shards": 512,
            },
        })

    async def contract(self, request: web.Request) -> web.Response:
        try:
            pkh = b58.implicit_address(request.match_info["address"])
        except (ValueError, KeyError):
            raise HttpError(400, "expected an implicit account (tz1…tz4)") from None
        what = request.match_info["what"]
        if what == "counter":
            return web.json_response(str(self.l1.counters.get(pkh, 0)))
        if what == "manager_key":
            key = self.l1.keys.get(pkh)
            return web.json_response(_b58check(bytes([13, 15, 37, 217]), key[1:]) if key and key[0] == 0 else None)
        raise HttpError(404, f"unknown contract query {what!r} (counter, manager_key)")

    async def operations(self, request: web.Request) -> web.Response:
        level_text = request.match_info["level"]
        level = self.l1.head_level if level_text == "head" else parse_uint(level_text, "level")
        validation_pass = parse_uint(request.match_info["validation_pass"], "validation pass", 3)
        ops = self.l1.block_operations.get(level)
        if ops is None:
            raise HttpError(404, f"block {level_text} is not among the last blocks kept")
        if validation_pass != 3:
            return web.json_response([])
        return web.json_response([{"hash": op.hash, "branch": _b58check(bytes([1, 52]), op.raw[:32]),
                                   "contents": [_content_json(c) for c in op.contents]} for op in list(ops)])
