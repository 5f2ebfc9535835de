"""Rule 6 (FORMATS.md §1.5): the kernel accepts exactly the pre-blocks Bullshark commits. One named
case per attack class of spec/commit-rule.md, on the 4- and 7-node fixture committees, with the
kernel natively (kernel_py) and compiled (`dsn kernel build` under wasmtime); every refusal is
checked for its exact reason and for leaving the state unchanged, and the honest pre-block is
accepted afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

import pytest

from kernel_py.formats import dsn as fmt
from kernel_py.formats import tx as txf
from kernel_py.formats.dsn import Certificate, Header, Signer
from tests.kernel.builders import (
    NATIVE,
    Dag,
    Harness,
    assert_rejected,
    fixture_authorities,
    pk,
    preblock_messages,
    signed_tx,
    state,
    user,
)
from tests.kernel.doubles import fast_crypto

ALICE, BOB = user(1), user(2)


@dataclass
class World:
    """A rollup, the committee's DAG, and the faults it tolerates."""

    h: Harness
    dag: Dag
    n: int
    f: int

    def post(self, pb: bytes) -> None:
        self.h.run(preblock_messages(pb, self.h.u64("/dsn/last_index") + 1))

    def refuse(self, pb: bytes, error: bytes) -> None:
        ok, p = fmt.decode_preblock(pb)
        assert_rejected(self.h, preblock_messages(pb, p.index if ok else self.h.u64("/dsn/last_index") + 1), error)

    def accept(self, pb: bytes) -> None:
        """``pb`` is accepted as the next block, whose leader is the last certificate."""
        ok, p = fmt.decode_preblock(pb)
        assert ok
        count = self.h.u64("/rejections/count")
        self.post(pb)
        assert self.h.u64("/rejections/count") == count, self.h.get("/rejections/last")
        assert self.h.u64("/dsn/last_index") == p.index
        info = self.h.get(f"/blocks/{p.index}/info")
        assert info is not None and fmt.block_id(p.index, info[:32]) == fmt.preblock_id(p)


def make_world(request: pytest.FixtureRequest, n: int, engine: str, gc_depth: int | None = None) -> Iterator[World]:
    auth = fixture_authorities(n)
    if gc_depth is not None:
        auth = replace(auth, committee=replace(auth.committee, gc_depth=gc_depth))
    f = (n - 1) // 3
    kernel = request.getfixturevalue("shipped_kernel") if engine == "wasm" else None
    h = Harness(auth.committee, [(pk(ALICE), 1000)], kernel=kernel)
    dag = Dag(auth, signers=2 * f + 1)
    if engine == "native":
        with fast_crypto():
            h.run([])
            yield World(h, dag, n, f)
    else:
        h.run([])
        yield World(h, dag, n, f)


ENGINES = ["native", pytest.param("wasm", marks=pytest.mark.slow)]


@pytest.fixture(params=[4, 7], ids=["n4", "n7"])
def nodes(request: pytest.FixtureRequest) -> int:
    return request.param


@pytest.fixture(params=ENGINES)
def world(request: pytest.FixtureRequest, nodes: int) -> Iterator[World]:
    yield from make_world(request, nodes, request.param)


@pytest.fixture(params=ENGINES)
def gap_world(request: pytest.FixtureRequest, nodes: int) -> Iterator[World]:
    yield from make_world(request, nodes, request.param, gc_depth=2)


def transfer(nonce: int, amount: int = 1) -> bytes:
    return signed_tx(ALICE, nonce, txf.action_transfer(pk(BOB), NATIVE, amount))


def evidence(kind: int, support: list[Certificate] = (), anchor: Certificate | None = None,
             history: list[Header] = ()) -> bytes:
    return fmt.encode_evidence(fmt.Evidence(kind, anchor or fmt.no_anchor(), list(support), list(history)))


def full_rounds(w: World, count: int, txs: dict[int, list[list[bytes]]] | None = None) -> None:
    for _ in range(count):
        w.dag.advance(txs)


def partial_support(dag: Dag, leader_author: int) -> None:
    """A round where only f authors (0 … f-1) reference the previous round's leader."""
    n = len(dag.auth.keys)
    others = tuple(a for a in range(n) if a != leader_author)
    dag.advance(links={a: others for a in range((n - 1) // 3, n)})


# --- 1. Front-run of a skipped leader ---------------------------------------------------------


def test_front_run_of_skipped_leader_refused(world: World) -> None:
    """L2 carries a transfer but only f round-3 certificates reference it and no round-4
    certificate reaches them: Bullshark skips L2 and commits L4 alone."""
    w, dag = world, world.dag
    dag.advance()
    dag.advance({1: [[transfer(0, 7)]]})
    l2 = dag.leader(2)
    partial_support(dag, 1)
    supporters = dag.support(l2)
    assert [c.header.author for c in supporters] == list(range(w.f))
    non_supporters = tuple(range(w.f, w.n))
    dag.advance(links={a: non_supporters for a in range(w.n)})
    dag.advance()
    l4 = dag.leader(4)
    front = dag.preblock(l2, evidence(1, supporters), commit=False)
    w.refuse(front, b"support below validity")
    w.refuse(dag.preblock(l2, evidence(2, supporters, l2, dag.history(l2)), commit=False), b"support below validity")
    w.refuse(dag.preblock(l2, dag.step_evidence(l4), commit=False), b"leader not first in the step")
    w.refuse(dag.preblock(l2, evidence(0), commit=False), b"no step to continue")
    honest = dag.preblock(l4, dag.direct_evidence(l4))
    w.accept(honest)
    assert w.h.balance(pk(BOB)) == 0 and w.h.get("/dsn/pending") == b""
    assert fmt.decode_preblock(honest)[1].certificates[-1] == l4
    late = dag.preblock(l2, evidence(1, supporters), commit=False)  # index 2
    w.refuse(late, b"leader not after the last committed leader")


# --- 2. Merge / skip-ahead --------------------------------------------------------------------


def test_merge_and_skip_ahead_refused(world: World) -> None:
    """Every leader has full support: L2 then L4, each its own pre-block."""
    w, dag = world, world.dag
    full_rounds(w, 5, {0: [[transfer(0)]]})
    l2, l4 = dag.leader(2), dag.leader(4)
    merged = dag.preblock(l4, dag.direct_evidence(l4), commit=False)
    assert any(c.header == l2.header for c in fmt.decode_preblock(merged)[1].certificates)
    w.refuse(merged, b"merges an earlier leader")
    w.refuse(dag.preblock(l4, dag.step_evidence(l4), commit=False), b"leader not first in the step")
    ok, p = fmt.decode_preblock(merged)
    p.certificates = [c for c in p.certificates if c.header != l2.header]  # L2 has no batch
    w.refuse(fmt.encode_preblock(p), b"missing parent certificate")  # skip-ahead over L2
    w.accept(dag.preblock(l2, dag.direct_evidence(l2)))
    w.accept(dag.preblock(l4, dag.direct_evidence(l4)))
    assert w.h.balance(pk(BOB)) == 1 and w.h.u64("/rejections/count") == 3


# --- 3. Indirect commits: only with a step proof; the pending list drives what follows ---------


def test_indirect_commit_needs_step_proof(world: World) -> None:
    """L2 and L4 each have only f supporters but are linked: L6 (full support) commits the step
    [L2, L4, L6]. L2 needs kind 02; L4 and L6 then follow the pending list whatever they carry."""
    w, dag = world, world.dag
    dag.advance()
    dag.advance({1: [[transfer(0)]]})
    partial_support(dag, 1)
    dag.advance({2: [[transfer(1)]]})
    partial_support(dag, 2)
    dag.advance()
    dag.advance()
    l2, l4, l6 = dag.leader(2), dag.leader(4), dag.leader(6)
    step = fmt.decode_preblock(dag.preblock(l2, dag.step_evidence(l6), commit=False))[1].evidence
    assert {h.round for h in step.history} == {1, 2, 3, 4, 5}

    def with_history(history: list[Header]) -> bytes:
        return dag.preblock(l2, evidence(2, step.support, l6, history), commit=False)

    w.refuse(dag.preblock(l2, dag.direct_evidence(l2), commit=False), b"support below validity")
    w.refuse(dag.preblock(l2, evidence(0), commit=False), b"no step to continue")
    w.refuse(with_history(step.history[1:]), b"incomplete history")
    extra = dag.leader(6).header
    w.refuse(with_history(step.history + [replace(extra, author=(extra.author + 1) % w.n)]),
             b"history not from the anchor")
    forged = list(step.history)
    forged[w.n] = replace(forged[w.n], created_at=forged[w.n].created_at + 1)  # a round-2 header
    w.refuse(with_history(forged), b"incomplete history")
    not_leader = next(c for c in dag.certs.values() if c.header.round == 6 and c.header.author != l6.header.author)
    w.refuse(dag.preblock(l2, evidence(2, dag.support(not_leader), not_leader, step.history), commit=False),
             b"anchor not a scheduled leader")
    w.refuse(dag.preblock(l2, evidence(2, step.support[:w.f], l6, step.history), commit=False),
             b"support below validity")
    outsider = replace(step.history[-1], author=w.n)  # sorts last; authors must be members
    w.refuse(with_history(step.history + [outsider]), b"history not from the anchor")
    unsigned = Certificate(l6.header, l6.signers[1:])
    w.refuse(dag.preblock(l2, evidence(2, step.support, unsigned, step.history), commit=False),
             b"anchor not a valid certificate")
    forged_sig = Certificate(l6.header, [replace(l6.signers[0], signature=bytes(64))] + l6.signers[1:])
    w.refuse(dag.preblock(l2, evidence(2, step.support, forged_sig, step.history), commit=False),
             b"evidence signatures invalid")
    w.refuse(dag.preblock(l4, dag.step_evidence(l6), commit=False), b"leader not first in the step")
    w.refuse(dag.preblock(l6, dag.direct_evidence(l6), commit=False), b"merges an earlier leader")

    w.accept(dag.preblock(l2, dag.step_evidence(l6)))
    head = fmt.header_digest(l4.header)
    assert w.h.get("/dsn/pending") == fmt.header_digest(l6.header) + head
    w.refuse(dag.preblock(l6, dag.direct_evidence(l6), commit=False), b"not the pending leader")
    w.accept(dag.preblock(l4, evidence(1)))  # the evidence is not read: L4 is the pending head
    assert w.h.get("/dsn/pending") == fmt.header_digest(l6.header)
    w.accept(dag.preblock(l6, evidence(0)))
    assert w.h.get("/dsn/pending") == b"" and w.h.balance(pk(BOB)) == 2
    dag.advance()
    dag.advance()
    w.refuse(dag.preblock(dag.leader(8), evidence(0), commit=False), b"no step to continue")
    w.accept(dag.preblock(dag.leader(8), dag.direct_evidence(dag.leader(8))))


# --- 4. Support certificates are each verified -------------------------------------------------


def test_support_defects_refused(world: World) -> None:
    w, dag = world, world.dag
    full_rounds(w, 3, {0: [[transfer(0)]]})
    l2 = dag.leader(2)
    d2 = fmt.header_digest(l2.header)
    good = dag.support(l2)[: w.f + 1]

    def post(support: list[Certificate]) -> bytes:
        return dag.preblock(l2, evidence(1, support), commit=False)

    def signed(header: Header) -> Certificate:
        return dag.sign(header)

    w.refuse(post([good[0], good[0]] + good[1:]), b"malformed pre-block")  # duplicate author
    w.refuse(post(good[:w.f]), b"support below validity")
    elsewhere = signed(replace(good[0].header, parents=[p for p in good[0].header.parents if p != d2]))
    w.refuse(post([elsewhere] + good[1:]), b"support misses the leader")
    later = signed(replace(good[0].header, round=5))
    w.refuse(post(good[1:] + [later]), b"support misses the leader")
    bad_sig = Certificate(good[0].header, [replace(good[0].signers[0], signature=bytes(64))] + good[0].signers[1:])
    w.refuse(post([bad_sig] + good[1:]), b"evidence signatures invalid")
    missing = Certificate(good[0].header, good[0].signers[1:])
    w.refuse(post([missing] + good[1:]), b"support not a valid certificate")
    outsider = Certificate(good[0].header, good[0].signers[:-1] + [Signer(w.n, good[0].signers[-1].signature)])
    w.refuse(post([outsider] + good[1:]), b"support not a valid certificate")
    epoch1 = signed(replace(good[0].header, epoch=1))
    w.refuse(post([epoch1] + good[1:]), b"support not a valid certificate")
    w.accept(post(good))
    assert w.h.balance(pk(BOB)) == 1


# --- 5. Malleable bytes: one block_id, one state ------------------------------------------------


def test_malleable_signer_lists_and_evidence_give_one_block(world: World) -> None:
    w, dag = world, world.dag
    full_rounds(w, 3, {0: [[transfer(0)]]})
    l2 = dag.leader(2)
    original = dag.preblock(l2, dag.direct_evidence(l2), commit=False)
    ok, p = fmt.decode_preblock(original)
    for c in p.certificates[:-1]:  # non-leader signer lists are not signed by anything checked
        c.signers = [Signer(i, bytes([i]) * 64) for i in range(w.n)]
    p.evidence = fmt.Evidence(1, fmt.no_anchor(), dag.support(l2)[w.n - w.f - 1:], [])
    variant = fmt.encode_preblock(p)
    assert variant != original and fmt.preblock_id(p) == fmt.preblock_id(fmt.decode_preblock(original)[1])
    twin = World(Harness(dag.auth.committee, [(pk(ALICE), 1000)], kernel=w.h.kernel), dag, w.n, w.f)
    twin.h.run([])
    w.accept(variant)
    twin.accept(original)
    assert state(w.h) == state(twin.h)
    w.refuse(original, b"unexpected pre-block index")  # the sequencer's copy comes second


# --- 6. Replay ---------------------------------------------------------------------------------


def test_replay_refused(world: World) -> None:
    w, dag = world, world.dag
    full_rounds(w, 3, {0: [[transfer(0)]]})
    pb = dag.preblock(dag.leader(2), dag.direct_evidence(dag.leader(2)))
    w.accept(pb)
    w.refuse(pb, b"unexpected pre-block index")
    ok, p = fmt.decode_preblock(pb)
    p.index = 2
    w.refuse(fmt.encode_preblock(p), b"leader not after the last committed leader")
    assert w.h.balance(pk(BOB)) == 1


# --- 7. A gap beyond the GC horizon needs a step proof -------------------------------------------


def test_long_gap_needs_step_proof(gap_world: World) -> None:
    """gc_depth 2, no leader in rounds 2 and 4: L6's horizon (4) is above lr + 1 = 1, so its
    pre-block cannot show that no leader of rounds 2–4 is linked; kind 02 anchored at L6 can."""
    w, dag = gap_world, gap_world.dag
    for r in range(1, 6):
        dag.advance({0: [[transfer(0)]]} if r == 5 else None, absent=((r // 2) % w.n,) if r % 2 == 0 else ())
    dag.advance()
    dag.advance()
    l6 = dag.leader(6)
    w.refuse(dag.preblock(l6, dag.direct_evidence(l6), commit=False), b"gap needs a step proof")
    w.accept(dag.preblock(l6, dag.step_evidence(l6)))
    assert w.h.get("/dsn/pending") == b"" and w.h.balance(pk(BOB)) == 1


# --- Differential: CPython and compiled kernels end in byte-identical durable state -------------


@pytest.mark.slow
def test_step_proofs_native_equals_wasm(shipped_kernel: bytes) -> None:
    """Refused posts of every kind, a step proof, pending leaders and a direct commit, replayed by
    kernel_py (real crypto) and the shipped kernel: identical durable storage."""
    auth = fixture_authorities(4)
    dag = Dag(auth, signers=3)
    dag.advance()
    dag.advance({1: [[transfer(0)]]})
    partial_support(dag, 1)
    dag.advance()
    dag.advance()
    l2, l4 = dag.leader(2), dag.leader(4)
    step = dag.step_evidence(l4)
    levels = [
        preblock_messages(dag.preblock(l2, dag.direct_evidence(l2), commit=False), 1)
        + preblock_messages(dag.preblock(l4, dag.direct_evidence(l4), commit=False), 1),
        preblock_messages(dag.preblock(l2, step), 1) + preblock_messages(dag.preblock(l4, evidence(0)), 2),
    ]
    dag.advance()
    dag.advance()
    levels.append(preblock_messages(dag.preblock(dag.leader(6), dag.direct_evidence(dag.leader(6))), 3))
    dumps = []
    for kernel in (None, shipped_kernel):
        h = Harness(auth.committee, [(pk(ALICE), 1000)], kernel=kernel)
        h.run([])
        for msgs in levels:
            h.run(msgs)
        assert h.u64("/dsn/last_index") == 3 and h.u64("/rejections/count") == 2
        assert h.balance(pk(BOB)) == 1
        dumps.append(h.snapshot())
    assert dumps[0] == dumps[1]
