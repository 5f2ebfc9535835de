"""`dsn token watch` lines: rolling TPS and split by commit timestamps, per-transaction summaries."""

from __future__ import annotations

from dsn.token.watch import BlockRate, block_line, tx_line


def test_rolling_tps_and_split() -> None:
    rate = BlockRate()
    assert rate.add(1_000, 10) == (None, None)
    assert rate.add(2_000, 20) == (30.0, 1_000)            # 30 txs over 1 s since the first block
    assert rate.add(6_000, 10) == (8.0, 4_000)             # 40 txs / 5 s
    assert rate.add(13_000, 5) == (1.5, 7_000)             # window (3 s, 13 s]: 10 + 5 txs / 10 s
    assert rate.add(13_000, 5) == (2.0, 0)


def test_lines() -> None:
    block = {"index": 7, "tx_count": 2, "root": "ab" * 32}
    assert block_line(block, None, None) == f"height:7 txs:2 root:{'ab' * 32}"
    assert block_line(block, 12.345, 250) == f"height:7 txs:2 root:{'ab' * 32} TPS:12.35 split:250ms"
    ok = {"tx_id": "01", "status": "applied", "error": "", "actor": "aa", "action": "transfer", "to": "bb",
          "asset": "00" * 32, "value": 5}
    assert tx_line(ok) == "✅ 01 actor: aa summary (transfer): [5 TKN -> bb]"
    failed = dict(ok, status="failed", error="invalid balance: …")
    assert tx_line(failed) == "⚠️ 01 actor: aa summary (transfer): [failed: invalid balance: …]"
    rejected = {"tx_id": "02", "status": "rejected", "error": "invalid transaction encoding", "action": "invalid"}
    assert tx_line(rejected) == "⚠️ 02 actor: ? summary (invalid): [rejected: invalid transaction encoding]"
