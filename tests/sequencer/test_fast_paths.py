"""The sequencer's fast paths give what the reference decoders give: result entries read in one pass,
a pre-block decoded once for the DA task and the dashboard."""

from __future__ import annotations

import pytest

from dsn.sequencer import tracker
from dsn.sequencer.committee_keys import fixture_committee
from dsn.sequencer.dashboard.recent import RecentPreBlocks, head_view, read_head
from dsn.sequencer.mock_consensus import MockConsensus
from dsn.sequencer.state import STATUS_NAMES, TxResult, decode_results
from kernel_py import blocks
from kernel_py.blocks import STATUS_APPLIED, STATUS_FAILED, STATUS_REJECTED, result_entry

ENTRIES = [(bytes([1]) * 32, STATUS_APPLIED, b""), (bytes([2]) * 32, STATUS_FAILED, b"balance too low"),
           (bytes([3]) * 32, STATUS_REJECTED, b"invalid nonce: expected 4, got 7"),
           (bytes([4]) * 32, 9, b"\xff not utf-8 \xc3")]


def test_decode_results_matches_the_kernel_decoding() -> None:
    raw = b"".join(result_entry(*e) for e in ENTRIES)
    ok, reference = blocks.decode_results(raw)
    assert ok
    assert decode_results(raw) == [TxResult(e.tx_id, STATUS_NAMES.get(e.status, "unknown"),
                                            e.error.decode("utf-8", "replace")) for e in reference]
    assert [r.status for r in decode_results(raw)] == ["applied", "failed", "rejected", "unknown"]
    assert decode_results(raw)[3].error == "\ufffd not utf-8 \ufffd"
    assert decode_results(b"") == []


@pytest.mark.parametrize("cut", [1, 15, 20, 49])  # into the second entry's error, then into its head
def test_decode_results_truncated(cut: int) -> None:
    raw = b"".join(result_entry(*e) for e in ENTRIES[:2])  # 35 + 50 bytes
    assert not blocks.decode_results(raw[:-cut])[0]
    with pytest.raises(ValueError, match="truncated result entry"):
        decode_results(raw[:-cut])


def _preblocks(n: int) -> list[bytes]:
    committee, keys = fixture_committee(4)
    consensus = MockConsensus(keys, committee)
    return [consensus.commit([bytes([i + 1]) * 100, bytes([i + 2]) * 80], 1_000 * (i + 1)) for i in range(n)]


def test_preblock_decoded_once_and_dashboard_view_unchanged() -> None:
    first, second = _preblocks(2)
    index, commit_ms, txs = tracker.preblock_summary(first)
    assert (index, commit_ms, txs) == (1, 1_000, [bytes([1]) * 100, bytes([2]) * 80])
    decoded = tracker.last_decoded(first)
    assert decoded is not None and tracker.decoded_preblock(first) is decoded  # not decoded again
    assert tracker.last_decoded(bytes(bytearray(first))) is None  # other bytes (even equal ones): decoded anew
    assert head_view(decoded, 5) == read_head(first, 5)
    recent = RecentPreBlocks()
    recent.observe(first)  # from the decoded pre-block
    recent.observe(second)  # not the last decoded: its head is read
    assert [v.index for v in recent.last(10)] == [1, 2] and recent.undecodable == 0
    assert recent.last(10)[1].certificates == read_head(second, 0).certificates


def test_custody_records_in_arrival_order_and_earlier_layout_converted(tmp_path) -> None:
    import struct

    from dsn.sequencer.status_store import StatusStore

    store = StatusStore(tmp_path)
    old = [(bytes([9]) * 32, 1_700, b"old tx"), (bytes([1]) * 32, 1_900, b"older layout")]
    with store.env.begin(write=True) as txn:  # tx id -> accepted ms ‖ raw, as stores before held them
        for tx_id, ms, raw in old:
            txn.put(tx_id, struct.pack(">Q", ms) + raw, db=store._custody)
    store.close()
    store = StatusStore(tmp_path)  # converted when opened
    store.hold([(bytes([5]) * 32, 1_800, b"new tx")])
    assert store.held() == [old[0], (bytes([5]) * 32, 1_800, b"new tx"), old[1]]  # arrival order
    with store.env.begin() as txn:
        assert sorted(len(k) for k, _ in txn.cursor(db=store._custody)) == [40, 40, 40]
    store.release([(bytes([9]) * 32, 1_700)])
    store.record({}, [(bytes([1]) * 32, 1_900)], 3)
    assert store.held() == [(bytes([5]) * 32, 1_800, b"new tx")] and store.scanned() == 3
    store.close()
