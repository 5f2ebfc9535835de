"""The wasm engine: boots ``/kernel/boot.wasm`` on wasmtime with the ``smart_rollup_core`` host ABI.

Each boot (one ``kernel_run`` call) compiles the kernel (cached by SHA-256 of the bytes), checks it
like the PVM decoder and linker do, instantiates it in a fresh store and calls ``kernel_run``:

- decode: wasmtime validation with the PVM feature set (no threads, memory64, tail calls, GC,
  exceptions, multi-memory, relaxed SIMD) plus the float ban (:mod:`pvm_spec.wasm_binary`);
- link: every import must be a ``smart_rollup_core`` function of revision ``2.0.0-r5`` (no ``nds_*``)
  with its exact type;
- init: memory 0 must be exported, and the start function (if any) must not trap;
- failure of any of these → ``LOAD_ERROR`` (the lifecycle restores the fallback kernel); no
  ``kernel_run: [] -> []`` export → ``NO_KERNEL_RUN`` (permanent stuck).

Ticks follow one of two models (``tick_model``):

- ``reference`` (default): the reference PVM's small-step costs (:mod:`pvm_host.tick_model`): the
  kernel is instrumented with a tick counter (:mod:`pvm_host.tick_instrument`), decode/link/init ticks
  are charged from the module's contents, host calls add their ``host_funcs.ml`` costs;
- ``fuel``: wasmtime fuel (≈ one per wasm instruction) plus the host-call costs; faster, several times
  lower than the reference (also used for kernels with SIMD, which the reference model does not cover).

The budget per boot is ``tick_budget`` (default 50e12; 11e9 for pre-Paris protocols); running out is
``OUT_OF_TICKS`` (permanent stuck); a wasm stack overflow is ``EVAL_ERROR`` (permanent). Any other
trap is ``TRAP``.

Host functions cross the Python/wasm boundary once per call (unchecked callbacks, see
:class:`HostCalls`) and move memory by slicing a view of linear memory (no foreign call per host call). Pointers and lengths are unsigned i32; memory checks are ``addr + len <= size``
except ``read_input``, which (like the PVM) requires ``addr + len < size`` for both regions.
"""

from __future__ import annotations

import ctypes
import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable

import wasmtime
from wasmtime import Config, Engine, Func, FuncType, Instance, Module, Store, Trap, TrapCode, ValType, WasmtimeError
from wasmtime import _ffi as ffi

from pvm_host.lifecycle import BootResult, Outcome, save_fallback_kernel
from pvm_host.pvm import PvmState
from pvm_host.tick_instrument import COUNTER_EXPORT, Unsupported, instrument
from pvm_host.tick_model import HostTicks
from pvm_spec.abi import IMPORTS, link_error
from pvm_spec.constants import (
    DEFAULT_TICK_BUDGET,
    INPUT_OUTPUT_TOO_LARGE,
    KERNEL_KEY,
    MAX_IO_SIZE,
    MAX_KEY_LENGTH,
    MEMORY_INVALID_ACCESS,
    STORE_KEY_TOO_LARGE,
)
from pvm_spec.wasm_binary import find_float

_NO_FINALIZER = ctypes.CFUNCTYPE(None, ctypes.c_void_p)(lambda _env: None)
TICK_MODELS = ("reference", "fuel")
_U32 = 0xFFFF_FFFF

_VALTYPES = {"i32": ValType.i32(), "i64": ValType.i64()}
# name -> (params, results), revision 2.0.0-r5 (pvm_spec.abi)
SIGNATURES: dict[str, tuple[list[ValType], list[ValType]]] = {
    name: ([_VALTYPES[p] for p in f.params], [_VALTYPES[r] for r in f.results]) for name, f in IMPORTS.items()
}


def pvm_config(fuel: bool = True) -> Config:
    """wasmtime configuration matching the PVM's accepted feature set (with fuel metering if ``fuel``)."""
    cfg = Config()
    cfg.consume_fuel = fuel
    cfg.wasm_threads = False
    cfg.wasm_memory64 = False
    cfg.wasm_tail_call = False
    cfg.wasm_gc = False
    cfg.wasm_function_references = False
    cfg.wasm_exceptions = False
    cfg.wasm_multi_memory = False
    cfg.wasm_relaxed_simd = False
    cfg.wasm_wide_arithmetic = False
    cfg.wasm_stack_switching = False
    cfg.wasm_component_model = False
    # a 32-bit memory's whole range is reserved up front and never moves when it grows, so the host's
    # view of linear memory (HostCalls) stays valid for the instance's lifetime
    cfg.memory_reservation = 1 << 32
    cfg.memory_may_move = False
    return cfg


@dataclass
class LoadedKernel:
    """A compiled kernel, or why it cannot run."""

    module: Module | None
    error: str = ""  # decode/link/init error → LOAD_ERROR
    memory_export: str = ""
    has_kernel_run: bool = False
    import_names: tuple[str, ...] = ()
    load_ticks: int = 0  # reference model: decode + link + init (+ run overhead)
    counted: bool = False  # reference model: the module carries the tick counter
    engine: Any = None  # the (wasmtime engine, host function types) it was compiled for


class WasmEngine:
    """Boots wasm kernels from the durable storage; see the module docstring."""

    def __init__(self, tick_budget: int = DEFAULT_TICK_BUDGET, cache_size: int = 8,
                 tick_model: str = "reference") -> None:
        if tick_model not in TICK_MODELS:
            raise ValueError(f"unknown tick model {tick_model!r} (expected one of {', '.join(TICK_MODELS)})")
        self.tick_budget = tick_budget
        self.tick_model = tick_model
        self._engines: dict[bool, tuple[Engine, dict[str, FuncType]]] = {}
        self._cache: OrderedDict[bytes, LoadedKernel] = OrderedDict()
        self._cache_size = cache_size

    def _engine(self, fuel: bool) -> tuple[Engine, dict[str, FuncType]]:
        if fuel not in self._engines:
            engine = Engine(pvm_config(fuel))
            types = {name: FuncType(params, results) for name, (params, results) in SIGNATURES.items()}
            self._engines[fuel] = (engine, types)
        return self._engines[fuel]

    # ---- loading -----------------------------------------------------------------------------

    def load(self, binary: bytes) -> LoadedKernel:
        """Compile and check a kernel binary (cached by hash)."""
        digest = hashlib.sha256(binary).digest()
        cached = self._cache.get(digest)
        if cached is not None:
            self._cache.move_to_end(digest)
            return cached
        loaded = self._check(binary)
        self._cache[digest] = loaded
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return loaded

    def _check(self, binary: bytes) -> LoadedKernel:
        if not binary.startswith(b"\x00asm"):  # wasmtime would also accept WAT text; the PVM does not
            return LoadedKernel(None, "decode error: not a wasm binary (bad magic)")
        engine = self._engine(self.tick_model == "fuel")
        try:
            Module.validate(engine[0], binary)
        except WasmtimeError as exc:
            lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
            return LoadedKernel(None, f"decode error: {lines[-1] if lines else 'invalid module'}")
        try:
            floats = find_float(binary)
        except (IndexError, UnicodeDecodeError) as exc:
            return LoadedKernel(None, f"decode error: {exc!r}")
        if floats:
            return LoadedKernel(None, f"decode error: float instructions are forbidden ({floats})")
        load_ticks, counted, code = 0, False, binary
        if self.tick_model == "reference":
            try:
                counted_module = instrument(binary, self.tick_budget)
                load_ticks, counted, code = counted_module.load_ticks, True, counted_module.binary
            except Unsupported:
                engine = self._engine(True)  # fuel counting for what the reference model does not cover
        module = Module(engine[0], code)
        for imp in module.imports:
            ty = imp.type
            error = link_error(imp.module, imp.name or "")
            if error is None and not isinstance(ty, FuncType):
                error = f"unknown item {imp.module}.{imp.name}"
            if error is None:
                error = link_error(imp.module, imp.name or "", [str(p) for p in ty.params], [str(r) for r in ty.results])
            if error:
                return LoadedKernel(None, f"link error: {error}")
        memory_export = ""
        has_kernel_run = False
        for exp in module.exports:
            if exp.name == COUNTER_EXPORT:
                continue
            if isinstance(exp.type, wasmtime.MemoryType) and not memory_export:
                memory_export = exp.name
            if exp.name == "kernel_run" and isinstance(exp.type, FuncType):
                has_kernel_run = not list(exp.type.params) and not list(exp.type.results)
        if not memory_export:
            return LoadedKernel(None, "init error: memory 0 is not exported")
        names = tuple(imp.name or "" for imp in module.imports)
        return LoadedKernel(module, memory_export=memory_export, has_kernel_run=has_kernel_run, import_names=names,
                            load_ticks=load_ticks, counted=counted, engine=engine)

    # ---- booting -----------------------------------------------------------------------------

    def boot(self, pvm: PvmState) -> BootResult:
        binary = pvm.durable.get(KERNEL_KEY)
        if binary is None:
            return BootResult(Outcome.LOAD_ERROR, detail="decode error: no /kernel/boot.wasm")
        loaded = self.load(binary)
        if loaded.module is None:
            return BootResult(Outcome.LOAD_ERROR, detail=loaded.error)
        if loaded.load_ticks > self.tick_budget:
            return BootResult(Outcome.OUT_OF_TICKS, self.tick_budget, "tick budget exhausted")
        engine, func_types = loaded.engine
        store = Store(engine)
        if not loaded.counted:
            store.set_fuel(self.tick_budget)
        calls = self._host_calls(pvm, loaded.memory_export, func_types)
        imports = [calls.func(store, name) for name in loaded.import_names]
        meter = _Meter(loaded, store, self.tick_budget, calls)
        try:
            instance = Instance(store, loaded.module, imports)
        except (Trap, WasmtimeError) as exc:
            calls.raise_fatal()
            result = meter.classify(exc, None)
            if result.outcome is Outcome.OUT_OF_TICKS:
                return result
            # any other failure while initialising (start trap, stack exhaustion) is an Init error
            return BootResult(Outcome.LOAD_ERROR, result.ticks, f"init error: {result.detail}")
        if not loaded.has_kernel_run:
            return BootResult(Outcome.NO_KERNEL_RUN, detail="no kernel_run: [] -> [] export")
        save_fallback_kernel(pvm)
        exports = instance.exports(store)
        kernel_run = exports["kernel_run"]
        assert isinstance(kernel_run, Func)
        counter = exports[COUNTER_EXPORT] if loaded.counted else None
        self._started(store, instance)
        try:
            kernel_run(store)
        except (Trap, WasmtimeError) as exc:
            calls.raise_fatal()
            return meter.classify(exc, counter)
        ticks = meter.ticks(counter)
        if ticks > self.tick_budget:
            return BootResult(Outcome.OUT_OF_TICKS, ticks, "tick budget exhausted")
        return BootResult(Outcome.OK, ticks)

    def _host_calls(self, pvm: PvmState, memory_export: str, func_types: dict[str, FuncType]) -> HostCalls:
        """The host functions of one boot (a hook for the profiler)."""
        return HostCalls(pvm, memory_export, func_types)

    def _started(self, store: Store, instance: Instance) -> None:
        """Called once the kernel is instantiated, before ``kernel_run`` (a hook for the profiler)."""


class _Meter:
    """Ticks used so far by one boot, in the kernel's tick model."""

    def __init__(self, loaded: LoadedKernel, store: Store, budget: int, calls: HostCalls) -> None:
        self.loaded, self.store, self.budget, self.calls = loaded, store, budget, calls

    def ticks(self, counter: Any) -> int:
        if not self.loaded.counted:
            return self.budget - self.store.get_fuel() + self.calls.ticks
        counted = counter.value(self.store) if isinstance(counter, wasmtime.Global) else 0
        return self.loaded.load_ticks + counted + self.calls.ticks

    def classify(self, exc: Exception, counter: Any) -> BootResult:
        ticks = self.ticks(counter)
        code = getattr(exc, "trap_code", None)
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        message = lines[-1] if lines else type(exc).__name__
        if code == TrapCode.OUT_OF_FUEL or ticks > self.budget:
            return BootResult(Outcome.OUT_OF_TICKS, ticks, "tick budget exhausted")
        if code == TrapCode.STACK_OVERFLOW:
            return BootResult(Outcome.EVAL_ERROR, ticks, "call stack exhausted")
        return BootResult(Outcome.TRAP, ticks, message)


def _callback(self: HostCalls, name: str, impl: Callable[..., Any]) -> Callable[[Any, Any, Any, int], int]:
    """The unchecked callback of host function ``name``: arguments read and the result written in place
    in the raw value array, with the all-i32 signatures unrolled (no per-call tuple or lambda)."""
    params, results = SIGNATURES[name]
    kinds = tuple(str(p) for p in params)
    result_kind = str(results[0]) if results else ""

    def fail(exc: BaseException) -> int:  # re-raised by raise_fatal() once wasm has unwound
        self.fatal = exc
        return ctypes.cast(Trap(f"host error in {name}: {exc!r}")._consume(), ctypes.c_void_p).value or 0

    if result_kind == "i32" and kinds == ("i32",) * len(kinds) and len(kinds) in (2, 3, 4, 5):
        if len(kinds) == 2:
            def callback(_env: Any, caller: Any, a: Any, _n: int) -> int:
                self._caller = caller
                try:
                    a[0].i32 = impl(a[0].i32, a[1].i32)
                except BaseException as exc:
                    return fail(exc)
                return 0
        elif len(kinds) == 3:
            def callback(_env: Any, caller: Any, a: Any, _n: int) -> int:
                self._caller = caller
                try:
                    a[0].i32 = impl(a[0].i32, a[1].i32, a[2].i32)
                except BaseException as exc:
                    return fail(exc)
                return 0
        elif len(kinds) == 4:
            def callback(_env: Any, caller: Any, a: Any, _n: int) -> int:
                self._caller = caller
                try:
                    a[0].i32 = impl(a[0].i32, a[1].i32, a[2].i32, a[3].i32)
                except BaseException as exc:
                    return fail(exc)
                return 0
        else:
            def callback(_env: Any, caller: Any, a: Any, _n: int) -> int:
                self._caller = caller
                try:
                    a[0].i32 = impl(a[0].i32, a[1].i32, a[2].i32, a[3].i32, a[4].i32)
                except BaseException as exc:
                    return fail(exc)
                return 0
        return callback
    if not result_kind and kinds == ("i32", "i32"):  # write_debug
        def no_result(_env: Any, caller: Any, a: Any, _n: int) -> int:
            self._caller = caller
            try:
                impl(a[0].i32, a[1].i32)
            except BaseException as exc:
                return fail(exc)
            return 0
        return no_result

    def generic(_env: Any, caller: Any, a: Any, _n: int) -> int:
        self._caller = caller
        try:
            result = impl(*(a[i].i32 if kind == "i32" else a[i].i64 for i, kind in enumerate(kinds)))
            if result_kind == "i32":
                a[0].i32 = result
            elif result_kind == "i64":
                a[0].i64 = result
        except BaseException as exc:
            return fail(exc)
        return 0

    return generic


class HostCalls:
    """The ``smart_rollup_core`` functions of one kernel instance, bound to a :class:`PvmState`.

    Functions are created with wasmtime's *unchecked* C API (``wasmtime_func_new_unchecked``): the
    callback reads its arguments from the raw value array and writes the result in place, which
    avoids wasmtime-py's per-call value conversions. Linear memory is a ``memoryview`` over wasmtime's
    buffer, slices of which are read and written directly: no foreign call per host call. The view
    is refreshed (one query of the memory's size through the caller) only when an access ends past
    it: linear memory never shrinks, and :func:`pvm_config` keeps it from moving when it grows.
    """

    def __init__(self, pvm: PvmState, memory_export: str, func_types: dict[str, FuncType]) -> None:
        self.pvm = pvm
        self.durable = pvm.durable
        self.func_types = func_types  # per engine: wasmtime ties a registered type to one engine
        self.memory_export = memory_export
        self.memory: wasmtime.Memory | None = None
        self._caller: Any = None  # the current call's caller (valid during that call only)
        self._view = memoryview(b"")  # linear memory as of the last refresh
        self._size = 0
        self.ticks = 0
        self.fatal: BaseException | None = None
        self._keep_alive: list[Any] = []

    def func(self, store: Store, name: str) -> Func:
        impl: Callable[..., Any] = getattr(self, "h_" + name.lstrip("_"))
        c_callback = ffi.wasmtime_func_unchecked_callback_t(_callback(self, name, impl))
        self._keep_alive.append(c_callback)
        raw = ffi.wasmtime_func_t()
        ffi.wasmtime_func_new_unchecked(
            store._context(), self.func_types[name].ptr(), c_callback, None, _NO_FINALIZER, ctypes.byref(raw)
        )
        return Func._from_raw(raw)

    def raise_fatal(self) -> None:
        if self.fatal is not None:
            raise self.fatal

    # ---- memory ------------------------------------------------------------------------------

    def _grown(self, end: int) -> bool:
        """Refresh the view of linear memory (it may have grown since); True if ``end`` is within it."""
        context = ffi.wasmtime_caller_context(self._caller)
        if self.memory is None:
            caller = wasmtime.Caller(self._caller)
            memory = caller.get(self.memory_export)
            caller._invalidate()
            assert isinstance(memory, wasmtime.Memory)
            self.memory = memory
        handle = ctypes.byref(self.memory._memory)
        size = ffi.wasmtime_memory_data_size(context, handle)
        if size != self._size:
            base = ctypes.addressof(ffi.wasmtime_memory_data(context, handle).contents)
            self._view = memoryview((ctypes.c_ubyte * size).from_address(base)).cast("B")
            self._size = size
        return end <= size

    def _read(self, ptr: int, length: int) -> bytes | None:
        ptr &= _U32
        end = ptr + (length & _U32)
        if end > self._size and not self._grown(end):
            return None
        return self._view[ptr:end].tobytes()

    def _write(self, ptr: int, data: bytes) -> bool:
        ptr &= _U32
        end = ptr + len(data)
        if end > self._size and not self._grown(end):
            return False
        self._view[ptr:end] = data
        return True

    def _key(self, ptr: int, length: int) -> bytes | int:
        length &= _U32
        if length > MAX_KEY_LENGTH:
            return STORE_KEY_TOO_LARGE
        ptr &= _U32
        end = ptr + length
        if end > self._size and not self._grown(end):
            return MEMORY_INVALID_ACCESS
        return self._view[ptr:end].tobytes()

    def _charge(self, result: int, ticks: int) -> int:
        if result >= 0:
            self.ticks += ticks
        return result

    # ---- inbox / outbox / debug --------------------------------------------------------------

    def h_read_input(self, info_ptr: int, dst: int, max_bytes: int) -> int:
        if self.pvm.pending_inputs() == 0:
            return 0
        info_ptr &= _U32
        dst &= _U32
        max_bytes &= _U32
        end = max(info_ptr + 8, dst + max_bytes) + 1  # both regions must end strictly inside memory
        if end > self._size and not self._grown(end):
            return MEMORY_INVALID_ACCESS
        message = self.pvm.read_input()
        assert message is not None
        level, index, payload = message
        data = payload[: min(max_bytes, MAX_IO_SIZE)]
        view = self._view
        view[info_ptr : info_ptr + 8] = level.to_bytes(4, "little", signed=True) + index.to_bytes(4, "little")
        view[dst : dst + len(data)] = data
        self.ticks += HostTicks.memory_io(len(data))
        return len(data)

    def h_write_output(self, src: int, length: int) -> int:
        if length & _U32 > MAX_IO_SIZE:
            return INPUT_OUTPUT_TOO_LARGE
        data = self._read(src, length)
        if data is None:
            return MEMORY_INVALID_ACCESS
        return self._charge(self.pvm.write_output(data), HostTicks.memory_io(len(data)))

    def h_write_debug(self, src: int, length: int) -> None:
        src &= _U32
        length &= _U32
        if src + length > self._size:
            self._grown(src + length)
        size = self._size
        if src < size:
            self.pvm.write_debug(self._view[src : min(src + length, size)].tobytes())

    # ---- durable storage ---------------------------------------------------------------------

    def _key_op(self, ptr: int, length: int, op: Callable[[bytes], int]) -> int:
        key = self._key(ptr, length)
        if type(key) is int:
            return key
        result = op(key)
        if result >= 0:
            self.ticks += HostTicks.key_op(len(key))
        return result

    def h_store_has(self, ptr: int, length: int) -> int:
        return self._key_op(ptr, length, self.durable.store_has)

    def h_store_exists(self, ptr: int, length: int) -> int:
        return self._key_op(ptr, length, self.durable.store_exists)

    def h_store_list_size(self, ptr: int, length: int) -> int:
        return self._key_op(ptr, length, self.durable.store_list_size)

    def h_store_delete(self, ptr: int, length: int) -> int:
        return self._key_op(ptr, length, self.durable.store_delete)

    def h_store_delete_value(self, ptr: int, length: int) -> int:
        return self._key_op(ptr, length, self.durable.store_delete_value)

    def h_store_value_size(self, ptr: int, length: int) -> int:
        return self._key_op(ptr, length, self.durable.store_value_size)

    def h_store_create(self, ptr: int, length: int, size: int) -> int:
        return self._key_op(ptr, length, lambda key: self.durable.store_create(key, size))

    def _two_keys(
        self, p1: int, l1: int, p2: int, l2: int, op: Callable[[bytes, bytes], int]
    ) -> int:
        src = self._key(p1, l1)
        if isinstance(src, int):
            return src
        dst = self._key(p2, l2)
        if isinstance(dst, int):
            return dst
        return self._charge(op(src, dst), HostTicks.two_keys(len(src), len(dst)))

    def h_store_copy(self, p1: int, l1: int, p2: int, l2: int) -> int:
        return self._two_keys(p1, l1, p2, l2, self.durable.store_copy)

    def h_store_move(self, p1: int, l1: int, p2: int, l2: int) -> int:
        return self._two_keys(p1, l1, p2, l2, self.durable.store_move)

    def _deliver(self, result: bytes | int, dst: int, extra_ticks: int) -> int:
        if isinstance(result, int):
            return result
        if not self._write(dst, result):
            return MEMORY_INVALID_ACCESS
        self.ticks += extra_ticks + HostTicks.memory_io(len(result))
        return len(result)

    def h_store_read(self, ptr: int, length: int, offset: int, dst: int, max_bytes: int) -> int:
        # _key and _write inlined: the kernel's most frequent calls with store_write
        length &= _U32
        if length > MAX_KEY_LENGTH:
            return STORE_KEY_TOO_LARGE
        ptr &= _U32
        end = ptr + length
        if end > self._size and not self._grown(end):
            return MEMORY_INVALID_ACCESS
        result = self.durable.store_read(self._view[ptr:end].tobytes(), offset, max_bytes & _U32)
        if type(result) is int:
            return result
        dst &= _U32
        end = dst + len(result)
        if end > self._size and not self._grown(end):
            return MEMORY_INVALID_ACCESS
        self._view[dst:end] = result
        self.ticks += HostTicks.key_op(length) + HostTicks.memory_io(len(result))
        return len(result)

    def h_store_write(self, ptr: int, length: int, offset: int, src: int, num: int) -> int:
        # _key and _read inlined (see h_store_read)
        length &= _U32
        if length > MAX_KEY_LENGTH:
            return STORE_KEY_TOO_LARGE
        ptr &= _U32
        end = ptr + length
        if end > self._size and not self._grown(end):
            return MEMORY_INVALID_ACCESS
        key = self._view[ptr:end].tobytes()
        num &= _U32
        if num > MAX_IO_SIZE:
            return INPUT_OUTPUT_TOO_LARGE
        src &= _U32
        end = src + num
        if end > self._size and not self._grown(end):
            return MEMORY_INVALID_ACCESS
        result = self.durable.store_write(key, offset, self._view[src:end].tobytes())
        if result >= 0:
            self.ticks += HostTicks.keyed_io(length, num)
        return result

    def h_store_get_nth_key(self, ptr: int, length: int, index: int, dst: int, max_bytes: int) -> int:
        key = self._key(ptr, length)
        if isinstance(key, int):
            return key
        result = self.durable.store_get_nth_key(key, index)
        if isinstance(result, bytes):
            result = result[: max_bytes & _U32]
        return self._deliver(result, dst, HostTicks.key_op(len(key)))

    def h_internal_store_get_hash(self, ptr: int, length: int, dst: int, max_bytes: int) -> int:
        key = self._key(ptr, length)
        if isinstance(key, int):
            return key
        result = self.durable.store_get_hash(key)
        if isinstance(result, bytes):
            result = result[: max_bytes & _U32]
        return self._deliver(result, dst, HostTicks.key_op(len(key)))

    # ---- reveal ------------------------------------------------------------------------------

    def h_reveal_preimage(self, hash_ptr: int, hash_len: int, dst: int, max_bytes: int) -> int:
        if hash_len & _U32 > MAX_IO_SIZE:
            return INPUT_OUTPUT_TOO_LARGE
        hash33 = self._read(hash_ptr, hash_len)
        if hash33 is None:
            return MEMORY_INVALID_ACCESS
        data = self.pvm.reveal_preimage(hash33, max_bytes & _U32)
        return self._deliver(data, dst, 0)

    def h_reveal_metadata(self, dst: int, max_bytes: int) -> int:
        data = self.pvm.reveal_metadata()[: max_bytes & _U32]
        return self._deliver(data, dst, 0)

    def h_reveal(self, payload_ptr: int, payload_len: int, dst: int, max_bytes: int) -> int:
        if payload_len & _U32 > MAX_IO_SIZE:
            return INPUT_OUTPUT_TOO_LARGE
        request = self._read(payload_ptr, payload_len)
        if request is None:
            return MEMORY_INVALID_ACCESS
        return self._deliver(self.pvm.reveal(request, max_bytes & _U32), dst, 0)
