"""Per-peer budgets: what one committee member can make a node read, verify, store and send.

Three kinds of limits, all token buckets per peer (shared by every connection of that peer):

* **Inbound pace** (frames/s and bytes/s): past it the node stops reading that peer's connections
  until the bucket refills, so TCP flow control pushes back on the sender.
* **Per-kind message budgets**: a message past its kind's budget is dropped. Every request an
  honest node makes is retried (sync and certificate requests by the maintenance loop, batch
  requests by the fetch loop), so a drop only slows a peer that asks too much.
* **Reply budgets** (bytes/s of CERTIFICATES and of BATCH_DELIVERY sent to a peer): a request is
  not served while its reply budget is in debt; a batch request is served until it is.

Drops are counted and logged at most once per :data:`LOG_INTERVAL_S` per peer.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field, fields

from dsn.wire import Kind

log = logging.getLogger(__name__)

LOG_INTERVAL_S = 10.0
MiB = 1 << 20


class TokenBucket:
    """``rate`` tokens per second up to ``burst``; :meth:`charge` may go into debt."""

    __slots__ = ("rate", "burst", "tokens", "stamp")

    def __init__(self, rate: float, burst: float) -> None:
        self.rate = rate
        self.burst = burst
        self.tokens = burst
        self.stamp = time.monotonic()

    def _refill(self, now: float) -> None:
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now

    def take(self, amount: float = 1.0) -> bool:
        """Take ``amount`` tokens if available."""
        self._refill(time.monotonic())
        if self.tokens >= amount:
            self.tokens -= amount
            return True
        return False

    def charge(self, amount: float) -> None:
        """Take ``amount`` tokens even if that leaves a debt."""
        self._refill(time.monotonic())
        self.tokens -= amount

    def available(self) -> bool:
        """Whether the bucket is out of debt (a reply may be started)."""
        self._refill(time.monotonic())
        return self.tokens > 0

    def delay(self, amount: float) -> float:
        """Charge ``amount`` and return how long to wait until the bucket is out of debt again."""
        self.charge(amount)
        return 0.0 if self.tokens >= 0 else -self.tokens / self.rate


def _default_kinds() -> dict[Kind, tuple[float, float]]:
    # (messages per second, burst). An honest peer sends about one header, one certificate and
    # (2f+1)/n votes per round (≤ ~20 rounds/s), a batch per 500 kB or 100 ms, and its requests
    # only when it lacks something; these budgets are several times that.
    return {
        Kind.HEADER: (50, 200),
        Kind.VOTE: (100, 400),
        Kind.CERTIFICATE: (100, 400),
        Kind.CERTIFICATES: (20, 60),
        Kind.SYNC_REQUEST: (4, 12),
        Kind.CERT_REQUEST: (40, 120),
        Kind.BATCH_REQUEST: (20, 60),
        Kind.PRUNED: (4, 12),
        Kind.COMMIT_REQUEST: (2, 6),
        Kind.COMMITS: (4, 12),
        Kind.BATCH: (500, 2000),
        Kind.BATCH_ACK: (2000, 8000),
        Kind.BATCH_DELIVERY: (500, 2000),
    }


@dataclass(frozen=True)
class Limits:
    """Budgets per peer (rates per second, bursts). A node configuration's ``limits`` object
    overrides them (:meth:`from_dict`)."""

    frames_per_s: float = 2000
    frames_burst: float = 10000
    bytes_per_s: float = 96 * MiB
    bytes_burst: float = 192 * MiB
    kinds: dict[Kind, tuple[float, float]] = field(default_factory=_default_kinds)
    cert_reply_bytes_per_s: float = 16 * MiB
    cert_reply_burst: float = 32 * MiB
    batch_reply_bytes_per_s: float = 48 * MiB
    batch_reply_burst: float = 96 * MiB

    @classmethod
    def from_dict(cls, raw: dict) -> "Limits":
        """Overrides: any numeric field by name, and ``kinds`` as ``{"SYNC_REQUEST": [rate, burst], …}``
        (merged over the defaults). Raises ``ValueError`` naming an unknown or invalid entry."""
        numeric = {f.name for f in fields(cls)} - {"kinds"}
        unknown = set(raw) - numeric - {"kinds"}
        if unknown:
            raise ValueError(f"unknown limits: {', '.join(sorted(unknown))} (known: kinds, {', '.join(sorted(numeric))})")
        values: dict = {}
        for name in numeric & set(raw):
            values[name] = _positive(name, raw[name])
        kinds = _default_kinds()
        for name, pair in dict(raw.get("kinds", {})).items():
            if name not in Kind.__members__:
                raise ValueError(f"unknown message kind in limits: {name}")
            if not isinstance(pair, (list, tuple)) or len(pair) != 2:
                raise ValueError(f"limits.kinds.{name} must be [rate per second, burst]")
            kinds[Kind[name]] = (_positive(f"kinds.{name} rate", pair[0]), _positive(f"kinds.{name} burst", pair[1]))
        return cls(kinds=kinds, **values)


def _positive(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ValueError(f"limits.{name} must be a positive number, got {value!r}")
    return float(value)


REPLY_OF = {Kind.SYNC_REQUEST: Kind.CERTIFICATES, Kind.CERT_REQUEST: Kind.CERTIFICATES,
            Kind.COMMIT_REQUEST: Kind.COMMITS, Kind.BATCH_REQUEST: Kind.BATCH_DELIVERY}


class PeerBudget:
    """The budgets of one peer, and its drop counts for the rate-limited log."""

    def __init__(self, peer: int, limits: Limits) -> None:
        self.peer = peer
        self.frames = TokenBucket(limits.frames_per_s, limits.frames_burst)
        self.bytes = TokenBucket(limits.bytes_per_s, limits.bytes_burst)
        self.kinds = {k: TokenBucket(r, b) for k, (r, b) in limits.kinds.items()}
        certificates = TokenBucket(limits.cert_reply_bytes_per_s, limits.cert_reply_burst)
        self.replies = {Kind.CERTIFICATES: certificates, Kind.COMMITS: certificates,  # one budget for both
                        Kind.BATCH_DELIVERY: TokenBucket(limits.batch_reply_bytes_per_s, limits.batch_reply_burst)}
        self.dropped: dict[str, int] = {}
        self.logged_at = -LOG_INTERVAL_S

    def pace(self, size: int) -> float:
        """Account one inbound frame of ``size`` bytes; seconds to pause reading this peer."""
        return max(self.frames.delay(1), self.bytes.delay(size))

    def admit(self, kind: Kind) -> bool:
        """Whether a message of ``kind`` is within budget (and, for a request, its reply budget)."""
        bucket = self.kinds.get(kind)
        if bucket is not None and not bucket.take():
            self.drop(f"{kind.name} over budget")
            return False
        reply = REPLY_OF.get(kind)
        if reply is not None and not self.replies[reply].available():
            self.drop(f"{kind.name} while its {reply.name} budget is spent")
            return False
        return True

    def may_reply(self, kind: Kind) -> bool:
        """Whether a reply of ``kind`` may be sent now (its budget is not in debt)."""
        bucket = self.replies.get(kind)
        return bucket is None or bucket.available()

    def sent(self, kind: Kind, size: int) -> None:
        """Charge a reply of ``size`` bytes."""
        bucket = self.replies.get(kind)
        if bucket is not None:
            bucket.charge(size)

    def drop(self, what: str) -> None:
        """Count a refused message or connection event; log the counts at most every LOG_INTERVAL_S."""
        self.dropped[what] = self.dropped.get(what, 0) + 1
        now = time.monotonic()
        if now - self.logged_at >= LOG_INTERVAL_S:
            self.logged_at = now
            counts = ", ".join(f"{n} × {w}" for w, n in sorted(self.dropped.items()))
            log.warning("peer %d over its limits (refused since the last report: %s)", self.peer, counts)
            self.dropped = {}


class PerPeerLogFilter(logging.Filter):
    """Lets through at most ``burst`` records per (message, first argument) — the peer, for the
    node's per-peer warnings — in each ``interval`` seconds; the next record let through says how
    many were suppressed."""

    def __init__(self, burst: int = 5, interval: float = LOG_INTERVAL_S) -> None:
        super().__init__()
        self.burst = burst
        self.interval = interval
        self.windows: dict[tuple, list] = {}  # key -> [window start, records, suppressed]

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        key = (record.msg, args[0] if args else None)
        now = time.monotonic()
        w = self.windows.get(key)
        if w is None or now - w[0] >= self.interval:
            if len(self.windows) > 10_000:
                self.windows.clear()
            suppressed = w[2] if w is not None else 0
            w = self.windows[key] = [now, 0, 0]
            if suppressed:
                record.msg = f"{record.msg} ({suppressed} similar messages suppressed)"
        w[1] += 1
        if w[1] > self.burst:
            w[2] += 1
            return False
        return True


def install_log_filter(names: tuple[str, ...] = ("dsn.primary", "dsn.worker", "dsn.network")) -> None:
    """Rate-limit the per-peer log lines of the node's modules (idempotent)."""
    for name in names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, PerPeerLogFilter) for f in logger.filters):
            logger.addFilter(PerPeerLogFilter())
