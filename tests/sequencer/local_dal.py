"""The sequencer's DAL poster (:class:`dsn.sequencer.dal_backend.DalBackend`) driven level by level
against an in-process local L1 (:mod:`pvm_host.l1_sim`): the same calls as over HTTP, without the
HTTP and JSON. Used by tests and ``scripts/bench_da``."""

from __future__ import annotations

from dsn.sequencer.dal_backend import ZERO_BRANCH, DalError, DalParams, DalRpc
from pvm_host.l1_sim.chain import LocalL1
from pvm_host.l1_sim.dal_node import commitment_b58
from pvm_host.l1_sim.operations import OperationError


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

    def status(self, level: int, index: int) -> str:
        answer = self.l1.dal.status(level, index)
        return str(answer["kind"]) if isinstance(answer, dict) else str(answer)

    def inject(self, signed: bytes) -> str:
        try:
            return self.l1.inject(signed)
        except OperationError as exc:
            raise DalError(f"POST /injection/operation: {exc}", 400) from exc

    def branch(self) -> str:
        return ZERO_BRANCH

    def revealed(self, pkh: str) -> bool | None:
        return None

    def counter(self, pkh: str) -> int | None:
        return None


class Levels:
    """The ``inner`` backend of a :class:`DalBackend` driven by hand: its level and nothing pending."""

    def __init__(self, address: bytes) -> None:
        self.address = address
        self.current = 0

    async def level(self) -> int:
        return self.current

    async def pending(self) -> int:
        return 0

    async def close(self) -> None:
        return None
