"""Ordering verification, rules 1–5 (design.md, FORMATS.md §1.5): every violation is rejected and
leaves the state unchanged except for the rejection record."""

from dataclasses import replace

import pytest

from kernel_py.formats import dsn as fmt
from kernel_py.formats import tx as txf
from kernel_py.formats.dsn import Batch, Header, PayloadEntry
from tests.kernel.builders import (
    NATIVE,
    Dag,
    Harness,
    assert_rejected,
    governance_message,
    make_committee,
    next_preblock,
    pk,
    preblock_messages,
    signed_tx,
    state,
    user,
)
from tests.kernel.doubles import fast_crypto

ALICE, BOB = user(1), user(2)


@pytest.fixture
def chain():
    auth = make_committee()
    h = Harness(auth.committee, [(pk(ALICE), 1000)])
    with fast_crypto():
        h.run([])
        yield h, Dag(auth), auth


def tx(n: int) -> bytes:
    return signed_tx(ALICE, n, txf.action_transfer(pk(BOB), NATIVE, 1))


def reencode(pb: bytes, edit) -> bytes:
    ok, p = fmt.decode_preblock(pb)
    assert ok
    edit(p)
    return fmt.encode_preblock(p)


def test_accepts_consecutive_preblocks(chain):
    h, dag, _ = chain
    for i in range(3):
        pb = next_preblock(dag, [tx(i)])
        h.run(preblock_messages(pb, i + 1))
    assert h.u64("/dsn/last_index") == 3 and h.balance(pk(BOB)) == 3
    assert h.get("/rejections/count") is None


def test_rule1_index(chain):
    h, dag, _ = chain
    pb1 = next_preblock(dag, [tx(0)])
    pb2 = next_preblock(dag, [tx(1)])
    assert_rejected(h, preblock_messages(pb2, 2), b"unexpected pre-block index")
    h.run(preblock_messages(pb1, 1))
    assert_rejected(h, preblock_messages(pb1, 1), b"unexpected pre-block index")  # replay
    assert_rejected(h, preblock_messages(pb2, 3), b"announced index differs")


def test_rule2_leader_signatures(chain):
    h, dag, auth = chain
    pb = next_preblock(dag, [tx(0)])

    def forge(p):
        leader = p.certificates[-1]
        leader.signers[2] = replace(leader.signers[2], signature=bytes(64))

    assert_rejected(h, preblock_messages(reencode(pb, forge), 1), b"leader certificate lacks a valid quorum")

    def too_few(p):
        p.certificates[-1].signers = p.certificates[-1].signers[:4]

    assert_rejected(h, preblock_messages(reencode(pb, too_few), 1), b"leader certificate lacks a valid quorum")

    def outsider(p):
        leader = p.certificates[-1]
        leader.signers[4] = replace(leader.signers[4], index=9)

    assert_rejected(h, preblock_messages(reencode(pb, outsider), 1), b"leader certificate lacks a valid quorum")

    def duplicate(p):
        leader = p.certificates[-1]
        leader.signers[1] = replace(leader.signers[1], index=0)

    assert_rejected(h, preblock_messages(reencode(pb, duplicate), 1), b"malformed pre-block")
    h.run(preblock_messages(pb, 1))
    assert h.u64("/dsn/last_index") == 1


def test_rule2_scheduled_leader_and_epoch(chain):
    h, dag, auth = chain
    pb = next_preblock(dag, [])

    def wrong_leader(p):
        leader = p.certificates[-1]
        leader.header.author = 3
        signed = dag.sign(leader.header)
        p.certificates[-1] = signed

    assert_rejected(h, preblock_messages(reencode(pb, wrong_leader), 1), b"not the scheduled leader")
    other = Dag(make_committee(epoch=4))
    assert_rejected(h, preblock_messages(next_preblock(other, []), 1), b"unknown epoch")


def test_rule3_reachability_and_recommit(chain):
    h, dag, auth = chain
    # A leader whose parents are only 5 of the 7 round-1 certificates, with all 7 in the pre-block.
    dag.advance()
    round1 = sorted((c for c in dag.certs.values() if c.header.round == 1), key=lambda c: c.header.author)
    parents = sorted(fmt.header_digest(c.header) for c in round1[:5])
    leader = dag.sign(Header(1, 2, 0, 2000, [], parents))
    ev = dag.direct_evidence(leader)
    pb = fmt.encode_preblock_parts(1, 2000, [fmt.encode_certificate(c) for c in round1 + [leader]], [], ev)
    assert_rejected(h, preblock_messages(pb, 1), b"certificate outside the leader's causal history")
    good = fmt.encode_preblock_parts(1, 2000, [fmt.encode_certificate(c) for c in round1[:5] + [leader]], [], ev)
    h.run(preblock_messages(good, 1))
    assert h.u64("/dsn/last_index") == 1
    # Round-3/4 certificates with the pre-block re-including the committed round-2 leader.
    round3 = [dag.sign(Header(a, 3, 0, 3000, [], [fmt.header_digest(leader.header)])) for a in range(5)]
    leader4 = dag.sign(Header(2, 4, 0, 4000, [], sorted(fmt.header_digest(c.header) for c in round3)))
    ev4 = dag.direct_evidence(leader4)
    again = fmt.encode_preblock_parts(2, 4000, [fmt.encode_certificate(c) for c in [leader] + round3 + [leader4]], [],
                                      ev4)
    assert_rejected(h, preblock_messages(again, 2), b"certificate already committed")
    ok = fmt.encode_preblock_parts(2, 4000, [fmt.encode_certificate(c) for c in round3 + [leader4]], [], ev4)
    h.run(preblock_messages(ok, 2))
    assert h.u64("/dsn/last_index") == 2


def test_rule4_withheld_parent(chain):
    h, dag, _ = chain
    pb = next_preblock(dag, [tx(0)])

    def withhold(p):
        del p.certificates[3]

    assert_rejected(h, preblock_messages(reencode(pb, withhold), 1), b"missing parent certificate")

    def mutate(p):
        p.certificates[2].header.created_at += 1

    assert_rejected(h, preblock_messages(reencode(pb, mutate), 1), b"missing parent certificate")

    def fake_genesis(p):
        c = p.certificates[1]
        old = fmt.header_digest(c.header)
        c.header.parents = sorted(c.header.parents[:-1] + [bytes(32)])
        lh = p.certificates[-1].header
        lh.parents = sorted([fmt.header_digest(c.header)] + [d for d in lh.parents if d != old])
        p.certificates[-1] = dag.sign(lh)
        p.evidence = fmt.Evidence(1, fmt.no_anchor(), dag.support(p.certificates[-1]), [])

    assert_rejected(h, preblock_messages(reencode(pb, fake_genesis), 1), b"unknown genesis parent")


def test_rule4_gc_horizon():
    auth = make_committee(gc_depth=2)
    h = Harness(auth.committee, [(pk(ALICE), 1000)])
    dag = Dag(auth)
    with fast_crypto():
        for r in range(1, 5):
            dag.advance(absent=(1, 2) if r % 2 == 0 else ())  # no leader in rounds 2 and 4
        dag.advance({0: [[tx(0)]]})
        dag.advance()
        leader = dag.leader(6)
        pb = dag.preblock(leader, dag.step_evidence(leader))  # horizon 4, rounds 1–3 never committed
        ok, p = fmt.decode_preblock(pb)
        assert {c.header.round for c in p.certificates} == {4, 5, 6}
        assert {x.round for x in p.evidence.history} == {1, 2, 3, 4, 5}
        h.run(preblock_messages(pb, 1))
        assert h.u64("/dsn/last_index") == 1 and h.balance(pk(BOB)) == 1


def test_rule5_batches(chain):
    h, dag, _ = chain
    pb = next_preblock(dag, [tx(0), tx(1)])

    def tamper(p):
        p.batches[0] = Batch([p.batches[0].transactions[1], p.batches[0].transactions[0]])

    assert_rejected(h, preblock_messages(reencode(pb, tamper), 1), b"batch digest mismatch")

    def drop(p):
        p.batches = []

    assert_rejected(h, preblock_messages(reencode(pb, drop), 1), b"malformed pre-block")

    def timestamp(p):
        p.commit_timestamp += 1

    assert_rejected(h, preblock_messages(reencode(pb, timestamp), 1), b"wrong commit timestamp")


def test_governance_epoch_change(chain):
    h, dag, auth = chain
    h.run(preblock_messages(next_preblock(dag, [tx(0)]), 1))
    auth1 = make_committee(n=4, epoch=1)
    before = state(h)
    h.run([governance_message(auth1.committee, sender=bytes(20))])
    assert h.get("/rejections/last") == b"transfer not from the governance contract" and state(h) == before
    h.run([governance_message(auth1.committee)])
    assert h.get("/dsn/committee/1") == fmt.encode_committee(auth1.committee)
    h.run([governance_message(auth.committee)])
    assert h.get("/rejections/last") == b"committee epoch is not above the latest one"
    dag1 = Dag(auth1, signers=3)
    dag1.index, dag1.timestamp = 1, dag.timestamp
    h.run(preblock_messages(next_preblock(dag1, [tx(1)]), 2))
    assert h.u64("/dsn/last_index") == 2 and h.balance(pk(BOB)) == 2


def test_payload_entry_count_must_match(chain):
    h, dag, _ = chain
    pb = next_preblock(dag, [tx(0)])

    def extra_entry(p):
        p.certificates[0].header.payload.append(PayloadEntry(bytes(32), 0))

    assert_rejected(h, preblock_messages(reencode(pb, extra_entry), 1), b"malformed pre-block")


def test_leader_rounds_only_move_forward(chain):
    h, dag, auth = chain
    h.run(preblock_messages(next_preblock(dag, []), 1))
    leader2 = dag.leader(2)
    h.run(preblock_messages(next_preblock(dag, []), 2))
    assert h.u64("/dsn/last_index") == 2
    # A quorum-signed leader of an earlier round (already committed) cannot come after it.
    lone = fmt.encode_preblock_parts(3, dag.timestamp, [fmt.encode_certificate(leader2)], [],
                                     dag.direct_evidence(leader2))
    assert_rejected(h, preblock_messages(lone, 3), b"leader not after the last committed leader")


def test_committed_certificates_are_pruned_below_the_horizon():
    auth = make_committee(gc_depth=4)
    h = Harness(auth.committee, [(pk(ALICE), 1000)])
    dag = Dag(auth)
    with fast_crypto():
        for i in range(6):
            h.run(preblock_messages(next_preblock(dag, [tx(i)]), i + 1))
    assert h.u64("/dsn/last_index") == 6 and h.balance(pk(BOB)) == 6
    rounds = {k.split("/")[3] for k in h.snapshot() if k.startswith("/dsn/cert/")}
    assert rounds == {"8", "9", "10", "11", "12"}  # leader round 12, horizon 8
    raw = h.get("/dsn/cert_rounds")
    assert sorted(int.from_bytes(raw[i:i + 8], "big") for i in range(0, len(raw), 8)) == [8, 9, 10, 11, 12]


def test_governance_message_with_100_authorities(chain):
    h, _, _ = chain
    big = make_committee(n=100, epoch=3).committee
    msg = governance_message(big)
    assert len(msg) == 88 + 40 * 100 <= 4096
    h.run([msg])
    assert h.get("/dsn/committee/3") == fmt.encode_committee(big) and h.u64("/dsn/max_epoch") == 3
