"""Durable-storage helpers over the host intrinsics: whole values, appends and integers.

Values of any size are moved in chunks of at most 2,048 bytes (the PVM's per-call limit).
"""

from kernel_py.intrinsics import (
    store_delete,
    store_delete_value,
    store_read,
    store_value_size,
    store_write,
    u64,
)

CHUNK: int = 2048


def value_size(key: bytes) -> int:
    """Size of the value at ``key``; negative when there is none."""
    return store_value_size(key)


def has_value(key: bytes) -> bool:
    """True when a value (possibly empty) is stored at ``key``."""
    return store_value_size(key) >= 0


def read_range(key: bytes, offset: int, length: int) -> bytes:
    """``length`` bytes of the value at ``key`` from ``offset``; b"" unless all of them exist (a read that
    comes short or fails ends it)."""
    if length <= 0:
        return b""
    out = bytearray(length)
    done = 0
    while done < length:
        want = length - done
        if want > CHUNK:
            want = CHUNK
        part = store_read(key, offset + done, want)
        if len(part) != want:
            return b""
        out[done:done + want] = part
        done = done + want
    return bytes(out)


def read_value(key: bytes) -> bytes:
    """The whole value at ``key`` (b"" when absent or empty)."""
    return read_range(key, 0, value_size(key))


def write_at(key: bytes, offset: int, data: bytes) -> None:
    """Write ``data`` at ``offset`` (which must not exceed the current size), in chunks."""
    done = 0
    n = len(data)
    while done < n:
        end = done + CHUNK
        if end > n:
            end = n
        store_write(key, offset + done, data[done:end])
        done = end


def write_value(key: bytes, data: bytes) -> None:
    """Replace the value at ``key`` by ``data`` (an empty ``data`` stores an empty value)."""
    store_delete_value(key)
    if len(data) == 0:
        store_write(key, 0, b"")
        return
    write_at(key, 0, data)


def append_value(key: bytes, data: bytes) -> None:
    """Append ``data`` to the value at ``key`` (created when absent)."""
    size = value_size(key)
    if size < 0:
        size = 0
        if len(data) == 0:
            store_write(key, 0, b"")
            return
    write_at(key, size, data)


def delete_value(key: bytes) -> None:
    """Remove the value at ``key`` (its subkeys stay)."""
    store_delete_value(key)


def delete_tree(key: bytes) -> None:
    """Remove the value at ``key`` and every subkey."""
    store_delete(key)


def read_u64(key: bytes) -> u64:
    """The u64 stored big-endian at ``key``; 0 when absent or not 8 bytes long (one host call when
    the value exists)."""
    v = store_read(key, 0, 9)
    if len(v) != 8:
        return 0
    x: u64 = int.from_bytes(v, "big")
    return x


def write_u64(key: bytes, value: u64) -> None:
    """Store ``value`` as 8 big-endian bytes at ``key``. The key must only ever hold 8-byte values
    (it is overwritten in place, one host call)."""
    store_write(key, 0, value.to_bytes(8, "big"))
