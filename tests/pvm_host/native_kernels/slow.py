"""A host-test kernel: stores the count of inputs at /count (u64 BE); an external ``slow`` spins the
CPU (holding the GIL in slices, like a heavy wasm level calling back into the host) for 2 seconds."""

import time

from kernel_py.intrinsics import read_input, store_read, store_value_size, store_write

COUNT_KEY: bytes = b"/count"


def kernel_run() -> None:
    count = int.from_bytes(store_read(COUNT_KEY, 0, 8), "big") if store_value_size(COUNT_KEY) == 8 else 0
    while True:
        msg = read_input()
        if len(msg) == 0:
            break
        count += 1
        if msg[1:] == b"slow":
            end = time.monotonic() + 2.0
            while time.monotonic() < end:
                sum(range(1000))
    store_write(COUNT_KEY, 0, count.to_bytes(8, "big"))
