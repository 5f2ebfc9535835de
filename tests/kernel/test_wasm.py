"""Equal in both worlds: the compiled kernel under wasmtime and kernel_py under CPython (both with
the real kernel_py crypto) replay the same inboxes to identical durable storage and state roots,
and random inputs never leave the compiled kernel stuck."""

from __future__ import annotations

import random

import pytest

from kernel_py.ledger import balance_key
from tests.kernel.builders import ext
from tests.kernel.scenario import build_levels, durable_dump, garbage, replay

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=["compile_file", "dsn kernel build"])
def kernel_wasm(request: pytest.FixtureRequest) -> bytes:
    """The kernel as the Python API compiles it (checks record their site) and as `dsn kernel build`
    ships it (compact checks, no names)."""
    if request.param == "compile_file":
        from kernel_wasm import compile_file

        return compile_file("kernel_py/kernel.py", exports=["kernel_run"]).wasm
    return request.getfixturevalue("shipped_kernel")


def test_scenario_native_equals_wasm(kernel_wasm: bytes) -> None:
    committee, levels = build_levels()
    native = durable_dump(replay(levels, committee, None))
    wasm = durable_dump(replay(levels, committee, kernel_wasm))
    assert native["/dsn/last_index"] == (4).to_bytes(8, "big")
    assert native["/rejections/last"] == b"pre-block 4: leader certificate lacks a valid quorum"
    assert sorted(wasm) == sorted(native)
    assert wasm == native
    assert wasm["/state/root"] == native["/state/root"]


def test_random_inputs_native_equals_wasm(kernel_wasm: bytes) -> None:
    committee, _ = build_levels()
    rng = random.Random(2024)
    levels = [garbage(rng, 40) + [ext(bytes([2]) + rng.randbytes(40))] for _ in range(3)]
    native = replay(levels, committee, None)
    wasm = replay(levels, committee, kernel_wasm)
    assert durable_dump(wasm) == durable_dump(native)
    assert wasm.pvm.durable.get("/readonly/kernel/env/stuck") is None


def test_mutated_preblocks_native_equals_wasm(kernel_wasm: bytes) -> None:
    from kernel_py.formats import tx as txf
    from tests.kernel.builders import NATIVE, Dag, make_committee, next_preblock, pk, preblock_messages, signed_tx, user

    committee, _ = build_levels()
    dag = Dag(make_committee(7, epoch=0))
    pb = next_preblock(dag, [signed_tx(user(1), 0, txf.action_transfer(pk(user(2)), NATIVE, 3))])
    rng = random.Random(5)
    levels = []
    for _ in range(6):
        data = bytearray(pb)
        for _ in range(rng.randint(1, 3)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        levels.append(preblock_messages(bytes(data[: rng.randrange(len(data) // 2, len(data) + 1)]), 1))
    levels.append(preblock_messages(pb, 1))
    native = replay(levels, committee, None)
    wasm = replay(levels, committee, kernel_wasm)
    assert durable_dump(wasm) == durable_dump(native)
    assert native.read("/dsn/last_index") == (1).to_bytes(8, "big")


def test_largest_preblock_fits_the_old_tick_limit(kernel_wasm: bytes) -> None:
    """An 8 MiB pre-block (the reassembly limit) is verified within one run using less than the
    11e9 ticks per run of pre-Paris protocols (today's limit is 50e12)."""
    import os

    from kernel_py.da import MAX_PREBLOCK_BYTES
    from kernel_py.formats import tx as txf
    from tests.kernel.builders import NATIVE, Dag, make_committee, next_preblock, pk, preblock_messages, signed_tx, user
    from tests.kernel.doubles import fast_crypto

    committee, _ = build_levels()
    dag = Dag(make_committee(7, epoch=0))
    big = [os.urandom(2_000_000) for _ in range(4)] + [os.urandom(300_000)]
    with fast_crypto():  # hashlib for building the DAG and pages only; the kernel runs compiled
        pb = next_preblock(dag, [signed_tx(user(1), 0, txf.action_transfer(pk(user(2)), NATIVE, 3))] + big)
        msgs = preblock_messages(pb, 1)
    assert MAX_PREBLOCK_BYTES - 100_000 < len(pb) <= MAX_PREBLOCK_BYTES
    rollup = replay([[]], committee, kernel_wasm)
    report = rollup.run_level(msgs)
    assert report.outcomes == ["ok"] and report.ticks < 11_000_000_000
    assert rollup.read("/dsn/last_index") == (1).to_bytes(8, "big")
    assert rollup.read(balance_key(pk(user(2)), NATIVE).decode()) == (503).to_bytes(8, "big")  # 500 at genesis


def test_large_genesis_applies_in_one_run(kernel_wasm: bytes) -> None:
    """10,000 genesis allocations: linear memory (the root is chained), no trap, exact supply and root."""
    from hashlib import blake2b

    from kernel_py.genesis import encode_genesis
    from kernel_py.ledger import asset_key, balance_key, decode_asset, log_entry
    from pvm_host.rollup import Rollup

    n = 10_000
    owners = [i.to_bytes(32, "big") for i in range(1, n + 1)]
    rollup = Rollup.open(kernel=kernel_wasm, setup=[("set", "/setup/genesis", encode_genesis(owners, [7] * n))])
    report = rollup.run_level([])
    assert report.stuck == "" and rollup.read("/readonly/kernel/env/stuck") is None
    native = decode_asset(rollup.read(asset_key(bytes(32)).decode()))
    assert native.supply == 7 * n
    acc = bytes(32)
    for owner in owners:
        acc = blake2b(acc + log_entry(balance_key(owner, bytes(32)), (7).to_bytes(8, "big")), digest_size=32).digest()
    native_entry = log_entry(asset_key(bytes(32)), rollup.read(asset_key(bytes(32)).decode()))
    assert rollup.read("/state/root") == blake2b(acc + native_entry, digest_size=32).digest()
