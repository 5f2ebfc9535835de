"""Transaction signatures in the kernel: invalid ones are rejected one by one (the rest of the batch applies),
a failed signature costs extra work units so a run of invalid ones spreads over reboots, and kernel_py
natively and the compiled kernel agree on pre-blocks with invalid signatures (both with the real crypto)."""

from __future__ import annotations

import pytest

from kernel_py import kernel
from kernel_py.blocks import BAD_SIGNATURE_WORK, ERR_SIGNATURE, decode_results
from kernel_py.formats import tx as txf
from tests.kernel.builders import (
    NATIVE,
    ROLLUP,
    Dag,
    Harness,
    make_committee,
    next_preblock,
    pk,
    preblock_messages,
    user,
)
from tests.kernel.doubles import fast_crypto

ALICE, BOB = user(1), user(2)


def transfers(n: int, bad: set[int]) -> list[bytes]:
    """n transfers from ALICE to BOB; those at ``bad`` are signed over another message (nonces skip them)."""
    out, nonce = [], 0
    for i in range(n):
        body = txf.tx_body(ROLLUP, nonce, txf.action_transfer(pk(BOB), NATIVE, 1))
        message = body if i in bad else txf.signing_message(body)
        out.append(txf.assemble_tx(body, pk(ALICE), ALICE.sign(message).signature))
        if i not in bad:
            nonce += 1
    return out


def statuses(h: Harness, index: int) -> list[tuple[int, bytes]]:
    return [(r[1], r[2]) for r in h.results(index)]


def test_invalid_signatures_cost_extra_work_and_spread_over_reboots():
    """A chunk of TX_CHUNK invalid signatures uses more than a run's budget (each costs 1 + BAD_SIGNATURE_WORK),
    so the rest of the pre-block waits for the next run; valid transactions fill a run with several chunks."""
    assert kernel.TX_CHUNK * (1 + BAD_SIGNATURE_WORK) > kernel.MAX_WORK_PER_RUN >= 2 * kernel.TX_CHUNK + 100
    n = kernel.TX_CHUNK + 44
    auth = make_committee()
    with fast_crypto():
        h = Harness(auth.committee, [(pk(ALICE), 10**9)])
        h.run([])
        dag = Dag(auth)
        report = h.run(preblock_messages(next_preblock(dag, transfers(n, set(range(n)))), dag.index))
        assert report.boots == 2
        assert statuses(h, 1) == [(2, ERR_SIGNATURE)] * n
        report = h.run(preblock_messages(next_preblock(dag, transfers(n, set())), dag.index))
        assert report.boots == 1
        assert statuses(h, 2) == [(0, b"")] * n
    assert h.balance(pk(BOB)) == n


@pytest.mark.slow
def test_invalid_signatures_native_equals_wasm():
    """9 transfers, 3 of them with well-formed signatures over another message, 1 with a flipped signature bit."""
    from kernel_wasm import compile_file
    from tests.kernel.scenario import build_levels, durable_dump, replay

    committee, _ = build_levels()
    dag = Dag(make_committee(7, epoch=0))
    bad = {1, 4, 8}
    txs = transfers(9, bad)
    txs.append(txs[0][:-1] + bytes([txs[0][-1] ^ 1]))
    levels = [preblock_messages(next_preblock(dag, txs), 1)]
    native = replay(levels, committee, None)
    wasm = replay(levels, committee, compile_file("kernel_py/kernel.py", exports=["kernel_run"]).wasm)
    assert durable_dump(wasm) == durable_dump(native)
    ok, results = decode_results(wasm.read("/blocks/1/results"))
    assert ok and [r.error == ERR_SIGNATURE for r in results] == [i in bad or i == 9 for i in range(10)]


@pytest.mark.slow
def test_a_preblock_of_invalid_signatures_keeps_every_run_under_the_pre_paris_limit(shipped_kernel: bytes):
    """The worst case for bisection, a full chunk of invalid signatures under distinct keys, in the shipped kernel
    and the reference tick model: every kernel_run stays below 11e9 ticks, the work spreads over several runs."""

    from kernel_py.formats import dsn as fmt
    from pvm_host.rollup import Rollup
    from pvm_spec.b58 import encode
    from pvm_spec.constants import PRE_PARIS_TICK_BUDGET
    from tests.kernel.builders import GOVERNANCE, genesis_bytes

    auth = make_committee(7)
    setup = [("set", "/setup/committee", fmt.encode_committee(auth.committee)),
             ("set", "/setup/governance", GOVERNANCE), ("set", "/setup/genesis", genesis_bytes([]))]
    rollup = Rollup.open(kernel=shipped_kernel, rollup_address=encode("sr1", ROLLUP), setup=setup)
    runs: list[int] = []
    boot = rollup.engine.boot

    def counted_boot(pvm):  # type: ignore[no-untyped-def]
        result = boot(pvm)
        runs.append(result.ticks)
        return result

    rollup.engine.boot = counted_boot  # type: ignore[method-assign]
    rollup.run_level([])
    n = kernel.TX_CHUNK + 30
    txs = []
    for i in range(n):
        key = user(1000 + i)
        body = txf.tx_body(ROLLUP, 0, txf.action_transfer(pk(BOB), NATIVE, 1))
        txs.append(txf.assemble_tx(body, pk(key), key.sign(body).signature))
    dag = Dag(auth)
    runs.clear()
    report = rollup.run_level(preblock_messages(next_preblock(dag, txs), dag.index))
    assert not report.stuck and all(o == "ok" for o in report.outcomes)
    assert len(runs) >= 2 and max(runs) < PRE_PARIS_TICK_BUDGET, runs
    ok, results = decode_results(rollup.read("/blocks/1/results"))
    assert ok and [r.error for r in results] == [ERR_SIGNATURE] * n


@pytest.mark.slow
def test_decoded_key_cache_changes_nothing_but_its_entries():
    """The same pre-block on a warm and a cold key cache (/keys/ deleted before it) gives identical results, state
    root and durable state apart from /keys/, which it fills again identically; kernel_py natively equals wasm."""
    from kernel_wasm import compile_file
    from tests.kernel.scenario import build_levels, durable_dump, replay

    committee, _ = build_levels()
    dag = Dag(make_committee(7, epoch=0))
    first = transfers(5, {3})
    carol = user(3)
    body = txf.tx_body(ROLLUP, 0, txf.action_transfer(pk(BOB), NATIVE, 1))
    first.append(txf.assemble_tx(body, pk(carol), carol.sign(body).signature))  # CAROL: no valid signature
    second = transfers(10, {1, 7})[5:]  # ALICE's nonces 4 to 7 and an invalid signature
    levels = [preblock_messages(next_preblock(dag, first), 1), preblock_messages(next_preblock(dag, second), 2)]
    wasm_kernel = compile_file("kernel_py/kernel.py", exports=["kernel_run"]).wasm
    warm = replay(levels, committee, wasm_kernel)
    cold = replay(levels[:1], committee, wasm_kernel)
    # ALICE's key and those of the committee members whose signatures the pre-block carries (CAROL signed nothing
    # valid); the committee's keys go through the same cache.
    members = {"/keys/" + pk(k).hex() for k in make_committee(7, epoch=0).keys}
    cached = {k for k, _ in cold.pvm.durable.items("/keys")}
    assert cached - members == {"/keys/" + pk(ALICE).hex()} and len(cached & members) >= 5
    cold.pvm.durable.remove("/keys")
    report = cold.run_level(levels[1])
    assert not report.stuck and all(o == "ok" for o in report.outcomes)
    assert durable_dump(cold) == durable_dump(warm)
    ok, results = decode_results(warm.read("/blocks/2/results"))
    assert ok and [(r.status, r.error) for r in results] == [(0, b"")] * 2 + [(2, ERR_SIGNATURE)] + [(0, b"")] * 2
    assert durable_dump(replay(levels, committee, None)) == durable_dump(warm)
