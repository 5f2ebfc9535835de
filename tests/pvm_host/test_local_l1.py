"""The local L1 and DAL node of `dsn rollup node`: limits, batcher, injection, DAL routes on loopback."""

import asyncio
import hashlib
import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import nacl.signing
import pytest

from pvm_host.dal import DalParameters
from pvm_host.l1_sim.chain import L1Profile, LocalL1, pack_messages
from pvm_host.l1_sim.dal_node import DalNode, commitment_b58, commitment_from_b58, commitment_of, proof_of
from pvm_host.l1_sim.operations import OperationError, public_key_hash
from pvm_host.lifecycle import LevelReport
from pvm_host.rollup import Rollup
from pvm_host.rollup_node import RollupNode, serve

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "replay"
PARAMS = DalParameters(4, 2, 4 * 3967, 3967)
SEED = bytes(range(32))


def nat(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def signed_op(seed: bytes, slots: list[tuple[int, bytes]], reveal: bool = True, corrupt: bool = False) -> bytes:
    """branch ‖ [reveal] ‖ dal_publish_commitment* ‖ Ed25519 signature, forged by hand (dal.md §3)."""
    key = nacl.signing.SigningKey(seed)
    public = b"\x00" + bytes(key.verify_key)
    source = public_key_hash(public)
    header = source + nat(1000) + nat(7) + nat(2000) + nat(0)
    body = bytes(32) + (bytes([107]) + header + public + b"\x00" if reveal else b"")
    for index, commitment in slots:
        body += bytes([230]) + header + bytes([index]) + commitment + proof_of(commitment)
    signature = key.sign(hashlib.blake2b(b"\x03" + body, digest_size=32).digest()).signature
    return body + (bytes(64) if corrupt else signature)


def test_commitment_b58_and_proof() -> None:
    c = commitment_of(bytes(PARAMS.slot_size))
    text = commitment_b58(c)
    assert text[:3] in ("sh1", "sh2") and len(text) == 74  # like real commitments
    assert commitment_from_b58(text) == c
    assert len(proof_of(c)) == 96
    with pytest.raises(ValueError):
        commitment_from_b58("sr163Lv22CdE8QagCwf48PWDTquk6isQwv57")


def test_pack_messages_respects_operation_and_block_limits() -> None:
    assert pack_messages([4095] * 20, 1, 524_288) == (7, [133 + 7 * 4099])
    assert pack_messages([4095] * 20, 2, 524_288) == (14, [133 + 7 * 4099] * 2)
    taken, ops = pack_messages([4095] * 200, 32, 524_288)
    assert sum(ops) <= 524_288 and all(size <= 32_768 for size in ops) and taken == 7 * 18 + 1
    assert pack_messages([10] * 5, 3, 524_288) == (5, [133 + 5 * 14])
    assert pack_messages([10], 1, 100) == (0, [])


def test_injection_rules_and_attestation() -> None:
    dal = DalNode(PARAMS)
    l1 = LocalL1(L1Profile("t", 1.0, PARAMS), dal)
    content = bytes([7]) * PARAMS.slot_size
    commitment, _ = dal.post_slot(content)
    assert len(l1.inject(signed_op(SEED, [(1, commitment)]))[:1]) == 1
    with pytest.raises(OperationError, match="Manager_restriction"):
        l1.inject(signed_op(SEED, [(2, commitment)], reveal=False))
    with pytest.raises(OperationError, match="Dal_publish_commitment_duplicate"):
        l1.inject(signed_op(bytes([1]) * 32, [(1, commitment)]))
    with pytest.raises(OperationError, match="invalid_index"):
        l1.inject(signed_op(bytes([2]) * 32, [(4, commitment)]))
    with pytest.raises(OperationError, match="signature is invalid"):
        l1.inject(signed_op(bytes([3]) * 32, [(2, commitment)], corrupt=True))
    with pytest.raises(OperationError, match="max_operation_data_length is 32768"):
        l1.inject(signed_op(bytes([3]) * 32, [(2, commitment)] * 200))
    taken, tail, report = l1.build_block(10, [100, 200])
    assert (taken, tail, report.dal_published, report.inbox_messages, report.inbox_bytes) == (2, [], [1], 2, 302)
    assert dal.status(10, 1) == "waiting_attestation" and dal.status(10, 2) == "unpublished"
    assert l1.build_block(11, [])[1] == []
    _, tail, report = l1.build_block(12, [])
    source = public_key_hash(b"\x00" + bytes(nacl.signing.SigningKey(SEED).verify_key))
    assert tail == [bytes.fromhex("0005" "0000000a" "0004" "00003dfc" "0f7f" "00000016") + source + b"\x02"]
    assert report.dal_attested == [1] and dal.status(10, 1) == {"kind": "attested", "attestation_lag": 2}
    assert dal.attested_slot(10, 1) == content
    # the same key may publish again once its operation is in a block; the signature is now checked
    # against the revealed key
    l1.inject(signed_op(SEED, [(0, commitment)], reveal=False))
    with pytest.raises(OperationError, match="signature is invalid"):
        l1.inject(signed_op(SEED, [(1, commitment)], reveal=False, corrupt=True))


def test_unattested_rate_and_missing_content() -> None:
    dal = DalNode(PARAMS, unattested_rate=1.0)
    commitment, _ = dal.post_slot(b"x")
    dal.publish(5, 0, commitment, bytes(21))
    dal.publish(5, 1, commitment_of(b"unknown"), bytes(21))
    assert dal.attest(7) == ([], [], [0, 1])
    assert dal.status(5, 0) == "unattested" and dal.attested_slot(5, 0) is None
    honest = DalNode(PARAMS)
    honest.publish(5, 1, commitment_of(b"never posted"), bytes(21))
    assert honest.attest(7)[2] == [1]
    with pytest.raises(ValueError, match="Post_slot_too_large"):
        honest.post_slot(bytes(PARAMS.slot_size + 1))


class NodeThread:
    """A RollupNode with a local L1 served on a loopback port from a thread."""

    def __init__(self, l1: LocalL1) -> None:
        self.levels: list[LevelReport] = []
        rollup = Rollup.open(kernel=(FIXTURES / "dal_reveal.wasm").read_bytes())
        self.node = RollupNode(rollup, 0.2, lambda report, _n: self.levels.append(report), l1=l1)
        self.ready = threading.Event()
        self.thread = threading.Thread(target=serve, args=(self.node, 0, self._ready), daemon=True)
        self.thread.start()
        assert self.ready.wait(10)

    def _ready(self, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.loop = asyncio.get_running_loop()
        self.ready.set()

    def call(self, path: str, body: object = None) -> tuple[int, object]:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method="GET" if body is None else "POST")
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return resp.status, json.loads(resp.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())

    def wait(self, predicate, timeout: float = 20.0) -> None:
        import time

        deadline = time.monotonic() + timeout
        while not predicate():
            assert time.monotonic() < deadline, "timed out"
            time.sleep(0.05)

    def stop(self) -> None:
        assert self.node.stopped is not None
        self.loop.call_soon_threadsafe(self.node.stopped.set)
        self.thread.join(10)


@pytest.fixture
def node() -> Iterator[NodeThread]:
    running = NodeThread(LocalL1(L1Profile("t", 0.2, PARAMS), DalNode(PARAMS)))
    yield running
    running.stop()


@pytest.mark.slow
def test_dal_node_and_l1_routes_on_loopback(node: NodeThread) -> None:
    status, params = node.call("/protocol_parameters")
    assert status == 200 and params["number_of_slots"] == 4 and params["attestation_lag"] == 2
    assert params["cryptobox_parameters"]["slot_size"] == 4 * 3967
    data = bytes(range(256)) * 20  # 5,120 bytes: not UTF-8, so octez's invalid_utf8_string form
    status, posted = node.call("/slots?padding=%01", {"invalid_utf8_string": list(data)})
    slot = data + b"\x01" * (PARAMS.slot_size - len(data))
    assert status == 200 and posted == {"commitment": commitment_b58(commitment_of(slot)),
                                        "commitment_proof": proof_of(commitment_of(slot)).hex()}
    assert node.call("/slots", "plain text")[1]["commitment"] == commitment_b58(
        commitment_of(b"plain text" + bytes(PARAMS.slot_size - 10)))
    status, error = node.call("/slots", {"invalid_utf8_string": [0] * (PARAMS.slot_size + 1)})
    assert status == 400 and "Post_slot_too_large" in error["error"]
    assert node.call("/slots", {"invalid_utf8_string": [256]})[0] == 400
    commitment = commitment_from_b58(posted["commitment"])
    status, error = node.call("/injection/operation", signed_op(SEED, [(4, commitment)]).hex())
    assert status == 400 and error["id"] == "dal_publish_commitment_invalid_index"
    status, error = node.call("/injection/operation", signed_op(SEED, [(1, commitment)] * 200).hex())
    assert status == 400 and error["id"] == "validate.operation.size_exceeded"
    assert node.call("/injection/operation", "zz")[0] == 400
    node.wait(lambda: node.node.head_level >= 0)  # published after the origination level (P > O)
    status, op_hash = node.call("/injection/operation", signed_op(SEED, [(1, commitment)]).hex())
    assert status == 200 and op_hash.startswith("o") and len(op_hash) == 51
    node.wait(lambda: any(r["dal_published"] == [1] for r in node.call("/local/l1/blocks")[1]))
    published = next(r["level"] for r in node.call("/local/l1/blocks")[1] if r["dal_published"] == [1])
    assert published >= 1
    node.wait(lambda: node.call(f"/levels/{published}/slots/1/status")[1] != "waiting_attestation")
    assert node.call(f"/levels/{published}/slots/1/status")[1] == {"kind": "attested", "attestation_lag": 2}
    assert node.call(f"/levels/{published}/slots/0/status")[1] == "unpublished"
    assert node.call(f"/levels/{published}/slots/1/content")[1] == slot.hex()
    assert node.call(f"/levels/{published}/slots/1/pages")[1] == [slot[i:i + 3967].hex() for i in range(0, len(slot), 3967)]
    assert node.call(f"/levels/{published}/slots/1/commitment")[1] == posted["commitment"]
    assert node.call(f"/levels/{published}/slots/2/pages")[0] == 404
    assert node.call("/levels/x/slots/1/pages")[0] == 400
    source = public_key_hash(b"\x00" + bytes(nacl.signing.SigningKey(SEED).verify_key))
    attested_msg = (bytes.fromhex("0005") + published.to_bytes(4, "big") + bytes.fromhex("0004" "00003dfc" "0f7f" "00000016")
                    + source + b"\x02")
    level_report = next(r for r in node.levels if r.level == published + 2)
    assert attested_msg in level_report.debug  # the kernel saw it in the inbox of P + lag
    request = b"\x02" + published.to_bytes(4, "big") + b"\x01" + (3).to_bytes(2, "big")
    status, _ = node.call("/local/batcher/injection", [request.hex()])
    node.wait(lambda: node.call("/global/block/head/durable/wasm_2_0_0/value?key=/dal/pages")[1] is not None)
    assert node.call("/global/block/head/durable/wasm_2_0_0/value?key=/dal/pages")[1] == slot[3 * 3967:].hex()
    report = node.call(f"/local/l1/blocks/{published}")[1]
    assert report["dal_published"] == [1] and report["operations"] == 1 and report["fees_mutez"] > 0


@pytest.mark.slow
def test_batcher_packs_within_the_operation_limit(node: NodeThread) -> None:
    payload = (b"\x05" * 4095).hex()
    before = node.node.head_level
    assert node.call("/local/batcher/injection", [payload] * 10)[0] == 200
    node.wait(lambda: node.call("/local/batcher/queue")[1] == [])
    counts = [r["inbox_messages"] for r in node.call("/local/l1/blocks")[1] if r["level"] > before and r["inbox_messages"]]
    assert counts == [7, 3]
    sizes = [r["manager_bytes"] for r in node.call("/local/l1/blocks")[1] if r["level"] > before and r["inbox_messages"]]
    assert sizes == [133 + 7 * 4099, 133 + 3 * 4099]
