"""Ordinary Python the compiler lowers (docs/LANGUAGE.md §8): compiled wasm (both profiles, after
wasm-opt) and checked CPython agree on hypothesis inputs, including failures."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.compiler.differential import Pair

U8 = st.integers(0, 0xFF)
U32 = st.one_of(st.integers(0, 0xFFFF_FFFF), st.integers(0, 50))
U64 = st.one_of(st.integers(0, (1 << 64) - 1), st.integers(0, 50))
INT = st.one_of(st.integers(-(1 << 63), (1 << 63) - 1), st.integers(-20, 300))
FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FUNCS = ["weighted", "dot", "countdown", "window", "backwards", "squares", "doubled", "flips", "has_big",
         "safe_ratio", "split", "split_direct", "classify", "kind_of", "encode", "from_list", "joined", "tally",
         "bump", "stepped", "store", "chain", "in_window", "ends", "totals"]


@pytest.fixture(scope="module")
def py() -> Pair:
    return Pair("pythonic", FUNCS)


@FAST
@given(data=st.binary(max_size=40), xs=st.lists(U32, max_size=8), ys=st.lists(U32, max_size=8), n=st.integers(0, 30))
def test_loops(py: Pair, data: bytes, xs: list[int], ys: list[int], n: int) -> None:
    py.run("weighted", data)
    py.run("dot", xs, ys)
    py.run("countdown", n)
    py.run("backwards", data)


@FAST
@given(lo=st.integers(-40, 40), hi=st.integers(-40, 40))
def test_reversed_range(py: Pair, lo: int, hi: int) -> None:
    py.run("window", lo, hi)


@FAST
@given(data=st.binary(max_size=40), key=U8, n=st.integers(-3, 40), xs=st.lists(U32, max_size=8), limit=U32,
       ints=st.lists(st.integers(-3, 40), max_size=6), d=st.integers(-5, 100))
def test_comprehensions_any_all(py: Pair, data: bytes, key: int, n: int, xs: list[int], limit: int,
                                ints: list[int], d: int) -> None:
    py.run("squares", n)
    py.run("doubled", data)
    py.run("flips", data, key)
    py.run("has_big", xs, limit)
    py.run("safe_ratio", ints, d)
    py.run("totals", ints, data, [x * 0x1000_0000_0000_0000 % (1 << 64) for x in xs])  # stops at the first deciding element (or fails on 0 / negatives first)


@FAST
@given(a=U64, b=st.one_of(U64, st.integers(0, 9)), c=INT, d=st.one_of(INT, st.integers(-9, 9)),
       k=st.integers(-2, 10), data=st.binary(min_size=1, max_size=4), i=st.integers(-1, 4))
def test_divmod_and_membership(py: Pair, a: int, b: int, c: int, d: int, k: int, data: bytes, i: int) -> None:
    py.run("split", a, b)
    py.run("split_direct", c, d)
    py.run("classify", k)
    py.run("kind_of", data, i)


@FAST
@given(a=st.integers(-3, 300), b=U8, xs=st.lists(st.integers(-2, 260), max_size=6),
       parts=st.lists(st.binary(max_size=6), max_size=5))
def test_bytes_building(py: Pair, a: int, b: int, xs: list[int], parts: list[bytes]) -> None:
    py.run("encode", a, b)
    py.run("from_list", xs)
    py.run("joined", parts)
    if len(parts) >= 2:
        py.run("chain", parts[0], parts[1], bytearray(parts[-1]))


@FAST
@given(xs=st.lists(U32, min_size=1, max_size=6), hits=U32, total=U64, i=st.integers(-1, 6), by=U32)
def test_augmented_fields_and_elements(py: Pair, xs: list[int], hits: int, total: int, i: int, by: int) -> None:
    from tests.compiler.programs.pythonic import Counter

    py.run("tally", xs, Counter(hits, total))
    py.run("bump", xs, i, by)


@FAST
@given(lo=st.integers(-30, 30), hi=st.integers(-30, 30), step=st.integers(-7, 7), n=st.integers(-3, 300))
def test_run_time_steps_and_byte_stores(py: Pair, lo: int, hi: int, step: int, n: int) -> None:
    py.run("stepped", lo, hi, step)
    py.run("in_window", [lo, hi, step], step, lo)
    py.run("ends", [lo, hi][: max(0, step)], bytes([n & 0xFF]) * max(0, step))  # empty: bounds  # the middle operand is computed once; bounds failures agree
    py.run("store", n)


def test_exact_values(py: Pair) -> None:
    assert py.run("stepped", 10, 0, -3) == ("ok", [10, 7, 4, 1])
    assert py.run("ends", [3, 9], b"\x01\x02") == ("ok", (9, 3, 18))
    assert py.run("ends", [3], b"\x01") == ("fail", "bounds")
    assert py.run("totals", [3, -1, 2], b"\xff\x01", [1, 2]) == ("ok", (4, 13, 3, 256, 512))
    assert py.run("totals", [(1 << 62), (1 << 62)], b"", []) == ("fail", "overflow")
    assert py.run("totals", [], b"", [(1 << 63), (1 << 63)]) == ("fail", "overflow")
    assert py.run("chain", b"a", b"bc", bytearray(b"d")) == ("ok", (b"abc", b"abcd", b"abcdabcda"))
    assert py.run("stepped", 0, 5, 0) == ("fail", "value")
    assert py.run("store", 256) == ("fail", "overflow")
    assert py.run("store", 255) == ("ok", bytearray(b"\x00\xff"))
    assert py.run("weighted", b"\x01\x02\x03") == ("ok", 1 + 4 + 9)
    assert py.run("countdown", 3) == ("ok", [2, 1, 0])
    assert py.run("window", 0, 3) == ("ok", (2 * 3 + 1) * 3 + 0)
    assert py.run("squares", 5) == ("ok", [0, 4, 9])
    assert py.run("flips", b"\x00\x0f", 0xF0) == ("ok", b"\xf0\xff")
    assert py.run("split", 17, 5) == ("ok", (3, 2))
    assert py.run("split_direct", -7, 2) == ("fail", "division")
    assert py.run("split", 1, 0) == ("fail", "division")
    assert py.run("classify", 5) == ("ok", 1) and py.run("classify", 8) == ("ok", 3)
    assert py.run("encode", 256, 1) == ("fail", "overflow")
    assert py.run("encode", 255, 1) == ("ok", b"\xff\x01\x07\x01")
    assert py.run("joined", [b"ab", b"", b"c"]) == ("ok", (b"abc", b"ab----c", b"a, , c"))
    assert py.run("safe_ratio", [1, 0], 9) == ("ok", True)  # decided before the division by zero
    assert py.run("safe_ratio", [0, 1], 9) == ("fail", "division")
