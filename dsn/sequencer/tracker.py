"""Transaction status: what this sequencer holds, which pre-block ordered it, and the kernel's result.

Results are learned by following the kernel's blocks (``/blocks/<i>/results``) from the rollup and
kept in the sequencer's store; the in-memory maps of recent pre-blocks are bounded.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from typing import TYPE_CHECKING

from dsn import codec
from dsn.sequencer.custody import ORDERED, Custody, now_ms
from dsn.sequencer.state import KernelState
from kernel_py.formats.tx import decode_tx

if TYPE_CHECKING:
    from dsn.sequencer.tracing import TxTracing

log = logging.getLogger("dsn.sequencer")

MAX_DUPLICATES = 16


_last_decoded: tuple[bytes, codec.PreBlock] | None = None


def decoded_preblock(encoded: bytes) -> codec.PreBlock:
    """``codec.decode_preblock(encoded)``, kept for the last pre-block: the DA task decodes each one it
    receives (:func:`preblock_summary`) and then hands the same bytes to the dashboard's observer."""
    global _last_decoded
    if _last_decoded is not None and _last_decoded[0] is encoded:
        return _last_decoded[1]
    p = codec.decode_preblock(encoded)
    _last_decoded = (encoded, p)
    return p


def last_decoded(encoded: bytes) -> codec.PreBlock | None:
    """The decoded pre-block if ``encoded`` is the last one :func:`decoded_preblock` decoded, else None."""
    return _last_decoded[1] if _last_decoded is not None and _last_decoded[0] is encoded else None


def preblock_summary(encoded: bytes) -> tuple[int, int, list[bytes]]:
    """Index, commit timestamp (ms) and transactions (in order) of an encoded pre-block."""
    p = decoded_preblock(encoded)
    return p.index, p.commit_timestamp, [tx for b in p.batches for tx in b.transactions]


def preblock_txs(encoded: bytes) -> tuple[int, list[bytes]]:
    """Index and transactions (in order) of an encoded pre-block."""
    index, _, txs = preblock_summary(encoded)
    return index, txs


class Bounded(OrderedDict):
    """An insertion-ordered dict that forgets its oldest entries beyond ``limit``."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def __setitem__(self, key, value) -> None:
        super().__setitem__(key, value)
        if len(self) > self.limit:
            self.popitem(last=False)


def _merge(prev: dict | None, new: dict) -> dict | None:
    """The stored result of a transaction after another result of it (None: unchanged). The first
    result that consumed the nonce (applied/failed) stays; other copies become ``duplicates``."""
    if prev is None:
        return new
    if (prev["block"], prev["position"]) == (new["block"], new["position"]):
        return None  # the same block applied again (the rollup was replayed)
    dups = prev.get("duplicates", [])
    if prev["status"] == "rejected" and new["status"] != "rejected":
        first = {k: prev[k] for k in ("block", "position", "status", "error")}
        out = dict(new, duplicates=[first] + dups)
        if "submitted_ms" in prev:
            out["submitted_ms"] = prev["submitted_ms"]
        return out
    copy = {k: new[k] for k in ("block", "position", "status", "error")}
    if copy in dups or len(dups) >= MAX_DUPLICATES:
        return None
    return dict(prev, duplicates=dups + [copy])


class TxTracker:
    """Status of transactions: held (``pending``/``sequenced``) by :class:`Custody`, final results in
    its :class:`StatusStore` (never rewritten by a later copy), ordering seen in recent pre-blocks."""

    def __init__(self, custody: Custody, limit: int = 1_000_000, blocks_kept: int = 256) -> None:
        self.custody = custody
        self.store = custody.store
        self.sequenced: Bounded = Bounded(limit)
        self.block_txs: Bounded = Bounded(blocks_kept)
        self.commit_ms: Bounded = Bounded(blocks_kept)  # pre-block index -> DSN commit time
        self.scanned = self.store.scanned() or 0
        self.applied_count = 0
        self.tracing: TxTracing | None = None  # OpenTelemetry traces of transactions (off: None)

    def on_sequenced(self, index: int, txs: list[bytes], commit_ms: int) -> None:
        self.block_txs[index] = txs
        self.commit_ms[index] = commit_ms
        ids = [codec.digest(tx) for tx in txs]
        for t in ids:
            self.sequenced[t] = index
        self.custody.on_preblock(index, commit_ms, ids, awaited=index > self.scanned)

    def next_nonce(self, signer: bytes, state_nonce: int) -> int:
        """The nonce a new transaction of ``signer`` should use, counting the ones held here."""
        held = self.custody.next_nonce(signer)
        return state_nonce if held is None else max(state_nonce, held)

    def status(self, tx_id: bytes) -> dict | None:
        """The final result (``applied`` / ``failed`` / ``rejected``, with ``duplicates`` if other
        copies were ordered), else ``sequenced`` (ordered, result not yet known) or ``pending``
        (held, not yet ordered); None if unknown."""
        out: dict = {"tx_id": tx_id.hex()}
        result = self.store.result(tx_id)
        if result is not None:
            out.update(result)
            if "submitted_ms" in out:
                out["latency_ms"] = result["applied_ms"] - out["submitted_ms"]
                if "committed_ms" in out:  # the pre-confirmation: ordered by the DSN
                    out["commit_latency_ms"] = out["committed_ms"] - out["submitted_ms"]
            return out
        h = self.custody.held.get(tx_id)
        if h is not None:  # its latest copy decides (an earlier copy may have been ordered too early)
            out["submitted_ms"] = h.accepted_ms
            return dict(out, status="sequenced", preblock=h.ordered) if h.state == ORDERED else dict(out, status="pending")
        if tx_id in self.sequenced:
            return dict(out, status="sequenced", preblock=self.sequenced[tx_id])
        return None

    def decide(self, blocks: list[tuple[int, list]]) -> tuple[dict[bytes, dict], list[tuple[bytes, int]]]:
        """The kernel's results of consecutive blocks: the results to store and the custody ended."""
        seen = now_ms()
        out: dict[bytes, dict] = {}
        released: list[tuple[bytes, int]] = []  # (tx id, accepted ms): the custody records ended
        for index, results in blocks:
            committed_ms = self.commit_ms.get(index)
            for pos, r in enumerate(results):
                ended = self.custody.on_result(index, r.tx_id, r.status, r.error)
                if ended is False:
                    continue
                if self.tracing is not None:
                    self.tracing.applied(r.tx_id, index, pos, r.status, r.error)
                new = {"block": index, "position": pos, "status": r.status, "error": r.error, "applied_ms": seen}
                if committed_ms is not None:
                    new["committed_ms"] = committed_ms
                if ended is not None:
                    new["submitted_ms"] = ended.accepted_ms
                    released.append((r.tx_id, ended.accepted_ms))
                prev = out.get(r.tx_id)
                if prev is None and ended is None:  # a held transaction has no stored result (Custody.hold)
                    prev = self.store.result(r.tx_id)
                merged = _merge(prev, new)
                if merged is not None:
                    out[r.tx_id] = merged
                self.applied_count += 1
            self.scanned = index
        return out, released

    def record_blocks(self, blocks: list[tuple[int, list]]) -> None:
        """Record the kernel's results of consecutive blocks (one store write)."""
        out, released = self.decide(blocks)
        self.store.record(out, released, self.scanned)

    def record_block(self, index: int, results: list) -> None:
        self.record_blocks([(index, results)])

    def block_tx_bodies(self, index: int) -> list[bytes] | None:
        return self.block_txs.get(index)

    async def follow(self, state: KernelState, poll: float = 0.05, history: int = 10_000, per_write: int = 64) -> None:
        """Record the results of every block the kernel applies: from the last block recorded
        (persisted), or ``head − history`` on a fresh store. The head is read every ``poll`` seconds
        (one small durable read): a result's ``applied_ms`` is then at most that late."""
        first = self.store.scanned() is None
        while True:
            try:
                head = await state.applied_index()
                if first:
                    self.scanned = max(0, head - history)
                    first = False
                while self.scanned < head:
                    blocks = []
                    for i in range(self.scanned + 1, min(head, self.scanned + per_write) + 1):
                        results = await state.results(i)
                        # i <= head was applied; no results means the kernel pruned it (/setup/keep)
                        blocks.append((i, [] if results is None else results))
                    out, released = self.decide(blocks)
                    await asyncio.to_thread(self.store.record, out, released, self.scanned)
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
