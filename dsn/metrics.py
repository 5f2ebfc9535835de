"""Prometheus metrics of a DSN node (Narwhal worker, primary, Bullshark), served on the node's
metrics port (``metrics_port`` in the node configuration or ``dsn node run --metrics-port``).

Events are counted where they happen (a counter increment each); the round, peers, store size and
queue lengths are read at scrape time.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import Metric

from dsn.wire import Kind
from pvm_host.metrics import LATENCY_BUCKETS, ScrapeCollector, gauge, lmdb_used_bytes

if TYPE_CHECKING:
    from dsn.node import Node


class NodeMetrics:
    """Counters and histograms of one node, in their own registry."""

    def __init__(self) -> None:
        self.registry = r = CollectorRegistry()
        self.txs = Counter("dsn_transactions_received", "Client transactions received", registry=r)
        self.tx_bytes = Counter("dsn_transactions_received_bytes", "Bytes of client transactions received",
                                registry=r)
        self.batches_sealed = Counter("dsn_batches_sealed", "Batches sealed by this node's worker", registry=r)
        self.batches_sealed_bytes = Counter("dsn_batches_sealed_bytes", "Bytes of batches sealed", registry=r)
        self.batches_received = Counter("dsn_batches_received", "Peer batches received and stored", registry=r)
        messages = Counter("dsn_messages_received", "Peer messages received, by kind", ["kind"], registry=r)
        self.messages = {k: messages.labels(k.name.lower()) for k in Kind}
        self.headers_proposed = Counter("dsn_headers_proposed", "Own headers proposed (one per round)", registry=r)
        self.headers_held_back = Counter("dsn_headers_held_back", "Own headers proposed without the queued "
                                         "batches: an earlier own header with batches is not their ancestor "
                                         "(per-node commit order)", registry=r)
        self.votes_sent = Counter("dsn_votes_sent", "Votes sent for peers' headers", registry=r)
        self.certificates_formed = Counter("dsn_certificates_formed", "Own headers certified", registry=r)
        self.certificates_accepted = Counter("dsn_certificates_accepted", "Certificates accepted into the DAG",
                                             registry=r)
        self.commits = Counter("dsn_commits", "Sub-DAGs committed (pre-blocks)", registry=r)
        self.committed_certificates = Counter("dsn_committed_certificates", "Certificates in committed sub-DAGs",
                                              registry=r)
        self.commit_latency = Histogram("dsn_commit_latency_seconds",
                                        "From a header's creation to the commit of its certificate",
                                        buckets=LATENCY_BUCKETS, registry=r)
        self.sync_requests_sent = Counter("dsn_sync_requests_sent", "Certificate requests sent (catch-up, "
                                          "missing parents)", registry=r)
        self.node: Node | None = None
        r.register(ScrapeCollector(self._state))

    def _state(self) -> Iterator[Metric]:
        node = self.node
        if node is None:
            return
        p = node.primary
        yield gauge("dsn_round", "Last round this node proposed", p.last_proposed_round)
        yield gauge("dsn_dag_round", "Highest round with an accepted certificate", max(p.by_round, default=0))
        yield gauge("dsn_last_committed_leader_round", "Round of the last committed leader",
                    p.consensus.last_leader_round)
        yield gauge("dsn_peers_connected", "Peers with an open connection", len(node.net.connected_peers()))
        yield gauge("dsn_queued_batches", "Own acknowledged batches waiting for a header", len(p.digests))
        yield gauge("dsn_suspended_certificates", "Certificates waiting for their parents", len(p.suspended))
        if node.store is not None:
            yield gauge("dsn_store_bytes", "Bytes used by the node's store", lmdb_used_bytes(node.store.env))
