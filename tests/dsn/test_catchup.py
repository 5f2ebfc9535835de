"""Catch-up from commit records (dsn.catchup): a node that was down while its peers deleted the
rounds it would replay adopts what f+1 of them vouch for, then commits on its own again, with the
same pre-blocks as its peers."""

from __future__ import annotations

import threading
import time

import grpc
import pytest

from dsn import codec
from dsn.catchup import CatchUp, encode_record
from dsn.client import Client
from dsn.codec import Committee
from dsn.config import CommitteeFile, Parameters
from dsn.launcher import prepare, start_node, wait_listening
from dsn.primary import Primary
from dsn.sequencer.stack import free_port_base
from dsn.store import EvidenceRef, Store
from dsn.wire import Kind, decode_blobs, encode_blobs
from tests.dsn.dag import DagBuilder
from tests.dsn.test_network import FAST


def block_ids(preblocks: list[bytes]) -> list[tuple[int, bytes, list[bytes]]]:
    out = []
    for encoded in preblocks:
        p = codec.decode_preblock(encoded)
        digests = [codec.header_digest(c.header) for c in p.certificates]
        out.append((p.index, digests[-1], digests))
    return out


def read_export(endpoint: str, from_id: int, count: int, timeout: float) -> list[bytes]:
    client = Client(endpoint)
    out: list[bytes] = []
    try:
        for encoded in client.preblocks(from_id, timeout=timeout):
            out.append(encoded)
            if len(out) >= count:
                break
    except grpc.RpcError:
        pass
    finally:
        client.close()
    return out


def oldest_served(endpoint: str) -> int:
    """1 while nothing is pruned, else the index OUT_OF_RANGE names."""
    client = Client(endpoint)
    try:
        for _ in client.preblocks(0, timeout=2):
            return 1
    except grpc.RpcError as e:
        if e.code() == grpc.StatusCode.OUT_OF_RANGE:
            return int(e.details().rsplit(" ", 1)[1])
    finally:
        client.close()
    return 1


@pytest.mark.slow
def test_a_node_behind_the_retention_horizon_catches_up_from_commit_records(tmp_path):
    port_base = free_port_base(4, preferred=None)
    configs = prepare(tmp_path, 4, port_base=port_base, gc_depth=4,
                      parameters=dict(FAST, retain_commits=40, retention_period_ms=300))
    committee = CommitteeFile.from_json((tmp_path / "committee.json").read_text())
    logs = [tmp_path / "logs" / f"node-{i + 1}.log" for i in range(4)]
    procs = [start_node(c, logs[i], die_with_parent=True) for i, c in enumerate(configs)]
    exports = [f"127.0.0.1:{a.export_port}" for a in committee.authorities]
    stop = threading.Event()

    def load() -> None:  # a steady trickle of transactions into node 1
        client = Client(f"127.0.0.1:{committee.authorities[0].tx_port}")
        i = 0
        while not stop.is_set():
            try:
                client.submit_many([i.to_bytes(8, "big") * 8])
            except grpc.RpcError:
                pass
            i += 1
            time.sleep(0.05)
        client.close()

    loader = threading.Thread(target=load, daemon=True)
    try:
        for a in committee.authorities:
            assert wait_listening(a.host, [a.node_port, a.export_port, a.tx_port], 30)
        loader.start()
        assert len(read_export(exports[3], 0, 3, 30)) == 3  # node 4 commits with the others
        procs[3].kill()
        procs[3].wait()
        store = Store(tmp_path / "db" / "node-4", map_size=1 << 30)
        left_at = store.last_commit_index()
        store.close()
        deadline = time.monotonic() + 90
        while oldest_served(exports[0]) <= left_at + 5:  # peers delete past node 4's last sub-DAG
            assert time.monotonic() < deadline, "node 1 never pruned past node 4's position"
            time.sleep(0.5)
        procs[3] = start_node(configs[3], logs[3], die_with_parent=True)
        a = committee.authorities[3]
        assert wait_listening(a.host, [a.node_port, a.export_port, a.tx_port], 30, procs[3])
        def agreeing(first_index, what: str) -> tuple[list, list]:
            """Five pre-blocks from ``first_index()`` on, read from node 1 and then node 4, once both
            still hold them (retention may move their oldest index between two reads: read again)."""
            deadline = time.monotonic() + 90
            while True:
                assert time.monotonic() < deadline, f"{what}:\n" + logs[3].read_text()[-3000:]
                start = first_index()
                theirs = block_ids(read_export(exports[0], start - 1, 5, 5))
                mine = block_ids(read_export(exports[3], start - 1, 5, 5))
                if len(mine) == len(theirs) == 5:
                    return mine, theirs
                time.sleep(0.5)

        # node 4 serves, from the oldest sub-DAG both still hold (past node 4's old position), what node 1 serves
        mine, theirs = agreeing(lambda: max(oldest_served(exports[3]), oldest_served(exports[0]), left_at + 1),
                                "node 4 did not catch up")
        assert mine == theirs and mine[0][0] > left_at
        text = logs[3].read_text()
        assert "catching up from commit records" in text and "adopted" in text
        # after the catch-up node 4 commits on its own: later pre-blocks agree too
        later = mine[-1][0] + 10
        mine, theirs = agreeing(lambda: max(later, oldest_served(exports[0])), "node 4 stopped committing")
        assert mine == theirs and mine[0][0] >= later
    finally:
        stop.set()
        for p in procs:
            p.kill()
            p.wait()


class FakeNet:
    def __init__(self, peers: list[int]) -> None:
        self.peers = peers
        self.sent: list[tuple[int, Kind, bytes]] = []

    def connected_peers(self) -> list[int]:
        return self.peers

    def send(self, peer: int, kind: Kind, body: bytes) -> None:
        self.sent.append((peer, kind, body))


def primary_with(tmp_path, dag: DagBuilder) -> tuple[Primary, Store]:
    store = Store(tmp_path / "db", map_size=1 << 24)
    committee = Committee(0, 50, dag.committee.authorities)
    p = Primary(committee, 0, dag.keys[0], Parameters(), store, FakeNet([1, 2, 3]))
    return p, store


def records_of(dag: DagBuilder, rounds: dict[int, list], upto: int) -> list[bytes]:
    """Commit records 1 … ``upto``: sub-DAG i = the leader of round 2i over round 2i-1 and the
    non-leaders of round 2i-2, directly supported by round 2i+1 (leaders of the committee's schedule)."""
    out = []
    for i in range(1, upto + 1):
        lr = 2 * i
        leader = rounds[lr][codec.leader_index(dag.committee, lr)]
        older = [c for c in rounds.get(lr - 2, []) if c.author != codec.leader_index(dag.committee, lr - 2)]
        members = sorted(older + rounds[lr - 1], key=lambda c: (c.round, c.author)) + [leader]
        support = rounds[lr + 1]
        certs = list({c.digest: c.encoded for c in members + support}.values())
        out.append(encode_record(i, 1000 * i, lr, [c.digest for c in members],
                                 EvidenceRef(1, support=[c.digest for c in support]), certs))
    return out


def test_a_record_is_adopted_only_when_the_validity_stake_vouches_for_it(tmp_path):
    dag = DagBuilder(4)
    rounds = {r: dag.full_round(r) for r in range(1, 8)}
    honest = records_of(dag, rounds, 3)
    p, store = primary_with(tmp_path, dag)
    c = CatchUp(p)
    c.on_pruned(1, (10).to_bytes(8, "big") + (1).to_bytes(8, "big"))
    assert [k for _, k, _ in p.net.sent] == [Kind.COMMIT_REQUEST] * 3
    # a lone peer (stake 1 of 4; validity = 2) is not enough, however valid its records
    c.on_records(1, encode_blobs(honest))
    assert store.last_commit_index() == 0 and p.consensus.last_index == 0
    # a forged record (the same index, a different sub-DAG) from a second peer does not match
    forged = records_of(dag, rounds, 1)[0].replace((1000).to_bytes(8, "big"), (999).to_bytes(8, "big"), 1)
    c.on_records(2, encode_blobs([forged]))
    assert store.last_commit_index() == 0
    # a second honest peer: all three adopted, in order, with their certificates and evidence
    c.on_records(3, encode_blobs(honest))
    assert store.last_commit_index() == 3 and p.consensus.last_index == 3 and p.consensus.last_leader_round == 6
    assert store.get_commit(2)[1] == 4 and store.get_evidence(3).kind == 1
    leader6 = rounds[6][codec.leader_index(dag.committee, 6)]
    assert all(store.is_committed(x.digest) for r in range(1, 6) for x in rounds[r]) and store.is_committed(leader6.digest)
    # an unsolicited reply is not even read; an empty reply ends the catch-up (certificate sync again)
    c.on_records(2, encode_blobs([b"not a record"]))
    assert [(q, k) for q, k, _ in p.net.sent[-1:]] == [(3, Kind.COMMIT_REQUEST)]  # after adopting: more?
    p.net.sent.clear()
    c.on_records(3, encode_blobs([]))
    assert not c.active and [k for _, k, _ in p.net.sent] == [Kind.SYNC_REQUEST]
    store.close()


def test_records_with_missing_or_invalid_certificates_are_refused(tmp_path):
    dag = DagBuilder(4)
    rounds = {r: dag.full_round(r) for r in range(1, 4)}
    record = records_of(dag, rounds, 1)[0]
    p, store = primary_with(tmp_path, dag)
    c = CatchUp(p)
    c.on_pruned(1, bytes(16))
    items = decode_blobs(record)
    with pytest.raises(ValueError, match="names a certificate it does not carry"):
        c.on_records(1, encode_blobs([encode_blobs(items[:-1])]))
    c.asked.add(1)  # asked again
    bad = bytearray(items[3])
    bad[-1] ^= 1  # a signature bit
    with pytest.raises(ValueError, match="invalid certificate"):
        c.on_records(1, encode_blobs([encode_blobs(items[:3] + [bytes(bad)] + items[4:])]))
    assert store.last_commit_index() == 0
    store.close()


def test_a_gap_every_vouching_peer_deleted_is_skipped_and_refused_by_export(tmp_path):
    dag = DagBuilder(4)
    rounds = {r: dag.full_round(r) for r in range(1, 10)}
    honest = records_of(dag, rounds, 4)
    p, store = primary_with(tmp_path, dag)
    c = CatchUp(p)
    c.on_pruned(1, bytes(16))
    c.on_records(1, encode_blobs(honest[2:]))  # peers deleted sub-DAGs 1 and 2
    c.on_records(2, encode_blobs(honest[2:]))
    assert store.last_commit_index() == 4 and store.pruned_commits() == 2 and store.get_commit(2) is None
    store.close()
