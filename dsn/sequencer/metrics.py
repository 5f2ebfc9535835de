"""Prometheus metrics of the sequencer, served at ``/metrics`` on its API port (and on
``--metrics-port`` when given).

Requests are counted by the HTTP middleware and admission is timed in ``POST /broadcast``; the DA
task's and custody's progress counters are read at scrape time (:meth:`SequencerMetrics.bind`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import Metric

from pvm_host.metrics import LATENCY_BUCKETS, HttpMetrics, ScrapeCollector, counter, gauge

if TYPE_CHECKING:
    from dsn.sequencer.da_task import DaTask
    from dsn.sequencer.tracker import TxTracker


class SequencerMetrics:
    def __init__(self) -> None:
        self.registry = r = CollectorRegistry()
        self.http = HttpMetrics("sequencer", r)
        self.admission = Histogram("sequencer_admission_duration_seconds",
                                   "POST /broadcast: checks, persistence and the DSN's acknowledgement",
                                   buckets=LATENCY_BUCKETS, registry=r)
        self.admitted = Counter("sequencer_transactions_admitted", "Transactions admitted by /broadcast", registry=r)
        self.checking = Counter("sequencer_admission_cpu_seconds", "CPU time of the admission checks of "
                                "/broadcast (decoding, rollup address, signature, id; their worker thread's)", registry=r)
        self.refused = Counter("sequencer_transactions_refused", "Transactions refused by /broadcast "
                               "(decoding, rollup address, signature, size)", registry=r)
        self.da: DaTask | None = None
        self.tracker: TxTracker | None = None
        r.register(ScrapeCollector(self._state))

    def bind(self, da: DaTask, tracker: TxTracker) -> None:
        """Read the DA task's and the tracker's (custody's) progress at scrape time."""
        self.da, self.tracker = da, tracker

    def _state(self) -> Iterator[Metric]:
        if self.tracker is not None:
            custody = self.tracker.custody
            yield gauge("sequencer_pending_transactions", "Transactions held (acknowledged, result not yet known)",
                        len(custody.held))
            yield counter("sequencer_results_seen", "Kernel results read from applied blocks",
                          self.tracker.applied_count)
            yield counter("sequencer_resubmitted_transactions", "Held transactions submitted again",
                          custody.stats.resubmitted)
            yield counter("sequencer_submit_failovers", "Submissions moved to another DSN node", custody.stats.failovers)
        if self.da is not None:
            s = self.da.stats
            yield counter("sequencer_preblocks_posted", "Pre-blocks posted to the rollup inbox", s.preblocks)
            yield counter("sequencer_posted_transactions", "Transactions in the posted pre-blocks", s.txs)
            yield counter("sequencer_da_posted_bytes", "Bytes of the posted pre-blocks", s.bytes)
            yield counter("sequencer_da_pages", "Inbox messages (pages) posted for pre-blocks", s.frames)
            yield counter("sequencer_resyncs", "Re-synchronisations with the kernel after lost pre-blocks", s.resyncs)
            yield gauge("sequencer_last_posted_preblock", "Index of the last posted pre-block", s.last_posted)
            yield gauge("sequencer_injection_lag_preblocks", "Pre-blocks posted and not yet applied by the kernel",
                        max(0, s.last_posted - self.da.kernel_high))
