"""`dsn rollup node` on loopback, driven through pvm_host.rollup_client."""

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from pvm_host.l2_message import is_message_id
from pvm_host.outbox import Transaction, atomic_batch
from pvm_host.rollup_client import OutboxMessage, OutboxTransaction, RollupClient, RollupRpcError

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "replay"
KT1 = "KT18amZmM5W7qDWVt2pH6uj7sCEd3kbzLrHT"


def _batch(entrypoint: str) -> bytes:
    """An untyped outbox batch; the echo kernel copies each external payload to its outbox."""
    return atomic_batch([Transaction(KT1, entrypoint, b"\x03\x0b")])


def _wait(predicate, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.mark.slow
def test_rollup_node_rpc(tmp_path: Path) -> None:
    cmd = [str(Path(sys.executable).parent / "dsn"), "rollup", "node", "--port", "0", "--block-time", "0.2",
           "--kernel", str(FIXTURES / "echo.wasm"), "--state-dir", str(tmp_path / "st")]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert "listening on http://127.0.0.1:" in first, first + (proc.stderr.read() if proc.stderr else "")
        url = first.split("listening on ")[1].split()[0]
        client = RollupClient(url, timeout=5)
        assert client.smart_rollup_address() == "sr163Lv22CdE8QagCwf48PWDTquk6isQwv57"
        assert client.health()["healthy"] is True
        assert client.batcher_queue() == []
        _wait(lambda: client.level() >= 1)
        ids = client.inject([_batch("abc"), b"\x00de", _batch("default")])
        assert len(ids) == 3 and all(is_message_id(i) for i in ids) and len(set(ids)) == 3
        start = client.level()
        _wait(lambda: len(client.outbox_messages(client.level())) > 0 or client.level() > start + 3)
        level = next(lv for lv in range(start, client.level() + 1) if client.outbox_messages(lv))
        unit = {"prim": "Unit"}
        assert client.outbox(level) == [  # the undecodable 00 64 65 is left out, as octez does
            OutboxMessage(level, 0, "untyped", (OutboxTransaction(KT1, "abc", unit),)),
            OutboxMessage(level, 2, "untyped", (OutboxTransaction(KT1, "default", unit),))]
        assert client.outbox_messages(level)[1] == {"outbox_level": level, "message_index": "2", "message": {
            "transactions": [{"parameters": unit, "destination": KT1}], "kind": "untyped"}}
        count = client.durable_value("/count")
        assert count is not None and len(count) == 4
        assert client.durable_length("/count") == 4
        assert client.durable_value("/nothing") is None and client.durable_length("/nothing") is None
        assert client.durable_subkeys("/") == ["count", "kernel", "readonly"]
        # malformed requests: 4xx JSON errors, the server keeps running
        for path, body in [("/local/batcher/injection", b"{not json"), ("/local/batcher/injection", b'["zz"]'),
                           ("/local/batcher/injection", json.dumps(["00" * 4096]).encode())]:
            req = urllib.request.Request(url + path, data=body, method="POST")
            with pytest.raises(urllib.error.HTTPError) as err:
                urllib.request.urlopen(req, timeout=5)
            assert err.value.code == 400 and "error" in json.loads(err.value.read())
        with pytest.raises(RollupRpcError) as rpc_err:
            client._request("GET", "/global/block/head/durable/wasm_2_0_0/value?key=bad//key")
        assert rpc_err.value.status == 400
        with pytest.raises(RollupRpcError) as rpc_err:
            client.level("nonsense")
        assert rpc_err.value.status == 400
        for bad in ("/no/such/route", "/global/block/head/durable/wasm_2_0_0/sizes?key=/x"):
            with pytest.raises(RollupRpcError) as rpc_err:
                client._request("GET", bad)
            assert rpc_err.value.status == 404 and "error" in json.loads(rpc_err.value.body)
        assert int(client._request("GET", "/global/block/head/total_ticks")) > 0
        assert client.health()["healthy"] is True
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_rollup_node_in_process_levels_and_outbox() -> None:
    """Deterministic levels (make_level) with an in-memory rollup; the HTTP side on loopback."""
    import asyncio

    from aiohttp import web

    from pvm_host.rollup import Rollup
    from pvm_host.rollup_node import RollupNode

    batch = _batch("default")

    async def scenario() -> None:
        node = RollupNode(Rollup.open(kernel=(FIXTURES / "echo.wasm").read_bytes()), block_time=3600)
        runner = web.AppRunner(node.app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        client = RollupClient(f"http://127.0.0.1:{port}", timeout=5)
        try:
            assert await asyncio.to_thread(client.level) == -1  # nothing processed yet
            await asyncio.to_thread(client.inject, [batch, b"x"])
            assert len(await asyncio.to_thread(client.batcher_queue)) == 2
            report = await node.make_level()
            assert report.level == 0 and report.outbox == [batch, b"x"]  # echo copies externals
            assert await asyncio.to_thread(client.level) == 0
            msgs = await asyncio.to_thread(client.outbox_messages, 0)
            assert msgs == [{"outbox_level": 0, "message_index": "0", "message": {
                "transactions": [{"parameters": {"prim": "Unit"}, "destination": KT1}], "kind": "untyped"}}]
            assert await asyncio.to_thread(client.batcher_queue) == []
            assert await asyncio.to_thread(client.durable_value, "/count") == (5).to_bytes(4, "little")
        finally:
            await runner.cleanup()

    asyncio.run(scenario())


@pytest.mark.slow
def test_rollup_node_stops_on_missing_preimage(tmp_path: Path) -> None:
    from tests.pvm_host.wat import kernel

    wasm = tmp_path / "k.wasm"
    wasm.write_bytes(kernel("(drop (call $reveal_preimage (i32.const 100) (i32.const 33) (i32.const 200) (i32.const 64)))",
                            {100: b"\x00" + bytes(32)}))
    cmd = [str(Path(sys.executable).parent / "dsn"), "rollup", "node", "--port", "0", "--block-time", "0.1",
           "--kernel", str(wasm), "--state-dir", str(tmp_path / "st"), "--preimages", str(tmp_path)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "missing preimage 00" + "00" * 32 in done.stderr


def _start_node(tmp_path: Path, block_time: str) -> tuple[subprocess.Popen, RollupClient]:
    cmd = [str(Path(sys.executable).parent / "dsn"), "rollup", "node", "--port", "0", "--block-time", block_time,
           "--kernel", str(FIXTURES / "echo.wasm"), "--state-dir", str(tmp_path / "st")]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert "listening on " in first, first
    return proc, RollupClient(first.split("listening on ")[1].split()[0], timeout=5)


@pytest.mark.slow
def test_injected_messages_survive_kill_9(tmp_path: Path) -> None:
    proc, client = _start_node(tmp_path, "3600")
    try:
        client.inject([_batch("survivor")])
        assert len(client.batcher_queue()) == 1
    finally:
        proc.kill()
        proc.wait(timeout=10)
    proc, client = _start_node(tmp_path, "0.1")
    try:
        assert len(client.batcher_queue()) == 1
        _wait(lambda: client.level() >= 3)
        found = [m.transactions for lv in range(client.level() + 1) for m in client.outbox(lv)]
        assert found == [(OutboxTransaction(KT1, "survivor", {"prim": "Unit"}),)]
        assert client.batcher_queue() == []
    finally:
        proc.terminate()
        proc.wait(timeout=10)
