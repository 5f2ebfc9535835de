"""An independent Python checker of the kernel's pre-block rules (design.md "Ordering verification",
FORMATS §1.5, including rule 6: commit evidence and the pending list of a verified step), applied
to every pre-block the DSN tests see."""

from __future__ import annotations

import hashlib

from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey

from dsn import codec
from dsn.codec import Committee


def _h(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=32).digest()


class PreBlockChecker:
    """Feeds pre-blocks in order; :meth:`check` raises AssertionError naming the broken rule."""

    def __init__(self, committee: Committee) -> None:
        self.committee = committee
        self.keys = [VerifyKey(a.public_key) for a in committee.authorities]
        self.quorum = codec.quorum_threshold(committee)
        self.validity = codec.validity_threshold(committee)
        self.last_index = 0
        self.last_timestamp = 0
        self.last_leader_round = 0
        self.pending: list[bytes] = []
        self.committed: set[bytes] = set()
        self.kinds: list[int] = []  # evidence kind of each accepted pre-block (0 when a pending head)

    def _signatures_valid(self, cert) -> bool:
        digest = codec.header_digest(cert.header)
        try:
            for s in cert.signers:
                self.keys[s.index].verify(codec.vote_message(digest), s.signature)
        except (BadSignatureError, IndexError):
            return False
        return codec.certificate_structure_valid(self.committee, cert)

    def check(self, encoded: bytes) -> None:
        p = codec.decode_preblock(encoded)  # strict decoding (also sort order and batch count)
        # rule 1: next index
        assert p.index == self.last_index + 1, f"rule 1: index {p.index} after {self.last_index}"
        certs = p.certificates
        leader = certs[-1]
        lr = leader.header.round
        # rule 2: leader signed by a quorum, scheduled leader of an even round
        assert self._signatures_valid(leader), "rule 2: leader certificate signatures"
        assert codec.leader_index(self.committee, lr) == leader.header.author, "rule 2: not the scheduled leader"
        assert all(c.header.round < lr for c in certs[:-1]), "leader must have the highest round"
        assert all(self._signatures_valid(c) for c in certs), "a certificate's signatures are invalid"
        digests = [codec.header_digest(c.header) for c in certs]
        by_digest = dict(zip(digests, certs))
        assert len(by_digest) == len(certs), "a certificate appears twice"
        # rule 3: causal history of the leader inside the pre-block, nothing committed before
        reach = {digests[-1]}
        stack = [leader]
        while stack:
            for parent in stack.pop().header.parents:
                if parent in by_digest and parent not in reach:
                    reach.add(parent)
                    stack.append(by_digest[parent])
        assert reach == set(digests), "rule 3: a certificate outside the leader's causal history"
        assert not (reach & self.committed), "rule 3: a certificate committed before"
        # rule 4: nothing withheld above the GC horizon
        horizon = max(1, lr - self.committee.gc_depth)
        for c in certs:
            r = c.header.round
            for parent in c.header.parents:
                ok = parent in by_digest or parent in self.committed or r - 1 == 0 or r - 1 < horizon
                assert ok, f"rule 4: parent of a round-{r} certificate withheld"
        # rule 5: batches present, hashing to their digests, in order
        expected = [e.digest for c in certs for e in c.header.payload]
        got = [_h(codec.encode_batch(b)) for b in p.batches]
        assert got == expected, "rule 5: batches do not match the payload digests"
        # commit timestamp rule
        assert p.commit_timestamp == max(self.last_timestamp, leader.header.created_at), "commit timestamp"
        pending = self._rule6(p, digests)
        self.pending = pending
        self.last_index = p.index
        self.last_timestamp = p.commit_timestamp
        self.last_leader_round = lr
        self.committed |= reach

    def _support_valid(self, x_digest: bytes, x_round: int, support) -> bool:
        authors = [c.header.author for c in support]
        if authors != sorted(set(authors)):
            return False
        for c in support:
            if c.header.round != x_round + 1 or x_digest not in c.header.parents or not self._signatures_valid(c):
                return False
        return sum(self.committee.authorities[a].stake for a in authors) >= self.validity

    def _rule6(self, p, digests: list[bytes]) -> list[bytes]:
        """Rule 6; returns the pending list after the pre-block."""
        leader_digest, r, lr = digests[-1], p.certificates[-1].header.round, self.last_leader_round
        e = p.evidence
        if self.pending:
            assert self.pending[0] == leader_digest, "rule 6: not the pending step's next leader"
            self.kinds.append(0)
            return self.pending[1:]
        assert e.kind in (1, 2), "rule 6: kind 00 without a pending step"
        self.kinds.append(e.kind)
        if e.kind == 1:
            assert self._support_valid(leader_digest, r, e.support), "rule 6: direct support"
            assert max(1, r - self.committee.gc_depth) <= lr + 1, "rule 6: kind 01 without coverage"
            for c in p.certificates[:-1]:
                h = c.header
                assert not (lr < h.round < r and codec.leader_index(self.committee, h.round) == h.author), \
                    "rule 6: a linked earlier leader merged into the pre-block"
            return []
        a = e.anchor.header
        ra, a_digest = a.round, codec.header_digest(a)
        assert self._signatures_valid(e.anchor), "rule 6: anchor signatures"
        assert codec.leader_index(self.committee, ra) == a.author and ra >= r, "rule 6: anchor not a later leader"
        assert self._support_valid(a_digest, ra, e.support), "rule 6: anchor support"
        hist = {codec.header_digest(h): h for h in e.history}
        assert len(hist) == len(e.history), "rule 6: duplicate history header"
        assert all(lr < h.round < ra for h in e.history), "rule 6: history header out of (lr, ra)"
        nodes = {**hist, a_digest: a}
        reach, stack = {a_digest}, [a]
        while stack:
            x = stack.pop()
            for parent in x.parents:
                if x.round - 1 > lr:
                    assert parent in hist, "rule 6: history incomplete"
                if parent in hist and parent not in reach:
                    reach.add(parent)
                    stack.append(hist[parent])
        assert reach == set(nodes), "rule 6: history header not in the anchor's causal history"

        def linked(newer: bytes, older: bytes) -> bool:
            frontier = {newer}
            while frontier and older not in frontier:
                frontier = {q for d in frontier for q in nodes[d].parents if q in nodes}
            return older in frontier

        chain = [a_digest]
        for r2 in range(ra - 2, lr, -2):
            found = [d for d, h in hist.items() if h.round == r2 and h.author == codec.leader_index(self.committee, r2)]
            if found and linked(chain[-1], found[0]):
                chain.append(found[0])
        chain.reverse()
        assert chain[0] == leader_digest, "rule 6: the step's first leader is another"
        return chain[1:]
