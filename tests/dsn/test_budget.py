"""dsn/budget.py and its rules in the primary: fresh and idle header caps, the leader's pre-block
budget check (voter and proposer)."""

import dataclasses
import time

import pytest

from dsn import codec
from dsn.budget import payload_budget
from dsn.codec import Batch, Header, PayloadEntry
from dsn.primary import Verdict
from kernel_py.formats.limits import max_certificates, size_limits
from tests.dsn.test_primary import node  # noqa: F401  (fixture)


def test_figures_and_the_bound_that_keeps_commits_going() -> None:
    b = payload_budget(4, 50)
    assert (b.room, b.fresh_cap, b.idle_cap, b.dynamic) == (7_532_292, 470_768, 9_230, True)
    assert b.limits == dataclasses.replace(size_limits(4, 50), max_batch=470_768, max_header_payload=470_768)
    assert payload_budget(7, 50).fresh_cap == 239_878
    assert payload_budget(4, 4).fresh_cap == 519_185
    # a small GC depth keeps the static share (it is already above room / 4n): no dynamic rule
    for gc in (1, 2, 3):
        b = payload_budget(4, gc)
        assert not b.dynamic and b.fresh_cap == b.idle_cap == size_limits(4, gc).max_header_payload
    for n, gc in [(4, 4), (4, 10), (4, 50), (7, 50), (10, 50), (31, 20)]:
        b = payload_budget(n, gc)
        assert b.dynamic
        # after a pause of commits: 3n fresh headers and a whole window of idle ones fit the room
        assert 3 * n * b.fresh_cap + max_certificates(n, gc) * b.idle_cap <= b.room


def sized_header(d, store, author, round_, parents, size):
    """A header with one stored batch of ``size`` encoded bytes."""
    batch = codec.encode_batch(Batch([bytes([author]) * (size - 8)]))
    assert len(batch) == size
    store.put_batch(codec.digest(batch), batch)
    return Header(author, round_, 0, int(time.time() * 1000), [PayloadEntry(codec.digest(batch), 0)], sorted(parents))


def feed(d, p, store, certs):
    for c in certs:
        for e in c.certificate.header.payload:
            store.put_batch(e.digest, d.batches[e.digest])
        p.receive_certificate(c, c.author)


def test_a_header_without_a_visible_recent_commit_gets_the_idle_cap(node):  # noqa: F811
    d, p, store, _, _ = node
    b = p.budget
    feed(d, p, store, d.full_round(1) + d.full_round(2))
    leader2 = codec.leader_index(d.committee, 2)
    others = [a for a in range(4) if a != leader2]
    # round 3 without the round-2 leader among its parents: round-4 headers see no commit
    feed(d, p, store, [d.add(a, 3, others) for a in range(4)])
    author = next(a for a in range(1, 4) if a != codec.leader_index(d.committee, 4))
    parents = d.parents_of(3)
    h = sized_header(d, store, author, 4, parents, b.idle_cap + 1)
    a = p.assess_header(h, codec.header_digest(h))
    assert (a.verdict, a.reason) == (Verdict.REJECT, "payload above the header limit")
    h = sized_header(d, store, author, 4, parents, b.idle_cap)
    assert p.assess_header(h, codec.header_digest(h)).verdict is Verdict.VOTE
    assert p._header_cap(4, parents) == b.idle_cap and p._header_cap(5, parents) == b.idle_cap


def test_a_header_seeing_the_latest_leader_committed_gets_the_fresh_cap(node):  # noqa: F811
    d, p, store, _, _ = node
    b = p.budget
    feed(d, p, store, d.full_round(1) + d.full_round(2) + d.full_round(3))
    assert p.consensus.last_leader_round == 2
    author = next(a for a in range(1, 4) if a != codec.leader_index(d.committee, 4))
    h = sized_header(d, store, author, 4, d.parents_of(3), b.fresh_cap)
    assert p.assess_header(h, codec.header_digest(h)).verdict is Verdict.VOTE
    h = sized_header(d, store, author, 4, d.parents_of(3), b.fresh_cap + 1)
    assert p.assess_header(h, codec.header_digest(h)).reason == "payload above the header limit"


@pytest.mark.parametrize("slack, verdict", [(0, Verdict.VOTE), (-1, Verdict.REJECT)])
def test_a_leaders_header_must_fit_the_preblock_with_its_uncommitted_history(node, slack, verdict):  # noqa: F811
    d, p, store, _, _ = node
    feed(d, p, store, d.full_round(1) + d.full_round(2) + d.full_round(3))
    assert p.consensus.last_leader_round == 2  # its sub-DAG: round 1 and the round-2 leader
    one = len(next(iter(d.batches.values())))  # every DagBuilder batch has this size
    assert all(len(x) == one for x in d.batches.values())
    leader = codec.leader_index(d.committee, 4)
    own = 1000
    pending = 3 * one + 4 * one  # the other round-2 certificates and round 3
    p.budget = dataclasses.replace(p.budget, room=pending + own + slack)
    h = sized_header(d, store, leader, 4, d.parents_of(3), own)
    a = p.assess_header(h, codec.header_digest(h))
    assert a.verdict is verdict
    if verdict is Verdict.REJECT:
        assert a.reason == "sub-DAG above the pre-block budget"
    # the proposer leaves exactly the room its uncommitted history does not use
    assert p._pending_bytes(4, d.parents_of(3)) == pending
    p.index = leader
    assert p._proposal_cap(4, d.parents_of(3)) == max(0, own + slack)


def test_a_leaders_header_after_its_round_was_decided_gets_no_vote(node):  # noqa: F811
    d, p, store, _, _ = node
    feed(d, p, store, d.full_round(1) + d.full_round(2) + d.full_round(3) + d.full_round(4) + d.full_round(5))
    assert p.consensus.last_leader_round == 4
    h = sized_header(d, store, codec.leader_index(d.committee, 4), 4, d.parents_of(3), 100)
    assert p.assess_header(h, codec.header_digest(h)).reason == "leader round already decided"


@pytest.mark.parametrize("seed, honest", [(1, True), (2, True), (3, True), (4, False), (5, False)])
def test_no_committed_sub_dag_passes_the_room_when_an_honest_voter_checked_its_leader(tmp_path, seed, honest):
    """Random DAGs (random quorums of parents, so stragglers come and go). Each leader certificate
    exists only if the voter (index 0) voted for its header at that point; every sub-DAG then
    committed carries at most the room. Honest sizes (each header within its cap, a leader's within
    what the room leaves): commits keep going. Sizes up to a larger cap whatever a header saw
    (Byzantine authors): the room still holds, though commits may stall."""
    import random

    from dsn.config import Parameters
    from dsn.primary import Primary
    from dsn.store import Store
    from tests.dsn.dag import DagBuilder
    from tests.dsn.test_primary import FakeNet

    rng = random.Random(seed)
    d = DagBuilder(4, gc_depth=6)
    store = Store(tmp_path / "db", map_size=1 << 28)
    subdags = []
    p = Primary(d.committee, 0, d.keys[0], Parameters(), store, FakeNet(), on_commit=subdags.append)
    room = 40_000  # fresh: room / 4n; idle: a window of them (n · (gc_depth + 1) = 28) within room / 4
    # (without honest sizes, headers up to room / 6: safety rests on the leader check alone)
    p.budget = dataclasses.replace(p.budget, room=room, fresh_cap=room // (16 if honest else 6),
                                   idle_cap=room // 4 // 28)
    sizes = {}
    refused = 0
    prev: dict = {a: g for a, g in enumerate(d.genesis)}
    for r in range(1, 101):
        certs = {}
        for author in range(4):
            chosen = sorted(rng.sample(sorted(prev), k=rng.choice([3, 3, 4]))) if len(prev) > 3 else sorted(prev)
            parents = sorted(prev[a] if r == 1 else prev[a].digest for a in chosen)
            leader = r % 2 == 0 and author == codec.leader_index(d.committee, r)
            cap = p.budget.fresh_cap
            if honest:
                cap = p._header_cap(r, parents)
                if leader:
                    cap = min(cap, room - p._pending_bytes(r, parents))
            payload = []
            if cap >= 10:
                batch = codec.encode_batch(Batch([bytes([author, r]) + b"x" * (rng.randint(10, cap) - 10)]))
                store.put_batch(codec.digest(batch), batch)
                sizes[codec.digest(batch)] = len(batch)
                payload = [PayloadEntry(codec.digest(batch), 0)]
            h = Header(author, r, 0, 1000 * r + author, payload, parents)
            if leader:
                a = p.assess_header(h, codec.header_digest(h))
                if a.verdict is not Verdict.VOTE:
                    assert not honest or a.reason == "sub-DAG above the pre-block budget", a.reason
                    refused += a.reason == "sub-DAG above the pre-block budget"
                    continue  # no quorum without the honest voter: no leader certificate
            certs[author] = d.certify(h)
        for c in certs.values():
            p.receive_certificate(c, c.author)
        prev = certs
    store.close()
    for s in subdags:
        assert sum(sizes[e.digest] for c in s.certificates for e in c.certificate.header.payload) <= room
    assert refused if not honest else len(subdags) >= 40
