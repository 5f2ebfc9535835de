"""Bullshark (partially synchronous) over the local DAG of certificates.

Leaders live in even rounds ≥ 2 (schedule of FORMATS §1.4). Inserting a certificate of round
r + 1 may commit the leader of round r once certificates of round r + 1 with at least f+1
(validity) stake reference it; earlier uncommitted leaders linked to it by parent paths are
committed first. Each committed leader yields one sub-DAG: its causal history of rounds ≥ the GC
horizon ``max(1, leader.round − gc_depth)`` minus everything committed before, sorted by
``(round, author)`` (the leader is last), with indices from 1 and a monotone commit timestamp.

Each sub-DAG carries evidence the kernel checks (FORMATS §1.5). The leaders committed by one anchor
(a leader with direct support) form a *step*. Every sub-DAG of a step carries evidence that stands
on its own, relative to the previous sub-DAG's leader round lr: kind 01 (the anchor's round r+1
support) for the anchor itself when its sub-DAG covers everything uncommitted (horizon ≤ lr + 1),
else kind 02 (anchor, support, and every header of the anchor's causal history with rounds in
(lr, anchor round)). Never kind 00: which sub-DAGs form a step depends on when a node saw its
certificates, so a kernel that accepted the previous pre-block from another honest node (or from an
attacker replaying a directly supported leader) may have no pending step to continue.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from dsn import codec
from dsn.codec import EVIDENCE_DIRECT, EVIDENCE_STEP, Certificate, Committee

log = logging.getLogger(__name__)


@dataclass(slots=True, eq=False)
class Cert:
    """A certificate with its digest and canonical bytes, and the header fields used everywhere."""

    digest: bytes
    certificate: Certificate
    encoded: bytes

    @classmethod
    def of(cls, certificate: Certificate) -> "Cert":
        return cls(codec.header_digest(certificate.header), certificate, codec.encode_certificate(certificate))

    @classmethod
    def decode(cls, encoded: bytes) -> "Cert":
        """Raises ``ValueError`` on malformed bytes."""
        certificate = codec.decode_certificate(encoded)
        return cls(codec.header_digest(certificate.header), certificate, encoded)

    @property
    def round(self) -> int:
        return self.certificate.header.round

    @property
    def author(self) -> int:
        return self.certificate.header.author

    @property
    def parents(self) -> list[bytes]:
        return self.certificate.header.parents

    @property
    def created_at(self) -> int:
        return self.certificate.header.created_at


@dataclass(slots=True)
class Evidence:
    """Why a sub-DAG was committed: ``kind`` 01 (``support`` of the leader itself) or 02 (``anchor``,
    its ``support`` and ``history``, the anchor's causal history with rounds between the previous
    leader's and the anchor's, in ``(round, author)`` order)."""

    kind: int
    anchor: Cert | None = None
    support: list[Cert] = field(default_factory=list)
    history: list[Cert] = field(default_factory=list)

    def encode(self) -> bytes:
        """The evidence bytes ending a pre-block (FORMATS §1.5; history entries are headers)."""
        return codec.encode_evidence_fast(self.kind, self.anchor.encoded if self.anchor is not None else b"",
                                          [c.encoded for c in self.support],
                                          [header_bytes(c) for c in self.history])


def header_bytes(cert: Cert) -> bytes:
    """The header encoding of a certificate (a prefix of its encoding: header ‖ signers)."""
    h = cert.certificate.header
    return cert.encoded[:codec.header_length(len(h.payload), len(h.parents))]


@dataclass(slots=True)
class SubDag:
    """A committed sub-DAG: the content of pre-block ``index`` (batches aside) and its evidence."""

    index: int
    commit_timestamp: int
    certificates: list[Cert]
    evidence: Evidence

    @property
    def leader(self) -> Cert:
        return self.certificates[-1]


class Bullshark:
    """The commit rule. Certificates must be inserted in causal order (parents first)."""

    def __init__(self, committee: Committee, last_index: int = 0, last_timestamp: int = 0,
                 last_leader_round: int = 0) -> None:
        self.committee = committee
        self.stakes = [a.stake for a in committee.authorities]
        self.validity = codec.validity_threshold(committee)
        self.gc_depth = committee.gc_depth
        self.last_index = last_index
        self.last_timestamp = last_timestamp
        self.last_leader_round = last_leader_round
        self.dag: dict[int, dict[int, Cert]] = {}
        self.by_digest: dict[bytes, Cert] = {}
        self.committed: set[bytes] = set()

    @property
    def gc_round(self) -> int:
        """Rounds below this can never be committed again (horizon of any future leader)."""
        return max(1, self.last_leader_round - self.gc_depth)

    def restore(self, cert: Cert, committed: bool) -> None:
        """Put a stored certificate back into the DAG after a restart, without running the commit rule."""
        if cert.round >= self.gc_round:
            self._add(cert)
            if committed:
                self.committed.add(cert.digest)

    def recheck(self) -> list[SubDag]:
        """Run the commit rule for every leader round above the last commit (after :meth:`restore`)."""
        out: list[SubDag] = []
        for r in sorted(r for r in self.dag if r % 2 == 0 and r > self.last_leader_round):
            out.extend(self._try_commit(r))
        return out

    def insert(self, cert: Cert) -> list[SubDag]:
        """Add a certificate whose parents were inserted before; return the sub-DAGs it commits."""
        if cert.round < self.gc_round or cert.digest in self.by_digest:
            return []
        existing = self.dag.get(cert.round, {}).get(cert.author)
        if existing is not None:
            log.error("certificate equivocation by %d in round %d: ignored", cert.author, cert.round)
            return []
        self._add(cert)
        return self._try_commit(cert.round - 1)

    def leader_of(self, leader_round: int) -> Cert | None:
        index = codec.leader_index(self.committee, leader_round)
        return None if index < 0 else self.dag.get(leader_round, {}).get(index)

    def _add(self, cert: Cert) -> None:
        self.dag.setdefault(cert.round, {})[cert.author] = cert
        self.by_digest[cert.digest] = cert

    def _try_commit(self, leader_round: int) -> list[SubDag]:
        if leader_round < 2 or leader_round % 2 or leader_round <= self.last_leader_round:
            return []
        leader = self.leader_of(leader_round)
        if leader is None:
            return []
        support = sum(self.stakes[c.author] for c in self.dag.get(leader_round + 1, {}).values()
                      if leader.digest in c.parents)
        if support < self.validity:
            return []
        chain = self._order_leaders(leader)
        evidence = self._step_evidence(leader, chain)
        out = [self._commit(l, e) for l, e in zip(chain, evidence)]
        self._prune()
        return out

    def _step_evidence(self, anchor: Cert, chain: list[Cert]) -> list[Evidence]:
        """Evidence of each sub-DAG of a step (computed before the step is committed)."""
        support = [c for _, c in sorted(self.dag.get(anchor.round + 1, {}).items()) if anchor.digest in c.parents]
        out: list[Evidence] = []
        lr = self.last_leader_round
        for leader in chain:
            if leader is anchor and max(1, anchor.round - self.gc_depth) <= lr + 1:
                out.append(Evidence(EVIDENCE_DIRECT, support=support))
            else:
                out.append(Evidence(EVIDENCE_STEP, anchor, support, self._history(anchor, lr)))
            lr = leader.round
        return out

    def _history(self, anchor: Cert, lr: int) -> list[Cert]:
        """The anchor's causal history with rounds above ``lr``, in ``(round, author)`` order."""
        seen = {anchor.digest}
        frontier = [anchor]
        history: list[Cert] = []
        while frontier:
            c = frontier.pop()
            for p in c.parents:
                parent = self.by_digest.get(p)
                if p not in seen and parent is not None and parent.round > lr:
                    seen.add(p)
                    history.append(parent)
                    frontier.append(parent)
        history.sort(key=lambda c: (c.round, c.author))
        return history

    def _order_leaders(self, leader: Cert) -> list[Cert]:
        """The leader and every earlier uncommitted leader linked to it, oldest first."""
        chain = [leader]
        for r in range(leader.round - 2, self.last_leader_round, -2):
            prev = self.leader_of(r)
            if prev is not None and self._linked(chain[-1], prev):
                chain.append(prev)
        chain.reverse()
        return chain

    def _linked(self, newer: Cert, older: Cert) -> bool:
        frontier = {newer.digest}
        for _ in range(newer.round, older.round, -1):
            frontier = {p for d in frontier for p in self.by_digest[d].parents if p in self.by_digest}
        return older.digest in frontier

    def _commit(self, leader: Cert, evidence: Evidence) -> SubDag:
        horizon = max(1, leader.round - self.gc_depth)
        seen = {leader.digest}
        stack = [leader]
        members: list[Cert] = []
        while stack:
            c = stack.pop()
            members.append(c)
            for p in c.parents:
                if p in seen or p in self.committed:
                    continue
                parent = self.by_digest.get(p)
                if parent is not None and parent.round >= horizon:
                    seen.add(p)
                    stack.append(parent)
        members.sort(key=lambda c: (c.round, c.author))
        self.committed.update(c.digest for c in members)
        self.last_index += 1
        self.last_timestamp = max(self.last_timestamp, leader.created_at)
        self.last_leader_round = leader.round
        return SubDag(self.last_index, self.last_timestamp, members, evidence)

    def _prune(self) -> None:
        gc = self.gc_round
        for r in [r for r in self.dag if r < gc]:
            for c in self.dag.pop(r).values():
                del self.by_digest[c.digest]
                self.committed.discard(c.digest)
