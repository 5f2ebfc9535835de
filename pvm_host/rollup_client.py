"""Client for the rollup-node RPC subset used by tools (works against octez and ``dsn rollup node``).

Synchronous (standard library only, through :mod:`pvm_host.http_json`)::

    client = RollupClient("http://127.0.0.1:8932")
    client.smart_rollup_address()          # "sr1…"
    client.level()                         # head level
    client.durable_value("/key")           # bytes or None
    client.durable_length("/key")          # int or None
    client.durable_subkeys("/")            # list[str]
    client.inject([b"\\x00" + addr + contents])   # ids
    client.batcher_queue()                 # ids not yet in a level
    client.outbox_messages(level)          # list of the node's JSON objects
    client.health()

A missing durable value is ``None`` whether the node answers ``null`` (octez, this node) or an HTTP
500 carrying an error list (older octez nodes); other failures raise :class:`RollupRpcError`.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

from pvm_host.http_json import HttpJsonError, request_json


class RollupRpcError(Exception):
    """The node answered with an error status or could not be reached."""

    def __init__(self, message: str, status: int | None = None, body: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.body = body


class RollupClient:
    """Blocking JSON client; ``timeout`` in seconds applies to each request."""

    def __init__(self, base_url: str, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def _request(self, method: str, path: str, body: Any = None, none_on_500: bool = False) -> Any:
        try:
            return request_json(self.base_url + path, method, body, self.timeout)
        except HttpJsonError as exc:
            if none_on_500 and exc.status == 500:
                return None
            detail = exc.detail if exc.kind == "unreachable" else str(exc)
            raise RollupRpcError(f"{method} {path}: {detail}", exc.status, exc.body) from exc

    def _durable(self, what: str, key: str, block: str) -> Any:
        query = urllib.parse.urlencode({"key": key})
        return self._request("GET", f"/global/block/{block}/durable/wasm_2_0_0/{what}?{query}", none_on_500=True)

    def health(self) -> Any:
        return self._request("GET", "/health")

    def smart_rollup_address(self) -> str:
        return str(self._request("GET", "/global/smart_rollup_address"))

    def level(self, block: str = "head") -> int:
        return int(self._request("GET", f"/global/block/{block}/level"))

    def durable_value(self, key: str, block: str = "head") -> bytes | None:
        value = self._durable("value", key, block)
        return None if value is None else bytes.fromhex(value)

    def durable_length(self, key: str, block: str = "head") -> int | None:
        value = self._durable("length", key, block)
        return None if value is None else int(value)

    def durable_subkeys(self, key: str, block: str = "head") -> list[str]:
        value = self._durable("subkeys", key, block)
        return [] if value is None else [str(v) for v in value]

    def inject(self, messages: list[bytes]) -> list[str]:
        """Queue external payloads (without the ``01`` tag) in the node's batcher; returns their ids."""
        return [str(i) for i in self._request("POST", "/local/batcher/injection", [m.hex() for m in messages])]

    def batcher_queue(self) -> list[str]:
        """Ids of injected messages not yet included in a level."""
        return [str(i) for i in self._request("GET", "/local/batcher/queue")]

    def outbox_messages(self, level: int, block: str = "head") -> list[dict[str, Any]]:
        return list(self._request("GET", f"/global/block/{block}/outbox/{level}/messages"))
