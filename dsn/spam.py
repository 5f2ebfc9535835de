"""Load generator for ``dsn spam``: transactions = 16-byte big-endian Unix-ms timestamp ‖ random bytes."""

from __future__ import annotations

import os
import time
from typing import Callable

from dsn.client import Client

POOL_SIZE = 1 << 20
TICK_S = 0.01
MAX_REQUEST_BYTES = 4 << 20


class TxFactory:
    """Makes timestamped transactions of ``size`` bytes from a pool of random bytes."""

    def __init__(self, size: int) -> None:
        if size < 16:
            raise ValueError("transactions need at least 16 bytes (the timestamp)")
        self.size = size
        self.pool = os.urandom(POOL_SIZE + size)
        self.offset = 0

    def make(self, now_ms: int) -> bytes:
        body = self.pool[self.offset:self.offset + self.size - 16]
        self.offset = (self.offset + 997) % POOL_SIZE
        return now_ms.to_bytes(16, "big") + body


def spam(client: Client, size: int, rate: float | None, sleep_ms: float | None, count: int | None,
         duration: float | None, progress: Callable[[int, float], None]) -> int:
    """Send until ``count`` transactions or ``duration`` seconds; return how many were sent.

    ``rate``: about ``rate`` tx/s, sent in bulk every 10 ms. ``sleep_ms``: one transaction every
    ``sleep_ms`` milliseconds. Both use the bulk API, which answers once the transactions are queued.
    """
    factory = TxFactory(size)
    start = time.monotonic()
    sent = 0
    last_report = start

    def finished() -> bool:
        return (count is not None and sent >= count) or (duration is not None and time.monotonic() - start >= duration)

    while not finished():
        now = time.monotonic()
        if rate is not None:
            due = int((now - start) * rate) + 1 - sent
            if count is not None:
                due = min(due, count - sent)
            if due > 0:
                ms = int(time.time() * 1000)
                due = min(due, max(1, MAX_REQUEST_BYTES // size))  # behind schedule: catch up in bounded steps
                sent += client.submit_many([factory.make(ms) for _ in range(due)])
            time.sleep(max(0.0, TICK_S - (time.monotonic() - now)))
        else:
            sent += client.submit_many([factory.make(int(time.time() * 1000))])
            time.sleep(max(0.0, sleep_ms / 1000 - (time.monotonic() - now)))
        if now - last_report >= 1:
            progress(sent, now - start)
            last_report = now
    return sent
