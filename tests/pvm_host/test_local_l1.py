"""The local L1 and DAL node of `dsn rollup node`: limits, batcher, injection, DAL routes on loopback."""

import asyncio
import hashlib
import json
import threading
import time
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


def test_the_head_moves_once_a_blocks_publications_and_statuses_are_recorded() -> None:
    """A client that sees the new head (the DAL poster's clock) finds the block's publications and the
    statuses it decided: the head moves last."""
    heads: list[tuple[str, int]] = []

    class Watched(DalNode):
        def publish(self, level: int, slot_index: int, commitment: bytes, publisher: bytes) -> None:
            heads.append(("publish", l1.head_level))
            super().publish(level, slot_index, commitment, publisher)

        def attest(self, level: int) -> tuple[list[bytes], list[int], list[int]]:
            heads.append(("attest", l1.head_level))
            return super().attest(level)

    dal = Watched(PARAMS)
    l1 = LocalL1(L1Profile("t", 1.0, PARAMS), dal)
    commitment, _ = dal.post_slot(bytes([7]) * PARAMS.slot_size)
    l1.inject(signed_op(SEED, [(1, commitment)]))
    l1.build_block(5, [])
    assert heads == [("publish", -1), ("attest", -1)] and l1.head_level == 5 and l1.block_operations[5]


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
    for bad in ([256], [1.5], ["a"], [[1]], [True, [2]]):
        status, error = node.call("/slots", {"invalid_utf8_string": bad})
        assert status == 400 and "error" in error
    deep = urllib.request.Request(node.url + "/slots", data=b'{"invalid_utf8_string": ' + b"[" * 5000 + b"]" * 5000 + b"}",
                                  method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(deep, timeout=10)
    assert refused.value.code == 400
    assert node.call("/slots?padding=ab", "x")[0] == 400
    commitment = commitment_from_b58(posted["commitment"])
    status, error = node.call("/injection/operation", signed_op(SEED, [(4, commitment)]).hex())
    assert status == 400 and error["id"] == "dal_publish_commitment_invalid_index"
    status, error = node.call("/injection/operation", signed_op(SEED, [(1, commitment)] * 200).hex())
    assert status == 400 and error["id"] == "validate.operation.size_exceeded"
    assert node.call("/injection/operation", "zz")[0] == 400
    node.wait(lambda: node.node.head_level >= 0)  # published after the origination level (P > O)
    injected = time.time()
    status, op_hash = node.call("/injection/operation", signed_op(SEED, [(1, commitment)]).hex())
    answered = time.time()
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
    # the DA stages' clock: injected, then the block built, then its level committed
    assert len(report["injected_at"]) == 1 and injected <= report["injected_at"][0] <= answered
    assert report["injected_at"][0] <= report["built_at"] <= report["applied_at"]
    # the shell reads a forging client needs
    from pvm_host.l1_sim.l1_routes import block_hash
    from pvm_host.l1_sim.setup import ed25519_public_key
    from pvm_spec import b58

    header = node.call("/chains/main/blocks/head/header")[1]
    assert header["level"] >= published + 2 and header["hash"] == block_hash(header["level"])
    assert header["hash"].startswith("B") and len(header["hash"]) == 51
    assert node.call("/chains/main/chain_id")[1].startswith("Net")
    address = b58.encode("tz1", source[1:])
    assert node.call(f"/chains/main/blocks/head/context/contracts/{address}/counter")[1] == "7"
    edpk = node.call(f"/chains/main/blocks/head/context/contracts/{address}/manager_key")[1]
    assert ed25519_public_key(edpk) == b"\x00" + bytes(nacl.signing.SigningKey(SEED).verify_key)
    other = b58.encode("tz1", bytes(20))
    assert node.call(f"/chains/main/blocks/head/context/contracts/{other}/counter")[1] == "0"
    assert node.call(f"/chains/main/blocks/head/context/contracts/{other}/manager_key")[1] is None
    assert node.call("/chains/main/blocks/head/context/contracts/KT1xyz/counter")[0] == 400
    ops = node.call(f"/chains/main/blocks/{published}/operations/3")[1]
    zero_branch = "BKiHLREqU3JkXfzEDYAkmmfX48gBDtYhMrpA98s7Aq4SzbUAB6M"  # 32 zero bytes
    assert ops == [{"hash": op_hash, "branch": zero_branch, "contents": [
        {"kind": "reveal", "source": address, "fee": "1000", "counter": "7", "gas_limit": "2000"},
        {"kind": "dal_publish_commitment", "source": address, "fee": "1000", "counter": "7", "gas_limit": "2000",
         "slot_header": {"slot_index": 1, "commitment": posted["commitment"]}}]}]
    assert node.call(f"/chains/main/blocks/{published}/operations/0")[1] == []
    assert node.call("/chains/main/blocks/999999/operations/3")[0] == 404
    constants = node.call("/chains/main/blocks/head/context/constants")[1]
    assert constants["dal_parametric"]["number_of_slots"] == 4 and constants["max_operation_data_length"] == 32768
    with urllib.request.urlopen(node.url + "/metrics", timeout=10) as resp:
        metrics = resp.read().decode()
    assert 'rollup_node_dal_slots_total{event="published"} 1.0' in metrics
    assert 'rollup_node_dal_slots_total{event="attested"} 1.0' in metrics
    fees = sum(r["fees_mutez"] for r in node.call("/local/l1/blocks")[1])
    assert fees > 0 and f"rollup_node_l1_fees_mutez_total {float(fees)}" in metrics


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


def test_make_l1_from_options(tmp_path: Path) -> None:
    from pvm_host.l1_sim.setup import ed25519_public_key, make_l1

    assert make_l1("none", None, 1, 0.0, 0, None, None) is None
    mainnet = make_l1("mainnet", None, 4, 0.25, 3, None, None)
    assert mainnet is not None and mainnet.profile.block_time == 6.0 and mainnet.batcher_keys == 4
    assert mainnet.dal.params == DalParameters(160, 5, 380_832, 3_967) and mainnet.dal.unattested_rate == 0.25
    sandbox = make_l1("sandbox", "8,1,39670,3967", 1, 0.0, 0, None, 0.5)
    assert sandbox is not None and sandbox.profile.block_time == 0.5 and sandbox.dal.params.attestation_lag == 1
    key = ed25519_public_key("edpkuBknW28nW72KG6RoHtYW7p12T6GKc7nAbwYX5m8Wd9sDVC9yav")
    assert public_key_hash(key).hex() == "0002298c03ed7d454a101eb7022bc95f7e5f41ac78"  # tz1KqTp… (pytezos agrees)
    accounts = tmp_path / "keys.json"
    accounts.write_text(json.dumps(["edpkuBknW28nW72KG6RoHtYW7p12T6GKc7nAbwYX5m8Wd9sDVC9yav"]))
    with_keys = make_l1("sandbox", None, 1, 0.0, 0, accounts, None)
    assert with_keys is not None and with_keys.keys == {public_key_hash(key): key}
    for bad in [("sandbox", "1,2", 1, 0.0, 0, None, None), ("sandbox", None, 0, 0.0, 0, None, None),
                ("sandbox", None, 1, 1.5, 0, None, None), ("sandbox", None, 1, 0.0, 0, None, -1.0)]:
        with pytest.raises(ValueError):
            make_l1(*bad)
    accounts.write_text('["tz1KqTpEZ7Yob7QbPE4Hy4Wo8fHG8LhKxZSx"]')
    with pytest.raises(ValueError, match="edpk"):
        make_l1("sandbox", None, 1, 0.0, 0, accounts, None)


def test_mempool_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    from pvm_host.l1_sim import chain

    monkeypatch.setattr(chain, "MAX_PENDING", 2)
    dal = DalNode(PARAMS)
    l1 = LocalL1(L1Profile("t", 1.0, PARAMS), dal)
    commitment, _ = dal.post_slot(b"")
    l1.inject(signed_op(bytes([1]) * 32, [(0, commitment)]))
    l1.inject(signed_op(bytes([2]) * 32, [(1, commitment)]))
    with pytest.raises(OperationError) as refused:
        l1.inject(signed_op(bytes([3]) * 32, [(2, commitment)]))
    assert refused.value.error_id == "mempool_full"
    assert l1.build_block(1, [])[2].dal_published == [0, 1]
    l1.inject(signed_op(bytes([3]) * 32, [(2, commitment)]))


@pytest.mark.parametrize("tag,curve", [(1, "secp256k1"), (2, "p256")])
def test_ecdsa_signatures_checked(tag: int, curve: str) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import Prehashed, decode_dss_signature
    from cryptography.hazmat.primitives.hashes import SHA256

    private = ec.derive_private_key(12345, ec.SECP256K1() if curve == "secp256k1" else ec.SECP256R1())
    public = bytes([tag]) + private.public_key().public_bytes(serialization.Encoding.X962,
                                                              serialization.PublicFormat.CompressedPoint)
    source = public_key_hash(public)
    header = source + nat(1000) + nat(1) + nat(2000) + nat(0)
    dal = DalNode(PARAMS)
    commitment, _ = dal.post_slot(b"")
    body = bytes(32) + bytes([107]) + header + public + b"\x00" + bytes([230]) + header + b"\x00" + commitment \
        + proof_of(commitment)
    digest = hashlib.blake2b(b"\x03" + body, digest_size=32).digest()
    r, s = decode_dss_signature(private.sign(digest, ec.ECDSA(Prehashed(SHA256()))))
    signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    l1 = LocalL1(L1Profile("t", 1.0, PARAMS), dal)
    with pytest.raises(OperationError, match="signature is invalid"):
        l1.inject(body + signature[:-1] + bytes([signature[-1] ^ 1]))
    l1.inject(body + signature)
    assert l1.keys[source] == public


def test_attestation_draws_are_seeded_per_slot_and_repeatable() -> None:
    def decide(seed: int) -> tuple[list[bytes], list[int], list[int]]:
        dal = DalNode(DalParameters(64, 2, 3967, 3967), unattested_rate=0.5, seed=seed)
        for index in range(64):
            dal.publish(3, index, dal.post_slot(bytes([index]))[0], bytes(21))
        first = dal.attest(5)
        assert dal.attest(5) == first  # a re-run of level 5 sees the same decisions and messages
        return first

    messages, attested, failed = decide(1)
    assert sorted(attested + failed) == list(range(64)) and 16 < len(failed) < 48
    assert decide(1) == (messages, attested, failed)
    assert decide(2)[1] != attested


def test_state_survives_a_restart(tmp_path: Path) -> None:
    def open_l1() -> LocalL1:
        return LocalL1(L1Profile("t", 1.0, PARAMS), DalNode(PARAMS, retention=2, directory=tmp_path), directory=tmp_path)

    l1 = open_l1()
    content = bytes([9]) * PARAMS.slot_size
    commitment, _ = l1.dal.post_slot(content)
    waiting, _ = l1.dal.post_slot(b"waiting")
    l1.inject(signed_op(SEED, [(0, commitment), (1, waiting)]))
    l1.build_block(3, [])
    assert sorted(f.name for f in (tmp_path / "slots").iterdir()) == sorted([commitment.hex(), waiting.hex()])
    l1 = open_l1()  # restart before the attestation: headers, slots, keys and counters are back
    source = public_key_hash(b"\x00" + bytes(nacl.signing.SigningKey(SEED).verify_key))
    assert l1.dal.status(3, 0) == "waiting_attestation" and l1.counters == {source: 7} and source in l1.keys
    _, tail, report = l1.build_block(5, [])
    assert report.dal_attested == [0, 1] and len(tail) == 1
    l1 = open_l1()  # restart after it: the attested contents are still served
    assert l1.dal.status(3, 1) == {"kind": "attested", "attestation_lag": 2}
    assert l1.dal.attested_slot(3, 0) == content
    with pytest.raises(OperationError, match="signature is invalid"):  # the revealed key is remembered
        l1.inject(signed_op(SEED, [(2, commitment)], reveal=False, corrupt=True))
    for level in range(6, 9):
        l1.build_block(level, [])
    assert l1.dal.status(3, 0) == "unpublished" and l1.dal.attested_slot(3, 0) is None
    assert list((tmp_path / "slots").iterdir()) == []  # decided and pruned: nothing left on disk


def test_posted_slots_are_bounded_on_disk_too(tmp_path: Path) -> None:
    dal = DalNode(PARAMS, max_unpublished=2, directory=tmp_path)
    first, _ = dal.post_slot(b"first")
    second, _ = dal.post_slot(b"second")
    dal.publish(4, 0, first, bytes(21))
    dal.save()
    third, _ = dal.post_slot(b"third")  # evicts `first` from memory; its header keeps the file
    assert {f.name for f in (tmp_path / "slots").iterdir()} == {first.hex(), second.hex(), third.hex()}
    dal.post_slot(b"fourth")  # evicts `second`, referenced by no header: its file goes
    assert second.hex() not in {f.name for f in (tmp_path / "slots").iterdir()}
    (tmp_path / "slots" / "stray.tmp").write_bytes(b"half-written")  # ignored
    reopened = DalNode(PARAMS, max_unpublished=1, directory=tmp_path)
    assert len(reopened._posted) == 1 and reopened.headers[(4, 0)].commitment == first
    names = {first.hex(), next(iter(reopened._posted)).hex(), "stray.tmp"}
    assert {f.name for f in (tmp_path / "slots").iterdir()} == names


def test_garbage_operations_are_refused_cleanly() -> None:
    import random

    rng = random.Random(7)
    valid = signed_op(SEED, [(1, commitment_of(b"x"))])
    accepted = 0
    for _ in range(2000):
        l1 = LocalL1(L1Profile("t", 1.0, PARAMS), DalNode(PARAMS))
        raw = bytearray(valid)
        for _ in range(rng.randint(1, 8)):
            raw[rng.randrange(len(raw))] = rng.randrange(256)
        raw = raw[:rng.randint(0, len(raw))] if rng.random() < 0.3 else raw
        try:
            l1.inject(bytes(raw))  # parse, size, key/hash consistency, signature, slot rules
            accepted += 1
        except OperationError:
            pass
    assert accepted < 20  # a changed byte almost always breaks the decoding or the signature
