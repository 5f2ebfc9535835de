"""Where a node's CPU goes, by stage: ``python -m dsn.stagecpu OUT.json -- node run --config C``.

Runs the ``dsn`` command line with the hot functions of the node wrapped so that each adds the
main thread's CPU time spent in it (``time.thread_time_ns``, inclusive of what it calls) and its
call count to a table, written as JSON to ``OUT.json`` when the process exits (SIGTERM included:
the node stops cleanly). ``scripts/bench_dsn --stages`` runs every node this way and prints the
table in µs per committed transaction per node. A wrapper costs ~0.3 µs per call, about 0.01 µs
per transaction. Stages nest (the hash of a peer's batch is inside "peer batch"); the rows are
inclusive, so they do not add up.
"""

from __future__ import annotations

import atexit
import functools
import importlib
import json
import os
import sys
import time
from collections.abc import Callable

# (label, module, attribute path); a row's label is indented under the row it runs inside
STAGES = [
    ("socket receive (recv + stream buffer; before _Inbound)", "asyncio.selector_events",
     "_SelectorSocketTransport._read_ready__data_received"),
    ("  stream buffer append", "asyncio.streams", "StreamReader.feed_data"),
    ("link receive (recv_into, then open and handle)", "asyncio.selector_events",
     "_SelectorSocketTransport._read_ready__get_buffer"),
    ("  receive buffer management", "dsn.network", "_Inbound.get_buffer"),
    ("frame open (AES-GCM)", "dsn.secure_channel", "Opener.open"),
    ("peer batch messages (worker.handle)", "dsn.worker", "Worker.handle"),
    ("  strict check", "dsn.codec", "check_batch"),
    ("  LMDB put", "dsn.store", "Store.put_peer_batch"),
    ("gRPC request decoding (protobuf)", "dsn.proto.dsn_pb2", "TransactionBatch.FromString"),
    ("client submits (incl. seals they trigger)", "dsn.worker", "Worker.submit_encoded"),
    ("batch seal (join, hash, store, broadcast)", "dsn.worker", "Worker._seal"),
    ("  LMDB put", "dsn.store", "Store.put_batch"),
    ("frame seal (AES-GCM)", "dsn.secure_channel", "Sealer.seal_into"),
    ("socket send (write)", "asyncio.selector_events", "_SelectorSocketTransport.write"),
    ("socket send (deferred)", "asyncio.selector_events", "_SelectorSocketTransport._write_ready"),
    ("consensus messages (primary.handle)", "dsn.primary", "Primary.handle"),
    ("header proposal", "dsn.primary", "Primary._propose"),
    ("pre-block assembly (export)", "dsn.export", "PreBlockSource.assemble"),
    ("BLAKE2b (every digest)", "dsn.codec", "digest"),
    ("Ed25519 verify", "nacl.signing", "VerifyKey.verify"),
    ("Ed25519 sign", "nacl.signing", "SigningKey.sign"),
    ("LMDB write transactions (all)", "dsn.store", "Store._write"),
    ("LMDB batch lookups", "dsn.store", "Store.batch_size"),
]

_totals: dict[str, list[int]] = {}


def _wrap(label: str, f: Callable) -> Callable:
    cell = _totals.setdefault(label, [0, 0])
    clock = time.thread_time_ns

    @functools.wraps(f)
    def timed(*args, **kwargs):
        t0 = clock()
        try:
            return f(*args, **kwargs)
        finally:
            cell[0] += clock() - t0
            cell[1] += 1

    return timed


def install() -> None:
    """Wrap every function of :data:`STAGES` (a row whose function is missing is skipped)."""
    for i, (label, module, path) in enumerate(STAGES):
        owner = importlib.import_module(module)
        *parents, name = path.split(".")
        for p in parents:
            owner = getattr(owner, p, None)
        f = getattr(owner, name, None)
        if f is not None:
            setattr(owner, name, _wrap(f"{i:02d} {label}", f))


def snapshot(main_thread_start: int, process_start: int) -> dict:
    return {"process_ns": time.process_time_ns() - process_start,
            "main_thread_ns": time.thread_time_ns() - main_thread_start,
            "stages": {label: list(v) for label, v in _totals.items()}}


def table(docs: list[dict], transactions: int) -> list[str]:
    """Rows of µs per transaction per node (``docs``: one :func:`snapshot` per node)."""
    if not docs or transactions <= 0:
        return []
    per = 1e3 * transactions * len(docs)  # ns → µs per transaction per node
    process = sum(d["process_ns"] for d in docs)
    main = sum(d["main_thread_ns"] for d in docs)
    rows = [f"  {'whole process':<46} {process / per:6.3f} µs", f"  {'main thread (event loop)':<46} {main / per:6.3f} µs",
            f"  {'other threads (gRPC)':<46} {(process - main) / per:6.3f} µs"]
    labels = sorted({label for d in docs for label in d["stages"]})
    for label in labels:
        ns = sum(d["stages"].get(label, [0, 0])[0] for d in docs)
        calls = sum(d["stages"].get(label, [0, 0])[1] for d in docs)
        rows.append(f"    {label[3:]:<44} {ns / per:6.3f} µs  {100 * ns / process:5.1f} %  "
                    f"{calls:>9,} calls, {ns / 1e3 / max(calls, 1):7.1f} µs each")
    return rows


def main() -> None:
    out, rest = sys.argv[1], sys.argv[2:]
    if rest[:1] == ["--"]:
        rest = rest[1:]
    from dsn.launcher import exit_with_parent_from_env

    exit_with_parent_from_env()
    install()
    t_main, t_process = time.thread_time_ns(), time.process_time_ns()

    def dump() -> None:
        tmp = f"{out}.tmp{os.getpid()}"
        with open(tmp, "w") as f:
            json.dump(snapshot(t_main, t_process), f)
        os.replace(tmp, out)

    atexit.register(dump)
    from dsn.cli import main as cli

    sys.argv = ["dsn", *rest]
    cli()


if __name__ == "__main__":
    main()
