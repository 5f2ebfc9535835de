"""Client for the rollup-node RPC subset used by tools (works against octez and ``dsn rollup node``).

Synchronous (standard library only, through :mod:`pvm_host.http_json`)::

    client = RollupClient("http://127.0.0.1:8932")
    client.smart_rollup_address()          # "sr1…"
    client.level()                         # head level
    client.durable_value("/key")           # bytes or None
    client.durable_length("/key")          # int or None
    client.durable_subkeys("/")            # list[str]
    client.durable_values("/dir")          # {child: bytes} for the children holding a value
    client.inject([b"\\x00" + addr + contents])   # ["scmsg…"] ids
    client.batcher_queue()                 # ids not yet in a level
    client.batcher_messages()              # [QueuedMessage(id, content, counter)]
    client.batcher_message(id)             # {"status": "pending_batch" | "unknown" | …, "content"?}
    client.outbox(level)                   # [OutboxMessage] parsed from the octez JSON
    client.outbox_messages(level)          # the same as the node's JSON objects
    client.health(); client.version(); client.tezos_level()

:class:`AsyncRollupClient` has the subset a sequencer polls (address, level, durable value and
subkeys, injection, batcher queue) over one aiohttp connection pool kept alive between requests.

Numbers octez sends as strings (int64 lengths, Zarith indexes and counters) are read as ``int``
whichever form the node uses; earlier ``dsn rollup node`` shapes (bare ids in the batcher queue)
are read too. A missing durable value is ``None`` whether the node answers ``null`` (octez, this
node) or an HTTP 500 carrying an error list (older octez nodes); other failures raise
:class:`RollupRpcError`.
"""

from __future__ import annotations

import asyncio
import json
import urllib.parse
from dataclasses import dataclass
from typing import Any

import aiohttp

from pvm_host.http_json import DETAIL_LIMIT, HttpJsonError, request_json


class RollupRpcError(Exception):
    """The node answered with an error status or could not be reached."""

    def __init__(self, message: str, status: int | None = None, body: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.body = body


@dataclass(frozen=True)
class QueuedMessage:
    """A message in the batcher queue."""

    id: str
    content: bytes
    counter: int | None  # None when the node does not report it


@dataclass(frozen=True)
class OutboxTransaction:
    destination: str  # KT1…
    entrypoint: str
    parameters: Any  # Micheline JSON
    parameters_ty: Any = None  # Micheline JSON, typed batches only


@dataclass(frozen=True)
class OutboxMessage:
    """One outbox message as octez describes it (``kind``: ``untyped``, ``typed``, ``whitelist_update``)."""

    outbox_level: int
    message_index: int
    kind: str
    transactions: tuple[OutboxTransaction, ...] = ()
    whitelist: tuple[str, ...] | None = None  # whitelist updates: None makes the rollup public


def _outbox_message(entry: dict[str, Any]) -> OutboxMessage:
    body = entry["message"]
    txs = tuple(OutboxTransaction(str(t["destination"]), str(t.get("entrypoint", "default")), t["parameters"],
                                  t.get("parameters_ty")) for t in body.get("transactions", ()))
    whitelist = body.get("whitelist")
    return OutboxMessage(int(entry["outbox_level"]), int(entry["message_index"]), str(body["kind"]), txs,
                         None if whitelist is None else tuple(str(w) for w in whitelist))


def _queued(entry: Any) -> QueuedMessage:
    if isinstance(entry, str):  # dsn rollup node before the octez shapes: bare ids
        return QueuedMessage(entry, b"", None)
    message = entry["message"]
    return QueuedMessage(str(entry["id"]), bytes.fromhex(message["content"]), int(message["counter"]))


def _durable_path(what: str, key: str, block: str) -> str:
    return f"/global/block/{block}/durable/wasm_2_0_0/{what}?{urllib.parse.urlencode({'key': key})}"


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
        return self._request("GET", _durable_path(what, key, block), none_on_500=True)

    def health(self) -> dict[str, Any]:
        return dict(self._request("GET", "/health"))

    def version(self) -> dict[str, Any]:
        return dict(self._request("GET", "/version"))

    def tezos_level(self) -> int | None:
        """The L1 level the node has seen (None before the first one)."""
        value = self._request("GET", "/global/tezos_level")
        return None if value is None else int(value)

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

    def durable_values(self, key: str, block: str = "head") -> dict[str, bytes]:
        """The direct children of ``key`` that hold a value, with their values."""
        value = self._durable("values", key, block)
        return {} if value is None else {str(v["key"]): bytes.fromhex(v["value"]) for v in value}

    def inject(self, messages: list[bytes]) -> list[str]:
        """Queue external payloads (without the ``01`` tag) in the node's batcher; returns their ids."""
        return [str(i) for i in self._request("POST", "/local/batcher/injection", [m.hex() for m in messages])]

    def batcher_messages(self) -> list[QueuedMessage]:
        """Injected messages not yet included in a level, oldest first."""
        return [_queued(e) for e in self._request("GET", "/local/batcher/queue")]

    def batcher_queue(self) -> list[str]:
        """Ids of injected messages not yet included in a level."""
        return [m.id for m in self.batcher_messages()]

    def batcher_message(self, message_id: str) -> dict[str, Any]:
        """Status of one injected message (``{"status": …}``, plus ``content`` when known)."""
        return dict(self._request("GET", f"/local/batcher/queue/{urllib.parse.quote(message_id, safe='')}"))

    def outbox_messages(self, level: int, block: str = "head") -> list[dict[str, Any]]:
        """The node's JSON for the outbox messages of ``level``."""
        return list(self._request("GET", f"/global/block/{block}/outbox/{level}/messages"))

    def outbox(self, level: int, block: str = "head") -> list[OutboxMessage]:
        """The outbox messages of ``level``, parsed."""
        return [_outbox_message(e) for e in self.outbox_messages(level, block)]


class AsyncRollupClient:
    """The polling subset of :class:`RollupClient` for asyncio: one aiohttp session (a pool of at most
    ``connections`` keep-alive connections) for every request, closed by :meth:`close`; same
    answers and :class:`RollupRpcError`."""

    def __init__(self, base_url: str, timeout: float = 10.0, connections: int = 8) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self.connections = connections
        self._session: aiohttp.ClientSession | None = None

    def _pool(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            # idle connections closed before a server's 10-s head timeout (pvm_host.http_guard) can race a request
            connector = aiohttp.TCPConnector(limit=self.connections, keepalive_timeout=5.0)
            self._session = aiohttp.ClientSession(connector=connector, timeout=self.timeout)
        return self._session

    async def _request(self, method: str, path: str, body: Any = None, none_on_500: bool = False) -> Any:
        for attempt in (0, 1):
            try:
                async with self._pool().request(method, self.base_url + path, json=body,
                                                headers={"Accept": "application/json"}) as resp:
                    raw = await resp.read()
                    status = resp.status
                break
            except aiohttp.ServerDisconnectedError as exc:  # a kept-alive connection the server had closed
                if attempt or method != "GET":
                    raise RollupRpcError(f"{method} {path}: cannot reach the server: {exc}") from exc
            except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
                raise RollupRpcError(f"{method} {path}: cannot reach the server: {exc or type(exc).__name__}") from exc
        text = raw.decode("utf-8", errors="replace")
        if status >= 400:
            if none_on_500 and status == 500:
                return None
            raise RollupRpcError(f"{method} {path}: HTTP {status}: {text[:DETAIL_LIMIT]}", status, text)
        try:
            return json.loads(text) if text.strip() else None
        except json.JSONDecodeError as exc:
            raise RollupRpcError(f"{method} {path}: not JSON: {raw[:200]!r}", status, text) from exc

    async def smart_rollup_address(self) -> str:
        return str(await self._request("GET", "/global/smart_rollup_address"))

    async def level(self, block: str = "head") -> int:
        return int(await self._request("GET", f"/global/block/{block}/level"))

    async def durable_value(self, key: str, block: str = "head") -> bytes | None:
        value = await self._request("GET", _durable_path("value", key, block), none_on_500=True)
        return None if value is None else bytes.fromhex(value)

    async def durable_subkeys(self, key: str, block: str = "head") -> list[str]:
        value = await self._request("GET", _durable_path("subkeys", key, block), none_on_500=True)
        return [] if value is None else [str(v) for v in value]

    async def inject(self, messages: list[bytes]) -> list[str]:
        """Queue external payloads (without the ``01`` tag) in the node's batcher; returns their ids."""
        return [str(i) for i in await self._request("POST", "/local/batcher/injection", [m.hex() for m in messages])]

    async def batcher_queue(self) -> list[str]:
        """Ids of injected messages not yet included in a level."""
        return [_queued(e).id for e in await self._request("GET", "/local/batcher/queue")]

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
