"""A small in-memory host with the high-level ``kernel_py.intrinsics.Host`` interface."""

from __future__ import annotations


class FakeHost:
    def __init__(self, inbox: list[tuple[int, int, bytes]] | None = None) -> None:
        self.inbox = list(inbox or [])
        self.store: dict[bytes, bytes] = {}
        self.outbox: list[bytes] = []
        self.debug: list[bytes] = []
        self.preimages: dict[bytes, bytes] = {}

    def read_input(self) -> tuple[int, int, bytes] | None:
        return self.inbox.pop(0) if self.inbox else None

    def write_output(self, data: bytes) -> int:
        if len(data) > 4096:
            return -7
        self.outbox.append(bytes(data))
        return 0

    def write_debug(self, message: bytes) -> None:
        self.debug.append(bytes(message))

    def _children(self, key: bytes) -> list[bytes]:
        prefix = key.rstrip(b"/") + b"/"
        return [k for k in self.store if k.startswith(prefix)]

    def store_has(self, key: bytes) -> int:
        return (1 if key in self.store else 0) + (2 if self._children(key) else 0)

    def store_exists(self, key: bytes) -> int:
        return int(self.store_has(key) != 0)

    def store_delete(self, key: bytes) -> int:
        for k in [key, *self._children(key)]:
            self.store.pop(k, None)
        return 0

    def store_delete_value(self, key: bytes) -> int:
        self.store.pop(key, None)
        return 0

    def store_copy(self, src: bytes, dst: bytes) -> int:
        if src not in self.store:
            return -10
        self.store[dst] = self.store[src]
        return 0

    def store_move(self, src: bytes, dst: bytes) -> int:
        r = self.store_copy(src, dst)
        if r == 0:
            del self.store[src]
        return r

    def store_value_size(self, key: bytes) -> int:
        return len(self.store[key]) if key in self.store else -3

    def store_list_size(self, key: bytes) -> int:
        return len(self._children(key)) + (1 if key in self.store else 0)

    def store_read(self, key: bytes, offset: int, max_bytes: int) -> bytes | int:
        if key not in self.store:
            return -3
        if max_bytes > 2048:
            return -7
        value = self.store[key]
        if offset >= len(value):
            return -4
        return value[offset:offset + max_bytes]

    def store_write(self, key: bytes, offset: int, data: bytes) -> int:
        value = self.store.get(key, b"")
        if offset > len(value):
            return -4
        self.store[key] = value[:offset] + bytes(data) + value[offset + len(data):]
        return 0

    def store_create(self, key: bytes, size: int) -> int:
        if key in self.store:
            return -13
        self.store[key] = bytes(size)
        return 0

    def reveal_preimage(self, hash33: bytes, max_bytes: int) -> bytes | int:
        return self.preimages.get(bytes(hash33), b"")[:max_bytes]

    def reveal_metadata(self) -> bytes:
        return bytes(range(20)) + (1234).to_bytes(4, "big")

    def reveal(self, request: bytes, max_bytes: int) -> bytes:
        return self.preimages.get(bytes(request), b"")[:max_bytes]

    def state(self) -> tuple:
        return self.store, self.outbox, self.debug
