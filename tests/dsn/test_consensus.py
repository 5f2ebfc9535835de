"""Bullshark commit rule: support, recursive commits, sub-DAG order, GC horizon, determinism, restart."""

import random

from dsn.consensus import Bullshark, SubDag
from tests.dsn.dag import DagBuilder
from tests.dsn.preblock_rules import PreBlockChecker


def feed(b: Bullshark, certs) -> list[SubDag]:
    out = []
    for c in certs:
        out.extend(b.insert(c))
    return out


def test_leader_needs_validity_support():
    d = DagBuilder(4)
    b = Bullshark(d.committee)
    feed(b, d.full_round(1) + d.full_round(2))
    leader = d.rounds[2][1]  # (2/2) mod 4 = 1
    assert b.leader_of(2) is leader
    # one supporter (stake 1000 < validity 1334): nothing
    assert feed(b, [d.add(0, 3, [0, 1, 2])]) == []
    # a round-3 certificate that does not reference the leader does not help
    assert feed(b, [d.add(2, 3, [0, 2, 3])]) == []
    # second supporter: the leader commits, with its causal history (rounds 1 and 2 above genesis)
    out = feed(b, [d.add(3, 3, [1, 2, 3])])
    assert [s.index for s in out] == [1]
    s = out[0]
    assert s.leader is leader
    assert [(c.round, c.author) for c in s.certificates] == [(1, 0), (1, 1), (1, 2), (1, 3), (2, 1)]
    assert s.commit_timestamp == leader.created_at


def test_recursive_commit_of_linked_leader_and_skip_of_unlinked():
    d = DagBuilder(4)
    b = Bullshark(d.committee)
    feed(b, d.full_round(1) + d.full_round(2))
    # leader of round 2 (author 1) gets a single supporter: not committed at round 3
    feed(b, [d.add(0, 3, [0, 1, 2]), d.add(2, 3, [0, 2, 3]), d.add(3, 3, [0, 2, 3])])
    assert b.last_index == 0
    # round 4: leader is author 2; it references author 0's round-3 certificate, which links leader 2
    feed(b, [d.add(a, 4, [0, 2, 3]) for a in range(4)])
    out = feed(b, d.full_round(5))
    assert [(s.index, s.leader.round, s.leader.author) for s in out] == [(1, 2, 1), (2, 4, 2)]
    # the indirect commit carries the step proof: anchor (round-4 leader), its round-5 support, and its
    # causal history in rounds 1-3; the anchor itself carries its direct support
    step, direct = out[0].evidence, out[1].evidence
    assert (step.kind, step.anchor) == (2, d.rounds[4][2])
    assert step.support == [d.rounds[5][0], d.rounds[5][1]] == direct.support  # at commit time: f+1 = 2
    assert [(c.round, c.author) for c in step.history] == [(1, a) for a in range(4)] + [(2, a) for a in range(4)] \
        + [(3, 0), (3, 2), (3, 3)]
    assert (direct.kind, direct.anchor, direct.history) == (1, None, [])
    checker = PreBlockChecker(d.committee)
    for s in out:
        checker.check(d.preblock(s))
    # round 6 leader (author 3) with no support; round 8 leader (author 0) not linked to it
    feed(b, [d.add(a, 6, [0, 1, 2]) for a in range(4)])
    feed(b, [d.add(a, 7, [0, 1, 2]) for a in range(4)])  # nobody references author 3's round-6 cert
    feed(b, [d.add(a, 8) for a in range(4)])
    out = feed(b, [d.add(a, 9) for a in range(4)])
    assert [(s.index, s.leader.round) for s in out] == [(3, 8)]
    assert all(not (c.round == 6 and c.author == 3) for c in out[0].certificates)
    checker.check(d.preblock(out[0]))


def random_dag(seed: int, n: int, rounds: int, gc_depth: int = 50) -> DagBuilder:
    rng = random.Random(seed)
    d = DagBuilder(n, gc_depth)
    for a in range(n):
        d.add(a, 1)
    for r in range(2, rounds + 1):
        authors = rng.sample(range(n), rng.randint(d.quorum_size, n))
        for a in sorted(authors):
            prev = sorted(d.rounds[r - 1])
            d.add(a, r, sorted(rng.sample(prev, rng.randint(d.quorum_size, len(prev)))))
    return d


def causal_orders(d: DagBuilder, seed: int):
    """All certificates in round order, shuffled within each round (a valid causal order)."""
    rng = random.Random(seed)
    out = []
    for r in sorted(d.rounds):
        certs = list(d.rounds[r].values())
        rng.shuffle(certs)
        out.extend(certs)
    return out


def content(s: SubDag) -> tuple:
    """A sub-DAG without its evidence (which depends on when a node saw the support)."""
    return s.index, s.commit_timestamp, [c.digest for c in s.certificates]


def test_random_dags_pass_the_kernel_rules_and_are_deterministic():
    for seed in range(6):
        d = random_dag(seed, n=4 if seed % 2 else 7, rounds=40)
        results = []
        for order_seed in range(3):
            b = Bullshark(d.committee)
            results.append(feed(b, causal_orders(d, order_seed)))
        assert [content(s) for s in results[0]] == [content(s) for s in results[1]] == \
            [content(s) for s in results[2]]
        assert len(results[0]) >= 5
        # each node's pre-blocks pass the rules, and so does any mix of nodes' pre-blocks (a sequencer
        # switching export endpoints): every pre-block's evidence stands on its own
        rng = random.Random(seed)
        for pick in ([0] * len(results[0]), [1] * len(results[0]), [rng.randrange(3) for _ in results[0]]):
            checker = PreBlockChecker(d.committee)
            for i, node in enumerate(pick):
                checker.check(d.preblock(results[node][i]))


def test_gc_horizon_leaves_old_uncommitted_certificates_out():
    d = DagBuilder(4, gc_depth=2)
    b = Bullshark(d.committee)
    checker = PreBlockChecker(d.committee)
    feed(b, d.full_round(1))
    # author 3's round-2 certificate is referenced by nobody in round 3: leader 2 (author 1) commits
    feed(b, d.full_round(2))
    out = feed(b, [d.add(a, 3, [0, 1, 2]) for a in range(4)])
    for s in out:
        checker.check(d.preblock(s))
    # the horizon rises; every sub-DAG stays within it and valid under rule 4
    for r in range(4, 12):
        out = feed(b, d.full_round(r))
        for s in out:
            checker.check(d.preblock(s))
            assert min(c.round for c in s.certificates) >= max(1, s.leader.round - 2)
    assert checker.last_index == b.last_index >= 4
    assert min(b.dag) >= b.last_leader_round - 2


def test_commit_timestamp_is_monotone():
    d = DagBuilder(4)
    b = Bullshark(d.committee)
    feed(b, d.full_round(1))
    feed(b, [d.add(a, 2, created_at=50_000) for a in range(4)])
    out1 = feed(b, d.full_round(3))
    feed(b, [d.add(a, 4, created_at=80_000) for a in range(4)])  # leader: author 2
    out2 = feed(b, d.full_round(5))
    # the next leader (author 3) was created "earlier" (clock skew): the timestamp does not go back
    feed(b, [d.add(a, 6, created_at=65_000) for a in range(4)])
    out3 = feed(b, d.full_round(7))
    assert [s.commit_timestamp for s in out1 + out2 + out3] == [50_000, 80_000, 80_000]
    assert out3[0].leader.created_at == 65_000


def test_restore_and_recheck_after_restart():
    d = random_dag(3, 4, 20)
    certs = causal_orders(d, 0)
    full = Bullshark(d.committee)
    expected = feed(full, certs)
    # a node that committed the first 2 sub-DAGs, then crashed after storing every certificate
    partial = Bullshark(d.committee)
    first = []
    for c in certs:
        first.extend(partial.insert(c))
        if len(first) >= 2:
            break
    cut = first[1]
    committed = {c.digest for s in first[:2] for c in s.certificates}
    restored = Bullshark(d.committee, cut.index, cut.commit_timestamp, cut.leader.round)
    for c in certs:
        restored.restore(c, c.digest in committed)
    rest = restored.recheck()
    got = [(s.index, [c.digest for c in s.certificates]) for s in first[:2] + rest]
    want = [(s.index, [c.digest for c in s.certificates]) for s in expected]
    assert got == want
