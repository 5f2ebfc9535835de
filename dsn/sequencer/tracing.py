"""OpenTelemetry traces of a transaction's life, as the sequencer sees it.

One trace per transaction admitted by ``POST /broadcast``; its root span ``transaction`` is a child
of the request's W3C ``traceparent`` header when there is one (so a client's trace continues
through the sequencer), and a single-transaction answer carries the root's ``traceparent``. Child
spans, in order:

- ``admission``: decoding, rollup address and signature checks, persistence in custody;
- ``dsn.submit``: until a DSN node's worker acknowledged the transaction (its batch reached the
  acknowledgement quorum);
- ``dsn.consensus``: until the sequencer read the committed pre-block holding it, with the DSN stages
  as events keyed by batch digest — ``dsn.batch`` (batch digest and author), ``dsn.certificate``
  (certificate digest, round, author; at the header's creation time) and ``dsn.commit`` (pre-block
  index, leader round; at the commit timestamp);
- ``da.post``: posting the pre-block's pages to the rollup node's batcher (``rollup.first_inbox_level``:
  the first level whose inbox can carry them, the head level then + 1);
- ``kernel.apply``: until the kernel's result was read (block, position, status, error).

Off unless ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set (:func:`from_environment`): then spans are exported
over OTLP/HTTP (protobuf) in batches. When off, nothing of OpenTelemetry is imported and the hooks
are a ``None`` check.
"""

from __future__ import annotations

import os
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from dsn import codec

ENDPOINT_ENV = "OTEL_EXPORTER_OTLP_ENDPOINT"
MAX_LIVE = 50_000  # transactions followed at once (the oldest are dropped, their root span ended)
MAX_POSTING = 1024  # pre-blocks ordered and not yet posted


@dataclass
class _Life:
    root: Any  # the open root span
    submitted_ns: int  # end of dsn.submit
    posted_ns: int = 0  # end of da.post
    preblock: int = 0


@dataclass
class _Posting:
    ids: list[bytes] = field(default_factory=list)
    start_ns: int = 0


class TxTracing:
    """Spans of transactions from admission to the kernel's result (see the module docstring)."""

    def __init__(self, tracer: Any, provider: Any = None) -> None:
        from opentelemetry import trace
        from opentelemetry.propagate import extract, inject

        self._trace, self._extract, self._inject = trace, extract, inject
        self.tracer = tracer
        self.provider = provider  # shut down by close() when owned
        self.live: OrderedDict[bytes, _Life] = OrderedDict()
        self.posting: dict[int, _Posting] = {}

    def close(self) -> None:
        for life in self.live.values():
            life.root.end()
        self.live.clear()
        if self.provider is not None:
            self.provider.shutdown()

    # ---- admission (POST /broadcast) ----------------------------------------------------------

    def admitted(self, tx_ids: list[bytes], headers: Mapping[str, str], start_ns: int, checked_ns: int,
                 submitted_ns: int) -> dict[str, str]:
        """Start the traces of transactions admitted by one request; return the ``traceparent``
        headers of the first one's root span."""
        parent = self._extract(headers)
        out: dict[str, str] = {}
        for tx_id in tx_ids:
            root = self.tracer.start_span("transaction", context=parent, start_time=start_ns,
                                          attributes={"tx.id": tx_id.hex()})
            ctx = self._trace.set_span_in_context(root)
            self.tracer.start_span("admission", context=ctx, start_time=start_ns).end(checked_ns)
            self.tracer.start_span("dsn.submit", context=ctx, start_time=checked_ns).end(submitted_ns)
            old = self.live.pop(tx_id, None)
            if old is not None:
                old.root.end()
            self.live[tx_id] = _Life(root, submitted_ns)
            if not out:
                self._inject(out, context=ctx)
        while len(self.live) > MAX_LIVE:
            self.live.popitem(last=False)[1].root.end()
        return out

    # ---- DSN order and DA post (DA task) ------------------------------------------------------

    def ordered(self, encoded: bytes) -> None:
        """A committed pre-block was read: ``dsn.consensus`` spans of the followed transactions in it."""
        now = time.time_ns()
        p = codec.decode_preblock(encoded)
        posting = _Posting(start_ns=now)
        entries = [(c, e) for c in p.certificates for e in c.header.payload]
        for (cert, entry), batch in zip(entries, p.batches):
            for tx in batch.transactions:
                tx_id = codec.digest(tx)
                life = self.live.get(tx_id)
                if life is None or life.preblock:
                    continue
                h = cert.header
                span = self.tracer.start_span(
                    "dsn.consensus", context=self._trace.set_span_in_context(life.root),
                    start_time=min(life.submitted_ns, now),
                    attributes={"dsn.batch_digest": entry.digest.hex(), "dsn.preblock_index": p.index})
                span.add_event("dsn.batch", {"dsn.batch_digest": entry.digest.hex(), "dsn.batch_author": h.author},
                               timestamp=min(life.submitted_ns, now))
                span.add_event("dsn.certificate", {"dsn.batch_digest": entry.digest.hex(),
                                                   "dsn.certificate_digest": codec.header_digest(h).hex(),
                                                   "dsn.round": h.round, "dsn.author": h.author},
                               timestamp=h.created_at * 1_000_000)
                span.add_event("dsn.commit", {"dsn.batch_digest": entry.digest.hex(), "dsn.preblock_index": p.index,
                                              "dsn.leader_round": p.certificates[-1].header.round},
                               timestamp=p.commit_timestamp * 1_000_000)
                span.end(now)
                life.preblock = p.index
                posting.ids.append(tx_id)
        if posting.ids:
            self.posting[p.index] = posting
            while len(self.posting) > MAX_POSTING:
                del self.posting[next(iter(self.posting))]

    def posted(self, index: int, pages: int, size: int, rollup_level: int) -> None:
        """Pre-block ``index`` is in the rollup's batcher queue (the rollup's head level is
        ``rollup_level``): ``da.post`` spans."""
        posting = self.posting.pop(index, None)
        if posting is None:
            return
        now = time.time_ns()
        for tx_id in posting.ids:
            life = self.live.get(tx_id)
            if life is None:
                continue
            self.tracer.start_span("da.post", context=self._trace.set_span_in_context(life.root),
                                   start_time=posting.start_ns,
                                   attributes={"dsn.preblock_index": index, "da.pages": pages, "da.bytes": size,
                                               "rollup.first_inbox_level": rollup_level + 1}).end(now)
            life.posted_ns = now

    # ---- kernel results (tracker) -------------------------------------------------------------

    def applied(self, tx_id: bytes, block: int, position: int, status: str, error: str) -> None:
        """The kernel's result of a followed transaction: ``kernel.apply``, and the trace ends."""
        life = self.live.pop(tx_id, None)
        if life is None:
            return
        now = time.time_ns()
        attributes = {"kernel.block": block, "kernel.position": position, "tx.status": status}
        if error:
            attributes["tx.error"] = error
        self.tracer.start_span("kernel.apply", context=self._trace.set_span_in_context(life.root),
                               start_time=life.posted_ns or now, attributes=attributes).end(now)
        life.root.set_attributes(attributes)
        life.root.end(now)


def from_environment(service_name: str = "dsn-sequencer") -> TxTracing | None:
    """Tracing exported over OTLP/HTTP when ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set (the exporter reads
    the standard ``OTEL_EXPORTER_OTLP_*`` variables), else None."""
    if not os.environ.get(ENDPOINT_ENV):
        return None
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    return TxTracing(provider.get_tracer("dsn.sequencer"), provider)
