"""The PVM kernel lifecycle for one level: boots, reboots, flags, fallback and stuck states.

Follows ``wasm_vm.ml`` (spec §2.4–2.7). For each level:

1. The inbox (SOL, IPL, messages, EOL) is loaded and the outbox moves to the level.
2. While ``/kernel/env/reboot`` holds a value: if the reboot counter is 0 → forced yield
   (``/readonly/kernel/env/too_many_reboot`` is written); else the flag is deleted, the counter is
   decremented (and written, i32 LE, to ``/readonly/kernel/env/reboot_counter``) and the kernel
   boots once (:meth:`Engine.boot`). The counter is 1,001 after every yield, so a level allows one
   boot plus 1,000 reboots.
3. Outcome of a boot: ``OK`` → the stuck and upgrade-error flags are deleted; ``TRAP`` →
   ``/readonly/kernel/env/stuck`` is written, nothing is rolled back; ``LOAD_ERROR`` (decode, float,
   link or init failure) → if a fallback kernel exists and differs, it is copied back to
   ``/kernel/boot.wasm`` and ``/readonly/kernel/env/upgrade_error`` written, else permanent stuck;
   ``NO_KERNEL_RUN`` / ``OUT_OF_TICKS`` / ``EVAL_ERROR`` → permanent stuck (the kernel never runs
   again; later levels only consume their inputs).
4. Yield: unread inputs are dropped, the reboot flag is set again, the counter reset to 1,001;
   ``too_many_reboot`` is deleted on a normal yield.

Engines (the wasm host in :mod:`pvm_host.wasm_engine`, CPython in :mod:`pvm_host.native`) implement
:class:`Engine`; the fallback kernel is saved by the engine once a kernel has loaded
(:func:`save_fallback_kernel`).
"""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass, field
from typing import Protocol

from pvm_host.inbox import ZERO_HASH, level_inbox
from pvm_host.pvm import PvmState
from pvm_spec.constants import (
    FALLBACK_KERNEL_KEY,
    KERNEL_KEY,
    MAX_REBOOTS_PER_INPUT,
    REBOOT_COUNTER_KEY,
    REBOOT_FLAG_KEY,
    STUCK_FLAG_KEY,
    TOO_MANY_REBOOT_KEY,
    UPGRADE_ERROR_KEY,
    VERSION_KEY,
    WASM_VERSION,
)


class Outcome(enum.Enum):
    OK = "ok"
    TRAP = "trap"
    LOAD_ERROR = "load_error"
    NO_KERNEL_RUN = "no_kernel_run"
    OUT_OF_TICKS = "out_of_ticks"
    EVAL_ERROR = "eval_error"


PERMANENT = {Outcome.NO_KERNEL_RUN, Outcome.OUT_OF_TICKS, Outcome.EVAL_ERROR}


@dataclass
class BootResult:
    outcome: Outcome
    ticks: int = 0
    detail: str = ""


class Engine(Protocol):
    """Runs the kernel once (load + ``kernel_run``) against ``pvm``."""

    def boot(self, pvm: PvmState) -> BootResult: ...


@dataclass
class LevelReport:
    """What happened at one level."""

    level: int
    boots: int = 0
    ticks: int = 0
    tick_model: str = ""  # how ticks were counted: "reference", "fuel", or "" (native: not metered)
    seconds: float = 0.0
    outcomes: list[str] = field(default_factory=list)
    debug: list[bytes] = field(default_factory=list)
    outbox: list[bytes] = field(default_factory=list)
    dropped_inputs: int = 0
    forced_yield: bool = False
    stuck: str = ""  # permanent stuck reason ("" when healthy)


def originate(pvm: PvmState, kernel: bytes | None) -> None:
    """Install a boot sector as the PVM does at origination (``None``: native kernel, no binary)."""
    durable = pvm.durable
    if kernel is not None:
        durable.set(KERNEL_KEY, kernel)
    durable.set(REBOOT_FLAG_KEY, b"")
    durable.set(VERSION_KEY, WASM_VERSION)
    write_reboot_counter(pvm, MAX_REBOOTS_PER_INPUT + 1)


def save_fallback_kernel(pvm: PvmState) -> None:
    """Copy ``/kernel/boot.wasm`` to the fallback key if it differs (called once a kernel loaded)."""
    durable = pvm.durable
    kernel = durable.get(KERNEL_KEY)
    if kernel is not None and durable.get(FALLBACK_KERNEL_KEY) != kernel:
        durable.copy_tree(KERNEL_KEY, FALLBACK_KERNEL_KEY)


def write_reboot_counter(pvm: PvmState, value: int) -> None:
    pvm.durable.remove(REBOOT_COUNTER_KEY)
    pvm.durable.set(REBOOT_COUNTER_KEY, value.to_bytes(4, "little", signed=True))


def reboot_counter(pvm: PvmState) -> int:
    raw = pvm.durable.get(REBOOT_COUNTER_KEY)
    return MAX_REBOOTS_PER_INPUT + 1 if raw is None else int.from_bytes(raw, "little", signed=True)


def run_level(
    pvm: PvmState,
    engine: Engine,
    level: int,
    messages: list[bytes],
    timestamp: int = 0,
    predecessor: bytes = ZERO_HASH,
    stuck: str = "",
) -> LevelReport:
    """Run one level; ``stuck`` is the current permanent stuck reason ("" if none)."""
    report = LevelReport(level=level, stuck=stuck, tick_model=getattr(engine, "tick_model", ""))
    started = time.perf_counter()
    first_debug = len(pvm.debug_log)
    pvm.load_inbox(level, level_inbox(messages, timestamp, predecessor))
    durable = pvm.durable
    counter = reboot_counter(pvm)
    while not report.stuck and durable.get(REBOOT_FLAG_KEY) is not None:
        if counter <= 0:
            report.forced_yield = True
            durable.set(TOO_MANY_REBOOT_KEY, b"")
            break
        durable.remove(REBOOT_FLAG_KEY)
        counter -= 1
        write_reboot_counter(pvm, counter)
        result = engine.boot(pvm)
        report.boots += 1
        report.ticks += result.ticks
        report.outcomes.append(result.outcome.value + (f": {result.detail}" if result.detail else ""))
        if result.outcome is Outcome.OK:
            durable.remove(STUCK_FLAG_KEY)
            durable.remove(UPGRADE_ERROR_KEY)
        elif result.outcome is Outcome.TRAP:
            durable.set(STUCK_FLAG_KEY, b"")
        elif result.outcome is Outcome.LOAD_ERROR:
            fallback = durable.get(FALLBACK_KERNEL_KEY)
            if fallback is not None and fallback != durable.get(KERNEL_KEY):
                durable.copy_tree(FALLBACK_KERNEL_KEY, KERNEL_KEY)
                durable.set(UPGRADE_ERROR_KEY, b"")
            else:
                report.stuck = "no_fallback_kernel: " + result.detail
        else:
            report.stuck = result.outcome.value + (f": {result.detail}" if result.detail else "")
    if not report.stuck and not report.forced_yield:
        durable.remove(TOO_MANY_REBOOT_KEY)
    report.dropped_inputs = pvm.drop_inputs()
    if not report.stuck:
        durable.set(REBOOT_FLAG_KEY, b"")
        write_reboot_counter(pvm, MAX_REBOOTS_PER_INPUT + 1)
    report.debug = pvm.debug_log[first_debug:]
    del pvm.debug_log[first_debug:]
    report.outbox = list(pvm.outbox.get(level, []))
    report.seconds = time.perf_counter() - started
    return report
