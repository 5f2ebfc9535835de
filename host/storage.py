"""Crash-safe persistence of a rollup's state in LMDB (one write transaction per completed level).

Layout of the environment in ``<state-dir>/pvm.lmdb``:

- ``durable``: durable key text (``/a/b``) → value bytes;
- ``outbox``: level u32 BE ‖ index u16 BE → outbox message;
- ``meta``: ``state`` → JSON of :class:`RollupMeta`.

:meth:`StateStore.commit` writes the level's durable changes, its outbox and the new metadata in a
single LMDB transaction (synced on commit), so a ``kill -9`` at any moment leaves the state of the
last completed level: the next open resumes from there.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import lmdb

from host.durable import DurableTree, Path as KeyPath, key_of


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

    def __init__(self, state_dir: Path, map_size: int = 1 << 34) -> None:
        state_dir.mkdir(parents=True, exist_ok=True)
        self.env = lmdb.open(str(state_dir / "pvm.lmdb"), map_size=map_size, max_dbs=4, sync=True)
        self._durable = self.env.open_db(b"durable")
        self._outbox = self.env.open_db(b"outbox")
        self._meta = self.env.open_db(b"meta")

    def close(self) -> None:
        self.env.close()

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

    def commit(self, tree: DurableTree, outbox: dict[int, list[bytes]], meta: RollupMeta) -> None:
        """Write the tree's pending changes, the given outbox levels and ``meta`` atomically."""
        wiped, dirty = tree.take_changes()
        with self.env.begin(write=True) as txn:
            for prefix in wiped:
                self._wipe(txn, prefix)
            for path in dirty:
                key = key_of(path).encode("ascii")
                value = tree.get(path)
                if value is None:
                    txn.delete(key, db=self._durable)
                else:
                    txn.put(key, value, db=self._durable)
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
