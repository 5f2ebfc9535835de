"""The octez DAL-node RPC subset of the local DAL node, served on the local rollup node's port.

- ``POST /slots?padding=<char>&slot_index=<i>``: body = the slot bytes as octez's JSON string form,
  a JSON string (its UTF-8 bytes) or ``{"invalid_utf8_string": [b0, b1, …]}``; padded to
  ``slot_size`` with ``padding`` (default ``\\000``) → ``{"commitment": "sh1…", "commitment_proof": "<hex>"}``;
  a slot larger than ``slot_size`` → 400 ``Post_slot_too_large``.
- ``GET /levels/<P>/slots/<i>/pages`` → hex pages; ``…/content`` → hex slot; ``…/commitment`` →
  ``sh1…`` (404 when the node lacks them); ``…/status`` → ``"waiting_attestation"`` |
  ``{"kind": "attested", "attestation_lag": n}`` | ``"unattested"`` | ``"unpublished"``.
- ``GET /protocol_parameters`` → number of slots, lag, cryptobox parameters (see :mod:`.dal_node`).
"""

from __future__ import annotations

import json
import re
from typing import Any

from aiohttp import web

from pvm_host.http_guard import HttpError, HttpGuard, parse_uint
from pvm_host.l1_sim.dal_node import DalNode, commitment_b58

_BYTE_LIST_HEAD = re.compile(rb'\s*\{\s*"invalid_utf8_string"\s*:\s*\[')
_BYTE_LIST_TAIL = re.compile(rb'\]\s*\}\s*')


def _byte_list(raw: bytes) -> bytes | None:
    """Fast path for ``{"invalid_utf8_string": [b0, …]}`` (the C JSON parser on the list, no
    per-value callbacks); None when the body has another shape, ``HttpError`` when a value is not
    a byte."""
    head = _BYTE_LIST_HEAD.match(raw)
    close = raw.rfind(b"]")
    if head is None or raw.count(b"[") != 1 or _BYTE_LIST_TAIL.fullmatch(raw, close) is None:
        return None  # another shape (or nested lists): the guarded general parser decides
    try:
        values = json.loads(raw[head.end() - 1:close + 1])
        return bytes(values)
    except (ValueError, TypeError):
        raise HttpError(400, "invalid_utf8_string must be a list of bytes (integers 0-255)") from None


def _slot_bytes(body: Any) -> bytes:
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, dict) and list(body) == ["invalid_utf8_string"]:
        values = body["invalid_utf8_string"]
        if isinstance(values, list) and all(isinstance(b, int) and not isinstance(b, bool) and 0 <= b <= 255
                                            for b in values):
            return bytes(values)
    raise HttpError(400, 'slot body must be a JSON string or {"invalid_utf8_string": [bytes 0-255]}')


class DalRoutes:
    """Adds the DAL-node routes of ``node`` to an aiohttp application guarded by ``guard``."""

    def __init__(self, node: DalNode, guard: HttpGuard, block_time: float) -> None:
        self.node = node
        self.guard = guard
        self.block_time = block_time
        size = node.params.slot_size
        self.max_body = 6 * size + 64  # ≤ 3 digits, a comma and a space per byte, plus framing

    def add_to(self, app: web.Application) -> None:
        r = app.router
        r.add_post("/slots", self.post_slot)
        r.add_get("/levels/{level}/slots/{index}/{what}", self.slot_info)
        r.add_get("/protocol_parameters", self.protocol_parameters)

    async def post_slot(self, request: web.Request) -> web.Response:
        padding_text = request.query.get("padding", "\0")
        padding = padding_text.encode("utf-8")
        if len(padding) != 1:
            raise HttpError(400, "padding must be one character (one byte)")
        if "slot_index" in request.query:
            parse_uint(request.query["slot_index"], "slot_index", self.node.params.number_of_slots - 1)
        raw = await self.guard.read_body(request, self.max_body)
        data = _byte_list(raw)
        if data is None:
            data = _slot_bytes(self.guard.parse_json(raw, self.node.params.slot_size + 8))
        try:
            commitment, proof = self.node.post_slot(data, padding[0])
        except ValueError as exc:
            raise HttpError(400, str(exc)) from None
        return web.json_response({"commitment": commitment_b58(commitment), "commitment_proof": proof.hex()})

    async def slot_info(self, request: web.Request) -> web.Response:
        level = parse_uint(request.match_info["level"], "level", 2**31 - 1)
        index = parse_uint(request.match_info["index"], "slot index", 255)
        what = request.match_info["what"]
        node = self.node
        if what == "status":
            return web.json_response(node.status(level, index))
        if what == "commitment":
            header = node.headers.get((level, index))
            if header is None or header.status == "waiting_attestation":
                raise HttpError(404, f"no final commitment for slot {index} of level {level}")
            return web.json_response(commitment_b58(header.commitment))
        if what not in ("pages", "content"):
            raise HttpError(404, f"unknown slot query {what!r} (pages, content, status, commitment)")
        slot = node.content(level, index)
        if slot is None:
            raise HttpError(404, f"the DAL node has no content for slot {index} of level {level}")
        if what == "content":
            return web.json_response(slot.hex())
        size = node.params.page_size
        return web.json_response([slot[i:i + size].hex() for i in range(0, len(slot), size)])

    async def protocol_parameters(self, _request: web.Request) -> web.Response:
        return web.json_response(self.node.protocol_parameters(self.block_time))
