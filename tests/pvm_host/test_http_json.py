"""The shared JSON-over-HTTP client: answers, error answers, bad JSON, unreachable servers."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from pvm_host.http_json import DETAIL_LIMIT, HttpJsonError, request_json


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        answers: dict[str, tuple[int, bytes]] = {
            "/ok": (200, b'{"a": [1, 2]}'), "/empty": (200, b""), "/junk": (200, b"<html>"),
            "/missing": (404, b'{"error": "no such thing"}'), "/long": (500, b"x" * (DETAIL_LIMIT + 10)),
        }
        status, body = answers[self.path]
        self.send_response(status)
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        out = json.dumps({"echo": body, "type": self.headers["Content-Type"]}).encode()
        self.send_response(200)
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *_args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def base() -> Any:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_answers(base: str) -> None:
    assert request_json(base + "/ok") == {"a": [1, 2]}
    assert request_json(base + "/empty") is None
    assert request_json(base + "/post", "POST", [1, "x"]) == {"echo": [1, "x"], "type": "application/json"}


def test_errors(base: str) -> None:
    with pytest.raises(HttpJsonError) as info:
        request_json(base + "/missing")
    e = info.value
    assert (e.kind, e.status, e.body, str(e)) == ("http", 404, '{"error": "no such thing"}',
                                                  'HTTP 404: {"error": "no such thing"}')
    with pytest.raises(HttpJsonError) as info:
        request_json(base + "/long")
    assert len(info.value.body) == DETAIL_LIMIT + 10 and info.value.detail == "x" * DETAIL_LIMIT
    with pytest.raises(HttpJsonError) as info:
        request_json(base + "/junk")
    assert (info.value.kind, info.value.status, str(info.value)) == ("json", None, "not JSON: b'<html>'")
    with pytest.raises(HttpJsonError) as info:
        request_json("http://127.0.0.1:1/x", timeout=2)
    assert info.value.kind == "unreachable" and info.value.status is None
