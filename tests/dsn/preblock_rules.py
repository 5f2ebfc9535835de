"""An independent Python checker of the kernel's pre-block rules (design.md "Ordering verification",
FORMATS §1.5), applied to every pre-block the DSN tests see."""

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
        self.last_index = 0
        self.last_timestamp = 0
        self.committed: set[bytes] = set()

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
        self.last_index = p.index
        self.last_timestamp = p.commit_timestamp
        self.committed |= reach
