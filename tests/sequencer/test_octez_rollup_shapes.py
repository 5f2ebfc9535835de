"""RollupClient and the sequencer's RemoteRollup against a server answering exactly as an octez rollup
node does. The answers are copied from the octez regression output
tezt/tests/expected/sc_rollup.ml/"U025-- wasm_2_0_0 - RPC API should work and be stable.out" (tezos/tezos-mirror
d26a8bef) and from the encodings in src/lib_smart_rollup/{l2_message,rollup_node_services}.ml and
src/proto_alpha/lib_protocol/sc_rollup_outbox_message_repr.ml."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest
from aiohttp import web

from dsn.sequencer.rollup_backend import RemoteRollup
from pvm_host.rollup_client import OutboxMessage, OutboxTransaction, QueuedMessage, RollupClient, RollupRpcError
from pvm_spec import b58

ADDRESS = "sr163Lv22CdE8QagCwf48PWDTquk6isQwv57"
ID0 = "scmsg2rwuPwGBrYsQHFuusVq5DAZFfJ4iGcAJ6Ttvyobd6b1V1oSpUk"
DURABLE = "/global/block/head/durable/wasm_2_0_0/"
ANSWERS: dict[str, object] = {
    "/global/smart_rollup_address": ADDRESS,
    "/global/block/head/level": 18,
    "/global/tezos_level": 18,
    DURABLE + "value?key=/readonly/wasm_version": "322e302e302d7236",
    DURABLE + "value?key=/kernel/boot.wasm2": None,
    DURABLE + "length?key=/readonly/wasm_version": "8",
    DURABLE + "subkeys?key=/readonly/kernel": ["boot.wasm", "env"],
    DURABLE + "values?key=/numbers": [{"key": "number02", "value": "02"}, {"key": "number24", "value": "18"}],
    # L2_message.encoding with its optional fields (order, traceparent)
    "/local/batcher/queue": [{"order": "3", "id": ID0, "message": {"content": "312d31", "counter": "0"},
                              "traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}],
    f"/local/batcher/queue/{ID0}": {"content": "312d31", "status": "pending_batch"},
    "/global/block/head/outbox/7/messages": [
        {"outbox_level": 7, "message_index": "0", "message": {
            "transactions": [{"parameters": {"int": "37"}, "destination": "KT1VD4SdQF2ruNNTCE1aTWErmGz9tN4Mg8F5"}],
            "kind": "untyped"}},
        {"outbox_level": 7, "message_index": "2", "message": {
            "transactions": [{"parameters": {"prim": "Unit"}, "parameters_ty": {"prim": "unit"},
                              "destination": "KT1VD4SdQF2ruNNTCE1aTWErmGz9tN4Mg8F5", "entrypoint": "mint"}],
            "kind": "typed"}},
        {"outbox_level": 7, "message_index": "3", "message": {"kind": "whitelist_update"}}],
}


PEERS: list[object] = []  # the client address of every request answered


@pytest.fixture()
def octez() -> Iterator[tuple[str, list[object]]]:
    injected: list[object] = []

    async def answer(request: web.Request) -> web.Response:
        PEERS.append(request.transport.get_extra_info("peername"))
        if request.method == "POST":
            injected.append(await request.json())
            return web.json_response([ID0])
        path = request.path + (f"?key={request.query['key']}" if "key" in request.query else "")
        if path == DURABLE + "value?key=/missing":  # older octez nodes: an error list with 500
            return web.json_response([{"kind": "permanent", "id": "failure"}], status=500)
        if path not in ANSWERS:
            return web.json_response([{"kind": "temporary", "id": "rpc.not_found"}], status=404)
        return web.json_response(ANSWERS[path])

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", answer)
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(app)
    loop.run_until_complete(runner.setup())
    site = web.TCPSite(runner, "127.0.0.1", 0)
    loop.run_until_complete(site.start())
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}", injected
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)


def test_client_reads_octez_shapes(octez: tuple[str, list[object]]) -> None:
    client = RollupClient(octez[0], timeout=5)
    assert client.smart_rollup_address() == ADDRESS and client.level() == 18 and client.tezos_level() == 18
    assert client.durable_value("/readonly/wasm_version") == b"2.0.0-r6"
    assert client.durable_value("/kernel/boot.wasm2") is None and client.durable_value("/missing") is None
    assert client.durable_length("/readonly/wasm_version") == 8
    assert client.durable_subkeys("/readonly/kernel") == ["boot.wasm", "env"]
    assert client.durable_values("/numbers") == {"number02": b"\x02", "number24": b"\x18"}
    assert client.batcher_messages() == [QueuedMessage(ID0, b"1-1", 0)]
    assert client.batcher_queue() == [ID0]
    assert client.batcher_message(ID0) == {"content": "312d31", "status": "pending_batch"}
    assert client.inject([b"1-1"]) == [ID0] and octez[1] == [["312d31"]]
    kt1 = "KT1VD4SdQF2ruNNTCE1aTWErmGz9tN4Mg8F5"
    assert client.outbox(7) == [
        OutboxMessage(7, 0, "untyped", (OutboxTransaction(kt1, "default", {"int": "37"}),)),
        OutboxMessage(7, 2, "typed", (OutboxTransaction(kt1, "mint", {"prim": "Unit"}, {"prim": "unit"}),)),
        OutboxMessage(7, 3, "whitelist_update")]


def test_sequencer_backend_on_octez(octez: tuple[str, list[object]]) -> None:
    async def scenario() -> None:
        PEERS.clear()
        backend = RemoteRollup(octez[0], timeout=5)
        await backend.connect(wait=5)
        assert backend.address == b58.rollup_address(ADDRESS)
        assert await backend.level() == 18
        assert await backend.pending() == 1
        assert await backend.value("/readonly/wasm_version") == b"2.0.0-r6"
        assert await backend.subkeys("/readonly/kernel") == ["boot.wasm", "env"]
        await backend.inject([b"\x00frame"])
        assert octez[1] == [["006672616d65"]]
        assert await backend.value("/missing") is None and await backend.value("/kernel/boot.wasm2") is None
        with pytest.raises(RollupRpcError) as err:
            await backend.subkeys("/nowhere")
        assert err.value.status == 404 and "rpc.not_found" in str(err.value)
        assert len(PEERS) == 9 and len(set(PEERS)) == 1  # one kept-alive connection for every request
        await backend.close()

    asyncio.run(scenario())
