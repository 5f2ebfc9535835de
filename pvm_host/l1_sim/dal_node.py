"""The local DAL node: slot contents, published headers, attestation (docs/HOST.md "Local DAL").

**Not KZG.** Real commitments need the ZCash powers-of-tau SRS (~800 MB) that no Python package
uses for Tezos; this node's commitment is BLAKE2b with a 48-byte digest of the padded slot, shown
base58check with the slot-header prefix ``02 74 b4`` (``sh1…``, 74 characters), and the
"commitment proof" is 96 bytes: BLAKE2b-384 of ``01 ‖ commitment`` then of ``02 ‖ commitment``.
The local L1 checks a published commitment against the slot content this node stores, not a proof.

Life of a slot: ``post_slot`` pads the content to ``slot_size`` and keeps it under its commitment
until a header with that commitment is decided (then an attested content is kept as attested);
the L1 records a header (``publish``) at the level ``P`` of the block that includes the publish
operation; at level ``P + lag`` (:meth:`attest`) the slot is attested when this node holds content
with that commitment and a seeded draw does not fail it (``unattested_rate``). Attested contents are
kept ``retention`` levels after their attestation, posted ones (not yet decided) at most
``max_unpublished`` slots (least recently posted dropped first; by default enough for every slot
index during ``lag + 2`` levels). The draw of a slot depends only on (seed, P, index), and
deciding a level again (a level re-run after a crash) gives the same answer and messages.

Without a ``directory`` everything is in memory. With one (``<state-dir>/l1`` of ``dsn rollup
node``) the node survives restarts: each posted slot is a file ``slots/<commitment hex>`` (written
before ``POST /slots`` answers), the headers with their statuses are saved in ``dal.json`` after
every block (:meth:`save`), and files no longer referenced are deleted.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pvm_host.dal import DalParameters, attested_slots_messages
from pvm_spec.b58 import b58decode, b58encode

COMMITMENT_PREFIX = bytes([2, 116, 180])
COMMITMENT_SIZE = 48
PROOF_SIZE = 96


def _write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically (write a temporary file, then rename)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _is_commitment_hex(name: str) -> bool:
    """Whether a file name is a slot file's (96 lowercase hex digits); others are ignored."""
    return len(name) == 2 * COMMITMENT_SIZE and all(c in "0123456789abcdef" for c in name)


def _checksum(data: bytes) -> bytes:
    return hashlib.sha256(hashlib.sha256(data).digest()).digest()[:4]


def commitment_of(slot: bytes) -> bytes:
    """The stand-in commitment of a padded slot: BLAKE2b, 48-byte digest."""
    return hashlib.blake2b(slot, digest_size=COMMITMENT_SIZE).digest()


def proof_of(commitment: bytes) -> bytes:
    """The stand-in 96-byte commitment proof."""
    return b"".join(hashlib.blake2b(bytes([i]) + commitment, digest_size=48).digest() for i in (1, 2))


def commitment_b58(commitment: bytes) -> str:
    """``sh1…`` text of a 48-byte commitment."""
    raw = COMMITMENT_PREFIX + commitment
    return b58encode(raw + _checksum(raw))


def commitment_from_b58(text: str) -> bytes:
    """48-byte commitment of an ``sh1…`` text; ``ValueError`` if malformed."""
    raw = b58decode(text)
    body, check = raw[:-4], raw[-4:]
    if len(raw) != 3 + COMMITMENT_SIZE + 4 or _checksum(body) != check or not body.startswith(COMMITMENT_PREFIX):
        raise ValueError(f"{text[:80]!r} is not a slot commitment (sh1…)")
    return body[3:]


@dataclass
class Header:
    """A slot header published on the local L1."""

    commitment: bytes
    publisher: bytes  # 21-byte pkh
    status: str = "waiting_attestation"  # then "attested" or "unattested"


@dataclass
class DalNode:
    """Slot store and attestation of the local L1 (see the module docstring)."""

    params: DalParameters
    unattested_rate: float = 0.0
    seed: int = 0
    retention: int = 16
    max_unpublished: int = 0  # 0: every slot index for lag + 2 levels (at least 128)
    directory: Path | None = None
    headers: dict[tuple[int, int], Header] = field(default_factory=dict)
    _posted: OrderedDict[bytes, bytes] = field(default_factory=OrderedDict)  # commitment -> slot
    _attested: dict[tuple[int, int], bytes] = field(default_factory=dict)  # (P, i) -> slot
    _attested_at: dict[int, list[tuple[int, int]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not 0.0 <= self.unattested_rate <= 1.0:
            raise ValueError("the unattested rate is a probability (0 to 1)")
        if self.max_unpublished <= 0:
            self.max_unpublished = max(128, self.params.number_of_slots * (self.params.attestation_lag + 2))
        self._lock = threading.Lock()  # routes run on the event loop, blocks in a worker thread
        if self.directory is not None:
            (self.directory / "slots").mkdir(parents=True, exist_ok=True)
            self._load()

    # ---- producer side -----------------------------------------------------------------------

    def post_slot(self, data: bytes, padding: int = 0) -> tuple[bytes, bytes]:
        """Store ``data`` padded to ``slot_size`` with ``padding``; returns (commitment, proof).
        ``ValueError`` when it is larger than a slot."""
        size = self.params.slot_size
        if len(data) > size:
            raise ValueError(f"Post_slot_too_large: the slot has {len(data)} bytes; slot_size is {size}")
        slot = data + bytes([padding]) * (size - len(data))
        commitment = commitment_of(slot)
        with self._lock:
            if self.directory is not None and commitment not in self._posted:
                _write(self.directory / "slots" / commitment.hex(), slot)
            self._posted[commitment] = slot
            self._posted.move_to_end(commitment)
            while len(self._posted) > self.max_unpublished:
                self._forget(self._posted.popitem(last=False)[0])
        return commitment, proof_of(commitment)

    # ---- L1 side -----------------------------------------------------------------------------

    def publish(self, level: int, slot_index: int, commitment: bytes, publisher: bytes) -> None:
        """Record a header included at ``level`` (the caller checked the index and duplicates)."""
        with self._lock:
            self.headers[(level, slot_index)] = Header(commitment, publisher)

    def attest(self, level: int) -> tuple[list[bytes], list[int], list[int]]:
        """Decide the slots published at ``level − lag``: returns the ``Dal_attested_slots``
        messages for this level's inbox and the attested and unattested indices."""
        with self._lock:
            return self._attest(level)

    def _attest(self, level: int) -> tuple[list[bytes], list[int], list[int]]:
        published = level - self.params.attestation_lag
        attested: list[int] = []
        failed: list[int] = []
        by_publisher: dict[bytes, set[int]] = {}
        for index in range(self.params.number_of_slots):
            header = self.headers.get((published, index))
            if header is None:
                continue
            content = self._attested.get((published, index)) if header.status == "attested" else \
                None if header.status == "unattested" else self._posted.get(header.commitment)
            if content is None or self._fails(published, index):
                header.status = "unattested"
                failed.append(index)
                continue
            header.status = "attested"
            attested.append(index)
            self._attested[(published, index)] = content
            by_publisher.setdefault(header.publisher, set()).add(index)
        self._attested_at[level] = [(published, i) for i in attested]
        self._drop_decided(published)
        self._prune(level)
        return attested_slots_messages(published, self.params, by_publisher), attested, failed

    def _drop_decided(self, published: int) -> None:
        """Posted contents of the headers just decided leave the posted store (attested ones are
        kept as attested), unless a header still waiting uses the same commitment."""
        decided = {h.commitment for (p, _), h in self.headers.items() if p == published}
        waiting = {h.commitment for h in self.headers.values() if h.status == "waiting_attestation"}
        referenced = None
        for commitment in decided - waiting:
            if self._posted.pop(commitment, None) is not None and self.directory is not None:
                referenced = referenced if referenced is not None else {h.commitment for h in self.headers.values()}
                self._forget(commitment, referenced)

    def _fails(self, published: int, index: int) -> bool:
        """The seeded draw of slot (P, i): the same answer whenever it is asked."""
        if self.unattested_rate <= 0:
            return False
        key = b"%d/%d/%d" % (self.seed, published, index)
        draw = int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "big") / 2**64
        return draw < self.unattested_rate

    def _prune(self, level: int) -> None:
        for old in [lv for lv in self._attested_at if lv <= level - self.retention]:
            for key in self._attested_at.pop(old):
                self._attested.pop(key, None)
        horizon = level - self.params.attestation_lag - self.retention
        dropped = [self.headers.pop(k).commitment for k in [k for k in self.headers if k[0] < horizon]]
        if dropped and self.directory is not None:
            referenced = {h.commitment for h in self.headers.values()}
            for commitment in dropped:
                self._forget(commitment, referenced)

    # ---- persistence -------------------------------------------------------------------------

    def _forget(self, commitment: bytes, referenced: set[bytes] | None = None) -> None:
        """Delete the file of a slot that is neither posted-and-kept nor referenced by a header."""
        if self.directory is None or commitment in self._posted:
            return
        if referenced is None:
            referenced = {h.commitment for h in self.headers.values()}
        if commitment not in referenced:
            (self.directory / "slots" / commitment.hex()).unlink(missing_ok=True)

    def save(self) -> None:
        """Write the headers and the attestation record to ``dal.json`` (no-op without a directory)."""
        if self.directory is None:
            return
        with self._lock:
            state = {"headers": [[p, i, h.commitment.hex(), h.publisher.hex(), h.status]
                                 for (p, i), h in sorted(self.headers.items())],
                     "attested_at": [[lv, [list(k) for k in keys]] for lv, keys in sorted(self._attested_at.items())]}
        _write(self.directory / "dal.json", json.dumps(state).encode())

    def _load(self) -> None:
        assert self.directory is not None
        slots = sorted((self.directory / "slots").iterdir(), key=lambda f: f.stat().st_mtime_ns)
        contents = {bytes.fromhex(f.name): f for f in slots if _is_commitment_hex(f.name)}
        state_file = self.directory / "dal.json"
        if state_file.is_file():
            state = json.loads(state_file.read_text())
            for p, i, commitment, publisher, status in state["headers"]:
                self.headers[(p, i)] = Header(bytes.fromhex(commitment), bytes.fromhex(publisher), status)
            for lv, keys in state["attested_at"]:
                self._attested_at[lv] = [(p, i) for p, i in keys]
                for key in self._attested_at[lv]:
                    path = contents.get(self.headers[key].commitment) if key in self.headers else None
                    if path is not None:
                        self._attested[key] = path.read_bytes()
        decided = {h.commitment for h in self.headers.values() if h.status != "waiting_attestation"}
        waiting = {h.commitment for h in self.headers.values() if h.status == "waiting_attestation"}
        posted = [(c, f) for c, f in contents.items() if c in waiting or c not in decided]
        for commitment, path in posted[-self.max_unpublished:]:
            self._posted[commitment] = path.read_bytes()
        referenced = {h.commitment for h in self.headers.values()}
        for commitment in contents:
            self._forget(commitment, referenced)

    # ---- readers -----------------------------------------------------------------------------

    def attested_slot(self, published_level: int, slot_index: int) -> bytes | None:
        """:class:`pvm_host.dal.SlotSource`: the content of an attested slot still retained."""
        return self._attested.get((published_level, slot_index))

    def content(self, published_level: int, slot_index: int) -> bytes | None:
        """The slot's content when this node has it (attested, or published and still posted)."""
        with self._lock:
            slot = self._attested.get((published_level, slot_index))
            if slot is None:
                header = self.headers.get((published_level, slot_index))
                slot = self._posted.get(header.commitment) if header is not None else None
        return slot

    def status(self, published_level: int, slot_index: int) -> Any:
        """Octez's ``…/status`` answer."""
        header = self.headers.get((published_level, slot_index))
        if header is None:
            return "unpublished"
        if header.status == "attested":
            return {"kind": "attested", "attestation_lag": self.params.attestation_lag}
        return header.status

    def protocol_parameters(self, minimal_block_delay: float) -> dict[str, Any]:
        """``GET /protocol_parameters``: the DAL part of octez's answer."""
        p = self.params
        return {
            "feature_enable": True,
            "incentives_enable": False,
            "number_of_slots": p.number_of_slots,
            "attestation_lag": p.attestation_lag,
            "attestation_lags": [p.attestation_lag],
            "attestation_threshold": 66,
            "cryptobox_parameters": {"redundancy_factor": 8, "page_size": p.page_size, "slot_size": p.slot_size,
                                     "number_of_shards": 512},
            "dal_attested_slots_validity_lag": 241_920,
            "minimal_block_delay": str(int(minimal_block_delay)) if minimal_block_delay >= 1 else "1",
            "commitment": "local stand-in (BLAKE2b-384 of the padded slot), not KZG",
        }
