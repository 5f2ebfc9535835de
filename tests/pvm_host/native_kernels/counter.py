"""A tiny kernel_py-style kernel for host tests: counts inputs, echoes externals, reboots on b"reboot"."""

from kernel_py.intrinsics import (
    input_id,
    input_level,
    read_input,
    store_delete_value,
    store_read,
    store_value_size,
    store_write,
    write_debug,
    write_output,
)

COUNT_KEY: bytes = b"/count"


def kernel_run() -> None:
    count: int = 0
    if store_value_size(COUNT_KEY) == 8:
        count = int.from_bytes(store_read(COUNT_KEY, 0, 8), "little")
    while True:
        msg = read_input()
        if len(msg) == 0:
            break
        count = count + 1
        if msg[0] == 1:
            body = msg[1:]
            write_debug(b"external " + body)
            if body == b"reboot":
                store_write(b"/kernel/env/reboot", 0, b"\x00")
                break
            if body == b"trap":
                store_write(COUNT_KEY, 0, count.to_bytes(8, "little"))
                assert False, "trap requested"
            write_output(input_level().to_bytes(4, "big") + input_id().to_bytes(4, "big") + body)
    store_delete_value(COUNT_KEY)
    store_write(COUNT_KEY, 0, count.to_bytes(8, "little"))
