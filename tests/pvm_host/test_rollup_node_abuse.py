"""The local rollup node under hostile input: injection bounds per request, per level and for the
queue, huge ids, and reads that stay fast while a heavy level runs (real sockets on loopback)."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

from pvm_host.rollup import Rollup
from pvm_host.rollup_node import InjectionLimits, RollupNode
from pvm_spec import b58
from tests.pvm_host.hostile import Served, request, timed

SLOW = str(Path(__file__).parent / "native_kernels" / "slow.py")


def node(tmp_path: Path, **limits: int) -> RollupNode:
    rollup = Rollup.open(state_dir=tmp_path / "st", native=SLOW)
    return RollupNode(rollup, block_time=3600.0, limits=InjectionLimits(**limits))  # levels made by the test


def inject(port: int, payloads: list[bytes]) -> tuple[int, object]:
    return request(port, "POST", "/local/batcher/injection", json.dumps([p.hex() for p in payloads]).encode())


def make_level(srv: Served, n: RollupNode) -> asyncio.Future:  # type: ignore[type-arg]
    assert srv.loop is not None
    return asyncio.run_coroutine_threadsafe(n.make_level(), srv.loop)  # type: ignore[return-value]


def count(port: int) -> int:
    status, value = request(port, "GET", "/global/block/head/durable/wasm_2_0_0/value?key=/count")
    assert status == 200
    return 0 if value is None else int(value, 16)


def test_injection_bounds(tmp_path: Path) -> None:
    n = node(tmp_path, max_inject_messages=100, max_queued_messages=150, max_level_messages=60)
    with Served(n.app, n.guard) as srv:
        p = srv.port
        tiny = json.dumps(["00" * 10] * 300_000, separators=(",", ":")).encode()  # 300,000 tiny externals, 7.5 MB
        assert request(p, "POST", "/local/batcher/injection", tiny) == (
            413, {"error": "too many JSON values (at most 100)"})
        huge = json.dumps(["00" * 22] * 300_000).encode() + b" " * 600_000  # 14 MB
        assert request(p, "POST", "/local/batcher/injection", huge)[0] == 413
        assert inject(p, [b"x"] * 101)[0] == 413
        assert inject(p, [b"\x00" * 4096]) == (400, {"error": "message 0 has 4096 bytes; the limit is 4095"})
        assert request(p, "POST", "/local/batcher/injection", b'["zz"]') == (400, {"error": "message 0 is not hex"})
        assert request(p, "POST", "/local/batcher/injection", b'{"a": 1}') == (
            400, {"error": "body must be a JSON array of hex strings"})
        for _ in range(3):
            assert inject(p, [b"m"] * 50)[0] == 200
        status, body = inject(p, [b"m"])
        assert status == 429 and body["error"].startswith("batcher queue full (150 messages")
        make_level(srv, n).result(30)
        assert count(p) == 3 + 60  # SOL, IPL, EOL and the first 60 messages
        assert len(request(p, "GET", "/local/batcher/queue")[1]) == 90
        assert inject(p, [b"m"] * 50)[0] == 200


def test_huge_ids_get_400(tmp_path: Path) -> None:
    n = node(tmp_path)
    with Served(n.app, n.guard) as srv:
        p = srv.port
        big = "9" * 5000
        for path in (f"/global/block/{big}/level", f"/global/block/{big}/state_hash",
                     f"/global/block/{big}/durable/wasm_2_0_0/value?key=/count",
                     f"/global/block/head/outbox/{big}/messages", "/global/block/-1/level"):
            status, body = request(p, "GET", path)
            assert status == 400 and "must be an integer" in body["error"], (path, body)
        assert request(p, "GET", "/global/block/7/state_hash")[0] == 404
        assert request(p, "GET", "/global/block/head/durable/wasm_2_0_0/value?key=/a//b")[0] == 400


def test_reads_answer_within_a_second_during_a_heavy_level(tmp_path: Path) -> None:
    n = node(tmp_path)
    with Served(n.app, n.guard) as srv:
        p = srv.port
        make_level(srv, n).result(30)
        assert count(p) == 3
        assert inject(p, [b"slow"])[0] == 200
        heavy = make_level(srv, n)
        time.sleep(0.3)
        delays = []
        while not heavy.done():
            delay, value = timed(lambda: count(p))
            delays.append(delay)
            if value != 3:  # only the committed level may show: the head moves before the future reports done
                assert value == 7
                heavy.result(5)
            assert request(p, "GET", "/health")[0] == 200
            assert inject(p, [b"during"])[0] == 200  # injection does not wait for the level either
        heavy.result(30)
        assert len(delays) >= 3 and max(delays) < 1.0, delays
        assert count(p) == 7
        root = request(p, "GET", "/global/block/head/state_hash")[1]
        assert root == b58.encode("srs1", n.rollup.root_hash())
        assert request(p, "GET", "/global/block/head/durable/wasm_2_0_0/subkeys?key=/")[1] == ["count", "kernel", "readonly"]
