"""The benchmark's load generator and pre-block scan (dsn/loadgen.py, dsn/bench.py), and a real
network that refuses bad batched submits, keeps running and commits every generator transaction."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time

import grpc
import numpy as np
import pytest

from dsn import codec, loadgen
from dsn.api import MAX_SUBMIT_BYTES
from dsn.bench import Sample, scan_preblock, summarize
from dsn.client import Client
from dsn.codec import Certificate, Header, PayloadEntry
from dsn.config import CommitteeFile
from dsn.launcher import exit_with_parent_env, prepare, start_node, wait_listening
from dsn.loadgen import RequestFactory
from dsn.sequencer.stack import free_port_base


def test_requests_are_strict_batches_of_stamped_numbered_transactions() -> None:
    f = RequestFactory(7, 40, 5)
    first, second = f.make(3, 1_700_000_000_123), f.make(5, 1_700_000_000_456)
    txs = codec.decode_batch(first).transactions + codec.decode_batch(second).transactions
    assert [len(t) for t in txs] == [40] * 8
    assert [int.from_bytes(t[:16], "big") for t in txs] == [1_700_000_000_123] * 3 + [1_700_000_000_456] * 5
    assert [int.from_bytes(t[16:20], "big") for t in txs] == [7] * 8
    assert [int.from_bytes(t[20:28], "big") for t in txs] == list(range(8))
    assert len(set(txs)) == 8
    with pytest.raises(ValueError, match="at least 32 bytes"):
        RequestFactory(0, 31, 1)


class RecordingClient:
    """Stands in for the node: answers every request at once and records its transaction count."""

    sizes: list[int] = []

    def __init__(self, endpoint: str) -> None:
        RecordingClient.sizes = []

    async def submit_encoded(self, encoded: bytes, timeout: float) -> int:
        n = int.from_bytes(encoded[:4], "big")
        RecordingClient.sizes.append(n)
        return n

    async def close(self) -> None:
        pass


def test_generator_sends_full_requests_and_a_partial_one_only_when_it_waited_or_at_the_end(monkeypatch) -> None:
    monkeypatch.setattr(loadgen, "AsyncClient", RecordingClient)
    fast = asyncio.run(loadgen.generate("x", 1, 40_000, 0.3, 64, 500, 16))  # 200 tx per 5 ms tick: wait for 500
    assert fast["sent"] == fast["offered"] == fast["accepted"] == 12_000 and fast["errors"] == 0
    assert RecordingClient.sizes == [500] * 24 and fast["requests"] == 24
    slow = asyncio.run(loadgen.generate("x", 1, 2_000, 0.3, 64, 500, 16, flush_s=0.05))  # 100 tx per 50 ms
    assert slow["sent"] == 600 and sum(RecordingClient.sizes) == 600
    assert all(n < 500 for n in RecordingClient.sizes) and 5 <= len(RecordingClient.sizes) <= 8


def test_scan_reads_generator_transactions_and_counts_others() -> None:
    f = RequestFactory(3, 64, 4)
    batches = [f.make(4, 1000), f.make(2, 1010), codec.encode_batch_fast([b"foreign transaction"])]
    certs = [codec.encode_certificate(Certificate(Header(i, 1, 0, 900 + i, [PayloadEntry(codec.digest(b), 0)],
                                                         [bytes([p]) * 32 for p in range(3)]), []))
             for i, b in enumerate(batches)]
    data = codec.encode_preblock_fast(1, 905, certs, batches, bytes([codec.EVIDENCE_CONTINUE]))
    s = Sample(64)
    scan_preblock(data, 1250, s)
    keys, sent, received, created = s.arrays()
    assert (keys >> 40).tolist() == [3] * 6 and (keys & ((1 << 40) - 1)).tolist() == list(range(6))
    assert sent.tolist() == [1000] * 4 + [1010] * 2
    assert received.tolist() == [1250] * 6 and created.tolist() == [900] * 4 + [901] * 2
    assert s.foreign == 1 and s.preblocks == 1
    scan_preblock(data, 1300, s)  # the same transactions again: duplicates, not new ones
    m = summarize(s, 0, 2000)
    assert (m.distinct, m.duplicates, m.delivered_total) == (6, 6, 6)
    assert (m.e2e_p50_ms, m.e2e_p95_ms, m.e2e_latency_ms) == (250.0, 250.0, (4 * 250 + 2 * 240) / 6)
    assert m.consensus_p50_ms == 374.5  # every delivery, the repeats too: (350 + 399) / 2
    assert m.header_bytes == (4 + 4 * 68 + 4 + 2 * 68 + 4 + 4 + 19) / 3  # encoded batches per header


@pytest.mark.slow
def test_network_refuses_bad_batched_submits_and_commits_every_generator_transaction(tmp_path) -> None:
    port_base = free_port_base(4, preferred=None)
    configs = prepare(tmp_path, 4, port_base=port_base, gc_depth=5,
                      parameters={"min_header_delay_ms": 100, "max_header_delay_ms": 300, "max_batch_delay_ms": 30})
    committee = CommitteeFile.from_json((tmp_path / "committee.json").read_text())
    procs = [start_node(c, tmp_path / "logs" / f"node-{i + 1}.log", die_with_parent=True)
             for i, c in enumerate(configs)]
    try:
        for a in committee.authorities:
            assert wait_listening(a.host, [a.tx_port, a.export_port], 60)
        tx = f"127.0.0.1:{committee.authorities[0].tx_port}"
        client = Client(tx)
        for bad in (b"\x00\x00\x00\x05junk", b"\x00" * (MAX_SUBMIT_BYTES + 1)):
            with pytest.raises(grpc.RpcError) as e:
                client.submit_encoded(bad, timeout=10)
            assert e.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        client.close()
        gen = subprocess.run([sys.executable, "-m", "dsn.loadgen", "--endpoint", tx, "--generator", "5",
                              "--rate", "2000", "--duration", "2", "--size", "100", "--request-txs", "50"],
                             capture_output=True, text=True, timeout=120, env=exit_with_parent_env())
        assert gen.returncode == 0, gen.stderr
        result = json.loads(gen.stdout)
        assert result["errors"] == 0 and result["sent"] == result["accepted"] > 3000
        s = Sample(100)
        reader = Client(f"127.0.0.1:{committee.authorities[3].export_port}")
        deadline = time.monotonic() + 60
        last = 0
        while time.monotonic() < deadline and len(np.unique(s.arrays()[0])) < result["sent"]:
            try:
                for data in reader.preblocks(last, timeout=2):
                    scan_preblock(data, int(time.time() * 1000), s)
                    last += 1
            except grpc.RpcError:
                pass
        reader.close()
        keys = np.unique(s.arrays()[0])
        assert keys.tolist() == [(5 << 40) | i for i in range(result["sent"])]
        assert s.foreign == 0
        assert all(p.poll() is None for p in procs)  # every node still running
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=30)
