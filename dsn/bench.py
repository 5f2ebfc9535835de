"""Local DSN benchmark (``scripts/bench_dsn``): the seed's summary for N nodes on this machine.

Starts a fresh N-node network, one load client per node (``dsn spam --rate RATE/N``), and follows
node 1's pre-block stream for the whole run. Definitions (as the seed's benchmark scripts):
consensus latency = pre-block delivery − creation time of the header carrying the batch,
consensus TPS/BPS = committed transactions/bytes per second; end-to-end latency = delivery − the
transaction's send timestamp; end-to-end TPS/BPS count each distinct transaction once. Figures
cover the transactions sent between the first and the last send, less one second at each end.
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import random
import resource
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
from array import array
from dataclasses import dataclass
from pathlib import Path

import grpc

from dsn.client import Client
from dsn.config import CommitteeFile
from dsn.launcher import exit_with_parent_env, prepare, wait_listening
from kernel_py.formats import dsn as fmt

REFERENCE = {"consensus_tps": 46_478, "consensus_latency_ms": 464, "e2e_tps": 46_149, "e2e_latency_ms": 557,
             "consensus_bps": 23_796_531, "e2e_bps": 23_628_541}
_U32 = struct.Struct(">I")
WARMUP_S = 1.0


class Sample:
    """Every delivered transaction that carries a timestamp: send, delivery and header creation times."""

    def __init__(self) -> None:
        self.preblocks = 0
        self.seen: set[int] = set()  # hashes of the transactions delivered so far
        self.sent_ms = array("q")
        self.received_ms = array("q")
        self.created_ms = array("q")
        self.size = array("l")
        self.first = array("b")  # 1 for a transaction's first delivery, 0 for a duplicate


def scan_preblock(data: bytes, received_ms: int, s: Sample) -> None:
    """Record one pre-block: certificates via the kernel decoder, batches by a quick length walk."""
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
            s.first.append(key not in s.seen)
            s.seen.add(key)
            s.sent_ms.append(int.from_bytes(tx[:16], "big"))
            s.received_ms.append(received_ms)
            s.created_ms.append(created_at)
            s.size.append(size)


@dataclass
class Summary:
    window_s: float
    consensus_tps: float
    consensus_bps: float
    consensus_latency_ms: float
    e2e_tps: float
    e2e_bps: float
    e2e_latency_ms: float
    distinct: int
    duplicates: int


def summarize(s: Sample) -> Summary | None:
    """Figures over the transactions sent in [first send + 1 s, last send − 1 s]."""
    if not s.sent_ms:
        return None
    lo = min(s.sent_ms) + int(WARMUP_S * 1000)
    hi = max(s.sent_ms) - int(WARMUP_S * 1000)
    if hi <= lo:
        return None
    txs = nbytes = distinct = dbytes = 0
    c_lat = e_lat = 0
    for sent, recv, created, size, first in zip(s.sent_ms, s.received_ms, s.created_ms, s.size, s.first):
        if lo <= sent <= hi:
            txs += 1
            nbytes += size
            c_lat += recv - created
            if first:
                distinct += 1
                dbytes += size
                e_lat += recv - sent
    if not txs:
        return None
    w = (hi - lo) / 1000
    return Summary(w, txs / w, nbytes / w, c_lat / txs, distinct / w, dbytes / w, e_lat / distinct, distinct,
                   txs - distinct)


def follow(endpoint: str, stop: threading.Event, s: Sample) -> None:
    client = Client(endpoint)
    last = 0
    while not stop.is_set():
        try:
            for data in client.preblocks(last, timeout=1.0):
                scan_preblock(data, int(time.time() * 1000), s)
                last += 1
        except grpc.RpcError:
            pass
    client.close()


def process_cpu_s(pid: int) -> float:
    """User + system CPU seconds of a running process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children_cpu_s() -> float:
    """CPU seconds of the child processes reaped so far (the load clients)."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def self_cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


GROUPS = {"tx/s": "throughput", "B/s": "byte rate", "ms": "latency"}  # --json metric groups by unit


def ratio(x: float, ref: float) -> str:
    return f"{x / ref:.2f}x"


PROFILE_CATEGORIES = [  # (label, predicate on (file, function name)); the first match wins
    ("idle (waiting in epoll)", lambda f, n: "epoll" in n),
    ("LMDB reads and writes", lambda f, n: "Transaction" in n or "Environment" in n or "lmdb" in f),
    ("BLAKE2b digests", lambda f, n: f.endswith("codec.py") and n == "digest"),
    ("batch validation", lambda f, n: n == "check_batch" or "unpack_from" in n),
    ("socket send/recv", lambda f, n: "socket" in n),
    ("Ed25519", lambda f, n: "_sodium" in n),
    ("asyncio + gRPC callbacks (C)", lambda f, n: "Context" in n),
    ("DSN protocol code (dsn/, kernel_py/)", lambda f, n: "/dsn/" in f or "/kernel_py/" in f),
]


def print_profile(path: Path, top: int) -> None:
    """Where node 1's time went: a summary by category, then the top functions by own time."""
    st = pstats.Stats(str(path))
    totals: dict[str, float] = {}
    for (file, _, name), (_, _, own, _, _) in st.stats.items():  # type: ignore[attr-defined]
        label = next((lab for lab, match in PROFILE_CATEGORIES if match(file, name)), "other Python")
        totals[label] = totals.get(label, 0.0) + own
    whole = sum(totals.values())
    print(f"\nprofile of node 1 ({path}): {whole:.1f} s")
    for label, t in sorted(totals.items(), key=lambda kv: -kv[1]):
        print(f"  {label:<40} {t:7.2f} s  {100 * t / whole:5.1f} %")
    print(f"top {top} functions by own time:")
    st.sort_stats("tottime").print_stats(top)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="bench_dsn", description=__doc__.split("\n")[0])
    ap.add_argument("--nodes", type=int, default=4, help="local nodes (one process each; default 4)")
    ap.add_argument("--rate", type=int, default=50_000, help="input rate, tx/s (all clients together)")
    ap.add_argument("--size", type=int, default=512, help="transaction size in bytes")
    ap.add_argument("--duration", type=float, default=20.0, help="seconds of load")
    ap.add_argument("--batch-size", type=int, default=500_000, help="seal a batch at this many bytes")
    ap.add_argument("--max-batch-delay-ms", type=int, default=100, help="seal a non-empty batch after this delay")
    ap.add_argument("--min-header-delay-ms", type=int, default=100,
                    help="propose a header before the batch threshold is reached after this delay")
    ap.add_argument("--max-header-delay-ms", type=int, default=200,
                    help="propose a header even if the leader rule is not met after this delay")
    ap.add_argument("--header-batches", type=int, default=32, help="batches that make a header ready (header_num_of_batches_threshold)")
    ap.add_argument("--profile", action="store_true", help="run node 1 under cProfile and print the top functions")
    ap.add_argument("--keep", action="store_true", help="keep the network directory")
    ap.add_argument("--json", action="store_true", help="print a JSON summary on stdout (the text goes to stderr)")
    args = ap.parse_args(argv)
    json_out = sys.stdout
    if args.json:  # the shape of scripts/_bench_json.py, read by scripts/plot
        sys.stdout = sys.stderr

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
                procs.append(subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                                              env=exit_with_parent_env()))
        for a in committee.authorities:
            if not wait_listening(a.host, [a.node_port, a.export_port, a.tx_port], 60):
                raise RuntimeError(f"{a.name} did not start; see {base}")
        started = time.monotonic()
        listener = threading.Thread(target=follow, args=(f"127.0.0.1:{committee.authorities[0].export_port}",
                                                         stop, sample), daemon=True)
        listener.start()
        per_client = args.rate / args.nodes
        for a in committee.authorities:
            spammers.append(subprocess.Popen(
                [sys.executable, "-m", "dsn", "spam", "--dsn", f"127.0.0.1:{a.tx_port}", "--rate",
                 str(per_client), "--size", str(args.size), "--duration", str(args.duration)],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=exit_with_parent_env()))
        sent = 0
        for sp in spammers:
            out, err = sp.communicate(timeout=args.duration + 120)
            if sp.returncode != 0 or not out.startswith("sent"):
                print(f"a load client failed: {err.strip().splitlines()[-1] if err.strip() else sp.returncode}")
                continue
            sent += int(out.split()[1])
        time.sleep(3.0)  # let the last transactions of the window commit
        cpu = {"nodes": sum(process_cpu_s(p.pid) for p in procs), "load clients": children_cpu_s(),
               "listener (this process)": self_cpu_s()}
        wall = time.monotonic() - started
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

    print(f"\nsent {sent:,} transactions ({sent / args.duration:,.0f} tx/s achieved input rate)")
    m = summarize(sample)
    if m is None:
        print("no transaction committed in the measurement window")
        return 1
    print(f"measured over {m.window_s:.1f} s of sending (the first and last second left out), "
          f"{sample.preblocks} pre-blocks")
    print("results:                 this run     reference (Rust Narwhal sample)   ratio")
    rows = [("consensus TPS", m.consensus_tps, "consensus_tps", "tx/s"),
            ("consensus BPS", m.consensus_bps, "consensus_bps", "B/s "),
            ("consensus latency", m.consensus_latency_ms, "consensus_latency_ms", "ms  "),
            ("end-to-end TPS", m.e2e_tps, "e2e_tps", "tx/s"),
            ("end-to-end BPS", m.e2e_bps, "e2e_bps", "B/s "),
            ("end-to-end latency", m.e2e_latency_ms, "e2e_latency_ms", "ms  ")]
    for label, value, ref, unit in rows:
        print(f"  {label:<20} {value:>10,.0f}   {REFERENCE[ref]:>10,} {unit}"
              f"                   {ratio(value, REFERENCE[ref])}")
    print(f"  in the window: {m.distinct:,} distinct transactions, {m.duplicates:,} duplicates; "
          f"over the whole run {len(sample.seen):,} of {sent:,} sent were delivered")
    print(f"CPU time over {wall:.0f} s on {os.cpu_count()} cores: "
          + ", ".join(f"{k} {v:.1f} s" for k, v in cpu.items()))
    if args.json:
        metrics = [{"name": label, "group": GROUPS[unit.strip()], "value": round(value, 1), "unit": unit.strip(),
                    "reference": "Rust Narwhal sample", "ratio": round(value / REFERENCE[ref], 4)}
                   for label, value, ref, unit in rows]
        metrics += [{"name": f"CPU {k}", "group": "CPU time", "value": round(v, 1), "unit": "s", "reference": None,
                     "ratio": None} for k, v in cpu.items()]
        params = {k: v for k, v in vars(args).items() if k not in ("json", "profile", "keep")}
        doc = {"benchmark": "bench_dsn", "version": 1, "unix_time": int(time.time()), "params": params,
               "metrics": metrics}
        sys.stdout.flush()
        json_out.write(json.dumps(doc, indent=1) + "\n")
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
