"""OpenAPI 3 description of the local rollup node, built from its aiohttp router (octez serves its
own at ``GET /openapi``; ``docs/api/*-smart-rollup-node-openapi.json`` in the octez source).

Each route is described by its handler's docstring; response schemas follow the octez encodings
for the routes listed in :data:`SCHEMAS` (others answer JSON). Routes added to the router later
appear automatically.
"""

from __future__ import annotations

import importlib.metadata
import inspect
from typing import Any

from aiohttp import web

from pvm_spec.constants import WASM_VERSION

STORE_VERSION = "pvm.lmdb-1"  # pvm_host.storage layout
CONTEXT_VERSION = f"wasm_2_0_0 {WASM_VERSION.decode()}"  # the PVM revision the host implements

_HEX = {"type": "string", "pattern": "^([a-zA-Z0-9][a-zA-Z0-9])*$"}
_BIGNUM = {"type": "string", "pattern": "^-?[0-9]+$"}
_INT32 = {"type": "integer", "minimum": -(2**31), "maximum": 2**31 - 1}
_MICHELINE = {"description": "Micheline expression (JSON)"}
_TRANSACTION = {
    "type": "object", "required": ["parameters", "destination"],
    "properties": {"parameters": _MICHELINE, "parameters_ty": _MICHELINE,
                   "destination": {"type": "string"}, "entrypoint": {"type": "string"}},
}
_OUTBOX_MESSAGE = {
    "type": "object", "required": ["kind"],
    "properties": {"kind": {"type": "string", "enum": ["untyped", "typed", "whitelist_update"]},
                   "transactions": {"type": "array", "items": _TRANSACTION},
                   "whitelist": {"type": "array", "items": {"type": "string"}}},
}
_QUEUED = {
    "type": "object", "required": ["id", "message"],
    "properties": {"id": {"type": "string"},
                   "message": {"type": "object", "required": ["content", "counter"],
                               "properties": {"content": _HEX, "counter": _BIGNUM}}},
}

SCHEMAS: dict[str, dict[str, Any]] = {
    "/health": {
        "type": "object", "required": ["healthy", "degraded", "l1", "active_workers"],
        "properties": {"healthy": {"type": "boolean"}, "degraded": {"type": "boolean"},
                       "l1": {"type": "object", "required": ["connection", "blocks_late"],
                              "properties": {"connection": {"type": "string",
                                                            "enum": ["connected", "reconnecting", "disconnected"]},
                                             "blocks_late": _INT32}},
                       "active_workers": {"type": "array", "items": {"type": "array"}}},
    },
    "/version": {"type": "object", "required": ["version", "store_version", "context_version"],
                 "properties": {k: {"type": "string"} for k in ("version", "store_version", "context_version")}},
    "/openapi": {"type": "object"},
    "/global/smart_rollup_address": {"type": "string"},
    "/global/tezos_level": {"oneOf": [_INT32, {"type": "null"}]},
    "/global/block/{block}/level": _INT32,
    "/global/block/{block}/state_hash": {"type": "string"},
    "/global/block/{block}/status": {"type": "string"},
    "/global/block/{block}/total_ticks": _BIGNUM,
    "/global/block/{block}/durable/wasm_2_0_0/{what}": {
        "description": "value: hex or null; length: decimal string or null; subkeys: names; "
                       "values: [{key, value}]"},
    "/global/block/{block}/outbox/{level}/messages": {
        "type": "array",
        "items": {"type": "object", "required": ["outbox_level", "message_index", "message"],
                  "properties": {"outbox_level": _INT32, "message_index": _BIGNUM, "message": _OUTBOX_MESSAGE}}},
    "/local/batcher/injection": {"type": "array", "items": {"type": "string"}},
    "/local/batcher/queue": {"type": "array", "items": _QUEUED},
    "/local/batcher/queue/{id}": {
        "type": "object", "required": ["status"],
        "properties": {"content": _HEX, "status": {"type": "string", "enum": ["unknown", "pending_batch"]}}},
}


def package_version() -> str:
    """Version of the installed ``dsn-rollup`` distribution (``unknown`` when not installed)."""
    try:
        return importlib.metadata.version("dsn-rollup")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def openapi(router: web.UrlDispatcher, version: str) -> dict[str, Any]:
    """The OpenAPI document of every GET/POST route of ``router``."""
    paths: dict[str, Any] = {}
    for route in router.routes():
        method = route.method.lower()
        path = route.resource.canonical if route.resource is not None else ""
        if method not in ("get", "post") or not path:
            continue
        params = [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                  for name in _placeholders(path)]
        if "/durable/" in path:
            params.append({"name": "key", "in": "query", "required": True, "schema": {"type": "string"}})
        op: dict[str, Any] = {
            "description": inspect.getdoc(route.handler) or "",
            "responses": {"200": {"description": "", "content": {
                "application/json": {"schema": SCHEMAS.get(path, {})}}}},
        }
        if params:
            op["parameters"] = params
        if method == "post":
            op["requestBody"] = {"content": {"application/json": {"schema": {"type": "array", "items": _HEX}}}}
        paths.setdefault(path, {})[method] = op
    return {"openapi": "3.0.0", "info": {"title": "dsn rollup node", "version": version}, "paths": paths}


def _placeholders(path: str) -> list[str]:
    return [part[1:-1] for part in path.split("/") if part.startswith("{") and part.endswith("}")]
