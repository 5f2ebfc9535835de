"""The local rollup node speaks the octez rollup-node RPC shapes (golden values from the octez source)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from aiohttp import web

from pvm_host import micheline
from pvm_host.l2_message import is_message_id, message_id
from pvm_host.outbox import Transaction, atomic_batch, to_json, whitelist_update
from pvm_host.rollup import Rollup
from pvm_host.rollup_client import QueuedMessage, RollupClient, RollupRpcError
from pvm_host.rollup_node import RollupNode
from pvm_spec import b58
from pvm_spec.michelson import to_micheline

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "replay"

# tezt/tests/expected/sc_rollup.ml/"U025-- wasm_2_0_0 - RPC API should work and be stable.out" (tezos/tezos-mirror
# d26a8bef): the first injection into a fresh batcher, ["312d31", …, "312d35"], answers these ids.
OCTEZ_FIRST_IDS = [
    "scmsg2rwuPwGBrYsQHFuusVq5DAZFfJ4iGcAJ6Ttvyobd6b1V1oSpUk", "scmsg3WtaZfwmQQzbHobfzcZw3JFy7eYAAJs9RZsGGrnzwEAnzPP5We",
    "scmsg2VDC22BtmBrJD2vGKdjeNBMv7W6uw1uRVvJmW7jRv2z9yiQTcM", "scmsg25K99LfhZYmLRgiyFGPswB3YiNoH6Lw97AuPeZEaC1cKpdNaiN",
    "scmsg3j2jViLpky6CbTuQWUguz3HxuvUL3XZYppP8euHHuWeDdW6QZy",
]
OCTEZ_FIRST_PAYLOADS = [bytes.fromhex(f"312d3{i}") for i in range(1, 6)]


def test_message_ids_match_octez_batcher() -> None:
    assert [message_id(p, i) for i, p in enumerate(OCTEZ_FIRST_PAYLOADS)] == OCTEZ_FIRST_IDS
    assert message_id(b"1-1", None) != OCTEZ_FIRST_IDS[0]  # drop_duplicate ids leave the counter out
    assert all(is_message_id(i) for i in OCTEZ_FIRST_IDS)
    assert not is_message_id("sr163Lv22CdE8QagCwf48PWDTquk6isQwv57") and not is_message_id("scmsg0OIl")


# src/kernel_sdk/encoding/src/outbox.rs tests: ENCODED_TRANSACTION_ONE/TWO (a 152-byte batch) and
# ENCODED_WHITELIST_UPDATE, whose comments name the two tz1 addresses.
SDK_TX_ONE = (bytes([7, 7, 10, 0, 0, 0, 22, 1, 209, 163]) + b"|" + bytes([8, 138, 18]) + b"!" + bytes([182]) + b"6"
              + bytes([187]) + b"_" + bytes([204, 179]) + b"^" + bytes([5, 24, 16]) + b"8" + bytes([186]) + b"|"
              + bytes([0, 7, 7, 1, 0, 0, 0, 3]) + b"red" + bytes([0, 1, 1, 36, 102, 103, 169, 49, 254, 11, 210, 251, 28,
              182, 4, 247, 20, 96, 30, 136, 40, 69, 80, 0, 0, 0, 0, 7]) + b"default")
SDK_TX_TWO = (bytes([7, 7, 10, 0, 0, 0, 22, 1]) + b"$fg" + bytes([169]) + b"1" + bytes([254, 11, 210, 251, 28, 182, 4,
              247, 20]) + b"`" + bytes([30, 136]) + b"(EP" + bytes([0, 7, 7, 1, 0, 0, 0, 6]) + b"yellow"
              + bytes([0, 137, 5, 1, 21, 237, 173]) + b"'" + bytes([159]) + b"U" + bytes([226, 254]) + b"@"
              + bytes([17, 222]) + b"m,$" + bytes([253, 245, 27, 242]) + b"%" + bytes([197, 0, 0, 0, 0, 7]) + b"another")
SDK_WHITELIST = bytes([0xFF, 0, 0, 0, 0x2A, 0, 0x2, 0x29, 0x8C, 0x3, 0xED, 0x7D, 0x45, 0x4A, 0x10, 0x1E, 0xB7, 0x2,
                       0x2B, 0xC9, 0x5F, 0x7E, 0x5F, 0x41, 0xAC, 0x78, 0, 0xE7, 0x67, 0xF, 0x32, 0x3, 0x81, 0x7, 0xA5,
                       0x9A, 0x2B, 0x9C, 0xFE, 0xFA, 0xE3, 0x6E, 0xA2, 0x1F, 0x5A, 0xA6, 0x3C])


def _ticket(kt1_hash: bytes, text: str, amount: int) -> dict:
    return {"prim": "Pair", "args": [{"bytes": "01" + kt1_hash.hex() + "00"},
                                     {"prim": "Pair", "args": [{"string": text}, {"int": str(amount)}]}]}


NAT_FROM = bytes([4, micheline.PRIMITIVES.index("nat"), 0, 0, 0, 5]) + b"%from"  # type nat %from


def test_outbox_json_of_sdk_vectors() -> None:
    assert len(SDK_TX_ONE) == 74 and len(SDK_TX_TWO) == 78 and len(SDK_WHITELIST) == 47
    msg = to_json(b"\x00\x00\x00\x00\x98" + SDK_TX_ONE + SDK_TX_TWO)
    one, two = SDK_TX_ONE[8:28], SDK_TX_TWO[8:28]
    assert msg == {"kind": "untyped", "transactions": [
        {"parameters": _ticket(one, "red", 1), "destination": b58.encode("KT1", SDK_TX_ONE[42:62])},
        {"parameters": _ticket(two, "yellow", 329), "destination": b58.encode("KT1", SDK_TX_TWO[46:66]),
         "entrypoint": "another"}]}
    assert to_json(b"\x02" + SDK_WHITELIST) == {
        "whitelist": ["tz1KqTpEZ7Yob7QbPE4Hy4Wo8fHG8LhKxZSx", "tz1gjaF81ZRRvdzjobyfVNsAeSC6PScjfQwN"],
        "kind": "whitelist_update"}
    assert to_json(whitelist_update(None)) == {"kind": "whitelist_update"}
    kt1 = b58.encode("KT1", bytes(range(20)))
    typed = atomic_batch([Transaction(kt1, "mint", to_micheline("Pair 1 2"), NAT_FROM)], True)
    assert to_json(typed) == {"kind": "typed", "transactions": [{
        "parameters": {"prim": "Pair", "args": [{"int": "1"}, {"int": "2"}]},
        "parameters_ty": {"prim": "nat", "annots": ["%from"]}, "destination": kt1, "entrypoint": "mint"}]}
    for bad in (b"\x00\x00\x00\x00\x02\x03\xff", b"\x07", b"\x01\x00\x00\x00\x00"[:4]):
        with pytest.raises(ValueError):
            to_json(bad)


def test_micheline_json_forms() -> None:
    assert micheline.to_json(to_micheline("{ -64 ; 8191 ; \"é\" ; 0x00 }")) == [
        {"int": "-64"}, {"int": "8191"}, {"string": "é"}, {"bytes": "00"}]
    assert micheline.to_json(bytes([9, 7, 0, 0, 0, 2, 0, 1, 0, 0, 0, 0])) == {  # n-ary, one arg, no annots
        "prim": "Pair", "args": [{"int": "1"}]}
    for bad in (b"\x03\xff", b"\x01\x00\x00\x00\x05ab", b"\x03\x0b\x00", b"\x01\x00\x00\x00\x01\xff", b"\x0b"):
        with pytest.raises(ValueError):
            micheline.to_json(bad)


def test_node_routes_in_octez_shapes() -> None:
    async def scenario() -> None:
        node = RollupNode(Rollup.open(kernel=(FIXTURES / "echo.wasm").read_bytes()), block_time=3600)
        runner = web.AppRunner(node.app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        client = RollupClient(f"http://127.0.0.1:{port}", timeout=5)

        def call(method, *args):  # type: ignore[no-untyped-def]
            return asyncio.to_thread(method, *args)

        try:
            assert await call(client.health) == {"healthy": True, "degraded": False,
                                                 "l1": {"connection": "connected", "blocks_late": 0},
                                                 "active_workers": [["batcher", "running"]]}
            version = await call(client.version)
            assert sorted(version) == ["context_version", "store_version", "version"]
            assert version["context_version"] == "wasm_2_0_0 2.0.0-r5"
            assert await call(client.tezos_level) is None
            ids = await call(client.inject, OCTEZ_FIRST_PAYLOADS)
            assert ids == OCTEZ_FIRST_IDS  # a fresh queue numbers from 0, like a fresh octez batcher
            raw = await call(client._request, "GET", "/local/batcher/queue")
            assert raw[0] == {"id": OCTEZ_FIRST_IDS[0], "message": {"content": "312d31", "counter": "0"}}
            assert (await call(client.batcher_messages))[4] == QueuedMessage(OCTEZ_FIRST_IDS[4], b"1-5", 4)
            assert await call(client.batcher_message, ids[2]) == {"content": "312d33", "status": "pending_batch"}
            for query in ("?order=1", "?drop_duplicate=true"):
                with pytest.raises(RollupRpcError) as err:
                    await call(client._request, "POST", "/local/batcher/injection" + query, ["00"])
                assert err.value.status == 400
            with pytest.raises(RollupRpcError) as err:
                await call(client.batcher_message, "nonsense")
            assert err.value.status == 400 and "invalid L2 message id" in err.value.body
            await node.make_level()
            assert await call(client.batcher_queue) == []
            assert await call(client.batcher_message, ids[2]) == {"status": "unknown"}
            assert await call(client.tezos_level) == 0 and await call(client.level) == 0
            durable = "/global/block/head/durable/wasm_2_0_0/"
            assert await call(client._request, "GET", durable + "length?key=/count") == "4"  # int64: a string
            assert await call(client._request, "GET", durable + "values?key=/") == [
                {"key": "count", "value": (8).to_bytes(4, "little").hex()}]  # children with a value only
            assert await call(client.durable_values, "/kernel") == {
                "boot.wasm": (FIXTURES / "echo.wasm").read_bytes()}
            assert await call(client.durable_values, "/absent") == {}
            state = await call(client._request, "GET", "/global/block/head/state_hash")
            assert state.startswith("srs1") and b58.decode(state, "srs1") == node.rollup.root_hash()
            assert (await call(client._request, "GET", "/global/block/0/total_ticks")).isdigit()
            spec = await call(client._request, "GET", "/openapi")
            assert spec["openapi"] == "3.0.0" and set(spec["paths"]) >= {
                "/health", "/version", "/openapi", "/global/tezos_level", "/local/batcher/queue/{id}",
                "/global/block/{block}/durable/wasm_2_0_0/{what}", "/global/block/{block}/outbox/{level}/messages"}
            queue_op = spec["paths"]["/local/batcher/queue"]["get"]
            assert queue_op["responses"]["200"]["content"]["application/json"]["schema"]["items"]["required"] == [
                "id", "message"]
            assert "post" in spec["paths"]["/local/batcher/injection"]
            json.dumps(spec)
        finally:
            await runner.cleanup()

    asyncio.run(scenario())
