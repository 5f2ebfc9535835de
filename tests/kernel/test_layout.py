"""Durable layout of the ledger (FORMATS.md §4.2): exact keys and values, the root's write log over them, and
a pre-block applied over many runs (the work budget) leaving exactly the state of one run."""

import base64
import os

from kernel_py import kernel
from kernel_py.formats import dsn as fmt
from kernel_py.formats import tx as txf
from kernel_py.text import to_b64
from tests.kernel.builders import (
    NATIVE,
    Dag,
    Harness,
    make_committee,
    next_preblock,
    pk,
    preblock_messages,
    signed_tx,
    user,
)
from tests.kernel.doubles import fast_crypto

ALICE, BOB, CAROL = user(1), user(2), user(3)


def b64(x: bytes) -> str:
    return base64.urlsafe_b64encode(x).rstrip(b"=").decode()


def u64(n: int) -> bytes:
    return n.to_bytes(8, "big")


def ledger(h: Harness) -> dict[str, bytes]:
    return {k: v for k, v in h.snapshot().items() if k.startswith(("/b/", "/n/", "/a/"))}


def test_to_b64_is_unpadded_base64url_of_32_bytes():
    for x in [bytes(32), b"\xff" * 32, bytes(range(32)), *(os.urandom(32) for _ in range(50))]:
        assert to_b64(x) == b64(x).encode() and len(to_b64(x)) == 43


def test_ledger_keys_and_values_are_exact():
    auth = make_committee()
    h = Harness(auth.committee, [(pk(ALICE), 1000), (pk(BOB), 7)])
    dag = Dag(auth)
    create = signed_tx(ALICE, 0, txf.action_create_asset(b"GLD"))
    gold = fmt.digest(create)  # an asset's id is its creating transaction's tx_id
    txs = [create, signed_tx(ALICE, 1, txf.action_mint_asset(pk(CAROL), gold, 5)),
           signed_tx(ALICE, 2, txf.action_transfer(pk(BOB), NATIVE, 100)),
           signed_tx(BOB, 0, txf.action_transfer(pk(CAROL), NATIVE, 107))]  # BOB's whole balance: key deleted
    with fast_crypto():
        h.run([])
        assert ledger(h) == {f"/b/{b64(pk(ALICE))}/0": u64(1000), f"/b/{b64(pk(BOB))}/0": u64(7),
                             "/a/0": b"\x00\x03TKN" + u64(1007) + bytes(32) + b"\x00"}
        h.run(preblock_messages(next_preblock(dag, txs), 1))
    assert [s for _, s, _ in h.results(1)] == [0, 0, 0, 0]
    assert ledger(h) == {
        f"/b/{b64(pk(ALICE))}/0": u64(900),
        f"/b/{b64(pk(CAROL))}/0": u64(107),
        f"/b/{b64(pk(CAROL))}/{b64(gold)}": u64(5),
        f"/n/{b64(pk(ALICE))}": u64(3),
        f"/n/{b64(pk(BOB))}": u64(1),
        "/a/0": b"\x00\x03TKN" + u64(1007) + bytes(32) + b"\x00",
        f"/a/{b64(gold)}": b"\x00\x03GLD" + u64(5) + pk(ALICE) + b"\x00",
    }


def test_root_chains_the_write_log_over_these_keys():
    auth = make_committee()
    h = Harness(auth.committee, [(pk(ALICE), 1000)])
    dag = Dag(auth)
    tx = signed_tx(ALICE, 0, txf.action_transfer(pk(BOB), NATIVE, 1))
    with fast_crypto():
        h.run([])
        before = h.get("/state/root")
        h.run(preblock_messages(next_preblock(dag, [tx]), 1))
    leader = h.get("/blocks/1/info")[:32]

    def entry(key: str, value: bytes) -> bytes:
        return key.encode() + len(value).to_bytes(4, "big") + value

    log = (entry(f"/n/{b64(pk(ALICE))}", u64(1)) + entry(f"/b/{b64(pk(ALICE))}/0", u64(999))
           + entry(f"/b/{b64(pk(BOB))}/0", u64(1)))
    acc = fmt.digest(before + fmt.block_id(1, leader))
    assert h.get("/state/root") == fmt.digest(acc + fmt.digest(tx) + b"\x00\x00\x00" + log)


def test_a_preblock_over_many_runs_leaves_the_state_of_one(monkeypatch):
    """The work budget ends runs mid-pre-block (its bytes are then written under /job/data and read back chunk by
    chunk); nothing is lost or applied twice: the same durable state and roots as a single run."""
    auth = make_committee()
    keys = [user(10 + i) for i in range(5)]
    txs = [signed_tx(keys[i % 5], i // 5, txf.action_transfer(pk(keys[(i + 1) % 5]), NATIVE, 1 + i)) for i in range(40)]
    txs.append(signed_tx(keys[0], 0, txf.action_transfer(pk(BOB), NATIVE, 1)))  # replayed nonce: rejected
    runs = []
    for budget, chunk in ((kernel.MAX_WORK_PER_RUN, kernel.TX_CHUNK), (30, 4)):
        monkeypatch.setattr(kernel, "MAX_WORK_PER_RUN", budget)
        monkeypatch.setattr(kernel, "TX_CHUNK", chunk)
        h = Harness(auth.committee, [(pk(k), 1000) for k in keys])
        dag = Dag(auth)
        with fast_crypto():
            h.run([])
            report = h.run(preblock_messages(next_preblock(dag, txs), 1) + preblock_messages(next_preblock(dag, []), 2))
        assert report.boots == (1 if budget > 30 else 3)  # 41 transactions over three runs
        runs.append(h)
    assert runs[0].snapshot() == runs[1].snapshot()
    assert not [k for k in runs[0].snapshot() if k.startswith("/job")] and runs[0].get("/head")[:8] == u64(2)
    assert [s for _, s, _ in runs[0].results(1)] == [0] * 40 + [2]
