"""Build signed certificates and DAGs for the DSN unit tests."""

from __future__ import annotations

from nacl.signing import SigningKey

from dsn import codec
from dsn.codec import Authority, Batch, Certificate, Committee, Header, PayloadEntry, Signer
from dsn.consensus import Cert, SubDag
from dsn.signing import sign_vote


def keys(n: int) -> list[SigningKey]:
    return [SigningKey(bytes([i + 1]) * 32) for i in range(n)]


def committee(n: int, gc_depth: int = 50, epoch: int = 0) -> Committee:
    return Committee(epoch, gc_depth, [Authority(bytes(k.verify_key), 1000) for k in keys(n)])


class DagBuilder:
    """Certificates signed by the first quorum of authorities; one batch per certificate."""

    def __init__(self, n: int, gc_depth: int = 50) -> None:
        self.keys = keys(n)
        self.committee = committee(n, gc_depth)
        self.n = n
        self.quorum_size = 2 * n // 3 + 1
        self.genesis = codec.genesis_digests(self.committee)
        self.batches: dict[bytes, bytes] = {}
        self.rounds: dict[int, dict[int, Cert]] = {0: {}}

    def header(self, author: int, round_: int, parents: list[bytes], created_at: int | None = None,
               with_batch: bool = True, epoch: int = 0) -> Header:
        payload = []
        if with_batch:
            batch = codec.encode_batch(Batch([f"tx {author}/{round_}".encode()]))
            d = codec.digest(batch)
            self.batches[d] = batch
            payload.append(PayloadEntry(d, 0))
        ts = 1000 * round_ + author if created_at is None else created_at
        return Header(author, round_, epoch, ts, payload, sorted(parents))

    def certify(self, h: Header, signers: list[int] | None = None) -> Cert:
        d = codec.header_digest(h)
        signers = list(range(self.quorum_size)) if signers is None else signers
        return Cert.of(Certificate(h, [Signer(i, sign_vote(self.keys[i], d)) for i in sorted(signers)]))

    def parents_of(self, round_: int, authors: list[int] | None = None) -> list[bytes]:
        if round_ == 0:
            return list(self.genesis)
        prev = self.rounds[round_]
        return [prev[a].digest for a in (sorted(prev) if authors is None else authors)]

    def add(self, author: int, round_: int, parent_authors: list[int] | None = None, **kw) -> Cert:
        c = self.certify(self.header(author, round_, self.parents_of(round_ - 1, parent_authors), **kw))
        self.rounds.setdefault(round_, {})[author] = c
        return c

    def full_round(self, round_: int, authors: list[int] | None = None) -> list[Cert]:
        return [self.add(a, round_) for a in (range(self.n) if authors is None else authors)]

    def preblock(self, s: SubDag) -> bytes:
        certs = [c.encoded for c in s.certificates]
        batches = [self.batches[e.digest] for c in s.certificates for e in c.certificate.header.payload]
        return codec.encode_preblock_parts(s.index, s.commit_timestamp, certs, batches, s.evidence.encode())
