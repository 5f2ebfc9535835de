"""``dsn token spam``: fund N accounts, send 1-unit transfers between them at a rate, return the funds.

Progress each second: ``txs seen: <n> success rate: <p>% inflight: <n> issued/s: <n>`` (token-cli's
line), where *seen* counts results of the issued transfers found in applied blocks.
"""

from __future__ import annotations

import random
import time
from typing import Callable

from nacl.signing import SigningKey

from dsn.token import txbuild
from dsn.token.client import SequencerClient, SequencerError

NATIVE = bytes(32)


class ResultFollower:
    """Collects the results of tracked tx ids from the blocks the kernel applies."""

    def __init__(self, client: SequencerClient) -> None:
        self.client = client
        self.next = client.head()["index"] + 1
        self.tracked: set[str] = set()
        self.seen = 0
        self.applied = 0

    def poll(self) -> None:
        head = self.client.head()["index"]
        while self.next <= head:
            block = self.client.block(self.next)
            if block is None:
                return
            for r in block["results"]:
                if r["tx_id"] in self.tracked:
                    self.tracked.discard(r["tx_id"])
                    self.seen += 1
                    self.applied += r["status"] == "applied"
            self.next += 1

    def drain(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.tracked and time.monotonic() < deadline:
            self.poll()
            time.sleep(0.2)


def _broadcast(client: SequencerClient, follower: ResultFollower, txs: list[bytes]) -> int:
    results = client.broadcast_many(txs)
    ids = [r["tx_id"] for r in results if "tx_id" in r]
    follower.tracked.update(ids)
    return len(ids)


def spam(client: SequencerClient, root: SigningKey, accounts: int, rate: float, duration: float, fund: int,
         echo: Callable[[str], None], seed: int | None = None) -> dict:
    """Run the load; returns counters (issued, seen, applied, returned)."""
    rng = random.Random(seed)
    rollup = bytes.fromhex(client.health()["rollup_address"])
    keys = [SigningKey(rng.randbytes(32)) for _ in range(accounts)]
    pks = [bytes(k.verify_key) for k in keys]
    follower = ResultFollower(client)
    root_pk = bytes(root.verify_key)
    nonce = client.account(root_pk)["next_nonce"]
    funding = [txbuild.sign_tx(root, rollup, nonce + i, txbuild.transfer(pk, NATIVE, fund)) for i, pk in enumerate(pks)]
    _broadcast(client, follower, funding)
    echo(f"funding {accounts} accounts with {fund} each ...")
    follower.drain(120)
    if follower.tracked:
        raise SequencerError(f"{len(follower.tracked)} funding transfers were not applied in 120 s")
    nonces = [0] * accounts
    issued = 0
    start = last_report = time.monotonic()
    reported_issued, reported_seen = 0, follower.seen
    while time.monotonic() - start < duration:
        due = int((time.monotonic() - start) * rate) + 1 - issued
        if due > 0:
            batch = []
            for _ in range(due):
                i, j = rng.randrange(accounts), rng.randrange(accounts)
                batch.append(txbuild.sign_tx(keys[i], rollup, nonces[i], txbuild.transfer(pks[j], NATIVE, 1)))
                nonces[i] += 1
            issued += _broadcast(client, follower, batch)
        follower.poll()
        now = time.monotonic()
        if now - last_report >= 1:
            seen = follower.seen - reported_seen
            echo(f"txs seen: {follower.seen - accounts} success rate: "
                 f"{100 * (follower.applied - accounts) / max(1, follower.seen - accounts):.2f}% "
                 f"inflight: {len(follower.tracked)} issued/s: {(issued - reported_issued) / (now - last_report):.0f}"
                 f" (seen/s: {seen / (now - last_report):.0f})")
            last_report, reported_issued, reported_seen = now, issued, follower.seen
        time.sleep(0.05)
    follower.drain(120)
    returned = 0
    back = []
    for k, pk, n in zip(keys, pks, nonces):
        balance = client.account(pk)["balances"].get(NATIVE.hex(), 0)
        if balance:
            back.append(txbuild.sign_tx(k, rollup, n, txbuild.transfer(root_pk, NATIVE, balance)))
            returned += balance
    if back:
        _broadcast(client, follower, back)
        follower.drain(120)
    echo(f"returned funds: {returned}")
    return {"issued": issued, "seen": follower.seen - accounts - len(back), "applied": follower.applied - accounts - len(back),
            "returned": returned}
