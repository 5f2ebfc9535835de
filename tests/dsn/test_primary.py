"""Voting, certification and certificate acceptance rules of the primary, including Byzantine inputs."""

import time

import pytest

from dsn import codec
from dsn.codec import Certificate, Header, PayloadEntry, Signer
from dsn.config import Parameters
from dsn.consensus import Cert
from dsn.primary import Primary, Verdict
from dsn.signing import sign_vote, verify_vote
from dsn.store import Store
from dsn.wire import Kind, decode_digests, decode_vote, encode_vote
from dsn.worker import batch_cap
from tests.dsn.dag import DagBuilder


class FakeNet:
    def __init__(self) -> None:
        self.sent: list[tuple[int | None, Kind, bytes]] = []
        self.reply_budget = True  # what may_reply answers

    def send(self, peer, kind, body):
        self.sent.append((peer, kind, body))

    def broadcast(self, kind, body):
        self.sent.append((None, kind, body))

    def connected_peers(self):
        return []

    def may_reply(self, peer, kind):
        return self.reply_budget

    def of_kind(self, kind):
        return [(p, b) for p, k, b in self.sent if k is kind]


@pytest.fixture
def node(tmp_path):
    d = DagBuilder(4)
    store = Store(tmp_path / "db", map_size=1 << 26)
    net = FakeNet()
    p = Primary(d.committee, 0, d.keys[0], Parameters(), store, net)
    wanted = []
    p.want_batches = lambda digests, sources: wanted.append((digests, sources))
    yield d, p, store, net, wanted
    store.close()


def header_with_batch(d, store, author, round_, parents, **kw):
    h = d.header(author, round_, parents, created_at=int(time.time() * 1000), **kw)
    for e in h.payload:
        store.put_batch(e.digest, d.batches[e.digest])
    return h


def test_votes_once_per_author_and_round_and_persists_first(node):
    d, p, store, net, _ = node
    h = header_with_batch(d, store, 1, 1, d.genesis)
    hd = codec.header_digest(h)
    p.handle(1, Kind.HEADER, codec.encode_header(h))
    [(peer, body)] = net.of_kind(Kind.VOTE)
    digest, sig = decode_vote(body)
    assert peer == 1 and digest == hd and verify_vote(d.keys[0].verify_key, hd, sig)
    assert store.last_vote(1) == (1, hd)
    # the same header again: the same vote is re-sent
    p.handle(1, Kind.HEADER, codec.encode_header(h))
    assert len(net.of_kind(Kind.VOTE)) == 2
    # an equivocating header (same author and round, other content): no vote
    h2 = Header(h.author, h.round, h.epoch, h.created_at + 1, h.payload, h.parents)
    assert p.assess_header(h2, codec.header_digest(h2)).reason.endswith("(equivocation)")
    p.handle(1, Kind.HEADER, codec.encode_header(h2))
    assert len(net.of_kind(Kind.VOTE)) == 2
    assert store.last_vote(1) == (1, hd)


@pytest.mark.parametrize("mutate, reason", [
    (lambda h, d: Header(h.author, h.round, 7, h.created_at, h.payload, h.parents), "wrong epoch"),
    (lambda h, d: Header(h.author, 0, h.epoch, h.created_at, h.payload, h.parents), "round 0 is genesis"),
    (lambda h, d: Header(h.author, h.round, h.epoch, h.created_at + 60_000, h.payload, h.parents),
     "created in the future"),
    (lambda h, d: Header(h.author, h.round, h.epoch, h.created_at, h.payload, sorted(d.genesis[:2])),
     "parents below the quorum"),
    (lambda h, d: Header(h.author, h.round, h.epoch, h.created_at, h.payload, sorted([b"\x01" * 32] + d.genesis[:3])),
     "round-1 parents must be genesis certificates"),
    (lambda h, d: Header(h.author, h.round, h.epoch, h.created_at, [PayloadEntry(h.payload[0].digest, 9)],
                         h.parents), "unknown worker id"),
])
def test_rejects_bad_headers(node, mutate, reason):
    d, p, store, net, _ = node
    h = mutate(header_with_batch(d, store, 2, 1, d.genesis), d)
    a = p.assess_header(h, codec.header_digest(h))
    assert (a.verdict, a.reason) == (Verdict.REJECT, reason)
    p.handle(2, Kind.HEADER, codec.encode_header(h))
    assert net.of_kind(Kind.VOTE) == []
    assert store.last_vote(2) is None


def test_rejects_header_sent_by_another_authority(node):
    d, p, store, net, _ = node
    h = header_with_batch(d, store, 2, 1, d.genesis)
    with pytest.raises(ValueError):
        p.handle(3, Kind.HEADER, codec.encode_header(h))


def test_rejects_older_round_after_newer_vote(node):
    d, p, store, net, _ = node
    store.put_vote(2, 5, b"\x00" * 32)
    h = header_with_batch(d, store, 2, 1, d.genesis)
    assert p.assess_header(h, codec.header_digest(h)).reason == "already voted for a newer header"


def test_waits_for_missing_batches_then_votes(node):
    d, p, store, net, wanted = node
    h = d.header(1, 1, d.genesis, created_at=int(time.time() * 1000))
    batch_digest = h.payload[0].digest
    p.handle(1, Kind.HEADER, codec.encode_header(h))
    assert net.of_kind(Kind.VOTE) == [] and wanted == [([batch_digest], [1])]
    store.put_batch(batch_digest, d.batches[batch_digest])
    p.on_batch_stored(batch_digest)
    assert len(net.of_kind(Kind.VOTE)) == 1


def test_waits_for_missing_parents_and_checks_them(node):
    d, p, store, net, _ = node
    round1 = d.full_round(1)
    h = header_with_batch(d, store, 1, 2, [c.digest for c in round1])
    p.handle(1, Kind.HEADER, codec.encode_header(h))
    [(peer, body)] = net.of_kind(Kind.CERT_REQUEST)
    assert peer == 1 and sorted(decode_digests(body)) == sorted(c.digest for c in round1)
    for c in round1:
        p.handle(1, Kind.CERTIFICATE, c.encoded)
    assert len(net.of_kind(Kind.VOTE)) == 1
    # a round-3 header naming round-1 certificates as parents: wrong round
    h3 = header_with_batch(d, store, 2, 3, [c.digest for c in round1])
    assert p.assess_header(h3, codec.header_digest(h3)).reason == "parent of the wrong round"


def test_certificate_checks(node):
    d, p, store, net, _ = node
    good = d.add(1, 1)
    below = d.certify(d.header(2, 1, d.genesis), signers=[0, 1])
    forged_h = d.header(3, 1, d.genesis)
    fd = codec.header_digest(forged_h)
    forged = Cert.of(Certificate(forged_h, [Signer(i, sign_vote(d.keys[i], fd)) for i in (0, 1)]
                                 + [Signer(2, sign_vote(d.keys[3], fd))]))  # index 2 signed by key 3
    wrong_epoch = d.certify(d.header(0, 1, d.genesis, epoch=1))
    for c in (below, forged, wrong_epoch, good):
        p.handle(1, Kind.CERTIFICATE, c.encoded)
    assert list(p.certs) == [good.digest]
    assert store.get_certificate(good.digest) == good.encoded
    assert store.get_certificate(below.digest) is None


def test_certificate_with_missing_parents_is_suspended_then_accepted(node):
    d, p, store, net, _ = node
    round1 = d.full_round(1)
    child = d.add(2, 2)
    p.handle(3, Kind.CERTIFICATE, child.encoded)
    assert child.digest in p.suspended and child.digest not in p.certs
    [(peer, body)] = net.of_kind(Kind.CERT_REQUEST)
    assert peer == 3 and set(decode_digests(body)) == {c.digest for c in round1}
    for c in round1:
        p.handle(3, Kind.CERTIFICATE, c.encoded)
    assert child.digest in p.certs and not p.suspended


def test_own_header_certified_by_quorum_ignoring_duplicate_and_bad_votes(node):
    d, p, store, net, _ = node
    p._propose(0)
    [(_, body)] = net.of_kind(Kind.HEADER)
    h = codec.decode_header(body)
    hd = codec.header_digest(h)
    assert (h.author, h.round, sorted(h.parents)) == (0, 1, sorted(d.genesis))
    assert store.get_proposed(1) == body
    p.handle(1, Kind.VOTE, encode_vote(hd, sign_vote(d.keys[1], hd)))
    p.handle(1, Kind.VOTE, encode_vote(hd, sign_vote(d.keys[1], hd)))  # duplicate: counted once
    p.handle(2, Kind.VOTE, encode_vote(hd, sign_vote(d.keys[3], hd)))  # bad signature
    assert not p.certified and p.vote_stake == 2000
    p.handle(3, Kind.VOTE, encode_vote(hd, sign_vote(d.keys[3], hd)))
    assert p.certified
    [(_, cert_bytes)] = net.of_kind(Kind.CERTIFICATE)
    cert = codec.decode_certificate(cert_bytes)
    assert [s.index for s in cert.signers] == [0, 1, 3]
    assert hd in p.certs


def test_restart_resends_stored_header_instead_of_equivocating(tmp_path):
    d = DagBuilder(4)
    store = Store(tmp_path / "db", map_size=1 << 26)
    p = Primary(d.committee, 0, d.keys[0], Parameters(), store, FakeNet())
    p.report_own_batch(b"\x05" * 32, 0)
    p._propose(0)
    first = store.get_proposed(1)
    # restart: a new primary with an empty queue re-sends the stored header on recovery
    net = FakeNet()
    p2 = Primary(d.committee, 0, d.keys[0], Parameters(), store, net)
    p2.recover()
    assert [b for _, b in net.of_kind(Kind.HEADER)] == [first]
    p2._propose(0)
    assert [b for _, b in net.of_kind(Kind.HEADER)][-1] == first
    store.close()


def test_restart_keeps_batches_queued_for_a_header(tmp_path):
    d = DagBuilder(4)
    store = Store(tmp_path / "db", map_size=1 << 26)
    p = Primary(d.committee, 0, d.keys[0], Parameters(), store, FakeNet())
    p.report_own_batch(b"\x05" * 32, 0)
    p._propose(0)
    p.report_own_batch(b"\x06" * 32, 0)  # reported, then the node crashes before a header has it
    p2 = Primary(d.committee, 0, d.keys[0], Parameters(), store, FakeNet())
    p2.recover()
    assert [e.digest for e in p2.digests] == [b"\x06" * 32]
    store.close()


def test_ready_rule_waits_for_the_leader(node):
    d, p, store, net, _ = node
    for c in d.full_round(1):
        p.receive_certificate(c, 1)
    # round 2 without its leader (author 1): not ready to propose round 3
    for a in (0, 2, 3):
        p.receive_certificate(d.add(a, 2), 1)
    assert not p._ready(2)
    p.receive_certificate(d.add(1, 2), 1)
    assert p._ready(2)
    # round 3: f+1 stake referencing the leader of round 2 makes round 4 ready
    p.receive_certificate(d.add(0, 3, [0, 2, 3]), 1)
    p.receive_certificate(d.add(2, 3, [0, 2, 3]), 1)
    p.receive_certificate(d.add(3, 3, [0, 1, 2]), 1)
    assert not p._ready(3)  # 1000 for, 2000 against
    p.receive_certificate(d.add(1, 3, [1, 2, 3]), 1)
    assert p._ready(3)



def test_orphaned_own_header_has_its_batches_queued_again(node):
    d, p, store, net, _ = node
    batch = b"\x07" * 32
    p.report_own_batch(batch, 0)
    p._propose(0)
    hd = p.header_digest
    for voter in (1, 2):
        p.handle(voter, Kind.VOTE, encode_vote(hd, sign_vote(d.keys[voter], hd)))
    assert p.certified and hd in p.certs and not p.digests
    for a in (1, 2, 3):
        p.receive_certificate(d.add(a, 1), a)
    for a in range(4):  # nobody in round 2 references our round-1 certificate
        p.receive_certificate(d.add(a, 2, [1, 2, 3]), a)
    for r in (3, 4):
        for a in range(4):
            p.receive_certificate(d.add(a, r), a)
    assert p.consensus.last_leader_round == 2 and not p.digests  # round 1 is not yet 2 rounds below
    for a in range(4):
        p.receive_certificate(d.add(a, 5), a)
    assert p.consensus.last_leader_round == 4
    assert [e.digest for e in p.digests] == [batch]
    assert not store.is_committed(hd)


def certified_own_header(d, p, batch: bytes) -> bytes:
    """Node 0 proposes its round-1 header carrying ``batch`` and nodes 1 and 2 vote for it: its digest."""
    p.report_own_batch(batch, 0)
    p._propose(0)
    hd = p.header_digest
    for voter in (1, 2):
        p.handle(voter, Kind.VOTE, encode_vote(hd, sign_vote(d.keys[voter], hd)))
    return hd


def test_batches_wait_while_the_own_previous_header_is_not_an_ancestor(node):
    d, p, store, net, _ = node
    first, second = b"\x07" * 32, b"\x08" * 32
    hd = certified_own_header(d, p, first)
    assert p.certified
    for a in (1, 2, 3):
        p.receive_certificate(d.add(a, 1), a)
    for a in (1, 2, 3):  # round 2 reaches its quorum without our round-1 certificate
        p.receive_certificate(d.add(a, 2, [1, 2, 3]), a)
    p.report_own_batch(second, 0)
    p._propose(2)  # round 3: its history misses our round-1 header, still uncommitted
    assert p.header.round == 3 and p.header.payload == []
    assert [e.digest for e in p.digests] == [second] and p.metrics.headers_held_back._value.get() == 1
    for r in (3, 4, 5):  # the leader of round 4 commits; our round-1 header is left out for good
        for a in (1, 2, 3):
            p.receive_certificate(d.add(a, r), a)
    assert p.consensus.last_leader_round == 4 and not store.is_committed(hd)
    assert [e.digest for e in p.digests] == [first, second]  # queued again, before the later batch
    p._propose(5)
    assert [e.digest for e in p.header.payload] == [first, second]


@pytest.mark.parametrize("waiting", [True, False])
def test_a_header_waited_for_is_given_up_stale_depth_rounds_below_a_leader(node, waiting):
    d, p, store, net, _ = node
    first, second = b"\x07" * 32, b"\x08" * 32
    hd = certified_own_header(d, p, first)
    d.rounds[1] = {0: p.certs[hd]}
    for a in (1, 2, 3):
        p.receive_certificate(d.add(a, 1), a)
    for a in (0, 2, 3):  # round 2 without a reference to our round-1 header (author 0's is not ours)
        p.receive_certificate(d.add(a, 2, [1, 2, 3]), a)
    if waiting:
        p.report_own_batch(second, 0)
    p._propose(2)
    assert p.header.payload == [] and p.waited_for == (1 if waiting else None)
    p.receive_certificate(d.add(1, 2, [0, 1, 2]), 1)  # the only reference, never referenced itself
    for a in range(4):
        p.receive_certificate(d.add(a, 3, [0, 2, 3]), a)
    for r in range(4, 9):
        for a in range(4):
            p.receive_certificate(d.add(a, r), a)
    later = [second] if waiting else []
    assert p.consensus.last_leader_round == 6 and [e.digest for e in p.digests] == later  # still waited for
    for a in range(4):
        p.receive_certificate(d.add(a, 9), a)
    assert p.consensus.last_leader_round == 8 and not store.is_committed(hd)
    if waiting:  # given up: queued again, before the later batch
        assert [e.digest for e in p.digests] == [first, second] and 1 not in p.own_headers
    else:  # nothing waits for it: it stays (it may still be committed, a copy would be a duplicate)
        assert not p.digests and 1 in p.own_headers


def test_batches_go_when_the_own_previous_header_is_an_ancestor(node):
    d, p, store, net, _ = node
    hd = certified_own_header(d, p, b"\x07" * 32)
    d.rounds[1] = {0: p.certs[hd]}
    for a in (1, 2, 3):
        p.receive_certificate(d.add(a, 1), a)
    p.receive_certificate(d.add(1, 2, [0, 1, 2]), 1)  # one round-2 parent references our round-1 header
    for a in (2, 3):
        p.receive_certificate(d.add(a, 2, [1, 2, 3]), a)
    p.report_own_batch(b"\x08" * 32, 0)
    p._propose(2)
    assert [e.digest for e in p.header.payload] == [b"\x08" * 32]


def test_header_payload_bytes_are_bounded_by_the_committee_limit(node):
    d, p, store, net, _ = node
    limit = p.limits.max_header_payload
    assert (p.limits.max_header_batches, p.max_batches) == (32, 32)
    big = [codec.encode_batch(codec.Batch([bytes([i]) * (limit // 2 - 8)])) for i in range(3)]
    entries = []
    for b in big:
        store.put_batch(codec.digest(b), b)
        entries.append(PayloadEntry(codec.digest(b), 0))
    # voter: two half-limit batches fit, three do not
    ok = Header(2, 1, 0, int(time.time() * 1000), entries[:2], sorted(d.genesis))
    assert p.assess_header(ok, codec.header_digest(ok)).verdict is Verdict.VOTE
    h = Header(2, 1, 0, int(time.time() * 1000), entries, sorted(d.genesis))
    a = p.assess_header(h, codec.header_digest(h))
    assert (a.verdict, a.reason) == (Verdict.REJECT, "payload above the header limit")
    # proposer: the queued batches are spread over headers within the limit
    p.digests.extend(entries)
    assert p._take_payload() == entries[:2] and p._take_payload() == entries[2:] and p._take_payload() == []


def test_a_full_headers_bytes_make_a_proposal_due(tmp_path):
    d = DagBuilder(4)
    store = Store(tmp_path / "db", map_size=1 << 26)
    p = Primary(d.committee, 0, d.keys[0], Parameters(min_header_delay_ms=60_000), store, FakeNet())
    # the default batch_size (500 kB) is above the header limit: one batch fills a header
    assert p.full_header == batch_cap(Parameters(), p.limits) == p.limits.max_header_payload
    assert p.ready_bytes == p.full_header - p.full_header // 64
    p.report_own_batch(b"\x01" * 32, 0, p.ready_bytes - 2)
    p.report_own_batch(b"\x02" * 32, 0, 1)
    assert not p._enough_queued() and p._proposal_due()[0] is False
    p.report_own_batch(b"\x03" * 32, 0, 1)
    # 3 batches, far below the 32-batch threshold, but (nearly) a full header's bytes: due at once (min delay 60 s)
    assert p._enough_queued() and p._proposal_due() == (True, 0.0)
    store.close()


def test_a_queue_over_max_queued_headers_holds_clients(tmp_path):
    d = DagBuilder(4)
    store = Store(tmp_path / "db", map_size=1 << 26)
    p = Primary(d.committee, 0, d.keys[0], Parameters(max_queued_headers=2), store, FakeNet())
    backlog = []
    p.on_backlog = backlog.append
    full = p.full_header
    sizes = [full - 1, 1, full, 1]
    for i, size in enumerate(sizes, start=1):
        store.put_batch(bytes([i]) * 32, b"x" * size)
        p.report_own_batch(bytes([i]) * 32, 0, size)
    assert backlog == [False, False, False, True]  # over two full headers queued: clients wait
    assert p.queued_bytes == 2 * full + 1
    p._propose(0)
    assert [e.digest for e in p.header.payload] == [b"\x01" * 32, b"\x02" * 32]
    assert (p.queued_bytes, backlog[-1]) == (full + 1, False)  # room again
    store.close()


def test_own_vote_in_a_certificate_is_not_checked_again(node, monkeypatch):
    import dsn.signing

    d, p, store, net, _ = node
    checked = []
    real = dsn.signing.verify_vote
    monkeypatch.setattr(dsn.signing, "verify_vote", lambda k, dg, sig: checked.append(sig) or real(k, dg, sig))
    h = header_with_batch(d, store, 1, 1, d.genesis)
    p.handle(1, Kind.HEADER, codec.encode_header(h))
    [(_, vote)] = net.of_kind(Kind.VOTE)
    hd, mine = decode_vote(vote)
    cert = d.certify(h, [0, 1, 2])
    assert cert.certificate.signers[0] == Signer(0, mine)  # deterministic Ed25519: the same bytes
    p.receive_certificate(cert, 1)
    assert hd in p.certs and len(checked) == 2  # signers 1 and 2 only
    # our slot with other bytes is checked (and a bad one refused), also for a header we voted for
    h2 = header_with_batch(d, store, 2, 1, d.genesis)
    p.handle(2, Kind.HEADER, codec.encode_header(h2))
    forged = Cert.of(Certificate(h2, [Signer(0, bytes(64)), *d.certify(h2, [1, 2]).certificate.signers]))
    checked.clear()
    p.receive_certificate(forged, 2)
    assert forged.digest not in p.certs and checked[0] == bytes(64)
