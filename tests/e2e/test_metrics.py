"""Prometheus metrics scraped from the real processes of a local stack (rollup node, 4 DSN nodes,
sequencer) after transactions, parsed with prometheus-client's parser; and a real Prometheus (when
the optional Debian package is installed) scraping them all."""

from __future__ import annotations

import shutil
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from dsn.config import METRICS_PORT_OFFSET
from dsn.prometheus import query, start_prometheus, wait_all_up
from dsn.sequencer.stack import LocalStack
from dsn.token import txbuild
from dsn.token.client import SequencerClient, SequencerError
from tests.e2e.users import NATIVE, key

pytestmark = pytest.mark.slow


def scrape(url: str) -> dict[str, dict[tuple, float]]:
    """Sample name → {sorted labels: value} of a /metrics endpoint."""
    with urllib.request.urlopen(url, timeout=10) as resp:
        assert resp.headers["Content-Type"].startswith("text/plain; version=")
        text = resp.read().decode()
    out: dict[str, dict[tuple, float]] = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out.setdefault(s.name, {})[tuple(sorted(s.labels.items()))] = s.value
    return out


def value(m: dict[str, dict[tuple, float]], name: str, **labels: str) -> float:
    return m[name][tuple(sorted(labels.items()))]


def test_every_service_exports_its_metrics(stack: LocalStack) -> None:
    c = SequencerClient(stack.sequencer_url)
    rollup = bytes.fromhex(c.head()["sequencer"]["rollup_address"])
    alice, bob = key(1), bytes(key(2).verify_key)
    ids = [c.broadcast(txbuild.sign_tx(alice, rollup, n, txbuild.transfer(bob, NATIVE, 1))) for n in range(5)]
    assert [c.wait_tx(i, timeout=30)["status"] for i in ids] == ["applied"] * 5
    bad = bytearray(txbuild.sign_tx(key(3), rollup, 0, txbuild.transfer(bob, NATIVE, 1)))
    bad[-1] ^= 1
    with pytest.raises(SequencerError) as refused:
        c.broadcast(bytes(bad))
    assert refused.value.status == 422
    head = c.head()

    node = scrape(stack.rollup_url + "/metrics")  # before the sequencer: all it delivered was posted
    seq = scrape(stack.sequencer_url + "/metrics")
    assert value(seq, "sequencer_transactions_admitted_total") == 5
    assert value(seq, "sequencer_transactions_refused_total") == 1
    assert value(seq, "sequencer_admission_duration_seconds_count") == 6
    assert value(seq, "sequencer_http_requests_total", route="/broadcast", method="POST", status="200") == 5
    assert value(seq, "sequencer_http_requests_total", route="/broadcast", method="POST", status="422") == 1
    assert value(seq, "sequencer_http_requests_total", route="/txs/{tx_id}", method="GET", status="200") >= 5
    assert value(seq, "sequencer_posted_transactions_total") >= 5
    assert value(seq, "sequencer_preblocks_posted_total") >= head["index"] >= 1
    assert value(seq, "sequencer_da_pages_total") >= value(seq, "sequencer_preblocks_posted_total")
    assert value(seq, "sequencer_da_posted_bytes_total") > 0
    assert value(seq, "sequencer_pending_transactions") == 0
    assert value(seq, "sequencer_results_seen_total") >= 5
    assert value(seq, "sequencer_resyncs_total") == 0
    assert value(seq, "sequencer_injection_lag_preblocks") >= 0

    assert value(node, "rollup_node_level") >= head["rollup_level"] >= 1
    assert value(node, "rollup_node_levels_total") >= 1
    assert value(node, "rollup_node_level_ticks_count") == value(node, "rollup_node_levels_total")
    assert value(node, "rollup_node_level_ticks_sum") > 0
    assert value(node, "rollup_node_level_duration_seconds_count") == value(node, "rollup_node_levels_total")
    # the stack posts through the DAL (its default): slots published and attested, no external inbox message
    attested = value(node, "rollup_node_dal_slots_total", event="attested")
    assert 1 <= attested <= value(node, "rollup_node_dal_slots_total", event="published")
    assert value(node, "rollup_node_dal_slots_total", event="unattested") == 0
    assert value(node, "rollup_node_inbox_messages_total") == 0
    assert value(node, "rollup_node_stuck") == 0
    assert value(node, "rollup_node_kernel_ticks_total") >= value(node, "rollup_node_level_ticks_sum")
    assert value(node, "rollup_node_storage_bytes") > 0
    assert value(node, "rollup_node_kernel_rejections_total") == head["rejections"] == 0
    assert value(node, "rollup_node_outbox_messages_total") == 0
    assert value(node, "rollup_node_http_requests_total", route="/injection/operation", method="POST",
                 status="200") >= 1

    received_txs = 0.0
    for a in stack.committee().authorities:
        m = scrape(f"http://127.0.0.1:{a.node_port + METRICS_PORT_OFFSET}/metrics")
        received_txs += value(m, "dsn_transactions_received_total")
        assert value(m, "dsn_commits_total") >= head["index"]
        assert value(m, "dsn_commit_latency_seconds_count") == value(m, "dsn_committed_certificates_total") > 0
        assert value(m, "dsn_round") >= 2 and value(m, "dsn_dag_round") >= value(m, "dsn_round") - 1
        assert 1 <= value(m, "dsn_headers_proposed_total") <= value(m, "dsn_round")  # rounds may be skipped
        assert value(m, "dsn_certificates_accepted_total") > value(m, "dsn_certificates_formed_total") > 0
        assert value(m, "dsn_votes_sent_total") > 0
        assert value(m, "dsn_messages_received_total", kind="header") > 0
        assert value(m, "dsn_messages_received_total", kind="vote") > 0
        assert value(m, "dsn_peers_connected") == 3
        assert value(m, "dsn_store_bytes") > 0
        assert value(m, "dsn_batches_sealed_total") + value(m, "dsn_batches_received_total") > 0
    assert received_txs >= 5


def test_a_real_prometheus_scrapes_every_service(stack: LocalStack) -> None:
    if shutil.which("prometheus") is None:
        pytest.skip("the optional prometheus binary is not installed (Debian: apt-get install prometheus)")
    url = start_prometheus(stack)
    wait_all_up(url, len(stack.committee().authorities) + 2)
    assert sorted((r["metric"]["job"], r["value"][1]) for r in query(url, "up")) == \
        [("dsn", "1")] * 4 + [("rollup_node", "1"), ("sequencer", "1")]
    assert query(url, "sum(dsn_peers_connected)")[0]["value"][1] == "12"  # 4 nodes, 3 peers each
