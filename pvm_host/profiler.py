"""Tick profiler: per-function tick accounting of kernel runs, exact to the tick (``dsn kernel profile``).

:class:`ProfilingEngine` is a :class:`~pvm_host.wasm_engine.WasmEngine` that boots the kernel rewritten by
:mod:`pvm_host.profile_instrument` (same tick model, same host functions) and, after each ``kernel_run``,
reads the calling-context tree the kernel built into a :class:`Profile`: ticks per call stack. Host-call
charges go to a leaf frame named after the host function under the wasm function that called it; the
decode/link/init ticks of each boot (reference model) go to the frame :data:`LOAD_FRAME`. Every tick the
engine reports for a boot lands in exactly one stack, so :attr:`Profile.total` equals the ticks of the
same replay on the plain engine. Frames are named from the wasm name section (``func[N]`` without one).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import struct
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from wasmtime import Engine, FuncType, Instance, Module, Store

from pvm_host.lifecycle import BootResult
from pvm_host.profile_instrument import (
    COUNT_EXPORT,
    COUNTER_EXPORT,
    IMPORT_EXPORT,
    LAST_EXPORT,
    MEMORY_EXPORT,
    NODE_EXPORT,
    NODE_SIZE,
    NODES,
    Unsupported,
    instrument_profile,
)
from pvm_host.pvm import PvmState
from pvm_host.wasm_engine import SIGNATURES, HostCalls, LoadedKernel, WasmEngine, pvm_config
from pvm_spec.constants import DEFAULT_TICK_BUDGET, KERNEL_KEY
from pvm_spec.wasm_binary import WasmReader

LOAD_FRAME = "[decode, link, init]"
ROOT_FRAME = "[host]"
_NODE = struct.Struct("<iiqqi4x")


class ProfileError(Exception):
    """The kernel cannot be profiled (not a valid kernel, or code the profiler does not cover)."""


_RUST_ESCAPES = {"$SP$": "@", "$BP$": "*", "$RF$": "&", "$LT$": "<", "$GT$": ">", "$LP$": "(", "$RP$": ")",
                 "$C$": ",", "$u20$": " ", "$u27$": "'", "$u5b$": "[", "$u5d$": "]", "$u7b$": "{", "$u7d$": "}",
                 "$u7e$": "~", "$u3b$": ";", "$u2b$": "+", "$u22$": '"'}


def demangle(name: str) -> str:
    """A Rust legacy symbol (``_ZN…E``) as ``path::to::item`` (hash dropped); anything else unchanged."""
    match = re.fullmatch(r"_?_ZN((?:\d+.+?)+)E(?:\.\S*)?", name)
    if match is None:
        return name
    body, parts, pos = match.group(1), [], 0
    while pos < len(body):
        digits = re.match(r"\d+", body[pos:])
        if digits is None:
            return name
        start = pos + len(digits.group())
        length = int(digits.group())
        if start + length > len(body):
            return name
        parts.append(body[start : start + length])
        pos = start + length
    if len(parts) > 1 and re.fullmatch(r"h[0-9a-f]{16}", parts[-1]):
        parts.pop()
    text = "::".join(p[1:] if p.startswith("_$") else p for p in parts)
    text = text.replace("..", "::")
    for escape, char in _RUST_ESCAPES.items():
        text = text.replace(escape, char)
    return text


def function_names(wasm: bytes) -> list[str]:
    """A label per function index (imports first): the name section's name (Rust symbols demangled), else
    its export name, else its import name (``smart_rollup_core`` functions), else ``func[N]``; repeated
    names get their ``[N]`` appended."""
    labels: list[str] = []
    named: dict[int, str] = {}
    exported: dict[int, str] = {}
    r = WasmReader(wasm, 8)
    while r.pos < len(wasm):
        sid, size = r.byte(), r.uleb()
        end = r.pos + size
        if sid == 2:
            for _ in range(r.uleb()):
                r.name()
                name, kind = r.name(), r.byte()
                if kind == 0:
                    r.uleb()
                    labels.append(name)
                elif kind in (1, 2):
                    if kind == 1:
                        r.byte()
                    flags = r.byte()
                    r.uleb()
                    if flags & 1:
                        r.uleb()
                else:
                    r.skip(2)
        elif sid == 7:
            for _ in range(r.uleb()):
                name, kind, index = r.name(), r.byte(), r.uleb()
                if kind == 0:
                    exported.setdefault(index, name)
        elif sid == 3:
            labels += [f"func[{len(labels) + i}]" for i in range(r.uleb())]
        elif sid == 0 and r.name() == "name":
            while r.pos < end:
                sub, sub_size = r.byte(), r.uleb()
                sub_end = r.pos + sub_size
                if sub == 1:
                    for _ in range(r.uleb()):
                        index = r.uleb()
                        named[index] = r.name()
                r.pos = sub_end
        r.pos = end
    for index, name in [*exported.items(), *named.items()]:
        if index < len(labels) and name:
            labels[index] = demangle(name)
    seen: dict[str, int] = defaultdict(int)
    for label in labels:
        seen[label] += 1
    return [f"{label}[{i}]" if seen[label] > 1 else label for i, label in enumerate(labels)]


@dataclass
class FunctionRow:
    """One function's line of the top-N table."""

    name: str
    calls: int
    self_ticks: int  # ticks of its own code (a host function: its charges)
    host_ticks: int  # charges of the host calls it made
    inclusive: int  # everything while it was on the stack (counted once under recursion)
    host: bool


@dataclass
class Profile:
    """Ticks and calls per call stack (tuples of frame names, outermost first)."""

    tick_model: str
    stacks: dict[tuple[str, ...], list[int]] = field(default_factory=dict)  # stack -> [ticks, calls]
    host_frames: set[str] = field(default_factory=set)

    def add(self, stack: tuple[str, ...], ticks: int, calls: int = 0) -> None:
        entry = self.stacks.setdefault(stack, [0, 0])
        entry[0] += ticks
        entry[1] += calls

    @property
    def total(self) -> int:
        return sum(ticks for ticks, _ in self.stacks.values())

    def functions(self) -> list[FunctionRow]:
        """Per-function rows, by inclusive then self ticks."""
        rows: dict[str, FunctionRow] = {}

        def row(name: str) -> FunctionRow:
            if name not in rows:
                rows[name] = FunctionRow(name, 0, 0, 0, 0, name in self.host_frames)
            return rows[name]

        for stack, (ticks, calls) in self.stacks.items():
            leaf = row(stack[-1])
            leaf.self_ticks += ticks
            leaf.calls += calls
            if leaf.host and len(stack) > 1:
                row(stack[-2]).host_ticks += ticks
            for name in set(stack):
                row(name).inclusive += ticks
        return sorted(rows.values(), key=lambda r: (-r.inclusive, -r.self_ticks, r.name))

    def components(self, rules: list[tuple[str, str]], host: str, default: str = "other") -> dict[str, int]:
        """Ticks per component: a stack goes to the component of the first frame, from its leaf up, whose
        name starts with a ``rules`` prefix; host-function leaves go to ``host``; the rest to ``default``."""
        out: dict[str, int] = defaultdict(int)
        for stack, (ticks, _) in self.stacks.items():
            component = host if stack[-1] in self.host_frames else None
            for frame in reversed(stack):
                if component is not None:
                    break
                component = next((c for prefix, c in rules if frame.startswith(prefix)), None)
            out[component or default] += ticks
        return dict(out)

    def collapsed(self) -> str:
        """Collapsed stacks (``flamegraph.pl`` / speedscope input): ``a;b;c ticks`` per line."""
        return "".join(f"{';'.join(stack)} {ticks}\n" for stack, (ticks, _) in sorted(self.stacks.items()) if ticks)

    def speedscope(self, name: str) -> dict[str, Any]:
        """A speedscope file (https://www.speedscope.app/file-format-schema.json): one sampled profile
        whose samples are the stacks, weighted by ticks."""
        frames: dict[str, int] = {}
        samples, weights = [], []
        for stack, (ticks, _) in sorted(self.stacks.items()):
            if ticks:
                samples.append([frames.setdefault(f, len(frames)) for f in stack])
                weights.append(ticks)
        return {
            "$schema": "https://www.speedscope.app/file-format-schema.json",
            "shared": {"frames": [{"name": f} for f in frames]},
            "profiles": [{"type": "sampled", "name": name, "unit": "none", "startValue": 0,
                          "endValue": sum(weights), "samples": samples, "weights": weights}],
            "name": name,
            "activeProfileIndex": 0,
            "exporter": "dsn kernel profile",
        }


class ProfilingEngine(WasmEngine):
    """A wasm engine that profiles every boot into :attr:`profile` (see the module docstring).

    Raises :class:`ProfileError` from :meth:`boot` for a kernel it cannot profile (SIMD code).
    """

    def __init__(self, tick_budget: int = DEFAULT_TICK_BUDGET, tick_model: str = "reference") -> None:
        super().__init__(tick_budget=tick_budget, tick_model=tick_model)
        self.profile = Profile(tick_model)
        self._profiling: tuple[Engine, dict[str, FuncType]] | None = None
        self._labels: dict[bytes, list[str]] = {}
        self._boot: _BootState | None = None

    def _profiling_engine(self) -> tuple[Engine, dict[str, FuncType]]:
        if self._profiling is None:
            cfg = pvm_config(fuel=False)
            cfg.wasm_multi_memory = True  # the profile's own memory; the kernel was checked without it
            self._profiling = (Engine(cfg), {n: FuncType(p, r) for n, (p, r) in SIGNATURES.items()})
        return self._profiling

    def _check(self, binary: bytes) -> LoadedKernel:
        loaded = super()._check(binary)
        if loaded.module is None:
            return loaded
        try:
            code, load_ticks = instrument_profile(binary, self.tick_budget, self.tick_model)
        except Unsupported as exc:
            raise ProfileError(f"cannot be profiled: {exc}") from exc
        engine = self._profiling_engine()
        return dataclasses.replace(loaded, module=Module(engine[0], code), load_ticks=load_ticks, counted=True,
                                   engine=engine)

    def boot(self, pvm: PvmState) -> BootResult:
        binary = pvm.durable.get(KERNEL_KEY) or b""
        digest = hashlib.sha256(binary).digest()
        if digest not in self._labels:
            try:
                self._labels[digest] = function_names(binary)
            except (IndexError, UnicodeDecodeError):
                self._labels[digest] = []
        self._boot = _BootState(self._labels[digest])
        state = self._boot
        try:
            result = super().boot(pvm)
        finally:
            self._boot = None
        if state.exports is not None:
            self._collect(state)
            load = self.load(binary).load_ticks
            if load:
                self.profile.add((LOAD_FRAME,), load, 1)
        elif result.ticks:  # stopped before kernel_run (out of ticks while loading, a start function)
            self.profile.add((LOAD_FRAME,), result.ticks - sum(t for t, _ in state.host.values()), 1)
            for (_, index), (ticks, calls) in state.host.items():
                self.profile.add((LOAD_FRAME, state.label(index) if index >= 0 else "[host function]"), ticks, calls)
        return result

    def _host_calls(self, pvm: PvmState, memory_export: str, func_types: dict[str, FuncType]) -> HostCalls:
        state = self._boot
        assert state is not None
        return _ProfiledHostCalls(pvm, memory_export, func_types, state)

    def _started(self, store: Store, instance: Instance) -> None:
        state = self._boot
        assert state is not None
        state.store, state.exports = store, instance.exports(store)

    def _collect(self, state: _BootState) -> None:
        """Add one boot's calling-context tree and host charges to the profile."""
        store, exports = state.store, state.exports

        def value(name: str) -> int:
            return int(exports[name].value(store))  # type: ignore[union-attr]

        count, current = value(COUNT_EXPORT), value(NODE_EXPORT)
        memory = exports[MEMORY_EXPORT]
        data = memory.read(store, NODES, NODES + (count + 1) * NODE_SIZE)  # type: ignore[union-attr]
        nodes = [list(record) for record in _NODE.iter_unpack(bytes(data))]
        nodes[current][2] += value(COUNTER_EXPORT) - value(LAST_EXPORT)  # the ticks since the last switch
        stacks: list[tuple[str, ...]] = [(ROOT_FRAME,)]
        for parent, func, _, _, _ in nodes[1:]:
            stacks.append((*stacks[parent], state.label(func)) if parent else (state.label(func),))
        for node, (_, _, ticks, calls, _) in enumerate(nodes):
            if ticks or calls:
                self.profile.add(stacks[node], ticks, calls)
        for (node, index), (ticks, calls) in state.host.items():
            frame = state.label(index) if index >= 0 else "[host function]"
            self.profile.host_frames.add(frame)
            self.profile.add((*stacks[node], frame), ticks, calls)


class _BootState:
    """What the profiler collects during one boot."""

    def __init__(self, labels: list[str]) -> None:
        self.labels = labels
        self.host: dict[tuple[int, int], list[int]] = {}  # (node, import index) -> [ticks, charged calls]
        self.store: Store | None = None
        self.exports: Any = None  # the instance's exports once instantiated

    def label(self, func: int) -> str:
        return self.labels[func] if 0 <= func < len(self.labels) else f"func[{func}]"

    def charge(self, ticks: int) -> None:
        """A host function's ticks, charged to the node and import the kernel is in (the root before
        ``kernel_run``, e.g. in a start function)."""
        node, index = 0, -1
        if self.exports is not None:
            node = int(self.exports[NODE_EXPORT].value(self.store))
            index = int(self.exports[IMPORT_EXPORT].value(self.store))
        entry = self.host.setdefault((node, index), [0, 0])
        entry[0] += ticks
        entry[1] += 1


class _ProfiledHostCalls(HostCalls):
    """Host functions whose tick charges (every increment of :attr:`ticks`) are reported to the profiler."""

    def __init__(self, pvm: PvmState, memory_export: str, func_types: dict[str, FuncType], state: _BootState) -> None:
        self._state: _BootState | None = None
        self._ticks = 0
        super().__init__(pvm, memory_export, func_types)
        self._state = state

    @property  # type: ignore[override]
    def ticks(self) -> int:
        return self._ticks

    @ticks.setter
    def ticks(self, value: int) -> None:
        if self._state is not None and value != self._ticks:
            self._state.charge(value - self._ticks)
        self._ticks = value
