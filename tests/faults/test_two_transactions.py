"""The issue-13 case, deterministic: tx1 is acknowledged through the DSN node the sequencer submits
to, that node is killed (SIGKILL) at once, tx2 (the next nonce) is acknowledged through another
node. Both must be applied, in nonce order, while the killed node stays down (before the fix, tx1
waited for the node to return and tx2 was rejected "invalid nonce": the recipient got 100, not 101)."""

from __future__ import annotations

from pathlib import Path

import pytest
from nacl.signing import SigningKey

from dsn.sequencer.kernel_choice import choose_kernel
from dsn.sequencer.stack import LocalStack, free_port_base
from dsn.token import txbuild
from dsn.token.client import SequencerClient

pytestmark = pytest.mark.slow

NATIVE = bytes(32)


def test_a_later_nonce_through_another_node_does_not_overtake_the_acknowledged_one(tmp_path: Path) -> None:
    alice = SigningKey(bytes([0xA1]) * 32)
    recipient = bytes(SigningKey(bytes([0xB2]) * 32).verify_key)
    st = LocalStack(tmp_path, nodes=4, dsn_port_base=free_port_base(4, preferred=None))
    try:
        st.start_rollup(choose_kernel(), [(bytes(alice.verify_key), 1_000)], block_time=0.3)
        st.start_dsn()
        st.start_sequencer()
        c = SequencerClient(st.sequencer_url)
        rollup = bytes.fromhex(c.head()["sequencer"]["rollup_address"])
        tx1 = c.broadcast(txbuild.sign_tx(alice, rollup, 0, txbuild.transfer(recipient, NATIVE, 100)))
        st.kill_dsn_node(1)  # the node the sequencer submits to (its first --dsn endpoint)
        tx2 = c.broadcast(txbuild.sign_tx(alice, rollup, 1, txbuild.transfer(recipient, NATIVE, 1)))
        r1, r2 = c.wait_tx(tx1, timeout=60), c.wait_tx(tx2, timeout=60)
        assert (r1["status"], r2["status"]) == ("applied", "applied"), (r1, r2)
        assert (r1["block"], r1["position"]) < (r2["block"], r2["position"])
        assert c.account(recipient)["balances"] == {NATIVE.hex(): 101}
        assert c.account(bytes(alice.verify_key))["nonce"] == 2
    finally:
        st.stop()
    assert st.pids() == []
