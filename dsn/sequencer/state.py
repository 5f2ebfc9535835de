"""Typed reads of the kernel's durable state (FORMATS.md §4) through a :class:`RollupBackend`.

Key builders come from kernel_py (one definition of the layout); values are decoded here into
JSON-ready dictionaries for the HTTP API.
"""

from __future__ import annotations

import base64
from typing import NamedTuple

from dsn.sequencer.rollup_backend import RollupBackend
from kernel_py.blocks import STATUS_APPLIED, STATUS_FAILED, STATUS_REJECTED, block_key
from kernel_py.formats import dsn as fmt
from kernel_py.ledger import (
    BALANCE_PREFIX,
    NATIVE_STEP,
    asset_key,
    balance_key,
    chain_prefix,
    decode_asset,
    decode_seq_message,
    nonce_key,
)
from kernel_py.text import to_b64
from kernel_py.verify import committee_key

STATUS_NAMES = {STATUS_APPLIED: "applied", STATUS_FAILED: "failed", STATUS_REJECTED: "rejected"}


class TxResult(NamedTuple):
    """One entry of ``/blocks/<index>/results``, with the status named."""

    tx_id: bytes
    status: str
    error: str


def decode_results(raw: bytes) -> list[TxResult]:
    """The kernel's result entries (``tx_id (32) ‖ status u8 ‖ u16 len ‖ error``, as
    ``kernel_py.blocks.decode_results`` reads them, in one pass: one per transaction the sequencer
    tracks); ``ValueError`` if truncated."""
    out: list[TxResult] = []
    names = STATUS_NAMES
    p, n = 0, len(raw)
    while p < n:
        if n - p < 35:
            raise ValueError("truncated result entry")
        m = int.from_bytes(raw[p + 33:p + 35], "big")
        if m > n - p - 35:
            raise ValueError("truncated result entry")
        error = raw[p + 35:p + 35 + m].decode("utf-8", "replace") if m else ""
        out.append(TxResult(raw[p:p + 32], names.get(raw[p + 32], "unknown"), error))
        p += 35 + m
    return out


def step_bytes(step: str) -> bytes:
    """The 32 bytes a ledger key step names (FORMATS.md §4.2): ``0`` is the native asset, anything else
    unpadded base64url; ``ValueError`` if it is neither."""
    if step == NATIVE_STEP.decode():
        return bytes(32)
    raw = base64.urlsafe_b64decode(step + "=")  # (binascii.Error is a ValueError)
    if len(raw) != 32 or base64.urlsafe_b64encode(raw).decode() != step + "=":
        raise ValueError(f"not a ledger key step: {step!r}")
    return raw


def _u64(raw: bytes | None) -> int:
    return 0 if raw is None else int.from_bytes(raw, "big")


class KernelState:
    """Queries of the kernel state; ``None`` means absent."""

    def __init__(self, backend: RollupBackend) -> None:
        self.backend = backend

    async def _get(self, key: bytes | str) -> bytes | None:
        return await self.backend.value(key.decode() if isinstance(key, bytes) else key)

    async def head(self) -> dict:
        """Last fully applied pre-block (index 0 = genesis) and the state root."""
        raw = await self._get("/head")
        index = 0 if raw is None else int.from_bytes(raw[:8], "big")
        root = None if raw is None else raw[8:40].hex()
        return {"index": index, "root": root, "rollup_level": await self.backend.level(),
                "last_verified": _u64(await self._get("/dsn/last_index")),
                "rejections": _u64(await self._get("/rejections/count"))}

    async def applied_index(self) -> int:
        """The last fully applied pre-block (``index`` of :meth:`head`, one read)."""
        raw = await self._get("/head")
        return 0 if raw is None else int.from_bytes(raw[:8], "big")

    async def last_index(self) -> int:
        return _u64(await self._get("/dsn/last_index"))

    async def settled(self) -> bool:
        """No queued kernel work (announcements, direct txs) and no open block job."""
        head, tail = await self._get("/queue/head"), await self._get("/queue/tail")
        return _u64(head) == _u64(tail) and await self._get("/job/index") is None

    async def results(self, index: int) -> list[TxResult] | None:
        raw = await self._get(block_key(index, b"results"))
        return None if raw is None else decode_results(raw)

    async def block(self, index: int) -> dict | None:
        """Block ``index``: info, root and results (None while not applied)."""
        info = await self._get(block_key(index, b"info"))
        root = await self._get(block_key(index, b"root"))
        if info is None or root is None or len(info) != 60:
            return None
        results = await self.results(index) or []
        return {"index": index, "leader_digest": info[:32].hex(), "commit_timestamp": _u64(info[32:40]),
                "epoch": _u64(info[40:48]), "leader_round": _u64(info[48:56]), "tx_count": _u64(info[56:60]),
                "root": root.hex(),
                "results": [{"tx_id": r.tx_id.hex(), "status": r.status, "error": r.error} for r in results]}

    async def authorities(self, epoch: int) -> dict | None:
        raw = await self._get(committee_key(epoch))
        if raw is None:
            return None
        ok, c = fmt.decode_committee(raw)
        if not ok:
            raise ValueError(f"stored committee of epoch {epoch} does not decode")
        return {"epoch": c.epoch, "gc_depth": c.gc_depth, "total_stake": fmt.total_stake(c),
                "quorum": fmt.quorum_threshold(c),
                "authorities": [{"index": i, "public_key": a.public_key.hex(), "stake": a.stake}
                                for i, a in enumerate(c.authorities)]}

    async def messages(self, chain_id: bytes, start: int, limit: int) -> dict:
        """Shared-sequencer messages ``start … start+limit-1`` of ``chain_id`` (FORMATS.md §4.3); the
        ones the kernel pruned (``/setup/keep``, §4.4) are left out, ``count`` still counts them."""
        prefix = chain_prefix(chain_id).decode()
        count = _u64(await self._get(prefix + "/count"))
        out = []
        for n in range(start, min(count, start + limit)):
            raw = await self._get(f"{prefix}/{n}")
            if raw is None:
                continue
            m = decode_seq_message(raw)
            if not m.ok:
                raise ValueError(f"message {n} of chain {chain_id.hex()} is malformed")
            out.append({"n": n, "block": m.block, "tx_id": m.tx_id.hex(), "from": m.from_address.hex(),
                        "data": m.data.hex()})
        return {"chain_id": chain_id.hex(), "count": count, "messages": out}

    async def nonce(self, account: bytes) -> int:
        return _u64(await self._get(nonce_key(account)))

    async def balance(self, owner: bytes, asset: bytes) -> int:
        return _u64(await self._get(balance_key(owner, asset)))

    async def balances(self, owner: bytes) -> dict[str, int]:
        """Every non-zero balance of ``owner``, by asset id (hex)."""
        prefix = (BALANCE_PREFIX + to_b64(owner)).decode()
        return {step_bytes(step).hex(): _u64(await self._get(f"{prefix}/{step}"))
                for step in await self.backend.subkeys(prefix)}

    async def asset(self, asset: bytes) -> dict | None:
        a = decode_asset(await self._get(asset_key(asset)) or b"")
        if not a.exists:
            return None
        return {"asset": asset.hex(), "metadata": a.metadata.decode("utf-8", "replace"),
                "metadata_hex": a.metadata.hex(), "supply": a.supply, "owner": a.owner.hex(), "warp": a.warp}
