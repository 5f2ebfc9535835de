"""Token buckets, per-peer budgets and the per-peer log filter."""

from __future__ import annotations

import logging

import pytest

from dsn import ratelimit
from dsn.config import load_node_config
from dsn.launcher import prepare
from dsn.ratelimit import Limits, PeerBudget, PerPeerLogFilter, TokenBucket
from dsn.wire import Kind


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_token_bucket_refills_at_its_rate_up_to_its_burst(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(ratelimit.time, "monotonic", clock)
    b = TokenBucket(rate=10, burst=3)
    assert [b.take() for _ in range(4)] == [True, True, True, False]
    clock.t += 0.1
    assert b.take() and not b.take()
    clock.t += 100
    assert [b.take() for _ in range(4)] == [True, True, True, False]  # capped at the burst
    b.charge(5)  # into debt: -5
    assert not b.available()
    clock.t += 0.5
    assert not b.available()  # exactly 0
    clock.t += 0.01
    assert b.available()
    assert abs(b.delay(2) - 0.19) < 1e-9  # 0.1 - 2 tokens at 10/s


def test_pace_returns_the_wait_until_the_bucket_is_out_of_debt(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(ratelimit.time, "monotonic", clock)
    budget = PeerBudget(1, Limits(frames_per_s=100, frames_burst=2, bytes_per_s=1000, bytes_burst=1000))
    assert budget.pace(10) == 0 and budget.pace(10) == 0
    assert abs(budget.pace(10) - 0.01) < 1e-9  # one frame of debt at 100/s
    assert abs(budget.pace(2000) - 1.03) < 1e-9  # bytes: 1,000 - 30 - 2,000 = 1,030 of debt at 1,000/s


def test_admit_counts_per_kind_and_checks_the_reply_budget(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(ratelimit.time, "monotonic", clock)
    budget = PeerBudget(2, Limits(kinds={Kind.SYNC_REQUEST: (1, 2)}, batch_reply_bytes_per_s=100,
                                  batch_reply_burst=100))
    assert [budget.admit(Kind.SYNC_REQUEST) for _ in range(3)] == [True, True, False]
    assert all(budget.admit(Kind.VOTE) for _ in range(1000))  # no budget for votes in these limits
    budget.sent(Kind.BATCH_DELIVERY, 300)
    assert not budget.admit(Kind.BATCH_REQUEST) and not budget.may_reply(Kind.BATCH_DELIVERY)
    clock.t += 2.01
    assert budget.admit(Kind.BATCH_REQUEST)
    assert budget.dropped == {"BATCH_REQUEST while its BATCH_DELIVERY budget is spent": 1}


def test_drops_are_logged_at_most_once_per_interval(monkeypatch, caplog):
    clock = Clock()
    monkeypatch.setattr(ratelimit.time, "monotonic", clock)
    budget = PeerBudget(3, Limits())
    with caplog.at_level(logging.WARNING, logger="dsn.ratelimit"):
        for _ in range(1000):
            budget.drop("SYNC_REQUEST over budget")
        clock.t += ratelimit.LOG_INTERVAL_S
        budget.drop("HEADER over budget")
    assert [r.getMessage() for r in caplog.records] == [
        "peer 3 over its limits (refused since the last report: 1 × SYNC_REQUEST over budget)",
        "peer 3 over its limits (refused since the last report: 1 × HEADER over budget, "
        "999 × SYNC_REQUEST over budget)"]


def test_per_peer_log_filter(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(ratelimit.time, "monotonic", clock)
    f = PerPeerLogFilter(burst=2, interval=10)

    def rec(peer: int) -> logging.LogRecord:
        return logging.LogRecord("dsn.primary", logging.WARNING, __file__, 1, "invalid certificate from %d",
                                 (peer,), None)

    assert [f.filter(rec(1)) for _ in range(5)] == [True, True, False, False, False]
    assert f.filter(rec(2))  # another peer has its own allowance
    clock.t += 10
    r = rec(1)
    assert f.filter(r) and r.getMessage() == "invalid certificate from 1 (3 similar messages suppressed)"


def test_limits_from_a_node_configuration(tmp_path):
    limits = Limits.from_dict({"bytes_per_s": 1 << 20, "kinds": {"SYNC_REQUEST": [1, 2]}})
    assert limits.bytes_per_s == float(1 << 20) and limits.frames_per_s == Limits().frames_per_s
    assert limits.kinds[Kind.SYNC_REQUEST] == (1.0, 2.0) and limits.kinds[Kind.HEADER] == Limits().kinds[Kind.HEADER]
    budget = PeerBudget(1, limits)
    assert [budget.admit(Kind.SYNC_REQUEST) for _ in range(3)] == [True, True, False]
    with pytest.raises(ValueError, match="unknown limits: byte_per_s"):
        Limits.from_dict({"byte_per_s": 1})
    with pytest.raises(ValueError, match="unknown message kind in limits: SYNC"):
        Limits.from_dict({"kinds": {"SYNC": [1, 1]}})
    with pytest.raises(ValueError, match=r"limits.kinds.HEADER must be \[rate per second, burst\]"):
        Limits.from_dict({"kinds": {"HEADER": 5}})
    with pytest.raises(ValueError, match="limits.frames_per_s must be a positive number, got -1"):
        Limits.from_dict({"frames_per_s": -1})
    # a node configuration's "limits" object reaches the node's per-peer budgets
    config = prepare(tmp_path, 4, port_base=20000, limits={"kinds": {"COMMIT_REQUEST": [1, 1]}})[0]
    assert load_node_config(config).limits.kinds[Kind.COMMIT_REQUEST] == (1.0, 1.0)
