"""The DSN commands end to end: net up, spam, listen --json, net down (4 processes on loopback)."""

from __future__ import annotations

import json
import stat
import subprocess
import sys

import pytest

from dsn import codec
from dsn.client import Client
from dsn.launcher import is_our_node, read_pids
from dsn.sequencer.stack import free_port_base


def dsn(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dsn", *args], capture_output=True, text=True, timeout=timeout)


@pytest.mark.slow
def test_net_up_spam_listen_down(tmp_path):
    base = tmp_path / "net"
    port_base = free_port_base(4, preferred=None)
    up = dsn("net", "up", "-n", "4", "--data-dir", str(base), "--port-base", str(port_base),
             "--param", "min_header_delay_ms=100", "--param", "max_header_delay_ms=300")
    assert up.returncode == 0, up.stderr
    pids = read_pids(base)
    try:
        assert sorted(pids) == [1, 2, 3, 4] and all(is_our_node(p) for p in pids.values())
        assert stat.S_IMODE(base.stat().st_mode) == 0o700
        assert {stat.S_IMODE((base / f"node-{n}.key").stat().st_mode) for n in range(1, 5)} == {0o600}
        again = dsn("net", "up", "-n", "4", "--data-dir", str(base))
        assert again.returncode != 0 and "already running" in again.stderr
        export, txs = f"127.0.0.1:{port_base + 11}", f"127.0.0.1:{port_base + 22}"
        spam = dsn("spam", "--dsn", txs, "--rate", "500", "--size", "64", "--count", "200")
        assert spam.returncode == 0 and spam.stdout.strip() == "sent 200 transactions", spam.stderr
        encoded, seen = [], 0
        for e in Client(export).preblocks(0, timeout=30):
            encoded.append(e)
            seen += sum(len(b.transactions) for b in codec.decode_preblock(e).batches)
            if seen >= 200:
                break
        listen = dsn("listen", "--dsn-export", export, "--from-id", "0", "--json", "--count", str(len(encoded)))
        assert listen.returncode == 0, listen.stderr
        rows = [json.loads(line) for line in listen.stdout.splitlines()]
        assert [r["index"] for r in rows] == list(range(1, len(encoded) + 1))
        assert sum(r["num_txs"] for r in rows) == 200
        for r, e in zip(rows, encoded):
            p = codec.decode_preblock(e)
            assert r["block_id"] == (p.index.to_bytes(8, "big") + codec.header_digest(p.certificates[-1].header)).hex()
            assert r["leader_round"] == p.certificates[-1].header.round
            assert r["num_certificates"] == len(p.certificates)
            assert r["num_txs"] == sum(len(b.transactions) for b in p.batches)
            assert r["bytes"] == 64 * r["num_txs"]
            assert (r["avg_latency_ms"] is None) == (r["num_txs"] == 0)
    finally:
        down = dsn("net", "down", "--data-dir", str(base))
    assert down.returncode == 0 and down.stdout.startswith("stopped 4 node(s)")
    assert not any(is_our_node(p) for p in pids.values())
    assert not (base / "pids").exists()
