"""The sequencer's DAL poster (:class:`dsn.sequencer.dal_backend.DalBackend`) driven level by level
against an in-process local L1 (:mod:`pvm_host.l1_sim`): the same calls as over HTTP, without the
HTTP and JSON. Used by tests and ``scripts/bench_da``."""

from __future__ import annotations

from dsn.sequencer.dal_backend import ZERO_BRANCH, DalError, DalParams, DalRpc
from pvm_host.l1_sim.chain import LocalL1
from pvm_host.l1_sim.dal_node import commitment_b58
from pvm_host.l1_sim.operations import OperationError
from pvm_spec import b58


def address_of(pkh: bytes) -> str:
    """``tz1…``/``tz2…``/``tz3…``/``tz4…`` of a 21-byte public key hash (as the local L1's routes write it)."""
    return b58.encode(("tz1", "tz2", "tz3", "tz4")[pkh[0]], pkh[1:])


class LocalDalRpc(DalRpc):
    """:class:`DalRpc` answered by a :class:`LocalL1` and its DAL node, as its HTTP routes answer."""

    def __init__(self, l1: LocalL1) -> None:
        super().__init__("local://dal", "local://l1")
        self.l1 = l1
        self.posted_bytes = 0

    def parameters(self) -> DalParams:
        p = self.l1.dal.params
        return DalParams(p.number_of_slots, p.attestation_lag, p.slot_size, p.page_size)

    def post_slot(self, data: bytes, index: int) -> tuple[str, str]:
        commitment, proof = self.l1.dal.post_slot(data)
        self.posted_bytes += len(data)
        return commitment_b58(commitment), proof.hex()

    def publications(self, level: int) -> list[tuple[str, int, str]]:
        ops = self.l1.block_operations.get(level)
        if ops is None:
            raise DalError(f"block {level} is not among the last blocks kept", 404)
        return [(address_of(c.source), c.slot_index, commitment_b58(c.commitment))
                for op in ops for c in op.contents if c.kind == "dal_publish_commitment"]

    def status(self, level: int, index: int) -> str:
        answer = self.l1.dal.status(level, index)
        return str(answer["kind"]) if isinstance(answer, dict) else str(answer)

    def inject(self, signed: bytes) -> str:
        try:
            return self.l1.inject(signed)
        except OperationError as exc:
            raise DalError(f"POST /injection/operation: {exc}", 400) from exc

    def head_level(self) -> int | None:
        return self.l1.head_level

    def branch(self) -> str:
        return ZERO_BRANCH

    def revealed(self, pkh: str) -> bool | None:
        return None

    def counter(self, pkh: str) -> int | None:
        return None


class Levels:
    """The ``inner`` backend of a :class:`DalBackend` driven by hand: its level, the kernel's
    ``/dsn/last_index`` (``applied``) and nothing pending."""

    def __init__(self, address: bytes) -> None:
        self.address = address
        self.current = 0
        self.applied = 0

    async def value(self, key: str) -> bytes | None:
        return self.applied.to_bytes(8, "big") if key == "/dsn/last_index" and self.applied else None

    async def level(self) -> int:
        return self.current

    async def pending(self) -> int:
        return 0

    async def close(self) -> None:
        return None
