"""Catch-up from commit records, for a node that fell behind its peers' retention (FORMATS §6).

With ``retain_commits`` set, peers delete certificates below their GC round (:mod:`dsn.retention`),
so a node that was down for long cannot replay the DAG: a peer answers its ``SYNC_REQUEST`` from
below the deleted rounds with ``PRUNED``. The node then asks every connected peer for the commit
records after its last one (``COMMIT_REQUEST``) and **adopts a record once peers holding at least
the validity stake (f + 1, so at least one honest) sent the same record** — index, commit timestamp,
leader round, certificate digests and evidence — each with a quorum-signed certificate for every
digest it names and the scheduled leader last. Records are adopted in index order. When the
vouching peers' records all start past the node's next index (they deleted it too), the node jumps
to the lowest vouched index and records the gap as pruned: its export API refuses those indices,
as a peer's does for what it deleted. After adopting, the primary rebuilds its DAG and consensus
from the store and resumes the ordinary certificate sync above its new GC round; Bullshark's
commits from there on only need certificates at or above that round, which every peer keeps.

Work is bounded: only a reply to an outstanding request of ours is read (so a peer cannot make the
node check signatures unasked), records are kept only within ``MAX_AHEAD`` indices of the next one,
one offer per peer and index, and a reply holds at most ``MAX_RECORDS`` records or ``MAX_REPLY_BYTES``.
"""

from __future__ import annotations

import hashlib
import logging
import struct
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dsn import codec
from dsn.codec import EVIDENCE_STEP
from dsn.consensus import Cert, Evidence, SubDag
from dsn.signing import verify_certificate
from dsn.store import EvidenceRef
from dsn.wire import Kind, decode_blobs, encode_blobs, encode_round

if TYPE_CHECKING:
    from dsn.primary import Primary

log = logging.getLogger(__name__)

_META = struct.Struct(">QQQ")  # index, commit timestamp, leader round
_PRUNED = struct.Struct(">QQ")  # kept round, oldest commit index served
MAX_RECORDS = 256
MAX_REPLY_BYTES = 8 << 20
MAX_AHEAD = 4096
RETRY_S = 5.0


@dataclass
class Record:
    """One commit record as sent by a peer, checked: every certificate named is present and valid."""

    index: int
    timestamp: int
    leader_round: int
    digests: list[bytes]
    evidence: EvidenceRef
    certs: dict[bytes, Cert]
    key: bytes  # what vouching peers must agree on

    def subdag(self) -> SubDag:
        e, c = self.evidence, self.certs
        evidence = Evidence(e.kind, c[e.anchor] if e.anchor else None, [c[d] for d in e.support],
                            [c[d] for d in e.history])
        return SubDag(self.index, self.timestamp, [c[d] for d in self.digests], evidence)


def encode_pruned(kept_round: int, oldest_commit: int) -> bytes:
    return _PRUNED.pack(kept_round, oldest_commit)


def decode_pruned(body: bytes) -> tuple[int, int]:
    if len(body) != _PRUNED.size:
        raise ValueError("bad PRUNED length")
    return _PRUNED.unpack(body)


def encode_record(index: int, timestamp: int, leader_round: int, digests: list[bytes], evidence: EvidenceRef,
                  certificates: list[bytes]) -> bytes:
    """``list<bytes>`` = meta ‖ digests ‖ evidence ref ‖ certificate*, each one item."""
    return encode_blobs([_META.pack(index, timestamp, leader_round), b"".join(digests), evidence.encode(),
                         *certificates])


class CatchUp:
    """Both sides of the catch-up protocol for one primary."""

    def __init__(self, primary: "Primary") -> None:
        self.p = primary
        self.active = False
        self.last_request = 0.0
        self.offers: dict[int, dict[int, Record]] = {}  # index -> peer -> record
        self.starts: dict[int, int] = {}  # peer -> first index of its last reply (1 << 63 if empty)
        self.verified: set[bytes] = set()  # hashes of certificate encodings already verified
        self.asked: set[int] = set()  # peers with an unanswered COMMIT_REQUEST: only their COMMITS are read

    # serving ------------------------------------------------------------------------------------
    def pruned_notice(self, after_round: int) -> bytes | None:
        """The PRUNED body for a sync request after ``after_round``, if this node deleted rounds it needs."""
        kept = self.p.store.kept_round()
        if after_round + 1 >= kept:
            return None
        return encode_pruned(kept, self.p.store.pruned_commits() + 1)

    def serve(self, peer: int, from_index: int) -> None:
        """Send ``peer`` the commit records from ``from_index`` (or the oldest kept) on."""
        store = self.p.store
        index = max(from_index, store.pruned_commits() + 1)
        records: list[bytes] = []
        size = 0
        while index <= store.last_commit_index() and len(records) < MAX_RECORDS and size < MAX_REPLY_BYTES:
            encoded = self._record(index)
            if encoded is None:
                break
            records.append(encoded)
            size += len(encoded)
            index += 1
        self.p.net.send(peer, Kind.COMMITS, encode_blobs(records))

    def _record(self, index: int) -> bytes | None:
        store = self.p.store
        commit, evidence = store.get_commit(index), store.get_evidence(index)
        if commit is None or evidence is None:
            return None
        ts, leader_round, digests = commit
        named = list(dict.fromkeys(digests + ([evidence.anchor] if evidence.anchor else [])
                                   + evidence.support + evidence.history))
        certificates = [store.get_certificate(d) for d in named]
        if any(c is None for c in certificates):
            return None
        return encode_record(index, ts, leader_round, digests, evidence, certificates)

    # catching up --------------------------------------------------------------------------------
    def on_pruned(self, peer: int, body: bytes) -> None:
        """A peer deleted the rounds our sync needs: ask everyone for commit records."""
        kept, oldest = decode_pruned(body)
        if self.active and time.monotonic() - self.last_request < RETRY_S:
            return
        log.warning("peer %d deleted rounds below %d (oldest sub-DAG it serves: %d); catching up from commit "
                    "records after sub-DAG %d", peer, kept, oldest, self.p.consensus.last_index)
        self.active = True
        self.offers.clear()
        self.starts.clear()
        self.request_all()

    def request_all(self) -> None:
        self.last_request = time.monotonic()
        for peer in self.p.net.connected_peers():
            self._ask(peer)

    def _ask(self, peer: int) -> None:
        self.asked.add(peer)
        self.p.net.send(peer, Kind.COMMIT_REQUEST, encode_round(self.p.consensus.last_index + 1))

    def tick(self) -> None:
        """Maintenance: while catching up with no progress, ask again."""
        if self.active and time.monotonic() - self.last_request >= RETRY_S:
            self.request_all()

    def on_records(self, peer: int, body: bytes) -> None:
        """Check a peer's records, count its vouches, adopt what enough stake agrees on."""
        if not self.active or peer not in self.asked:
            return  # unsolicited: not worth a signature check
        self.asked.discard(peer)
        blobs = decode_blobs(body)
        if len(blobs) > MAX_RECORDS:
            raise ValueError(f"more than {MAX_RECORDS} commit records")
        next_index = self.p.consensus.last_index + 1
        first = 1 << 63
        for blob in blobs:
            record = self._check(blob)
            first = min(first, record.index)
            if next_index <= record.index < next_index + MAX_AHEAD:
                self.offers.setdefault(record.index, {})[peer] = record
        self.starts[peer] = first
        adopted = self._adopt()
        if adopted:
            self.p.reload()
            log.info("adopted %d sub-DAGs from commit records: now at sub-DAG %d (leader round %d)", adopted,
                     self.p.consensus.last_index, self.p.consensus.last_leader_round)
        if not blobs:
            self.finish()  # this peer has nothing after our last sub-DAG: back to the certificate sync
        elif adopted or first > next_index:
            self.last_request = time.monotonic()
            self._ask(peer)

    def finish(self) -> None:
        """Stop catching up and ask for certificates above the (new) GC round; a peer that still
        deleted them answers PRUNED again, which starts another catch-up."""
        self.active = False
        self.offers.clear()
        self.starts.clear()
        self.verified.clear()
        self.asked.clear()
        self.p.request_sync()

    def _check(self, blob: bytes) -> Record:
        items = decode_blobs(blob)
        if len(items) < 4 or len(items[0]) != _META.size or not items[1] or len(items[1]) % 32:
            raise ValueError("malformed commit record")
        index, ts, leader_round = _META.unpack(items[0])
        digests = [bytes(items[1][i:i + 32]) for i in range(0, len(items[1]), 32)]
        try:
            evidence = EvidenceRef.decode(bytes(items[2]))
        except struct.error:
            raise ValueError("malformed commit evidence") from None
        certs: dict[bytes, Cert] = {}
        for encoded in items[3:]:
            cert = Cert.decode(bytes(encoded))
            seen = hashlib.blake2b(encoded, digest_size=16).digest()  # these exact bytes were checked
            if seen not in self.verified:
                if not verify_certificate(self.p.committee, self.p.verify_keys, cert.certificate, cert.digest):
                    raise ValueError(f"invalid certificate in commit record {index}")
                if len(self.verified) < 1 << 20:
                    self.verified.add(seen)
            certs[cert.digest] = cert
        named = digests + ([evidence.anchor] if evidence.anchor else []) + evidence.support + evidence.history
        if any(d not in certs for d in named):
            raise ValueError(f"commit record {index} names a certificate it does not carry")
        if evidence.kind == EVIDENCE_STEP and not evidence.anchor:
            raise ValueError(f"commit record {index}: step evidence without an anchor")
        order = [(certs[d].round, certs[d].author) for d in digests]
        leader = certs[digests[-1]]
        if order != sorted(set(order)) or leader.round != leader_round or \
                codec.leader_index(self.p.committee, leader_round) != leader.author:
            raise ValueError(f"commit record {index} is not a sub-DAG of the scheduled leader")
        key = hashlib.blake2b(bytes(items[0]) + bytes(items[1]) + bytes(items[2]), digest_size=32).digest()
        return Record(index, ts, leader_round, digests, evidence, certs, key)

    def _vouched(self, index: int) -> tuple[Record | None, int]:
        """The record of ``index`` that peers with the validity stake agree on, and the smallest
        first index among its vouching peers' last replies."""
        groups: dict[bytes, list[int]] = {}
        for peer, record in self.offers.get(index, {}).items():
            groups.setdefault(record.key, []).append(peer)
        for peers in groups.values():
            if sum(self.p.stakes[q] for q in peers) >= self.p.validity:
                return self.offers[index][peers[0]], min(self.starts.get(q, 0) for q in peers)
        return None, 0

    def _adopt(self) -> int:
        """Adopt vouched records in index order (jumping a gap every vouching peer deleted); return how many."""
        adopted = 0
        while True:
            next_index = self.p.consensus.last_index + 1
            record, _ = self._vouched(next_index)
            if record is None:
                record = self._jump(next_index)
                if record is None:
                    return adopted
                log.warning("sub-DAGs %d … %d are deleted on every peer that vouched; skipping them",
                            next_index, record.index - 1)
                self.p.store.skip_commits(record.index - 1)
            for d, cert in record.certs.items():
                self.p.store.put_certificate(d, cert.round, cert.author, cert.encoded)
            self.p.adopt(record.subdag())
            adopted += 1
            for i in [i for i in self.offers if i <= record.index]:
                del self.offers[i]

    def _jump(self, next_index: int) -> Record | None:
        """The lowest vouched record above ``next_index`` whose vouching peers all start past it."""
        for index in sorted(i for i in self.offers if i > next_index):
            record, start = self._vouched(index)
            if record is not None:
                return record if start > next_index else None
        return None
