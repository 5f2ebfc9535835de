"""The PVM state shared by the wasm host and the CPython host: durable tree, inbox, outbox, reveal.

:class:`PvmState` implements the :class:`kernel_py.intrinsics.Host` protocol (bytes in, bytes or
error codes out), so ``install_host(pvm)`` lets kernel_py code run natively against exactly the same
semantics the wasm host exposes through ``smart_rollup_core`` (which adds the memory handling).

- Inbox: :meth:`PvmState.load_inbox` puts one level's serialized messages (SOL, IPL, …, EOL) in the
  input buffer; ``read_input`` returns ``(level, id, payload)`` in order, None when exhausted;
  :meth:`PvmState.drop_inputs` discards unread ones (what the PVM does on yield).
- Outbox: ``write_output`` appends to the outbox of the current level (≤ 4,096 bytes → else -7;
  ≤ 100 per level → else -11). :attr:`PvmState.outbox` maps level → messages written at that level.
- Reveal: ``reveal_preimage`` reads ``<preimages_dir>/<66 hex chars>`` (content checked against
  ``00 ‖ BLAKE2b-256``); a hash that is not 33 bytes starting with ``00`` reveals 0 bytes; a missing
  file raises :class:`MissingPreimage` (the rollup node stops, as octez does). ``reveal_metadata``
  returns the 20-byte rollup address ‖ origination level (i32 big-endian). ``reveal`` also answers
  DAL pages (``02``) and parameters (``03``) from :attr:`PvmState.dal` (:mod:`pvm_host.dal`); without
  one (an L1 with no DAL) both reveal 0 bytes.
- Debug: ``write_debug`` calls :attr:`PvmState.debug_sink` (default: collect in :attr:`debug_log`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from pvm_host.dal import DalReveals
from pvm_host.durable import DurableTree
from pvm_spec.constants import (
    FULL_OUTBOX,
    INPUT_OUTPUT_TOO_LARGE,
    MAX_IO_SIZE,
    MAX_OUTBOX_MESSAGES_PER_LEVEL,
    PREIMAGE_HASH_SIZE,
)


class MissingPreimage(Exception):
    """The kernel asked for a preimage the host does not have (the level cannot complete)."""

    def __init__(self, hash33: bytes) -> None:
        super().__init__(f"missing preimage {hash33.hex()}")
        self.hash33 = hash33


def preimage_hash(data: bytes) -> bytes:
    """The 33-byte reveal hash of ``data``: ``00 ‖ BLAKE2b-256(data)``."""
    return b"\x00" + hashlib.blake2b(data, digest_size=32).digest()


class PvmState:
    """Durable storage + input buffer + outbox + reveal channel + metadata of one rollup."""

    def __init__(
        self,
        durable: DurableTree | None = None,
        rollup_address: bytes = bytes(20),
        origination_level: int = 0,
        preimages_dir: Path | None = None,
        dal: DalReveals | None = None,
    ) -> None:
        if len(rollup_address) != 20:
            raise ValueError("rollup address hash must be 20 bytes")
        self.durable = durable if durable is not None else DurableTree()
        self.rollup_address = rollup_address
        self.origination_level = origination_level
        self.preimages_dir = preimages_dir
        self.dal = dal
        self.level: int | None = None
        self.outbox: dict[int, list[bytes]] = {}
        self.debug_log: list[bytes] = []
        self.debug_sink: Callable[[bytes], None] = self.debug_log.append
        self._inputs: list[bytes] = []
        self._next_input = 0

    # ---- level plumbing (PVM side) -----------------------------------------------------------

    def load_inbox(self, level: int, messages: list[bytes]) -> None:
        """Start ``level``: the outbox moves to it and ``messages`` become the input buffer."""
        self.level = level
        self._inputs = list(messages)
        self._next_input = 0

    def drop_inputs(self) -> int:
        """Discard the unread inputs (on yield); returns how many were dropped."""
        dropped = len(self._inputs) - self._next_input
        self._inputs, self._next_input = [], 0
        return dropped

    def pending_inputs(self) -> int:
        return len(self._inputs) - self._next_input

    def current_outbox(self) -> list[bytes]:
        return self.outbox.setdefault(self.level if self.level is not None else 0, [])

    # ---- Host protocol: inbox / outbox / debug -----------------------------------------------

    def read_input(self) -> tuple[int, int, bytes] | None:
        if self._next_input >= len(self._inputs):
            return None
        index = self._next_input
        self._next_input += 1
        return (self.level or 0, index, self._inputs[index])

    def write_output(self, data: bytes) -> int:
        if len(data) > MAX_IO_SIZE:
            return INPUT_OUTPUT_TOO_LARGE
        box = self.current_outbox()
        if len(box) >= MAX_OUTBOX_MESSAGES_PER_LEVEL:
            return FULL_OUTBOX
        box.append(bytes(data))
        return 0

    def write_debug(self, message: bytes) -> None:
        self.debug_sink(bytes(message))

    # ---- Host protocol: durable storage -----------------------------------------------------

    def store_has(self, key: bytes) -> int:
        return self.durable.store_has(key)

    def store_exists(self, key: bytes) -> int:
        return self.durable.store_exists(key)

    def store_delete(self, key: bytes) -> int:
        return self.durable.store_delete(key)

    def store_delete_value(self, key: bytes) -> int:
        return self.durable.store_delete_value(key)

    def store_copy(self, src: bytes, dst: bytes) -> int:
        return self.durable.store_copy(src, dst)

    def store_move(self, src: bytes, dst: bytes) -> int:
        return self.durable.store_move(src, dst)

    def store_value_size(self, key: bytes) -> int:
        return self.durable.store_value_size(key)

    def store_list_size(self, key: bytes) -> int:
        return self.durable.store_list_size(key)

    def store_read(self, key: bytes, offset: int, max_bytes: int) -> bytes | int:
        return self.durable.store_read(key, offset, max_bytes)

    def store_write(self, key: bytes, offset: int, data: bytes) -> int:
        return self.durable.store_write(key, offset, data)

    def store_create(self, key: bytes, size: int) -> int:
        return self.durable.store_create(key, size)

    # ---- Host protocol: reveal ---------------------------------------------------------------

    def preimage(self, hash33: bytes) -> bytes:
        """The preimage of a 33-byte reveal hash (b"" for an undecodable hash)."""
        if len(hash33) != PREIMAGE_HASH_SIZE or hash33[0] != 0:
            return b""
        path = self.preimages_dir / hash33.hex() if self.preimages_dir is not None else None
        if path is None or not path.is_file():
            raise MissingPreimage(hash33)
        data = path.read_bytes()
        if preimage_hash(data) != hash33:
            raise MissingPreimage(hash33)
        return data

    def reveal_preimage(self, hash33: bytes, max_bytes: int) -> bytes | int:
        return self.preimage(hash33)[: max(0, min(max_bytes, MAX_IO_SIZE))]

    def reveal_metadata(self) -> bytes:
        return self.rollup_address + self.origination_level.to_bytes(4, "big", signed=True)

    def reveal(self, request: bytes, max_bytes: int) -> bytes:
        """Generic ``reveal``: ``00 ‖ hash33`` preimage, ``01`` metadata, ``02`` DAL page, ``03`` DAL
        parameters; anything else (or a DAL request without a DAL) reveals b""."""
        if len(request) == 1 + PREIMAGE_HASH_SIZE and request[0] == 0:
            data = self.preimage(request[1:])
        elif request == b"\x01":
            data = self.reveal_metadata()
        elif self.dal is not None and request[:1] == b"\x02":
            data = self.dal.page(request, self.origination_level, self.level or 0)
        elif self.dal is not None and request == b"\x03":
            data = self.dal.params.encode()
        else:
            data = b""
        return data[: max(0, min(max_bytes, MAX_IO_SIZE))]
