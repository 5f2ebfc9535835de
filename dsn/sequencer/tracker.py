"""Transaction status: what this sequencer accepted, which pre-block ordered it, and the kernel's result.

Results are learned by following the kernel's blocks (``/blocks/<i>/results``) from the rollup; the
in-memory maps are bounded (oldest entries are forgotten first).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass

from dsn import codec
from dsn.sequencer.state import KernelState
from kernel_py.formats.tx import decode_tx

log = logging.getLogger("dsn.sequencer")


def now_ms() -> int:
    return int(time.time() * 1000)


@dataclass
class Applied:
    block: int
    position: int
    status: str
    error: str
    seen_ms: int


class Bounded(OrderedDict):
    """An insertion-ordered dict that forgets its oldest entries beyond ``limit``."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def __setitem__(self, key, value) -> None:
        super().__setitem__(key, value)
        if len(self) > self.limit:
            self.popitem(last=False)


def preblock_txs(encoded: bytes) -> tuple[int, list[bytes]]:
    """Index and transactions (in order) of an encoded pre-block."""
    p = codec.decode_preblock(encoded)
    return p.index, [tx for b in p.batches for tx in b.transactions]


class TxTracker:
    """Submission, ordering and result of transactions, by tx id."""

    def __init__(self, limit: int = 1_000_000, blocks_kept: int = 256) -> None:
        self.submitted: Bounded = Bounded(limit)
        self.sequenced: Bounded = Bounded(limit)
        self.applied: Bounded = Bounded(limit)
        self.block_txs: Bounded = Bounded(blocks_kept)
        self.pending_nonce: dict[bytes, tuple[int, bytes]] = {}
        self.scanned = 0
        self.applied_count = 0

    def on_submitted(self, tx_id: bytes, signer: bytes, nonce: int) -> None:
        self.submitted[tx_id] = now_ms()
        current = self.pending_nonce.get(signer)
        if current is None or nonce + 1 > current[0]:
            self.pending_nonce[signer] = (nonce + 1, tx_id)

    def on_sequenced(self, index: int, txs: list[bytes]) -> None:
        self.block_txs[index] = txs
        for tx in txs:
            self.sequenced[codec.digest(tx)] = index

    def next_nonce(self, signer: bytes, state_nonce: int) -> int:
        """The nonce a new transaction of ``signer`` should use, counting its in-flight ones."""
        pending = self.pending_nonce.get(signer)
        return state_nonce if pending is None else max(state_nonce, pending[0])

    def status(self, tx_id: bytes) -> dict | None:
        """``pending`` (accepted, not yet ordered), ``sequenced`` (ordered, not yet applied) or the
        kernel's ``applied`` / ``failed`` / ``rejected``; None if unknown."""
        out: dict = {"tx_id": tx_id.hex()}
        if tx_id in self.submitted:
            out["submitted_ms"] = self.submitted[tx_id]
        if tx_id in self.sequenced:
            out["preblock"] = self.sequenced[tx_id]
        result = self.applied.get(tx_id)
        if result is not None:
            out.update(status=result.status, error=result.error, block=result.block, position=result.position,
                       applied_ms=result.seen_ms)
            if "submitted_ms" in out:
                out["latency_ms"] = result.seen_ms - out["submitted_ms"]
            return out
        if "preblock" in out:
            return dict(out, status="sequenced")
        if "submitted_ms" in out:
            return dict(out, status="pending")
        return None

    def record_block(self, index: int, results: list) -> None:
        seen = now_ms()
        for pos, r in enumerate(results):
            self.applied[r.tx_id] = Applied(index, pos, r.status, r.error, seen)
            self.applied_count += 1
        for signer, (_, tx_id) in list(self.pending_nonce.items()):
            if tx_id in self.applied:
                del self.pending_nonce[signer]
        self.scanned = index

    def block_tx_bodies(self, index: int) -> list[bytes] | None:
        return self.block_txs.get(index)

    async def follow(self, state: KernelState, poll: float = 0.2, history: int = 10_000) -> None:
        """Record the results of every block the kernel applies (from ``head − history`` on)."""
        first = True
        while True:
            try:
                head = (await state.head())["index"]
                if first:
                    self.scanned = max(0, head - history)
                    first = False
                while self.scanned < head:
                    results = await state.results(self.scanned + 1)
                    if results is None:  # applied (≤ head) but pruned by the kernel (/setup/keep)
                        self.scanned += 1
                        continue
                    self.record_block(self.scanned + 1, results)
            except Exception as exc:  # the rollup may be restarting: keep following
                log.warning("tx tracker: %s", exc)
            await asyncio.sleep(poll)


def describe_tx(raw: bytes) -> dict:
    """A summary of a user transaction for ``watch`` (actor, action, fields)."""
    tx = decode_tx(raw)
    if not tx.ok:
        return {"action": "invalid", "error": tx.error.decode()}
    names = {0: "transfer", 1: "create_asset", 2: "mint_asset", 3: "burn_asset", 4: "modify_asset", 7: "sequencer_msg"}
    out: dict = {"actor": tx.signer.hex(), "nonce": tx.nonce, "action": names.get(tx.action, "unknown")}
    if tx.action in (0, 2):
        out.update(to=tx.to.hex(), asset=tx.asset.hex(), value=tx.value)
    elif tx.action == 1:
        out.update(metadata=tx.data.decode("utf-8", "replace"))
    elif tx.action == 3:
        out.update(asset=tx.asset.hex(), value=tx.value)
    elif tx.action == 4:
        out.update(asset=tx.asset.hex(), owner=tx.to.hex(), metadata=tx.data.decode("utf-8", "replace"))
    elif tx.action == 7:
        out.update(**{"from": tx.to.hex()}, data=tx.data.hex(), chain_id=tx.chain_id.hex())
    return out
