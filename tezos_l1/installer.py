"""Installer boot sector: the compiled ``kernel_py/installer.py`` (shipped prebuilt as
``data/installer.wasm``) plus a custom section holding its
install program (reveal the kernel's page tree onto ``/kernel/boot.wasm``, and setup values onto their
paths), and the preimage pages those trees need."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pvm_host.durable import parse_key
from pvm_spec.constants import KERNEL_KEY
from pvm_spec.wasm_binary import leb128
from tezos_l1.dac import build_pages, rebuild, write_preimages

SECTION_NAME = b"dsn-installer"
INSTALLER_WASM = Path(__file__).resolve().parent / "data" / "installer.wasm"

Instruction = tuple[bytes, str]  # (33-byte root hash, durable path)


def check_path(path: str) -> None:
    """Refuse a durable path the installer could not write (bad syntax, too long, read-only)."""
    raw = path.encode()
    if isinstance(parse_key(raw), int) or raw == b"" or raw.startswith(b"/readonly") or len(raw) > 255:
        raise ValueError(f"setup path {path!r} is not a writable durable key")


def program_section(instructions: list[Instruction]) -> bytes:
    """Wasm custom section ``dsn-installer``: ``(root 33 ‖ u8 path length ‖ path)* ‖ u32 BE length``."""
    program = b""
    for root, path in instructions:
        if len(root) != 33 or root[0] != 0:
            raise ValueError("root hash must be 33 bytes starting with 00")
        check_path(path)
        program += root + bytes([len(path)]) + path.encode()
    body = leb128(len(SECTION_NAME)) + SECTION_NAME + program + len(program).to_bytes(4, "big")
    return b"\x00" + leb128(len(body)) + body


def installer_kernel() -> bytes:
    """The prebuilt installer kernel (``kernel_wasm.installer`` builds it; a test checks it is current)."""
    return INSTALLER_WASM.read_bytes()


@dataclass(frozen=True)
class InstallerBundle:
    """What to originate (``boot_sector``) and what the rollup node must serve (``pages``)."""

    boot_sector: bytes
    instructions: list[Instruction]  # the kernel's last
    pages: dict[bytes, bytes]

    @property
    def kernel_root(self) -> bytes:
        return self.instructions[-1][0]

    def write_preimages(self, directory: Path) -> list[Path]:
        return write_preimages(self.pages, directory)


def build_installer(kernel: bytes, installer_wasm: bytes | None = None,
                    setup: list[tuple[str, bytes]] | None = None) -> InstallerBundle:
    """Pages for each setup value and for ``kernel``, and the installer with its program."""
    if not kernel.startswith(b"\x00asm"):
        raise ValueError("the kernel is not a wasm binary (no \\0asm magic)")
    pages: dict[bytes, bytes] = {}
    instructions: list[Instruction] = []
    for path, value in [*(setup or []), (KERNEL_KEY, kernel)]:
        if path == KERNEL_KEY and value is not kernel:
            raise ValueError("setup cannot write /kernel/boot.wasm: pass the kernel instead")
        if not value:
            raise ValueError(f"setup value for {path} is empty; the installer writes non-empty values only")
        root, tree = build_pages(value)
        if rebuild(root, tree.__getitem__) != value:  # self-check before anything is originated
            raise ValueError(f"preimage pages do not rebuild the value for {path}")
        pages.update(tree)
        instructions.append((root, path))
    base = installer_wasm if installer_wasm is not None else installer_kernel()
    return InstallerBundle(base + program_section(instructions), instructions, pages)
