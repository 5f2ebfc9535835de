"""Retention: batches of old committed sub-DAGs deleted past ``retain_commits`` and below the GC
round (re-committed batches kept), batches of uncommitted certificates below the GC round deleted,
own headers below the GC round deleted, and the export API refusing pruned pre-blocks with
OUT_OF_RANGE."""

from __future__ import annotations

import asyncio
import socket
import time

import grpc
import lmdb
import pytest

from dsn import codec
from dsn.api import exporter_handler, start_server
from dsn.client import AsyncClient, Client
from dsn.config import CommitteeFile
from dsn.export import PreBlockSource, PrunedError
from dsn.launcher import prepare, start_node, wait_listening
from dsn.retention import Retention
from dsn.sequencer.stack import free_port_base
from dsn.store import EvidenceRef, Store
from tests.dsn.dag import DagBuilder
from tests.dsn.test_network import FAST


def committed_store(tmp_path) -> tuple[Store, DagBuilder, dict[int, list[bytes]]]:
    """Sub-DAG i (1 … 5) = the certificates of round i (leader round i); commit 4 also commits a
    batch of commit 2 again. Returns the batch digests of each commit."""
    store = Store(tmp_path / "db", map_size=1 << 24)
    dag = DagBuilder(4)
    batches: dict[int, list[bytes]] = {}
    for r in range(1, 6):
        certs = dag.full_round(r)
        for c in certs:
            store.put_certificate(c.digest, c.round, c.author, c.encoded)
            for e in c.certificate.header.payload:
                store.put_batch(e.digest, dag.batches[e.digest])
        batches[r] = [e.digest for c in certs for e in c.certificate.header.payload]
        again = [batches[2][0]] if r == 4 else []
        store.put_commit(r, 1000 * r, r, [c.digest for c in certs], EvidenceRef(1), batches[r] + again)
        store.put_proposed(r, f"header {r}".encode())
    return store, dag, batches


def test_batches_of_old_commits_below_the_gc_round_are_deleted(tmp_path):
    store, _, batches = committed_store(tmp_path)
    gc = [5]
    retention = Retention(store, retain_commits=2, gc_round=lambda: gc[0])
    # headers of rounds 1-4; sub-DAGs 1-3 (5 - 2); the 12 certificates of rounds 1-3 (below sub-DAG 4's round 4)
    assert retention.prune() == (4, 0, 3, 12)
    assert store.pruned_commits() == 3
    assert [store.get_proposed(r) for r in range(1, 6)] == [None] * 4 + [b"header 5"]
    kept = {d for d in batches[2] if store.has_batch(d)}
    assert kept == {batches[2][0]}  # committed again by sub-DAG 4
    assert not any(store.has_batch(d) for r in (1, 3) for d in batches[r])
    assert all(store.has_batch(d) for r in (4, 5) for d in batches[r])
    assert [store.get_commit(i) is not None for i in range(1, 6)] == [False] * 3 + [True] * 2
    assert [store.get_evidence(i) is not None for i in range(1, 6)] == [False] * 3 + [True] * 2
    assert store.kept_round() == 4 and store.certificates_after(0, 100) == store.certificates_after(3, 100)
    assert len(store.certificates_after(0, 100)) == 8
    assert retention.prune() == (0, 0, 0, 0)
    store.close()


def test_sub_dags_at_or_above_the_gc_round_stay(tmp_path):
    store, _, batches = committed_store(tmp_path)
    retention = Retention(store, retain_commits=1, gc_round=lambda: 3)
    # leader rounds 1 and 2 only, though the last 1 is the limit; certificates below the GC round - 1
    assert retention.prune() == (2, 0, 2, 4)
    assert store.pruned_commits() == 2 and all(store.has_batch(d) for d in batches[3])
    assert store.kept_round() == 2 and store.get_commit(3) is not None
    assert Retention(store, retain_commits=0, gc_round=lambda: 6).prune() == (3, 0, 0, 0)  # 0: keep everything
    assert store.kept_round() == 2
    store.close()


def test_batches_of_uncommitted_certificates_below_the_gc_round_are_deleted(tmp_path):
    store = Store(tmp_path / "db", map_size=1 << 24)
    dag = DagBuilder(4)
    rounds = {r: dag.full_round(r) for r in range(1, 7)}
    for certs in rounds.values():
        for c in certs:
            store.put_certificate(c.digest, c.round, c.author, c.encoded)
            for e in c.certificate.header.payload:
                store.put_batch(e.digest, dag.batches[e.digest])

    def batch(c) -> bytes:
        return c.certificate.header.payload[0].digest

    # sub-DAG 1 commits rounds 1-2 except authors 2 and 3 of round 2; author 2's batch is committed
    # again by sub-DAG 2 (a re-queued batch), author 3's batch is an own batch still queued
    committed = rounds[1] + rounds[2][:2]
    store.put_commit(1, 1, 2, [c.digest for c in committed], EvidenceRef(1), [batch(c) for c in committed])
    store.put_commit(2, 2, 4, [c.digest for c in rounds[4]], EvidenceRef(1),
                     [batch(c) for c in rounds[4]] + [batch(rounds[2][2])])
    store.put_queued(batch(rounds[2][3]), 0)
    retention = Retention(store, retain_commits=0, gc_round=lambda: 5)
    assert retention.prune() == (0, 4, 0, 0)  # the 4 batches of round 3; rounds 4+ are at or above gc - 1
    assert store.pruned_round() == 3
    assert all(store.has_batch(batch(c)) for r in (1, 2, 4, 5, 6) for c in rounds[r])
    assert not any(store.has_batch(batch(c)) for c in rounds[3])
    assert all(store.get_certificate(c.digest) is not None for c in rounds[3])  # retain_commits 0: certificates stay
    assert retention.prune() == (0, 0, 0, 0)
    store.close()
    # a store that already holds commits starts pruning above its last leader round
    reopened = Store(tmp_path / "db2", map_size=1 << 24)
    reopened.put_commit(1, 1, 8, [b"c" * 32], EvidenceRef(1))
    reopened.close()
    env = lmdb.open(str(tmp_path / "db2"), max_dbs=16)
    with env.begin(write=True) as txn:
        txn.delete(b"pruned_round", db=env.open_db(b"meta", txn=txn))
    env.close()
    again = Store(tmp_path / "db2", map_size=1 << 24)
    assert again.pruned_round() == 8
    again.close()


def test_export_refuses_pruned_pre_blocks(tmp_path):
    store, dag, _ = committed_store(tmp_path)
    Retention(store, retain_commits=2, gc_round=lambda: 5).prune()
    wanted = []
    source = PreBlockSource(store, lambda ds, src: wanted.append(ds))

    async def first(from_id: int) -> bytes:
        async for encoded in source.stream(from_id):
            return encoded

    async def main():
        assert codec.decode_preblock(await first(3)).index == 4
        with pytest.raises(PrunedError, match="pre-block 3 is pruned on this node .* the oldest it serves is 4"):
            await first(2)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = await start_server(exporter_handler(source), "127.0.0.1", port)
        client = AsyncClient(f"127.0.0.1:{port}")
        try:
            with pytest.raises(grpc.aio.AioRpcError) as e:
                async for _ in client.preblocks(0):
                    pass
            assert e.value.code() == grpc.StatusCode.OUT_OF_RANGE
            assert "the oldest it serves is 4" in e.value.details()
        finally:
            await client.close()
            await server.stop(0)

    asyncio.run(main())
    assert wanted == []  # nothing fetched for pruned pre-blocks
    store.close()


@pytest.mark.slow
def test_a_running_network_prunes_and_export_says_so(tmp_path):
    port_base = free_port_base(4, preferred=None)
    configs = prepare(tmp_path, 4, port_base=port_base, parameters=dict(FAST, retain_commits=5), gc_depth=4)
    committee = CommitteeFile.from_json((tmp_path / "committee.json").read_text())
    procs = [start_node(c, tmp_path / "logs" / f"node-{i + 1}.log", die_with_parent=True) for i, c in enumerate(configs)]
    try:
        for a in committee.authorities:
            assert wait_listening(a.host, [a.node_port, a.export_port, a.tx_port], 30)
        export = f"127.0.0.1:{committee.authorities[0].export_port}"
        assert Client(f"127.0.0.1:{committee.authorities[0].tx_port}").submit_many([b"x" * 100] * 10) == 10
        deadline = time.monotonic() + 60
        error = None
        while time.monotonic() < deadline and error is None:
            time.sleep(1)
            client = Client(export)
            try:
                for _ in client.preblocks(0, timeout=2):
                    pass
            except grpc.RpcError as e:
                if e.code() == grpc.StatusCode.OUT_OF_RANGE:
                    error = e
            finally:
                client.close()
        assert error is not None, "pre-block 1 was never pruned"
        oldest = int(error.details().rsplit(" ", 1)[1])
        assert oldest > 1
        client = Client(export)
        try:
            first = next(iter(client.preblocks(oldest - 1, timeout=10)))
        finally:
            client.close()
        assert codec.decode_preblock(first).index == oldest
    finally:
        for p in procs:
            p.kill()
            p.wait()
