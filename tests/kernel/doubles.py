"""Fast test doubles for kernel_py crypto (PyNaCl), used natively only.

``install_missing_crypto`` fills in ``kernel_py.crypto.ed25519`` when that module does not exist yet;
``fast_crypto`` (a context manager) swaps the kernel's verifiers for PyNaCl for speed in unit tests.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import sys
import types
from collections.abc import Iterator

import nacl.exceptions
import nacl.signing


def nacl_verify(pk: bytes, msg: bytes, sig: bytes) -> bool:
    try:
        nacl.signing.VerifyKey(pk).verify(msg, sig)
        return True
    except (nacl.exceptions.BadSignatureError, ValueError, TypeError):
        return False


def nacl_verify_batch(pks: list[bytes], msgs: list[bytes], sigs: list[bytes]) -> bool:
    return len(pks) == len(msgs) == len(sigs) and all(nacl_verify(p, m, s) for p, m, s in zip(pks, msgs, sigs))


def hashlib_blake2b(data: bytes, digest_size: int) -> bytes:
    return hashlib.blake2b(data, digest_size=digest_size).digest()


def install_missing_crypto() -> None:
    if importlib.util.find_spec("kernel_py.crypto.ed25519") is None:
        shim = types.ModuleType("kernel_py.crypto.ed25519")
        shim.verify = nacl_verify  # type: ignore[attr-defined]
        shim.verify_batch = nacl_verify_batch  # type: ignore[attr-defined]
        sys.modules["kernel_py.crypto.ed25519"] = shim


@contextlib.contextmanager
def fast_crypto() -> Iterator[None]:
    """Use PyNaCl for the kernel's signature checks and hashlib for its BLAKE2b inside the block."""
    import kernel_py.blocks as blocks
    import kernel_py.formats.dsn as fmt
    import kernel_py.verify as verify

    saved = (blocks.verify, blocks.verify_batch, verify.verify_batch, fmt.blake2b)
    blocks.verify, blocks.verify_batch, verify.verify_batch = nacl_verify, nacl_verify_batch, nacl_verify_batch
    fmt.blake2b = hashlib_blake2b
    try:
        yield
    finally:
        blocks.verify, blocks.verify_batch, verify.verify_batch, fmt.blake2b = saved


def checked_kernel_fast_crypto() -> types.ModuleType:
    """kernel_py.kernel under kernel_wasm.native (checked CPython), with PyNaCl/hashlib crypto."""
    from pathlib import Path

    from kernel_wasm.native import NativeProgram

    program = NativeProgram(Path("kernel_py/kernel.py"))
    entry = program.entry
    for mod in program.modules.values():
        if hasattr(mod, "verify_batch"):
            mod.verify_batch = nacl_verify_batch
        if hasattr(mod, "verify"):
            mod.verify = nacl_verify
        if hasattr(mod, "blake2b"):
            mod.blake2b = hashlib_blake2b
    return entry
