"""Prometheus metrics of the local rollup node (:mod:`pvm_host.rollup_node`), served at ``/metrics``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import Metric

from pvm_host.lifecycle import LevelReport
from pvm_host.metrics import LATENCY_BUCKETS, HttpMetrics, ScrapeCollector, counter, gauge, lmdb_used_bytes

if TYPE_CHECKING:
    from pvm_host.rollup_node import RollupNode

TICK_BUCKETS = tuple(10.0 ** e for e in range(3, 13))  # 1e3 … 1e12 ticks


class RollupNodeMetrics:
    """Per-level counters (updated by :meth:`on_level`) and the node's state read at scrape time."""

    def __init__(self, node: RollupNode) -> None:
        self.node = node
        self.registry = r = CollectorRegistry()
        self.http = HttpMetrics("rollup_node", r)
        self.levels = Counter("rollup_node_levels", "Levels run", registry=r)
        self.ticks = Histogram("rollup_node_level_ticks", "Kernel ticks per level", buckets=TICK_BUCKETS, registry=r)
        self.wall = Histogram("rollup_node_level_duration_seconds", "Wall time of the kernel run per level",
                              buckets=LATENCY_BUCKETS, registry=r)
        self.reboots = Counter("rollup_node_kernel_reboots", "Kernel reboots (boots after the first of a level)",
                               registry=r)
        self.inbox = Counter("rollup_node_inbox_messages", "External inbox messages delivered to the kernel",
                             registry=r)
        self.outbox = Counter("rollup_node_outbox_messages", "Outbox messages the kernel wrote", registry=r)
        # the local L1's per-block report (pvm_host.l1_sim.chain.BlockReport), when the node has one
        self.l1_inbox_bytes = Counter("rollup_node_l1_inbox_bytes", "Inbox bytes carried by local L1 blocks",
                                      registry=r)
        self.l1_manager_bytes = Counter("rollup_node_l1_manager_operation_bytes",
                                        "Manager operation bytes in local L1 blocks", registry=r)
        self.l1_fees = Counter("rollup_node_l1_fees_mutez", "Estimated fees of the local L1 operations (mutez)",
                               registry=r)
        self.l1_gas = Counter("rollup_node_l1_gas", "Estimated gas of the local L1 operations", registry=r)
        self.dal_slots = Counter("rollup_node_dal_slots", "DAL slots by event (published, attested, unattested)",
                                 ["event"], registry=r)
        r.register(ScrapeCollector(self._state))

    def on_level(self, report: LevelReport, dequeued: int) -> None:
        self.levels.inc()
        self.ticks.observe(report.ticks)
        self.wall.observe(report.seconds)
        self.reboots.inc(max(0, report.boots - 1))
        self.inbox.inc(dequeued)
        self.outbox.inc(len(report.outbox))
        block = self.node.last_block
        if block is not None and block.level == report.level:
            self.l1_inbox_bytes.inc(block.inbox_bytes)
            self.l1_manager_bytes.inc(block.manager_bytes)
            self.l1_fees.inc(block.fees_mutez)
            self.l1_gas.inc(block.gas)
            self.dal_slots.labels("published").inc(len(block.dal_published))
            self.dal_slots.labels("attested").inc(len(block.dal_attested))
            self.dal_slots.labels("unattested").inc(len(block.dal_unattested))

    def _state(self) -> Iterator[Metric]:
        rollup = self.node.rollup
        yield gauge("rollup_node_level", "Last completed level", self.node.head_level)
        yield gauge("rollup_node_stuck", "1 when the kernel is stuck or the node stopped on a failure",
                    1 if rollup.meta.stuck or self.node.failure else 0)
        yield counter("rollup_node_kernel_ticks", "Kernel ticks since origination", rollup.meta.total_ticks)
        yield gauge("rollup_node_batcher_queue_messages", "Injected messages waiting for a level", len(rollup.queued()))
        yield gauge("rollup_node_batcher_queue_bytes", "Bytes of injected messages waiting", rollup.queued_bytes)
        if rollup.store is not None:
            yield gauge("rollup_node_storage_bytes", "Bytes used by the state store", lmdb_used_bytes(rollup.store.env))
            rejections = rollup.read_committed(("rejections", "count"))  # the DSN kernel's counter, if any
            yield counter("rollup_node_kernel_rejections", "Inputs the kernel rejected (/rejections/count)",
                          int.from_bytes(rejections or b"", "big"))
