"""Raw ``smart_rollup_core`` imports for wasmtime, served by a high-level host object.

The high-level interface is :class:`kernel_py.intrinsics.Host` (the same object CPython execution
uses), so one host serves both sides of a differential test. A host that already speaks the raw ABI
provides ``link(linker, store)`` instead and is used as is.
"""

from __future__ import annotations

from typing import Any, Callable

import wasmtime

from kernel_wasm.frontend.intrinsics import RAW_IMPORTS
from pvm_spec.abi import HOST_MODULE

_VT = {"i32": wasmtime.ValType.i32(), "i64": wasmtime.ValType.i64()}


def _functype(name: str) -> wasmtime.FuncType:
    params, results = RAW_IMPORTS[name]
    return wasmtime.FuncType([_VT[p] for p in params], [_VT[r] for r in results])


class _Mem:
    def __init__(self, caller: wasmtime.Caller) -> None:
        self.caller = caller
        self.mem = caller.get("memory")

    def read(self, ptr: int, n: int) -> bytes:
        return bytes(self.mem.read(self.caller, ptr, ptr + n))

    def write(self, ptr: int, data: bytes) -> None:
        self.mem.write(self.caller, data, ptr)


def _raw_functions(host: Any) -> dict[str, Callable[..., Any]]:
    def read_input(m: _Mem, info: int, dst: int, max_bytes: int) -> int:
        msg = host.read_input()
        if msg is None:
            return 0
        level, mid, payload = msg
        m.write(info, (level & 0xFFFFFFFF).to_bytes(4, "little") + (mid & 0xFFFFFFFF).to_bytes(4, "little"))
        data = bytes(payload[:min(max_bytes, 4096)])
        m.write(dst, data)
        return len(data)

    def key_call(method: str) -> Callable[..., int]:
        return lambda m, k, kl: getattr(host, method)(m.read(k, kl))

    def two_keys(method: str) -> Callable[..., int]:
        return lambda m, a, al, b, bl: getattr(host, method)(m.read(a, al), m.read(b, bl))

    def write_output(m: _Mem, src: int, n: int) -> int:
        return host.write_output(m.read(src, n))

    def write_debug(m: _Mem, src: int, n: int) -> None:
        host.write_debug(m.read(src, n))

    def store_read(m: _Mem, k: int, kl: int, off: int, dst: int, max_bytes: int) -> int:
        r = host.store_read(m.read(k, kl), off, max_bytes)
        if isinstance(r, int):
            return r
        m.write(dst, bytes(r))
        return len(r)

    def store_write(m: _Mem, k: int, kl: int, off: int, src: int, n: int) -> int:
        return host.store_write(m.read(k, kl), off, m.read(src, n))

    def store_create(m: _Mem, k: int, kl: int, size: int) -> int:
        return host.store_create(m.read(k, kl), size)

    def reveal_preimage(m: _Mem, h: int, hl: int, dst: int, max_bytes: int) -> int:
        r = host.reveal_preimage(m.read(h, hl), max_bytes)
        if isinstance(r, int):
            return r
        m.write(dst, bytes(r[:max_bytes]))
        return min(len(r), max_bytes)

    def reveal_metadata(m: _Mem, dst: int, max_bytes: int) -> int:
        data = bytes(host.reveal_metadata())[:max_bytes]
        m.write(dst, data)
        return len(data)

    def reveal(m: _Mem, req: int, rl: int, dst: int, max_bytes: int) -> int:
        data = bytes(host.reveal(m.read(req, rl), max_bytes))[:max_bytes]
        m.write(dst, data)
        return len(data)

    return {
        "read_input": read_input, "write_output": write_output, "write_debug": write_debug,
        "store_has": key_call("store_has"), "store_exists": key_call("store_exists"),
        "store_delete": key_call("store_delete"), "store_delete_value": key_call("store_delete_value"),
        "store_value_size": key_call("store_value_size"), "store_list_size": key_call("store_list_size"),
        "store_copy": two_keys("store_copy"), "store_move": two_keys("store_move"),
        "store_read": store_read, "store_write": store_write, "store_create": store_create,
        "reveal_preimage": reveal_preimage, "reveal_metadata": reveal_metadata,
        "reveal": reveal,
    }


def define_imports(linker: wasmtime.Linker, store: wasmtime.Store, host: Any, names: set[str]) -> None:
    """Define the ``smart_rollup_core`` imports in ``names`` on ``linker``.

    ``host``: an object with ``link(linker, store)`` (raw ABI, used as is), a high-level
    :class:`kernel_py.intrinsics.Host`, or None (every import then raises RuntimeError).
    """
    if host is not None and hasattr(host, "link"):
        host.link(linker, store)
        return
    funcs = _raw_functions(host) if host is not None else {}
    for name in names:
        impl = funcs.get(name)

        def call(caller: wasmtime.Caller, *args: int, _impl=impl, _name=name) -> Any:
            if _impl is None:
                raise RuntimeError(f"host function {_name} called but no host was given (pass host=...)")
            return _impl(_Mem(caller), *args)

        linker.define_func(HOST_MODULE, name, _functype(name), call, access_caller=True)
