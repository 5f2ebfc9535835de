"""Fault injection for the acknowledgement guarantee (tests/faults, ``scripts/chaos``).

:class:`Load` sends signed transfers and sequencer messages from several senders to a sequencer,
each sender in nonce order, resending the same bytes until they are acknowledged (the documented
client contract). :class:`Audit` then reads the kernel's blocks and durable state back and counts,
for the acknowledged transactions: applied, lost (never applied), duplicated (applied twice),
reordered (a sender's transactions not applied in nonce order), rewritten (``GET /txs`` not
``applied``), and checks balances, nonces and messages against a model. :class:`Faults` kills
(SIGKILL) and restarts the processes of a :class:`LocalStack`.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field

from nacl.signing import SigningKey

from dsn.sequencer.stack import LocalStack
from dsn.sequencer.txcheck import tx_id
from dsn.token import txbuild
from dsn.token.client import FINAL, SequencerClient, SequencerError

NATIVE = bytes(32)
CHAIN = b"chaos"


def chaos_key(i: int) -> SigningKey:
    return SigningKey(bytes([0xC5, i]) + bytes(30))


@dataclass
class Sent:
    """One signed transaction of the load: its sender, nonce, and what it does."""

    tx_id: str
    raw: bytes
    sender: bytes
    nonce: int
    to: bytes | None  # transfer recipient (None: a sequencer message)
    value: int
    data: bytes
    acked: bool = False


@dataclass
class Load:
    """Senders ``keys`` (funded at genesis) send to ``recipients`` at about ``rate`` tx/s in total."""

    url: str
    rollup: bytes
    keys: list[SigningKey]
    recipients: list[bytes]
    rate: float = 60.0
    seed: int = 1
    sent: dict[str, Sent] = field(default_factory=dict)
    order: dict[bytes, list[str]] = field(default_factory=dict)  # sender → tx ids in nonce order
    nonces: dict[bytes, int] = field(default_factory=dict)
    errors: int = 0

    def __post_init__(self) -> None:
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []

    def start(self) -> None:
        self.stopping.clear()
        client = SequencerClient(self.url, timeout=10)
        for k in self.keys:
            pk = bytes(k.verify_key)
            if pk not in self.nonces:
                self.nonces[pk] = client.account(pk)["nonce"]
        self.threads = [threading.Thread(target=self._sender, args=(i, k), daemon=True) for i, k in enumerate(self.keys)]
        for t in self.threads:
            t.start()

    def stop(self) -> None:
        """Stop sending; a request in flight is resent until acknowledged (at most 60 s more)."""
        self.stopping.set()
        for t in self.threads:
            t.join()

    @property
    def acked(self) -> list[Sent]:
        return [s for s in self.sent.values() if s.acked]

    def _sender(self, i: int, key: SigningKey) -> None:
        rng = random.Random(self.seed * 1000 + i)
        client = SequencerClient(self.url, timeout=10)
        pk = bytes(key.verify_key)
        interval = len(self.keys) * 2 / self.rate
        while not self.stopping.is_set():
            started = time.monotonic()
            batch = [self._make(rng, key, pk, self.nonces[pk] + j) for j in range(rng.randint(1, 3))]
            give_up = None
            while True:  # resend the same bytes until acknowledged
                try:
                    results = client.broadcast_many([raw for raw, _ in batch])
                    if all("tx_id" in r for r in results):
                        break
                    raise SequencerError(f"refused: {results}")
                except SequencerError:
                    with self.lock:
                        self.errors += 1
                    if self.stopping.is_set():
                        give_up = give_up or time.monotonic() + 60
                        if time.monotonic() > give_up:
                            return
                    time.sleep(0.2)
            with self.lock:
                for _, s in batch:
                    s.acked = True
                self.nonces[pk] += len(batch)
            time.sleep(max(0.0, interval - (time.monotonic() - started)))

    def _make(self, rng: random.Random, key: SigningKey, pk: bytes, nonce: int) -> tuple[bytes, Sent]:
        if rng.random() < 0.8:
            to, value, data = rng.choice(self.recipients), rng.randint(1, 9), b""
            raw = txbuild.sign_tx(key, self.rollup, nonce, txbuild.transfer(to, NATIVE, value))
        else:
            to, value, data = None, 0, f"{pk.hex()[:8]}:{nonce}".encode()
            raw = txbuild.sign_tx(key, self.rollup, nonce, txbuild.sequencer_msg(pk, data, CHAIN))
        s = Sent(tx_id(raw).hex(), raw, pk, nonce, to, value, data)
        with self.lock:
            if s.tx_id not in self.sent:
                self.sent[s.tx_id] = s
                self.order.setdefault(pk, []).append(s.tx_id)
        return raw, s


@dataclass
class Report:
    acknowledged: int = 0
    applied: int = 0
    lost: int = 0
    duplicated: int = 0
    reordered: int = 0
    rewritten: int = 0
    state_mismatches: list[str] = field(default_factory=list)
    rejected_copies: int = 0

    @property
    def ok(self) -> bool:
        return not (self.lost or self.duplicated or self.reordered or self.rewritten or self.state_mismatches)

    def line(self) -> str:
        return (f"acknowledged {self.acknowledged} applied {self.applied} lost {self.lost} duplicated {self.duplicated} "
                f"reordered {self.reordered} status-rewritten {self.rewritten} state-mismatches {len(self.state_mismatches)} "
                f"(harmless rejected copies {self.rejected_copies})")


class Audit:
    """Reads the kernel's blocks (incrementally) and durable state back through the sequencer API."""

    def __init__(self, url: str, genesis: dict[bytes, int]) -> None:
        self.client = SequencerClient(url, timeout=10)
        self.genesis = genesis
        self.scanned = 0
        self.applied: dict[str, list[tuple[int, int]]] = {}  # tx id → (block, position) of each applied copy
        self.rejected_copies = 0

    def _retry(self, fn, *args):
        deadline = time.monotonic() + 120
        while True:
            try:
                return fn(*args)
            except SequencerError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)

    def settle(self, load: Load, timeout: float = 120) -> bool:
        """Wait until every acknowledged transaction has a final status (True) or ``timeout``."""
        deadline = time.monotonic() + timeout
        waiting = [s.tx_id for s in load.acked]
        while waiting and time.monotonic() < deadline:
            status = self._retry(self.client.tx, waiting[0])
            if status is not None and status["status"] in FINAL:
                waiting.pop(0)
            else:
                time.sleep(0.2)
        return not waiting

    def scan(self) -> None:
        head = self._retry(self.client.head)["index"]
        while self.scanned < head:
            block = self._retry(self.client.block, self.scanned + 1)
            if block is None:
                break
            for pos, r in enumerate(block["results"]):
                if r["status"] in ("applied", "failed"):
                    self.applied.setdefault(r["tx_id"], []).append((block["index"], pos))
                else:
                    self.rejected_copies += 1
            self.scanned += 1

    def check(self, load: Load) -> Report:
        """Compare the kernel's blocks and state with what ``load`` sent (call after :meth:`settle`)."""
        self.scan()
        rep = Report(acknowledged=len(load.acked), rejected_copies=self.rejected_copies)
        balances = dict(self.genesis)
        for sender, ids in load.order.items():
            applied_ids = [t for t in ids if t in self.applied]
            positions = [self.applied[t][0] for t in applied_ids]
            if positions != sorted(positions):
                rep.reordered += sum(1 for a, b in zip(positions, positions[1:]) if b < a)
            for t in ids:
                s = load.sent[t]
                copies = len(self.applied.get(t, []))
                if copies and s.to is not None:
                    balances[sender] = balances.get(sender, 0) - s.value
                    balances[s.to] = balances.get(s.to, 0) + s.value
                if not s.acked:
                    continue
                rep.applied += min(copies, 1)
                rep.lost += copies == 0
                rep.duplicated += copies > 1
                if copies:
                    status = self._retry(self.client.tx, t)
                    rep.rewritten += status is None or status["status"] != "applied" or \
                        (status["block"], status["position"]) != self.applied[t][0]
            nonce = self._retry(self.client.account, sender)["nonce"]
            if nonce != len(applied_ids):
                rep.state_mismatches.append(f"nonce of {sender.hex()[:8]}: {nonce}, expected {len(applied_ids)}")
        for owner, amount in balances.items():
            got = self._retry(self.client.account, owner)["balances"].get(NATIVE.hex(), 0)
            if got != amount:
                rep.state_mismatches.append(f"balance of {owner.hex()[:8]}: {got}, model {amount}")
        self._check_messages(load, rep)
        return rep

    def _check_messages(self, load: Load, rep: Report) -> None:
        expected = sorted((self.applied[t][0], load.sent[t].data.hex()) for t in self.applied
                          if t in load.sent and load.sent[t].to is None)
        got, start = [], 0
        while True:
            page = self._retry(self.client.messages, CHAIN, start, 1000)
            got += [m["data"] for m in page["messages"]]
            start += len(page["messages"])
            if start >= page["count"] or not page["messages"]:
                break
        if got != [d for _, d in expected]:
            rep.state_mismatches.append(f"chain messages: {len(got)} stored, {len(expected)} expected or out of order")


class Faults:
    """SIGKILL and restart of the stack's processes."""

    def __init__(self, stack: LocalStack, block_time: float) -> None:
        self.stack = stack
        self.block_time = block_time
        self.client = SequencerClient(stack.sequencer_url, timeout=10)
        self.down: set[int] = set()

    @property
    def nodes(self) -> int:
        return len(self.stack.committee().authorities)

    def submit_node(self) -> int:
        """The DSN node (1-based) the sequencer submits to."""
        return int(self.client.health()["submit_node"])

    def next_leader(self) -> int:
        """The DSN node (1-based) leading the next even round after the kernel's last block."""
        head = self.client.head()["index"]
        block = self.client.block(head) if head else None
        leader_round = block["leader_round"] if block else 0
        return (leader_round + 2) // 2 % self.nodes + 1

    def kill_dsn(self, n: int) -> None:
        self.stack.kill_dsn_node(n)
        self.down.add(n)

    def restart_dsn(self, n: int) -> None:
        self.stack.restart_dsn_node(n)
        self.down.discard(n)

    def kill_sequencer(self) -> None:
        self.stack.kill_sequencer()

    def restart_sequencer(self) -> None:
        self.stack.start_sequencer()

    def kill_rollup(self) -> None:
        self.stack.kill_rollup()

    def restart_rollup(self) -> None:
        self.stack.restart_rollup(self.block_time)
