"""Backends for the crypto tests: the same kernel_py source run by plain CPython, by CPython with the
compiler's checks inserted (``kernel_wasm.native``: overflow, bounds, ... fail as in wasm), and compiled
to wasm. Each backend loads or compiles the modules once per session.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kernel_py.crypto import blake2b, ed25519, sha512

ROOT = Path(__file__).resolve().parents[2]
CRYPTO_DIR = ROOT / "kernel_py" / "crypto"


@dataclass
class Backend:
    name: str
    blake2b: Callable[[bytes, int], bytes]
    sha512: Callable[[bytes], bytes]
    verify: Callable[[bytes, bytes, bytes], bool]
    verify_batch: Callable[[list[bytes], list[bytes], list[bytes]], bool]
    verify_each: Callable[[list[bytes], list[bytes], list[bytes]], list[bool]]


def cpython_backend() -> Backend:
    return Backend("cpython", blake2b.blake2b, sha512.sha512, ed25519.verify, ed25519.verify_batch, ed25519.verify_each)


def compile_crypto() -> dict[str, Any]:
    """Compiled modules keyed by primitive; raises ImportError while the compiler is missing."""
    from kernel_wasm import compile_file

    return {
        "blake2b": compile_file(str(CRYPTO_DIR / "blake2b.py"), exports=["blake2b"]),
        "sha512": compile_file(str(CRYPTO_DIR / "sha512.py"), exports=["sha512"]),
        "ed25519": compile_file(str(CRYPTO_DIR / "ed25519.py"), exports=["verify", "verify_batch", "verify_each"]),
    }


def wasm_backend(modules: dict[str, Any]) -> Backend:
    def call(module: str, name: str) -> Callable[..., Any]:
        return lambda *args: modules[module].call(name, *args)

    return Backend(
        "wasm",
        call("blake2b", "blake2b"),
        call("sha512", "sha512"),
        lambda pk, msg, sig: bool(modules["ed25519"].call("verify", pk, msg, sig)),
        lambda pks, msgs, sigs: bool(modules["ed25519"].call("verify_batch", pks, msgs, sigs)),
        lambda pks, msgs, sigs: [bool(x) for x in modules["ed25519"].call("verify_each", pks, msgs, sigs)],
    )


def native_backend() -> Backend:
    from kernel_wasm.native import load

    modules = {name: load(CRYPTO_DIR / f"{name}.py") for name in ("blake2b", "sha512", "ed25519")}
    return Backend("native", modules["blake2b"].blake2b, modules["sha512"].sha512,
                   modules["ed25519"].verify, modules["ed25519"].verify_batch, modules["ed25519"].verify_each)


@pytest.fixture(scope="session")
def checked_cpython() -> Backend:
    return native_backend()


@pytest.fixture(scope="session")
def compiled_crypto() -> dict[str, Any]:
    try:
        return compile_crypto()
    except ImportError as exc:  # only while the compiler package is incomplete
        pytest.skip(f"kernel_wasm.compile_file not available: {exc}")


@pytest.fixture(params=["cpython", "native", "wasm"])
def backend(request: pytest.FixtureRequest) -> Backend:
    if request.param == "cpython":
        return cpython_backend()
    if request.param == "native":
        return request.getfixturevalue("checked_cpython")
    return wasm_backend(request.getfixturevalue("compiled_crypto"))
