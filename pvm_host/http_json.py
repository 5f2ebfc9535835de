"""Blocking JSON over HTTP (standard library only), shared by the rollup-node RPC client, the Tezos
L1 client and the sequencer client; each turns :class:`HttpJsonError` into its own error type."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any, Literal

DETAIL_LIMIT = 2000  # characters of an error answer kept in messages (the whole body stays in ``body``)


class HttpJsonError(Exception):
    """A failed request: ``kind`` says how, ``status`` is the HTTP code of an error answer (else None),
    ``body`` its text, ``detail`` a short description (error text, or why the server was unreachable)."""

    def __init__(self, kind: Literal["unreachable", "http", "json"], detail: str, status: int | None = None,
                 body: str = "") -> None:
        message = {"unreachable": "cannot reach the server", "http": f"HTTP {status}", "json": "not JSON"}[kind]
        super().__init__(f"{message}: {detail}")
        self.kind, self.detail, self.status, self.body = kind, detail, status, body


def request_json(url: str, method: str = "GET", body: Any = None, timeout: float = 10.0) -> Any:
    """Send ``body`` (if any) as JSON and return the decoded JSON answer (None for an empty one)."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Accept", "application/json")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
    except urllib.error.HTTPError as exc:
        text = exc.read().decode("utf-8", errors="replace")
        raise HttpJsonError("http", text[:DETAIL_LIMIT], exc.code, text) from exc
    except (urllib.error.URLError, OSError) as exc:
        raise HttpJsonError("unreachable", str(exc)) from exc
    try:
        return json.loads(raw) if raw.strip() else None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise HttpJsonError("json", repr(raw[:200])) from exc
