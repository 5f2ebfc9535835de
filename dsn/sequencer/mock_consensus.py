"""``--mock-consensus``: valid signed pre-blocks produced locally from a committee's keys (no DSN).

Every authority proposes in every round with all previous-round certificates as parents, and a
quorum (by stake, lowest indices first) signs each header. One commit runs an even and an odd
round: the even round's scheduled leader carries the transactions, every certificate of the odd
round references it (its direct support), and it is committed with its uncommitted causal
history and that support as kind-01 evidence (FORMATS.md §1.4-1.5). The state needed to continue the DAG (round,
index, timestamp, the latest round's digests and uncommitted certificates) and every produced
pre-block are kept in a directory, so a restarted sequencer continues the same chain.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from nacl.signing import SigningKey

from dsn import codec
from dsn.codec import Batch, Certificate, Committee, Header, PayloadEntry, Signer

MAX_TXS_PER_BATCH = 500


class MockConsensus:
    """Produces the pre-blocks ``1, 2, …`` of a local committee; ``state_dir`` makes it durable."""

    def __init__(self, keys: list[SigningKey], committee: Committee, state_dir: Path | None = None) -> None:
        if [bytes(k.verify_key) for k in keys] != [a.public_key for a in committee.authorities]:
            raise ValueError("the keys must be the committee's, in committee order")
        self.keys = keys
        self.committee = committee
        self.state_dir = state_dir
        self.round = 0
        self.index = 0
        self.timestamp = 0
        self.last: list[bytes] = sorted(codec.genesis_digests(committee))
        self.uncommitted: dict[bytes, Certificate] = {}
        self.signers = self._quorum_signers()
        if state_dir is not None:
            state_dir.mkdir(parents=True, exist_ok=True)
            self._load()

    def _quorum_signers(self) -> list[int]:
        need, have, out = codec.quorum_threshold(self.committee), 0, []
        for i, a in enumerate(self.committee.authorities):
            if have >= need:
                break
            out.append(i)
            have += a.stake
        return out

    def _certify(self, header: Header) -> Certificate:
        message = codec.vote_message(codec.header_digest(header))
        return Certificate(header, [Signer(i, self.keys[i].sign(message).signature) for i in self.signers])

    def _round(self, created_at: int, leader_batches: list[bytes]) -> list[Certificate]:
        """Advance one round; returns its certificates (by author)."""
        self.round += 1
        n = len(self.keys)
        leader = (self.round // 2) % n if self.round % 2 == 0 else -1
        made = []
        for author in range(n):
            payload = [PayloadEntry(codec.digest(b), 0) for b in leader_batches] if author == leader else []
            made.append(self._certify(Header(author, self.round, self.committee.epoch, created_at, payload, self.last)))
        for c in made:
            self.uncommitted[codec.header_digest(c.header)] = c
        self.last = sorted(codec.header_digest(c.header) for c in made)
        return made

    def commit(self, txs: list[bytes], now_ms: int) -> bytes:
        """The next pre-block, carrying ``txs`` (in order) in its leader's batches; encoded."""
        batches = [codec.encode_batch(Batch(txs[i:i + MAX_TXS_PER_BATCH])) for i in range(0, len(txs), MAX_TXS_PER_BATCH)]
        if self.round % 2 == 0:
            self._round(now_ms, [])  # the first commit (or state from before the support rounds)
        leader = self._round(now_ms, batches)[(self.round // 2) % len(self.keys)]
        support = self._round(now_ms, [])
        by_digest = {codec.digest(b): b for b in batches}
        horizon = max(1, leader.header.round - self.committee.gc_depth)
        todo, seen = [codec.header_digest(leader.header)], set()
        while todo:
            d = todo.pop()
            cert = self.uncommitted.get(d)
            if d in seen or cert is None or cert.header.round < horizon or cert.header.round > leader.header.round:
                continue
            seen.add(d)
            todo.extend(cert.header.parents)
        certs = sorted((self.uncommitted.pop(d) for d in seen), key=lambda c: (c.header.round, c.header.author))
        self.index += 1
        self.timestamp = max(self.timestamp, now_ms)
        evidence = codec.encode_evidence_fast(codec.EVIDENCE_DIRECT, b"", [codec.encode_certificate(c) for c in support], [])
        encoded = codec.encode_preblock_fast(
            self.index, self.timestamp, [codec.encode_certificate(c) for c in certs],
            [by_digest[e.digest] for c in certs for e in c.header.payload], evidence)
        self._save(encoded)
        return encoded

    def preblock(self, index: int) -> bytes | None:
        """A previously produced pre-block (only with a state directory)."""
        if self.state_dir is None:
            return None
        path = self.state_dir / f"preblock-{index}.bin"
        return path.read_bytes() if path.exists() else None

    def _save(self, encoded: bytes) -> None:
        if self.state_dir is None:
            return
        (self.state_dir / f"preblock-{self.index}.bin").write_bytes(encoded)
        state = {"round": self.round, "index": self.index, "timestamp": self.timestamp,
                 "last": [d.hex() for d in self.last],
                 "uncommitted": [codec.encode_certificate(c).hex() for c in self.uncommitted.values()]}
        tmp = self.state_dir / "state.tmp"
        tmp.write_text(json.dumps(state))
        os.replace(tmp, self.state_dir / "state.json")

    def _load(self) -> None:
        assert self.state_dir is not None
        path = self.state_dir / "state.json"
        if not path.exists():
            return
        raw = json.loads(path.read_text())
        self.round, self.index, self.timestamp = int(raw["round"]), int(raw["index"]), int(raw["timestamp"])
        self.last = [bytes.fromhex(d) for d in raw["last"]]
        for text in raw["uncommitted"]:
            cert = codec.decode_certificate(bytes.fromhex(text))
            self.uncommitted[codec.header_digest(cert.header)] = cert
