"""Installer boot sector: the compiled ``kernel_py/installer.py`` plus a custom section naming the
root page hash, and the preimage pages of the real kernel."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from host.tezos.dac import build_pages, rebuild, write_preimages

SECTION_NAME = b"dsn-installer-root"
INSTALLER_SOURCE = Path(__file__).resolve().parents[2] / "kernel_py" / "installer.py"


def leb128(n: int) -> bytes:
    """Unsigned LEB128 (wasm section and name sizes)."""
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def root_section(root: bytes) -> bytes:
    """Wasm custom section (id 0) named ``dsn-installer-root`` whose payload is the 33-byte root hash."""
    if len(root) != 33 or root[0] != 0:
        raise ValueError("root hash must be 33 bytes starting with 00")
    body = leb128(len(SECTION_NAME)) + SECTION_NAME + root
    return b"\x00" + leb128(len(body)) + body


def compile_installer() -> bytes:
    """Compile the installer kernel from its restricted-Python source with our compiler."""
    try:
        from kernel_wasm import Compilation  # the compiler is only needed on this path
    except ImportError as e:
        raise ValueError(f"the kernel needs the installer, but the compiler is unavailable: {e}") from e
    # Smallest form: no name section, one trap per function, no unrolling (it runs once).
    return Compilation(INSTALLER_SOURCE, None, kernel=True, names=False, compact=True, small=True).wasm


@dataclass(frozen=True)
class InstallerBundle:
    """What to originate (``boot_sector``) and what the rollup node must serve (``pages``)."""

    boot_sector: bytes
    root: bytes
    pages: dict[bytes, bytes]

    def write_preimages(self, directory: Path) -> list[Path]:
        return write_preimages(self.pages, directory)


def build_installer(kernel: bytes, installer_wasm: bytes | None = None) -> InstallerBundle:
    """Split ``kernel`` into pages and append the root section to the (compiled) installer."""
    if not kernel.startswith(b"\x00asm"):
        raise ValueError("the kernel is not a wasm binary (no \\0asm magic)")
    root, pages = build_pages(kernel)
    if rebuild(root, pages.__getitem__) != kernel:  # self-check before anything is originated
        raise ValueError("preimage pages do not rebuild the kernel")
    base = installer_wasm if installer_wasm is not None else compile_installer()
    return InstallerBundle(base + root_section(root), root, pages)
