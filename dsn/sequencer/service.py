"""Wiring of a sequencer node: rollup backend, pre-block source, DA task, tracker and HTTP API."""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from dsn.config import CommitteeFile
from dsn.sequencer.api import SequencerApi
from dsn.sequencer.committee_keys import load_committee_dir
from dsn.sequencer.custody import Custody
from dsn.sequencer.da import InjectionLog
from dsn.sequencer.da_task import DaTask
from dsn.sequencer.dal_backend import DalBackend, DalRpc, probe_dal
from dsn.sequencer.kernel_choice import KernelChoice
from dsn.sequencer.metrics import SequencerMetrics
from dsn.sequencer.mock_consensus import MockConsensus
from dsn.sequencer.rollup_backend import LocalRollup, RemoteRollup, RollupBackend, open_local_rollup
from dsn.sequencer.setup_file import setup_instructions
from dsn.sequencer.sources import DsnSource, MockSource, PreBlockSource
from dsn.sequencer.state import KernelState
from dsn.sequencer.status_store import StatusStore
from dsn.sequencer.submitter import Submitter
from dsn.sequencer.tracing import TxTracing
from dsn.sequencer.tracing import from_environment as tracing_from_environment
from dsn.sequencer.tracker import TxTracker
from kernel_py.formats.limits import size_limits
from pvm_host.http_guard import limit_logging
from pvm_host.metrics import MetricsServer
from tezos_l1 import keys
from tezos_l1.keys import Key

log = logging.getLogger("dsn.sequencer")


@dataclass
class SequencerConfig:
    """Everything ``dsn sequencer run`` needs (see its options)."""

    data_dir: Path
    host: str = "127.0.0.1"
    port: int = 8080
    rollup_url: str = "http://127.0.0.1:8932"
    dsn_tx: list[str] = field(default_factory=lambda: ["127.0.0.1:64012"])
    dsn_export: list[str] = field(default_factory=lambda: ["127.0.0.1:64011"])
    committee_dir: Path | None = None
    mock_rollup: bool = False
    mock_consensus: bool = False
    kernel: KernelChoice | None = None
    genesis: list[tuple[bytes, int]] = field(default_factory=list)
    block_time: float = 0.5
    mock_interval: float = 0.2
    max_lag: int = 64
    hints: bool = True  # append x(R) hints to the posted pre-blocks (dsn/sequencer/hints.py)
    settle_timeout: float = 120.0
    resubmit_after: float = 5.0
    da: str = "auto"  # dal | inbox | auto (dal when the DAL node answers)
    dal_node: str | None = None  # default: the rollup node's URL (the local DAL node's routes)
    l1_endpoint: str | None = None  # default: the rollup node's URL (the local L1's routes)
    dal_slots: list[int] = field(default_factory=lambda: [0])
    publisher_keys: list[str] = field(default_factory=list)  # key files or edsk…; none: <data_dir>/dal-publisher.key
    metrics_port: int | None = None  # /metrics also on this port (None: only on the API port)
    metrics_host: str = "127.0.0.1"


async def _with_da(cfg: SequencerConfig, backend: RollupBackend) -> tuple[RollupBackend, str]:
    """Wrap ``backend`` in a :class:`DalBackend` for ``--da dal`` (or ``auto`` when the DAL node
    answers ``GET /protocol_parameters``); returns the backend and the DA path used."""
    if cfg.da == "inbox" or (cfg.mock_rollup and cfg.da == "auto"):
        return backend, "inbox"
    if cfg.mock_rollup:
        raise ValueError("--da dal needs a rollup node with a DAL (not --mock-rollup)")
    dal_url = cfg.dal_node or cfg.rollup_url
    params = await probe_dal(dal_url)
    if params is None:
        if cfg.da == "dal":
            raise ValueError(f"--da dal: no DAL node answers GET {dal_url}/protocol_parameters")
        log.info("no DAL node at %s: posting pre-blocks to the rollup inbox", dal_url)
        return backend, "inbox"
    publishers = publisher_keys(cfg)
    dal = DalBackend(backend, DalRpc(dal_url, cfg.l1_endpoint or cfg.rollup_url), publishers, cfg.dal_slots, params)
    dal.start()
    log.info("posting pre-blocks through the DAL at %s: slots %s, publishers %s (%d-byte slots, lag %d)",
             dal_url, cfg.dal_slots, [k.address for k in publishers], params.slot_size, params.attestation_lag)
    return dal, "dal"


def publisher_keys(cfg: SequencerConfig) -> list[Key]:
    """The DAL publisher keys: ``cfg.publisher_keys`` (files or edsk…), else ``<data_dir>/dal-publisher.key``
    (created on first use). Their tz1s must be in the kernel's ``/dal/publishers``."""
    if cfg.publisher_keys:
        return [keys.load(k) for k in cfg.publisher_keys]
    path = cfg.data_dir / "dal-publisher.key"
    if not path.exists():
        keys.save(keys.generate(), path)
    return [keys.load(str(path))]


async def _backend(cfg: SequencerConfig) -> RollupBackend:
    if not cfg.mock_rollup:
        remote = RemoteRollup(cfg.rollup_url)
        log.info("connecting to the rollup node at %s ...", cfg.rollup_url)
        await remote.connect()
        return remote
    if cfg.committee_dir is None or cfg.kernel is None:
        raise ValueError("--mock-rollup needs a committee directory and a kernel")
    committee, _ = load_committee_dir(cfg.committee_dir)
    rollup = await asyncio.to_thread(
        open_local_rollup, cfg.kernel.wasm, cfg.kernel.native, cfg.data_dir / "rollup",
        setup_instructions(committee.committee(), cfg.genesis))
    local = LocalRollup(rollup, cfg.block_time)
    local.start()
    return local


def _max_tx(cfg: SequencerConfig) -> int:
    """The DSN's per-transaction byte limit for the committee of ``cfg.committee_dir``."""
    if cfg.committee_dir is None:
        raise ValueError("a committee directory is needed (the DSN's size limits depend on its committee)")
    committee = CommitteeFile.from_json((cfg.committee_dir / "committee.json").read_text())
    return size_limits(len(committee.authorities), committee.gc_depth).max_tx


def _source(cfg: SequencerConfig) -> PreBlockSource:
    if not cfg.mock_consensus:
        return DsnSource(cfg.dsn_tx, cfg.dsn_export)
    if cfg.committee_dir is None:
        raise ValueError("--mock-consensus needs a committee directory with node-N.key files")
    committee, keys = load_committee_dir(cfg.committee_dir)
    return MockSource(MockConsensus(keys, committee.committee(), cfg.data_dir / "mock-consensus"), cfg.mock_interval)


async def run_sequencer(cfg: SequencerConfig, on_ready: Callable[[int], None] | None = None,
                        progress_every: float = 5.0, tracing: TxTracing | None = None) -> None:
    """Run until cancelled or until a task fails (its exception propagates). Transactions are traced
    with ``tracing``, else over OTLP when ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set."""
    cfg.data_dir.mkdir(parents=True, exist_ok=True)
    backend, da_path = await _with_da(cfg, await _backend(cfg))
    source = _source(cfg)
    store = StatusStore(cfg.data_dir / "status")
    custody = Custody(store, int(cfg.resubmit_after * 1000))
    if custody.held:
        log.info("%d acknowledged transactions still held: resubmitted unless ordered within %.0f s",
                 len(custody.held), cfg.resubmit_after)
    tracker = TxTracker(custody)
    tracker.tracing = tracing or tracing_from_environment()
    state = KernelState(backend)
    da = DaTask(source, backend, InjectionLog.load(cfg.data_dir / "injected.json"), tracker,
                max_lag=cfg.max_lag, settle_timeout=cfg.settle_timeout, hints=cfg.hints)
    submitter = Submitter(source, custody)
    started = time.time()

    def info() -> dict:
        s = da.stats
        extra = {"dal": vars(backend.stats) | {"slots": backend.slots}} if isinstance(backend, DalBackend) else {}
        return {"mode": {"rollup": "mock" if cfg.mock_rollup else cfg.rollup_url,
                         "consensus": "mock" if cfg.mock_consensus else cfg.dsn_export[0], "da": da_path}, **extra,
                "rollup_address": backend.address.hex(), "last_posted": s.last_posted,
                "resumed_from": s.resumed_from, "resyncs": s.resyncs, "posted_preblocks": s.preblocks, "posted_txs": s.txs,
                "submit_node": submitter.turn + 1, "held": len(custody.held), "custody": vars(custody.stats),
                "uptime_s": round(time.time() - started, 1)}

    metrics = SequencerMetrics()
    metrics.bind(da, tracker)
    api = SequencerApi(state, tracker, source, submitter, backend.address, info, _max_tx(cfg), metrics=metrics)
    da.observers.append(api.dashboard.recent.observe)
    limit_logging(log.name)
    runner = api.guard.runner(api.app, access_log=None)
    await runner.setup()
    site = api.guard.site(runner, cfg.host, cfg.port)
    await site.start()
    bound = site.bound_port
    log.info("sequencer API on http://%s:%d, dashboard at /dashboard (rollup %s, consensus %s)", cfg.host, bound,
             "mock" if cfg.mock_rollup else cfg.rollup_url, "mock" if cfg.mock_consensus else ", ".join(cfg.dsn_export))
    metrics_server = MetricsServer(metrics.registry)
    if cfg.metrics_port is not None:
        port = await metrics_server.start(cfg.metrics_host, cfg.metrics_port)
        log.info("metrics on http://%s:%d/metrics", cfg.metrics_host, port)
    if on_ready is not None:
        on_ready(bound)
    quiet_gc()
    tasks = [asyncio.create_task(da.run(), name="da"), asyncio.create_task(tracker.follow(state), name="tracker"),
             asyncio.create_task(_progress(da, tracker, state, progress_every), name="progress"),
             asyncio.create_task(submitter.run(), name="resubmit")]
    if isinstance(backend, LocalRollup) and backend.task is not None:
        tasks.append(backend.task)  # a failing in-process level stops the sequencer with its error
    if isinstance(backend, DalBackend) and backend.task is not None:
        tasks.append(backend.task)
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        for t in done:
            t.result()
    finally:
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await runner.cleanup()
        await metrics_server.stop()
        if tracker.tracing is not None:
            tracker.tracing.close()
        await source.close()
        await backend.close()
        store.close()


def quiet_gc() -> None:
    """Leave what start-up built (modules, the kernel's codecs, gRPC and aiohttp) out of the cyclic
    garbage collector's passes and run its young generation every 20,000 allocations instead of 700:
    at 5,000 tx/s its passes cost ~5 µs per transaction otherwise (``scripts/bench_admission --process``)."""
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


async def _progress(da: DaTask, tracker: TxTracker, state: KernelState, every: float) -> None:
    last_txs, last_t = 0, time.monotonic()
    while True:
        await asyncio.sleep(every)
        s = da.stats
        now = time.monotonic()
        try:
            head = await state.head()
        except Exception as exc:  # reported, not fatal
            log.warning("progress: cannot read the kernel head: %s", exc)
            continue
        log.info("posted pre-block %d (%d this run, %d txs, %.0f tx/s) | kernel at %d, root %s | %d results seen | "
                 "%d held, custody %s", s.last_posted, s.preblocks, s.txs, (s.txs - last_txs) / (now - last_t),
                 head["index"], (head["root"] or "-")[:16], tracker.applied_count, len(tracker.custody.held),
                 vars(tracker.custody.stats))
        last_txs, last_t = s.txs, now
