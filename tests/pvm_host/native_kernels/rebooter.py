"""Host test kernel: logs the reboot counter it sees and asks for a reboot while /loop exists."""

from kernel_py.intrinsics import read_input, store_has, store_read, store_write, write_debug

COUNTER_KEY: bytes = b"/readonly/kernel/env/reboot_counter"


def kernel_run() -> None:
    msg = read_input()
    write_debug(store_read(COUNTER_KEY, 0, 4) + msg)
    if store_has(b"/loop") == 1:
        store_write(b"/kernel/env/reboot", 0, b"\x00")
