"""The x(R) hints the DA task appends to a posted pre-block (dsn/sequencer/hints.py, FORMATS.md §1.5)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from nacl.signing import SigningKey

from dsn import codec
from dsn.sequencer.committee_keys import fixture_committee
from dsn.sequencer.da import InjectionLog, preblock_frames
from dsn.sequencer.da_task import PREBLOCK_BUDGET, DaTask
from dsn.sequencer.hints import P, r_hints, tx_hints, verified_signatures, with_hints
from dsn.sequencer.mock_consensus import MockConsensus
from kernel_py.formats import dsn as fmt
from kernel_py.formats import tx as txf
from kernel_py.formats.limits import kernel_preblock_budget
from tests.crypto import reference_ed25519 as ref
from tests.sequencer.fakes import FakeBackend, ListSource

ADDRESS = bytes(range(20))
KEYS = [SigningKey(bytes([i + 1]) * 32) for i in range(6)]


def transfers(n: int) -> list[bytes]:
    out = []
    for i in range(n):
        k = KEYS[i % len(KEYS)]
        body = txf.tx_body(ADDRESS, i, txf.action_transfer(bytes(32), bytes(32), 1))
        out.append(txf.assemble_tx(body, bytes(k.verify_key), k.sign(txf.signing_message(body)).signature))
    return out


def test_hints_are_an_x_of_each_r_or_zeros() -> None:
    txs = transfers(20)
    tail = b"\x07" * 40 + bytes(32)  # body and key; then R, then S
    identity, order4 = (1).to_bytes(32, "little"), bytes(32)  # x = 0 and x = ±sqrt(-1)
    assert ref.decode((2).to_bytes(32, "little")) is None  # y = 2: no point
    odd = [b"short", tail + (2).to_bytes(32, "little") + bytes(32), tail + identity + bytes(32), tail + order4 + bytes(32)]
    hints = tx_hints(txs + odd)
    assert len(hints) == 32 * 24
    for i, raw in enumerate(txs):
        x = ref.decode(raw[-64:-32])[0]
        assert int.from_bytes(hints[32 * i:32 * i + 32], "little") in (x, P - x)
    assert hints[32 * 20:32 * 23] == bytes(32 * 3)
    assert int.from_bytes(hints[32 * 23:], "little") in (ref.SQRT_M1, P - ref.SQRT_M1)
    assert tx_hints([]) == b""


def test_with_hints_fills_at_most_the_budget() -> None:
    """The transactions' hints, then the verified committee signatures' (the leader's, then its support)."""
    txs = transfers(10)
    pb = MockConsensus(*reversed(fixture_committee(4))).commit(txs, 1000)
    p = codec.decode_preblock(pb)
    assert p.evidence.kind == fmt.EVIDENCE_DIRECT
    sigs = verified_signatures(p)
    assert sigs == [s.signature for c in [p.certificates[-1], *p.evidence.support] for s in c.signers]
    assert len(p.evidence.support) == 4 and len(sigs) == 3 + 4 * 3  # every certificate with a quorum of 3 signers
    hints = tx_hints(txs) + r_hints([sig[:32] for sig in sigs])
    full = with_hints(pb, p, kernel_preblock_budget())
    assert full == pb + fmt.encode_hints(hints)
    assert fmt.decode_preblock(full)[1].hints == hints
    assert with_hints(pb, p, len(pb) + 4 + 3 * 32 + 31) == pb + fmt.encode_hints(tx_hints(txs[:3]))
    assert with_hints(pb, p, len(pb) + 4 + 31) == pb
    empty = MockConsensus(*reversed(fixture_committee(4))).commit([], 1000)
    assert with_hints(empty, codec.decode_preblock(empty), kernel_preblock_budget()) == empty + fmt.encode_hints(
        r_hints([sig[:32] for sig in verified_signatures(codec.decode_preblock(empty))]))


def test_verified_signatures_follow_the_kernel_order() -> None:
    """Kind 00: the leader's only; kind 02: support, then the anchor unless it is the leader."""
    pb = MockConsensus(*reversed(fixture_committee(4))).commit([], 1000)
    p = codec.decode_preblock(pb)
    leader, support = p.certificates[-1], p.evidence.support
    p.evidence = fmt.Evidence(fmt.EVIDENCE_CONTINUE, fmt.no_anchor(), [], [])
    assert verified_signatures(p) == [s.signature for s in leader.signers]
    p.evidence = fmt.Evidence(fmt.EVIDENCE_STEP, leader, support, [])
    assert verified_signatures(p) == [s.signature for c in [leader, *support] for s in c.signers]
    p.evidence = fmt.Evidence(fmt.EVIDENCE_STEP, support[0], support[1:], [])
    assert verified_signatures(p) == [s.signature for c in [leader, *support[1:], support[0]] for s in c.signers]


@pytest.mark.parametrize("hints", [True, False])
def test_the_da_task_posts_hinted_preblocks(tmp_path: Path, hints: bool) -> None:
    committee, keys = fixture_committee(4)
    mc = MockConsensus(keys, committee)
    batches = [transfers(5), [b"not a transaction"], transfers(3)]
    preblocks = [mc.commit(txs, 1000 * (i + 1)) for i, txs in enumerate(batches)]
    backend = FakeBackend(ADDRESS)
    task = DaTask(ListSource(preblocks), backend, InjectionLog.load(tmp_path / "injected.json"), poll=0.001,
                  max_lag=100, hints=hints)

    async def run() -> None:
        runner = asyncio.create_task(task.run())
        while task.stats.last_posted < 3 and not runner.done():
            await asyncio.sleep(0.005)
        runner.cancel()
        await asyncio.gather(runner, return_exceptions=True)

    asyncio.run(run())
    expected = [f for i, (pb, txs) in enumerate(zip(preblocks, batches))
                for f in preblock_frames(ADDRESS, i + 1,
                                         with_hints(pb, codec.decode_preblock(pb), PREBLOCK_BUDGET) if hints else pb)]
    assert backend.injected == expected
    assert (backend.injected == [f for i, pb in enumerate(preblocks) for f in preblock_frames(ADDRESS, i + 1, pb)]) \
        is not hints
