"""BLAKE2b and SHA-512: published vectors, block boundaries, and differential tests against hashlib."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kernel_py.intrinsics import KernelFailure
from tests.crypto.conftest import Backend
from tests.crypto.vectors import BLAKE2B_512_ABC, SHA512_ABC, SHA512_TWO_BLOCK, SHA512_TWO_BLOCK_MESSAGE

BOUNDARY_LENGTHS = [0, 1, 111, 112, 127, 128, 129, 239, 240, 255, 256, 257, 1024]
HYPOTHESIS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def test_blake2b_rfc7693_abc(backend: Backend) -> None:
    assert backend.blake2b(b"abc", 64) == BLAKE2B_512_ABC


def test_sha512_fips180_vectors(backend: Backend) -> None:
    assert backend.sha512(b"abc") == SHA512_ABC
    assert backend.sha512(SHA512_TWO_BLOCK_MESSAGE) == SHA512_TWO_BLOCK


@pytest.mark.parametrize("length", BOUNDARY_LENGTHS)
def test_block_boundaries_match_hashlib(backend: Backend, length: int) -> None:
    data = bytes((i * 151 + length) & 0xFF for i in range(length))
    assert backend.sha512(data) == hashlib.sha512(data).digest()
    for size in (1, 20, 32, 64):
        assert backend.blake2b(data, size) == hashlib.blake2b(data, digest_size=size).digest()


@HYPOTHESIS
@given(data=st.binary(max_size=600), size=st.integers(min_value=1, max_value=64))
def test_blake2b_matches_hashlib(backend: Backend, data: bytes, size: int) -> None:
    assert backend.blake2b(data, size) == hashlib.blake2b(data, digest_size=size).digest()


@HYPOTHESIS
@given(data=st.binary(max_size=600))
def test_sha512_matches_hashlib(backend: Backend, data: bytes) -> None:
    assert backend.sha512(data) == hashlib.sha512(data).digest()


@pytest.mark.parametrize("size", [0, 65])
def test_blake2b_rejects_bad_digest_size_in_cpython(size: int) -> None:
    from kernel_py.crypto.blake2b import blake2b

    with pytest.raises(KernelFailure):
        blake2b(b"abc", size)
