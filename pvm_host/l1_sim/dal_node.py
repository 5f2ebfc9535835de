"""The local DAL node: slot contents, published headers, attestation (docs/HOST.md "Local DAL").

**Not KZG.** Real commitments need the ZCash powers-of-tau SRS (~800 MB) that no Python package
uses for Tezos; this node's commitment is BLAKE2b with a 48-byte digest of the padded slot, shown
base58check with the slot-header prefix ``02 74 b4`` (``sh1…``, 74 characters), and the
"commitment proof" is 96 bytes: BLAKE2b-384 of ``01 ‖ commitment`` then of ``02 ‖ commitment``.
The local L1 checks a published commitment against the slot content this node stores, not a proof.

Life of a slot: ``post_slot`` pads the content to ``slot_size`` and keeps it under its commitment;
the L1 records a header (``publish``) at the level ``P`` of the block that includes the publish
operation; at level ``P + lag`` (:meth:`attest`) the slot is attested when this node holds content
with that commitment and a seeded draw does not fail it (``unattested_rate``). Attested contents are
kept ``retention`` levels after their attestation, posted ones (published or not) at most
``max_unpublished`` slots (least recently posted dropped first); everything is in memory (a restarted node has
no slots: headers in flight then end ``unattested``).
"""

from __future__ import annotations

import hashlib
import random
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from pvm_host.dal import DalParameters, attested_slots_messages
from pvm_spec.b58 import b58decode, b58encode

COMMITMENT_PREFIX = bytes([2, 116, 180])
COMMITMENT_SIZE = 48
PROOF_SIZE = 96


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
    retention: int = 64
    max_unpublished: int = 128
    headers: dict[tuple[int, int], Header] = field(default_factory=dict)
    _posted: OrderedDict[bytes, bytes] = field(default_factory=OrderedDict)  # commitment -> slot
    _attested: dict[tuple[int, int], bytes] = field(default_factory=dict)  # (P, i) -> slot
    _attested_at: dict[int, list[tuple[int, int]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not 0.0 <= self.unattested_rate <= 1.0:
            raise ValueError("the unattested rate is a probability (0 to 1)")
        self._rng = random.Random(self.seed)

    # ---- producer side -----------------------------------------------------------------------

    def post_slot(self, data: bytes, padding: int = 0) -> tuple[bytes, bytes]:
        """Store ``data`` padded to ``slot_size`` with ``padding``; returns (commitment, proof).
        ``ValueError`` when it is larger than a slot."""
        size = self.params.slot_size
        if len(data) > size:
            raise ValueError(f"Post_slot_too_large: the slot has {len(data)} bytes; slot_size is {size}")
        slot = data + bytes([padding]) * (size - len(data))
        commitment = commitment_of(slot)
        self._posted[commitment] = slot
        self._posted.move_to_end(commitment)
        while len(self._posted) > self.max_unpublished:
            self._posted.popitem(last=False)
        return commitment, proof_of(commitment)

    # ---- L1 side -----------------------------------------------------------------------------

    def publish(self, level: int, slot_index: int, commitment: bytes, publisher: bytes) -> None:
        """Record a header included at ``level`` (the caller checked the index and duplicates)."""
        self.headers[(level, slot_index)] = Header(commitment, publisher)

    def attest(self, level: int) -> tuple[list[bytes], list[int], list[int]]:
        """Decide the slots published at ``level − lag``: returns the ``Dal_attested_slots``
        messages for this level's inbox and the attested and unattested indices."""
        published = level - self.params.attestation_lag
        attested: list[int] = []
        failed: list[int] = []
        by_publisher: dict[bytes, set[int]] = {}
        for index in range(self.params.number_of_slots):
            header = self.headers.get((published, index))
            if header is None:
                continue
            content = self._posted.get(header.commitment)
            draw = self._rng.random() if self.unattested_rate > 0 else 1.0
            if content is None or draw < self.unattested_rate:
                header.status = "unattested"
                failed.append(index)
                continue
            header.status = "attested"
            attested.append(index)
            self._attested[(published, index)] = content
            by_publisher.setdefault(header.publisher, set()).add(index)
        self._attested_at[level] = [(published, i) for i in attested]
        self._prune(level)
        return attested_slots_messages(published, self.params, by_publisher), attested, failed

    def _prune(self, level: int) -> None:
        for old in [lv for lv in self._attested_at if lv <= level - self.retention]:
            for key in self._attested_at.pop(old):
                self._attested.pop(key, None)
        horizon = level - self.params.attestation_lag - self.retention
        for key in [k for k in self.headers if k[0] < horizon]:
            del self.headers[key]

    # ---- readers -----------------------------------------------------------------------------

    def attested_slot(self, published_level: int, slot_index: int) -> bytes | None:
        """:class:`pvm_host.dal.SlotSource`: the content of an attested slot still retained."""
        return self._attested.get((published_level, slot_index))

    def content(self, published_level: int, slot_index: int) -> bytes | None:
        """The slot's content when this node has it (attested, or published and still posted)."""
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
