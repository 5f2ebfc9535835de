"""Custody of acknowledged transactions: the sequencer keeps every transaction it acknowledged
(persisted in :class:`StatusStore`) until the kernel gives it a final result, and resubmits it
when its copy in the DSN may be lost or was ordered too early.

States of a held transaction (its *latest copy*):

* ``SENDING``: in a submission call; ``SUBMITTED``: a DSN node acknowledged the copy (quorum);
* ``ORDERED``: seen in committed pre-block ``ordered``, waiting for the kernel's result;
* ``RETRY``: to be submitted again — the node holding the copy failed a later call, or pre-blocks
  were committed T × 2^(c − 1) after its c-th copy was acknowledged without it, T the larger of
  ``resubmit_after_ms`` and twice the DSN's smoothed ordering lag (the wait doubles per copy up to
  ``MAX_BACKOFF`` ×, so a DSN that is slow rather than lossy is not flooded with copies), or the
  sequencer restarted (treated as acknowledged at restart time);
* ``WAITING``: the copy was ordered before an earlier nonce of the same sender that is also held
  (the kernel said ``invalid nonce: expected e, got n > e``); it is submitted again, in nonce
  order, with that sender's next retry or once one of the sender's held transactions is final.

Final results: ``applied``/``failed`` (the nonce is consumed: no copy can apply again), and
``rejected`` — a nonce below the account's (used by another transaction), a nonce above it with
a gap this sequencer does not hold, or any other kernel error. A rejection of a copy other than
the latest ordered one changes nothing.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import re
import time
from dataclasses import dataclass

from dsn.sequencer.sources import SubmitError
from dsn.sequencer.status_store import StatusStore
from dsn.sequencer.txcheck import Admitted
from kernel_py.formats.tx import decode_tx

SENDING, SUBMITTED, ORDERED, RETRY, WAITING = "sending", "submitted", "ordered", "retry", "waiting"
_NONCE_ERROR = re.compile(r"invalid nonce: expected (\d+), got (\d+)")
MAX_BACKOFF = 16  # the timeout of a transaction's copies grows 1, 2, 4, … up to this many resubmit_after


def now_ms() -> int:
    return int(time.time() * 1000)


@dataclass(eq=False, slots=True)
class Held:
    raw: bytes
    tx_id: bytes
    signer: bytes
    nonce: int
    accepted_ms: int
    state: str = SENDING
    node: int = -1
    sent_ms: int = 0
    ordered: int = 0
    copies: int = 0
    deadline_ms: int = 0  # SUBMITTED: retried once a pre-block committed after this is seen without it
    ack: asyncio.Future | None = None  # for a concurrent broadcast of the same bytes: the first acknowledgement


@dataclass
class CustodyStats:
    resubmitted: int = 0
    failovers: int = 0
    timeouts: int = 0
    reordered: int = 0


class Custody:
    """In-memory index of the held transactions (reloaded from the store at start). Those in states
    ``SUBMITTED`` (with a heap of their deadlines), ``RETRY`` and ``WAITING`` are indexed too, so
    following the DSN and resubmitting cost what they touch, not a scan of everything held."""

    def __init__(self, store: StatusStore, resubmit_after_ms: int = 5000) -> None:
        self.store = store
        self.resubmit_after_ms = resubmit_after_ms
        self.held: dict[bytes, Held] = {}
        self.by_signer: dict[bytes, dict[bytes, Held]] = {}
        self.submitted: dict[bytes, Held] = {}  # state SUBMITTED
        self.deadlines: list[tuple[int, int, Held]] = []  # heap of (deadline_ms, n, SUBMITTED); stale entries skipped
        self._pushed = itertools.count()
        self.lag_ms = 0  # smoothed DSN ordering lag: first copy acknowledged → commit timestamp of its pre-block
        self.retrying: dict[bytes, dict[bytes, Held]] = {}  # state RETRY, by signer (oldest first)
        self.waiting: dict[bytes, dict[bytes, Held]] = {}  # state WAITING, by signer
        self._by_signer_indexes = {RETRY: self.retrying, WAITING: self.waiting}
        self.wake = asyncio.Event()
        self.stats = CustodyStats()
        start = now_ms()
        for tx_id, accepted_ms, raw in store.held():
            tx = decode_tx(raw)
            self._add(Held(raw, tx_id, tx.signer, tx.nonce, accepted_ms, SUBMITTED, -1, start))

    def _add(self, h: Held) -> None:
        self.held[h.tx_id] = h
        self.by_signer.setdefault(h.signer, {})[h.tx_id] = h
        if h.state == SUBMITTED:
            self._submitted(h)

    def _submitted(self, h: Held) -> None:
        self.submitted[h.tx_id] = h
        h.deadline_ms = h.sent_ms + self._timeout(h)
        heapq.heappush(self.deadlines, (h.deadline_ms, next(self._pushed), h))

    def _timeout(self, h: Held) -> int:
        """How long the latest copy of ``h`` may stay unordered: ``resubmit_after_ms``, or twice the
        DSN's current ordering lag when that is longer, doubled per earlier copy (at most
        ``MAX_BACKOFF`` ×)."""
        return self._first_timeout() * min(MAX_BACKOFF, 1 << max(0, h.copies - 1))

    def _first_timeout(self) -> int:
        """:meth:`_timeout` of a first copy: ``resubmit_after_ms``, or twice the DSN's ordering lag."""
        return max(self.resubmit_after_ms, 2 * self.lag_ms)

    def _set(self, h: Held, state: str) -> None:
        """Change the state of ``h``, keeping the indexes of ``SUBMITTED``, ``RETRY`` and ``WAITING`` (a
        transaction no longer held, e.g. final while a call with it was in flight, is not indexed)."""
        self._unindex(h)
        h.state = state
        if self.held.get(h.tx_id) is h:
            if state == SUBMITTED:
                self._submitted(h)
            elif state in self._by_signer_indexes:
                self._by_signer_indexes[state].setdefault(h.signer, {})[h.tx_id] = h

    def _unindex(self, h: Held) -> None:
        if h.state == SUBMITTED:
            if self.submitted.get(h.tx_id) is h:
                del self.submitted[h.tx_id]
            return
        index = self._by_signer_indexes.get(h.state)
        mine = None if index is None else index.get(h.signer)
        if mine is not None and mine.get(h.tx_id) is h:
            del mine[h.tx_id]
            if not mine:
                del index[h.signer]

    def _remove(self, h: Held) -> None:
        self._unindex(h)
        del self.held[h.tx_id]
        mine = self.by_signer[h.signer]
        del mine[h.tx_id]
        if not mine:
            del self.by_signer[h.signer]

    @staticmethod
    def _acknowledge(h: Held) -> None:
        """A copy of ``h`` is held by a DSN quorum, ordered, or ``h`` is final: wake who waits."""
        if h.ack is not None and not h.ack.done():
            h.ack.set_result(None)

    def _retry(self, h: Held) -> None:
        self._set(h, RETRY)
        self.wake.set()

    # acknowledgement -----------------------------------------------------------------------------
    async def hold(self, admitted: list[Admitted]) -> tuple[list[Held], list[Held]]:
        """Take custody of the admitted transactions not already held or finished: returns the new
        ones once they are on disk (state ``SENDING``), and those already held but not yet
        acknowledged by a DSN node (a concurrent broadcast, or held since before a restart)."""
        new: list[Held] = []
        earlier: list[Held] = []
        seen: set[bytes] = set()
        finished = self.store.with_result([a.tx_id for a in admitted if a.tx_id not in self.held])
        accepted_ms = now_ms()
        for a in admitted:
            if a.tx_id in seen:
                continue
            seen.add(a.tx_id)
            h = self.held.get(a.tx_id)
            if h is not None:
                if not h.copies and h.state != ORDERED:
                    earlier.append(h)
                continue
            if a.tx_id in finished:
                continue
            h = Held(a.raw, a.tx_id, a.tx.signer, a.tx.nonce, accepted_ms)
            self._add(h)
            new.append(h)
        if new:
            try:
                await asyncio.to_thread(self.store.hold, [(h.tx_id, h.accepted_ms, h.raw) for h in new])
            except BaseException:
                for h in new:
                    self._remove(h)
                raise
        return new, earlier

    async def acknowledged(self, held: list[Held], timeout: float = 30.0) -> None:
        """Wait until a DSN node acknowledged a copy of each of ``held``; :class:`SubmitError` if one
        is released or ``timeout`` passes."""
        loop = asyncio.get_running_loop()
        for h in held:
            if h.ack is None:
                h.ack = loop.create_future()
            if (h.copies or h.state == ORDERED) and not h.ack.done():
                h.ack.set_result(None)
        try:
            async with asyncio.timeout(timeout):
                await asyncio.gather(*(asyncio.shield(h.ack) for h in held if h.ack is not None))
        except TimeoutError:
            raise SubmitError(f"not acknowledged by a DSN node within {timeout:.0f} s") from None

    def release(self, held: list[Held]) -> None:
        """Give up transactions that were not acknowledged."""
        for h in held:
            if self.held.get(h.tx_id) is h:
                self._remove(h)
            if h.ack is not None and not h.ack.done():
                h.ack.set_exception(SubmitError("no DSN node accepted the transaction"))
        self.store.release([(h.tx_id, h.accepted_ms) for h in held])

    # submission ----------------------------------------------------------------------------------
    def take_retries(self, limit: int) -> list[Held]:
        """Up to ``limit`` transactions to submit again (``RETRY``, with the ``WAITING`` ones of the
        same senders; senders whose retries are oldest first), marked ``SENDING``, sorted by
        (sender, nonce)."""
        retry: list[Held] = []
        for signer, mine in self.retrying.items():
            if len(retry) >= limit:
                break
            retry += mine.values()
            retry += self.waiting.get(signer, {}).values()
        retry.sort(key=lambda h: (h.signer, h.nonce))
        out = retry[:limit]
        for h in out:
            self._set(h, SENDING)
        if self.retrying:
            self.wake.set()
        return out

    def has_retries(self) -> bool:
        return bool(self.retrying)

    def sent(self, held: list[Held], node: int) -> None:
        """``node`` acknowledged a copy of each of ``held``."""
        t = now_ms()
        first_deadline = t + self._first_timeout()
        current, submitted, deadlines, pushed = self.held, self.submitted, self.deadlines, self._pushed
        for h in held:
            h.copies += 1
            if h.ack is not None and not h.ack.done():
                h.ack.set_result(None)
            if h.copies > 1:
                self.stats.resubmitted += 1
                if h.state == SENDING:
                    h.node, h.sent_ms = node, t
                    self._set(h, SUBMITTED)
            elif h.state == SENDING:  # a first copy (not indexed while SENDING): _set(h, SUBMITTED) inlined
                h.node, h.sent_ms, h.state = node, t, SUBMITTED
                if current.get(h.tx_id) is h:
                    submitted[h.tx_id] = h
                    h.deadline_ms = first_deadline
                    heapq.heappush(deadlines, (first_deadline, next(pushed), h))

    def unsent(self, held: list[Held]) -> None:
        """A call with these (already acknowledged) transactions failed: retry them."""
        for h in held:
            if h.state == SENDING:
                self._retry(h)

    def node_failed(self, node: int) -> None:
        """A call to ``node`` failed: its unordered copies may never be proposed, submit them again."""
        self.stats.failovers += 1
        for h in [h for h in self.submitted.values() if h.node == node]:
            self._retry(h)

    # following the DSN and the kernel ------------------------------------------------------------
    def on_preblock(self, index: int, commit_ms: int, tx_ids: list[bytes], awaited: bool = True) -> None:
        """Committed pre-block ``index`` (commit timestamp ``commit_ms``) ordered ``tx_ids`` (marked
        ``ORDERED`` if its results are ``awaited``, i.e. not recorded yet); copies still unordered
        past their deadline (acknowledged + :meth:`_timeout`) are retried. First copies ordered here
        update the DSN's ordering lag (a copy sent again could be ordered by either send: not used)."""
        lag = -1
        current, submitted = self.held, self.submitted
        for t in tx_ids if awaited else ():
            h = current.get(t)
            if h is None:
                continue
            h.ordered = index
            if h.state == SUBMITTED:  # the usual case: _set(h, ORDERED) inlined
                if h.copies == 1:
                    lag = max(lag, commit_ms - h.sent_ms)
                if submitted.get(t) is h:
                    del submitted[t]
                h.state = ORDERED
            else:
                self._set(h, ORDERED)
            if h.ack is not None and not h.ack.done():
                h.ack.set_result(None)
        if lag >= 0:
            self.lag_ms += (lag - self.lag_ms) // 4
        while self.deadlines and self.deadlines[0][0] < commit_ms:
            deadline, _, h = heapq.heappop(self.deadlines)
            if self.submitted.get(h.tx_id) is not h or h.deadline_ms != deadline:
                continue  # a stale entry
            due = h.sent_ms + self._timeout(h)
            if due >= commit_ms:  # the DSN's lag grew since the copy was sent: it waits longer
                h.deadline_ms = due
                heapq.heappush(self.deadlines, (due, next(self._pushed), h))
                continue
            self.stats.timeouts += 1
            self._retry(h)

    def on_result(self, block: int, tx_id: bytes, status: str, error: str) -> Held | None | bool:
        """The kernel's result for a copy of ``tx_id`` in ``block``: the ended :class:`Held` when it
        is final for a held transaction, ``False`` when it is not final (keep waiting), ``None`` for
        a transaction not held."""
        h = self.held.get(tx_id)
        if h is None:
            return None
        m = _NONCE_ERROR.fullmatch(error) if status == "rejected" else None
        if m is not None and h.nonce > int(m[1]):
            expected = int(m[1])
            nonces = {x.nonce for x in self.by_signer[h.signer].values()}
            if all(n in nonces for n in range(expected, h.nonce)):
                if h.state == ORDERED and h.ordered == block:
                    self._set(h, WAITING)
                    self.stats.reordered += 1
                return False
        self._remove(h)
        self._acknowledge(h)
        waiting = self.waiting.get(h.signer)
        if waiting:
            for w in list(waiting.values()):
                self._retry(w)
        return h

    def next_nonce(self, signer: bytes) -> int | None:
        """One above the highest nonce held for ``signer`` (None: nothing held)."""
        mine = self.by_signer.get(signer)
        return None if not mine else max(h.nonce for h in mine.values()) + 1
