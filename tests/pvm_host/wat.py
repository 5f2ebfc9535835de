"""Build small hand-written WAT kernels for the conformance tests."""

from __future__ import annotations

from wasmtime import wat2wasm

IMPORTS = """
  (import "smart_rollup_core" "read_input" (func $read_input (param i32 i32 i32) (result i32)))
  (import "smart_rollup_core" "write_output" (func $write_output (param i32 i32) (result i32)))
  (import "smart_rollup_core" "write_debug" (func $write_debug (param i32 i32)))
  (import "smart_rollup_core" "store_has" (func $store_has (param i32 i32) (result i32)))
  (import "smart_rollup_core" "store_list_size" (func $store_list_size (param i32 i32) (result i64)))
  (import "smart_rollup_core" "store_get_nth_key" (func $store_get_nth_key (param i32 i32 i64 i32 i32) (result i32)))
  (import "smart_rollup_core" "store_delete" (func $store_delete (param i32 i32) (result i32)))
  (import "smart_rollup_core" "store_delete_value" (func $store_delete_value (param i32 i32) (result i32)))
  (import "smart_rollup_core" "store_copy" (func $store_copy (param i32 i32 i32 i32) (result i32)))
  (import "smart_rollup_core" "store_move" (func $store_move (param i32 i32 i32 i32) (result i32)))
  (import "smart_rollup_core" "store_value_size" (func $store_value_size (param i32 i32) (result i32)))
  (import "smart_rollup_core" "store_read" (func $store_read (param i32 i32 i32 i32 i32) (result i32)))
  (import "smart_rollup_core" "store_write" (func $store_write (param i32 i32 i32 i32 i32) (result i32)))
  (import "smart_rollup_core" "store_create" (func $store_create (param i32 i32 i32) (result i32)))
  (import "smart_rollup_core" "store_exists" (func $store_exists (param i32 i32) (result i32)))
  (import "smart_rollup_core" "__internal_store_get_hash" (func $store_get_hash (param i32 i32 i32 i32) (result i32)))
  (import "smart_rollup_core" "reveal_preimage" (func $reveal_preimage (param i32 i32 i32 i32) (result i32)))
  (import "smart_rollup_core" "reveal_metadata" (func $reveal_metadata (param i32 i32) (result i32)))
  (import "smart_rollup_core" "reveal" (func $reveal (param i32 i32 i32 i32) (result i32)))
"""

HELPERS = """
  (func $dbg (param i32)  ;; write_debug of the i32 (little-endian) via scratch address 0
    (i32.store (i32.const 0) (local.get 0))
    (call $write_debug (i32.const 0) (i32.const 4)))
  (func $dbg64 (param i64)
    (i64.store (i32.const 0) (local.get 0))
    (call $write_debug (i32.const 0) (i32.const 8)))
"""


def _escape(raw: bytes) -> str:
    return "".join("\\%02x" % b for b in raw)


def kernel_wat(body: str, data: dict[int, bytes] | None = None, pages: int = 1, extra: str = "") -> str:
    """A module importing every r5 host function, with ``body`` as ``kernel_run``.

    ``(call $dbg X)`` emits X as 4 LE bytes of debug output; ``data`` preloads memory.
    """
    segments = "".join(f'  (data (i32.const {addr}) "{_escape(raw)}")\n' for addr, raw in (data or {}).items())
    return (
        f"(module\n{IMPORTS}  (memory (export \"memory\") {pages})\n{segments}{HELPERS}{extra}"
        f'  (func (export "kernel_run")\n{body}\n  )\n)'
    )


def kernel(body: str, data: dict[int, bytes] | None = None, pages: int = 1, extra: str = "") -> bytes:
    return wat2wasm(kernel_wat(body, data, pages, extra))


def ints(debug: list[bytes]) -> list[int]:
    """Decode debug lines written by ``$dbg`` (4 bytes) / ``$dbg64`` (8 bytes) as signed ints."""
    return [int.from_bytes(d, "little", signed=True) for d in debug]
