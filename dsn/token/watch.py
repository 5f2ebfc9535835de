"""``dsn token watch``: one line per applied block (height, txs, root, TPS, split) and per transaction."""

from __future__ import annotations

import time
from collections import deque
from typing import Callable

from dsn.token.client import SequencerClient

TPS_WINDOW_MS = 10_000


def tx_line(r: dict) -> str:
    """``✅ <id> actor: <pk> summary (<action>): [...]``; failures show ⚠️ and the kernel's error."""
    mark = "✅" if r["status"] == "applied" else "⚠️"
    action = r.get("action", "?")
    if action == "transfer" or action == "mint_asset":
        summary = f"{r['value']} {_asset(r['asset'])} -> {r['to']}"
    elif action == "create_asset":
        summary = f"assetID: {r['tx_id']} metadata: {r['metadata']}"
    elif action == "burn_asset":
        summary = f"{r['value']} {_asset(r['asset'])} -> 🔥"
    elif action == "modify_asset":
        summary = f"asset: {r['asset']} metadata: {r['metadata']} owner: {r['owner']}"
    elif action == "sequencer_msg":
        summary = f"chain: {r['chain_id']} data: {r['data']}"
    else:
        summary = ""
    if r["status"] != "applied":
        summary = f"{r['status']}: {r['error']}"
    return f"{mark} {r['tx_id']} actor: {r.get('actor', '?')} summary ({action}): [{summary}]"


def _asset(asset_hex: str) -> str:
    return "TKN" if asset_hex == "00" * 32 else asset_hex


class BlockRate:
    """token-cli's rolling TPS (transactions of the last 10 s / min(10 s, time since the first block),
    by commit timestamps) and the split to the previous block."""

    def __init__(self) -> None:
        self.window: deque[tuple[int, int]] = deque()
        self.first: int | None = None
        self.previous: int | None = None

    def add(self, timestamp_ms: int, txs: int) -> tuple[float | None, int | None]:
        """TPS and split (ms) after a block; both None for the first block."""
        self.window.append((timestamp_ms, txs))
        while self.window[0][0] <= timestamp_ms - TPS_WINDOW_MS:
            self.window.popleft()
        if self.first is None or self.previous is None:
            self.first = self.previous = timestamp_ms
            return None, None
        span_s = max(1, min(TPS_WINDOW_MS, timestamp_ms - self.first)) / 1000
        split = timestamp_ms - self.previous
        self.previous = timestamp_ms
        return sum(n for _, n in self.window) / span_s, split


def block_line(block: dict, tps: float | None, split: int | None) -> str:
    line = f"height:{block['index']} txs:{block['tx_count']} root:{block['root']}"
    if tps is not None and split is not None:
        line += f" TPS:{tps:.2f} split:{split}ms"
    return line


def watch(client: SequencerClient, start: int | None, count: int | None, poll: float, hide_txs: bool,
          echo: Callable[[str], None]) -> None:
    """Print blocks from ``start`` (default: the next one) until ``count`` were printed (or forever)."""
    following = client.head()["index"] + 1 if start is None else start
    rate = BlockRate()
    printed = 0
    while count is None or printed < count:
        head = client.head()["index"]
        while following <= head and (count is None or printed < count):
            block = client.block(following, with_txs=not hide_txs)
            if block is None:
                break
            tps, split = rate.add(block["commit_timestamp"], block["tx_count"])
            echo(block_line(block, tps, split))
            if not hide_txs:
                for r in block["results"]:
                    echo(tx_line(r))
            following += 1
            printed += 1
        time.sleep(poll)
