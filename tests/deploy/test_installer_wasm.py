"""The compiled installer kernel under the wasmtime host: it rebuilds the real (compiled) kernel
from preimage pages exactly, reboots into it in the same level, and the installed kernel then
verifies and applies a pre-block posted in that level."""

from __future__ import annotations

from pathlib import Path

import pytest

from host.b58 import encode
from host.rollup import Rollup
from host.tezos.deploy import plan
from host.tezos.installer import compile_installer
from kernel_py.formats import dsn as fmt
from kernel_py.formats import tx as txf
from tests.kernel.builders import (
    GOVERNANCE,
    ROLLUP,
    Dag,
    genesis_bytes,
    make_committee,
    next_preblock,
    pk,
    preblock_messages,
    signed_tx,
    user,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def kernel_wasm() -> bytes:
    from kernel_wasm import Compilation

    return Compilation("kernel_py/kernel.py", None, kernel=True, names=False, compact=True).wasm  # as `dsn kernel build`


def test_installer_installs_and_boots_the_kernel(kernel_wasm: bytes, tmp_path: Path) -> None:
    p = plan(kernel_wasm, compile_installer(), force_installer=True)
    assert p.installer is not None and p.boot_sector.endswith(p.installer.root)
    p.installer.write_preimages(tmp_path)

    auth = make_committee(4)
    alice, bob = user(1), user(2)
    setup = [("set", "/setup/committee", fmt.encode_committee(auth.committee)),
             ("set", "/setup/governance", GOVERNANCE),
             ("set", "/setup/genesis", genesis_bytes([(pk(alice), 1_000)]))]
    rollup = Rollup.open(kernel=p.boot_sector, rollup_address=encode("sr1", ROLLUP), preimages_dir=tmp_path,
                         setup=setup)
    dag = Dag(auth, signers=3)  # quorum of 4 equal stakes
    tx = signed_tx(alice, 0, txf.action_transfer(pk(bob), bytes(32), 250))
    report = rollup.run_level(preblock_messages(next_preblock(dag, [tx]), dag.index))

    # boot 1: the installer (reveals, moves, sets the reboot flag); boot 2: the installed kernel
    assert not report.stuck and report.outcomes == ["ok", "ok"], report.outcomes
    assert rollup.read("/kernel/boot.wasm") == kernel_wasm
    assert rollup.read("/installer/kernel/boot.wasm") is None
    assert rollup.read(f"/state/balance/{pk(bob).hex()}/{bytes(32).hex()}") == (250).to_bytes(8, "big")
    assert rollup.read(f"/state/balance/{pk(alice).hex()}/{bytes(32).hex()}") == (750).to_bytes(8, "big")
