"""Kernel retention (FORMATS.md §2, §4.4): DA pages expire ``PAGE_TTL`` levels after they were stored,
and blocks older than ``/setup/keep`` are pruned, with their shared-sequencer messages, the state roots
unchanged."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kernel_py.da import PAGE_TTL
from kernel_py.formats import inbox as ib
from kernel_py.formats import tx as txf
from pvm_host.inbox import external
from pvm_host.rollup import Rollup
from tests.kernel.builders import (
    NATIVE,
    Dag,
    Harness,
    ext,
    make_committee,
    next_preblock,
    pk,
    preblock_messages,
    signed_tx,
    user,
)
from tests.kernel.doubles import fast_crypto

ALICE, BOB = user(1), user(2)


def spam_pages(n: int) -> list[bytes]:
    """Contents of ``n`` distinct, never announced 4,073-byte leaf pages."""
    return [ib.page_contents(b"\x00" + os.urandom(4072)) for _ in range(n)]


def da_keys(h: Harness) -> list[str]:
    return [k for k in h.snapshot() if k.startswith("/da/")]


def tree_bytes(h: Harness) -> int:
    return sum(len(k) + len(v) for k, v in h.snapshot().items())


def tx(n: int) -> bytes:
    return signed_tx(ALICE, n, txf.action_transfer(pk(BOB), NATIVE, 1))


@pytest.fixture
def chain():  # type: ignore[no-untyped-def]
    auth = make_committee()
    h = Harness(auth.committee, [(pk(ALICE), 10**9)])
    with fast_crypto():
        h.run([])
        yield h, Dag(auth)


def test_unused_pages_expire_after_page_ttl_levels(chain) -> None:  # type: ignore[no-untyped-def]
    h, dag = chain
    before = tree_bytes(h)
    h.run([ext(c) for c in spam_pages(300)])  # level 2
    assert tree_bytes(h) > before + 300 * 4073 and len(da_keys(h)) == 2 * 300 + 1
    for _ in range(PAGE_TTL - 1):
        h.run([])
    assert len(da_keys(h)) == 601  # level 2 + 63: still there
    h.run([])  # level 2 + 64: swept
    assert da_keys(h) == [] and tree_bytes(h) - before < 200  # counters (rejections etc.) only
    pb = next_preblock(dag, [tx(0)])
    h.run(preblock_messages(pb, 1))
    assert h.u64("/dsn/last_index") == 1 and h.balance(pk(BOB)) == 1


def test_pages_of_an_announcement_made_late_are_used_until_they_expire(chain) -> None:  # type: ignore[no-untyped-def]
    h, dag = chain
    msgs = preblock_messages(next_preblock(dag, [tx(0)]), 1)
    h.run(msgs[:-1])  # level 2: pages only
    for _ in range(PAGE_TTL - 3):  # levels 3 … 63
        h.run([])
    h.run(msgs[:-1])  # posted again at level 64: the pages keep their first level
    h.run([msgs[-1]])  # level 65 = 2 + 63: still there, accepted
    pages = [k for k in da_keys(h) if k.startswith("/da/page/")]
    assert h.u64("/dsn/last_index") == 1 and len(pages) == len(msgs) - 1  # one posting each left
    msgs2 = preblock_messages(next_preblock(dag, [tx(1)]), 2)
    h.run(msgs2[:-1])  # level 66: the sweep of level 2 removes the leftovers first
    assert len([k for k in da_keys(h) if k.startswith("/da/page/")]) == len(msgs2) - 1
    assert not set(pages) & set(da_keys(h))
    for _ in range(PAGE_TTL - 1):  # levels 67 … 129
        h.run([])
    h.run([msgs2[-1]])  # level 66 + 64: swept at its first input, before the announcement
    assert h.get("/rejections/last") == b"pre-block 2: missing page"
    h.run(msgs2)  # posted again (what the sequencer's resync does): accepted
    assert h.u64("/dsn/last_index") == 2 and h.balance(pk(BOB)) == 2


def test_old_blocks_are_pruned_and_roots_do_not_change() -> None:
    auth = make_committee()
    pruned = Harness(auth.committee, [(pk(ALICE), 10**9)])
    pruned.pvm.durable.set("/setup/keep", (2).to_bytes(8, "big"))
    full = Harness(auth.committee, [(pk(ALICE), 10**9)])
    dag = Dag(auth)
    with fast_crypto():
        levels = [preblock_messages(next_preblock(dag, [tx(i), tx(i + 10)]), i + 1) for i in range(5)]
        # direct transactions before block 1 and after blocks 2 and 4 (each leaves a result entry)
        direct = {0: [ext(ib.user_tx_contents(tx(100)))], 2: [ext(ib.user_tx_contents(tx(101)))],
                  4: [ext(ib.user_tx_contents(tx(102)))]}
        for h in (pruned, full):
            h.run(direct[0])
            for i, msgs in enumerate(levels, start=1):
                h.run(msgs + direct.get(i, []))
    assert pruned.u64("/dsn/last_index") == full.u64("/dsn/last_index") == 5
    assert sorted({k.split("/")[2] for k in pruned.snapshot() if k.startswith("/blocks/")}) == ["4", "5"]
    assert sorted({k.split("/")[2] for k in full.snapshot() if k.startswith("/blocks/")}) == ["0", "1", "2", "3", "4", "5"]
    assert [k for k in full.snapshot() if k.endswith("/direct")] == ["/blocks/0/direct", "/blocks/2/direct",
                                                                      "/blocks/4/direct"]
    assert pruned.get("/blocks/4/direct") == full.get("/blocks/4/direct") is not None
    assert pruned.get("/blocks/2/direct") is None and pruned.get("/blocks/0/direct") is None
    for key in ("/state/root", "/head", "/blocks/5/root", "/blocks/5/results", "/blocks/4/info"):
        assert pruned.get(key) == full.get(key) is not None
    assert {k: v for k, v in pruned.snapshot().items() if not k.startswith(("/blocks/", "/setup/keep"))} == \
        {k: v for k, v in full.snapshot().items() if not k.startswith("/blocks/")}


CHAIN_A, CHAIN_B = b"\xaa" * 3, b"\xbb" * 64


def msg(n: int, chain: bytes) -> bytes:
    return signed_tx(ALICE, n, txf.action_sequencer_msg(pk(BOB), b"m%d" % n, chain))


def message_levels(dag: Dag) -> list[list[bytes]]:
    """Six pre-blocks: block 1 sends messages 0, 1 of chain A; block 2 message 0 of chain B (64-byte id)
    and a transfer; block 3 A's 2 and B's 1; block 4 none; blocks 5, 6 A's 3 and 4."""
    txs = [[msg(0, CHAIN_A), msg(1, CHAIN_A)], [msg(2, CHAIN_B), tx(3)], [msg(4, CHAIN_A), msg(5, CHAIN_B)],
           [tx(6)], [msg(7, CHAIN_A)], [msg(8, CHAIN_A)]]
    return [preblock_messages(next_preblock(dag, t), i + 1) for i, t in enumerate(txs)]


def seq_keys(h: Harness) -> dict[str, bytes]:
    return {k: v for k, v in h.snapshot().items() if k.startswith("/seq/")}


def run_messages(keep: int, kernel: bytes | None = None) -> Harness:
    """A rollup (native, or ``kernel`` under wasmtime) after ``message_levels`` with ``/setup/keep`` = ``keep``."""
    auth = make_committee()
    h = Harness(auth.committee, [(pk(ALICE), 10**9)], kernel=kernel)
    if keep:
        h.pvm.durable.set("/setup/keep", keep.to_bytes(8, "big"))
    dag = Dag(auth)
    with fast_crypto():
        h.run([])
        for msgs in message_levels(dag):
            h.run(msgs)
    assert h.u64("/dsn/last_index") == 6
    return h


def test_pruning_deletes_exactly_the_old_blocks_messages() -> None:
    full, pruned = run_messages(0), run_messages(3)
    a, b = "/seq/" + CHAIN_A.hex(), "/seq/" + CHAIN_B.hex()
    assert full.get("/blocks/3/seq_chains") == bytes([len(a)]) + a.encode() + bytes([len(b)]) + b.encode()
    assert full.get("/blocks/2/seq_chains") == bytes([len(b)]) + b.encode() and full.get("/blocks/4/seq_chains") is None
    assert full.get(f"/blocks/3{a}") == (2).to_bytes(8, "big") and full.get(f"/blocks/1{a}") == bytes(15) + b"\x01"
    assert sorted(seq_keys(full)) == sorted([f"{a}/{n}" for n in range(5)] + [f"{b}/{n}" for n in range(2)]
                                            + [f"{a}/count", f"{b}/count"])
    # blocks 1 … 3 pruned (keep 3 after block 6): their messages go, the counts stay
    assert seq_keys(pruned) == {k: v for k, v in seq_keys(full).items()
                                if k in (f"{a}/3", f"{a}/4", f"{a}/count", f"{b}/count")}
    assert pruned.u64(f"{a}/count") == 5 and pruned.u64(f"{b}/count") == 2
    assert int.from_bytes(pruned.get(f"{a}/4")[:8], "big") == 6
    for key in ("/state/root", "/head", "/blocks/6/root", "/blocks/4/root"):
        assert pruned.get(key) == full.get(key) is not None
    assert [k for k in pruned.snapshot() if k.startswith("/blocks/") and k.split("/")[2] in ("1", "2", "3")] == []
    assert {k: v for k, v in pruned.snapshot().items() if not k.startswith(("/blocks/", "/setup/keep", "/seq/"))} == \
        {k: v for k, v in full.snapshot().items() if not k.startswith(("/blocks/", "/seq/"))}


@pytest.mark.slow
def test_message_pruning_native_equals_wasm() -> None:
    from kernel_wasm import compile_file

    wasm = compile_file("kernel_py/kernel.py", exports=["kernel_run"]).wasm
    native, compiled = run_messages(2), run_messages(2, wasm)
    assert sorted(seq_keys(native)) == ["/seq/" + CHAIN_A.hex() + s for s in ("/3", "/4", "/count")] + \
        ["/seq/" + CHAIN_B.hex() + "/count"]
    assert compiled.snapshot() == native.snapshot()


def flood_and_wait(rollup: Rollup, pages: int) -> tuple[int, int, int]:
    """LMDB bytes of the durable tree before a flood of unused pages, after it and PAGE_TTL levels later."""
    address = rollup.pvm.rollup_address
    for _ in range(3):
        rollup.run_level([])
    assert rollup.store is not None
    before = rollup.store.durable_bytes()
    frames = [external(ib.frame_external(address, c)) for c in spam_pages(pages)]
    rollup.run_level(frames)
    after = rollup.store.durable_bytes()
    for _ in range(PAGE_TTL):
        rollup.run_level([])
    assert [k for k, _ in rollup.pvm.durable.items() if k.startswith("/da/")] == []
    return before, after, rollup.store.durable_bytes()


def test_flood_storage_returns_to_its_size_native(tmp_path: Path) -> None:
    with fast_crypto():
        rollup = Rollup.open(state_dir=tmp_path / "st", native="kernel_py.kernel")
        try:
            before, after, end = flood_and_wait(rollup, 2000)
        finally:
            rollup.close()
    assert after > before + 2000 * 4073
    assert end <= before + 16 * 4096, (before, after, end)  # a few LMDB pages of counters


@pytest.mark.slow
def test_flood_storage_returns_to_its_size_wasm(tmp_path: Path) -> None:
    from kernel_wasm import compile_file

    wasm = compile_file("kernel_py/kernel.py", exports=["kernel_run"]).wasm
    rollup = Rollup.open(state_dir=tmp_path / "st", kernel=wasm)
    try:
        before, after, end = flood_and_wait(rollup, 2000)
    finally:
        rollup.close()
    assert after > before + 2000 * 4073
    assert end <= before + 16 * 4096, (before, after, end)
