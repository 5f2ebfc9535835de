"""Custody of acknowledged transactions (no processes): persistence across restarts, fail-over with
the failed node's copies in nonce order, resubmission after commits without a copy, copies ordered
too early, and results that a replayed copy cannot rewrite."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from nacl.signing import SigningKey

from dsn.sequencer import custody as cs
from dsn.sequencer.custody import Custody
from dsn.sequencer.sources import SubmitError
from dsn.sequencer.state import TxResult
from dsn.sequencer.status_store import StatusStore
from dsn.sequencer.submitter import Submitter
from dsn.sequencer.tracker import TxTracker
from dsn.sequencer.txcheck import admit
from dsn.token import txbuild

ROLLUP = bytes(range(1, 21))
ALICE, BOB = SigningKey(bytes([1]) * 32), SigningKey(bytes([2]) * 32)
CAROL = bytes(SigningKey(bytes([3]) * 32).verify_key)


def tx(key: SigningKey, nonce: int, value: int = 1):
    return admit(txbuild.sign_tx(key, ROLLUP, nonce, txbuild.transfer(CAROL, bytes(32), value)), ROLLUP, 1000)


def nonce_error(expected: int, got: int) -> str:
    return f"invalid nonce: expected {expected}, got {got}"


class Nodes:
    """A DSN of ``n`` nodes as a transaction sink; nodes in ``down`` refuse calls."""

    def __init__(self, n: int) -> None:
        self.nodes = n
        self.down: set[int] = set()
        self.calls: list[tuple[int, list[bytes]]] = []

    async def submit(self, txs: list[bytes], node: int) -> None:
        if node in self.down:
            raise SubmitError(f"node {node}: UNAVAILABLE")
        self.calls.append((node, txs))


def held_in(tmp_path: Path, txs, **kw) -> Custody:
    c = Custody(StatusStore(tmp_path), **kw)
    asyncio.run(c.hold(txs))
    return c


def test_held_transactions_and_results_survive_a_restart(tmp_path: Path) -> None:
    t0, t1 = tx(ALICE, 0), tx(ALICE, 1)
    c = held_in(tmp_path, [t0, t1])
    tracker = TxTracker(c)
    tracker.record_block(1, [TxResult(t0.tx_id, "applied", "")])
    c.store.close()

    c2 = Custody(StatusStore(tmp_path))
    tracker2 = TxTracker(c2)
    assert list(c2.held) == [t1.tx_id] and c2.held[t1.tx_id].state == cs.SUBMITTED
    assert tracker2.scanned == 1
    assert tracker2.status(t1.tx_id)["status"] == "pending"
    s0 = tracker2.status(t0.tx_id)
    assert (s0["status"], s0["block"], s0["position"], s0["error"]) == ("applied", 1, 0, "")
    assert s0["latency_ms"] == s0["applied_ms"] - s0["submitted_ms"] >= 0
    assert tracker2.next_nonce(bytes(ALICE.verify_key), 1) == 2


def test_a_replayed_copy_never_rewrites_the_applied_status(tmp_path: Path) -> None:
    t0 = tx(ALICE, 0)
    c = held_in(tmp_path, [t0])
    tracker = TxTracker(c)
    tracker.record_block(3, [TxResult(t0.tx_id, "applied", "")])
    assert asyncio.run(c.hold([t0])) == ([], [])  # broadcast again: known, not taken into custody
    tracker.record_block(7, [TxResult(t0.tx_id, "rejected", nonce_error(1, 0))])
    tracker.record_block(7, [TxResult(t0.tx_id, "rejected", nonce_error(1, 0))])  # the rollup replayed block 7
    s = tracker.status(t0.tx_id)
    assert (s["status"], s["block"], s["position"]) == ("applied", 3, 0)
    assert s["duplicates"] == [{"block": 7, "position": 0, "status": "rejected", "error": nonce_error(1, 0)}]


def test_an_applied_copy_supersedes_an_earlier_rejection_of_a_foreign_transaction(tmp_path: Path) -> None:
    t5 = tx(BOB, 5)
    tracker = TxTracker(Custody(StatusStore(tmp_path)))
    tracker.record_block(2, [TxResult(t5.tx_id, "rejected", nonce_error(4, 5))])
    tracker.record_block(4, [TxResult(t5.tx_id, "applied", "")])
    s = tracker.status(t5.tx_id)
    assert (s["status"], s["block"]) == ("applied", 4)
    assert s["duplicates"] == [{"block": 2, "position": 0, "status": "rejected", "error": nonce_error(4, 5)}]


def test_failover_takes_the_failed_nodes_unordered_copies_along_in_nonce_order(tmp_path: Path) -> None:
    async def go() -> tuple[Nodes, Custody]:
        nodes = Nodes(3)
        c = Custody(StatusStore(tmp_path))
        sub = Submitter(nodes, c, window=0)
        await sub.submit((await c.hold([tx(ALICE, 0), tx(BOB, 0)]))[0])
        await sub.submit((await c.hold([tx(ALICE, 1)]))[0])
        c.on_preblock(1, cs.now_ms(), [tx(BOB, 0).tx_id])  # Bob's copy was ordered, Alice's were not
        nodes.down.add(0)
        await sub.submit((await c.hold([tx(ALICE, 2)]))[0])
        return nodes, c

    nodes, c = asyncio.run(go())
    assert [(n, len(t)) for n, t in nodes.calls] == [(0, 2), (0, 1), (1, 3)]
    assert nodes.calls[2][1] == [tx(ALICE, n).raw for n in range(3)]
    assert {c.held[tx(ALICE, n).tx_id].node for n in range(3)} == {1}
    assert c.held[tx(BOB, 0).tx_id].state == cs.ORDERED
    assert (c.stats.failovers, c.stats.resubmitted) == (1, 2)


def test_every_node_down_refuses_and_releases_the_new_transactions(tmp_path: Path) -> None:
    async def go() -> Custody:
        nodes = Nodes(2)
        nodes.down = {0, 1}
        c = Custody(StatusStore(tmp_path))
        with pytest.raises(SubmitError, match="no DSN node accepted the transactions"):
            await Submitter(nodes, c, window=0).submit((await c.hold([tx(ALICE, 0)]))[0])
        return c

    c = asyncio.run(go())
    assert c.held == {} and c.store.held() == []


def test_copies_unordered_after_the_timeout_are_retried(tmp_path: Path) -> None:
    t0 = tx(ALICE, 0)
    c = held_in(tmp_path, [t0], resubmit_after_ms=5000)
    c.sent(list(c.held.values()), 0)
    sent = c.held[t0.tx_id].sent_ms
    c.on_preblock(1, sent + 5000, [])
    assert c.held[t0.tx_id].state == cs.SUBMITTED
    c.on_preblock(2, sent + 5001, [])
    assert c.held[t0.tx_id].state == cs.RETRY and c.wake.is_set()
    assert c.take_retries(10) == [c.held[t0.tx_id]] and c.held[t0.tx_id].state == cs.SENDING


def test_a_copy_ordered_before_an_earlier_held_nonce_waits_then_goes_with_it(tmp_path: Path) -> None:
    t0, t1, t2 = tx(ALICE, 0), tx(ALICE, 1), tx(ALICE, 2)
    c = held_in(tmp_path, [t0, t1, t2])
    tracker = TxTracker(c)
    c.sent(list(c.held.values()), 0)
    tracker.on_sequenced(1, [t1.raw, t2.raw], cs.now_ms())
    tracker.record_block(1, [TxResult(t1.tx_id, "rejected", nonce_error(0, 1)),
                             TxResult(t2.tx_id, "rejected", nonce_error(0, 2))])
    assert [c.held[t.tx_id].state for t in (t0, t1, t2)] == [cs.SUBMITTED, cs.WAITING, cs.WAITING]
    assert tracker.status(t1.tx_id)["status"] == "pending"  # not final: t0 is held
    c.node_failed(0)
    assert [h.nonce for h in c.take_retries(10)] == [0, 1, 2]  # the waiting ones go with the retry, in order


def test_waiting_copies_go_again_once_the_earlier_nonce_is_final(tmp_path: Path) -> None:
    t0, t1 = tx(ALICE, 0), tx(ALICE, 1)
    c = held_in(tmp_path, [t0, t1])
    tracker = TxTracker(c)
    c.sent(list(c.held.values()), 0)
    tracker.on_sequenced(1, [t1.raw], cs.now_ms())
    tracker.record_block(1, [TxResult(t1.tx_id, "rejected", nonce_error(0, 1))])
    tracker.on_sequenced(2, [t0.raw], cs.now_ms())
    tracker.record_block(2, [TxResult(t0.tx_id, "applied", "")])
    assert c.held[t1.tx_id].state == cs.RETRY
    assert c.store.held() == [(t1.tx_id, c.held[t1.tx_id].accepted_ms, t1.raw)]


def test_rejections_for_the_senders_own_fault_are_final(tmp_path: Path) -> None:
    gap, low = tx(ALICE, 3), tx(BOB, 0, value=2)
    c = held_in(tmp_path, [gap, low])
    tracker = TxTracker(c)
    tracker.on_sequenced(1, [gap.raw, low.raw], cs.now_ms())
    tracker.record_block(1, [TxResult(gap.tx_id, "rejected", nonce_error(1, 3)),  # nonces 1, 2 not held here
                             TxResult(low.tx_id, "rejected", nonce_error(1, 0))])  # nonce 0 used by another tx
    assert c.held == {} and c.store.held() == []
    assert [tracker.status(t.tx_id)["error"] for t in (gap, low)] == [nonce_error(1, 3), nonce_error(1, 0)]


def test_a_stale_copy_rejected_while_a_newer_one_is_in_flight_changes_nothing(tmp_path: Path) -> None:
    t0, t1 = tx(ALICE, 0), tx(ALICE, 1)
    c = held_in(tmp_path, [t0, t1])
    tracker = TxTracker(c)
    c.sent(list(c.held.values()), 0)
    tracker.record_block(1, [TxResult(t1.tx_id, "rejected", nonce_error(0, 1))])  # never seen ordered here
    assert c.held[t1.tx_id].state == cs.SUBMITTED


def test_a_concurrent_broadcast_of_the_same_bytes_waits_for_the_first_acknowledgement(tmp_path: Path) -> None:
    t0, t1 = tx(ALICE, 0), tx(ALICE, 1)

    async def go() -> None:
        c = Custody(StatusStore(tmp_path))
        new, earlier = await c.hold([t0, t0])
        assert [h.tx_id for h in new] == [t0.tx_id] and earlier == []
        again = await c.hold([t0])
        assert again == ([], new)
        waiter = asyncio.create_task(c.acknowledged(again[1]))
        await asyncio.sleep(0.01)
        assert not waiter.done()
        c.sent(new, 0)
        await waiter
        await c.acknowledged((await c.hold([t0]))[1])  # acknowledged already: no wait
        first, _ = await c.hold([t1])
        waiter = asyncio.create_task(c.acknowledged((await c.hold([t1]))[1]))
        await asyncio.sleep(0.01)
        c.release(first)  # the first broadcast got a 503: so does the second
        with pytest.raises(SubmitError):
            await waiter

    asyncio.run(go())


def test_a_broadcast_of_a_transaction_held_since_a_restart_is_answered_once_it_is_ordered(tmp_path: Path) -> None:
    t0 = tx(ALICE, 0)
    held_in(tmp_path, [t0]).store.close()

    async def go() -> None:
        c = Custody(StatusStore(tmp_path))  # restarted: held, no copy acknowledged in this run
        new, earlier = await c.hold([t0])
        assert new == [] and [h.tx_id for h in earlier] == [t0.tx_id]
        waiter = asyncio.create_task(c.acknowledged(earlier))
        await asyncio.sleep(0.01)
        assert not waiter.done()
        c.on_preblock(4, cs.now_ms(), [t0.tx_id])  # a copy from before the restart was ordered
        await waiter

    asyncio.run(go())


def test_timeouts_back_off_per_copy_and_finished_transactions_are_not_retried(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The c-th copy waits resubmit_after × 2^(c − 1) (at most MAX_BACKOFF ×); a transaction that got
    its final result while a call with it was in flight is neither retried nor indexed."""
    t0, t1, t2, t3 = tx(ALICE, 0), tx(BOB, 0), tx(ALICE, 1), tx(BOB, 1)
    c = held_in(tmp_path, [t0, t1, t2, t3], resubmit_after_ms=5000)
    h0, h1, h2, h3 = (c.held[t.tx_id] for t in (t0, t1, t2, t3))
    clock = [1000]
    monkeypatch.setattr(cs, "now_ms", lambda: clock[0])
    c.sent([h0, h1], 0)
    clock[0] = 1100
    c.sent([h2], 1)
    c.on_preblock(1, 6000, [])
    assert not c.has_retries()
    c.on_preblock(2, 6001, [])
    assert [h.state for h in (h0, h1, h2)] == [cs.RETRY, cs.RETRY, cs.SUBMITTED] and c.stats.timeouts == 2
    assert c.on_result(1, t3.tx_id, "applied", "") is h3  # final while still SENDING
    c.unsent([h3])
    assert {h.tx_id for h in c.take_retries(10)} == {t0.tx_id, t1.tx_id} and not c.has_retries()
    clock[0] = 7000
    c.sent([h0, h1, h3], 2)  # second copies: 10 s
    assert set(c.submitted) == {t0.tx_id, t1.tx_id, t2.tx_id} and (h0.deadline_ms, h2.deadline_ms) == (17000, 6100)
    c.on_preblock(3, 16999, [])
    assert [h.state for h in (h0, h1, h2)] == [cs.SUBMITTED, cs.SUBMITTED, cs.RETRY]
    c.on_preblock(4, 17001, [])
    assert [h.state for h in (h0, h1)] == [cs.RETRY, cs.RETRY] and c.stats.timeouts == 5
    c.take_retries(10)
    h0.copies = 9
    c.sent([h0], 0)  # the tenth copy waits MAX_BACKOFF × 5 s
    assert h0.deadline_ms == 7000 + cs.MAX_BACKOFF * 5000


def test_the_timeout_follows_the_dsn_ordering_lag(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """First copies ordered update the smoothed lag (a quarter of the way); copies of a DSN lagging
    more than half the timeout wait twice its lag instead of being sent again."""
    t0, t1, t2 = tx(ALICE, 0), tx(BOB, 0), tx(ALICE, 1)
    c = held_in(tmp_path, [t0, t1, t2], resubmit_after_ms=5000)
    h0, h1, h2 = (c.held[t.tx_id] for t in (t0, t1, t2))
    monkeypatch.setattr(cs, "now_ms", lambda: 1000)
    c.sent([h0, h1], 0)
    h2.copies = 1  # a copy sent before: its ordering says nothing about the lag
    c.sent([h2], 0)
    c.on_preblock(1, 5000, [t0.tx_id, t2.tx_id])
    assert c.lag_ms == 1000 and (h0.state, h2.state) == (cs.ORDERED, cs.ORDERED)
    c.lag_ms = 10_000
    c.on_preblock(2, 6001, [])
    assert h1.state == cs.SUBMITTED and h1.deadline_ms == 21_000 and c.stats.timeouts == 0
    c.on_preblock(3, 21_001, [])
    assert h1.state == cs.RETRY and c.stats.timeouts == 1

