"""Attacks a Byzantine committee member can make on DSN nodes, for tests and ``scripts/abuse``.

Each attack holds one committee key, opens authenticated links (:mod:`dsn.secure_channel`) to target
nodes as that member and speaks the wire protocol (:mod:`dsn.wire`). From Python::

    from dsn.attacks import sync_storm, unreferenced_batches
    report = sync_storm(Path(".dsn/node-1.json"), targets=[1, 2], duration=20)   # blocking
    report = unreferenced_batches(Path(".dsn/node-1.json"), targets=[1], count=2, size=30 << 20)
    print(report.line())

(``targets`` are committee indices, 0-based; the async variants are ``sync_storm_async`` and
``unreferenced_batches_async``.) From a shell, as a separate process::

    python -m dsn.attacks sync-storm --config .dsn/node-1.json --target 1 --target 2 --duration 20
    python -m dsn.attacks batches --config .dsn/node-1.json --target 1 --count 2 --size 31457280

Both print one line: frames and bytes sent per target, and links refused or closed. To see the
batches leave a target's store (after ``unreferenced_batch_ttl_ms``, 60 s by default), read its
stored batch bytes with :func:`stored_batch_bytes` (``.dsn/db/node-2`` for committee index 1).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import lmdb
from nacl.signing import VerifyKey

from dsn import codec, secure_channel
from dsn.config import NodeConfig, load_node_config
from dsn.wire import Kind, encode_round, encode_worker_batch

SYNC_REQUEST = bytes([Kind.SYNC_REQUEST]) + encode_round(0)  # "everything after round 0"


@dataclass
class AttackReport:
    attack: str
    frames: dict[int, int] = field(default_factory=dict)
    bytes: dict[int, int] = field(default_factory=dict)
    closed: dict[int, str] = field(default_factory=dict)  # target -> why its link ended early
    seconds: float = 0.0

    def line(self) -> str:
        per = ", ".join(f"node index {t}: {self.frames.get(t, 0):,} frames, {self.bytes.get(t, 0):,} B"
                        + (f" (link ended: {self.closed[t]})" if t in self.closed else "")
                        for t in sorted(set(self.frames) | set(self.closed)))
        return f"{self.attack}: {per} in {self.seconds:.1f} s"


async def _link(cfg: NodeConfig, target: int) -> tuple[asyncio.StreamWriter, secure_channel.Sealer]:
    a = cfg.committee.authorities[target]
    reader, writer = await asyncio.open_connection(a.host, a.node_port)
    sealer = await secure_channel.connect(reader, writer, cfg.signing_key, cfg.index, target, VerifyKey(a.public_key))
    return writer, sealer


async def _send_for(cfg: NodeConfig, target: int, messages, report: AttackReport,
                    deadline: float | None = None) -> None:
    """Send the chunks of plaintext messages yielded by ``messages`` to ``target`` until it is
    exhausted or ``deadline`` (monotonic) passes, even while the target is not reading."""
    writer = None
    try:
        writer, sealer = await _link(cfg, target)
        for chunk in messages:
            out: list[bytes] = []
            for m in chunk:
                out += sealer.seal(m)
            writer.writelines(out)
            if deadline is None:
                await writer.drain()
            else:
                try:
                    await asyncio.wait_for(writer.drain(), max(0.0, deadline - time.monotonic()))
                except asyncio.TimeoutError:
                    break  # the target stopped reading (paced us) and time is up
            await asyncio.sleep(0)  # drain() returns at once while the socket takes data: let other links run
            report.frames[target] = report.frames.get(target, 0) + len(chunk)
            report.bytes[target] = report.bytes.get(target, 0) + sum(len(b) for b in out)
    except (OSError, asyncio.IncompleteReadError, secure_channel.HandshakeError) as e:
        report.closed[target] = f"{type(e).__name__}: {e}"
    finally:
        if writer is not None:
            writer.close()


async def sync_storm_async(config: Path, targets: list[int], duration: float, burst: int = 100) -> AttackReport:
    """Send ``SYNC_REQUEST(after round 0)`` to each target as fast as its link takes them, for
    ``duration`` seconds (each would make an unprotected node read and send ~300 certificates)."""
    cfg = load_node_config(config)
    report = AttackReport("sync storm")
    deadline = time.monotonic() + duration

    def chunks():
        while time.monotonic() < deadline:
            yield [SYNC_REQUEST] * burst

    started = time.monotonic()
    await asyncio.gather(*(_send_for(cfg, t, chunks(), report, deadline) for t in targets))
    report.seconds = time.monotonic() - started
    return report


async def unreferenced_batches_async(config: Path, targets: list[int], count: int = 2,
                                     size: int = 30 << 20) -> AttackReport:
    """Send ``count`` valid batches of about ``size`` bytes that no header will ever name."""
    cfg = load_node_config(config)
    report = AttackReport("unreferenced batches")
    nonce = time.time_ns().to_bytes(8, "big")
    per_tx = min(size, 1 << 20)  # transactions are at most 4 MB (FORMATS §1.2); the DSN's size limit is lower
    batches = [codec.encode_batch_fast([nonce + i.to_bytes(4, "big") + j.to_bytes(4, "big") + b"\xab" * max(0, per_tx - 16)
                                        for j in range(max(1, size // per_tx))]) for i in range(count)]
    messages = [[bytes([Kind.BATCH]) + encode_worker_batch(0, b)] for b in batches]
    started = time.monotonic()
    await asyncio.gather(*(_send_for(cfg, t, iter(messages), report) for t in targets))
    report.seconds = time.monotonic() - started
    return report


def stored_batch_bytes(store_dir: Path) -> int:
    """Bytes of batches in a (running) node's LMDB store: a read-only reader registered in the
    store's lock table, so the node's concurrent writes cannot recycle the pages it reads."""
    env = lmdb.open(str(store_dir), readonly=True, max_dbs=16)
    try:
        with env.begin() as txn:
            return sum(len(v) for _, v in txn.cursor(db=env.open_db(b"batches", txn=txn, create=False)))
    finally:
        env.close()


def sync_storm(config: Path, targets: list[int], duration: float) -> AttackReport:
    """Blocking :func:`sync_storm_async`."""
    return asyncio.run(sync_storm_async(config, targets, duration))


def unreferenced_batches(config: Path, targets: list[int], count: int = 2, size: int = 30 << 20) -> AttackReport:
    """Blocking :func:`unreferenced_batches_async`."""
    return asyncio.run(unreferenced_batches_async(config, targets, count, size))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m dsn.attacks", description="Byzantine-member attacks on DSN nodes.")
    sub = ap.add_subparsers(dest="attack", required=True)
    storm = sub.add_parser("sync-storm", help="flood SYNC_REQUESTs")
    storm.add_argument("--duration", type=float, default=20.0)
    batches = sub.add_parser("batches", help="send batches no header names")
    batches.add_argument("--count", type=int, default=2)
    batches.add_argument("--size", type=int, default=30 << 20)
    for p in (storm, batches):
        p.add_argument("--config", type=Path, required=True, help="node configuration holding the member's key")
        p.add_argument("--target", type=int, action="append", required=True, help="committee index (0-based)")
    args = ap.parse_args(argv)
    if args.attack == "sync-storm":
        report = sync_storm(args.config, args.target, args.duration)
    else:
        report = unreferenced_batches(args.config, args.target, args.count, args.size)
    print(report.line(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
