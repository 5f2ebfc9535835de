"""Implicit lossless widening (docs/LANGUAGE.md §6): compiled wasm (both profiles, after wasm-opt) and
checked CPython agree for every (narrower, wider) pair in arithmetic, comparison, assignment, argument
passing and return."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.compiler.differential import Pair

U8 = st.integers(0, 0xFF)
U32 = st.one_of(st.integers(0, 0xFFFF_FFFF), st.sampled_from([0, 1, 0xFFFF_FFFF]))
U64 = st.one_of(st.integers(0, (1 << 64) - 1), st.sampled_from([0, (1 << 64) - 1, 1 << 32]))
I32 = st.one_of(st.integers(-(1 << 31), (1 << 31) - 1), st.sampled_from([-(1 << 31), (1 << 31) - 1, -1]))
I64 = st.one_of(st.integers(-(1 << 63), (1 << 63) - 1), st.sampled_from([-(1 << 63), (1 << 63) - 1]),
                st.integers(-300, 300))
FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def widening() -> Pair:
    return Pair("widening", ["u8_pairs", "u32_pairs", "i32_pairs", "compare", "assign", "arguments", "returns",
                             "fields_and_lists", "mixed_min_max", "choose", "rolling_hash", "checksum", "sums", "byte_shift"])


@FAST
@given(a=U8, b=U32, c=U64, d=I32, e=I64)
def test_u8_widens_to_every_wider_type(widening: Pair, a: int, b: int, c: int, d: int, e: int) -> None:
    widening.run("u8_pairs", a, b, c, d, e)
    widening.run("compare", a, b, c, d, e)


@FAST
@given(a=U32, c=U64, e=I64, d=I32)
def test_u32_and_i32_widen(widening: Pair, a: int, c: int, e: int, d: int) -> None:
    widening.run("u32_pairs", a, c, e)
    widening.run("i32_pairs", d, e, a)


@FAST
@given(a=U8, b=U32, d=I32, flag=st.booleans(), e=I64)
def test_assignment_arguments_and_returns(widening: Pair, a: int, b: int, d: int, flag: bool, e: int) -> None:
    widening.run("assign", a, b, d)
    widening.run("arguments", a, b, d)
    widening.run("returns", a, b, d)
    widening.run("fields_and_lists", a, b)
    widening.run("mixed_min_max", a, b, d)
    widening.run("choose", flag, a, e)
    widening.run("sums", a, b & 0xFF)


@FAST
@given(data=st.binary(max_size=64), seed=U32)
def test_bytes_in_int_arithmetic(widening: Pair, data: bytes, seed: int) -> None:
    widening.run("rolling_hash", data)
    widening.run("checksum", data, seed)
    widening.run("byte_shift", data)  # fewer than 3 bytes: bounds


def test_exact_values(widening: Pair) -> None:
    assert widening.run("u8_pairs", 255, 0xFFFF_FFFF, 255, -1, 7) == ("fail", "overflow")  # 255 + 2**32-1 in u32
    assert widening.run("u8_pairs", 254, 1, 254, -3, 7) == ("ok", (255, 0, -762, 0, 254 % 7))
    assert widening.run("u8_pairs", 255, 1, 255, -3, 7) == ("ok", (256, 0, -765, 0, 3))  # a + 1 in int (context)
    assert widening.run("sums", 100, 27) == ("ok", (127, 127, 100 << 20))
    assert widening.run("sums", 255, 1) == ("fail", "overflow")  # returned as u8: adds in u8
    assert widening.run("i32_pairs", -(1 << 31), -1, 0xFFFF_FFFF) == ("ok", (-(1 << 31) - 1, -(1 << 31) - 0xFFFF_FFFF))
    assert widening.run("byte_shift", b"\xff\x01\x02") == ("ok", 0xFF0102)
    assert widening.run("rolling_hash", b"abc") == ("ok", (97 * 31 * 31 + 98 * 31 + 99))
    assert widening.run("compare", 3, 4, 3, 3, 5) == ("ok", 1 | 2 | 4 | 8 | 16 | 32)
