"""Deploy → run: the compiled kernel and its setup values are deployed through the fake L1 with the
compiled installer; the originated boot sector, under the wasmtime host with the written preimage
pages, writes the setup values and the kernel exactly, reboots into it in the same level, and the
installed kernel then verifies and applies a pre-block posted in that level."""

from __future__ import annotations

from pathlib import Path

import pytest

from kernel_py.formats import dsn as fmt
from kernel_py.formats import tx as txf
from kernel_py.ledger import balance_key
from pvm_host.rollup import Rollup
from pvm_spec.b58 import encode
from tests.deploy.l1_fake import Account, FakeL1, ServerThread, parse_operation
from tests.deploy.test_deploy_flow import KEY
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
from tezos_l1.deploy import deploy
from tezos_l1.forge import forge_unsigned
from tezos_l1.rpc import L1Client

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def kernel_wasm() -> bytes:
    from kernel_wasm import Compilation

    return Compilation("kernel_py/kernel.py", None, kernel=True, names=False, compact=True).wasm  # as `dsn kernel build`


def test_deployed_installer_installs_and_boots_the_kernel(kernel_wasm: bytes, tmp_path: Path) -> None:
    # Deploy through the fake L1 with the kernel's setup values (committee, governance contract,
    # genesis), then run the boot sector exactly as the node decoded it, with the pages the deploy wrote.
    auth = make_committee(4)
    alice, bob = user(1), user(2)
    setup = [("/setup/committee", fmt.encode_committee(auth.committee)),
             ("/setup/governance", GOVERNANCE),
             ("/setup/genesis", genesis_bytes([(pk(alice), 1_000)]))]
    fake = FakeL1(accounts={KEY.address: Account(balance=50_000_000)}, remote_forge=forge_unsigned)
    pre = tmp_path / "preimages"
    with ServerThread(fake) as server:
        record = deploy(L1Client(server.url), KEY, kernel_wasm, config_path=tmp_path / "rollup.json",
                        preimages_dir=pre, setup=setup, poll=0.01, timeout=10)
    assert record.installer and record.kernel_size == len(kernel_wasm)
    boot_sector = bytes.fromhex(parse_operation(fake.injected[0])[1][-1]["kernel"])
    assert len(boot_sector) == record.boot_sector_size < 8_000

    rollup = Rollup.open(kernel=boot_sector, rollup_address=encode("sr1", ROLLUP), preimages_dir=pre)
    dag = Dag(auth, signers=3)  # quorum of 4 equal stakes
    tx = signed_tx(alice, 0, txf.action_transfer(pk(bob), bytes(32), 250))
    report = rollup.run_level(preblock_messages(next_preblock(dag, [tx]), dag.index))

    # boot 1: the installer (reveals, moves, sets the reboot flag); boot 2: the installed kernel
    assert not report.stuck and report.outcomes == ["ok", "ok"], report.outcomes
    assert rollup.read("/kernel/boot.wasm") == kernel_wasm
    assert rollup.read("/installer/scratch") is None
    for path, value in setup:
        assert rollup.read(path) == value
    assert rollup.read(balance_key(pk(bob), bytes(32)).decode()) == (250).to_bytes(8, "big")
    assert rollup.read(balance_key(pk(alice), bytes(32)).decode()) == (750).to_bytes(8, "big")
