"""Named regressions, one per attack class of spec/commit-rule.md and for the oversized pre-block: a
hand-built DAG, Bullshark (`dsn/consensus.py`) as the oracle, the attacker's post framed like the
sequencer's (DA pages + announcement) before the honest pre-block, on the CPython kernel and the
compiled one. Each asserts the kernel's reason for refusing the post and that the honest order is
then accepted (same leaders, timestamps, transactions and state root as without the attack)."""

from __future__ import annotations

import random

import pytest

from dsn import codec
from dsn.codec import Batch, Certificate, Header, PayloadEntry, Signer
from dsn.consensus import Bullshark, Cert, SubDag
from kernel_py.da import MAX_PREBLOCK_BYTES
from kernel_py.formats.limits import size_limits
from tests.adversary.attacks import Attacker, frames_of
from tests.adversary.dagsim import KEYS, Dag, encode_subdag
from tests.adversary.harness import accepted, expected, open_rollup, run_level
from tests.kernel.doubles import fast_crypto

BYZANTINE = 3


class Scenario:
    """A 4-authority DAG built round by round; author 3 is Byzantine."""

    def __init__(self, gc_depth: int = 50, batch_bytes: int = 0) -> None:
        keys = KEYS[4]
        committee = codec.Committee(0, gc_depth, [codec.Authority(bytes(k.verify_key), 1) for k in keys])
        self.dag = Dag(committee, keys, {BYZANTINE})
        self.batch_bytes = batch_bytes
        self.genesis = codec.genesis_digests(committee)

    def add(self, author: int, r: int, parents: list[int] | None = None) -> Cert:
        """Author's certificate of round r referencing the given authors' round r-1 certificates."""
        prev = self.dag.rounds.get(r - 1, {})
        digests = self.genesis if r == 1 else [prev[a].digest for a in (sorted(prev) if parents is None else parents)]
        tx = f"regression tx {r}/{author}".encode().ljust(self.batch_bytes - 8, b".") if self.batch_bytes else \
            f"regression tx {r}/{author}".encode()
        batch = codec.encode_batch(Batch([tx]))
        self.dag.batches[codec.digest(batch)] = batch
        header = Header(author, r, 0, 1000 * r + author, [PayloadEntry(codec.digest(batch), 0)], sorted(digests))
        cert = self.dag.certify(header, [0, 1, 2])
        self.dag.rounds.setdefault(r, {})[author] = cert
        self.dag.by_digest[cert.digest] = cert
        return cert

    def full(self, r: int, parents: list[int] | None = None) -> None:
        for a in range(4):
            self.add(a, r, parents)

    def oracle(self) -> list[SubDag]:
        b = Bullshark(self.dag.committee)
        return [s for c in self.dag.all_certs() for s in b.insert(c)]


def skipped_leader_scenario() -> Scenario:
    """The issue's front-run: the round-2 leader (author 1) has one supporter in round 3 and is not
    linked from the round-4 leader (author 2), so Bullshark skips it and commits the round-4 leader."""
    s = Scenario()
    s.full(1)
    s.full(2)
    s.add(0, 3, [0, 1, 2])
    for a in (1, 2, 3):
        s.add(a, 3, [0, 2, 3])
    s.full(4, [1, 2, 3])
    s.full(5)
    s.full(6)
    s.full(7)
    return s


def indirect_scenario() -> Scenario:
    """A two-leader step: the round-2 leader has one supporter (< f+1) which the round-4 leader
    references, so Bullshark commits [round-2 leader (indirect), round-4 leader] as pre-blocks 1, 2."""
    s = Scenario()
    s.full(1)
    s.full(2)
    s.add(0, 3, [0, 1, 2])
    for a in (2, 3):
        s.add(a, 3, [0, 2, 3])
    s.full(4, [0, 2, 3])
    s.full(5)
    s.full(6)
    s.full(7)
    return s


class Chain:
    """The kernel (CPython or wasm) fed honest pre-blocks, with attacks in between."""

    def __init__(self, s: Scenario, wasm: bytes | None) -> None:
        self.s = s
        self.subdags = s.oracle()
        self.rollup = open_rollup(s.dag, wasm)
        self.attacker = Attacker(s.dag, self.subdags, random.Random(0))

    def post(self, index: int, encoded: bytes) -> str:
        """Post one pre-block; returns the kernel's verdict line (or "" if none)."""
        report = run_level(self.rollup, frames_of(index, encoded))
        return report.debug[-1].decode() if report.debug else ""

    def honest(self, i: int) -> str:
        return self.post(i, encode_subdag(self.s.dag, self.subdags[i - 1]))

    def finish(self) -> None:
        """Post the remaining honest pre-blocks; the kernel must hold exactly Bullshark's sequence."""
        last = self.rollup.read("/dsn/last_index")
        for i in range((int.from_bytes(last, "big") if last else 0) + 1, len(self.subdags) + 1):
            self.honest(i)
        assert accepted(self.rollup) == expected(self.s.dag, self.subdags)


@pytest.fixture(params=["native", pytest.param("wasm", marks=pytest.mark.slow)])
def engine(request: pytest.FixtureRequest):
    if request.param == "wasm":
        yield request.getfixturevalue("kernel_wasm")
    else:
        with fast_crypto():
            yield None


def test_front_run_of_a_skipped_leader_is_refused(engine) -> None:
    c = Chain(skipped_leader_scenario(), engine)
    leaders = [(s.index, s.leader.round, s.leader.author) for s in c.subdags]
    assert leaders[:2] == [(1, 4, 2), (2, 6, 3)]
    a = c.attacker
    skipped = c.s.dag.rounds[2][1]
    certs = a.sub_dag(skipped, 1)
    support = a.support_of(skipped)
    assert [x.author for x in support] == [0]
    later = c.subdags[0].leader
    attempts = {
        b"\x00": "no step to continue",  # the post (no evidence) and a bare "continue"
        a.direct(support): "support below validity",
        a.step(skipped, support, a.history(skipped, 0)): "support below validity",
        a.step(later, a.support_of(later), a.history(later, 0)): "leader not first in the step",
    }
    for evidence, reason in attempts.items():
        assert c.post(1, a.preblock(1, certs, evidence)) == f"rejected: pre-block 1: {reason}"
    assert c.rollup.read("/dsn/last_index") is None
    c.finish()


def test_merge_and_skip_ahead_are_refused(engine) -> None:
    c = Chain(indirect_scenario(), engine)
    first, second = c.subdags[0], c.subdags[1]
    assert (first.leader.round, first.evidence.kind, second.leader.round, second.evidence.kind) == (2, 2, 4, 1)
    a = c.attacker
    merged = a.sub_dag(second.leader, 1)
    assert first.leader in merged
    support = a.support_of(second.leader)
    assert c.post(1, a.preblock(1, merged, a.direct(support))) == "rejected: pre-block 1: merges an earlier leader"
    step = a.step(second.leader, support, a.history(second.leader, 0))
    assert c.post(1, a.preblock(1, merged, step)) == "rejected: pre-block 1: leader not first in the step"
    hiding = a.step(second.leader, support, [x for x in a.history(second.leader, 0) if x is not first.leader])
    assert c.post(1, a.preblock(1, merged, hiding)) == "rejected: pre-block 1: incomplete history"
    ahead = [x for x in merged if x.digest not in {y.digest for y in first.certificates}]
    assert c.post(1, a.preblock(1, ahead, a.direct(support))) == "rejected: pre-block 1: missing parent certificate"
    c.finish()


def test_indirect_commit_with_forged_or_duplicate_support_is_refused(engine) -> None:
    c = Chain(indirect_scenario(), engine)
    s = c.subdags[0]
    a = c.attacker
    leader = s.leader
    support = a.support_of(leader)
    assert [x.author for x in support] == [0]  # < f+1: only the anchor's step proof justifies it
    reasons = []
    reasons.append(c.post(1, a.preblock(1, s.certificates, a.direct(support))))
    # a Byzantine round-3 header referencing the leader, signed by the Byzantine key alone (author 3
    # had no round-3 certificate): below its own quorum
    h = Header(BYZANTINE, 3, 0, 3003, [], [leader.digest])
    d = codec.header_digest(h)
    fake = Cert.of(Certificate(h, [Signer(k, KEYS[4][k].sign(codec.vote_message(d)).signature if k == BYZANTINE
                                          else bytes(64)) for k in (1, 2, BYZANTINE)]))
    reasons.append(c.post(1, a.preblock(1, s.certificates, a.direct(support + [fake]))))
    # the same real supporter twice (malformed: authors must be distinct), or certificates that do not
    # reference the leader
    reasons.append(c.post(1, a.preblock(1, s.certificates, a.direct(support + support))))
    others = [x for _, x in sorted(c.s.dag.rounds[3].items())]
    reasons.append(c.post(1, a.preblock(1, s.certificates, a.direct(others))))
    assert reasons == ["rejected: pre-block 1: support below validity",
                       "rejected: pre-block 1: evidence signatures invalid",
                       "rejected: pre-block 1: malformed pre-block",
                       "rejected: pre-block 1: support misses the leader"]
    c.finish()


def test_malleated_copies_keep_the_block_identity_and_state(engine) -> None:
    honest = Chain(indirect_scenario(), engine)
    honest.finish()
    c = Chain(indirect_scenario(), engine)
    a = c.attacker
    s = c.subdags[0]
    rng = random.Random(5)
    certs = [c.s.dag.resign(x, rng) for x in s.certificates[:-1]] + [s.leader]
    anchor = c.subdags[1].leader
    support = [c.s.dag.resign(x, rng) for x in a.support_of(anchor)]
    copy = a.preblock(1, certs, a.step(anchor, support, a.history(anchor, 0)), s.commit_timestamp)
    assert copy != encode_subdag(c.s.dag, s)
    c.post(1, copy)
    assert c.rollup.read("/dsn/last_index") == (1).to_bytes(8, "big")  # the same block, other bytes
    assert c.honest(1) == "rejected: pre-block 1: unexpected pre-block index"
    c.finish()
    assert c.rollup.read("/state/root") == honest.rollup.read("/state/root")
    assert c.rollup.read("/blocks/1/root") == honest.rollup.read("/blocks/1/root")


def test_replays_and_wrong_history_are_refused(engine) -> None:
    c = Chain(indirect_scenario(), engine)
    a = c.attacker
    s = c.subdags[0]
    anchor = s.evidence.anchor
    history = a.history(anchor, 0)
    short = a.step(anchor, a.support_of(anchor), history[1:])
    assert c.post(1, a.preblock(1, s.certificates, short)) == "rejected: pre-block 1: incomplete history"
    # a round-3 header of author 1 (who made none): well-formed, but not in the anchor's causal history
    forged = c.s.dag.certify(Header(1, 3, 0, 3001, [], sorted(x.digest for x in c.s.dag.rounds[2].values())), [0, 1, 2])
    extra = sorted(history + [forged], key=lambda x: (x.round, x.author))
    assert c.post(1, a.preblock(1, s.certificates, a.step(anchor, a.support_of(anchor), extra))) == \
        "rejected: pre-block 1: history not from the anchor"
    low = a.step(anchor, a.support_of(anchor), [x for x in history if x.round > 1])
    assert c.post(1, a.preblock(1, s.certificates, low)) == "rejected: pre-block 1: incomplete history"
    assert c.post(2, encode_subdag(c.s.dag, c.subdags[1])) == "rejected: pre-block 2: unexpected pre-block index"
    c.honest(1)
    c.honest(2)
    assert c.honest(1) == "rejected: pre-block 1: unexpected pre-block index"
    c.finish()


def test_equivocating_byzantine_leader_is_refused(engine) -> None:
    c = Chain(skipped_leader_scenario(), engine)
    a = c.attacker
    # author 3 (Byzantine) leads round 6: a second round-6 header signed by its own key only
    parents = sorted(x.digest for x in c.s.dag.rounds[5].values())
    h = Header(BYZANTINE, 6, 0, 99_999, [], parents[:3])
    d = codec.header_digest(h)
    votes = c.s.dag.votes[c.s.dag.rounds[6][BYZANTINE].digest]  # real votes, for the real header
    fake = Cert.of(Certificate(h, [Signer(0, votes[0]), Signer(1, votes[1]),
                                   Signer(BYZANTINE, KEYS[4][BYZANTINE].sign(codec.vote_message(d)).signature)]))
    c.honest(1)
    certs = sorted({x.digest: x for p in parents[:3] for x in a.sub_dag(c.s.dag.by_digest[p], 2)}.values(),
                   key=lambda x: (x.round, x.author)) + [fake]
    real = c.s.dag.rounds[6][BYZANTINE]
    reason = c.post(2, a.preblock(2, certs, a.direct(a.support_of(real))))
    assert reason in ("rejected: pre-block 2: leader certificate lacks a valid quorum",
                      "rejected: pre-block 2: support misses the leader")
    c.finish()


def test_largest_preblock_the_dsn_can_commit_is_accepted_and_a_larger_one_is_not(engine) -> None:
    """Every header at the committee's payload limit (size_limits) with a long gap: the committed
    pre-block is within the kernel's limit and accepted; twice the payload (what the primary refuses
    to vote for) gives a pre-block the kernel refuses."""
    gc = 3
    limits = size_limits(4, gc)
    for batch_bytes, ok in ((limits.max_header_payload, True), (2 * limits.max_header_payload, False)):
        s = Scenario(gc_depth=gc, batch_bytes=batch_bytes)
        s.full(1)
        s.full(2)
        s.full(3, [0, 2, 3])  # the round-2 leader (author 1) is skipped: round 4's sub-DAG spans rounds 1-4
        s.full(4)
        s.full(5)
        c = Chain(s, engine)
        first = encode_subdag(s.dag, c.subdags[0])
        assert len(s.dag.batches[next(iter(s.dag.batches))]) == batch_bytes
        assert (len(first) <= MAX_PREBLOCK_BYTES) is ok
        verdict = c.post(1, first)
        if ok:
            assert len(first) > MAX_PREBLOCK_BYTES // 2 and c.rollup.read("/dsn/last_index") == (1).to_bytes(8, "big")
            c.finish()
        else:
            assert verdict == "rejected: pre-block 1: pre-block too large"
