"""A mock DAL for kernel tests: published slots, attestation, the ``reveal`` answers for tags 02
(page) and 03 (parameters) per docs dal.md §1.2/§2.2, and ``Dal_attested_slots`` messages (§2.3)."""

from __future__ import annotations

from dataclasses import dataclass, field

from pvm_host.pvm import PvmState
from pvm_spec.michelson import zarith


def attested_message(published: int, params: DalParams, by_publisher: list[tuple[bytes, list[int]]]) -> bytes:
    """``00 05 ‖ P i32 ‖ slots u16 ‖ slot_size i32 ‖ page_size u16 ‖ u32 len ‖ (pkh ‖ z bitset)*``."""
    body = b"".join(pkh + zarith(sum(1 << i for i in slots)) for pkh, slots in by_publisher)
    return (b"\x00\x05" + published.to_bytes(4, "big") + params.slots.to_bytes(2, "big")
            + params.slot_size.to_bytes(4, "big") + params.page_size.to_bytes(2, "big")
            + len(body).to_bytes(4, "big") + body)


@dataclass
class DalParams:
    slots: int = 16
    lag: int = 2
    slot_size: int = 4 * 3967
    page_size: int = 3967


@dataclass
class MockDal:
    """Slots published at level P (zero-padded), the attested ones, and the current level."""

    params: DalParams = field(default_factory=DalParams)
    published: dict[tuple[int, int], bytes] = field(default_factory=dict)
    attested: set[tuple[int, int]] = field(default_factory=set)
    level: int = 0
    requests: list[bytes] = field(default_factory=list)

    def publish(self, level: int, index: int, data: bytes, attest: bool = True) -> None:
        assert len(data) <= self.params.slot_size
        self.published[(level, index)] = data + bytes(self.params.slot_size - len(data))
        if attest:
            self.attested.add((level, index))

    def reveal(self, request: bytes, max_bytes: int) -> bytes:
        """Tag 02: the page if attested and ``P + lag <= level``, else b""; tag 03: the parameters."""
        self.requests.append(request)
        p = self.params
        if request == b"\x03":
            data = b"".join(v.to_bytes(8, "big") for v in (p.slots, p.lag, p.slot_size, p.page_size))
        elif len(request) == 8 and request[0] == 2:
            level = int.from_bytes(request[1:5], "big", signed=True)
            index, page = request[5], int.from_bytes(request[6:8], "big", signed=True)
            slot = self.published.get((level, index))
            ok = (slot is not None and (level, index) in self.attested and level + p.lag <= self.level
                  and 0 <= page < p.slot_size // p.page_size)
            data = slot[page * p.page_size:(page + 1) * p.page_size] if ok else b""
        else:
            data = b""
        return data[:max_bytes]

    def install(self, pvm: PvmState) -> None:
        """Answer the PVM's generic reveals from this DAL."""
        pvm.reveal = self.reveal  # type: ignore[method-assign]
