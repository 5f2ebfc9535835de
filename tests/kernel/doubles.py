"""Fast test doubles for kernel_py crypto (PyNaCl), used natively only.

``fast_crypto`` (a context manager) swaps the kernel's verifiers for PyNaCl and its BLAKE2b for
hashlib, for speed in unit tests; ``checked_kernel_fast_crypto`` does the same for the kernel under
checked CPython execution. End-to-end and native-vs-wasm tests use the real kernel_py crypto.
"""

from __future__ import annotations

import contextlib
import hashlib
import types
from collections.abc import Callable, Iterator

import nacl.exceptions
import nacl.signing


def nacl_verify(pk: bytes, msg: bytes, sig: bytes) -> bool:
    try:
        nacl.signing.VerifyKey(pk).verify(msg, sig)
        return True
    except (nacl.exceptions.BadSignatureError, ValueError, TypeError):
        return False


def nacl_verify_each(pks: list[bytes], msgs: list[bytes], sigs: list[bytes]) -> list[bool]:
    if not len(pks) == len(msgs) == len(sigs):
        return [False] * len(pks)
    return [nacl_verify(p, m, s) for p, m, s in zip(pks, msgs, sigs)]


def cached_double(store: types.ModuleType) -> Callable[[bytes, list[bytes], list[bytes], list[bytes], bytes], list[bool]]:
    """``verify_each_cached`` by PyNaCl, writing the same key-cache entries as the kernel (-A's x, by the
    big-integer reference, for every key with a valid signature) through ``store`` (a kernel_py.store module);
    the x(R) hints change no result, so it ignores them."""
    from tests.crypto.reference_ed25519 import P, decode

    def verify_each_cached(cache: bytes, pks: list[bytes], msgs: list[bytes], sigs: list[bytes],
                           hints: bytes) -> list[bool]:
        ok = nacl_verify_each(pks, msgs, sigs)
        for pk, good in zip(pks, ok):
            key = cache + pk.hex().encode()
            point = decode(pk)
            if cache and good and point is not None and not store.has_value(key):
                store.write_value(key, ((P - point[0]) % P).to_bytes(32, "little"))
        return ok

    return verify_each_cached


def hashlib_blake2b(data: bytes, digest_size: int) -> bytes:
    return hashlib.blake2b(data, digest_size=digest_size).digest()


@contextlib.contextmanager
def fast_crypto() -> Iterator[None]:
    """Use PyNaCl for the kernel's signature checks and hashlib for its BLAKE2b inside the block."""
    import kernel_py.blocks as blocks
    import kernel_py.formats.dsn as fmt
    import kernel_py.store as store
    import kernel_py.verify as verify

    saved = (blocks.verify_each_cached, verify.verify_each_cached, fmt.blake2b)
    blocks.verify_each_cached = verify.verify_each_cached = cached_double(store)
    fmt.blake2b = hashlib_blake2b
    try:
        yield
    finally:
        blocks.verify_each_cached, verify.verify_each_cached, fmt.blake2b = saved


def checked_kernel_fast_crypto() -> types.ModuleType:
    """kernel_py.kernel under kernel_wasm.native (checked CPython), with PyNaCl/hashlib crypto."""
    from pathlib import Path

    from kernel_wasm.native import NativeProgram

    program = NativeProgram(Path("kernel_py/kernel.py"))
    entry = program.entry
    for mod in program.modules.values():
        if hasattr(mod, "verify_each"):
            mod.verify_each = nacl_verify_each
        if hasattr(mod, "verify_each_cached"):
            mod.verify_each_cached = cached_double(program.modules["kernel_py.store"])
        if hasattr(mod, "blake2b"):
            mod.blake2b = hashlib_blake2b
    return entry
