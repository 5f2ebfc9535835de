"""Issue 12 with real processes (`dsn rollup node`, a 4-node DSN, `dsn sequencer run`): an attacker who
reads the DSN's export posts to the running rollup node before the sequencer — a malleated copy of
the next pre-block, forged and early copies, a replay and a flood of bogus announcements and pages —
and the rollup still applies exactly the DSN's order with exact balances. The issue's 17 MB
/broadcast of 130 ~65 KB transactions is refused at the door; 130 transactions at the size limit are
split by the DSN into pre-blocks the kernel all accepts."""

from __future__ import annotations

import random
import time

import pytest

from dsn.client import Client
from dsn.sequencer.da import preblock_frames
from dsn.sequencer.stack import LocalStack
from dsn.token import txbuild
from dsn.token.client import SequencerClient
from kernel_py.formats import dsn as fmt
from kernel_py.formats import inbox as ib
from kernel_py.formats.limits import size_limits
from pvm_host.rollup_client import RollupClient
from tests.e2e.users import NATIVE, key

pytestmark = pytest.mark.slow



def kernel_index(rc: RollupClient) -> int:
    v = rc.durable_value("/dsn/last_index")
    return int.from_bytes(v, "big") if v else 0


def wait_index(rc: RollupClient, target: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while kernel_index(rc) < target:
        assert time.monotonic() < deadline, f"kernel at {kernel_index(rc)}, expected {target}"
        time.sleep(0.2)


def settle(rc: RollupClient) -> None:
    """Wait until the rollup node's batcher queue is empty and two more levels passed."""
    deadline = time.monotonic() + 60
    while rc.batcher_queue():
        assert time.monotonic() < deadline, "the rollup node did not include the injected messages"
        time.sleep(0.2)
    level = rc.level()
    while rc.level() < level + 2:
        assert time.monotonic() < deadline, "the rollup node stopped producing levels"
        time.sleep(0.1)


def exported(endpoint: str, upto: int) -> list[bytes]:
    """Pre-blocks 1 … upto from a DSN node's export API."""
    out = []
    for encoded in Client(endpoint).preblocks(0, timeout=60):
        out.append(encoded)
        if len(out) >= upto:
            break
    return out


def malleated(encoded: bytes) -> bytes:
    """Other bytes for the same block: a support certificate dropped while validity still holds, or a
    non-leader certificate's signature damaged (signer lists of non-leader certificates are unsigned)."""
    ok, p = fmt.decode_preblock(encoded)
    assert ok
    if len(p.evidence.support) > 2:
        p.evidence.support = p.evidence.support[1:]
    elif len(p.certificates) > 1:
        s = p.certificates[0].signers[0]
        s.signature = s.signature[:5] + bytes([s.signature[5] ^ 1]) + s.signature[6:]
    return fmt.encode_preblock(p)


def forged(encoded: bytes) -> bytes:
    """The leader certificate with a zeroed signature."""
    ok, p = fmt.decode_preblock(encoded)
    p.certificates[-1].signers[0].signature = bytes(64)
    return fmt.encode_preblock(p)


def test_attacker_posting_before_the_sequencer_does_not_change_the_order(stack: LocalStack) -> None:
    c = SequencerClient(stack.sequencer_url)
    rc = RollupClient(stack.rollup_url)
    rollup = bytes.fromhex(c.head()["sequencer"]["rollup_address"])
    alice, bob = key(1), bytes(key(2).verify_key)
    first = c.broadcast(txbuild.sign_tx(alice, rollup, 0, txbuild.transfer(bob, NATIVE, 1)))
    assert c.wait_tx(first, timeout=60)["status"] == "applied"

    # the sequencer is down (what it posted is applied); transfers reach the DSN directly, which
    # commits pre-blocks k+1, …
    stack.stop_sequencer()
    settle(rc)
    k = kernel_index(rc)
    authorities = stack.committee().authorities
    export = f"127.0.0.1:{authorities[0].export_port}"
    sent = [txbuild.sign_tx(alice, rollup, n, txbuild.transfer(bob, NATIVE, 10 * n)) for n in range(1, 6)]
    for tx in sent:
        Client(f"127.0.0.1:{authorities[1].tx_port}").submit(tx)
    preblocks: list[bytes] = []
    while not all(any(tx in b.transactions for p in preblocks for b in fmt.decode_preblock(p)[1].batches)
                  for tx in sent):
        preblocks = exported(export, len(preblocks) + 1)
    target = len(preblocks)
    assert target >= k + 1

    # the attacker posts first: a flood, an early pre-block, a forged and a malleated copy of k+1, a replay
    rng = random.Random(12)
    frames = [ib.frame_external(rollup, ib.announcement_contents(k + 1, rng.randbytes(32))) for _ in range(500)]
    frames += [ib.frame_external(rollup, ib.page_contents(ib.leaf_page(rng.randbytes(4000)))) for _ in range(100)]
    if target >= k + 2:
        frames += preblock_frames(rollup, k + 2, preblocks[k + 1])
    frames += preblock_frames(rollup, k + 1, forged(preblocks[k]))
    frames += preblock_frames(rollup, k + 1, malleated(preblocks[k]))
    frames += preblock_frames(rollup, k, preblocks[k - 1])
    rejections_before = int.from_bytes(rc.durable_value("/rejections/count") or b"", "big")
    for i in range(0, len(frames), 200):
        rc.inject(frames[i:i + 200])
    settle(rc)
    rejections = int.from_bytes(rc.durable_value("/rejections/count") or b"", "big") - rejections_before
    # every announcement (its root page is unknown), the forged and the replayed copy, the early one;
    # bogus pages are stored like any page (until an accepted pre-block uses them)
    assert rejections >= 500 + 2 + (target >= k + 2)
    assert kernel_index(rc) in (k, k + 1)  # the malleated copy is pre-block k+1 itself, or refused

    # the sequencer comes back and posts from the kernel's next index: the DSN's order, exact balances
    stack.start_sequencer()
    wait_index(rc, target, 120)
    for i, encoded in enumerate(preblocks, start=1):
        ok, p = fmt.decode_preblock(encoded)
        info = rc.durable_value(f"/blocks/{i}/info")
        assert info is not None and info[:32] == fmt.header_digest(p.certificates[-1].header)
        assert int.from_bytes(info[32:40], "big") == p.commit_timestamp
    assert c.account(bob)["balances"] == {NATIVE.hex(): 1 + sum(10 * n for n in range(1, 6))}
    assert c.account(bytes(alice.verify_key))["nonce"] == 6


def test_oversized_broadcast_refused_and_limit_sized_transactions_all_applied(stack: LocalStack) -> None:
    c = SequencerClient(stack.sequencer_url)
    rc = RollupClient(stack.rollup_url)
    rollup = bytes.fromhex(c.head()["sequencer"]["rollup_address"])
    committee = stack.committee()
    max_tx = size_limits(len(committee.authorities), committee.gc_depth).max_tx
    rejections_before = int.from_bytes(rc.durable_value("/rejections/count") or b"", "big")

    def msg(seed: int, data_len: int) -> bytes:
        k = key(10_000 + seed)
        return txbuild.sign_tx(k, rollup, 0, txbuild.sequencer_msg(bytes(k.verify_key), bytes(data_len), b"issue-12"))

    huge = [msg(i, 65_000) for i in range(130)]
    assert sum(map(len, huge)) > 8_400_000
    results = c.broadcast_many(huge)
    assert all("above the DSN's limit" in r["error"] for r in results)
    fits = [msg(1000 + i, max_tx - 200) for i in range(130)]
    assert all(len(t) <= max_tx for t in fits)
    results = c.broadcast_many(fits)
    ids = [r["tx_id"] for r in results]
    assert len(ids) == 130
    assert [c.wait_tx(i, timeout=240)["status"] for i in ids] == ["applied"] * 130
    assert int.from_bytes(rc.durable_value("/rejections/count") or b"", "big") == rejections_before
    assert c.messages(b"issue-12", limit=1000)["count"] == 130
