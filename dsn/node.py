"""One DSN node: worker + primary + Bullshark + gRPC APIs in one asyncio process."""

from __future__ import annotations

import asyncio
import logging
import signal

import grpc

from dsn import codec
from dsn.api import exporter_handler, start_server, transactions_handler
from dsn.config import NodeConfig
from dsn.consensus import SubDag
from dsn.export import PreBlockSource
from dsn.metrics import NodeMetrics
from dsn.network import Network
from dsn.ports import bind_with_retry
from dsn.primary import Primary
from dsn.retention import Retention
from dsn.store import Store
from dsn.wire import Kind
from dsn.worker import Worker
from pvm_host.metrics import MetricsServer

log = logging.getLogger(__name__)

WORKER_KINDS = {Kind.BATCH, Kind.BATCH_ACK, Kind.BATCH_REQUEST, Kind.BATCH_DELIVERY}


class Node:
    def __init__(self, cfg: NodeConfig) -> None:
        self.cfg = cfg
        self.store: Store | None = None
        self.servers: list[grpc.aio.Server] = []
        self.failed = asyncio.Event()  # a background task died: the node must stop, not limp on
        self.metrics = NodeMetrics()
        self.metrics.node = self
        self.metrics_server: MetricsServer | None = None

    async def start(self) -> None:
        cfg = self.cfg
        committee = cfg.committee.committee()
        self.store = Store(cfg.store_dir)
        self.net = Network(cfg.committee, cfg.index, cfg.signing_key, self._dispatch, self._on_connect, cfg.limits)
        self.primary = Primary(committee, cfg.index, cfg.signing_key, cfg.parameters, self.store, self.net,
                               self._on_commit, self.metrics)
        self.worker = Worker(cfg.index, [a.stake for a in committee.authorities],
                             codec.quorum_threshold(committee), cfg.parameters, self.store, self.net,
                             self.primary.report_own_batch, self._on_batch_stored, self.primary.limits,
                             self.metrics)
        self.primary.want_batches = self.worker.want
        self.primary.on_backlog = self.worker.set_backlog
        self.source = PreBlockSource(self.store, self.worker.want)
        self.retention = Retention(self.store, cfg.parameters.retain_commits, lambda: self.primary.consensus.gc_round,
                                   cfg.parameters.retention_period_ms / 1000)
        self.primary.recover()
        await self.net.start()
        self.worker.start()
        self.primary.start()
        self.retention.start()
        for task in self.worker.tasks + self.primary.tasks + [self.retention.task]:
            task.add_done_callback(self._task_done)
        me = cfg.me
        self.servers = [
            await start_server(exporter_handler(self.source), me.host, me.export_port),
            await start_server(transactions_handler(self.worker), me.host, me.tx_port),
        ]
        if cfg.metrics_port is not None:
            self.metrics_server = MetricsServer(self.metrics.registry)
            server, host = self.metrics_server, cfg.metrics_host
            port = await bind_with_retry(lambda: server.start(host, cfg.metrics_port),
                                         f"metrics port {host}:{cfg.metrics_port}")
            log.info("metrics on http://%s:%d/metrics", cfg.metrics_host, port)
        log.info("node %s (index %d) up: round %d, %d pre-blocks", me.name, cfg.index,
                 self.primary.last_proposed_round, self.source.last_index)

    async def stop(self) -> None:
        for s in self.servers:
            await s.stop(0.5)
        if self.metrics_server is not None:
            await self.metrics_server.stop()
        await self.retention.stop()
        await self.primary.stop()
        await self.worker.stop()
        await self.net.stop()
        if self.store is not None:
            self.store.close()

    def _task_done(self, task: asyncio.Task) -> None:
        if not task.cancelled() and task.exception() is not None:
            log.critical("background task %s failed", task.get_coro().__qualname__, exc_info=task.exception())
            self.failed.set()

    def _dispatch(self, peer: int, kind: Kind, body: bytes) -> None:
        self.metrics.messages[kind].inc()
        if kind in WORKER_KINDS:
            self.worker.handle(peer, kind, body)
        else:
            self.primary.handle(peer, kind, body)

    def _on_connect(self, peer: int) -> None:
        self.primary.on_connect(peer)

    def _on_batch_stored(self, digest: bytes) -> None:
        self.primary.on_batch_stored(digest)
        self.source.changed.notify()

    def _on_commit(self, s: SubDag) -> None:
        log.debug("committed sub-DAG %d: leader round %d, %d certificates", s.index, s.leader.round,
                  len(s.certificates))
        self.source.committed(s.index)


async def run_node(cfg: NodeConfig) -> bool:
    """Run a node until SIGTERM or SIGINT (True) or a fatal internal error (False)."""
    node = Node(cfg)
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await node.start()
    waits = [asyncio.create_task(stop.wait()), asyncio.create_task(node.failed.wait())]
    await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    for w in waits:
        w.cancel()
    await node.stop()
    return not node.failed.is_set()
