"""OpenTelemetry traces of a transaction's life: an in-process sequencer (mock consensus, in-process
rollup) traced with the SDK's in-memory exporter; off by default without importing OpenTelemetry."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import aiohttp
import pytest
from nacl.signing import SigningKey
from opentelemetry import trace
from opentelemetry.propagate import inject
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from prometheus_client.parser import text_string_to_metric_families

from dsn.sequencer.committee_keys import FIXTURES
from dsn.sequencer.kernel_choice import choose_kernel
from dsn.sequencer.service import SequencerConfig, run_sequencer
from dsn.sequencer.stack import free_port
from dsn.sequencer.tracing import TxTracing
from dsn.token import txbuild

ALICE = SigningKey(bytes([0xA1]) * 32)
BOB = bytes(SigningKey(bytes([0xB0]) * 32).verify_key)
NATIVE = bytes(32)
STAGES = ["admission", "dsn.submit", "dsn.consensus", "da.post", "kernel.apply"]


async def one_traced_transfer(base: Path, provider: TracerProvider) -> tuple[dict, dict, trace.Span, dict]:
    metrics_port = free_port()
    cfg = SequencerConfig(data_dir=base, port=0, metrics_port=metrics_port, mock_rollup=True, mock_consensus=True,
                          committee_dir=FIXTURES / "4", kernel=choose_kernel(prefer_native=True),
                          genesis=[(bytes(ALICE.verify_key), 1000)], block_time=0.1, mock_interval=0.1)
    ready: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    task = asyncio.create_task(run_sequencer(cfg, ready.set_result, tracing=TxTracing(provider.get_tracer("seq"))))
    try:
        url = f"http://127.0.0.1:{await asyncio.wait_for(ready, 60)}"
        client = provider.get_tracer("client").start_span("client request")
        headers: dict[str, str] = {}
        inject(headers, context=trace.set_span_in_context(client))
        async with aiohttp.ClientSession() as http:
            async with http.get(url + "/head") as r:
                rollup = bytes.fromhex((await r.json())["sequencer"]["rollup_address"])
            tx = txbuild.sign_tx(ALICE, rollup, 0, txbuild.transfer(BOB, NATIVE, 7))
            async with http.post(url + "/broadcast", json={"tx": tx.hex()}, headers=headers) as r:
                assert r.status == 200
                answer = dict(await r.json(), traceparent=r.headers["traceparent"])
            for _ in range(300):
                async with http.get(url + f"/txs/{answer['tx_id']}") as r:
                    status = await r.json()
                if status["status"] == "applied":
                    break
                await asyncio.sleep(0.1)
            async with http.get(f"http://127.0.0.1:{metrics_port}/metrics") as r:  # the separate metrics port
                metrics = {s.name: s.value for f in text_string_to_metric_families(await r.text()) for s in f.samples}
        client.end()
        return answer, status, client, metrics
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


@pytest.mark.slow
def test_a_transaction_is_one_trace_from_admission_to_the_kernel(tmp_path: Path) -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    answer, status, client, metrics = asyncio.run(one_traced_transfer(tmp_path, provider))
    assert status["status"] == "applied"
    assert metrics["sequencer_transactions_admitted_total"] == 1 and metrics["sequencer_preblocks_posted_total"] >= 1
    trace_id = client.get_span_context().trace_id
    spans = {s.name: s for s in exporter.get_finished_spans() if s.context.trace_id == trace_id}
    assert sorted(spans) == sorted(["client request", "transaction", *STAGES])

    root = spans["transaction"]
    assert root.parent is not None and root.parent.span_id == client.get_span_context().span_id
    assert answer["traceparent"].startswith(f"00-{trace_id:032x}-{root.context.span_id:016x}-")
    assert root.attributes["tx.id"] == answer["tx_id"]
    assert root.attributes["tx.status"] == "applied" and root.attributes["kernel.block"] == status["block"]
    stages = [spans[n] for n in STAGES]
    assert all(s.parent is not None and s.parent.span_id == root.context.span_id for s in stages)
    assert root.start_time == stages[0].start_time and root.end_time == stages[-1].end_time
    for earlier, later in zip(stages, stages[1:]):  # consecutive: each stage starts when the previous ended
        assert earlier.start_time <= earlier.end_time == later.start_time or \
            (earlier.name, later.name) == ("dsn.consensus", "da.post") and earlier.end_time <= later.start_time

    consensus = spans["dsn.consensus"]
    batch = consensus.attributes["dsn.batch_digest"]
    assert len(bytes.fromhex(batch)) == 32
    assert [e.name for e in consensus.events] == ["dsn.batch", "dsn.certificate", "dsn.commit"]
    assert all(e.attributes["dsn.batch_digest"] == batch for e in consensus.events)
    certificate, commit = consensus.events[1].attributes, consensus.events[2].attributes
    assert len(bytes.fromhex(certificate["dsn.certificate_digest"])) == 32 and certificate["dsn.round"] >= 1
    assert commit["dsn.preblock_index"] == consensus.attributes["dsn.preblock_index"] == status["block"]
    assert commit["dsn.leader_round"] >= certificate["dsn.round"]
    post = spans["da.post"].attributes
    assert post["dsn.preblock_index"] == status["block"] and post["da.pages"] >= 1 and post["da.bytes"] > 0
    assert post["rollup.first_inbox_level"] >= 1
    assert spans["kernel.apply"].attributes == {"kernel.block": status["block"], "kernel.position": status["position"],
                                                "tx.status": "applied"}


def test_tracing_is_off_without_an_endpoint_and_imports_nothing() -> None:
    code = ("import sys; from dsn.sequencer import service, tracing; "
            "print(tracing.from_environment() is None, any(m.startswith('opentelemetry') for m in sys.modules))")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "False"]


def test_with_an_endpoint_spans_are_exported_over_otlp_http() -> None:
    received: list[bytes] = []

    class Collector(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            received.append(self.rfile.read(int(self.headers["Content-Length"])))
            assert self.path == "/v1/traces"
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        env = dict(os.environ, OTEL_EXPORTER_OTLP_ENDPOINT=f"http://127.0.0.1:{server.server_address[1]}")
        code = ("from dsn.sequencer import tracing; t = tracing.from_environment(); "
                "t.tracer.start_span('probe', attributes={'n': 7}).end(); t.close()")
        subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=60)
    finally:
        server.shutdown()
    assert len(received) == 1
    request = ExportTraceServiceRequest.FromString(received[0])
    [resource_spans] = request.resource_spans
    assert {a.key: a.value.string_value for a in resource_spans.resource.attributes}["service.name"] == "dsn-sequencer"
    [span] = [s for scope in resource_spans.scope_spans for s in scope.spans]
    assert span.name == "probe" and [(a.key, a.value.int_value) for a in span.attributes] == [("n", 7)]
