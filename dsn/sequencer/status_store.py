"""The sequencer's durable store (LMDB, every write fsync'd): transactions in its custody and the
final result of every transaction the kernel reported.

Tables: ``custody`` (accepted ms ‖ tx id → raw transaction: keys in arrival order, so holding and
releasing a group of transactions writes a few B-tree pages, not one per transaction as tx-id keys
did; a store written with those keys is converted when opened), ``results`` (tx id → JSON of the final
result, with later copies listed as ``duplicates``; written with orjson: a result per transaction
is on the admission path's budget), ``by_block`` (block ‖ position → tx id, to
forget results older than ``keep_blocks``) and ``meta`` (``scanned``: the last kernel block whose
results were recorded).
"""

from __future__ import annotations

import struct
import threading
from pathlib import Path

import lmdb
import orjson

_U64 = struct.Struct(">Q")
_TX_ID = 32
_POS = struct.Struct(">QI")


class StatusStore:
    """Custody records and results; a write returns once it is on disk."""

    def __init__(self, path: Path, keep_blocks: int = 100_000, map_size: int = 1 << 30) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)
        self.env = lmdb.open(str(path), map_size=map_size, max_dbs=4, sync=True, metasync=True)
        self._custody = self.env.open_db(b"custody")
        self._results = self.env.open_db(b"results")
        self._by_block = self.env.open_db(b"by_block")
        self._meta = self.env.open_db(b"meta")
        self.keep_blocks = keep_blocks
        self._writing = threading.Lock()  # writes run in worker threads; close() waits for the one in progress
        self._convert_custody()

    def _convert_custody(self) -> None:
        """Rewrite custody records of the earlier layout (tx id → accepted ms ‖ raw) in the current one."""
        with self.env.begin() as txn:
            old = [(bytes(k), bytes(v)) for k, v in txn.cursor(db=self._custody) if len(k) == _TX_ID]
        if old:
            def put(txn) -> None:
                for tx_id, value in old:
                    txn.put(value[:8] + tx_id, value[8:], db=self._custody)
                    txn.delete(tx_id, db=self._custody)
            self._write(put)

    def close(self) -> None:
        with self._writing:
            self.env.close()

    def _write(self, fn) -> None:
        with self._writing:
            while True:
                try:
                    with self.env.begin(write=True) as txn:
                        fn(txn)
                    return
                except lmdb.MapFullError:
                    self.env.set_mapsize(2 * self.env.info()["map_size"])

    # custody ------------------------------------------------------------------------------------------
    def hold(self, items: list[tuple[bytes, int, bytes]]) -> None:
        """Persist ``(tx id, accepted ms, raw)`` records (one fsync'd transaction)."""
        def put(txn) -> None:
            for tx_id, accepted_ms, raw in items:
                txn.put(_U64.pack(accepted_ms) + tx_id, raw, db=self._custody)
        self._write(put)

    def release(self, records: list[tuple[bytes, int]]) -> None:
        """Forget the custody records ``(tx id, accepted ms)`` (the transactions were not acknowledged)."""
        self._write(lambda txn: [txn.delete(_U64.pack(ms) + t, db=self._custody) for t, ms in records])

    def held(self) -> list[tuple[bytes, int, bytes]]:
        """Every custody record ``(tx id, accepted ms, raw)``, in arrival order."""
        with self.env.begin() as txn:
            return [(bytes(k[8:]), _U64.unpack_from(k)[0], bytes(v)) for k, v in txn.cursor(db=self._custody)]

    # results ------------------------------------------------------------------------------------------
    def result(self, tx_id: bytes) -> dict | None:
        with self.env.begin() as txn:
            raw = txn.get(tx_id, db=self._results)
        return None if raw is None else orjson.loads(raw)

    def with_result(self, tx_ids: list[bytes]) -> set[bytes]:
        """Those of ``tx_ids`` that have a result (one read transaction)."""
        with self.env.begin(db=self._results) as txn:
            return {t for t in tx_ids if txn.get(t) is not None}

    def scanned(self) -> int | None:
        """The last kernel block recorded (None: never)."""
        with self.env.begin() as txn:
            raw = txn.get(b"scanned", db=self._meta)
        return None if raw is None else _U64.unpack(raw)[0]

    def record(self, results: dict[bytes, dict], released: list[tuple[bytes, int]], scanned: int) -> None:
        """Write results (tx id → result), end the custody of ``released`` (tx id, accepted ms) and set
        ``scanned``, in one transaction; results of blocks at or below ``scanned − keep_blocks`` are
        forgotten."""
        horizon = scanned - self.keep_blocks

        def put(txn) -> None:
            for tx_id, r in results.items():
                txn.put(tx_id, orjson.dumps(r), db=self._results)
                txn.put(_POS.pack(r["block"], r["position"]), tx_id, db=self._by_block)
            for tx_id, accepted_ms in released:
                txn.delete(_U64.pack(accepted_ms) + tx_id, db=self._custody)
            txn.put(b"scanned", _U64.pack(scanned), db=self._meta)
            if horizon > 0:
                cur = txn.cursor(db=self._by_block)
                while cur.first() and _POS.unpack(cur.key())[0] <= horizon:
                    tx_id = bytes(cur.value())
                    stored = txn.get(tx_id, db=self._results)
                    if stored is not None and orjson.loads(stored)["block"] <= horizon:
                        txn.delete(tx_id, db=self._results)
                    cur.delete()
        self._write(put)
