"""Crash-safe persistence of a rollup's state in LMDB (one write transaction per completed level).

Layout of the environment in ``<state-dir>/pvm.lmdb``:

- ``durable``: durable key text (``/a/b``) → value bytes;
- ``outbox``: level u32 BE ‖ index u16 BE → outbox message;
- ``meta``: ``state`` → JSON of :class:`RollupMeta`;
- ``queue``: sequence u64 BE → injected external payload not yet part of a level (local node).

:meth:`StateStore.commit` writes the level's durable changes, its outbox and the new metadata in a
single LMDB transaction (synced on commit), so a ``kill -9`` at any moment leaves the state of the
last completed level: the next open resumes from there. A ``LOCK`` file (``flock``) keeps a second
writer out; read-only opens (``dsn kernel show-key``/``ls``) work while a writer runs.
"""

from __future__ import annotations

import fcntl
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO

import lmdb

from pvm_host.durable import DurableTree, key_of
from pvm_host.durable import Path as KeyPath


class StateLocked(Exception):
    """Another process has the state directory open for writing."""


@dataclass
class RollupMeta:
    """PVM state kept beside the durable tree."""

    rollup_address: str
    origination_level: int
    next_level: int
    stuck: str = ""
    total_ticks: int = 0
    levels_done: int = 0


class StateStore:
    """An LMDB environment holding one rollup's durable tree, outboxes and metadata."""

    def __init__(self, state_dir: Path, readonly: bool = False, map_size: int = 1 << 34) -> None:
        """Open for writing (one process at a time: :class:`StateLocked` otherwise) or ``readonly``."""
        self._lock_file: IO[bytes] | None = None
        if not readonly:
            state_dir.mkdir(parents=True, exist_ok=True)
            self._lock_file = open(state_dir / "LOCK", "wb")
            try:
                fcntl.flock(self._lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                self._lock_file.close()
                raise StateLocked(f"{state_dir} is in use by another process") from exc
        self.env = lmdb.open(str(state_dir / "pvm.lmdb"), map_size=map_size, max_dbs=4, sync=True,
                             readonly=readonly, lock=True)
        self._durable = self.env.open_db(b"durable", create=not readonly)
        self._outbox = self.env.open_db(b"outbox", create=not readonly)
        self._meta = self.env.open_db(b"meta", create=not readonly)
        self._queue = self.env.open_db(b"queue", create=not readonly)

    def close(self) -> None:
        self.env.close()
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None

    def load_meta(self) -> RollupMeta | None:
        with self.env.begin() as txn:
            raw = txn.get(b"state", db=self._meta)
        return None if raw is None else RollupMeta(**json.loads(raw))

    def load_durable(self) -> DurableTree:
        tree = DurableTree()
        with self.env.begin() as txn:
            for key, value in txn.cursor(db=self._durable):
                tree.set(key.decode("ascii"), value)
        tree.take_changes()
        return tree

    def read(self, path: KeyPath) -> bytes | None:
        """The value at ``path`` as of the last commit (a read transaction of its own: safe while a
        level runs in another thread)."""
        with self.env.begin() as txn:
            value = txn.get(key_of(path).encode("ascii"), db=self._durable)
        return None if value is None else bytes(value)

    def subkeys(self, path: KeyPath) -> list[str]:
        """Names of the children of ``path`` as of the last commit, in bytewise order."""
        start = key_of(path).encode("ascii") + b"/"
        names: set[bytes] = set()
        with self.env.begin() as txn:
            cursor = txn.cursor(db=self._durable)
            if cursor.set_range(start):
                for key in cursor.iternext(values=False):
                    if not key.startswith(start):
                        break
                    names.add(key[len(start):].split(b"/", 1)[0])
        return [n.decode("ascii") for n in sorted(names)]

    def durable_bytes(self) -> int:
        """Bytes of the LMDB pages holding the durable tree (what its storage takes now)."""
        with self.env.begin() as txn:
            st = txn.stat(self._durable)
        return int(st["psize"] * (st["branch_pages"] + st["leaf_pages"] + st["overflow_pages"]))

    def enqueue(self, first_seq: int, payloads: list[bytes]) -> None:
        """Persist injected external payloads under sequence numbers ``first_seq, first_seq + 1, …``."""
        with self.env.begin(write=True) as txn:
            for i, payload in enumerate(payloads):
                txn.put((first_seq + i).to_bytes(8, "big"), payload, db=self._queue)

    def load_queue(self) -> list[tuple[int, bytes]]:
        """Injected payloads not yet consumed by a level, in order."""
        with self.env.begin() as txn:
            return [(int.from_bytes(k, "big"), bytes(v)) for k, v in txn.cursor(db=self._queue)]

    def commit(
        self, tree: DurableTree, outbox: dict[int, list[bytes]], meta: RollupMeta, dequeued: list[int] | None = None
    ) -> None:
        """Write the tree's pending changes, the given outbox levels and ``meta`` atomically, and drop
        the ``dequeued`` queue entries (the payloads the level consumed) in the same transaction."""
        wiped, dirty = tree.take_changes()
        with self.env.begin(write=True) as txn:
            for seq in dequeued or []:
                txn.delete(seq.to_bytes(8, "big"), db=self._queue)
            for prefix in wiped:
                self._wipe(txn, prefix)
            puts = []
            for path in dirty:
                key = key_of(path).encode("ascii")
                value = tree.get(path)
                if value is None:
                    txn.delete(key, db=self._durable)
                else:
                    puts.append((key, value))
            puts.sort()  # in key order: LMDB's B-tree is written page by page
            txn.cursor(db=self._durable).putmulti(puts)
            for level, messages in outbox.items():
                for index, message in enumerate(messages):
                    txn.put(_outbox_key(level, index), message, db=self._outbox)
            txn.put(b"state", json.dumps(asdict(meta)).encode(), db=self._meta)

    def _wipe(self, txn: lmdb.Transaction, prefix: KeyPath) -> None:
        if not prefix:
            txn.drop(self._durable, delete=False)
            return
        base = key_of(prefix).encode("ascii")
        txn.delete(base, db=self._durable)
        start = base + b"/"
        cursor = txn.cursor(db=self._durable)
        if cursor.set_range(start):
            while cursor.key().startswith(start):
                if not cursor.delete():
                    break

    def outbox_at(self, level: int) -> list[bytes]:
        with self.env.begin() as txn:
            cursor = txn.cursor(db=self._outbox)
            prefix = level.to_bytes(4, "big")
            out: list[bytes] = []
            if cursor.set_range(prefix):
                for key, value in _iter_prefix(cursor, prefix):
                    out.append(value)
            return out


def _iter_prefix(cursor: lmdb.Cursor, prefix: bytes) -> Iterator[tuple[bytes, bytes]]:
    for key, value in cursor:
        if not key.startswith(prefix):
            return
        yield key, value


def _outbox_key(level: int, index: int) -> bytes:
    return level.to_bytes(4, "big") + index.to_bytes(2, "big")
