"""Every construct of docs/LANGUAGE.md: compiled wasm and checked CPython agree on hypothesis
inputs — equal results and failures of the same kind."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.compiler.differential import Pair

U8 = st.integers(0, 0xFF)
U32 = st.integers(0, 0xFFFF_FFFF)
U64 = st.integers(0, 0xFFFF_FFFF_FFFF_FFFF)
I32 = st.integers(-(1 << 31), (1 << 31) - 1)
I64 = st.integers(-(1 << 63), (1 << 63) - 1)
SMALL = st.integers(-70, 70)
OP = st.integers(0, 9)


def edgy(lo: int, hi: int) -> st.SearchStrategy[int]:
    """Integers of a range with its edges and small values over-represented."""
    picks = [lo, hi, 0, 1, -1, 2, hi // 2, lo // 2]
    return st.one_of(st.sampled_from([p for p in picks if lo <= p <= hi]), st.integers(lo, hi),
                     st.integers(max(lo, -300), min(hi, 300)))


FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def ints() -> Pair:
    return Pair("ints", ["arith_u8", "arith_u32", "arith_u64", "arith_i32", "arith_i64", "const_ops", "compare",
                         "convert", "narrow", "loop_sum", "literal_types", "steps"])


@pytest.fixture(scope="module")
def bits() -> Pair:
    return Pair("bits", ["wrap32", "wrap64", "wrap_signed", "misc"])


@pytest.fixture(scope="module")
def control() -> Pair:
    return Pair("control", ["classify", "collatz", "ranges", "scan", "scan_list", "logic", "truthy", "stepped",
                            "conjunctions"])


@pytest.fixture(scope="module")
def byteops() -> Pair:
    return Pair("byteops", ["basics", "slices", "slice_late", "set_late", "ints_whole", "ints_le", "ints_be", "to_bytes",
                            "buffers", "set_slice", "set_words", "len_alias"])


@pytest.fixture(scope="module")
def lists() -> Pair:
    return Pair("lists", ["build", "table", "narrow", "vector", "smooth", "edit", "literal", "nested"])


@pytest.fixture(scope="module")
def records() -> Pair:
    return Pair("records", ["decode", "segment", "swap", "checked", "divmod_", "several", "fields"])


@FAST
@given(a=edgy(0, 0xFF), b=U8, op=OP)
def test_u8_arithmetic(ints: Pair, a: int, b: int, op: int) -> None:
    ints.run("arith_u8", a, b, op)


@FAST
@given(a=edgy(0, 0xFFFF_FFFF), b=st.one_of(U32, st.integers(0, 40)), op=OP)
def test_u32_arithmetic(ints: Pair, a: int, b: int, op: int) -> None:
    ints.run("arith_u32", a, b, op)


@FAST
@given(a=edgy(0, (1 << 64) - 1), b=st.one_of(U64, st.integers(0, 70)), op=OP)
def test_u64_arithmetic(ints: Pair, a: int, b: int, op: int) -> None:
    ints.run("arith_u64", a, b, op)


@FAST
@given(a=edgy(-(1 << 31), (1 << 31) - 1), b=st.one_of(I32, SMALL), op=OP)
def test_i32_arithmetic(ints: Pair, a: int, b: int, op: int) -> None:
    ints.run("arith_i32", a, b, op)


@FAST
@given(a=edgy(-(1 << 63), (1 << 63) - 1), b=st.one_of(I64, SMALL), op=OP)
def test_i64_arithmetic(ints: Pair, a: int, b: int, op: int) -> None:
    ints.run("arith_i64", a, b, op)


@FAST
@given(a=edgy(0, (1 << 64) - 1), b=edgy(-(1 << 63), (1 << 63) - 1))
def test_constant_operands(ints: Pair, a: int, b: int) -> None:
    ints.run("const_ops", a, b)


@FAST
@given(a=U32, b=st.one_of(I64, SMALL), c=U64, d=U8)
def test_mixed_comparisons(ints: Pair, a: int, b: int, c: int, d: int) -> None:
    ints.run("compare", a, b, c, d)


@FAST
@given(x=st.one_of(I64, SMALL, st.integers(0, 1 << 33)))
def test_conversions(ints: Pair, x: int) -> None:
    ints.run("convert", x)


@FAST
@given(x=st.one_of(U64, st.integers(0, 1 << 33)))
def test_narrowing(ints: Pair, x: int) -> None:
    ints.run("narrow", x)


def test_loops_and_literals(ints: Pair) -> None:
    assert ints.run("loop_sum", 100) == ("ok", sum(i * i for i in range(100)))
    assert ints.run("literal_types", 126) == ("ok", 254)
    assert ints.run("literal_types", 127) == ("fail", "overflow")
    assert ints.run("literal_types", 255) == ("fail", "overflow")


@FAST
@given(a=U32, b=U32, n=st.integers(-3, 80))
def test_wrapping_32(bits: Pair, a: int, b: int, n: int) -> None:
    bits.run("wrap32", a, b, n)


@FAST
@given(a=U64, b=U64, n=st.integers(-3, 140))
def test_wrapping_64(bits: Pair, a: int, b: int, n: int) -> None:
    bits.run("wrap64", a, b, n)


@FAST
@given(a=I64, b=I64, c=I32, d=I32, n=st.integers(0, 100))
def test_wrapping_signed(bits: Pair, a: int, b: int, c: int, d: int, n: int) -> None:
    bits.run("wrap_signed", a, b, c, d, n)


@FAST
@given(a=U32, b=U32, x=I64, y=U64)
def test_bit_intrinsics(bits: Pair, a: int, b: int, x: int, y: int) -> None:
    bits.run("misc", a, b, x, y)


@FAST
@given(x=st.one_of(SMALL, I64))
def test_if_elif_else(control: Pair, x: int) -> None:
    control.run("classify", x)


@FAST
@given(n=st.integers(1, 10_000), limit=st.integers(0, 300))
def test_while_break(control: Pair, n: int, limit: int) -> None:
    control.run("collatz", n, limit)


@FAST
@given(a=st.integers(-30, 30), b=st.integers(-30, 30))
def test_for_range(control: Pair, a: int, b: int) -> None:
    control.run("ranges", a, b)


@FAST
@given(data=st.binary(max_size=40), stop=U8, xs=st.lists(U32, max_size=12))
def test_for_over_bytes_and_lists(control: Pair, data: bytes, stop: int, xs: list[int]) -> None:
    control.run("scan", data, stop)
    control.run("scan_list", xs)


@FAST
@given(a=st.booleans(), b=st.booleans(), x=SMALL, data=st.binary(max_size=3))
def test_bool_ops_and_truthiness(control: Pair, a: bool, b: bool, x: int, data: bytes) -> None:
    control.run("logic", a, b, x)
    control.run("truthy", x, data)


@FAST
@given(data=st.one_of(st.binary(max_size=8), st.lists(st.integers(1, 9), max_size=9).map(bytes)),
       k=st.one_of(SMALL, I64))
def test_and_chains_in_if_and_while(control: Pair, data: bytes, k: int) -> None:
    control.run("conjunctions", data, k)


@FAST
@given(a=st.binary(max_size=20), b=st.binary(max_size=20), i=st.integers(-3, 24))
def test_bytes_basics(byteops: Pair, a: bytes, b: bytes, i: int) -> None:
    byteops.run("basics", a, b, i)


@FAST
@given(a=st.binary(max_size=20), lo=st.integers(-2, 25), hi=st.integers(-2, 25))
def test_slices_clamp_like_python(byteops: Pair, a: bytes, lo: int, hi: int) -> None:
    byteops.run("slices", a, lo, hi)


@FAST
@given(a=st.binary(max_size=8), lo=st.one_of(st.integers(-3, 10), I64), k=st.one_of(st.integers(-3, 10), I64))
def test_slice_bounds_fail_after_both_are_evaluated(byteops: Pair, a: bytes, lo: int, k: int) -> None:
    byteops.run("slice_late", a, lo, k)
    byteops.run("set_late", len(a), lo, k)


@FAST
@given(a=st.one_of(st.binary(max_size=16), st.builds(lambda k, b, z: bytes(k) + b + bytes(z), st.integers(0, 9),
                                                      st.binary(max_size=8), st.integers(0, 9))))
def test_from_bytes_of_whole_buffers(byteops: Pair, a: bytes) -> None:
    byteops.run("ints_whole", a)


@FAST
@given(a=st.binary(max_size=24), i=st.integers(-2, 26))
def test_from_bytes(byteops: Pair, a: bytes, i: int) -> None:
    byteops.run("ints_le", a, i)
    byteops.run("ints_be", a, i)


@FAST
@given(x=st.one_of(U64, st.integers(0, 70_000)), y=st.one_of(U32, st.integers(0, 1 << 25)), n=st.integers(-1, 10))
def test_to_bytes(byteops: Pair, x: int, y: int, n: int) -> None:
    byteops.run("to_bytes", x, y, n)


@FAST
@given(n=st.integers(-2, 20), fill=U8)
def test_bytearray_buffers(byteops: Pair, n: int, fill: int) -> None:
    byteops.run("buffers", n, fill)


@FAST
@given(n=st.integers(0, 10), lo=st.integers(-1, 12), hi=st.integers(-1, 12), src=st.binary(max_size=6))
def test_slice_assignment(byteops: Pair, n: int, lo: int, hi: int, src: bytes) -> None:
    byteops.run("set_slice", n, lo, hi, src)


@FAST
@given(n=st.integers(0, 14), lo=st.integers(-1, 12), hi=st.integers(-1, 16), x=st.one_of(I64, st.integers(0, 300)),
       w=U32)
def test_word_slice_assignment(byteops: Pair, n: int, lo: int, hi: int, x: int, w: int) -> None:
    byteops.run("set_words", n, lo, hi, x, w)
    assert byteops.run("set_words", 12, 2, 10, 0x0A0B, 0x01020304) == \
        ("ok", bytearray(b"\x04\x00\x04\x03\x02\x01\x00\x00\x04\x03\x00\x00"))
    assert byteops.run("set_words", 12, 2, 10, -1, 0) == ("fail", "overflow")


@FAST
@given(b=st.binary(max_size=8), k=st.integers(0, 10))
def test_length_learned_through_a_local(byteops: Pair, b: bytes, k: int) -> None:
    byteops.run("len_alias", b, k)


@FAST
@given(n=st.integers(0, 40), x=st.one_of(U32, st.just(0xFFFF_FFF0)))
def test_list_building(lists: Pair, n: int, x: int) -> None:
    lists.run("build", n, x)


@FAST
@given(i=st.integers(-2, 7), xs=st.lists(I64, min_size=0, max_size=6), j=st.integers(-1, 7), v=I64)
def test_list_access(lists: Pair, i: int, xs: list[int], j: int, v: int) -> None:
    lists.run("table", i)
    lists.run("narrow", i)
    lists.run("vector", v, i)
    lists.run("smooth", xs, j)
    lists.run("edit", xs, j, v)


def test_list_literals_and_nesting(lists: Pair) -> None:
    assert lists.run("literal", 5, 3) == ("ok", [5, 3, 6])
    assert lists.run("nested", 6) == ("ok", sum(i * j for i in range(6) for j in range(i)))


@FAST
@given(data=st.one_of(st.binary(max_size=30), st.builds(lambda n, b: bytes([n]) + b, st.integers(0, 6),
                                                          st.binary(max_size=28))))
def test_records_reader(records: Pair, data: bytes) -> None:
    records.run("decode", data)


@FAST
@given(x=st.one_of(SMALL, I64), y=st.one_of(SMALL, I64))
def test_records_nested_and_tuples(records: Pair, x: int, y: int) -> None:
    records.run("segment", x, y)
    records.run("swap", x, y)


@FAST
@given(a=U64, b=st.one_of(U64, st.integers(0, 3)))
def test_tuple_returns(records: Pair, a: int, b: int) -> None:
    records.run("divmod_", a, b)


@FAST
@given(data=st.binary(max_size=12), at=st.one_of(st.integers(-2, 14), I64))
def test_internal_tuple_results(records: Pair, data: bytes, at: int) -> None:
    records.run("several", data, at)


@FAST
@given(data=st.binary(max_size=6), pos=st.integers(-3, 8), ok=st.booleans(), k=st.integers(0, 300))
def test_conditions_over_fields(records: Pair, data: bytes, pos: int, ok: bool, k: int) -> None:
    records.run("fields", data, pos, ok, k)


def test_assert_and_abort(records: Pair) -> None:
    assert records.run("checked", 5) == ("ok", 5)
    assert records.run("checked", 13) == ("fail", "assert")
    assert records.run("checked", 7) == ("fail", "abort")


@pytest.fixture(scope="module")
def opt() -> Pair:
    return Pair("opt", ["limbs", "schedule", "schedule_fixed", "mix", "header", "sinks", "load_words"])


@FAST
@given(xs=st.lists(st.integers(-(1 << 40), 1 << 40), max_size=6))
def test_constant_index_runs(opt: Pair, xs: list[int]) -> None:
    opt.run("limbs", xs)


@FAST
@given(ws=st.lists(U64, max_size=24), rounds=st.integers(0, 26))
def test_loop_copies_without_checks(opt: Pair, ws: list[int], rounds: int) -> None:
    opt.run("schedule", ws, rounds)
    opt.run("schedule_fixed", ws + [0] * rounds)


@FAST
@given(m=st.lists(U64, max_size=5), counter=U64)
def test_unrolled_table_loop(opt: Pair, m: list[int], counter: int) -> None:
    opt.run("mix", m, counter)


@FAST
@given(data=st.binary(max_size=12), xs=st.lists(U64, max_size=3), k=U64)
def test_length_facts_and_sunk_loads(opt: Pair, data: bytes, xs: list[int], k: int) -> None:
    opt.run("header", data)
    opt.run("sinks", xs, k)


@FAST
@given(data=st.binary(max_size=48), off=st.integers(-10, 30), n=st.integers(0, 6))
def test_span_checked_loop_reads(opt: Pair, data: bytes, off: int, n: int) -> None:
    opt.run("load_words", data, off, [0] * n)


@FAST
@given(lo=st.integers(0xFFFF_FF00, 0xFFFF_FFFF), span=st.integers(0, 60),
       start=st.integers(-(1 << 63), -(1 << 63) + 40), back=st.integers(0, 40))
def test_range_steps_near_type_limits(control: Pair, lo: int, span: int, start: int, back: int) -> None:
    control.run("stepped", lo, min(lo + span, 0xFFFF_FFFF), start + back, start)


@pytest.mark.parametrize("op", range(8))
def test_steps_fail_at_their_edge(ints: Pair, op: int) -> None:
    edges = [(0, -(1 << 31), 0, -(1 << 63)), (1, -1, 1, -1), (0xFFFF_FFFE, (1 << 31) - 2, (1 << 64) - 2, (1 << 63) - 2),
             (0xFFFF_FFFF, (1 << 31) - 1, (1 << 64) - 1, (1 << 63) - 1)]
    outcomes = {ints.run("steps", a, b, c, d, op)[0] for a, b, c, d in edges}
    assert outcomes == {"ok", "fail"}  # each routine fails at exactly its edge (checked against CPython above)
