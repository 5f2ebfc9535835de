"""Installer boot sector: the compiled ``kernel_py/installer.py`` plus a custom section holding its
install program (reveal the kernel's page tree onto ``/kernel/boot.wasm``, and setup values onto their
paths), and the preimage pages those trees need."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pvm_spec.constants import KERNEL_KEY
from pvm_host.durable import parse_key
from tezos_l1.dac import build_pages, rebuild, write_preimages

SECTION_NAME = b"dsn-installer"
INSTALLER_SOURCE = Path(__file__).resolve().parents[1] / "kernel_py" / "installer.py"

Instruction = tuple[bytes, str]  # (33-byte root hash, durable path)


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
    base = installer_wasm if installer_wasm is not None else compile_installer()
    return InstallerBundle(base + program_section(instructions), instructions, pages)
