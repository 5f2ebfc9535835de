"""The whole pipeline on loopback as real processes: `dsn rollup node` (wasm kernel when the compiler
builds it) + a 4-node DSN + `dsn sequencer run`; signed transactions through the public API, applied
by the kernel with exact balances and results; the sequencer restarted (SIGTERM, then SIGKILL after a
burst) without gap or duplicate; a rollup node coming back with an empty state replayed to the same
roots; a crashed DSN node tolerated. Every process is stopped at the end."""

from __future__ import annotations

import json
import time

import pytest
from nacl.signing import SigningKey

from dsn.sequencer.stack import LocalStack
from dsn.token import txbuild
from dsn.token.client import SequencerClient, SequencerError
from tests.e2e.users import NATIVE, key

pytestmark = pytest.mark.slow



def send(c: SequencerClient, rollup: bytes, k: SigningKey, action: bytes) -> dict:
    nonce = c.account(bytes(k.verify_key))["next_nonce"]
    return c.wait_tx(c.broadcast(txbuild.sign_tx(k, rollup, nonce, action)), timeout=30)


def test_pipeline_applies_exact_results_and_survives_a_sequencer_restart(stack: LocalStack) -> None:
    c = SequencerClient(stack.sequencer_url)
    rollup = bytes.fromhex(c.head()["sequencer"]["rollup_address"])
    alice, bob = key(1), key(2)
    a, b = bytes(alice.verify_key), bytes(bob.verify_key)

    # A burst of three transfers with consecutive nonces, then each result.
    ids = [c.broadcast(txbuild.sign_tx(alice, rollup, n, txbuild.transfer(b, NATIVE, 100 + n))) for n in range(3)]
    results = [c.wait_tx(i, timeout=30) for i in ids]
    assert [r["status"] for r in results] == ["applied"] * 3
    assert c.account(b)["balances"] == {NATIVE.hex(): 303}
    assert c.account(a) == {"account": a.hex(), "nonce": 3, "next_nonce": 3,
                            "balances": {NATIVE.hex(): 1_000_000 - 303}}

    created = send(c, rollup, alice, txbuild.create_asset(b"GOLD"))
    asset = bytes.fromhex(created["tx_id"])
    assert created["status"] == "applied"
    assert send(c, rollup, alice, txbuild.mint_asset(b, asset, 500))["status"] == "applied"
    failed = send(c, rollup, bob, txbuild.transfer(a, asset, 501))
    assert failed["status"] == "failed"
    assert failed["error"] == (f"invalid balance: could not subtract balance (asset={asset.hex()}, bal=500, "
                               f"addr={b.hex()}, amount=501)")
    assert send(c, rollup, bob, txbuild.sequencer_msg(b, b"\x00\x01\x02", b"chain-a"))["status"] == "applied"
    assert c.asset(asset) == {"asset": asset.hex(), "metadata": "GOLD", "metadata_hex": b"GOLD".hex(), "supply": 500,
                              "owner": a.hex(), "warp": False}
    msgs = c.messages(b"chain-a")
    assert msgs["count"] == 1 and msgs["messages"][0]["from"] == b.hex() and msgs["messages"][0]["data"] == "000102"
    assert [x["public_key"] for x in c.authorities(0)["authorities"]] == \
        [x.public_key.hex() for x in stack.committee().authorities]

    # Malformed input is refused before the DSN.
    with pytest.raises(SequencerError) as bad_sig:
        tx = bytearray(txbuild.sign_tx(alice, rollup, 9, txbuild.transfer(b, NATIVE, 1)))
        tx[-1] ^= 1
        c.broadcast(bytes(tx))
    assert bad_sig.value.status == 422 and "invalid signature" in str(bad_sig.value)
    assert c.tx("00" * 32) is None

    # Restart the sequencer: it resumes from the kernel's next index, no pre-block is lost or posted twice.
    stack.stop_sequencer()
    posted = json.loads((stack.base_dir / "sequencer" / "injected.json").read_text())["last_injected"]
    stack.start_sequencer()
    after_restart = send(c, rollup, bob, txbuild.transfer(a, NATIVE, 3))
    assert after_restart["status"] == "applied"
    head = c.head()
    assert head["rejections"] == 0
    assert head["sequencer"]["resumed_from"] == posted + 1
    assert all(c.block(i) is not None for i in range(1, head["index"] + 1))
    assert c.account(b)["balances"] == {NATIVE.hex(): 300, asset.hex(): 500}
    assert c.account(a)["balances"][NATIVE.hex()] == 1_000_000 - 300

    # Crash it (SIGKILL) right after a burst reached the DSN: every transfer is applied exactly once.
    carol = bytes(key(3).verify_key)
    nonce = c.account(a)["next_nonce"]
    burst = [c.broadcast(txbuild.sign_tx(alice, rollup, nonce + n, txbuild.transfer(carol, NATIVE, 1))) for n in range(30)]
    stack.kill_sequencer()
    stack.start_sequencer()
    assert [c.wait_tx(i, timeout=30)["status"] for i in burst] == ["applied"] * 30
    assert c.account(carol)["balances"] == {NATIVE.hex(): 30}
    assert c.head()["rejections"] == 0


def test_rollup_node_reset_is_replayed_by_the_sequencer_to_the_same_state(stack: LocalStack) -> None:
    """The rollup node dies and comes back with an empty state directory: everything posted is lost.
    The sequencer notices the stalled kernel, re-posts from pre-block 1, and the kernel rebuilds the
    same roots; new transactions then apply on top."""
    c = SequencerClient(stack.sequencer_url)
    rollup = bytes.fromhex(c.head()["sequencer"]["rollup_address"])
    alice, dave = key(1), bytes(key(4).verify_key)
    before = c.head()
    block_before = c.block(before["index"])
    alice_before = c.account(bytes(alice.verify_key))
    stack.kill_rollup()
    stack.restart_rollup(block_time=0.3, state_dir=stack.base_dir / "rollup-reset")
    deadline = time.monotonic() + 60
    while True:
        try:
            if c.head()["index"] >= before["index"]:
                break
        except SequencerError:  # 502 while the node starts
            pass
        assert time.monotonic() < deadline, "the sequencer did not replay the pre-blocks"
        time.sleep(0.2)
    assert c.block(before["index"]) == block_before
    assert c.head()["sequencer"]["resyncs"] >= 1
    assert c.account(bytes(alice.verify_key)) == alice_before
    nonce = alice_before["next_nonce"]
    ids = [c.broadcast(txbuild.sign_tx(alice, rollup, nonce + n, txbuild.transfer(dave, NATIVE, 1 + n))) for n in range(5)]
    assert [c.wait_tx(i, timeout=30)["status"] for i in ids] == ["applied"] * 5
    assert c.account(dave)["balances"] == {NATIVE.hex(): 15}


def test_a_crashed_dsn_node_is_tolerated(stack: LocalStack) -> None:
    """Node 1 (the first transaction and export endpoint) dies: the sequencer submits through node 2,
    follows node 2's export, and the remaining 3 of 4 authorities (a quorum) keep ordering."""
    c = SequencerClient(stack.sequencer_url)
    rollup = bytes.fromhex(c.head()["sequencer"]["rollup_address"])
    alice, erin = key(1), bytes(key(5).verify_key)
    stack.kill_dsn_node(1)
    nonce = c.account(bytes(alice.verify_key))["next_nonce"]
    ids = [c.broadcast(txbuild.sign_tx(alice, rollup, nonce + n, txbuild.transfer(erin, NATIVE, 2))) for n in range(5)]
    assert [c.wait_tx(i, timeout=60)["status"] for i in ids] == ["applied"] * 5
    assert c.account(erin)["balances"] == {NATIVE.hex(): 10}
