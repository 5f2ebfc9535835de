"""The DAL as the PVM sees it (docs/HOST.md "DAL"; spec dal.md §1–2): reveal requests 02/03, the
page validity rules and the ``Dal_attested_slots`` inbox message.

- :class:`DalParameters`: number of slots, attestation lag, slot size, page size; :meth:`encode` is
  the 32-byte answer to reveal ``03`` (four int64 big-endian).
- :func:`decode_page_request`: reveal ``02`` ‖ published level i32 BE ‖ slot u8 ‖ page i16 BE,
  exactly 8 bytes (anything else is undecodable and reveals 0 bytes, as in ``sc_rollup_wasm.ml``).
- :func:`page_id_valid`: ``0 ≤ page < slot_size / page_size``, ``0 ≤ slot < number_of_slots``,
  ``P ≥ activation level``, ``P > origination level``, ``P + lag ≤ I ≤ P + lag + validity lag``.
- :class:`DalView`: answers a page request from a :class:`SlotSource` (the attested slots' contents):
  a full ``page_size`` page when the id is valid and the slot attested, else ``b""``.
- :func:`attested_slots_messages`: ``00 05 ‖ P i32 ‖ slots u16 ‖ slot_size i32 ‖ page_size u16 ‖
  u32 length ‖ (publisher 21 B ‖ slot bitset as Zarith z)*``, split so each message is ≤ 4,096 bytes.
- :class:`PagesDir`: the octez wasm debugger's ``--dal-pages-dir`` (files ``<P>-<slot>-<page>``).
- :class:`DalReveals`: what :class:`pvm_host.pvm.PvmState` needs (both of the above).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from pvm_spec.constants import MAX_IO_SIZE
from pvm_spec.michelson import zarith

ATTESTED_SLOTS_TAG = b"\x00\x05"
VALIDITY_LAG = 241_920  # dal_attested_slots_validity_lag (mainnet, 024 and 025)
PUBLISHER_LEN = 21


@dataclass(frozen=True)
class DalParameters:
    """The DAL parameters a kernel reads with reveal ``03``."""

    number_of_slots: int
    attestation_lag: int
    slot_size: int
    page_size: int

    def __post_init__(self) -> None:
        if not (0 < self.number_of_slots <= 256 and 0 < self.attestation_lag and 0 < self.page_size <= MAX_IO_SIZE
                and self.slot_size > 0 and self.slot_size % self.page_size == 0):
            raise ValueError(f"invalid DAL parameters {self}: 1-256 slots, lag ≥ 1, page size ≤ {MAX_IO_SIZE} "
                             "dividing the slot size")

    @property
    def pages_per_slot(self) -> int:
        return self.slot_size // self.page_size

    def encode(self) -> bytes:
        """The reveal ``03`` answer: four int64 big-endian."""
        return b"".join(v.to_bytes(8, "big", signed=True) for v in
                        (self.number_of_slots, self.attestation_lag, self.slot_size, self.page_size))

    @classmethod
    def parse(cls, text: str) -> DalParameters:
        """``SLOTS,LAG,SLOT_SIZE,PAGE_SIZE`` (the ``--dal-parameters`` option)."""
        parts = text.split(",")
        if len(parts) != 4 or not all(p.strip().isdigit() for p in parts):
            raise ValueError(f"DAL parameters {text!r}: expected SLOTS,LAG,SLOT_SIZE,PAGE_SIZE (integers)")
        slots, lag, slot_size, page_size = (int(p) for p in parts)
        return cls(slots, lag, slot_size, page_size)


# The Rust SDK mock host's defaults (dal.md §1.3); 025 mainnet (§2.1).
MOCK_PARAMETERS = DalParameters(16, 8, 126_944, 3_967)
MAINNET_PARAMETERS = DalParameters(160, 5, 380_832, 3_967)


def decode_page_request(request: bytes) -> tuple[int, int, int] | None:
    """(published level, slot index, page index) of an exact 8-byte ``02`` request, else None."""
    if len(request) != 8 or request[0] != 2:
        return None
    return (int.from_bytes(request[1:5], "big", signed=True), request[5],
            int.from_bytes(request[6:8], "big", signed=True))


def page_id_valid(params: DalParameters, published: int, slot: int, page: int, origination_level: int,
                  current_level: int, activation_level: int = 0, validity_lag: int = VALIDITY_LAG) -> bool:
    """The import-window rules of dal.md §2.2 (one attestation lag)."""
    ready = published + params.attestation_lag
    return (0 <= page < params.pages_per_slot and 0 <= slot < params.number_of_slots
            and published >= activation_level and published > origination_level
            and ready <= current_level <= ready + validity_lag)


class SlotSource(Protocol):
    """Contents (exactly ``slot_size`` bytes) of attested slots."""

    def attested_slot(self, published_level: int, slot_index: int) -> bytes | None:
        """The slot's content if it was published at that level and attested, else None."""
        ...


@dataclass
class DalView:
    """What the PVM host needs to answer reveals ``02`` and ``03``."""

    params: DalParameters
    source: SlotSource
    activation_level: int = 0
    validity_lag: int = VALIDITY_LAG

    def page(self, request: bytes, origination_level: int, current_level: int) -> bytes:
        """The answer to a ``02`` request: the full page, or b"" (invalid, unattested, undecodable)."""
        decoded = decode_page_request(request)
        if decoded is None:
            return b""
        published, slot, page = decoded
        if not page_id_valid(self.params, published, slot, page, origination_level, current_level,
                             self.activation_level, self.validity_lag):
            return b""
        content = self.source.attested_slot(published, slot)
        if content is None or len(content) != self.params.slot_size:
            return b""
        size = self.params.page_size
        return content[page * size:(page + 1) * size]


class DalReveals(Protocol):
    """What the PVM host asks to answer reveals ``02`` and ``03`` (:class:`DalView`, :class:`PagesDir`)."""

    params: DalParameters

    def page(self, request: bytes, origination_level: int, current_level: int) -> bytes:
        """The answer to a ``02`` request (b"" when not available)."""
        ...


@dataclass
class PagesDir:
    """The octez wasm debugger's ``--dal-pages-dir``: the page ``(P, slot, page)`` is the content of
    the file ``<dir>/<P>-<slot>-<page>``, as is, without validity checks; a missing file reveals 0
    bytes (the debugger prompts for it on stdin instead). ``params`` answer reveal ``03`` (the
    debugger does not support it)."""

    directory: Path
    params: DalParameters = MOCK_PARAMETERS

    def page(self, request: bytes, origination_level: int, current_level: int) -> bytes:
        decoded = decode_page_request(request)
        if decoded is None:
            return b""
        path = self.directory / "{}-{}-{}".format(*decoded)
        return path.read_bytes() if path.is_file() else b""


def _attested_message(published: int, params: DalParameters, entries: list[bytes]) -> bytes:
    body = b"".join(entries)
    return (ATTESTED_SLOTS_TAG + published.to_bytes(4, "big", signed=True) + params.number_of_slots.to_bytes(2, "big")
            + params.slot_size.to_bytes(4, "big") + params.page_size.to_bytes(2, "big")
            + len(body).to_bytes(4, "big") + body)


def attested_slots_messages(published: int, params: DalParameters, slots: dict[bytes, set[int]]) -> list[bytes]:
    """``Dal_attested_slots`` messages for slots published at ``published`` and attested now, per
    publisher (21-byte pkh, sorted); several messages when one would exceed 4,096 bytes; none if empty."""
    messages: list[bytes] = []
    entries: list[bytes] = []
    header = len(_attested_message(published, params, []))
    size = header
    for publisher in sorted(slots):
        if len(publisher) != PUBLISHER_LEN:
            raise ValueError("a publisher is a 21-byte implicit account hash")
        indices = slots[publisher]
        if not indices:
            continue
        entry = publisher + zarith(sum(1 << i for i in indices))
        if entries and size + len(entry) > MAX_IO_SIZE:
            messages.append(_attested_message(published, params, entries))
            entries, size = [], header
        entries.append(entry)
        size += len(entry)
    if entries:
        messages.append(_attested_message(published, params, entries))
    return messages
