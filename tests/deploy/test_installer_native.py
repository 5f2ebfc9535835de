"""The installer kernel (kernel_py/installer.py) run in CPython against the host's PVM state:
it writes the kernel and setup values from DAC preimage pages exactly and asks for a reboot."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from kernel_py import installer
from kernel_py.intrinsics import KernelFailure, install_host
from pvm_host.pvm import MissingPreimage, PvmState
from tezos_l1.dac import build_pages, write_preimages
from tezos_l1.installer import build_installer, program_section

FAKE_INSTALLER = b"\x00asm\x01\x00\x00\x00"  # natively only the trailing program section matters


def run_boot_sector(boot: bytes, preimages: Path) -> PvmState:
    pvm = PvmState(preimages_dir=preimages)
    pvm.durable.set("/kernel/boot.wasm", boot)
    install_host(pvm)
    try:
        installer.kernel_run()
    finally:
        install_host(None)
    return pvm


def wasm(n: int, seed: int) -> bytes:
    return b"\x00asm" + random.Random(seed).randbytes(n - 4)


@pytest.mark.parametrize("size", [5, 2048, 4091, 4092, 30_000, 123 * 4091 + 1])
def test_rebuilds_kernel_exactly(size: int, tmp_path: Path) -> None:
    kernel = wasm(size, size)
    bundle = build_installer(kernel, FAKE_INSTALLER)
    bundle.write_preimages(tmp_path)
    pvm = run_boot_sector(bundle.boot_sector, tmp_path)
    assert pvm.durable.get("/kernel/boot.wasm") == kernel
    assert pvm.durable.get("/kernel/env/reboot") == b"\x00"
    assert pvm.durable.get("/installer/scratch") is None


def test_writes_setup_values_then_the_kernel(tmp_path: Path) -> None:
    kernel = wasm(9_000, 1)
    setup = [("/setup/committee", random.Random(2).randbytes(4_016)), ("/setup/governance", bytes([0x42]) * 20),
             ("/setup/genesis", random.Random(3).randbytes(10_000))]
    bundle = build_installer(kernel, FAKE_INSTALLER, setup)
    assert [path for _, path in bundle.instructions] == [p for p, _ in setup] + ["/kernel/boot.wasm"]
    bundle.write_preimages(tmp_path)
    pvm = run_boot_sector(bundle.boot_sector, tmp_path)
    for path, value in setup:
        assert pvm.durable.get(path) == value
    assert pvm.durable.get("/kernel/boot.wasm") == kernel


def test_program_section_layout() -> None:
    root = b"\x00" + bytes(range(32))
    section = program_section([(root, "/a")])
    # custom section id 0 ‖ size ‖ name (13 "dsn-installer") ‖ root ‖ 02 "/a" ‖ u32 BE program length 36
    body = b"\x0d" + b"dsn-installer" + root + b"\x02/a" + (36).to_bytes(4, "big")
    assert section == b"\x00" + bytes([len(body)]) + body
    with pytest.raises(ValueError, match="not a writable durable key"):
        program_section([(root, "/readonly/x")])
    with pytest.raises(ValueError, match="not a writable durable key"):
        program_section([(root, "no/leading/slash")])


def test_missing_page_stops_the_level(tmp_path: Path) -> None:
    bundle = build_installer(wasm(10_000, 7), FAKE_INSTALLER)
    bundle.write_preimages(tmp_path)
    victim = next(h for h in bundle.pages if h != bundle.kernel_root)
    (tmp_path / victim.hex()).unlink()
    with pytest.raises(MissingPreimage):
        run_boot_sector(bundle.boot_sector, tmp_path)


@pytest.mark.parametrize("tail, error", [
    (bytes(100), "bad program length"),
    (b"x" * 60 + (10).to_bytes(4, "big"), "no dsn-installer section"),
    (b"dsn-installer" + b"\x00" * 33 + b"\x05/ab" + (37).to_bytes(4, "big"), "bad instruction path"),
])
def test_malformed_programs_abort(tail: bytes, error: str, tmp_path: Path) -> None:
    with pytest.raises(KernelFailure, match=error):
        run_boot_sector(FAKE_INSTALLER + tail, tmp_path)


def test_pages_read_back_by_the_host_setup_reveal(tmp_path: Path) -> None:
    """Cross-check of the page format with the host's independent reader (setup `reveal`)."""
    from pvm_host.setup_file import reveal_pages

    kernel = random.Random(3).randbytes(600_000)  # 147 content pages -> 2 hashes pages -> 1 root page
    root, pages = build_pages(kernel)
    write_preimages(pages, tmp_path)
    assert sum(p[0] == 0 for p in pages.values()) == 147 and sum(p[0] == 1 for p in pages.values()) == 3
    assert reveal_pages(PvmState(preimages_dir=tmp_path), root) == kernel
