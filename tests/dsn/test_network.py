"""Multi-process test on loopback: 4 node processes agree on the pre-block sequence, a node killed
with SIGKILL restarts and catches up, and with f = 1 node down the others keep committing."""

from __future__ import annotations

import signal
import subprocess

import grpc
import pytest

from dsn import codec
from dsn.client import Client
from dsn.config import CommitteeFile
from dsn.launcher import prepare, start_node, wait_listening
from dsn.sequencer.stack import free_port_base
from tests.dsn.preblock_rules import PreBlockChecker

FAST = {"min_header_delay_ms": 100, "max_header_delay_ms": 300, "max_batch_delay_ms": 30,
        "sync_retry_delay_ms": 300}


def launch(configs: list, i: int, tmp_path) -> subprocess.Popen:
    """Node i (0-based) as a child process that dies with the test process."""
    return start_node(configs[i], tmp_path / "logs" / f"node-{i + 1}.log", die_with_parent=True)


def collect(endpoint: str, from_id: int, upto: int, timeout: float) -> list[bytes]:
    """Pre-blocks from_id+1 … upto from one node (fails the test if they do not come in time)."""
    out: list[bytes] = []
    client = Client(endpoint)
    try:
        for encoded in client.preblocks(from_id, timeout=timeout):
            out.append(encoded)
            if from_id + len(out) >= upto:
                break
    except grpc.RpcError as e:
        pytest.fail(f"{endpoint}: only {len(out)} pre-blocks after {from_id} in {timeout} s ({e.code().name})")
    finally:
        client.close()
    return out


def content(preblocks: list[bytes]) -> list[tuple]:
    """What all honest nodes agree on: the pre-blocks without their evidence (any valid proof)."""
    out = []
    for encoded in preblocks:
        p = codec.decode_preblock(encoded)
        out.append((p.index, p.commit_timestamp, p.certificates, p.batches))
    return out


def transactions(preblocks: list[bytes]) -> list[bytes]:
    return [tx for p in preblocks for b in codec.decode_preblock(p).batches for tx in b.transactions]


def last_index(endpoint: str) -> int:
    """Index of the newest pre-block a node serves (reads its stream for a moment)."""
    client = Client(endpoint)
    last = 0
    try:
        for encoded in client.preblocks(0, timeout=2):
            last = codec.decode_preblock(encoded).index
    except grpc.RpcError:
        pass
    finally:
        client.close()
    return last


@pytest.mark.slow
def test_four_nodes_agree_survive_a_crash_and_catch_up(tmp_path):
    port_base = free_port_base(4, preferred=None)
    # gc_depth 10: node 4 stays down for more rounds than that, so catching up crosses the GC horizon
    configs = prepare(tmp_path, 4, port_base=port_base, parameters=FAST, gc_depth=10)
    committee = CommitteeFile.from_json((tmp_path / "committee.json").read_text())
    export = [f"127.0.0.1:{a.export_port}" for a in committee.authorities]
    submit = [f"127.0.0.1:{a.tx_port}" for a in committee.authorities]
    procs = {i: launch(configs, i, tmp_path) for i in range(4)}
    try:
        for a in committee.authorities:
            assert wait_listening(a.host, [a.node_port, a.export_port, a.tx_port], 30)
        sent = []
        for i in range(3):
            txs = [f"tx-{i}-{k}".encode() * 3 for k in range(100)]
            assert Client(submit[i]).submit_many(txs) == 100
            sent += txs
        digest = Client(submit[3]).submit(b"one transaction, acknowledged by a quorum")
        sent.append(b"one transaction, acknowledged by a quorum")
        assert len(digest) == 32

        # all four nodes output the same pre-blocks, which pass the kernel's rules and hold every tx
        first = [collect(e, 0, 12, 40) for e in export]
        assert content(first[0]) == content(first[1]) == content(first[2]) == content(first[3])
        checker = PreBlockChecker(committee.committee())
        for i in range(12):  # pre-blocks taken from different nodes in turn
            checker.check(first[i % 4][i])
        assert sorted(set(transactions(first[0]))) == sorted(sent)

        # kill -9 node 4: the three others (f = 1 down) keep committing, including new transactions
        procs[3].send_signal(signal.SIGKILL)
        procs[3].wait()
        crash_index = last_index(export[0])
        late = [f"late-{k}".encode() for k in range(50)]
        assert Client(submit[0]).submit_many(late) == 50
        after = [collect(e, 12, crash_index + 10, 40) for e in export[:3]]
        assert content(after[0]) == content(after[1]) == content(after[2])
        for p in after[0]:
            checker.check(p)
        assert set(late) <= set(transactions(after[0]))

        # restart node 4 from its store: it recovers, catches up and serves the same sequence
        procs[3] = launch(configs, 3, tmp_path)
        target = last_index(export[0]) + 3
        caught_up = collect(export[3], 12, target, 60)
        reference = collect(export[0], 12, target, 30)
        assert content(caught_up) == content(reference)
        for p in caught_up[len(after[0]):]:  # evidence re-exported by the restarted node from its store
            checker.check(p)
        restarted = PreBlockChecker(committee.committee())
        for p in collect(export[3], 0, 12, 30):  # its first pre-blocks, committed before the crash
            restarted.check(p)
    finally:
        for p in procs.values():
            if p.poll() is None:
                p.send_signal(signal.SIGKILL)
            p.wait()


@pytest.mark.slow
def test_quorum_lost_and_regained_commits_what_was_sent_meanwhile(tmp_path):
    port_base = free_port_base(4, preferred=None)
    configs = prepare(tmp_path, 4, port_base=port_base, parameters=FAST)
    committee = CommitteeFile.from_json((tmp_path / "committee.json").read_text())
    export = [f"127.0.0.1:{a.export_port}" for a in committee.authorities]
    submit = [f"127.0.0.1:{a.tx_port}" for a in committee.authorities]
    procs = {i: launch(configs, i, tmp_path) for i in range(4)}
    try:
        for a in committee.authorities:
            assert wait_listening(a.host, [a.node_port, a.export_port, a.tx_port], 30)
        for v in (2, 3):  # two of four down: no quorum, nothing can commit
            procs[v].send_signal(signal.SIGKILL)
            procs[v].wait()
        during = [f"during-{k}".encode() for k in range(30)]
        with pytest.raises(grpc.RpcError) as e:
            Client(submit[0]).submit_many(during, timeout=2)
        assert e.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
        for v in (2, 3):
            procs[v] = launch(configs, v, tmp_path)
        for v in (2, 3):  # a loaded machine may take a while to bring them up (the export stream reads node 3)
            a = committee.authorities[v]
            assert wait_listening(a.host, [a.node_port, a.export_port, a.tx_port], 30)
        after = [f"after-{k}".encode() for k in range(30)]
        assert Client(submit[1]).submit_many(after, timeout=30) == 30
        seen: set[bytes] = set()
        checker = PreBlockChecker(committee.committee())
        client = Client(export[2])
        for encoded in client.preblocks(0, timeout=40):
            checker.check(encoded)
            seen.update(transactions([encoded]))
            if set(during + after) <= seen:
                break
        client.close()
        assert set(during + after) <= seen
    finally:
        for p in procs.values():
            if p.poll() is None:
                p.send_signal(signal.SIGKILL)
            p.wait()
