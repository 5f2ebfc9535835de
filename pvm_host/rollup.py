"""A local rollup: PVM state + kernel engine + optional crash-safe persistence. The host's Python API.

Example (wasm kernel, persisted)::

    from pvm_host.rollup import Rollup
    from pvm_host.inbox import external

    rollup = Rollup.open(state_dir=Path("st"), kernel=Path("k.wasm").read_bytes())
    report = rollup.run_level([external(b"hello")])    # SOL, IPL, 01 68656c6c6f, EOL
    print(report.debug, report.outbox, report.ticks, rollup.status)
    rollup.read("/some/key"); rollup.subkeys("/some"); rollup.outbox_at(0); rollup.root_hash()
    rollup.close()

Native kernel_py execution: ``Rollup.open(native="kernel_py.kernel")`` (module name or ``.py`` path).
Without ``state_dir`` everything stays in memory. With one, each completed level is committed in
one LMDB transaction (:mod:`pvm_host.storage`) and ``Rollup.open`` on the same directory resumes from
the last completed level (the kernel and address arguments are then ignored: the stored ones win).

Levels: the first level is ``first_level`` (default 0, like the octez debugger's first inbox with
origination level 0); each :meth:`Rollup.run_level` runs the next one.
"""

from __future__ import annotations

import threading
from pathlib import Path

from pvm_host.dal import DalReveals
from pvm_host.durable import DurableTree
from pvm_host.inbox import ZERO_HASH, external
from pvm_host.lifecycle import Engine, LevelReport, originate, run_level
from pvm_host.pvm import PvmState
from pvm_host.storage import RollupMeta, StateStore
from pvm_spec.b58 import encode as b58encode
from pvm_spec.b58 import rollup_address as decode_rollup_address
from pvm_spec.constants import DEFAULT_ROLLUP_ADDRESS, DEFAULT_TICK_BUDGET, KERNEL_KEY, VERSION_KEY


class Rollup:
    """One rollup instance; construct with :meth:`open`."""

    def __init__(self, pvm: PvmState, engine: Engine, meta: RollupMeta, store: StateStore | None) -> None:
        self.pvm = pvm
        self.engine = engine
        self.meta = meta
        self.store = store
        self._queue: list[tuple[int, bytes]] = store.load_queue() if store is not None else []
        self._next_seq = self._queue[-1][0] + 1 if self._queue else 0
        self.queued_bytes = sum(len(p) for _, p in self._queue)
        self.last_dequeued = 0  # messages the last queued level took
        self._queue_lock = threading.Lock()  # enqueue may run while a level runs in another thread

    @classmethod
    def open(
        cls,
        state_dir: Path | None = None,
        kernel: bytes | None = None,
        native: str | None = None,
        rollup_address: str = DEFAULT_ROLLUP_ADDRESS,
        origination_level: int = 0,
        first_level: int | None = None,
        preimages_dir: Path | None = None,
        tick_budget: int = DEFAULT_TICK_BUDGET,
        setup: list[tuple[str, str, bytes | str]] | None = None,
        dal: DalReveals | None = None,
        tick_model: str = "reference",
    ) -> Rollup:
        """Open (or create) a rollup; ``kernel`` (wasm bytes) or ``native`` selects the engine.

        ``setup`` is a list of installer instructions applied once at creation (see :mod:`pvm_host.setup_file`);
        ``dal`` answers the DAL reveals (``02`` pages, ``03`` parameters; none: they reveal 0 bytes).
        ``tick_model`` is ``reference`` (the reference PVM's tick counts) or ``fuel`` (faster, lower counts).
        """
        engine: Engine
        if native is not None:
            from pvm_host.native import NativeEngine

            engine = NativeEngine(native)
        else:
            from pvm_host.wasm_engine import WasmEngine

            engine = WasmEngine(tick_budget=tick_budget, tick_model=tick_model)
        store = StateStore(state_dir) if state_dir is not None else None
        try:
            return cls._load(engine, store, kernel, native is not None, rollup_address, origination_level,
                             first_level, preimages_dir, setup, dal)
        except BaseException:
            if store is not None:
                store.close()
            raise

    @classmethod
    def _load(
        cls,
        engine: Engine,
        store: StateStore | None,
        kernel: bytes | None,
        native: bool,
        rollup_address: str,
        origination_level: int,
        first_level: int | None,
        preimages_dir: Path | None,
        setup: list[tuple[str, str, bytes | str]] | None,
        dal: DalReveals | None = None,
    ) -> Rollup:
        meta = store.load_meta() if store is not None else None
        if meta is not None:
            assert store is not None
            durable = store.load_durable()
        else:
            durable = DurableTree()
            meta = RollupMeta(
                rollup_address=rollup_address,
                origination_level=origination_level,
                next_level=origination_level if first_level is None else first_level,
            )
        pvm = PvmState(durable, decode_rollup_address(meta.rollup_address), meta.origination_level, preimages_dir, dal)
        if meta.levels_done and not native and durable.get(KERNEL_KEY) is None:
            raise ValueError("this rollup has no /kernel/boot.wasm (it ran a native kernel): pass the native module")
        rollup = cls(pvm, engine, meta, store)
        if durable.get(VERSION_KEY) is None:
            if kernel is None and not native:
                raise ValueError("a new rollup needs a kernel (wasm bytes) or a native module")
            originate(pvm, kernel)
            if setup:
                from pvm_host.setup_file import apply_setup

                apply_setup(pvm, setup)
            rollup._commit({})
        return rollup

    # ---- running -----------------------------------------------------------------------------

    def run_level(self, messages: list[bytes], timestamp: int = 0, predecessor: bytes = ZERO_HASH) -> LevelReport:
        """Run the next level with these serialized user messages (between SOL/IPL and EOL).

        If it raises :class:`pvm_host.pvm.MissingPreimage`, nothing of the level is committed but the
        in-memory state is partly updated: close and re-open the rollup (persisted) to retry.
        """
        return self._run(messages, timestamp, predecessor, None)

    def _run(self, messages: list[bytes], timestamp: int, predecessor: bytes, dequeued: list[int] | None) -> LevelReport:
        level = self.meta.next_level
        report = run_level(self.pvm, self.engine, level, messages, timestamp, predecessor, self.meta.stuck)
        self.meta.next_level = level + 1
        self.meta.stuck = report.stuck
        self.meta.total_ticks += report.ticks
        self.meta.levels_done += 1
        self._commit({level: report.outbox}, dequeued)
        return report

    def enqueue(self, payloads: list[bytes]) -> list[int]:
        """Queue external payloads (without the ``01`` tag) for :meth:`run_queued_level`; persisted
        before returning when the rollup has a state directory. Thread-safe. Returns their sequence
        numbers (increasing; they restart from 0 when the rollup is opened with an empty queue)."""
        with self._queue_lock:
            if self.store is not None:
                self.store.enqueue(self._next_seq, payloads)
            entries = [(self._next_seq + i, p) for i, p in enumerate(payloads)]
            self._queue += entries
            self._next_seq += len(payloads)
            self.queued_bytes += sum(len(p) for p in payloads)
            return [seq for seq, _ in entries]

    def queued(self) -> list[bytes]:
        """Payloads queued and not yet part of a level."""
        with self._queue_lock:
            return [payload for _, payload in self._queue]

    def queued_entries(self) -> list[tuple[int, bytes]]:
        """(sequence number, payload) of the queued payloads, oldest first."""
        with self._queue_lock:
            return list(self._queue)

    def run_queued_level(self, timestamp: int = 0, predecessor: bytes = ZERO_HASH,
                         max_messages: int | None = None, max_bytes: int | None = None,
                         tail: list[bytes] | None = None) -> LevelReport:
        """Run the next level with the queued payloads as external messages, oldest first: all of
        them, or at most ``max_messages`` totalling at most ``max_bytes`` (at least one unless
        ``max_messages`` is 0); the rest
        wait for later levels. The entries taken leave the queue in the same commit as the level,
        so a crash never loses or replays them. ``tail``: serialized messages after the externals
        (before End_of_level), e.g. ``Dal_attested_slots``."""
        with self._queue_lock:
            n, size = 0, 0
            for _, p in self._queue:
                if (max_messages is not None and n >= max_messages) or \
                        (n > 0 and max_bytes is not None and size + len(p) > max_bytes):
                    break
                n, size = n + 1, size + len(p)
            batch, self._queue = self._queue[:n], self._queue[n:]
            self.queued_bytes -= size
            self.last_dequeued = n
        messages = [external(p) for _, p in batch] + list(tail or [])
        return self._run(messages, timestamp, predecessor, [s for s, _ in batch])

    def _commit(self, outbox: dict[int, list[bytes]], dequeued: list[int] | None = None) -> None:
        if self.store is not None:
            self.store.commit(self.pvm.durable, outbox, self.meta, dequeued)
            self.pvm.outbox.clear()
        else:
            self.pvm.durable.take_changes()

    # ---- inspection --------------------------------------------------------------------------

    @property
    def status(self) -> str:
        """``"stuck: <reason>"`` after a permanent failure, else ``"running"``."""
        return f"stuck: {self.meta.stuck}" if self.meta.stuck else "running"

    @property
    def next_level(self) -> int:
        return self.meta.next_level

    @property
    def address(self) -> str:
        return b58encode("sr1", self.pvm.rollup_address)

    def read(self, key: str) -> bytes | None:
        return self.pvm.durable.get(key)

    def read_committed(self, path: tuple[str, ...]) -> bytes | None:
        """The value at ``path`` as of the last completed level; safe while a level runs in another
        thread when the rollup is persisted (in memory it reads the live tree)."""
        return self.pvm.durable.get(path) if self.store is None else self.store.read(path)

    def subkeys_committed(self, path: tuple[str, ...]) -> list[str]:
        """Children of ``path`` as of the last completed level (see :meth:`read_committed`)."""
        return self.pvm.durable.subkeys(path) if self.store is None else self.store.subkeys(path)

    def subkeys(self, key: str) -> list[str]:
        return self.pvm.durable.subkeys(key)

    def outbox_at(self, level: int) -> list[bytes]:
        if self.store is not None:
            return self.store.outbox_at(level)
        return list(self.pvm.outbox.get(level, []))

    def root_hash(self) -> bytes:
        return self.pvm.durable.root_hash()

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None
