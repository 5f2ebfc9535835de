"""The ``smart_rollup_core`` host ABI of revision ``2.0.0-r5`` (spec §1.2–1.4): one table for the
compiler (its intrinsic imports), the host (wasmtime function types and the link check) and tests.

Every import takes and returns wasm ``i32``/``i64`` values; a negative ``i32`` result is an error code
of :mod:`pvm_spec.constants`. ``max_bytes`` is the most memory one call moves (``None``: unbounded or
not applicable). The ``nds_*`` functions (V6) are not part of r5 and are refused at link time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pvm_spec.constants import (
    FULL_OUTBOX,
    INPUT_OUTPUT_TOO_LARGE,
    MAX_IO_SIZE,
    MAX_STORE_IO_SIZE,
    MEMORY_INVALID_ACCESS,
    STORE_INVALID_ACCESS,
    STORE_INVALID_KEY,
    STORE_INVALID_SUBKEY_INDEX,
    STORE_KEY_TOO_LARGE,
    STORE_NOT_A_NODE,
    STORE_NOT_A_VALUE,
    STORE_READONLY_VALUE,
    STORE_VALUE_ALREADY_EXISTS,
    STORE_VALUE_SIZE_EXCEEDED,
)

HOST_MODULE = "smart_rollup_core"


@dataclass(frozen=True)
class HostFunction:
    """One import: wasm signature, the revision that introduced it, its error codes and I/O cap."""

    params: tuple[str, ...]
    results: tuple[str, ...]
    since: int  # PVM revision V0..V3 (spec §0)
    errors: tuple[int, ...]
    max_bytes: int | None = None


_KEY = (STORE_KEY_TOO_LARGE, STORE_INVALID_KEY, MEMORY_INVALID_ACCESS)
_I32, _I64 = "i32", "i64"


def _f(n: int, results: tuple[str, ...] = (_I32,), since: int = 0, errors: tuple[int, ...] = _KEY,
       max_bytes: int | None = None, params: tuple[str, ...] | None = None) -> HostFunction:
    return HostFunction(params or (_I32,) * n, results, since, errors, max_bytes)


IMPORTS: dict[str, HostFunction] = {
    "read_input": _f(3, errors=(MEMORY_INVALID_ACCESS,), max_bytes=MAX_IO_SIZE),
    "write_output": _f(2, errors=(MEMORY_INVALID_ACCESS, INPUT_OUTPUT_TOO_LARGE, FULL_OUTBOX), max_bytes=MAX_IO_SIZE),
    "write_debug": _f(2, results=(), errors=()),
    "store_has": _f(2),
    "store_list_size": _f(2, results=(_I64,)),
    "store_get_nth_key": _f(5, params=(_I32, _I32, _I64, _I32, _I32), errors=(*_KEY, STORE_INVALID_SUBKEY_INDEX)),
    "store_delete": _f(2, errors=(*_KEY, STORE_READONLY_VALUE)),
    "store_delete_value": _f(2, since=1, errors=(*_KEY, STORE_READONLY_VALUE)),
    "store_copy": _f(4, errors=(*_KEY, STORE_READONLY_VALUE, STORE_NOT_A_NODE)),
    "store_move": _f(4, errors=(*_KEY, STORE_READONLY_VALUE, STORE_NOT_A_NODE)),
    "store_value_size": _f(2, errors=(*_KEY, STORE_NOT_A_VALUE)),
    "store_read": _f(5, errors=(*_KEY, STORE_NOT_A_VALUE, STORE_INVALID_ACCESS, INPUT_OUTPUT_TOO_LARGE),
                     max_bytes=MAX_STORE_IO_SIZE),
    "store_write": _f(5, errors=(*_KEY, STORE_READONLY_VALUE, STORE_INVALID_ACCESS, STORE_VALUE_SIZE_EXCEEDED,
                                 INPUT_OUTPUT_TOO_LARGE), max_bytes=MAX_STORE_IO_SIZE),
    "store_create": _f(3, since=1, errors=(*_KEY, STORE_READONLY_VALUE, STORE_VALUE_SIZE_EXCEEDED,
                                          STORE_VALUE_ALREADY_EXISTS)),
    "store_exists": _f(2, since=2),
    "__internal_store_get_hash": _f(4, since=1, errors=(*_KEY, STORE_NOT_A_NODE)),
    "reveal_preimage": _f(4, errors=(MEMORY_INVALID_ACCESS,), max_bytes=MAX_IO_SIZE),
    "reveal_metadata": _f(2, errors=(MEMORY_INVALID_ACCESS,)),
    "reveal": _f(4, since=3, errors=(MEMORY_INVALID_ACCESS,), max_bytes=MAX_IO_SIZE),
}


def link_error(module: str, name: str, params: Sequence[str] | None = None,
               results: Sequence[str] | None = None) -> str | None:
    """Why the PVM's linker refuses an import, or None. Types (``"i32"``/``"i64"``) are checked when given."""
    if module != HOST_MODULE:
        return f"unknown module {module}"
    f = IMPORTS.get(name)
    if f is None:
        return f"unknown item {module}.{name}"
    if params is not None and (tuple(params), tuple(results or ())) != (f.params, f.results):
        return f"type mismatch for {name}"
    return None
