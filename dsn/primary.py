"""The primary: proposes headers, votes, forms and accepts certificates, syncs, and drives Bullshark.

* **Proposer** (spec §2.2): a header of round R + 1 is made once certificates of round R reach the
  quorum, when ``max_header_delay`` has passed, or when enough batches are queued or
  ``min_header_delay`` has passed *and* the leader-aware "ready" rule holds. Own headers are stored
  before they are sent, and a stored header is re-sent rather than replaced (no equivocation).
* **Voter** (spec §2.4): see :meth:`Primary.assess_header`; the vote is persisted before it is sent.
* **Certifier**: votes are verified and summed by stake; at the quorum the certificate is formed.
* **Synchronizer**: certificates are verified, accepted in causal order (missing parents are
  requested and the child suspended), stored, and inserted into consensus; lagging nodes catch up
  with ``SYNC_REQUEST`` (certificates after a round, in round order), or, when peers deleted those
  rounds, from commit records (:mod:`dsn.catchup`).
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections import deque
from dataclasses import dataclass
from enum import Enum
from typing import Callable

from nacl.signing import SigningKey, VerifyKey

from dsn import codec
from dsn.budget import payload_budget
from dsn.catchup import CatchUp
from dsn.codec import Certificate, Committee, Header, PayloadEntry, Signer
from dsn.config import Parameters
from dsn.consensus import Bullshark, Cert, SubDag
from dsn.metrics import NodeMetrics
from dsn.network import Network
from dsn.signing import sign_vote, verify_certificate, verify_vote
from dsn.store import EvidenceRef, Store
from dsn.wire import (
    Kind,
    decode_blobs,
    decode_digests,
    decode_round,
    decode_vote,
    encode_blobs,
    encode_digests,
    encode_round,
    encode_vote,
)
from dsn.worker import batch_cap

log = logging.getLogger(__name__)

FUTURE_TOLERANCE_MS = 1000
NEW_ROUND_LIMIT = 1000
SYNC_BATCH = 300
ORPHAN_DEPTH = 2  # own uncommitted headers this many rounds below a committed leader have their batches re-queued
STALE_DEPTH = 6  # ... and the one a proposal waited for (with older ones), even if referenced
REQUEST_INTERVAL_S = 1.0
MAX_REMEMBERED_VOTES = 4096  # own vote signatures kept to skip their check in certificates


def now_ms() -> int:
    return int(time.time() * 1000)


class Verdict(Enum):
    VOTE = "vote"
    REJECT = "reject"
    MISSING_PARENTS = "missing parents"
    MISSING_BATCHES = "missing batches"


@dataclass
class Assessment:
    verdict: Verdict
    reason: str = ""
    missing: list[bytes] | None = None


class Primary:
    def __init__(self, committee: Committee, index: int, key: SigningKey, params: Parameters, store: Store,
                 net: Network, on_commit: Callable[[SubDag], None] = lambda s: None,
                 metrics: NodeMetrics | None = None) -> None:
        self.committee = committee
        self.metrics = metrics or NodeMetrics()
        self.n = len(committee.authorities)
        self.index = index
        self.key = key
        self.params = params
        self.store = store
        self.net = net
        self.on_commit = on_commit
        self.want_batches: Callable[[list[bytes], list[int]], None] = lambda ds, src: None
        self.stakes = [a.stake for a in committee.authorities]
        self.quorum = codec.quorum_threshold(committee)
        self.validity = codec.validity_threshold(committee)
        self.verify_keys = [VerifyKey(a.public_key) for a in committee.authorities]
        self.budget = payload_budget(self.n, committee.gc_depth)
        self.limits = self.budget.limits
        self.payload_sizes: dict[bytes, int] = {}  # certificate digest -> its batches' bytes (when all are stored)
        self.max_batches = min(params.max_header_num_of_batches, self.limits.max_header_batches)
        self.genesis = codec.genesis_digests(committee)
        self.genesis_set = set(self.genesis)
        # accepted certificates (rounds ≥ the GC round) and suspended ones
        self.certs: dict[bytes, Cert] = {}
        self.by_round: dict[int, dict[int, Cert]] = {}
        self.round_stake: dict[int, int] = {}
        self.suspended: dict[bytes, Cert] = {}
        self.waiting_on: dict[bytes, set[bytes]] = {}
        self.requested: dict[bytes, float] = {}
        self.consensus = Bullshark(committee)
        # proposer
        self.digests: deque[PayloadEntry] = deque()
        self.queued_size: dict[bytes, int] = {}  # bytes of the queued batches (those whose size is known)
        self.queued_bytes = 0
        cap = batch_cap(params, self.limits)
        self.full_header = self.limits.max_header_payload // cap * cap  # bytes of a header filled with whole batches
        # queued bytes that make a header ready: a full header less 1/64 (batches sealed at the cap fall
        # short of it by up to a transaction each)
        self.ready_bytes = self.full_header - self.full_header // 64
        self.backlog_limit = params.max_queued_headers * self.full_header
        self.on_backlog: Callable[[bool], None] = lambda full: None  # the worker holds client submits while full
        self.last_proposed_round = 0
        self.round_started = time.monotonic()
        self.own_headers: dict[int, Header] = {}
        self.waited_for: int | None = None  # round of the own header the last proposal held its batches back for
        self.proposer_wake = asyncio.Event()
        # certifier
        self.header: Header | None = None
        self.header_digest = b""
        self.votes: dict[int, bytes] = {}
        self.vote_stake = 0
        self.certified = False
        self.header_sent_at = 0.0
        # voter: the latest header per author that waits for parents or batches
        self.parked: dict[int, tuple[Header, bytes]] = {}
        self.my_votes: dict[bytes, bytes] = {}  # header digest -> our vote's signature, until its certificate arrives
        self.last_progress = time.monotonic()
        self.tasks: list[asyncio.Task] = []
        self.catchup = CatchUp(self)

    # start-up and recovery -----------------------------------------------------------------------
    def recover(self) -> list[SubDag]:
        """Rebuild the DAG, consensus state and proposer from the store; return sub-DAGs the
        recovered DAG commits (normally none)."""
        self._load_dag()
        for cert in self.certs.values():
            if cert.author == self.index and not self.store.is_committed(cert.digest):
                self.own_headers[cert.round] = cert.certificate.header
        self.last_proposed_round = self.store.last_proposed_round()
        own = self.store.get_proposed(self.last_proposed_round) if self.last_proposed_round else None
        if own is not None:
            h = codec.decode_header(own)
            self.own_headers[h.round] = h
            if self.by_round.get(h.round, {}).get(self.index) is None:
                self._start_certifying(h)
        in_headers = {e.digest for h in self.own_headers.values() for e in h.payload}
        self._queue([PayloadEntry(d, w) for d, w in self.store.queued() if d not in in_headers])
        subdags = self.consensus.recheck()
        for s in subdags:
            self._committed(s)
        return subdags

    def _load_dag(self, committed_only: bool = False) -> None:
        """Consensus state from the last stored commit, and the stored certificates from the GC round
        on (``committed_only``: those of committed sub-DAGs, a causally closed set)."""
        last = self.store.last_commit_index()
        self.consensus = Bullshark(self.committee)
        if last:
            ts, leader_round, _ = self.store.get_commit(last)
            self.consensus = Bullshark(self.committee, last, ts, leader_round)
        for encoded in self.store.certificates_after(self.consensus.gc_round - 1, 1 << 62):
            cert = Cert.decode(encoded)
            committed = self.store.is_committed(cert.digest)
            if committed or not committed_only:
                self._index(cert)
                self.consensus.restore(cert, committed)

    def adopt(self, s: SubDag) -> None:
        """Record a sub-DAG adopted by the catch-up (its certificates are stored) as committed."""
        c = self.consensus
        c.last_index, c.last_timestamp, c.last_leader_round = s.index, s.commit_timestamp, s.leader.round
        self._committed(s)

    def reload(self) -> None:
        """Rebuild the DAG and consensus from the store after the catch-up adopted sub-DAGs. Only
        committed certificates come back: the others (evidence, older uncommitted ones) may lack
        ancestors this node never received, so they are synced again and accepted parents first."""
        self.certs.clear()
        self.payload_sizes.clear()
        self.by_round.clear()
        self.round_stake.clear()
        self.suspended.clear()
        self.waiting_on.clear()
        self.requested.clear()
        self._load_dag(committed_only=True)
        self.proposer_wake.set()

    def request_sync(self) -> None:
        """Ask a connected peer for the certificates above our sync point."""
        peers = self.net.connected_peers()
        if peers:
            self.net.send(random.choice(peers), Kind.SYNC_REQUEST, encode_round(self._sync_point()))
            self.metrics.sync_requests_sent.inc()

    def start(self) -> None:
        self.tasks = [asyncio.create_task(self._proposer_loop()), asyncio.create_task(self._maintenance_loop())]

    async def stop(self) -> None:
        for t in self.tasks:
            t.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)

    def on_connect(self, peer: int) -> None:
        """A connection to ``peer`` is up: ask it for the certificates we may have missed."""
        self.net.send(peer, Kind.SYNC_REQUEST, encode_round(self._sync_point()))
        self.metrics.sync_requests_sent.inc()
        if self.header is not None and not self.certified:
            self.net.send(peer, Kind.HEADER, codec.encode_header(self.header))

    # messages ------------------------------------------------------------------------------------
    def handle(self, peer: int, kind: Kind, body: bytes) -> None:
        if kind is Kind.HEADER:
            h = codec.decode_header(body)
            if h.author != peer:
                raise ValueError(f"header of {h.author} sent by {peer}")
            self._on_header(h, codec.digest(body))
        elif kind is Kind.VOTE:
            digest, sig = decode_vote(body)
            self._on_vote(peer, digest, sig)
        elif kind is Kind.CERTIFICATE:
            self.receive_certificate(Cert.decode(body), peer)
        elif kind is Kind.CERTIFICATES:
            certs = sorted((Cert.decode(b) for b in decode_blobs(body)), key=lambda c: c.round)
            for c in certs:
                self.receive_certificate(c, peer)
            if len(certs) >= SYNC_BATCH:
                self.net.send(peer, Kind.SYNC_REQUEST, encode_round(certs[-1].round))
                self.metrics.sync_requests_sent.inc()
        elif kind is Kind.CERT_REQUEST:
            found = [self._certificate_bytes(d) for d in decode_digests(body)]
            self.net.send(peer, Kind.CERTIFICATES, encode_blobs([b for b in found if b is not None]))
        elif kind is Kind.SYNC_REQUEST:
            after = decode_round(body)
            notice = self.catchup.pruned_notice(after)
            if notice is not None:
                self.net.send(peer, Kind.PRUNED, notice)
            else:
                self.net.send(peer, Kind.CERTIFICATES, encode_blobs(self.store.certificates_after(after, SYNC_BATCH)))
        elif kind is Kind.PRUNED:
            self.catchup.on_pruned(peer, body)
        elif kind is Kind.COMMIT_REQUEST:
            self.catchup.serve(peer, decode_round(body))
        elif kind is Kind.COMMITS:
            self.catchup.on_records(peer, body)

    def _certificate_bytes(self, digest: bytes) -> bytes | None:
        c = self.certs.get(digest)
        return c.encoded if c is not None else self.store.get_certificate(digest)

    # voting --------------------------------------------------------------------------------------
    def assess_header(self, h: Header, digest: bytes) -> Assessment:
        """Every voting rule of spec §2.4 except sender authentication (the network layer's job)."""
        if h.epoch != self.committee.epoch:
            return Assessment(Verdict.REJECT, "wrong epoch")
        if h.author >= self.n:
            return Assessment(Verdict.REJECT, "unknown author")
        if h.round < 1:
            return Assessment(Verdict.REJECT, "round 0 is genesis")
        if h.round > self._highest_round() + NEW_ROUND_LIMIT:
            return Assessment(Verdict.REJECT, "round too far ahead")
        if h.created_at > now_ms() + FUTURE_TOLERANCE_MS:
            return Assessment(Verdict.REJECT, "created in the future")
        if len(h.payload) > self.max_batches:
            return Assessment(Verdict.REJECT, "too many batches")
        if any(e.worker_id != 0 for e in h.payload):
            return Assessment(Verdict.REJECT, "unknown worker id")
        last = self.store.last_vote(h.author)
        if last is not None:
            last_round, last_digest = last
            if h.round < last_round:
                return Assessment(Verdict.REJECT, "already voted for a newer header")
            if h.round == last_round:
                if last_digest == digest:
                    return Assessment(Verdict.VOTE, "vote re-sent")
                return Assessment(Verdict.REJECT, "already voted for another header in this round (equivocation)")
        if h.round == 1:
            if not all(p in self.genesis_set for p in h.parents):
                return Assessment(Verdict.REJECT, "round-1 parents must be genesis certificates")
            stake = sum(self.stakes[self.genesis.index(p)] for p in h.parents)
        else:
            missing = [p for p in h.parents if p not in self.certs]
            if missing:
                return Assessment(Verdict.MISSING_PARENTS, "parents unknown", missing)
            parents = [self.certs[p] for p in h.parents]
            if any(p.round != h.round - 1 for p in parents):
                return Assessment(Verdict.REJECT, "parent of the wrong round")
            if len({p.author for p in parents}) != len(parents):
                return Assessment(Verdict.REJECT, "two parents of one author")
            if any(p.created_at > h.created_at for p in parents):
                return Assessment(Verdict.REJECT, "created before a parent")
            stake = sum(self.stakes[p.author] for p in parents)
        if stake < self.quorum:
            return Assessment(Verdict.REJECT, "parents below the quorum")
        missing = [e.digest for e in h.payload if not self.store.has_batch(e.digest)]
        if missing:
            return Assessment(Verdict.MISSING_BATCHES, "batches unavailable", missing)
        payload = self._payload_bytes(h.payload)
        if payload > self._header_cap(h.round, h.parents):
            return Assessment(Verdict.REJECT, "payload above the header limit")
        if self._is_leader_header(h):
            if self.consensus.last_leader_round >= h.round:
                return Assessment(Verdict.REJECT, "leader round already decided")
            if payload + self._pending_bytes(h.round, h.parents) > self.budget.room:
                return Assessment(Verdict.REJECT, "sub-DAG above the pre-block budget")
        return Assessment(Verdict.VOTE)

    # payload budget (dsn/budget.py) ----------------------------------------------------------------
    def _is_leader_header(self, h: Header) -> bool:
        return (self.budget.dynamic and h.round % 2 == 0
                and codec.leader_index(self.committee, h.round) == h.author)

    def _header_cap(self, round_: int, parents: list[bytes]) -> int:
        """A header's payload cap: fresh when its history shows the latest earlier leader committed."""
        b = self.budget
        if not b.dynamic or self._commit_visible(round_, parents):
            return b.fresh_cap
        return b.idle_cap

    def _commit_visible(self, round_: int, parents: list[bytes]) -> bool:
        """Whether the history of a round-``round_`` header with ``parents`` holds the leader of the
        highest even round ≤ ``round_ − 2`` and validity stake of next-round certificates referencing it."""
        lr = (round_ - 2) // 2 * 2
        if lr < 2:
            return True
        level = {p for p in parents if p in self.certs}
        for _ in range(round_ - 1, lr + 1, -1):  # down to the support round lr + 1
            level = {g for p in level for g in self.certs[p].parents if g in self.certs}
        leader_index = codec.leader_index(self.committee, lr)
        leader = self.by_round.get(lr, {}).get(leader_index) if leader_index >= 0 else None
        if leader is None:
            return False
        support = sum(self.stakes[self.certs[d].author] for d in level if leader.digest in self.certs[d].parents)
        return support >= self.validity

    def _pending_bytes(self, round_: int, parents: list[bytes]) -> int:
        """Batch bytes of the history below a round-``round_`` header with ``parents``, down to its GC
        horizon, that this node has not committed (a certificate whose batches are not all stored
        counts as the fresh cap, the most a voter accepts). Committed certificates end the walk: their
        ancestors in the horizon were committed with them or before."""
        horizon = max(1, round_ - self.consensus.gc_depth)
        committed = self.consensus.committed
        seen: set[bytes] = set()
        stack = [p for p in parents if p not in committed]
        total = 0
        while stack:
            d = stack.pop()
            if d in seen:
                continue
            seen.add(d)
            cert = self.certs.get(d)
            if cert is None or cert.round < horizon:
                continue
            total += self._cert_payload(cert)
            stack.extend(p for p in cert.parents if p not in committed and p not in seen)
        return total

    def _cert_payload(self, cert: Cert) -> int:
        size = self.payload_sizes.get(cert.digest)
        if size is None:
            sizes = [self.store.batch_size(e.digest) for e in cert.certificate.header.payload]
            if any(s is None for s in sizes):
                return self.budget.fresh_cap
            size = self.payload_sizes[cert.digest] = sum(sizes)  # type: ignore[arg-type]
        return size

    def _payload_bytes(self, payload: list[PayloadEntry]) -> int:
        """Total bytes of the stored batches of a header payload (own queued batches are always stored)."""
        return sum(self.store.batch_size(e.digest) or 0 for e in payload)

    def _on_header(self, h: Header, digest: bytes) -> None:
        self._act(h, digest, self.assess_header(h, digest))

    def _act(self, h: Header, digest: bytes, a: Assessment) -> None:
        """Vote, refuse, or park the header (the latest one per author) and fetch what it lacks."""
        parked = self.parked.get(h.author)
        if a.verdict is Verdict.VOTE or a.verdict is Verdict.REJECT:
            voted = a.verdict is Verdict.VOTE
            if parked is not None and (parked[1] == digest or (voted and parked[0].round <= h.round)):
                del self.parked[h.author]
            if voted:
                self.store.put_vote(h.author, h.round, digest)  # persisted before it is sent
                signature = sign_vote(self.key, digest)
                if len(self.my_votes) >= MAX_REMEMBERED_VOTES:
                    self.my_votes.clear()
                self.my_votes[digest] = signature
                self.net.send(h.author, Kind.VOTE, encode_vote(digest, signature))
                self.metrics.votes_sent.inc()
            else:
                log.info("no vote for %d's header of round %d: %s", h.author, h.round, a.reason)
            return
        if parked is None or parked[0].round <= h.round:
            self.parked[h.author] = (h, digest)
        if a.verdict is Verdict.MISSING_PARENTS:
            self._request_certificates(h.author, a.missing)
        else:
            self.want_batches(a.missing, [h.author])

    def _retry_parked(self) -> None:
        for h, digest in list(self.parked.values()):
            a = self.assess_header(h, digest)
            if a.verdict is Verdict.VOTE or a.verdict is Verdict.REJECT:
                self._act(h, digest, a)

    def on_batch_stored(self, digest: bytes) -> None:
        if self.parked:
            self._retry_parked()

    # certifying own headers ------------------------------------------------------------------------
    def _start_certifying(self, h: Header) -> None:
        self.header = h
        self.header_digest = codec.header_digest(h)
        self.votes = {self.index: sign_vote(self.key, self.header_digest)}
        self.vote_stake = self.stakes[self.index]
        self.certified = False
        self.store.put_vote(self.index, h.round, self.header_digest)
        self.net.broadcast(Kind.HEADER, codec.encode_header(h))
        self.header_sent_at = time.monotonic()
        self._maybe_certify()

    def _on_vote(self, peer: int, digest: bytes, sig: bytes) -> None:
        if self.certified or digest != self.header_digest or peer in self.votes:
            return  # stale, or a duplicate vote
        if not verify_vote(self.verify_keys[peer], digest, sig):
            log.warning("bad vote signature from %d", peer)
            return
        self.votes[peer] = sig
        self.vote_stake += self.stakes[peer]
        self._maybe_certify()

    def _maybe_certify(self) -> None:
        if self.certified or self.vote_stake < self.quorum:
            return
        self.certified = True
        self.metrics.certificates_formed.inc()
        signers = [Signer(i, self.votes[i]) for i in sorted(self.votes)]
        cert = Cert.of(Certificate(self.header, signers))
        self.net.broadcast(Kind.CERTIFICATE, cert.encoded)
        self._accept([cert])

    # accepting certificates --------------------------------------------------------------------------
    def receive_certificate(self, cert: Cert, peer: int) -> None:
        """Verify a certificate and accept it once its parents are accepted."""
        d = cert.digest
        if d in self.certs or d in self.suspended or cert.round < self.consensus.gc_round:
            return
        if cert.round > self._highest_round() + NEW_ROUND_LIMIT:
            return
        mine = self.my_votes.pop(d, None)  # our own signature in it needs no check
        if not verify_certificate(self.committee, self.verify_keys, cert.certificate, d,
                                  None if mine is None else (self.index, mine)):
            log.warning("invalid certificate from %d (round %d, author %d)", peer, cert.round, cert.author)
            return
        missing = self._missing_parents(cert)
        if missing:
            self.suspended[d] = cert
            for m in missing:
                self.waiting_on.setdefault(m, set()).add(d)
            self._request_certificates(peer, missing)
            return
        self._accept([cert])

    def _request_certificates(self, peer: int, digests: list[bytes]) -> None:
        """Ask ``peer`` for the certificates among ``digests`` not requested in the last second."""
        now = time.monotonic()
        fresh = [d for d in digests if now - self.requested.get(d, -REQUEST_INTERVAL_S) >= REQUEST_INTERVAL_S]
        for d in fresh:
            self.requested[d] = now
        if fresh:
            self.net.send(peer, Kind.CERT_REQUEST, encode_digests(fresh))
            self.metrics.sync_requests_sent.inc()

    def _missing_parents(self, cert: Cert) -> list[bytes]:
        if cert.round == 1 or cert.round - 1 < self.consensus.gc_round:
            return []
        return [p for p in cert.parents if p not in self.certs]

    def _parents_valid(self, cert: Cert) -> bool:
        if cert.round == 1:
            parents = [self.genesis.index(p) for p in cert.parents if p in self.genesis_set]
            if len(parents) != len(cert.parents):
                return False
            return sum(self.stakes[a] for a in parents) >= self.quorum
        if cert.round - 1 < self.consensus.gc_round:
            return True
        ps = [self.certs[p] for p in cert.parents]
        return all(p.round == cert.round - 1 for p in ps) and sum(self.stakes[p.author] for p in ps) >= self.quorum

    def _accept(self, work: list[Cert]) -> None:
        while work:
            cert = work.pop()
            if cert.digest in self.certs:
                continue
            if self.by_round.get(cert.round, {}).get(cert.author) is not None:
                log.error("second certificate of %d in round %d: ignored", cert.author, cert.round)
                continue
            if not self._parents_valid(cert):
                log.warning("certificate with invalid parents (round %d, author %d)", cert.round, cert.author)
                continue
            self.store.put_certificate(cert.digest, cert.round, cert.author, cert.encoded)
            self.metrics.certificates_accepted.inc()
            self._index(cert)
            self.last_progress = time.monotonic()
            payload = [e.digest for e in cert.certificate.header.payload]
            if payload:  # the worker fetches those it does not hold
                self.want_batches(payload, [cert.author] + [s.index for s in cert.certificate.signers])
            for s in self.consensus.insert(cert):
                self._committed(s)
            for child in self.waiting_on.pop(cert.digest, ()):
                c = self.suspended.get(child)
                if c is not None and not self._missing_parents(c):
                    del self.suspended[child]
                    work.append(c)
        self._prune()
        self.proposer_wake.set()
        if self.parked:
            self._retry_parked()

    def _index(self, cert: Cert) -> None:
        self.certs[cert.digest] = cert
        self.by_round.setdefault(cert.round, {})[cert.author] = cert
        self.round_stake[cert.round] = self.round_stake.get(cert.round, 0) + self.stakes[cert.author]

    def _committed(self, s: SubDag) -> None:
        digests = [c.digest for c in s.certificates]
        batches = [e.digest for c in s.certificates for e in c.certificate.header.payload]
        e = s.evidence
        evidence = EvidenceRef(e.kind, e.anchor.digest if e.anchor is not None else b"",
                               [c.digest for c in e.support], [c.digest for c in e.history])
        self.store.put_commit(s.index, s.commit_timestamp, s.leader.round, digests, evidence, batches)
        own = [e.digest for c in s.certificates if c.author == self.index for e in c.certificate.header.payload]
        if own:
            self.store.delete_queued(own)
        self._requeue_orphans(s.leader.round)
        self._count_commit(s)
        self.on_commit(s)

    def _count_commit(self, s: SubDag) -> None:
        m, now = self.metrics, now_ms()
        m.commits.inc()
        m.committed_certificates.inc(len(s.certificates))
        for c in s.certificates:
            m.commit_latency.observe(max(0, now - c.created_at) / 1000)

    def _requeue_orphans(self, leader_round: int) -> None:
        """Put back the batches of own headers that will not be committed: uncommitted at least
        ORPHAN_DEPTH rounds below a committed leader and referenced by no certificate of the next
        round (so no later leader can reach them), or below the GC horizon. The header the last
        proposal waited for (:meth:`_own_header_to_wait_for`) is given up with every older uncommitted
        one once STALE_DEPTH rounds below a committed leader: a certificate referencing it may itself
        never be committed. Batches go back before the others in the order they were queued (a
        header given up but committed after all adds duplicates)."""
        horizon = leader_round - self.consensus.gc_depth
        pending: list[int] = []
        for r in sorted(r for r in self.own_headers if r <= leader_round - ORPHAN_DEPTH):
            if self.header is not None and r == self.header.round and not self.certified:
                continue  # still collecting votes; abandoned headers are handled by the proposer
            if self.store.is_committed(codec.header_digest(self.own_headers[r])):
                del self.own_headers[r]
            else:
                pending.append(r)
        if not pending:
            return
        stale = self.waited_for
        if stale is not None and stale <= leader_round - STALE_DEPTH and stale in pending:
            given_up = [r for r in pending if r <= stale]
            self.waited_for = None
        else:
            given_up = []
            for r in pending:
                d = codec.header_digest(self.own_headers[r])
                if r < horizon or not any(d in c.parents for c in self.by_round.get(r + 1, {}).values()):
                    given_up.append(r)
        if given_up:
            self._queue([e for r in given_up for e in self.own_headers.pop(r).payload], front=True)

    def _prune(self) -> None:
        gc = self.consensus.gc_round
        for r in [r for r in self.by_round if r < gc - 1]:
            for c in self.by_round.pop(r).values():
                self.certs.pop(c.digest, None)
                self.payload_sizes.pop(c.digest, None)
            self.round_stake.pop(r, None)
        stale = [d for d, c in self.suspended.items() if c.round < gc]
        for d in stale:
            del self.suspended[d]
        if stale:
            self.waiting_on = {m: kids for m, kids in self.waiting_on.items() if kids & self.suspended.keys()}
        if len(self.requested) > 10_000:
            self.requested.clear()

    def _highest_round(self) -> int:
        return max(self.by_round, default=0)

    def _sync_point(self) -> int:
        return max(self.consensus.gc_round - 1, self._highest_round() - 2, 0)

    # proposer ----------------------------------------------------------------------------------------
    def report_own_batch(self, digest: bytes, worker_id: int, size: int | None = None) -> None:
        """A batch of our worker (``size`` bytes) reached its quorum: queue it for a header (persisted
        until committed)."""
        self.store.put_queued(digest, worker_id)
        self._queue([PayloadEntry(digest, worker_id)], sizes=[size])
        if self._enough_queued():
            self.proposer_wake.set()

    def _queue(self, entries: list[PayloadEntry], front: bool = False, sizes: list[int | None] | None = None) -> None:
        """Queue batches for headers (``front``: before the others, in order) and track the backlog's bytes."""
        for e, size in zip(entries, sizes or [None] * len(entries)):
            if e.digest not in self.queued_size:
                size = size if size is not None else self._payload_bytes([e])
                self.queued_size[e.digest] = size
                self.queued_bytes += size
        if front:
            self.digests.extendleft(reversed(entries))
        else:
            self.digests.extend(entries)
        self._report_backlog()

    def _dequeue(self) -> PayloadEntry:
        e = self.digests.popleft()
        self.queued_bytes -= self.queued_size.pop(e.digest, 0)
        return e

    def _report_backlog(self) -> None:
        self.on_backlog(self.queued_bytes > self.backlog_limit)

    def _enough_queued(self) -> bool:
        """Whether the queued batches make a header ready: the batch threshold, or (nearly) a full header's bytes."""
        return (len(self.digests) >= self.params.header_num_of_batches_threshold
                or self.queued_bytes >= self.ready_bytes)

    def _parent_round(self) -> int:
        """The highest round whose certificates reach the quorum (0: genesis)."""
        for r in sorted(self.round_stake, reverse=True):
            if self.round_stake[r] >= self.quorum:
                return r
        return 0

    def _ready(self, parent_round: int) -> bool:
        """The Bullshark "ready" rule for proposing round ``parent_round + 1`` (spec §2.2)."""
        parents = self.by_round.get(parent_round, {})
        if parent_round == 0:
            return True
        if parent_round % 2 == 0:
            return codec.leader_index(self.committee, parent_round) in parents
        if codec.leader_index(self.committee, parent_round + 1) == self.index:
            return True
        leader_index = codec.leader_index(self.committee, parent_round - 1)
        leader = self.by_round.get(parent_round - 1, {}).get(leader_index) if leader_index >= 0 else None
        if leader is None:
            return True
        support = sum(self.stakes[c.author] for c in parents.values() if leader.digest in c.parents)
        against = sum(self.stakes[c.author] for c in parents.values() if leader.digest not in c.parents)
        return support >= self.validity or against >= self.quorum

    def _delays(self, next_round: int) -> tuple[float, float]:
        """(min, max) header delay in seconds; the next even round's leader hurries."""
        if codec.leader_index(self.committee, next_round) == self.index:
            return 0.0, self.params.max_header_delay_ms / 2000
        return self.params.min_header_delay_ms / 1000, self.params.max_header_delay_ms / 1000

    def _proposal_due(self) -> tuple[bool, float]:
        """Whether to propose now, else how long until the next timer fires."""
        parent_round = self._parent_round()
        if parent_round + 1 <= self.last_proposed_round:
            return False, 3600.0
        min_delay, max_delay = self._delays(parent_round + 1)
        elapsed = time.monotonic() - self.round_started
        if elapsed >= max_delay:
            return True, 0.0
        enough = self._enough_queued()
        if (enough or elapsed >= min_delay) and self._ready(parent_round):
            return True, 0.0
        return False, (min_delay - elapsed if elapsed < min_delay else max_delay - elapsed)

    async def _proposer_loop(self) -> None:
        while True:
            due, wait = self._proposal_due()
            if due:
                self._propose(self._parent_round())
                continue
            self.proposer_wake.clear()
            try:  # not asyncio.wait_for: on 3.11 it drops a cancel that coincides with the wake-up (a hung stop)
                async with asyncio.timeout(max(wait, 0.001)):
                    await self.proposer_wake.wait()
            except TimeoutError:
                pass

    def _propose(self, parent_round: int) -> None:
        new_round = parent_round + 1
        if self.header is not None and not self.certified:
            self._queue(self.header.payload, front=True)  # abandoned: its batches go again
            self.own_headers.pop(self.header.round, None)
        stored = self.store.get_proposed(new_round)
        if stored is not None:
            h = codec.decode_header(stored)  # proposed before a restart: never propose another
        else:
            if parent_round == 0:
                parents = sorted(self.genesis)
                created_at = now_ms()
            else:
                certs = self.by_round[parent_round].values()
                parents = sorted(c.digest for c in certs)
                created_at = max(now_ms(), max(c.created_at for c in certs))
            waited_for = self._own_header_to_wait_for(new_round, parents) if self.digests else None
            payload = self._take_payload(self._proposal_cap(new_round, parents)) if waited_for is None else []
            self.waited_for = waited_for
            if waited_for is not None:
                self.metrics.headers_held_back.inc()
            h = Header(self.index, new_round, self.committee.epoch, created_at, payload, parents)
            self.store.put_proposed(new_round, codec.encode_header(h))
        self.last_proposed_round = new_round
        self.round_started = time.monotonic()
        self.own_headers[new_round] = h
        self.metrics.headers_proposed.inc()
        self._start_certifying(h)

    def _own_header_to_wait_for(self, round_: int, parents: list[bytes]) -> int | None:
        """The round of our latest certified header with batches if it is neither committed nor an
        ancestor of a round-``round_`` header with ``parents``: then the new header carries no batches.
        Otherwise whatever commits the new header commits that one first (or in the same sub-DAG, where
        rounds ascend), so a node's batches are committed in the order it queued them. A header waited
        for is committed, or its batches are queued again (:meth:`_requeue_orphans`)."""
        for r in sorted(self.own_headers, reverse=True):
            if r >= round_ or not self.own_headers[r].payload:
                continue
            cert = self.by_round.get(r, {}).get(self.index)
            if cert is None or cert.digest in self.consensus.committed or self.store.is_committed(cert.digest):
                return None  # committed, or below the GC horizon (it can no longer be committed)
            level = set(parents)
            for _ in range(round_ - 1, r, -1):  # from the parents' round down to round r
                level = {g for d in level if d in self.certs for g in self.certs[d].parents}
            return None if cert.digest in level else r
        return None

    def _proposal_cap(self, round_: int, parents: list[bytes]) -> int:
        """The payload bytes our header of ``round_`` with ``parents`` may carry: its cap, and for a
        leader's header what the pre-block budget leaves after the uncommitted history."""
        cap = self._header_cap(round_, parents)
        if self.budget.dynamic and round_ % 2 == 0 and codec.leader_index(self.committee, round_) == self.index:
            cap = min(cap, self.budget.room - self._pending_bytes(round_, parents))
        return max(cap, 0)

    def _take_payload(self, cap: int | None = None) -> list[PayloadEntry]:
        """Queued batches for a new header, oldest first, within the batch count and ``cap`` bytes
        (default: the largest header payload)."""
        cap = self.limits.max_header_payload if cap is None else cap
        payload: list[PayloadEntry] = []
        total = 0
        while self.digests and len(payload) < self.max_batches:
            first = self.digests[0].digest
            size = self.queued_size[first] if first in self.queued_size else self._payload_bytes([self.digests[0]])
            if total + size > cap:
                break
            payload.append(self._dequeue())
            total += size
        self._report_backlog()
        return payload

    # maintenance: header re-sends, catch-up ------------------------------------------------------------
    async def _maintenance_loop(self) -> None:
        period = self.params.sync_retry_delay_ms / 1000
        while True:
            await asyncio.sleep(period)
            now = time.monotonic()
            if self.header is not None and not self.certified and now - self.header_sent_at >= period:
                encoded = codec.encode_header(self.header)
                for peer in range(self.n):
                    if peer != self.index and peer not in self.votes:
                        self.net.send(peer, Kind.HEADER, encoded)
                self.header_sent_at = now
            self.catchup.tick()
            if now - self.last_progress >= period:
                peers = self.net.connected_peers()
                self.request_sync()
                for c in list(self.suspended.values()):
                    missing = self._missing_parents(c)
                    if missing and peers:
                        self._request_certificates(random.choice(peers), missing)
