"""Setup keys, the reboot limit and work carried over levels."""

from kernel_py import kernel
from kernel_py.formats import dsn as fmt
from kernel_py.formats import tx as txf
from kernel_py.ledger import asset_key
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

ALICE, BOB = user(1), user(2)


def test_malformed_setup_is_ignored_not_fatal():
    auth = make_committee()
    h = Harness(auth.committee, [(pk(ALICE), 5)])
    h.pvm.durable.set("/setup/committee", b"\x00" * 7)
    h.pvm.durable.set("/setup/genesis", b"\x01" * 41)
    report = h.run([])
    assert b"setup: no valid /setup/committee: malformed committee" in report.debug
    assert b"setup: malformed /setup/genesis ignored" in report.debug
    assert h.get("/dsn/committee/0") is None and h.balance(pk(ALICE)) == 0
    assert h.get(asset_key(NATIVE).decode())[5:13] == bytes(8)
    with fast_crypto():
        h.run(preblock_messages(next_preblock(Dag(auth), []), 1))
    assert h.get("/rejections/last") == b"pre-block 1: unknown epoch"


def test_genesis_overflow_is_refused():
    auth = make_committee()
    h = Harness(auth.committee, [(pk(ALICE), 2**63), (pk(BOB), 2**63)])
    report = h.run([])
    assert b"setup: genesis supply overflows; allocations ignored" in report.debug
    assert h.balance(pk(ALICE)) == 0 and h.get("/dsn/committee/0") == fmt.encode_committee(auth.committee)


def test_reboot_limit_carries_work_to_the_next_level(monkeypatch):
    monkeypatch.setattr(kernel, "MAX_WORK_PER_RUN", 1)
    auth = make_committee()
    h = Harness(auth.committee, [(pk(ALICE), 5000)])
    dag = Dag(auth)
    txs = [signed_tx(ALICE, i, txf.action_transfer(pk(BOB), NATIVE, 1)) for i in range(1010)]
    pb = next_preblock(dag, txs)
    with fast_crypto():
        h.run([])
        first = h.run(preblock_messages(pb, 1))
        assert first.forced_yield and first.boots == 1001
        assert h.get("/job/index") == (1).to_bytes(8, "big") and h.balance(pk(BOB)) == 1000  # boot 1 verifies
        # the run that accepted the pre-block applied it from memory and wrote its bytes before it ended
        assert h.get("/job/data") == pb and len(h.get("/job/txs")) == 8 * 1010 and h.u64("/job/cursor") == 1000
        second = h.run([])
    assert not second.forced_yield and not [k for k in h.snapshot() if k.startswith("/job")]
    assert h.balance(pk(BOB)) == 1010 and len(h.results(1)) == 1010


def test_inputs_beyond_the_per_run_cap_are_read_after_reboots(monkeypatch):
    monkeypatch.setattr(kernel, "MAX_INPUTS_PER_RUN", 10)
    auth = make_committee()
    h = Harness(auth.committee, [(pk(ALICE), 5000)])
    dag = Dag(auth)
    pb = next_preblock(dag, [signed_tx(ALICE, 0, txf.action_transfer(pk(BOB), NATIVE, 7))] + [bytes([i]) * 3000 for i in range(12)])
    msgs = preblock_messages(pb, 1)
    assert len(msgs) > 10
    with fast_crypto():
        h.run([])
        report = h.run(msgs)
    assert report.boots == (len(msgs) + 3) // 10 + 1  # SOL, IPL and EOL are inputs too
    assert h.balance(pk(BOB)) == 7 and report.dropped_inputs == 0


def test_work_budget_spreads_many_preblocks_over_runs(monkeypatch):
    monkeypatch.setattr(kernel, "MAX_WORK_PER_RUN", 20)
    auth = make_committee()
    h = Harness(auth.committee, [(pk(ALICE), 5000)])
    dag = Dag(auth)
    msgs = []
    for i in range(12):
        msgs += preblock_messages(next_preblock(dag, [signed_tx(ALICE, i, txf.action_transfer(pk(BOB), NATIVE, 1))]), i + 1)
    with fast_crypto():
        h.run([])
        report = h.run(msgs)
    # each pre-block costs 1 + its pages // 3 + 5 leader + 3 × 5 support signatures = 21 units and its
    # transaction 1: one pre-block per run (the first run also reads the inbox)
    assert report.boots == 13 and h.balance(pk(BOB)) == 12 and h.u64("/dsn/last_index") == 12
