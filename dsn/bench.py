"""Local DSN benchmark (``scripts/bench_dsn``): the seed's summary for N nodes on this machine.

Starts a fresh N-node network, one load client per node (``dsn spam --rate RATE/N``), and follows
node 1's pre-block stream for the whole run. Definitions (as the seed's benchmark scripts):
consensus latency = pre-block delivery − creation time of the header carrying the batch,
consensus TPS/BPS = committed transactions/bytes per second; end-to-end latency = delivery − the
transaction's send timestamp; end-to-end TPS/BPS count each distinct transaction once. The first
and last seconds of load are excluded from the measurement window.
"""

from __future__ import annotations

import argparse
import os
import pstats
import random
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import grpc

from dsn.client import Client
from dsn.config import CommitteeFile
from dsn.launcher import prepare, wait_listening
from kernel_py.formats import dsn as fmt

REFERENCE = {"consensus_tps": 46_478, "consensus_latency_ms": 464, "e2e_tps": 46_149, "e2e_latency_ms": 557,
             "consensus_bps": 23_796_531, "e2e_bps": 23_628_541}
_U32 = struct.Struct(">I")
WARMUP_S = 1.0


@dataclass
class Sample:
    """Everything measured from the pre-blocks delivered in the window."""

    preblocks: int = 0
    txs: int = 0
    bytes: int = 0
    seen: set = field(default_factory=set)  # hashes of every transaction delivered (any time)
    distinct: int = 0
    distinct_bytes: int = 0
    e2e_latency_sum: float = 0.0
    consensus_latency_sum: float = 0.0
    first_ms: int | None = None
    last_ms: int = 0


def scan_preblock(data: bytes, received_ms: int, window: tuple[int, int], s: Sample) -> None:
    """Account one pre-block: certificates via the kernel decoder, batches by a quick length walk."""
    r = fmt.new_reader(data)
    fmt.read_u64(r)
    fmt.read_u64(r)
    created = []
    for _ in range(fmt.read_count(r, fmt.MIN_CERTIFICATE_LEN)):
        c = fmt.read_certificate(r)
        created.extend([c.header.created_at] * len(c.header.payload))
    pos = r.pos + 4
    s.preblocks += 1
    for created_at in created:
        (n,) = _U32.unpack_from(data, pos)
        pos += 4
        for _ in range(n):
            (size,) = _U32.unpack_from(data, pos)
            tx = data[pos + 4:pos + 4 + size]
            pos += 4 + size
            if size < 16:
                continue
            key = hash(tx)
            first_time = key not in s.seen
            s.seen.add(key)
            sent_ms = int.from_bytes(tx[:16], "big")
            if not window[0] <= sent_ms <= window[1]:
                continue
            s.txs += 1
            s.bytes += size
            s.consensus_latency_sum += received_ms - created_at
            if first_time:
                s.distinct += 1
                s.distinct_bytes += size
                s.e2e_latency_sum += received_ms - sent_ms
                s.first_ms = received_ms if s.first_ms is None else s.first_ms
                s.last_ms = received_ms


def follow(endpoint: str, window: tuple[int, int], stop: threading.Event, s: Sample) -> None:
    client = Client(endpoint)
    last = 0
    while not stop.is_set():
        try:
            for data in client.preblocks(last, timeout=1.0):
                scan_preblock(data, int(time.time() * 1000), window, s)
                last += 1
        except grpc.RpcError:
            pass
    client.close()


def ratio(x: float, ref: float) -> str:
    return f"{x / ref:.2f}x"


def print_profile(path: Path, top: int) -> None:
    print(f"\nprofile of node 1 ({path}), top {top} by own time:")
    st = pstats.Stats(str(path))
    st.sort_stats("tottime").print_stats(top)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="bench_dsn", description=__doc__.split("\n")[0])
    ap.add_argument("--nodes", type=int, default=4)
    ap.add_argument("--rate", type=int, default=50_000, help="input rate, tx/s (all clients together)")
    ap.add_argument("--size", type=int, default=512, help="transaction size in bytes")
    ap.add_argument("--duration", type=float, default=20.0, help="seconds of load")
    ap.add_argument("--batch-size", type=int, default=500_000)
    ap.add_argument("--max-batch-delay-ms", type=int, default=100)
    ap.add_argument("--min-header-delay-ms", type=int, default=100)
    ap.add_argument("--max-header-delay-ms", type=int, default=200)
    ap.add_argument("--header-batches", type=int, default=32, help="header_num_of_batches_threshold")
    ap.add_argument("--profile", action="store_true", help="run node 1 under cProfile and print the top functions")
    ap.add_argument("--keep", action="store_true", help="keep the network directory")
    args = ap.parse_args(argv)

    params = {"batch_size": args.batch_size, "max_batch_delay_ms": args.max_batch_delay_ms,
              "min_header_delay_ms": args.min_header_delay_ms, "max_header_delay_ms": args.max_header_delay_ms,
              "header_num_of_batches_threshold": args.header_batches}
    base = Path(tempfile.mkdtemp(prefix="bench-dsn-"))
    port_base = random.randrange(20000, 32000, 100)
    configs = prepare(base, args.nodes, port_base=port_base, parameters=params)
    committee = CommitteeFile.from_json((base / "committee.json").read_text())
    print("config:")
    print(f"  nodes {args.nodes} (1 worker each, one process per node, this machine: {os.cpu_count()} cores)")
    print(f"  input rate {args.rate:,} tx/s, transaction size {args.size} B, load {args.duration:.0f} s")
    for k, v in params.items():
        print(f"  {k} {v:,}")
    prof = base / "node-1.prof"
    procs = []
    spammers = []
    stop = threading.Event()
    sample = Sample()
    try:
        for i, cfg in enumerate(configs):
            cmd = [sys.executable]
            if args.profile and i == 0:
                cmd += ["-m", "cProfile", "-o", str(prof)]
            cmd += ["-m", "dsn", "node", "run", "--config", str(cfg), "--log-level", "WARNING"]
            with open(base / f"node-{i + 1}.log", "wb") as log:
                procs.append(subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        for a in committee.authorities:
            if not wait_listening(a.host, [a.node_port, a.export_port, a.tx_port], 60):
                raise RuntimeError(f"{a.name} did not start; see {base}")
        start_ms = int(time.time() * 1000)
        window = (start_ms + int(WARMUP_S * 1000), start_ms + int((args.duration - WARMUP_S) * 1000))
        listener = threading.Thread(target=follow, args=(f"127.0.0.1:{committee.authorities[0].export_port}",
                                                         window, stop, sample), daemon=True)
        listener.start()
        per_client = args.rate / args.nodes
        for a in committee.authorities:
            spammers.append(subprocess.Popen(
                [sys.executable, "-m", "dsn", "spam", "--endpoint", f"127.0.0.1:{a.tx_port}", "--rate",
                 str(per_client), "--size", str(args.size), "--duration", str(args.duration)],
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True))
        sent = 0
        for sp in spammers:
            out, _ = sp.communicate(timeout=args.duration + 120)
            sent += int(out.split()[1]) if out.startswith("sent") else 0
        time.sleep(3.0)  # let the last transactions of the window commit
    finally:
        stop.set()
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
        for sp in spammers:
            if sp.poll() is None:
                sp.kill()

    s = sample
    span_s = max((s.last_ms - s.first_ms) / 1000, 1e-3) if s.first_ms is not None else 0
    load_s = args.duration - 2 * WARMUP_S
    print(f"\nsent {sent:,} transactions ({sent / args.duration:,.0f} tx/s achieved input rate)")
    if not s.txs:
        print("no transaction committed in the measurement window")
        return 1
    c_tps = s.txs / load_s
    c_bps = s.bytes / load_s
    c_lat = s.consensus_latency_sum / s.txs
    e_tps = s.distinct / load_s
    e_bps = s.distinct_bytes / load_s
    e_lat = s.e2e_latency_sum / s.distinct
    print(f"measured over {load_s:.0f} s of load ({span_s:.1f} s of deliveries), {s.preblocks} pre-blocks")
    print("results:                 this run     reference (Rust Narwhal sample)   ratio")
    print(f"  consensus TPS        {c_tps:>10,.0f}   {REFERENCE['consensus_tps']:>10,} tx/s"
          f"                    {ratio(c_tps, REFERENCE['consensus_tps'])}")
    print(f"  consensus BPS        {c_bps:>10,.0f}   {REFERENCE['consensus_bps']:>10,} B/s"
          f"                     {ratio(c_bps, REFERENCE['consensus_bps'])}")
    print(f"  consensus latency    {c_lat:>10,.0f}   {REFERENCE['consensus_latency_ms']:>10,} ms"
          f"                      {ratio(c_lat, REFERENCE['consensus_latency_ms'])}")
    print(f"  end-to-end TPS       {e_tps:>10,.0f}   {REFERENCE['e2e_tps']:>10,} tx/s"
          f"                    {ratio(e_tps, REFERENCE['e2e_tps'])}")
    print(f"  end-to-end BPS       {e_bps:>10,.0f}   {REFERENCE['e2e_bps']:>10,} B/s"
          f"                     {ratio(e_bps, REFERENCE['e2e_bps'])}")
    print(f"  end-to-end latency   {e_lat:>10,.0f}   {REFERENCE['e2e_latency_ms']:>10,} ms"
          f"                      {ratio(e_lat, REFERENCE['e2e_latency_ms'])}")
    print(f"  in the window: {s.distinct:,} distinct transactions, {s.txs - s.distinct:,} duplicates; "
          f"over the whole run {len(s.seen):,} of {sent:,} sent were delivered")
    if args.profile and prof.exists():
        print_profile(prof, 25)
    if args.keep:
        print(f"network directory kept: {base}")
    else:
        import shutil

        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
