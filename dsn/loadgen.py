"""Load generator process for ``scripts/bench_dsn``: paced, pipelined batched submits to one node.

``python -m dsn.loadgen --endpoint HOST:PORT --rate R --duration S --generator G`` offers ``R`` tx/s
for ``S`` seconds through ``dsn.v1.Transactions/SubmitTransactions``: every 5 ms it sends the
transactions due by then in full requests of ``--request-txs``, and a partial one once the oldest
due transaction has waited ``--flush-ms`` (and at the end), with at most ``--window`` requests
awaiting their answer (the node answers once a quorum holds the batches and its header queue has
room, so a full window is the node pushing back). Full requests matter: a gRPC request costs the
node ~300 µs of CPU whatever its size, so 5 ms worth of a 25,000 tx/s share (125 transactions)
cost it 2.5 µs per transaction, 500 about 1 µs. It prints one JSON line: offered, sent (transactions in
requests issued), requests, accepted (answered), the schedule's worst lag, CPU seconds, and how many transactions
were held back by a full window.

Transaction layout (``size`` ≥ :data:`MIN_SIZE` bytes), read by :mod:`dsn.bench`: 16-byte big-endian
Unix-ms send time ‖ 4-byte generator id ‖ 8-byte sequence number ‖ random filler. Requests are
built with numpy from a template, so the generator spends well under a microsecond per transaction.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import sys
import time

import numpy as np

from dsn.client import AsyncClient

MIN_SIZE = 32
TICK_S = 0.005
FLUSH_S = 0.02  # a partial request goes out once its oldest transaction has waited this long
TS_COLS = slice(12, 20)    # the low 8 bytes of the 16-byte timestamp, after the 4-byte length
GEN_COLS = slice(20, 24)
SEQ_COLS = slice(24, 32)


class RequestFactory:
    """Encoded batches (FORMATS §1.2) of ``size``-byte transactions of one generator."""

    def __init__(self, generator: int, size: int, max_txs: int) -> None:
        if size < MIN_SIZE:
            raise ValueError(f"transactions need at least {MIN_SIZE} bytes (timestamp, generator, sequence)")
        self.size = size
        self.seq = 0
        rows = np.frombuffer(os.urandom(max_txs * (4 + size)), dtype=np.uint8).reshape(max_txs, 4 + size).copy()
        rows[:, 0:4] = np.frombuffer(size.to_bytes(4, "big"), dtype=np.uint8)
        rows[:, 4:12] = 0
        rows[:, GEN_COLS] = np.frombuffer(generator.to_bytes(4, "big"), dtype=np.uint8)
        self.rows = rows

    def make(self, count: int, now_ms: int) -> bytes:
        """``count`` transactions stamped ``now_ms``, with the next sequence numbers."""
        rows = self.rows[:count]
        rows[:, TS_COLS] = np.frombuffer(now_ms.to_bytes(8, "big"), dtype=np.uint8)
        rows[:, SEQ_COLS] = np.arange(self.seq, self.seq + count, dtype=">u8").view(np.uint8).reshape(count, 8)
        self.seq += count
        return count.to_bytes(4, "big") + rows.tobytes()


async def generate(endpoint: str, generator: int, rate: float, duration: float, size: int, request_txs: int,
                   window: int, flush_s: float = FLUSH_S) -> dict:
    """Offer ``rate`` tx/s for ``duration`` s; return the figures printed by :func:`main`."""
    factory = RequestFactory(generator, size, request_txs)
    client = AsyncClient(endpoint)
    in_flight: set[asyncio.Task] = set()
    accepted = sent = errors = requests = 0
    max_lag = 0.0
    last_error = ""

    async def submit(encoded: bytes, count: int) -> None:
        nonlocal accepted, errors, last_error
        try:
            n = await client.submit_encoded(encoded, timeout=60)  # not ``accepted += await``: a stale read
            accepted += n
        except Exception as e:  # counted and reported: the run goes on
            errors += 1
            last_error = str(e).splitlines()[0][:200]

    cpu0 = time.process_time()
    start = time.monotonic()
    end = start + duration
    offered = int(duration * rate)
    while True:
        now = time.monotonic()
        last = now >= end
        due = (offered if last else int((now - start) * rate)) - sent
        while due > 0 and len(in_flight) < window:
            if due < request_txs and not last and now - (start + sent / rate) < flush_s:
                break  # wait for a full request
            count = min(due, request_txs)
            task = asyncio.create_task(submit(factory.make(count, int(time.time() * 1000)), count))
            in_flight.add(task)
            task.add_done_callback(in_flight.discard)
            sent += count
            requests += 1
            due -= count
        if due > 0:
            max_lag = max(max_lag, now - (start + sent / rate))
        if last:
            break
        await asyncio.sleep(max(0.0, TICK_S - (time.monotonic() - now)))
    held = max(0, offered - sent)
    send_cpu = time.process_time() - cpu0
    if in_flight:
        await asyncio.wait(in_flight, timeout=60)
    await client.close()
    return {"generator": generator, "offered": offered, "sent": sent, "requests": requests, "accepted": accepted,
            "held_back": held, "errors": errors, "last_error": last_error, "max_lag_s": round(max_lag, 3),
            "cpu_s": round(send_cpu, 3), "cpu_total_s": round(resource.getrusage(resource.RUSAGE_SELF).ru_utime
                                                                + resource.getrusage(resource.RUSAGE_SELF).ru_stime, 3),
            "duration_s": duration}


def main(argv: list[str] | None = None) -> int:
    from dsn.launcher import exit_with_parent_from_env

    exit_with_parent_from_env()
    ap = argparse.ArgumentParser(prog="python -m dsn.loadgen", description=__doc__.split("\n")[0])
    ap.add_argument("--endpoint", required=True, help="a node's transaction port, host:port")
    ap.add_argument("--generator", type=int, default=0, help="generator id written in every transaction")
    ap.add_argument("--rate", type=float, required=True, help="offered tx/s")
    ap.add_argument("--duration", type=float, required=True, help="seconds of load")
    ap.add_argument("--size", type=int, default=512, help=f"transaction size in bytes (≥ {MIN_SIZE})")
    ap.add_argument("--request-txs", type=int, default=500, help="transactions per request at most")
    ap.add_argument("--window", type=int, default=16, help="requests awaiting their answer at most")
    ap.add_argument("--flush-ms", type=float, default=FLUSH_S * 1000,
                    help="send a partial request once its oldest transaction has waited this long")
    ap.add_argument("--sync", action="store_true",
                    help="print 'ready' once started, then wait for a line on stdin before sending")
    args = ap.parse_args(argv)
    if args.size < MIN_SIZE or args.request_txs < 1 or args.window < 1 or args.rate <= 0 or args.flush_ms < 0:
        ap.error(f"--size must be ≥ {MIN_SIZE}, --request-txs, --window and --rate positive, --flush-ms ≥ 0")
    if args.sync:  # imports and start-up take seconds on a loaded machine: the caller starts every generator at once
        print("ready", flush=True)
        sys.stdin.readline()
    result = asyncio.run(generate(args.endpoint, args.generator, args.rate, args.duration, args.size,
                                  args.request_txs, args.window, args.flush_ms / 1000))
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
