"""The whole deploy flow (prepare, simulate, estimate, forge, cross-check, sign, inject, await,
record) against the fake L1 node of ``l1_fake.py``, which decodes and validates what it receives."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from pvm_spec.origination import KERNEL_SIZE_BUDGET, MAX_DIRECT_KERNEL_SIZE, ORIGINATION_OVERHEAD
from pvm_spec.wasm_binary import leb128
from tests.deploy.l1_fake import Account, FakeL1, ServerThread, parse_operation
from tezos_l1 import config, deploy, operations
from tezos_l1.dac import rebuild
from tezos_l1.forge import forge_unsigned
from tezos_l1.installer import program_section
from tezos_l1.keys import Key
from tezos_l1.rpc import L1Client, RpcError

KEY = Key(bytes(range(32)))


def wasm_of_size(n: int) -> bytes:
    """A valid wasm module of exactly ``n`` bytes (header + one custom section "x" of
    pseudo-random bytes, so no two preimage pages coincide)."""
    header = b"\x00asm\x01\x00\x00\x00"
    for body_len in range(n - len(header) - 1, 0, -1):
        module = header + b"\x00" + leb128(body_len) + b"\x01x" + random.Random(n).randbytes(body_len - 2)
        if len(module) == n:
            return module
    raise AssertionError(n)


@pytest.fixture
def l1() -> tuple[FakeL1, L1Client]:
    fake = FakeL1(accounts={KEY.address: Account(balance=50_000_000)}, remote_forge=forge_unsigned)
    with ServerThread(fake) as server:
        yield fake, L1Client(server.url, timeout=10)


def test_direct_origination_then_refuse_then_force(l1, tmp_path: Path) -> None:
    fake, client = l1
    kernel = wasm_of_size(20_000)
    cfg = tmp_path / ".dsn" / "rollup.json"
    record = deploy.deploy(client, KEY, kernel, config_path=cfg, poll=0.01, timeout=10)

    branch, contents, _ = parse_operation(fake.injected[0])
    assert [c["kind"] for c in contents] == ["reveal", "smart_rollup_originate"]
    assert contents[1]["kernel"] == kernel.hex() and contents[1]["pvm_kind"] == "wasm_2_0_0"
    assert contents[0]["public_key"] == KEY.public_key
    assert [c["counter"] for c in contents] == ["1", "2"]
    assert int(contents[1]["gas_limit"]) == 2_749 + operations.GAS_MARGIN
    # octez-client prints "Estimated storage: 6524 bytes added (will add 20 for safety)" for an origination
    assert int(contents[1]["storage_limit"]) == 6_524 + operations.STORAGE_MARGIN == 6_544
    assert record.origination_level == 101 and record.rollup.startswith("sr1") and not record.installer
    saved = json.loads(cfg.read_text())
    assert saved["rollup"] == record.rollup and saved["origination_level"] == 101
    assert saved["parameters_ty"] == "bytes" and saved["kernel_size"] == 20_000
    assert fake.accounts[KEY.address].manager_key == KEY.public_key

    with pytest.raises(FileExistsError, match="--force"):
        deploy.deploy(client, KEY, kernel, config_path=cfg, poll=0.01, timeout=10)
    assert len(fake.injected) == 1  # refused before anything was sent

    again = deploy.deploy(client, KEY, kernel, config_path=cfg, force=True, poll=0.01, timeout=10)
    _, contents2, _ = parse_operation(fake.injected[1])
    assert [c["kind"] for c in contents2] == ["smart_rollup_originate"]  # already revealed
    assert contents2[0]["counter"] == "3"
    assert again.rollup != record.rollup and config.load(cfg).rollup == again.rollup


def parse_program(boot: bytes) -> list[tuple[bytes, str]]:
    """The installer program at the end of a boot sector (decoded here independently)."""
    n = int.from_bytes(boot[-4:], "big")
    program, out, pos = boot[-4 - n:-4], [], 0
    while pos < n:
        length = program[pos + 33]
        out.append((program[pos:pos + 33], program[pos + 34:pos + 34 + length].decode()))
        pos += 34 + length
    return out


def test_installer_origination_for_a_big_kernel(l1, tmp_path: Path) -> None:
    fake, client = l1
    kernel = wasm_of_size(100_000)
    installer = wasm_of_size(3_000)  # stands in for the compiled installer in this flow test
    pre = tmp_path / "preimages"
    record = deploy.deploy(client, KEY, kernel, config_path=tmp_path / "r.json", preimages_dir=pre,
                           installer_wasm=installer, poll=0.01, timeout=10)
    _, contents, _ = parse_operation(fake.injected[0])
    boot = bytes.fromhex(contents[-1]["kernel"])
    [(root, path)] = parse_program(boot)
    assert path == "/kernel/boot.wasm" and boot == installer + program_section([(root, path)])
    assert record.installer and record.boot_sector_size == len(boot) and record.preimages_dir == str(pre)
    files = sorted(p.name for p in pre.iterdir())
    assert len(files) == 26  # ceil(100000 / 4091) = 25 content pages + 1 hashes page
    assert rebuild(root, lambda h: (pre / h.hex()).read_bytes()) == kernel


def test_setup_values_force_the_installer(l1, tmp_path: Path) -> None:
    fake, client = l1
    kernel, installer = wasm_of_size(2_000), wasm_of_size(3_000)
    setup = [("/setup/committee", b"C" * 180), ("/setup/governance", b"G" * 20)]
    pre = tmp_path / "preimages"
    record = deploy.deploy(client, KEY, kernel, config_path=tmp_path / "r.json", preimages_dir=pre,
                           installer_wasm=installer, setup=setup, poll=0.01, timeout=10)
    boot = bytes.fromhex(parse_operation(fake.injected[0])[1][-1]["kernel"])
    program = parse_program(boot)
    assert [path for _, path in program] == ["/setup/committee", "/setup/governance", "/kernel/boot.wasm"]
    read = lambda h: (pre / h.hex()).read_bytes()  # noqa: E731
    assert [rebuild(root, read) for root, _ in program] == [b"C" * 180, b"G" * 20, kernel]
    assert record.installer and record.setup_paths == ["/setup/committee", "/setup/governance"]
    assert config.load(tmp_path / "r.json").setup_paths == record.setup_paths


def test_size_threshold() -> None:
    assert deploy.fits_one_operation(wasm_of_size(KERNEL_SIZE_BUDGET))
    assert not deploy.fits_one_operation(wasm_of_size(32_768 - 200))
    # The direct/installer boundary is exact and is pvm_spec's: one byte more tips it over.
    n = MAX_DIRECT_KERNEL_SIZE
    assert deploy.worst_case_size(wasm_of_size(n)) == 32_768 < deploy.worst_case_size(wasm_of_size(n + 1))
    assert deploy.fits_one_operation(wasm_of_size(n)) and not deploy.fits_one_operation(wasm_of_size(n + 1))
    assert n == 32_509 and deploy.worst_case_size(b"") == ORIGINATION_OVERHEAD


def test_forge_mismatch_refuses_to_sign(l1, tmp_path: Path) -> None:
    fake, client = l1
    fake.forge_override = "00" * 40
    with pytest.raises(operations.OperationFailed, match="differs from the node"):
        deploy.deploy(client, KEY, wasm_of_size(1000), config_path=tmp_path / "r.json", poll=0.01, timeout=10)
    assert fake.injected == [] and not (tmp_path / "r.json").exists()


def test_simulation_failure_is_reported(l1, tmp_path: Path) -> None:
    fake, client = l1
    fake.simulation_error = "proto.sc_rollup_invalid_parameters_type"
    with pytest.raises(operations.OperationFailed,
                       match="simulation: smart_rollup_originate failed: .*invalid_parameters_type"):
        deploy.deploy(client, KEY, wasm_of_size(1000), config_path=tmp_path / "r.json", poll=0.01, timeout=5)
    assert fake.injected == []


def test_unknown_account_is_reported(l1, tmp_path: Path) -> None:
    fake, client = l1
    with pytest.raises(RpcError, match="counter: HTTP 404"):
        deploy.deploy(client, Key(bytes(32)), wasm_of_size(1000), config_path=tmp_path / "r.json", poll=0.01)
    assert fake.injected == []


def test_not_wasm_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a wasm binary"):
        deploy.plan(b"hello")
