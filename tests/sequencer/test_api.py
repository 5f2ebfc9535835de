"""The public HTTP API's input handling: 4xx JSON errors for malformed input, 404 for unknown ids,
rejection (before the DSN) of what the kernel would reject, and reads of the kernel state."""

from __future__ import annotations

import asyncio
import base64
import json
import tempfile
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient, TestServer
from nacl.signing import SigningKey

from dsn.sequencer.api import SequencerApi
from dsn.sequencer.custody import Custody
from dsn.sequencer.sources import SubmitError
from dsn.sequencer.state import KernelState, step_bytes
from dsn.sequencer.status_store import StatusStore
from dsn.sequencer.submitter import Submitter
from dsn.sequencer.tracker import TxTracker
from dsn.sequencer.txcheck import tx_id
from dsn.token import txbuild
from kernel_py.formats.dsn import Authority, Committee, encode_committee
from kernel_py.formats.limits import size_limits
from kernel_py.ledger import balance_key, nonce_key
from pvm_host.http_guard import HttpLimits
from pvm_host.rollup_client import RollupRpcError
from tests.sequencer.fakes import FakeBackend, ListSource

ROLLUP = bytes(range(1, 21))
ALICE = SigningKey(bytes([1]) * 32)
BOB = bytes(SigningKey(bytes([2]) * 32).verify_key)
MAX_TX = size_limits(4, 50).max_tx  # the fixture committee's


def good_tx(nonce: int = 0, rollup: bytes = ROLLUP) -> bytes:
    return txbuild.sign_tx(ALICE, rollup, nonce, txbuild.transfer(BOB, bytes(32), 5))


async def call(method: str, path: str, backend: FakeBackend | None = None, **kwargs: Any) -> tuple[int, Any, ListSource]:
    backend = backend or FakeBackend(ROLLUP)
    source = ListSource([])
    with tempfile.TemporaryDirectory() as tmp:
        custody = Custody(StatusStore(Path(tmp)))
        api = SequencerApi(KernelState(backend), TxTracker(custody), source, Submitter(source, custody, window=0),
                           ROLLUP, lambda: {}, MAX_TX)
        async with TestClient(TestServer(api.app)) as client:
            resp = await client.request(method, path, **kwargs)
            return resp.status, await resp.json(), source


def run(method: str, path: str, backend: FakeBackend | None = None, **kwargs: Any) -> tuple[int, Any, ListSource]:
    return asyncio.run(call(method, path, backend, **kwargs))


def test_broadcast_accepts_a_valid_transaction_and_submits_it() -> None:
    tx = good_tx()
    status, body, source = run("POST", "/broadcast", json={"tx": tx.hex()})
    assert (status, body) == (200, {"tx_id": tx_id(tx).hex(), "status": "pending"})
    assert source.submitted == [tx]


def test_broadcast_accepts_bare_hex_with_0x() -> None:
    tx = good_tx()
    status, body, source = run("POST", "/broadcast", data="0x" + tx.hex() + "\n")
    assert status == 200 and source.submitted == [tx]


def test_broadcast_errors_are_4xx_and_nothing_is_submitted() -> None:
    bad_sig = bytearray(good_tx())
    bad_sig[-5] ^= 0xFF
    unknown_action = bytearray(good_tx())
    unknown_action[29] = 5
    cases = [
        ({"data": "zz"}, 400, "transaction is not hex"),
        ({"json": {"tx": 5}}, 400, 'body must be {"tx": "<hex>"}'),
        ({"data": "{", "headers": {"Content-Type": "application/json"}}, 400, "body is not JSON"),
        ({"json": {"tx": ""}}, 422, "empty transaction"),
        ({"json": {"tx": "0102"}}, 422, "invalid transaction encoding"),
        ({"json": {"tx": "02" + good_tx()[1:].hex()}}, 422, "unsupported transaction version"),
        ({"json": {"tx": bytes(unknown_action).hex()}}, 422, "unknown action"),
        ({"json": {"tx": good_tx(rollup=bytes(20)).hex()}}, 422, "wrong rollup address"),
        ({"json": {"tx": bytes(bad_sig).hex()}}, 422, "invalid signature"),
        ({"json": {"tx": txbuild.sign_tx(ALICE, ROLLUP, 0, txbuild.transfer(BOB, bytes(32), 0)).hex()}}, 422,
         "field is not populated"),
    ]
    for kwargs, want_status, want_error in cases:
        status, body, source = run("POST", "/broadcast", **kwargs)
        assert status == want_status, (kwargs, body)
        assert body["error"].startswith(want_error), (kwargs, body)
        assert source.submitted == []


def test_batch_broadcast_reports_each_transaction() -> None:
    ok1, ok2 = good_tx(0), good_tx(1)
    status, body, source = run("POST", "/broadcast", json={"txs": [ok1.hex(), "xx", ok2.hex()]})
    assert status == 200
    assert body == {"accepted": 2, "results": [{"tx_id": tx_id(ok1).hex()}, {"error": "transaction is not hex"},
                                               {"tx_id": tx_id(ok2).hex()}]}
    assert source.submitted == [ok1, ok2]


def test_unknown_ids_are_404_and_malformed_ids_400() -> None:
    assert run("GET", "/txs/" + "ab" * 32)[:2] == (404, {"error": "unknown transaction " + "ab" * 32})
    assert run("GET", "/txs/abc")[0] == 400
    assert run("GET", "/txs/" + "ab" * 31)[1] == {"error": "transaction id must be 32 bytes, got 31"}
    assert run("GET", "/blocks/3")[:2] == (404, {"error": "block 3 is not applied"})
    assert run("GET", "/blocks/-1")[0] == 400
    assert run("GET", "/authorities/0")[:2] == (404, {"error": "no committee registered for epoch 0"})
    assert run("GET", "/assets/" + "00" * 32)[0] == 404
    assert run("GET", "/chains/zz/messages")[0] == 400
    assert run("GET", "/chains/" + "01" * 65 + "/messages")[1] == {"error": "chain id must be 1 to 64 bytes"}
    assert run("GET", "/chains/01/messages?from=x")[0] == 400
    assert run("GET", "/accounts/12")[0] == 400


def test_state_reads() -> None:
    b = FakeBackend(ROLLUP)
    committee = Committee(3, 50, [Authority(bytes([9]) * 32, 5), Authority(bytes([8]) * 32, 7)])
    b.values["/dsn/committee/3"] = encode_committee(committee)
    b.values[nonce_key(BOB).decode()] = (4).to_bytes(8, "big")
    b.values[balance_key(BOB, bytes(32)).decode()] = (77).to_bytes(8, "big")
    b.values["/b/" + base64.urlsafe_b64encode(BOB).decode().rstrip("=") + "/" + "_" * 42 + "8"] = (9).to_bytes(8, "big")
    tid = bytes([5]) * 32
    b.values["/blocks/1/info"] = bytes([1]) * 32 + (1000).to_bytes(8, "big") + (3).to_bytes(8, "big") + \
        (4).to_bytes(8, "big") + (1).to_bytes(4, "big")
    b.values["/blocks/1/root"] = bytes([2]) * 32
    b.values["/blocks/1/results"] = tid + b"\x01" + (4).to_bytes(2, "big") + b"oops"
    chain = b"ch".hex()
    b.values[f"/seq/{chain}/count"] = (1).to_bytes(8, "big")
    b.values[f"/seq/{chain}/0"] = (1).to_bytes(8, "big") + tid + BOB + b"hi"
    assert run("GET", "/authorities/3", b)[1] == {
        "epoch": 3, "gc_depth": 50, "total_stake": 12, "quorum": 9,
        "authorities": [{"index": 0, "public_key": "09" * 32, "stake": 5}, {"index": 1, "public_key": "08" * 32, "stake": 7}]}
    assert run("GET", f"/accounts/{BOB.hex()}", b)[1] == {"account": BOB.hex(), "nonce": 4, "next_nonce": 4,
                                                          "balances": {"00" * 32: 77, "ff" * 32: 9}}
    assert step_bytes("0") == bytes(32) and step_bytes("A" * 42 + "Q") == bytes(31) + b"\x04"
    for bad in ("", "1", "A" * 43 + "A", "A" * 42 + "B"):  # not 32 bytes, or not the canonical 43 characters
        try:
            step_bytes(bad)
        except ValueError:
            continue
        raise AssertionError(bad)
    assert run("GET", "/blocks/1", b)[1] == {
        "index": 1, "leader_digest": "01" * 32, "commit_timestamp": 1000, "epoch": 3, "leader_round": 4, "tx_count": 1,
        "root": "02" * 32, "results": [{"tx_id": tid.hex(), "status": "failed", "error": "oops"}]}
    assert run("GET", f"/chains/{chain}/messages?from=0", b)[1] == {
        "chain_id": chain, "count": 1,
        "messages": [{"n": 0, "block": 1, "tx_id": tid.hex(), "from": BOB.hex(), "data": b"hi".hex()}]}
    assert run("GET", f"/chains/{chain}/messages?from=1", b)[1]["messages"] == []


def test_messages_pruned_by_the_kernel_are_left_out() -> None:
    b = FakeBackend(ROLLUP)
    chain = b"ch".hex()
    b.values[f"/seq/{chain}/count"] = (5).to_bytes(8, "big")  # 0 … 2 pruned with their blocks (/setup/keep)
    for n in (3, 4):
        b.values[f"/seq/{chain}/{n}"] = (7).to_bytes(8, "big") + bytes([n]) * 32 + BOB + bytes([n])
    expect = [{"n": n, "block": 7, "tx_id": f"{n:02x}" * 32, "from": BOB.hex(), "data": f"{n:02x}"} for n in (3, 4)]
    assert run("GET", f"/chains/{chain}/messages?from=0&limit=10", b)[:2] == (
        200, {"chain_id": chain, "count": 5, "messages": expect})
    assert run("GET", f"/chains/{chain}/messages?from=1&limit=2", b)[:2] == (
        200, {"chain_id": chain, "count": 5, "messages": []})
    assert run("GET", f"/chains/{chain}/messages?from=2&limit=2", b)[1]["messages"] == expect[:1]


class DownSource(ListSource):
    async def submit(self, txs: list[bytes], node: int = 0) -> None:
        raise SubmitError("127.0.0.1:1: UNAVAILABLE")


class DownBackend(FakeBackend):
    async def value(self, key: str) -> bytes | None:
        raise RollupRpcError("GET /global/...: connection refused")


def test_dsn_and_rollup_failures_are_503_and_502(tmp_path: Path) -> None:
    custody = Custody(StatusStore(tmp_path))
    tracker = TxTracker(custody)

    async def go() -> tuple[int, Any, int, Any]:
        api = SequencerApi(KernelState(FakeBackend(ROLLUP)), tracker, DownSource([]),
                           Submitter(DownSource([]), custody, window=0), ROLLUP, lambda: {}, MAX_TX)
        async with TestClient(TestServer(api.app)) as client:
            resp = await client.post("/broadcast", json={"tx": good_tx().hex()})
            first = resp.status, await resp.json()
        api = SequencerApi(KernelState(DownBackend(ROLLUP)), tracker, ListSource([]), Submitter(ListSource([]), custody),
                           ROLLUP, lambda: {}, MAX_TX)
        async with TestClient(TestServer(api.app)) as client:
            resp = await client.get("/accounts/" + BOB.hex())
            return (*first, resp.status, await resp.json())

    status, body, status2, body2 = asyncio.run(go())
    assert (status, body) == (503, {"error": "no DSN node accepted the transactions (127.0.0.1:1: UNAVAILABLE)"})
    assert status2 == 502 and body2["error"].startswith("rollup node: GET /global/...: connection refused")
    assert tracker.status(tx_id(good_tx())) is None  # a refused submission is not reported as pending
    assert custody.held == {} and custody.store.held() == []  # nor kept


def big_msg(seed: int, data_len: int) -> bytes:
    """A valid ``sequencer_msg`` transaction from a fresh key, about ``data_len`` bytes long."""
    key = SigningKey(seed.to_bytes(32, "big"))
    return txbuild.sign_tx(key, ROLLUP, 0, txbuild.sequencer_msg(bytes(key.verify_key), bytes(data_len), b"chain"))


def test_oversized_broadcast_of_the_issue_is_refused_at_the_door_with_413() -> None:
    """Issue 12: one 17 MB /broadcast of 130 ~65 KB sequencer_msg transactions made an 8.5 MB pre-block
    the kernel refused forever. Each transaction is above the DSN's limit: nothing reaches the DSN."""
    txs = [big_msg(1000 + i, 65_000) for i in range(130)]
    assert all(MAX_TX < len(t) <= 65_536 for t in txs) and sum(map(len, txs)) > 8_400_000
    status, body, source = run("POST", "/broadcast", json={"txs": [t.hex() for t in txs]})
    assert (status, source.submitted) == (413, [])  # 17 MB of hex: above the HTTP body limit
    assert body["error"].startswith("body of ") and body["error"].endswith("the limit is 8388608")
    status, body, source = run("POST", "/broadcast", json={"txs": [t.hex() for t in txs[:50]]})
    assert status == 200 and body["accepted"] == 0 and source.submitted == []
    assert body["results"][0] == {"error": f"transaction of {len(txs[0])} bytes is above the DSN's limit of "
                                           f"{MAX_TX} bytes (max_tx)"}
    assert all("above the DSN's limit" in r["error"] for r in body["results"])
    status, body, source = run("POST", "/broadcast", json={"tx": txs[0].hex()})
    assert (status, body["limit"], source.submitted) == (413, MAX_TX, [])
    assert body["error"].endswith(f"above the DSN's limit of {MAX_TX} bytes (max_tx)")
    # just under the limit: admitted
    fits = big_msg(7, MAX_TX - 300)
    assert MAX_TX - 400 < len(fits) <= MAX_TX
    status, body, source = run("POST", "/broadcast", json={"tx": fits.hex()})
    assert status == 200 and source.submitted == [fits]


def test_request_body_above_the_limit_is_a_json_413() -> None:
    body = json.dumps({"tx": good_tx().hex() + "00" * 1000}).encode()

    async def go() -> tuple[int, Any]:
        source = ListSource([])
        with tempfile.TemporaryDirectory() as tmp:
            custody = Custody(StatusStore(Path(tmp)))
            api = SequencerApi(KernelState(FakeBackend(ROLLUP)), TxTracker(custody), source,
                               Submitter(source, custody, window=0), ROLLUP, lambda: {}, MAX_TX,
                               HttpLimits(max_body=1000))
            async with TestClient(TestServer(api.app)) as client:
                resp = await client.post("/broadcast", data=body, headers={"Content-Type": "application/json"})
                return resp.status, await resp.json()

    assert asyncio.run(go()) == (413, {"error": f"body of {len(body)} bytes; the limit is 1000"})
