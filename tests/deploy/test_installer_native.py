"""The installer kernel (kernel_py/installer.py) run in CPython against the host's PVM state:
it rebuilds the real kernel from DAC preimage pages exactly and asks for a reboot."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from host.pvm import MissingPreimage, PvmState
from host.tezos.dac import build_pages, write_preimages
from host.tezos.installer import root_section
from kernel_py import installer
from kernel_py.intrinsics import KernelFailure, install_host

FAKE_INSTALLER = b"\x00asm\x01\x00\x00\x00"  # only the trailing root section matters natively


def run_installer(kernel: bytes, tmp_path: Path, boot: bytes | None = None) -> PvmState:
    root, pages = build_pages(kernel)
    write_preimages(pages, tmp_path)
    pvm = PvmState(preimages_dir=tmp_path)
    pvm.durable.set("/kernel/boot.wasm", boot if boot is not None else FAKE_INSTALLER + root_section(root))
    install_host(pvm)
    try:
        installer.kernel_run()
    finally:
        install_host(None)
    return pvm


@pytest.mark.parametrize("size", [1, 2048, 4091, 4092, 30_000, 123 * 4091 + 1])
def test_rebuilds_kernel_exactly(size: int, tmp_path: Path) -> None:
    kernel = random.Random(size).randbytes(size)
    pvm = run_installer(kernel, tmp_path)
    assert pvm.durable.get("/kernel/boot.wasm") == kernel
    assert pvm.durable.get("/kernel/env/reboot") == b"\x00"
    assert pvm.durable.get("/installer/kernel/boot.wasm") is None


def test_missing_page_stops_the_level(tmp_path: Path) -> None:
    kernel = random.Random(7).randbytes(10_000)
    root, pages = build_pages(kernel)
    write_preimages(pages, tmp_path)
    victim = next(h for h in pages if h != root)
    (tmp_path / victim.hex()).unlink()
    pvm = PvmState(preimages_dir=tmp_path)
    pvm.durable.set("/kernel/boot.wasm", FAKE_INSTALLER + root_section(root))
    install_host(pvm)
    try:
        with pytest.raises(MissingPreimage):
            installer.kernel_run()
    finally:
        install_host(None)


def test_boot_sector_without_root_section_aborts(tmp_path: Path) -> None:
    with pytest.raises(KernelFailure, match="no dsn-installer-root section"):
        run_installer(b"kernel", tmp_path, boot=FAKE_INSTALLER + bytes(100))


def test_pages_read_back_by_the_host_setup_reveal(tmp_path: Path) -> None:
    """Cross-check of the page format with the host's independent reader (setup `reveal`)."""
    from host.setup import reveal_pages

    kernel = random.Random(3).randbytes(600_000)  # 147 content pages -> 2 hashes pages -> 1 root page
    root, pages = build_pages(kernel)
    write_preimages(pages, tmp_path)
    assert sum(p[0] == 0 for p in pages.values()) == 147 and sum(p[0] == 1 for p in pages.values()) == 3
    assert reveal_pages(PvmState(preimages_dir=tmp_path), root) == kernel
