"""Local DSN benchmark (``scripts/bench_dsn``): committed throughput and latency of N nodes on this machine.

Starts a fresh N-node network, ``--generators`` load-generator processes (:mod:`dsn.loadgen`: paced,
pipelined batched submits, spread over the nodes' transaction ports) and follows node 1's pre-block
stream. The generators' transactions carry their send time, generator id and sequence number; the
stream is scanned with numpy, so neither side costs the nodes much of the machine.

Figures, over the load window less ``WARMUP_S`` at its start:

* committed TPS/BPS: distinct generator transactions (bytes) delivered on node 1's stream in the
  window, per second — what the network sustained, however far behind the input it fell;
* consensus latency (the seed's definition, compared with the Rust Narwhal sample): delivery −
  creation time of the header carrying the batch; p50 and p95 too;
* submit → commit (end-to-end): delivery − the transaction's send time; mean, p50 and p95;
* offered vs sent per generator: a generator that fell behind its schedule says whether its window
  of requests was full (the nodes pushing back) or it lacked CPU itself.
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import grpc
import numpy as np

from dsn import stagecpu
from dsn.client import Client
from dsn.config import CommitteeFile
from dsn.launcher import exit_with_parent_env, prepare, wait_listening
from dsn.loadgen import FLUSH_S, GEN_COLS, MIN_SIZE, SEQ_COLS, TS_COLS
from dsn.sequencer.stack import free_port_base
from kernel_py.formats import dsn as fmt
from kernel_py.formats.limits import kernel_preblock_budget

REFERENCE = {"consensus_tps": 46_478, "consensus_latency_ms": 464, "e2e_tps": 46_149, "e2e_latency_ms": 557,
             "consensus_bps": 23_796_531, "e2e_bps": 23_628_541}
_U32 = struct.Struct(">I")
WARMUP_S = 1.0


class Sample:
    """Every delivered generator transaction: key (generator ‖ sequence), send, delivery and header
    creation times, kept as numpy chunks in delivery order."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.preblocks = 0
        self.largest = 0  # bytes of the largest pre-block
        self.foreign = 0  # transactions not made by a generator of this run
        self.blocks: list[tuple[int, int, int, int]] = []  # per pre-block: delivery ms, top round, headers, batch bytes
        self.chunks: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        if not self.chunks:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty, empty
        return tuple(np.concatenate([c[i] for c in self.chunks]) for i in range(4))  # type: ignore[return-value]


def scan_preblock(data: bytes, received_ms: int, s: Sample) -> None:
    """Record one pre-block: certificates via the kernel decoder, batches of the generators'
    fixed-size transactions as numpy row views (any other batch is only counted)."""
    r = fmt.new_reader(data)
    fmt.read_u64(r)
    fmt.read_u64(r)
    created = []
    top_round = 0
    headers = fmt.read_count(r, fmt.MIN_CERTIFICATE_LEN)
    for _ in range(headers):
        c = fmt.read_certificate(r)
        created.extend([c.header.created_at] * len(c.header.payload))
        top_round = max(top_round, c.header.round)
    pos = start = r.pos + 4
    s.preblocks += 1
    s.largest = max(s.largest, len(data))
    row = 4 + s.size
    size_bytes = np.frombuffer(s.size.to_bytes(4, "big"), dtype=np.uint8)
    for created_at in created:
        (n,) = _U32.unpack_from(data, pos)
        rows = np.frombuffer(data, dtype=np.uint8, count=n * row, offset=pos + 4).reshape(n, row) \
            if pos + 4 + n * row <= len(data) else None
        if rows is not None and (rows[:, 0:4] == size_bytes).all():
            keys = (rows[:, GEN_COLS].copy().view(">u4").ravel().astype(np.int64) << 40) \
                | rows[:, SEQ_COLS].copy().view(">u8").ravel().astype(np.int64)
            sent = rows[:, TS_COLS].copy().view(">u8").ravel().astype(np.int64)
            s.chunks.append((keys, sent, np.full(n, received_ms, dtype=np.int64),
                             np.full(n, created_at, dtype=np.int64)))
            pos += 4 + n * row
        else:
            pos += 4
            for _ in range(n):
                (size,) = _U32.unpack_from(data, pos)
                pos += 4 + size
            s.foreign += n
    s.blocks.append((received_ms, top_round, headers, pos - start))


@dataclass
class Summary:
    window_s: float
    committed_tps: float
    committed_bps: float
    consensus_latency_ms: float
    consensus_p50_ms: float
    consensus_p95_ms: float
    e2e_latency_ms: float
    e2e_p50_ms: float
    e2e_p95_ms: float
    distinct: int
    duplicates: int
    delivered_total: int
    rounds_per_s: float
    headers_per_s: float
    header_bytes: float  # mean batch bytes per committed header


def dag_rate(s: Sample, lo: int, hi: int) -> tuple[float, float, float]:
    """Rounds per second, committed headers per second and mean batch bytes per header over [lo, hi]."""
    blocks = [b for b in s.blocks if lo <= b[0] <= hi]
    if len(blocks) < 2:
        return 0.0, 0.0, 0.0
    w = (blocks[-1][0] - blocks[0][0]) / 1000 or 1.0
    headers = sum(b[2] for b in blocks[1:])
    return ((blocks[-1][1] - blocks[0][1]) / w, headers / w,
            sum(b[3] for b in blocks[1:]) / max(1, headers))


def summarize(s: Sample, load_start_ms: int, load_end_ms: int) -> Summary | None:
    """Figures over the transactions delivered in [load start + WARMUP_S, load end]."""
    keys, sent, received, created = s.arrays()
    lo, hi = load_start_ms + int(WARMUP_S * 1000), load_end_ms
    if not len(keys) or hi <= lo:
        return None
    _, first_idx = np.unique(keys, return_index=True)
    first = np.zeros(len(keys), dtype=bool)
    first[first_idx] = True  # a transaction's first delivery (chunks are in delivery order)
    in_window = (received >= lo) & (received <= hi)
    sel = in_window & first
    if not sel.any():
        return None
    w = (hi - lo) / 1000
    c_lat = (received - created)[in_window]
    e_lat = (received - sent)[sel]
    return Summary(w, sel.sum() / w, sel.sum() * s.size / w, float(c_lat.mean()),
                   float(np.percentile(c_lat, 50)), float(np.percentile(c_lat, 95)), float(e_lat.mean()),
                   float(np.percentile(e_lat, 50)), float(np.percentile(e_lat, 95)), int(sel.sum()),
                   int((in_window & ~first).sum()), len(first_idx), *dag_rate(s, lo, hi))


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


def listening_ports(pid: int) -> set[int]:
    """TCP ports a process listens on (Linux /proc): its socket inodes matched against /proc/net/tcp*."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    ports = set()
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # state LISTEN
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


def self_cpu_s() -> float:
    t = os.times()
    return t.user + t.system


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


GROUPS = {"tx/s": "throughput", "B/s": "byte rate", "ms": "latency"}  # --json metric groups by unit


def ratio(x: float, ref: float) -> str:
    return f"{x / ref:.2f}x"


PROFILE_CATEGORIES = [  # (label, predicate on (file, function name)); the first match wins
    ("idle (waiting in epoll)", lambda f, n: "epoll" in n),
    ("LMDB reads and writes", lambda f, n: "Transaction" in n or "Environment" in n or "lmdb" in f),
    ("BLAKE2b digests", lambda f, n: f.endswith("codec.py") and n == "digest"),
    ("batch validation", lambda f, n: n in ("check_batch", "batch_entries") or "unpack_from" in n),
    ("socket send/recv", lambda f, n: "socket" in n),
    ("AES-GCM link encryption", lambda f, n: "AESGCM" in n or "encrypt" in n or "decrypt" in n),
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


def generator_verdict(g: dict) -> str:
    """Whether a generator kept to its schedule, and if not, why."""
    if g["sent"] >= 0.99 * g["offered"]:
        return "kept up"
    if g["cpu_s"] >= 0.9 * g["duration_s"]:
        return "fell behind: out of CPU (generator-bound)"
    return "fell behind: request window full (the nodes pushed back)"


def clean_up(base: Path, keep: bool) -> None:
    """Delete the network directory unless ``--keep``."""
    if keep:
        print(f"network directory kept: {base}")
    else:
        shutil.rmtree(base, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="bench_dsn", description=__doc__.split("\n")[0])
    ap.add_argument("--nodes", type=int, default=4, help="local nodes (one process each; default 4)")
    ap.add_argument("--rate", type=int, default=50_000, help="offered rate, tx/s (all generators together)")
    ap.add_argument("--size", type=int, default=512, help=f"transaction size in bytes (≥ {MIN_SIZE})")
    ap.add_argument("--duration", type=float, default=20.0, help="seconds of load")
    ap.add_argument("--generators", type=int, default=4, help="load-generator processes (spread over the nodes)")
    ap.add_argument("--request-txs", type=int, default=500, help="transactions per submit request at most")
    ap.add_argument("--window", type=int, default=16, help="requests in flight per generator at most")
    ap.add_argument("--flush-ms", type=float, default=FLUSH_S * 1000,
                    help="a generator sends a partial request once its oldest transaction has waited this long")
    ap.add_argument("--gc-depth", type=int, default=50,
                    help="committee GC depth; it sets the per-header payload limit (dsn/README.md, size limits)")
    ap.add_argument("--batch-size", type=int, default=500_000, help="seal a batch at this many bytes")
    ap.add_argument("--max-batch-delay-ms", type=int, default=100, help="seal a non-empty batch after this delay")
    ap.add_argument("--min-header-delay-ms", type=int, default=100,
                    help="propose a header before the batch threshold is reached after this delay")
    ap.add_argument("--max-header-delay-ms", type=int, default=200,
                    help="propose a header even if the leader rule is not met after this delay")
    ap.add_argument("--header-batches", type=int, default=32, help="batches that make a header ready (header_num_of_batches_threshold)")
    ap.add_argument("--profile", action="store_true", help="run node 1 under cProfile and print the top functions")
    ap.add_argument("--stages", action="store_true",
                    help="run the nodes under dsn.stagecpu and print their CPU by stage, µs per transaction per node")
    ap.add_argument("--keep", action="store_true", help="keep the network directory")
    ap.add_argument("--json", action="store_true", help="print a JSON summary on stdout (the text goes to stderr)")
    args = ap.parse_args(argv)
    if args.size < MIN_SIZE:
        ap.error(f"--size must be at least {MIN_SIZE}")
    json_out = sys.stdout
    if args.json:  # the shape of scripts/_bench_json.py, read by scripts/plot
        sys.stdout = sys.stderr

    params = {"batch_size": args.batch_size, "max_batch_delay_ms": args.max_batch_delay_ms,
              "min_header_delay_ms": args.min_header_delay_ms, "max_header_delay_ms": args.max_header_delay_ms,
              "header_num_of_batches_threshold": args.header_batches}
    base = Path(tempfile.mkdtemp(prefix="bench-dsn-"))
    port_base = free_port_base(args.nodes, preferred=None)
    configs = prepare(base, args.nodes, port_base=port_base, parameters=params, gc_depth=args.gc_depth)
    committee = CommitteeFile.from_json((base / "committee.json").read_text())
    from dsn.budget import payload_budget

    budget = payload_budget(args.nodes, args.gc_depth)
    limits = budget.limits
    print("config:")
    print(f"  nodes {args.nodes} (1 worker each, one process per node, this machine: {os.cpu_count()} cores, "
          f"load average before {load_average()})")
    print(f"  offered {args.rate:,} tx/s by {args.generators} generator processes, transaction size {args.size} B, "
          f"load {args.duration:.0f} s")
    print(f"  gc_depth {args.gc_depth}: header payload limit {limits.max_header_payload:,} B "
          f"(~{limits.max_header_payload // (4 + args.size)} transactions per header"
          + (f"; {budget.idle_cap:,} B without a visible recent commit, static share {budget.static.max_header_payload:,}"
             " B" if budget.dynamic else "") + ")")
    for k, v in params.items():
        print(f"  {k} {v:,}")
    prof = base / "node-1.prof"
    procs: list[subprocess.Popen] = []
    gens: list[subprocess.Popen] = []
    stop = threading.Event()
    sample = Sample(args.size)
    try:
        for i, cfg in enumerate(configs):
            cmd = [sys.executable]
            if args.profile and i == 0:
                cmd += ["-m", "cProfile", "-o", str(prof), "-m", "dsn"]
            elif args.stages:
                cmd += ["-m", "dsn.stagecpu", str(base / f"node-{i + 1}.stages.json"), "--"]
            else:
                cmd += ["-m", "dsn"]
            cmd += ["node", "run", "--config", str(cfg), "--log-level", "WARNING"]
            with open(base / f"node-{i + 1}.log", "wb") as log:
                procs.append(subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                                              env=exit_with_parent_env()))
        for a, p in zip(committee.authorities, procs):
            ports = {a.node_port, a.export_port, a.tx_port}
            if not wait_listening(a.host, sorted(ports), 60, p) or not ports <= listening_ports(p.pid):
                # another network took a port meanwhile: never load someone else's nodes
                raise RuntimeError(f"{a.name} did not start on ports {sorted(ports)}; see {base}")
        started = time.monotonic()
        listener = threading.Thread(target=follow, args=(f"127.0.0.1:{committee.authorities[0].export_port}",
                                                         stop, sample), daemon=True)
        listener.start()
        for g in range(args.generators):
            a = committee.authorities[g % args.nodes]
            gens.append(subprocess.Popen(
                [sys.executable, "-m", "dsn.loadgen", "--endpoint", f"127.0.0.1:{a.tx_port}", "--generator", str(g),
                 "--rate", str(args.rate / args.generators), "--duration", str(args.duration), "--size",
                 str(args.size), "--request-txs", str(args.request_txs), "--window", str(args.window), "--flush-ms",
                 str(args.flush_ms), "--sync"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                env=exit_with_parent_env()))
        for g, gp in enumerate(gens):
            if gp.stdout.readline().strip() != "ready":
                raise RuntimeError(f"generator {g} did not start: {gp.stderr.read()[-500:]}")
        node_cpu0 = [process_cpu_s(p.pid) for p in procs]
        listener_cpu0 = self_cpu_s()
        load_start_ms = int(time.time() * 1000)
        for gp in gens:
            gp.stdin.write("go\n")
            gp.stdin.flush()
        time.sleep(args.duration)
        load_end_ms = int(time.time() * 1000)
        node_cpu_load = [process_cpu_s(p.pid) - c for p, c in zip(procs, node_cpu0)]
        listener_cpu_load = self_cpu_s() - listener_cpu0
        results = []
        for g, gp in enumerate(gens):
            out, err = gp.communicate(timeout=120)
            if gp.returncode != 0 or not out.strip():
                print(f"generator {g} failed: {err.strip().splitlines()[-1] if err.strip() else gp.returncode}")
                continue
            results.append(json.loads(out))
        time.sleep(3.0)  # let what was accepted commit (the figures use the load window only)
        wall = time.monotonic() - started
        load_after = load_average()
    finally:
        stop.set()
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
        for gp in gens:
            if gp.poll() is None:
                gp.kill()

    offered = sum(g["offered"] for g in results)
    sent = sum(g["sent"] for g in results)
    accepted = sum(g["accepted"] for g in results)
    print(f"\nload average after {load_after}")
    print(f"offered {offered:,} transactions, sent {sent:,} ({sent / args.duration:,.0f} tx/s), "
          f"{accepted:,} accepted by the nodes")
    for g in results:
        print(f"  generator {g['generator']}: offered {g['offered']:,}, sent {g['sent']:,}, accepted "
              f"{g['accepted']:,} in {g['requests']:,} requests, CPU {g['cpu_s']:.1f} s in {g['duration_s']:.0f} s, "
              f"worst lag {g['max_lag_s']} s"
              f"{', errors ' + str(g['errors']) + ' (' + g['last_error'] + ')' if g['errors'] else ''}"
              f": {generator_verdict(g)}")
    m = summarize(sample, load_start_ms, load_end_ms)
    if m is None:
        print("no transaction committed in the measurement window")
        clean_up(base, args.keep)
        return 1
    print(f"measured over {m.window_s:.1f} s of load (the first {WARMUP_S:.0f} s left out), "
          f"{sample.preblocks} pre-blocks on node 1")
    print("results:                 this run     reference (Rust Narwhal sample)   ratio")
    rows = [("consensus TPS", m.committed_tps, "consensus_tps", "tx/s"),
            ("consensus BPS", m.committed_bps, "consensus_bps", "B/s "),
            ("consensus latency", m.consensus_latency_ms, "consensus_latency_ms", "ms  "),
            ("end-to-end TPS", m.committed_tps, "e2e_tps", "tx/s"),
            ("end-to-end BPS", m.committed_bps, "e2e_bps", "B/s "),
            ("end-to-end latency", m.e2e_latency_ms, "e2e_latency_ms", "ms  ")]
    for label, value, ref, unit in rows:
        print(f"  {label:<20} {value:>10,.0f}   {REFERENCE[ref]:>10,} {unit}"
              f"                   {ratio(value, REFERENCE[ref])}")
    print(f"  consensus latency (header created → committed on node 1): p50 {m.consensus_p50_ms:,.0f} ms, "
          f"p95 {m.consensus_p95_ms:,.0f} ms")
    print(f"  submit → commit (send → delivered on node 1's stream):   p50 {m.e2e_p50_ms:,.0f} ms, "
          f"p95 {m.e2e_p95_ms:,.0f} ms")
    print(f"  DAG: {m.rounds_per_s:.1f} rounds/s, {m.headers_per_s:.1f} committed headers/s carrying "
          f"{m.header_bytes:,.0f} B of batches each ({100 * m.header_bytes / limits.max_header_payload:.0f} % of "
          f"the {limits.max_header_payload:,} B limit): at most "
          f"{m.rounds_per_s * args.nodes * limits.max_header_payload / (4 + args.size):,.0f} tx/s at this round rate")
    print(f"  largest pre-block {sample.largest:,} B (the kernel takes {kernel_preblock_budget():,} B), "
          f"{max((b[2] for b in sample.blocks), default=0)} headers at most")
    print(f"  in the window: {m.distinct:,} distinct transactions, {m.duplicates:,} duplicates; "
          f"over the whole run {m.delivered_total:,} of {sent:,} sent were delivered"
          f"{f', {sample.foreign:,} foreign' if sample.foreign else ''}")
    cpu = {f"node {i + 1}": c for i, c in enumerate(node_cpu_load)}
    cpu.update({f"generator {g['generator']}": g["cpu_s"] for g in results})
    cpu["listener (this process)"] = listener_cpu_load
    print(f"CPU time during the {args.duration:.0f} s of load on {os.cpu_count()} cores: "
          + ", ".join(f"{k} {v:.1f} s" for k, v in cpu.items()))
    print(f"  per committed transaction: nodes {1e6 * sum(node_cpu_load) / max(1, m.committed_tps * args.duration):.1f}"
          f" µs (all 4 together), generators "
          f"{1e6 * sum(g['cpu_s'] for g in results) / max(1, sent):.1f} µs per sent transaction; wall {wall:.0f} s")
    if args.json:
        metrics = [{"name": label, "group": GROUPS[unit.strip()], "value": round(value, 1), "unit": unit.strip(),
                    "reference": "Rust Narwhal sample", "ratio": round(value / REFERENCE[ref], 4)}
                   for label, value, ref, unit in rows]
        metrics += [{"name": name, "group": "latency", "value": round(max(value, 0.1), 1), "unit": "ms",
                     "reference": None, "ratio": None}
                    for name, value in [("consensus latency p50", m.consensus_p50_ms),
                                        ("consensus latency p95", m.consensus_p95_ms),
                                        ("submit to commit p50", m.e2e_p50_ms),
                                        ("submit to commit p95", m.e2e_p95_ms)]]
        metrics += [{"name": f"CPU {k}", "group": "CPU time", "value": round(max(v, 0.01), 2), "unit": "s",
                     "reference": None, "ratio": None} for k, v in cpu.items()]
        params = {k: v for k, v in vars(args).items() if k not in ("json", "profile", "stages", "keep")}
        doc = {"benchmark": "bench_dsn", "version": 1, "unix_time": int(time.time()), "params": params,
               "metrics": metrics}
        sys.stdout.flush()
        json_out.write(json.dumps(doc, indent=1) + "\n")
    if args.profile and prof.exists():
        print_profile(prof, 25)
    if args.stages:
        docs = [json.loads(p.read_text()) for p in sorted(base.glob("node-*.stages.json"))]
        print(f"\nCPU by stage ({len(docs)} nodes, dsn.stagecpu; the whole run, per transaction delivered, per node; "
              "rows are inclusive and nest):")
        print("\n".join(stagecpu.table(docs, m.delivered_total)))
    clean_up(base, args.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
