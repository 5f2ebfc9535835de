"""Installer kernel: rebuilds the real kernel from DAC preimage pages and boots it.

Originated instead of a kernel too big for one L1 operation. Its own ``/kernel/boot.wasm`` ends with a
wasm custom section named ``dsn-installer-root`` whose last 33 bytes are the root page hash
(``host/tezos/installer.py`` appends it). ``kernel_run`` walks the page tree depth-first through the
reveal channel (hashes page ``01``: children in order; content page ``00``: bytes appended), writes the
kernel to a scratch path in 2,048-byte chunks, moves it onto ``/kernel/boot.wasm`` and sets the reboot
flag so the new kernel runs at once, in the same level. Preimages are checked against their hashes by
the PVM; a missing or malformed page aborts (the run traps and the next level retries).
"""

from kernel_py.intrinsics import (
    abort,
    u8,
    reveal_preimage,
    store_delete,
    store_move,
    store_read,
    store_value_size,
    store_write,
)

BOOT_KEY: bytes = b"/kernel/boot.wasm"
SCRATCH_KEY: bytes = b"/installer/kernel/boot.wasm"
REBOOT_KEY: bytes = b"/kernel/env/reboot"
SECTION_NAME: bytes = b"dsn-installer-root"
HASH_SIZE: int = 33
PAGE_HEADER: int = 5
PAGE_MAX: int = 4096
CHUNK: int = 2048
STACK_SIZE: int = 512
CONTENT_TAG: u8 = 0
HASHES_TAG: u8 = 1


def root_hash() -> bytes:
    """The 33-byte root hash at the end of this installer's own boot sector."""
    size = store_value_size(BOOT_KEY)
    name_len = len(SECTION_NAME)
    if size < HASH_SIZE + name_len:
        abort("installer: boot sector too short for a root hash")
    name = store_read(BOOT_KEY, size - HASH_SIZE - name_len, name_len)
    if name != SECTION_NAME:
        abort("installer: no dsn-installer-root section at the end of the boot sector")
    root = store_read(BOOT_KEY, size - HASH_SIZE, HASH_SIZE)
    if len(root) != HASH_SIZE:
        abort("installer: cannot read the root hash")
    return root


def append_content(body: bytes, offset: int) -> int:
    """Write a content page's body at ``offset`` of the scratch kernel; returns the new end offset."""
    pos = 0
    n = len(body)
    while pos < n:
        end = pos + CHUNK
        if end > n:
            end = n
        if store_write(SCRATCH_KEY, offset + pos, body[pos:end]) != 0:
            abort("installer: store_write of the kernel failed")
        pos = end
    return offset + n


def install(root: bytes) -> int:
    """Rebuild the kernel under ``root`` into the scratch path; returns its size in bytes."""
    store_delete(SCRATCH_KEY)
    stack: list[bytes] = [b""] * STACK_SIZE
    stack[0] = root
    top = 1
    written = 0
    while top > 0:
        top = top - 1
        page = reveal_preimage(stack[top], PAGE_MAX)
        if len(page) < PAGE_HEADER:
            abort("installer: missing or truncated preimage page")
        length: int = int.from_bytes(page[1:5], "big")
        if length != len(page) - PAGE_HEADER:
            abort("installer: page length field does not match the page")
        tag = page[0]
        if tag == CONTENT_TAG:
            written = append_content(page[PAGE_HEADER:], written)
        elif tag == HASHES_TAG:
            if length % HASH_SIZE != 0:
                abort("installer: hashes page length is not a multiple of 33")
            count = length // HASH_SIZE
            if top + count > STACK_SIZE:
                abort("installer: page tree too deep")
            for i in range(0, count):
                start = PAGE_HEADER + i * HASH_SIZE
                stack[top + count - 1 - i] = page[start:start + HASH_SIZE]
            top = top + count
        else:
            abort("installer: unknown page tag")
    if written == 0:
        abort("installer: the page tree holds no kernel bytes")
    return written


def kernel_run() -> None:
    """Install the kernel named by the root hash and reboot into it."""
    install(root_hash())
    if store_move(SCRATCH_KEY, BOOT_KEY) != 0:
        abort("installer: cannot move the new kernel onto /kernel/boot.wasm")
    if store_write(REBOOT_KEY, 0, b"\x00") != 0:
        abort("installer: cannot set the reboot flag")
