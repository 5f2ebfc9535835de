"""The local L1's blocks: protocol limits, the batcher's operations, DAL headers and attestation.

Each level of the local rollup node is one L1 block, built by :meth:`LocalL1.build_block`:

1. pending injected operations (``POST /injection/operation``), oldest first, while the block's
   manager operations stay within 524,288 bytes (the rest wait for the next block);
   ``dal_publish_commitment`` contents publish their header at this level;
2. the batcher: each of its ``batcher_keys`` sources makes at most one ``smart_rollup_add_messages``
   operation (one manager operation per source per block) of at most 32,768 bytes, filled with the
   oldest queued messages while the block budget lasts; the rest stay queued for later levels;
3. slots published at ``level − lag`` are attested or not (:meth:`DalNode.attest`); the
   ``Dal_attested_slots`` messages go at the end of this level's inbox (before End_of_level).

Each block's report also carries wall-clock times (Unix seconds): ``built_at`` (the block was
built), ``injected_at`` (when each included operation was injected) and ``applied_at`` (set by the
rollup node once the level is committed), so a client can time the DA stages.

Refused at injection, with nothing applied (octez error ids): an operation over 32,768 bytes, a
second pending operation of a source (one manager operation per source per block), a slot index
outside ``0 ≤ i < number_of_slots``, a second header for a slot index in the same block, a bad
signature (see :mod:`.operations`); past 4,096 pending operations a new one is refused
(``mempool_full``, HTTP 429: retry after a block). Pending operations live in memory (lost on a restart); with a
``directory`` the known keys, the counters (``l1.json``) and the DAL node's state are saved after
every block, before the rollup commits the level. Fees are estimated as the octez mempool minimum
(100 µꜩ + 0.1 µꜩ per gas unit + 1 µꜩ per byte) with gas 1,160 per publish (dal_costs), 1,000 per
reveal and, for ``smart_rollup_add_messages``, an **estimate** of 1,000 + 1 per 8 message bytes
(not measured against octez).
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections import OrderedDict, deque
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pvm_host.dal import MAINNET_PARAMETERS, DalParameters
from pvm_host.l1_sim.dal_node import DalNode
from pvm_host.l1_sim.operations import MAX_OPERATION_SIZE, Operation, OperationError, check_signature, parse_operation

MAX_BLOCK_MANAGER_BYTES = 524_288
# branch 32 + tag 1 + source 21 + fee/counter/gas/storage (≤ 11) + message list length 4 + signature 64
ADD_MESSAGES_OVERHEAD = 133
MESSAGE_OVERHEAD = 4  # u32 length of each message in the list
PUBLISH_GAS, REVEAL_GAS = 1_160, 1_000
MAX_PENDING = 4_096  # injected operations waiting for a block (the local mempool)


@dataclass(frozen=True)
class L1Profile:
    """Parametric constants of the local L1."""

    name: str
    block_time: float
    dal: DalParameters


PROFILES = {
    "sandbox": L1Profile("sandbox", 1.0, DalParameters(32, 2, 126_944, 3_967)),
    "mainnet": L1Profile("mainnet", 6.0, MAINNET_PARAMETERS),
}


def minimal_fee(gas: int, size: int) -> int:
    """The octez mempool's default minimal fee in mutez."""
    return 100 + math.ceil(gas * 100 / 1000) + size


def add_messages_gas(message_bytes: int) -> int:
    """Estimated gas of a ``smart_rollup_add_messages`` (see the module docstring)."""
    return 1_000 + message_bytes // 8


@dataclass
class BlockReport:
    """What one local L1 block carried (the per-level report)."""

    level: int
    manager_bytes: int = 0
    operations: int = 0
    batcher_operations: int = 0
    inbox_messages: int = 0
    inbox_bytes: int = 0
    dal_published: list[int] = field(default_factory=list)
    dal_attested: list[int] = field(default_factory=list)
    dal_unattested: list[int] = field(default_factory=list)
    gas: int = 0
    fees_mutez: int = 0
    built_at: float = 0.0  # wall-clock time (Unix seconds) the block was built
    injected_at: list[float] = field(default_factory=list)  # when each included operation was injected
    applied_at: float = 0.0  # when the rollup node committed the level of this block (0: not yet)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def line(self) -> str:
        return (f"L1 block {self.level}: {self.operations + self.batcher_operations} manager op(s), "
                f"{self.manager_bytes} B, inbox {self.inbox_messages} msg / {self.inbox_bytes} B, "
                f"DAL published {self.dal_published} attested {self.dal_attested} unattested "
                f"{self.dal_unattested}, gas {self.gas}, fees ≈ {self.fees_mutez} mutez")


def pack_messages(sizes: list[int], keys: int, budget: int) -> tuple[int, list[int]]:
    """How many of the queued messages (payload ``sizes``, in order) the batcher's ``keys`` operations
    carry within ``budget`` block bytes; returns (count, size of each operation)."""
    taken, ops = 0, []
    for _ in range(keys):
        if taken >= len(sizes):
            break
        size = ADD_MESSAGES_OVERHEAD
        while taken < len(sizes):
            nxt = size + MESSAGE_OVERHEAD + sizes[taken]
            if nxt > MAX_OPERATION_SIZE or sum(ops) + nxt > budget:
                break
            size, taken = nxt, taken + 1
        if size == ADD_MESSAGES_OVERHEAD:
            break
        ops.append(size)
    return taken, ops


class LocalL1:
    """Pending operations, block building and reports (see the module docstring). Thread-safe."""

    def __init__(self, profile: L1Profile, dal: DalNode, batcher_keys: int = 1,
                 accounts: dict[bytes, bytes] | None = None, reports: int = 256, directory: Path | None = None) -> None:
        if batcher_keys < 1:
            raise ValueError("the batcher needs at least one key")
        self.profile = profile
        self.dal = dal
        self.batcher_keys = batcher_keys
        self.keys: dict[bytes, bytes] = dict(accounts or {})  # pkh -> tagged public key
        self.reports: deque[BlockReport] = deque(maxlen=reports)
        self.block_operations: OrderedDict[int, list[Operation]] = OrderedDict()  # injected ops per block
        self.counters: dict[bytes, int] = {}  # last counter of each source's included operations
        self.head_level = -1  # level of the last block built (set once its operations and statuses are recorded)
        self._pending: list[Operation] = []
        self._injected_at: dict[int, float] = {}  # id of a pending operation -> injection time
        self._lock = threading.Lock()
        self.directory = directory
        saved = directory / "l1.json" if directory is not None else None
        if saved is not None and saved.is_file():
            state = json.loads(saved.read_text())
            self.keys = {bytes.fromhex(k): bytes.fromhex(v) for k, v in state["keys"].items()} | self.keys
            self.counters = {bytes.fromhex(k): v for k, v in state["counters"].items()}

    def inject(self, raw: bytes) -> str:
        """Validate a signed operation and add it to the next block; returns its hash."""
        op = parse_operation(raw)
        with self._lock:
            if len(self._pending) >= MAX_PENDING:
                raise OperationError("mempool_full", f"{MAX_PENDING} operations already wait for a block; retry later")
            check_signature(op, self.keys.get(op.source))
            if any(p.source == op.source for p in self._pending):
                raise OperationError("validate.operation.manager_restriction",
                                     "Manager_restriction: only one manager operation per source per block; "
                                     "the source already has an operation pending")
            taken = {c.slot_index for p in self._pending for c in p.contents if c.kind == "dal_publish_commitment"}
            for c in op.contents:
                if c.kind != "dal_publish_commitment":
                    continue
                if not 0 <= c.slot_index < self.dal.params.number_of_slots:
                    raise OperationError("dal_publish_commitment_invalid_index",
                                         f"Dal_publish_commitment_invalid_index: slot {c.slot_index}; "
                                         f"number_of_slots is {self.dal.params.number_of_slots}")
                if c.slot_index in taken:
                    raise OperationError("dal_publish_commitment_duplicate",
                                         f"Dal_publish_commitment_duplicate: slot {c.slot_index} already "
                                         "has a header in this block")
                taken.add(c.slot_index)
            for c in op.contents:
                if c.kind == "reveal":
                    self.keys[op.source] = c.public_key
            self._pending.append(op)
            self._injected_at[id(op)] = time.time()
        return op.hash

    def build_block(self, level: int, queued_sizes: list[int]) -> tuple[int, list[bytes], BlockReport]:
        """Block ``level``: returns (queued messages it carries, messages to append to the inbox, report)."""
        report = BlockReport(level, built_at=time.time())
        with self._lock:
            included = []
            for op in self._pending:
                if report.manager_bytes + len(op.raw) > MAX_BLOCK_MANAGER_BYTES:
                    break
                included.append(op)
                report.manager_bytes += len(op.raw)
                report.injected_at.append(self._injected_at.pop(id(op), 0.0))
            self._pending = self._pending[len(included):]
        self.block_operations[level] = included
        while len(self.block_operations) > (self.reports.maxlen or 0):
            self.block_operations.popitem(last=False)
        for op in included:
            gas = 0
            for c in op.contents:
                self.counters[c.source] = max(self.counters.get(c.source, 0), c.counter)
                if c.kind == "dal_publish_commitment":
                    self.dal.publish(level, c.slot_index, c.commitment, c.source)
                    report.dal_published.append(c.slot_index)
                    gas += PUBLISH_GAS
                else:
                    gas += REVEAL_GAS
            report.operations += 1
            report.gas += gas
            report.fees_mutez += minimal_fee(gas, len(op.raw))
        taken, op_sizes = pack_messages(queued_sizes, self.batcher_keys, MAX_BLOCK_MANAGER_BYTES - report.manager_bytes)
        report.batcher_operations = len(op_sizes)
        report.manager_bytes += sum(op_sizes)
        report.inbox_messages = taken
        report.inbox_bytes = sum(queued_sizes[:taken]) + taken  # with the 01 tag
        for size in op_sizes:
            gas = add_messages_gas(size - ADD_MESSAGES_OVERHEAD)
            report.gas += gas
            report.fees_mutez += minimal_fee(gas, size)
        tail, report.dal_attested, report.dal_unattested = self.dal.attest(level)
        report.inbox_messages += len(tail)
        report.inbox_bytes += sum(map(len, tail))
        self.reports.append(report)
        self.head_level = level  # last: a client that sees the new head finds its operations and DAL statuses
        self._save()
        return taken, tail, report

    def _save(self) -> None:
        """Keys and counters to ``l1.json`` and the DAL node's state (with a directory)."""
        if self.directory is None:
            return
        with self._lock:
            state = {"keys": {k.hex(): v.hex() for k, v in self.keys.items()},
                     "counters": {k.hex(): v for k, v in self.counters.items()}}
        tmp = self.directory / "l1.json.tmp"
        tmp.write_text(json.dumps(state))
        tmp.replace(self.directory / "l1.json")
        self.dal.save()

    def report(self, level: int) -> BlockReport | None:
        return next((r for r in self.reports if r.level == level), None)
