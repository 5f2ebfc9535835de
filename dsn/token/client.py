"""Blocking JSON client of the sequencer HTTP API (dsn/sequencer/README.md)."""

from __future__ import annotations

import json
import time
from typing import Any

from dsn.sequencer.api import MAX_BROADCAST_TXS
from pvm_host.http_json import HttpJsonError, request_json

DEFAULT_SEQUENCER = "http://127.0.0.1:8080"
FINAL = {"applied", "failed", "rejected"}


class SequencerError(Exception):
    """The sequencer answered with an error (``status`` is the HTTP code) or could not be reached."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class SequencerClient:
    def __init__(self, url: str = DEFAULT_SEQUENCER, timeout: float = 30.0) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout

    def _request(self, method: str, path: str, body: Any = None) -> Any:
        try:
            return request_json(self.url + path, method, body, self.timeout)
        except HttpJsonError as exc:
            if exc.kind == "unreachable":
                raise SequencerError(f"{method} {path}: cannot reach the sequencer at {self.url}: {exc.detail}") from None
            if exc.kind == "json":
                raise SequencerError(f"{method} {path}: {exc}") from None
            try:
                message = json.loads(exc.body)["error"]
            except (ValueError, KeyError, TypeError):
                message = exc.body
            raise SequencerError(f"{method} {path}: {message}", exc.status) from None

    def broadcast(self, tx: bytes) -> str:
        """Submit one transaction; returns its id (hex)."""
        return str(self._request("POST", "/broadcast", {"tx": tx.hex()})["tx_id"])

    def broadcast_many(self, txs: list[bytes], max_request_bytes: int = 4 << 20) -> list[dict]:
        """Submit transactions, in order, in as few requests as keep each body (hex) under
        ``max_request_bytes`` and the API's 10,000 per request; per-transaction ``{"tx_id"}`` or
        ``{"error"}``."""
        results: list[dict] = []
        group: list[str] = []
        size = 0
        for tx in txs:
            if group and (size + 2 * len(tx) + 4 > max_request_bytes or len(group) == MAX_BROADCAST_TXS):
                results += self._request("POST", "/broadcast", {"txs": group})["results"]
                group, size = [], 0
            group.append(tx.hex())
            size += 2 * len(tx) + 4
        if group:
            results += self._request("POST", "/broadcast", {"txs": group})["results"]
        return results

    def head(self) -> dict:
        return dict(self._request("GET", "/head"))

    def block(self, index: int, with_txs: bool = False) -> dict | None:
        try:
            return dict(self._request("GET", f"/blocks/{index}" + ("?txs=1" if with_txs else "")))
        except SequencerError as exc:
            if exc.status == 404:
                return None
            raise

    def tx(self, tx_id: str) -> dict | None:
        try:
            return dict(self._request("GET", f"/txs/{tx_id}"))
        except SequencerError as exc:
            if exc.status == 404:
                return None
            raise

    def account(self, pk: bytes) -> dict:
        return dict(self._request("GET", f"/accounts/{pk.hex()}"))

    def asset(self, asset: bytes) -> dict | None:
        try:
            return dict(self._request("GET", f"/assets/{asset.hex()}"))
        except SequencerError as exc:
            if exc.status == 404:
                return None
            raise

    def authorities(self, epoch: int) -> dict:
        return dict(self._request("GET", f"/authorities/{epoch}"))

    def messages(self, chain_id: bytes, start: int = 0, limit: int = 100) -> dict:
        return dict(self._request("GET", f"/chains/{chain_id.hex()}/messages?from={start}&limit={limit}"))

    def health(self) -> dict:
        return dict(self._request("GET", "/health"))

    def wait_tx(self, tx_id: str, timeout: float = 60.0, poll: float = 0.1) -> dict:
        """Poll until the transaction has a final status (applied/failed/rejected)."""
        deadline = time.monotonic() + timeout
        while True:
            status = self.tx(tx_id)
            if status is not None and status.get("status") in FINAL:
                return status
            if time.monotonic() > deadline:
                raise SequencerError(f"transaction {tx_id} not final after {timeout:.0f} s "
                                     f"(status: {status and status.get('status')})")
            time.sleep(poll)
