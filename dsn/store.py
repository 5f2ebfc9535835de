"""A node's persistent state in LMDB: certificates, batches, votes, own headers and commits.

Written with ``sync=False``: a committed transaction survives the process being killed (the data
is in the OS page cache); only a machine crash can lose the last transactions. (``writemap`` was
measured 4x slower for 500 kB batches: page faults on fresh pages.)
"""

from __future__ import annotations

import struct
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import lmdb

from dsn import codec

_U64 = struct.Struct(">Q")
_ROUND_AUTHOR = struct.Struct(">QH")
_COMMIT = struct.Struct(">QQ")
_ARRIVAL = struct.Struct(">QHI")  # arrival ms, peer, size
_EVIDENCE_HEAD = struct.Struct(">BII")


@dataclass
class EvidenceRef:
    """A commit's evidence by certificate digests (kind, anchor or b"", support, history)."""

    kind: int
    anchor: bytes = b""
    support: list[bytes] = field(default_factory=list)
    history: list[bytes] = field(default_factory=list)

    def encode(self) -> bytes:
        return b"".join([_EVIDENCE_HEAD.pack(self.kind, len(self.support), len(self.history)), self.anchor,
                         *self.support, *self.history])

    @classmethod
    def decode(cls, v: bytes) -> "EvidenceRef":
        kind, ns, nh = _EVIDENCE_HEAD.unpack_from(v)
        pos = _EVIDENCE_HEAD.size + (32 if kind == 2 else 0)
        ds = [bytes(v[i:i + 32]) for i in range(pos, len(v), 32)]
        return cls(kind, bytes(v[pos - 32:pos]) if kind == 2 else b"", ds[:ns], ds[ns:ns + nh])


class Store:
    """Tables: certificates by digest and by (round, author), batches, last vote per author,
    own proposed headers by round, own batches awaiting commit, commits by index (timestamp,
    leader round, certificate digests, and the evidence by digests), the commit index of each committed certificate, and the
    arrival time of peers' batches that no certificate has named yet (they expire), the last commit
    index of each committed batch, and how far committed batches were pruned (``dsn.retention``)."""

    def __init__(self, path: Path, map_size: int = 1 << 36) -> None:
        """Open (or create) the store; the map grows by doubling when full."""
        Path(path).mkdir(parents=True, exist_ok=True)
        self.env = lmdb.open(str(path), map_size=map_size, max_dbs=16, sync=False, metasync=False,
                             readahead=False)
        db = self.env.open_db
        self._certs = db(b"certificates")
        self._rounds = db(b"certificate_by_round")
        self._batches = db(b"batches")
        self._votes = db(b"votes")
        self._proposed = db(b"proposed")
        self._commits = db(b"commits")
        self._committed = db(b"committed")
        self._queued = db(b"queued_batches")
        self._unreferenced = db(b"unreferenced_batches")
        self._committed_batches = db(b"committed_batches")
        self._meta = db(b"meta")
        if self._get_meta(b"pruned_round") is None:
            # committed_batches is complete for commits from now on: rounds up to the last commit's
            # leader round may hold batches committed before it existed, so they are never pruned
            last = self.last_commit_index()
            self._write([(b"pruned_round", _U64.pack(self.get_commit(last)[1] if last else 0), self._meta)])
        self._evidence = db(b"evidence")

    def close(self) -> None:
        self.env.close()

    def _write(self, items: list[tuple[bytes, bytes | memoryview | None, object]]) -> None:
        """Apply ``(key, value or None to delete, table)`` items in one transaction; a full map is doubled."""
        while True:
            try:
                with self.env.begin(write=True) as txn:
                    for key, value, db in items:
                        if value is None:
                            txn.delete(key, db=db)
                        else:
                            txn.put(key, value, db=db)
                return
            except lmdb.MapFullError:
                self.env.set_mapsize(2 * self.env.info()["map_size"])

    # certificates -------------------------------------------------------------------------------
    def put_certificate(self, digest: bytes, round_: int, author: int, encoded: bytes) -> None:
        self._write([(digest, encoded, self._certs), (_ROUND_AUTHOR.pack(round_, author), digest, self._rounds)])

    def get_certificate(self, digest: bytes) -> bytes | None:
        with self.env.begin() as txn:
            return txn.get(digest, db=self._certs)

    def certificates_after(self, round_: int, limit: int) -> list[bytes]:
        """Up to ``limit`` certificates of rounds > ``round_`` in (round, author) order, whole rounds only
        unless a single round exceeds the limit."""
        out: list[bytes] = []
        last_round = None
        with self.env.begin() as txn:
            cur = txn.cursor(db=self._rounds)
            if not cur.set_range(_U64.pack(round_ + 1)):
                return out
            for key, digest in cur:
                r = _U64.unpack_from(key)[0]
                if len(out) >= limit and r != last_round:
                    break
                out.append(txn.get(digest, db=self._certs))
                last_round = r
        return out

    def highest_round(self) -> int:
        with self.env.begin() as txn:
            cur = txn.cursor(db=self._rounds)
            return _U64.unpack_from(cur.key())[0] if cur.last() else 0

    # batches ------------------------------------------------------------------------------------
    def put_batch(self, digest: bytes, encoded: bytes | memoryview) -> None:
        self._write([(digest, encoded, self._batches)])

    def get_batch(self, digest: bytes) -> bytes | None:
        with self.env.begin() as txn:
            return txn.get(digest, db=self._batches)

    def has_batch(self, digest: bytes) -> bool:
        return self.batch_size(digest) is not None

    def batch_size(self, digest: bytes) -> int | None:
        """Bytes of a stored batch, without copying it out of the map (batches reach hundreds of kB)."""
        with self.env.begin(buffers=True) as txn:
            value = txn.get(digest, db=self._batches)
            return None if value is None else len(value)

    # peers' batches no certificate named yet (docs: dsn/README.md, "Storage bounds") --------------
    def put_peer_batch(self, digest: bytes, encoded: bytes | memoryview, arrived_ms: int, peer: int) -> None:
        """Store a batch sent by ``peer`` with its arrival time (wall clock, milliseconds)."""
        mark = _ARRIVAL.pack(arrived_ms, peer, len(encoded))
        self._write([(digest, encoded, self._batches), (digest, mark, self._unreferenced)])

    def unreferenced(self) -> list[tuple[bytes, int, int, int]]:
        """(digest, arrival ms, peer, size) of every batch still unreferenced, oldest first."""
        with self.env.begin() as txn:
            out = [(bytes(k), *_ARRIVAL.unpack(v)) for k, v in txn.cursor(db=self._unreferenced)]
        return sorted(out, key=lambda e: e[1])

    def mark_referenced(self, digests: list[bytes]) -> None:
        self._write([(d, None, self._unreferenced) for d in digests])

    def delete_batches(self, digests: list[bytes]) -> None:
        """Delete batches (and their unreferenced marks)."""
        self._write([(d, None, t) for d in digests for t in (self._batches, self._unreferenced)])

    # votes and own headers ----------------------------------------------------------------------
    def last_vote(self, author: int) -> tuple[int, bytes] | None:
        with self.env.begin() as txn:
            v = txn.get(author.to_bytes(2, "big"), db=self._votes)
        return None if v is None else (_U64.unpack_from(v)[0], v[8:])

    def put_vote(self, author: int, round_: int, digest: bytes) -> None:
        self._write([(author.to_bytes(2, "big"), _U64.pack(round_) + digest, self._votes)])

    def get_proposed(self, round_: int) -> bytes | None:
        with self.env.begin() as txn:
            return txn.get(_U64.pack(round_), db=self._proposed)

    def put_proposed(self, round_: int, header: bytes) -> None:
        self._write([(_U64.pack(round_), header, self._proposed)])

    def last_proposed_round(self) -> int:
        with self.env.begin() as txn:
            cur = txn.cursor(db=self._proposed)
            return _U64.unpack_from(cur.key())[0] if cur.last() else 0

    # own batches reported to the primary and not yet committed -----------------------------------
    def put_queued(self, digest: bytes, worker_id: int) -> None:
        """Record an own batch queued for a header, stamped with the time (their order on recovery)."""
        self._write([(digest, worker_id.to_bytes(4, "big") + _U64.pack(time.time_ns()), self._queued)])

    def delete_queued(self, digests: list[bytes]) -> None:
        self._write([(d, None, self._queued) for d in digests])

    def queued(self) -> list[tuple[bytes, int]]:
        """The queued own batches ``(digest, worker id)`` in the order they were queued (those of an
        older store, without a stamp, first)."""
        with self.env.begin() as txn:
            rows = [(bytes(v[4:]), bytes(k), int.from_bytes(v[:4], "big")) for k, v in txn.cursor(db=self._queued)]
        return [(d, w) for _, d, w in sorted(rows)]

    # commits ------------------------------------------------------------------------------------
    def put_commit(self, index: int, commit_timestamp: int, leader_round: int, digests: list[bytes],
                   evidence: EvidenceRef, batches: Iterable[bytes] = ()) -> None:
        """Record sub-DAG ``index`` with its evidence, mark its certificates and its ``batches``
        committed, atomically."""
        key = _U64.pack(index)
        self._write([(key, _COMMIT.pack(commit_timestamp, leader_round) + b"".join(digests), self._commits),
                     (key, evidence.encode(), self._evidence)]
                    + [(d, key, self._committed) for d in digests]
                    + [(b, key, self._committed_batches) for b in batches])

    def get_evidence(self, index: int) -> EvidenceRef | None:
        """The evidence of sub-DAG ``index`` (None if it is not committed)."""
        with self.env.begin() as txn:
            v = txn.get(_U64.pack(index), db=self._evidence)
        return None if v is None else EvidenceRef.decode(v)

    def get_commit(self, index: int) -> tuple[int, int, list[bytes]] | None:
        """(commit timestamp, leader round, certificate digests in commit order) of sub-DAG ``index``."""
        with self.env.begin() as txn:
            v = txn.get(_U64.pack(index), db=self._commits)
        if v is None:
            return None
        ts, leader_round = _COMMIT.unpack_from(v)
        return ts, leader_round, [bytes(v[i:i + 32]) for i in range(16, len(v), 32)]

    def last_commit_index(self) -> int:
        with self.env.begin() as txn:
            cur = txn.cursor(db=self._commits)
            return _U64.unpack_from(cur.key())[0] if cur.last() else 0

    # retention (dsn.retention) ------------------------------------------------------------------
    def _get_meta(self, key: bytes) -> int | None:
        with self.env.begin() as txn:
            v = txn.get(key, db=self._meta)
        return None if v is None else _U64.unpack(v)[0]

    def pruned_commits(self) -> int:
        """Sub-DAGs 1 … this one have had their batches deleted (0: none)."""
        return self._get_meta(b"pruned_commits") or 0

    def pruned_round(self) -> int:
        """Rounds ≤ this one have had the batches of their uncommitted certificates deleted."""
        return self._get_meta(b"pruned_round") or 0

    def kept_round(self) -> int:
        """Certificates of rounds below this one are deleted (0 or 1: none)."""
        return self._get_meta(b"kept_round") or 0

    def commit_rounds(self, index: int) -> list[int]:
        """Rounds of the certificates commit ``index`` names (its sub-DAG and its evidence) that are stored."""
        commit, evidence = self.get_commit(index), self.get_evidence(index)
        if commit is None or evidence is None:
            return []
        digests = commit[2] + ([evidence.anchor] if evidence.anchor else []) + evidence.support + evidence.history
        with self.env.begin() as txn:
            found = [txn.get(d, db=self._certs) for d in digests]
        return [codec.decode_certificate(v).header.round for v in found if v is not None]

    def prune_certificates(self, below_round: int, limit: int) -> int:
        """Delete the certificates of rounds < ``below_round`` (with their round index and commit
        marks), oldest first and whole rounds at a time, stopping after the round where ``limit`` is
        reached; record how far rounds are deleted, atomically. Returns how many were deleted."""
        items: list[tuple[bytes, bytes | None, object]] = []
        kept, count, last = below_round, 0, -1
        with self.env.begin() as txn:
            for key, digest in txn.cursor(db=self._rounds):
                r = _U64.unpack_from(key)[0]
                if r >= below_round or (count >= limit and r != last):
                    kept = r
                    break
                items += [(bytes(key), None, self._rounds), (bytes(digest), None, self._certs),
                          (bytes(digest), None, self._committed)]
                count, last = count + 1, r
        if kept > self.kept_round():
            self._write(items + [(b"kept_round", _U64.pack(kept), self._meta)])
        return count

    def uncommitted_certificates(self, after_round: int, below_round: int) -> list[bytes]:
        """Encoded certificates of rounds in (after_round, below_round) that no sub-DAG committed."""
        out = []
        with self.env.begin() as txn:
            cur = txn.cursor(db=self._rounds)
            if cur.set_range(_U64.pack(after_round + 1)):
                for key, digest in cur:
                    if _U64.unpack_from(key)[0] >= below_round:
                        break
                    if txn.get(digest, db=self._committed) is None:
                        out.append(txn.get(digest, db=self._certs))
        return out

    def prune_uncommitted(self, upto_round: int, batches: list[bytes]) -> int:
        """Delete those of ``batches`` (named by uncommitted certificates of rounds ≤ ``upto_round``)
        that no sub-DAG committed and that are not own batches waiting for a header; record the
        round, atomically. Returns how many were deleted."""
        with self.env.begin() as txn:
            gone = [b for b in set(batches) if txn.get(b, db=self._committed_batches) is None
                    and txn.get(b, db=self._queued) is None and txn.get(b, db=self._batches) is not None]
        self._write([(b, None, t) for b in gone for t in (self._batches, self._unreferenced)]
                    + [(b"pruned_round", _U64.pack(upto_round), self._meta)])
        return len(gone)

    def prune_commit(self, index: int, batches: list[bytes], record: bool = False) -> None:
        """Delete the batches of sub-DAG ``index`` that no later sub-DAG committed again (and with
        ``record``, its commit record and evidence), and record that sub-DAGs up to ``index`` are
        pruned, atomically."""
        key = _U64.pack(index)
        with self.env.begin() as txn:
            mine = [b for b in batches if txn.get(b, db=self._committed_batches) == key]
        rows = [(key, None, self._commits), (key, None, self._evidence)] if record else []
        self._write([(b, None, t) for b in mine for t in (self._batches, self._committed_batches)] + rows
                    + [(b"pruned_commits", key, self._meta)])

    def skip_commits(self, upto: int) -> None:
        """Record that sub-DAGs up to ``upto`` will never be held here (a catch-up jumped over them)."""
        if upto > self.pruned_commits():
            self._write([(b"pruned_commits", _U64.pack(upto), self._meta)])

    def delete_proposed_below(self, round_: int) -> int:
        """Delete own proposed headers of rounds < ``round_``; return how many."""
        with self.env.begin() as txn:
            keys = []
            for k in txn.cursor(db=self._proposed).iternext(values=False):
                if _U64.unpack(k)[0] >= round_:
                    break
                keys.append(bytes(k))
        if keys:
            self._write([(k, None, self._proposed) for k in keys])
        return len(keys)

    def is_committed(self, digest: bytes) -> bool:
        with self.env.begin() as txn:
            return txn.get(digest, db=self._committed) is not None
