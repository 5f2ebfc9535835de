"""Fault matrix with real processes (4 DSN nodes, rollup node, sequencer) under steady load from
several senders (signed transfers and sequencer messages): for each fault, every acknowledged
transaction is applied exactly once, each sender's in nonce order, ``GET /txs`` says applied at the
block that applied it, and balances, nonces and chain messages read back from the kernel's durable
state equal the model. The cases share one stack, in order; each ends healed (all processes up)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from dsn.client import Client
from dsn.sequencer.chaos import Audit, Faults, Load, chaos_key
from dsn.sequencer.kernel_choice import choose_kernel
from dsn.sequencer.stack import LocalStack, free_port_base
from dsn.token.client import SequencerClient

pytestmark = pytest.mark.slow

SENDERS = [chaos_key(i) for i in range(6)]
RECIPIENTS = [bytes(chaos_key(100 + i).verify_key) for i in range(4)]
FUNDS = 10**9
BLOCK_TIME = 0.3


@pytest.fixture(scope="module")
def rig(tmp_path_factory: pytest.TempPathFactory):
    st = LocalStack(Path(tmp_path_factory.mktemp("faults")), nodes=4, dsn_port_base=free_port_base(4, preferred=None))
    genesis = {bytes(k.verify_key): FUNDS for k in SENDERS}
    try:
        st.start_rollup(choose_kernel(), list(genesis.items()), block_time=BLOCK_TIME)
        st.start_dsn()
        st.start_sequencer(["--resubmit-after", "3"])
        rollup = bytes.fromhex(SequencerClient(st.sequencer_url).head()["sequencer"]["rollup_address"])
        load = Load(st.sequencer_url, rollup, SENDERS, RECIPIENTS, rate=60)
        yield st, load, Audit(st.sequencer_url, genesis), Faults(st, BLOCK_TIME)
    finally:
        st.stop()
    assert st.pids() == []


def _inject(f: Faults, case: str) -> list[int]:
    """Apply ``case`` (load running); return the DSN nodes left down."""
    n = f.nodes
    if case.startswith("dsn-"):
        submit, leader = f.submit_node(), f.next_leader()
        target = {"dsn-submit": submit, "dsn-leader": leader, "dsn-never": submit,
                  "dsn-other": next(i for i in range(1, n + 1) if i not in (submit, leader))}[case]
        print(f"{case}: killing DSN node {target} (submitting to {submit}, next leader {leader})")
        f.kill_dsn(target)
        time.sleep(6)
        if case == "dsn-never":
            return [target]
        f.restart_dsn(target)
    elif case == "all-dsn":
        for i in range(1, n + 1):
            f.kill_dsn(i)
        time.sleep(3)
        for i in range(1, n + 1):
            f.restart_dsn(i)
    else:
        if "sequencer" in case:
            f.kill_sequencer()
        if "rollup" in case:
            f.kill_rollup()
        time.sleep(2)
        if "rollup" in case:
            f.restart_rollup()
        if "sequencer" in case:
            f.restart_sequencer()
    return []


CASES = ["dsn-submit", "dsn-leader", "dsn-other", "dsn-never", "sequencer", "rollup", "sequencer+rollup", "all-dsn"]


@pytest.mark.parametrize("case", CASES)
def test_acknowledged_transactions_survive(rig, case: str) -> None:
    st, load, audit, faults = rig
    before = len(load.acked)
    load.start()
    try:
        time.sleep(2)
        down = _inject(faults, case)
        time.sleep(3)
    finally:
        load.stop()
    try:
        assert len(load.acked) > before + 50, "the load did not run"
        assert audit.settle(load, timeout=120), "acknowledged transactions without a final status"
        report = audit.check(load)
        print(case, report.line())
        assert (report.lost, report.duplicated, report.reordered, report.rewritten, report.state_mismatches) == \
            (0, 0, 0, 0, []), report.line()
        assert report.applied == report.acknowledged == len(load.acked)
    finally:
        for node in down:
            faults.restart_dsn(node)


def test_a_replayed_transaction_keeps_its_applied_status(rig) -> None:
    """Applied transactions sent again — to the sequencer (answered with the known result, not
    resubmitted) and straight to a DSN node (ordered again, rejected by the kernel by nonce) — keep
    ``applied`` at their block; the rejected copy is listed under ``duplicates``."""
    st, load, audit, faults = rig
    c = SequencerClient(st.sequencer_url)
    first, second = load.acked[0], load.acked[1]
    before = c.tx(first.tx_id)
    assert c._request("POST", "/broadcast", {"tx": first.raw.hex()}) == {"tx_id": first.tx_id, "status": "applied"}
    node = st.committee().authorities[faults.submit_node() % faults.nodes]  # not the sequencer's node
    direct = Client(f"127.0.0.1:{node.tx_port}")
    try:
        assert direct.submit_many([second.raw]) == 1
    finally:
        direct.close()
    deadline = time.monotonic() + 30
    while "duplicates" not in (status := c.tx(second.tx_id)):
        assert time.monotonic() < deadline, status
        time.sleep(0.2)
    nonce = [s.nonce for s in load.acked if s.sender == second.sender]
    assert status["duplicates"][0]["error"] == f"invalid nonce: expected {max(nonce) + 1}, got {second.nonce}"
    assert (status["status"], status["block"]) == ("applied", audit.applied[second.tx_id][0][0])
    assert c.tx(first.tx_id) == before
