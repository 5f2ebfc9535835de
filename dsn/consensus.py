"""Bullshark (partially synchronous) over the local DAG of certificates.

Leaders live in even rounds ≥ 2 (schedule of FORMATS §1.4). Inserting a certificate of round
r + 1 may commit the leader of round r once certificates of round r + 1 with at least f+1
(validity) stake reference it; earlier uncommitted leaders linked to it by parent paths are
committed first. Each committed leader yields one sub-DAG: its causal history of rounds ≥ the GC
horizon ``max(1, leader.round − gc_depth)`` minus everything committed before, sorted by
``(round, author)`` (the leader is last), with indices from 1 and a monotone commit timestamp.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from dsn import codec
from dsn.codec import Certificate, Committee

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
class SubDag:
    """A committed sub-DAG: the content of pre-block ``index`` (batches aside)."""

    index: int
    commit_timestamp: int
    certificates: list[Cert]

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
        out = [self._commit(l) for l in self._order_leaders(leader)]
        self._prune()
        return out

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

    def _commit(self, leader: Cert) -> SubDag:
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
        return SubDag(self.last_index, self.last_timestamp, members)

    def _prune(self) -> None:
        gc = self.gc_round
        for r in [r for r in self.dag if r < gc]:
            for c in self.dag.pop(r).values():
                del self.by_digest[c.digest]
                self.committed.discard(c.digest)
