"""Installer kernel: writes the real kernel (and setup values) from DAC preimage pages, then boots it.

Originated instead of a kernel too big for one L1 operation, or with setup values. Its own
``/kernel/boot.wasm`` ends with a wasm custom section named ``dsn-installer`` whose payload is a
program followed by the program's length (u32 BE), so the last 4 bytes of the boot sector give it::

    program     = instruction*
    instruction = root hash (33) ‖ path length u8 ‖ durable path

For each instruction ``kernel_run`` walks the page tree under ``root`` depth-first through the reveal
channel (hashes page ``01``: children in order; content page ``00``: bytes appended), writes the
content to a scratch path in 2,048-byte chunks and moves it onto ``path``. ``tezos_l1/installer.py``
puts ``/kernel/boot.wasm`` last. Finally it sets the reboot flag, so the new kernel runs at once, in
the same level. Preimages are checked against their hashes by the PVM; a missing or malformed page
or a bad program aborts (the run traps; the next level retries).
"""

from kernel_py.intrinsics import (
    abort,
    reveal_preimage,
    store_delete,
    store_move,
    store_read,
    store_value_size,
    store_write,
    u8,
)
from kernel_py.store import read_range

BOOT_KEY: bytes = b"/kernel/boot.wasm"
SCRATCH_KEY: bytes = b"/installer/scratch"
REBOOT_KEY: bytes = b"/kernel/env/reboot"
SECTION_NAME: bytes = b"dsn-installer"
LENGTH_SIZE: int = 4
HASH_SIZE: int = 33
PAGE_HEADER: int = 5
PAGE_MAX: int = 4096
CHUNK: int = 2048
STACK_SIZE: int = 512
CONTENT_TAG: u8 = 0
HASHES_TAG: u8 = 1


def read_program() -> bytes:
    """The install program stored at the end of this installer's own boot sector."""
    size = store_value_size(BOOT_KEY)
    name_len = len(SECTION_NAME)
    if size < LENGTH_SIZE + name_len:
        abort("installer: boot sector too short for a program")
    n: int = int.from_bytes(store_read(BOOT_KEY, size - LENGTH_SIZE, LENGTH_SIZE), "big")
    if n == 0 or n > size - LENGTH_SIZE - name_len:
        abort("installer: bad program length")
    start = size - LENGTH_SIZE - n
    if store_read(BOOT_KEY, start - name_len, name_len) != SECTION_NAME:
        abort("installer: no dsn-installer section at the end of the boot sector")
    program = read_range(BOOT_KEY, start, n)
    if len(program) != n:
        abort("installer: cannot read the program")
    return program


def append_content(body: bytes, offset: int) -> int:
    """Write a content page's body at ``offset`` of the scratch value; returns the new end offset."""
    pos = 0
    n = len(body)
    while pos < n:
        end = pos + CHUNK
        if end > n:
            end = n
        if store_write(SCRATCH_KEY, offset + pos, body[pos:end]) != 0:
            abort("installer: store_write failed")
        pos = end
    return offset + n


def reveal_tree(root: bytes) -> int:
    """Write the content of the page tree under ``root`` to the scratch path; returns its size."""
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
        abort("installer: a page tree holds no bytes")
    return written


def kernel_run() -> None:
    """Run the install program, then reboot into the installed kernel."""
    program = read_program()
    n = len(program)
    pos = 0
    while pos < n:
        if pos + HASH_SIZE + 1 > n:
            abort("installer: truncated instruction")
        path_len: int = int.from_bytes(program[pos + HASH_SIZE:pos + HASH_SIZE + 1], "big")
        end = pos + HASH_SIZE + 1 + path_len
        if path_len == 0 or end > n:
            abort("installer: bad instruction path")
        reveal_tree(program[pos:pos + HASH_SIZE])
        if store_move(SCRATCH_KEY, program[pos + HASH_SIZE + 1:end]) != 0:
            abort("installer: cannot move a revealed value to its path")
        pos = end
    if store_write(REBOOT_KEY, 0, b"\x00") != 0:
        abort("installer: cannot set the reboot flag")
