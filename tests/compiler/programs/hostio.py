"""Host intrinsics: inbox, outbox, debug output, durable storage, reveal."""

from kernel_py.intrinsics import (
    input_id,
    input_level,
    read_input,
    reveal_metadata,
    reveal_preimage,
    store_copy,
    store_create,
    store_delete,
    store_delete_value,
    store_exists,
    store_has,
    store_list_size,
    store_move,
    store_read,
    store_value_size,
    store_write,
    write_debug,
    write_output,
)

COUNTER: bytes = b"/counter"


def bump(key: bytes, by: int) -> int:
    size = store_value_size(key)
    value = 0
    if size == 8:
        value = int.from_bytes(store_read(key, 0, 8), "little")
    value += by
    store_write(key, 0, value.to_bytes(8, "little"))
    return value


def storage(key: bytes, other: bytes) -> tuple[int, int, int, int, int, int, int, bytes]:
    a = store_has(key)
    b = store_exists(key)
    c = store_copy(key, other)
    d = store_list_size(b"/")
    e = store_move(other, key + b"2")
    f = store_delete_value(key)
    g = store_create(b"/made", 5)
    return a, b, c, d, e, f, g, store_read(key + b"2", 0, 2048)


def cleanup(key: bytes) -> int:
    return store_delete(key)


def reveal(h: bytes) -> tuple[bytes, bytes]:
    return reveal_preimage(h, 4096), reveal_metadata()


def kernel_run() -> None:
    msg = read_input()
    while len(msg) > 0:
        n = bump(COUNTER, 1)
        write_debug(b"message " + n.to_bytes(2, "big"))
        if msg[0] == 1:
            write_output(msg[1:] + input_level().to_bytes(4, "big") + input_id().to_bytes(4, "big"))
        msg = read_input()
