"""Intrinsics of the restricted kernel language, with their CPython meaning.

Kernel code imports names from this module only (``from kernel_py.intrinsics import u64, rotr_u64``).
The compiler (``kernel_wasm``) recognises every name here and lowers it to wasm instructions or to
``smart_rollup_core`` host calls; under CPython the definitions below give the same results.

Integer types ``u8 u32 u64 i32 i64`` are used as annotations; calling one is a *checked conversion*
(a value outside the type's range fails). Arithmetic on them is checked by the compiler; the
``wrapping_*``/``rot*`` functions are the explicit, unchecked escape hatch for crypto.

Host functions take and return ``bytes``/ints rather than pointers: the compiler passes buffers in
linear memory, CPython dispatches to the host object installed with :func:`install_host`.
"""

from __future__ import annotations

from typing import NoReturn, Protocol

# ---------------------------------------------------------------------------------------------
# Failures
# ---------------------------------------------------------------------------------------------


class KernelFailure(Exception):
    """A check failed in kernel code (overflow, bounds, assert, abort, ...).

    Compiled code traps; CPython raises this (or a subclass) with the same ``kind``.
    """

    def __init__(self, kind: str, message: str = "") -> None:
        super().__init__(f"{kind}: {message}" if message else kind)
        self.kind = kind
        self.message = message


def abort(message: str) -> NoReturn:
    """Stop the kernel run: writes ``message`` as debug output, then traps (wasm) / raises (CPython)."""
    raise KernelFailure("abort", message)


# ---------------------------------------------------------------------------------------------
# Integer types: annotations, and checked conversions when called
# ---------------------------------------------------------------------------------------------


def _checked(name: str, lo: int, hi: int, value: int) -> int:
    if not lo <= value <= hi:
        raise KernelFailure("overflow", f"{value} does not fit {name}")
    return int(value)


class u8(int):
    """Unsigned 8-bit integer. ``u8(x)`` fails unless 0 <= x < 2**8."""

    def __new__(cls, value: int) -> int:  # type: ignore[misc]
        return _checked("u8", 0, 0xFF, value)


class u32(int):
    """Unsigned 32-bit integer. ``u32(x)`` fails unless 0 <= x < 2**32."""

    def __new__(cls, value: int) -> int:  # type: ignore[misc]
        return _checked("u32", 0, 0xFFFF_FFFF, value)


class u64(int):
    """Unsigned 64-bit integer. ``u64(x)`` fails unless 0 <= x < 2**64."""

    def __new__(cls, value: int) -> int:  # type: ignore[misc]
        return _checked("u64", 0, 0xFFFF_FFFF_FFFF_FFFF, value)


class i32(int):
    """Signed 32-bit integer. ``i32(x)`` fails unless -2**31 <= x < 2**31."""

    def __new__(cls, value: int) -> int:  # type: ignore[misc]
        return _checked("i32", -(1 << 31), (1 << 31) - 1, value)


class i64(int):
    """Signed 64-bit integer (``int`` in kernel code means i64). Fails outside [-2**63, 2**63)."""

    def __new__(cls, value: int) -> int:  # type: ignore[misc]
        return _checked("i64", -(1 << 63), (1 << 63) - 1, value)


# ---------------------------------------------------------------------------------------------
# Wrapping / bit-level arithmetic (unchecked; two's complement like wasm)
# ---------------------------------------------------------------------------------------------

_M32 = 0xFFFF_FFFF
_M64 = 0xFFFF_FFFF_FFFF_FFFF


def _s32(x: int) -> int:
    x &= _M32
    return x - (1 << 32) if x >> 31 else x


def _s64(x: int) -> int:
    x &= _M64
    return x - (1 << 64) if x >> 63 else x


def wrapping_add_u32(a: int, b: int) -> int:
    return (a + b) & _M32


def wrapping_sub_u32(a: int, b: int) -> int:
    return (a - b) & _M32


def wrapping_mul_u32(a: int, b: int) -> int:
    return (a * b) & _M32


def wrapping_shl_u32(a: int, n: int) -> int:
    """``a << (n % 32)`` truncated to 32 bits (wasm i32.shl)."""
    return (a << (n & 31)) & _M32


def wrapping_add_u64(a: int, b: int) -> int:
    return (a + b) & _M64


def wrapping_sub_u64(a: int, b: int) -> int:
    return (a - b) & _M64


def wrapping_mul_u64(a: int, b: int) -> int:
    return (a * b) & _M64


def wrapping_shl_u64(a: int, n: int) -> int:
    """``a << (n % 64)`` truncated to 64 bits (wasm i64.shl)."""
    return (a << (n & 63)) & _M64


def wrapping_add_i32(a: int, b: int) -> int:
    return _s32(a + b)


def wrapping_sub_i32(a: int, b: int) -> int:
    return _s32(a - b)


def wrapping_mul_i32(a: int, b: int) -> int:
    return _s32(a * b)


def wrapping_add_i64(a: int, b: int) -> int:
    return _s64(a + b)


def wrapping_sub_i64(a: int, b: int) -> int:
    return _s64(a - b)


def wrapping_mul_i64(a: int, b: int) -> int:
    return _s64(a * b)


def wrapping_shl_i64(a: int, n: int) -> int:
    """Bits of ``a << (n % 64)`` as i64 (wasm i64.shl)."""
    return _s64(a << (n & 63))


def rotl_u32(a: int, n: int) -> int:
    n &= 31
    return ((a << n) | (a >> (32 - n))) & _M32


def rotr_u32(a: int, n: int) -> int:
    n &= 31
    return ((a >> n) | (a << (32 - n))) & _M32


def rotl_u64(a: int, n: int) -> int:
    n &= 63
    return ((a << n) | (a >> (64 - n))) & _M64


def rotr_u64(a: int, n: int) -> int:
    n &= 63
    return ((a >> n) | (a << (64 - n))) & _M64


def mul_wide_u32(a: int, b: int) -> int:
    """Full 32x32 -> 64-bit unsigned product (u32, u32) -> u64."""
    return (a & _M32) * (b & _M32)


def truncate_u8(a: int) -> int:
    """Low 8 bits of any integer, as u8."""
    return a & 0xFF


def truncate_u32(a: int) -> int:
    """Low 32 bits of any integer, as u32 (wasm i32.wrap_i64)."""
    return a & _M32


def truncate_i32(a: int) -> int:
    """Low 32 bits of any integer, as i32."""
    return _s32(a)


def bits_u64(a: int) -> int:
    """Reinterpret an i64's bits as u64 (no check)."""
    return a & _M64


def bits_i64(a: int) -> int:
    """Reinterpret a u64's bits as i64 (no check)."""
    return _s64(a)


def sar_i64(a: int, n: int) -> int:
    """Arithmetic shift right of an i64 by ``n % 64`` (wasm i64.shr_s)."""
    return _s64(a) >> (n & 63)


def sar_i32(a: int, n: int) -> int:
    """Arithmetic shift right of an i32 by ``n % 32`` (wasm i32.shr_s)."""
    return _s32(a) >> (n & 31)


def lt_u64(a: int, b: int) -> bool:
    """Unsigned compare of two 64-bit bit patterns (accepts i64 or u64 values)."""
    return (a & _M64) < (b & _M64)


# ---------------------------------------------------------------------------------------------
# Host functions (smart_rollup_core), high-level forms
# ---------------------------------------------------------------------------------------------


class Host(Protocol):
    """What CPython execution needs from a host; ``pvm_host.native`` implements it over the PVM model."""

    def read_input(self) -> tuple[int, int, bytes] | None: ...
    def write_output(self, data: bytes) -> int: ...
    def write_debug(self, message: bytes) -> None: ...
    def store_has(self, key: bytes) -> int: ...
    def store_exists(self, key: bytes) -> int: ...
    def store_delete(self, key: bytes) -> int: ...
    def store_delete_value(self, key: bytes) -> int: ...
    def store_copy(self, src: bytes, dst: bytes) -> int: ...
    def store_move(self, src: bytes, dst: bytes) -> int: ...
    def store_value_size(self, key: bytes) -> int: ...
    def store_list_size(self, key: bytes) -> int: ...
    def store_read(self, key: bytes, offset: int, max_bytes: int) -> bytes | int: ...
    def store_write(self, key: bytes, offset: int, data: bytes) -> int: ...
    def store_create(self, key: bytes, size: int) -> int: ...
    def reveal_preimage(self, hash33: bytes, max_bytes: int) -> bytes | int: ...
    def reveal_metadata(self) -> bytes: ...
    def reveal(self, request: bytes, max_bytes: int) -> bytes: ...


_host: Host | None = None
_last_level = 0
_last_id = 0


def install_host(host: Host | None) -> None:
    """Make ``host`` serve the host intrinsics below when kernel code runs in CPython."""
    global _host
    _host = host


def _h() -> Host:
    if _host is None:
        raise RuntimeError("no host installed: call kernel_py.intrinsics.install_host(host) first")
    return _host


def read_input() -> bytes:
    """Next inbox message (tag bytes included), or b"" when the inbox of this level is exhausted.

    Also records the message's level and id for :func:`input_level` / :func:`input_id`.
    """
    global _last_level, _last_id
    msg = _h().read_input()
    if msg is None:
        return b""
    _last_level, _last_id, payload = msg
    return payload


def input_level() -> int:
    """L1 level of the message last returned by :func:`read_input` (u32)."""
    return _last_level


def input_id() -> int:
    """Index within its level of the message last returned by :func:`read_input` (u32)."""
    return _last_id


def write_output(data: bytes) -> int:
    """Append an outbox message; 0 or a negative error code (-7 too large, -11 outbox full)."""
    return _h().write_output(data)


def write_debug(message: bytes) -> None:
    """Kernel debug output (shown by replay and the rollup node's kernel log)."""
    _h().write_debug(message)


def store_has(key: bytes) -> int:
    """0 nothing, 1 value, 2 subtrees, 3 both; negative on a bad key."""
    return _h().store_has(key)


def store_exists(key: bytes) -> int:
    """1 if any node exists at ``key``, else 0; negative on a bad key."""
    return _h().store_exists(key)


def store_delete(key: bytes) -> int:
    return _h().store_delete(key)


def store_delete_value(key: bytes) -> int:
    return _h().store_delete_value(key)


def store_copy(src: bytes, dst: bytes) -> int:
    return _h().store_copy(src, dst)


def store_move(src: bytes, dst: bytes) -> int:
    return _h().store_move(src, dst)


def store_value_size(key: bytes) -> int:
    """Size of the value at ``key``, or a negative error code (-3 when there is no value)."""
    return _h().store_value_size(key)


def store_list_size(key: bytes) -> int:
    """Number of children of ``key`` (its own value counts as one); negative on error."""
    return _h().store_list_size(key)


def store_read(key: bytes, offset: int, max_bytes: int) -> bytes:
    """Up to ``max_bytes`` (<= 2048) of the value from ``offset``; b"" on any error.

    Callers check :func:`store_value_size` first: reading at or past the end is an error (-4).
    """
    r = _h().store_read(key, offset, max_bytes)
    return b"" if isinstance(r, int) else r


def store_write(key: bytes, offset: int, data: bytes) -> int:
    """Write ``data`` (<= 2048 bytes) at ``offset``, growing the value; 0 or a negative error."""
    return _h().store_write(key, offset, data)


def store_create(key: bytes, size: int) -> int:
    return _h().store_create(key, size)


def reveal_preimage(hash33: bytes, max_bytes: int) -> bytes:
    """Preimage of a 33-byte reveal hash (up to ``max_bytes`` <= 4096); b"" on error."""
    r = _h().reveal_preimage(hash33, max_bytes)
    return b"" if isinstance(r, int) else r


def reveal_metadata() -> bytes:
    """24 bytes: rollup address (20) then origination level (i32 big-endian)."""
    return _h().reveal_metadata()


def reveal(request: bytes, max_bytes: int) -> bytes:
    """Generic ``reveal`` (PVM V3): the answer to ``request`` (e.g. ``02 ‖ P ‖ slot ‖ page``, a DAL
    page), up to ``max_bytes`` (<= 4096); b"" when there is none or on error."""
    return _h().reveal(request, max_bytes)
