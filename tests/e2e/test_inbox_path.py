"""The L1-inbox DA path end to end (the stack's default is the DAL): `dsn sequencer run --da inbox`
posts pre-blocks as external messages through the rollup node's batcher, under the honest local L1's
limits, and the kernel applies every transfer exactly once."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from dsn.sequencer.kernel_choice import choose_kernel
from dsn.sequencer.stack import LocalStack, free_port_base
from dsn.token import txbuild
from dsn.token.client import SequencerClient
from tests.e2e.users import NATIVE, key

pytestmark = pytest.mark.slow


def test_transfers_posted_through_the_inbox_are_applied_once(tmp_path: Path) -> None:
    stack = LocalStack(tmp_path, nodes=4, dsn_port_base=free_port_base(4, preferred=None), da="inbox")
    alice, bob = key(1), key(2)
    try:
        stack.start_rollup(choose_kernel(), [(bytes(alice.verify_key), 1_000_000)], block_time=0.3)
        stack.start_dsn()
        stack.start_sequencer()
        c = SequencerClient(stack.sequencer_url)
        rollup = bytes.fromhex(c.head()["sequencer"]["rollup_address"])
        b = bytes(bob.verify_key)
        ids = [c.broadcast(txbuild.sign_tx(alice, rollup, n, txbuild.transfer(b, NATIVE, n + 1))) for n in range(20)]
        assert [c.wait_tx(i, timeout=60)["status"] for i in ids] == ["applied"] * 20
        assert c.account(b)["balances"] == {NATIVE.hex(): sum(range(1, 21))}
        assert c.account(bytes(alice.verify_key))["next_nonce"] == 20
        assert c.head()["rejections"] == 0  # nothing refused by the kernel
        metrics = {s.name: s.value for f in text_string_to_metric_families(
            urllib.request.urlopen(stack.rollup_url + "/metrics", timeout=10).read().decode()) for s in f.samples
            if not s.labels}
        assert metrics["rollup_node_inbox_messages_total"] > 0  # pre-blocks came as external messages …
        assert metrics["rollup_node_l1_inbox_bytes_total"] > 0  # … in add_messages operations of the local L1
    finally:
        stack.stop()
    assert stack.pids() == []
