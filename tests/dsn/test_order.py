"""Multi-process test on loopback: the transactions a node accepted, call after call, are committed
in that order (dsn/README.md, "Ordering"), with four clients loading all four nodes and nodes
stalled now and then (a stalled node's rounds run ahead of its own certificates)."""

from __future__ import annotations

import signal
import threading
import time

import grpc
import pytest

from dsn import codec
from dsn.client import Client
from dsn.config import CommitteeFile
from dsn.launcher import prepare, start_node, wait_listening
from dsn.sequencer.stack import free_port_base

FAST = {"min_header_delay_ms": 50, "max_header_delay_ms": 200, "max_batch_delay_ms": 10,
        "sync_retry_delay_ms": 300}
SECONDS = 12
PER_CALL = 5


def submit_in_order(endpoint: str, node: int, stop: threading.Event, sent: list[bytes]) -> None:
    """Numbered transactions to one node, each call waiting for the previous one's acknowledgement."""
    client = Client(endpoint)
    try:
        while not stop.is_set():
            txs = [b"node %d tx %08d" % (node, len(sent) + k) for k in range(PER_CALL)]
            client.submit_many(txs, timeout=60)
            sent.extend(txs)
    finally:
        client.close()


def stall_in_turn(procs: list, stop: threading.Event) -> None:
    """SIGSTOP each node in turn for 0.3 s every 1.2 s."""
    turn = 0
    while not stop.wait(0.9):
        p = procs[turn % len(procs)]
        p.send_signal(signal.SIGSTOP)
        time.sleep(0.3)
        p.send_signal(signal.SIGCONT)
        turn += 1


def committed(endpoint: str, expected: set[bytes], timeout: float) -> list[bytes]:
    """The committed transactions in order (first copies only), until all of ``expected`` came."""
    out: list[bytes] = []
    seen: set[bytes] = set()
    client = Client(endpoint)
    try:
        for encoded in client.preblocks(0, timeout=timeout):
            for batch in codec.decode_preblock(encoded).batches:
                for tx in batch.transactions:
                    if tx not in seen:
                        seen.add(tx)
                        out.append(tx)
            if expected <= seen:
                break
    except grpc.RpcError as e:
        pytest.fail(f"{len(expected - seen)} of {len(expected)} transactions not committed in {timeout} s ({e})")
    finally:
        client.close()
    return out


@pytest.mark.slow
def test_each_nodes_transactions_are_committed_in_submission_order(tmp_path):
    port_base = free_port_base(4, preferred=None)
    configs = prepare(tmp_path, 4, port_base=port_base, parameters=FAST)
    committee = CommitteeFile.from_json((tmp_path / "committee.json").read_text())
    submit = [f"127.0.0.1:{a.tx_port}" for a in committee.authorities]
    procs = [start_node(configs[i], tmp_path / "logs" / f"node-{i + 1}.log", die_with_parent=True) for i in range(4)]
    stop = threading.Event()
    sent: list[list[bytes]] = [[] for _ in range(4)]
    try:
        for a in committee.authorities:
            assert wait_listening(a.host, [a.node_port, a.export_port, a.tx_port], 30)
        threads = [threading.Thread(target=submit_in_order, args=(submit[i], i, stop, sent[i])) for i in range(4)]
        threads.append(threading.Thread(target=stall_in_turn, args=(procs, stop)))
        for t in threads:
            t.start()
        time.sleep(SECONDS)
        stop.set()
        for t in threads:
            t.join()
        order = committed(f"127.0.0.1:{committee.authorities[0].export_port}", {tx for s in sent for tx in s}, 90)
        for i in range(4):
            mine = [tx for tx in order if tx.startswith(b"node %d " % i)]
            assert len(mine) == len(sent[i]) > 10 * PER_CALL
            late = sum(1 for a, b in zip(mine, mine[1:]) if b < a)
            assert mine == sent[i], f"node {i + 1}: {late} of {len(mine)} transactions committed after a later one"
    finally:
        stop.set()
        for p in procs:
            p.send_signal(signal.SIGCONT)
            p.send_signal(signal.SIGKILL)
            p.wait()
