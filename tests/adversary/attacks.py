"""Bogus inbox posts built from everything an attacker sees (every certificate, vote and batch of the
DAG, the oracle's pre-blocks) and f Byzantine keys; the attack classes of spec/commit-rule.md.

Each builder returns encoded pre-blocks (or raw frames) for the moment the kernel expects pre-block
``i``; :func:`frames_of` frames them exactly as the sequencer does (DA pages, then the announcement).
A builder returns ``[]`` when the run offers nothing to attack that way.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from dsn import codec
from dsn.codec import Certificate, Header, Signer
from dsn.consensus import Cert, SubDag, header_bytes
from dsn.sequencer.da import preblock_frames
from kernel_py.formats import inbox as ib
from tests.adversary.dagsim import Dag, encode_subdag

ROLLUP = bytes(range(1, 21))


def frames_of(index: int, encoded: bytes) -> list[bytes]:
    """The external payloads the sequencer injects for a pre-block (pages, then the announcement)."""
    return preblock_frames(ROLLUP, index, encoded)


@dataclass
class Post:
    """One bogus post: a pre-block announced as ``index`` (or raw ``frames``), with what it is."""

    label: str
    index: int = 0
    encoded: bytes = b""
    frames: list[bytes] | None = None

    def payloads(self) -> list[bytes]:
        return self.frames if self.frames is not None else frames_of(self.index, self.encoded)


class Attacker:
    def __init__(self, dag: Dag, subdags: list[SubDag], rng: random.Random) -> None:
        self.dag = dag
        self.subdags = subdags
        self.rng = rng
        self.committed_leaders = {s.leader.digest for s in subdags}

    # context of pre-block i ------------------------------------------------------------------------
    def lr(self, i: int) -> int:
        return self.subdags[i - 2].leader.round if i > 1 else 0

    def last_ts(self, i: int) -> int:
        return self.subdags[i - 2].commit_timestamp if i > 1 else 0

    def committed_before(self, i: int) -> set[bytes]:
        return {c.digest for s in self.subdags[:i - 1] for c in s.certificates}

    def sub_dag(self, leader: Cert, i: int) -> list[Cert]:
        """The leader's uncommitted causal history above its GC horizon, given pre-blocks < i."""
        horizon = max(1, leader.round - self.dag.committee.gc_depth)
        done = self.committed_before(i)
        seen, stack = {leader.digest}, [leader]
        while stack:
            c = stack.pop()
            for p in c.parents:
                parent = self.dag.by_digest.get(p)
                if parent is not None and p not in seen and p not in done and parent.round >= horizon:
                    seen.add(p)
                    stack.append(parent)
        return sorted((self.dag.by_digest[d] for d in seen), key=lambda c: (c.round, c.author))

    def support_of(self, x: Cert) -> list[Cert]:
        return [c for _, c in sorted(self.dag.rounds.get(x.round + 1, {}).items()) if x.digest in c.parents]

    def history(self, anchor: Cert, lr: int) -> list[Cert]:
        seen, stack, out = {anchor.digest}, [anchor], []
        while stack:
            c = stack.pop()
            for p in c.parents:
                parent = self.dag.by_digest.get(p)
                if parent is not None and p not in seen and parent.round > lr:
                    seen.add(p)
                    out.append(parent)
                    stack.append(parent)
        return sorted(out, key=lambda c: (c.round, c.author))

    # encoders ----------------------------------------------------------------------------------------
    def preblock(self, i: int, certs: list[Cert], evidence: bytes, ts: int | None = None) -> bytes:
        leader = certs[-1]
        ts = max(self.last_ts(i), leader.created_at) if ts is None else ts
        return codec.encode_preblock_fast(i, ts, [c.encoded for c in certs], self.dag.batches_of(certs), evidence)

    @staticmethod
    def direct(support: list[Cert]) -> bytes:
        return codec.encode_evidence_fast(1, b"", [c.encoded for c in support], [])

    @staticmethod
    def step(anchor: Cert, support: list[Cert], history: list[Cert]) -> bytes:
        return codec.encode_evidence_fast(2, anchor.encoded, [c.encoded for c in support],
                                          [header_bytes(c) for c in history])

    def anchors(self) -> list[Cert]:
        """Committed leaders with direct support in the DAG (valid anchors for the attacker too)."""
        out = []
        for s in self.subdags:
            if len(self.support_of(s.leader)) >= self.dag.validity_size:
                out.append(s.leader)
        return out

    def skipped_leaders(self, above: int) -> list[Cert]:
        return [c for r in sorted(self.dag.rounds) if r > above and r % 2 == 0
                for c in [self.dag.leader(r)] if c is not None and c.digest not in self.committed_leaders]

    # attack classes ------------------------------------------------------------------------------------
    def front_run(self, i: int) -> list[Post]:
        """A skipped leader's sub-DAG posted as pre-block i (or i + 1), with each kind of evidence."""
        skipped = self.skipped_leaders(self.lr(i))
        if not skipped:
            return []
        ahead = [c for c in skipped if c.round < self.subdags[i - 1].leader.round] if i <= len(self.subdags) else []
        leader = self.rng.choice(ahead if ahead and self.rng.random() < 0.7 else skipped)
        certs = self.sub_dag(leader, i)
        support = self.support_of(leader)
        others = [c for _, c in sorted(self.dag.rounds.get(leader.round + 1, {}).items())]
        later = [a for a in self.anchors() if a.round >= leader.round]
        variants = [self.direct(support)] * 3 + [self.direct(others), b"\x00",
                                                 self.step(leader, support, self.history(leader, self.lr(i)))]
        if later:
            a = self.rng.choice(later)
            variants.append(self.step(a, self.support_of(a), self.history(a, self.lr(i))))
        index = i if self.rng.random() < 0.8 else i + 1
        return [Post("front-run skipped leader", index, self.preblock(index, certs, self.rng.choice(variants)))]

    def merge(self, i: int) -> list[Post]:
        """Pre-blocks i and i + 1 merged into one with the later leader (or i + 1 alone: skip-ahead)."""
        if i >= len(self.subdags):
            return []
        later = self.subdags[i]
        certs = self.sub_dag(later.leader, i)
        if self.rng.random() < 0.5:
            certs = [c for c in certs if c.digest not in {x.digest for x in self.subdags[i - 1].certificates}] or certs
        support = self.support_of(later.leader)
        anchor = later.evidence.anchor or later.leader
        history = self.history(anchor, self.lr(i))
        choice = self.rng.randrange(4)
        if choice == 0:
            evidence = later.evidence.encode()
        elif choice == 1 and len(support) >= self.dag.validity_size:
            evidence = self.direct(support)
        elif choice == 2:  # a step proof whose history hides the earlier leader
            earlier = self.subdags[i - 1].leader.digest
            evidence = self.step(anchor, self.support_of(anchor), [c for c in history if c.digest != earlier])
        else:
            evidence = self.step(anchor, self.support_of(anchor), history)
        return [Post("merge / skip-ahead", i, self.preblock(i, certs, evidence))]

    def replay(self, i: int) -> list[Post]:
        """An earlier (already accepted) pre-block again, or a later one too early."""
        choices = list(range(1, i)) + [j for j in (i + 1, i + 2) if j <= len(self.subdags)]
        if not choices:
            return []
        j = self.rng.choice(choices)
        return [Post("replay", j, encode_subdag(self.dag, self.subdags[j - 1]))]

    def malleated(self, i: int) -> list[Post]:
        """Pre-block i with other signer quorums on non-leader certificates, a damaged non-leader
        signature, or other valid evidence (another support quorum, a later anchor's step proof)."""
        s = self.subdags[i - 1]
        certs = [self.dag.resign(c, self.rng) if self.rng.random() < 0.5 else c for c in s.certificates[:-1]]
        if certs and self.rng.random() < 0.3:
            k = self.rng.randrange(len(certs))
            c = certs[k].certificate
            sig = bytearray(c.signers[0].signature)
            sig[5] ^= 1
            certs[k] = Cert.of(Certificate(c.header, [Signer(c.signers[0].index, bytes(sig))] + c.signers[1:]))
        certs.append(s.leader)
        later = [a for a in self.anchors() if a.round >= s.leader.round]
        a = self.rng.choice(later) if later else None
        if a is not None and self.rng.random() < 0.6:
            support = self.support_of(a)
            support = sorted(self.rng.sample(support, self.rng.randint(self.dag.validity_size, len(support))),
                             key=lambda c: c.author)
            evidence = self.step(a, [self.dag.resign(c, self.rng) for c in support], self.history(a, self.lr(i)))
        else:
            evidence = s.evidence.encode()
        return [Post("malleated / re-signed copy", i, self.preblock(i, certs, evidence, s.commit_timestamp))]

    def forged_support(self, i: int) -> list[Post]:
        """Pre-block i with kind 01 whose support is forged: a Byzantine header signed by the f
        Byzantine keys only, a real support certificate with a damaged signature, a certificate not
        referencing the leader, or one of the wrong round."""
        s = self.subdags[i - 1]
        leader = s.leader
        support = self.support_of(leader)
        authors = {c.author for c in support}
        rng = self.rng
        choice = rng.randrange(4)
        if choice == 0 or not support:
            free = [a for a in range(self.dag.n) if a not in authors] or [rng.randrange(self.dag.n)]
            author = rng.choice(free)
            h = Header(author, leader.round + 1, 0, leader.created_at + 1, [], sorted({leader.digest}))
            signers = sorted(self.dag.byzantine | {author})
            fake = Cert.of(Certificate(h, [Signer(k, self.dag.keys[k].sign(codec.vote_message(codec.header_digest(h))).signature)
                                           if k in self.dag.byzantine else Signer(k, bytes(64)) for k in signers]))
            support = sorted([c for c in support if c.author != author] + [fake], key=lambda c: c.author)
        elif choice == 1:
            k = rng.randrange(len(support))
            c = support[k].certificate
            bad = Signer(c.signers[-1].index, bytes(64))
            support[k] = Cert.of(Certificate(c.header, c.signers[:-1] + [bad]))
        elif choice == 2:
            unrelated = [c for _, c in sorted(self.dag.rounds.get(leader.round + 1, {}).items()) if c.author not in authors]
            support = sorted(support + unrelated, key=lambda c: c.author)
        else:
            support = [c for _, c in sorted(self.dag.rounds.get(leader.round + 3, {}).items())]
        if not support:
            return []
        return [Post("forged support", i, self.preblock(i, s.certificates, self.direct(support), s.commit_timestamp))]

    def wrong_history(self, i: int) -> list[Post]:
        """Pre-block i with a step proof whose history misses a header, has an extra one (unreachable,
        or at or below the last leader round) or a modified one."""
        s = self.subdags[i - 1]
        anchor = s.evidence.anchor or s.leader
        lr = self.lr(i)
        history = self.history(anchor, lr)
        have = {c.digest for c in history}
        rng = self.rng
        choice = rng.randrange(3)
        if choice == 0 and history:
            del history[rng.randrange(len(history))]
        elif choice == 1:
            extra = [c for c in self.dag.by_digest.values()
                     if c.digest not in have and c.round < anchor.round and (c.round <= lr or rng.random() < 0.5)]
            if not extra:
                return []
            history = sorted(history + [rng.choice(extra)], key=lambda c: (c.round, c.author))
        elif history:
            k = rng.randrange(len(history))
            h = history[k].certificate.header
            history[k] = Cert.of(Certificate(Header(h.author, h.round, h.epoch, h.created_at + 1, h.payload, h.parents),
                                             history[k].certificate.signers))
        evidence = self.step(anchor, self.support_of(anchor), history)
        return [Post("wrong history", i, self.preblock(i, s.certificates, evidence, s.commit_timestamp))]

    def wrong_anchor(self, i: int) -> list[Post]:
        """Pre-block i with a step proof whose anchor is not one: a certificate that is not its round's
        scheduled leader, a leader older than pre-block i's, or a skipped leader (too little support)."""
        s = self.subdags[i - 1]
        lr, r = self.lr(i), s.leader.round
        candidates = [c for c in self.dag.by_digest.values() if c.round >= r and c.round % 2 == 0
                      and c.author != codec.leader_index(self.dag.committee, c.round)]
        candidates += [x.leader for x in self.subdags[:i - 1]] + self.skipped_leaders(r - 1)
        if not candidates:
            return []
        anchor = self.rng.choice(candidates)
        evidence = self.step(anchor, self.support_of(anchor), self.history(anchor, lr))
        return [Post("wrong anchor", i, self.preblock(i, s.certificates, evidence, s.commit_timestamp))]

    def equivocation(self, i: int) -> list[Post]:
        """A Byzantine author's second header for a leader slot, signed by the Byzantine keys only,
        posted with the real support of the slot's certificate copied over."""
        byz_slots = [r for r in sorted(self.dag.rounds) if r % 2 == 0 and r > self.lr(i)
                     and codec.leader_index(self.dag.committee, r) in self.dag.byzantine]
        if not byz_slots:
            return []
        r = self.rng.choice(byz_slots)
        author = codec.leader_index(self.dag.committee, r)
        parents = sorted(c.digest for c in self.dag.rounds[r - 1].values())[:self.dag.quorum_size]
        h = Header(author, r, 0, 10**9, [], parents)
        d = codec.header_digest(h)
        byz = sorted(self.dag.byzantine)
        indices = sorted(set(byz) | set(range(self.dag.quorum_size - len(byz))))
        signers = [Signer(k, self.dag.keys[k].sign(codec.vote_message(d)).signature) if k in self.dag.byzantine
                   else Signer(k, self.dag.votes[parents[0]][k]) for k in indices]  # honest votes of another header
        leader = Cert.of(Certificate(h, signers))
        history = {c.digest: c for p in parents for c in self.sub_dag(self.dag.by_digest[p], i)}
        certs = sorted(history.values(), key=lambda c: (c.round, c.author)) + [leader]
        real = self.dag.leader(r)
        support = self.support_of(real) if real is not None else []
        return [Post("equivocating leader", i, self.preblock(i, certs, self.direct(support)))]

    def flood(self, i: int) -> list[Post]:
        """Invalid announcements and pages: random roots, unknown pages, malformed contents."""
        rng = self.rng
        frames = []
        for _ in range(rng.randint(5, 30)):
            kind = rng.randrange(5)
            if kind == 0:
                frames.append(ib.frame_external(ROLLUP, ib.announcement_contents(rng.choice([i, i + 1, rng.getrandbits(63)]),
                                                                                   rng.randbytes(32))))
            elif kind == 1:
                frames.append(ib.frame_external(ROLLUP, ib.page_contents(ib.leaf_page(rng.randbytes(rng.randint(0, 200))))))
            elif kind == 2:
                frames.append(ib.frame_external(ROLLUP, ib.page_contents(ib.node_page([rng.randbytes(32)
                                                                                       for _ in range(rng.randint(1, 5))]))))
            elif kind == 3:
                frames.append(ib.frame_external(ROLLUP, bytes([rng.choice([1, 2, 9])]) + rng.randbytes(rng.randint(0, 60))))
            else:
                data = rng.randbytes(rng.randint(1, 9000))
                frames.extend(frames_of(i, data))
        return [Post("flood", frames=frames)]


ATTACKS = ["front_run", "merge", "replay", "malleated", "forged_support", "wrong_history", "wrong_anchor",
           "equivocation", "flood"]


def build(attacker: Attacker, name: str, i: int) -> list[Post]:
    return getattr(attacker, name)(i)
