"""CPython checks of the Ed25519 building blocks against big-integer arithmetic (tests/crypto/reference_ed25519.py)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kernel_py.crypto import ed25519 as ed
from tests.crypto import reference_ed25519 as ref

FIELD = st.integers(min_value=0, max_value=ref.P - 1)
EDGE = [0, 1, 2, 18, 19, ref.P - 19, ref.P - 1, 2**255 - 20, 2**254, 2**26 - 1, 2**26]


def value(f: list[int]) -> int:
    return int.from_bytes(ed._fe_tobytes(f), "little")


def limb_value(f: list[int]) -> int:
    return sum(limb << off for limb, off in zip(f, ref.LIMB_OFFSETS))


def test_constants_match_the_reference() -> None:
    assert ed.D == ref.limbs(ref.D)
    assert ed.SQRT_M1 == ref.limbs(ref.SQRT_M1)
    assert ed.D_HALF == ref.limbs(ref.D * pow(2, -1, ref.P))
    table = ref.base_odd_multiples_table()
    assert ed.BASE_ODD_MULTIPLES == b"".join(
        (limb_value(table[30 * k : 30 * k + 10]) % ref.P).to_bytes(32, "little")
        + (limb_value(table[30 * k + 10 : 30 * k + 20]) % ref.P).to_bytes(32, "little")
        for k in range(8))
    assert int.from_bytes(ed.L_BYTES, "little") == ref.L


@settings(max_examples=200, deadline=None)
@given(a=FIELD, b=FIELD)
def test_field_operations(a: int, b: int) -> None:
    fa, fb, h = ref.limbs(a), ref.limbs(b), ed._fe_new()
    ed._fe_mul(h, fa, fb)
    assert value(h) == a * b % ref.P
    ed._fe_sq(h, fa)
    assert value(h) == a * a % ref.P
    d = ed._fe_new()
    ed._fe_addsub(h, d, fa, fb)
    assert value(h) == (a + b) % ref.P and value(d) == (a - b) % ref.P
    ed._fe_addsub(fa, fb, fa, fb)  # outputs may be the inputs
    assert value(fa) == (a + b) % ref.P and value(fb) == (a - b) % ref.P


@settings(max_examples=50, deadline=None)
@given(x=FIELD, y=FIELD, z=FIELD, t=FIELD)
def test_cached_form_derives_2d(x: int, y: int, z: int, t: int) -> None:
    """_p3_to_cached: (Y + X, Y - X, Z, 2dT), 2d taken as d + d."""
    r = ed._point_new()
    ed._p3_to_cached(r, ed.Point(ref.limbs(x), ref.limbs(y), ref.limbs(z), ref.limbs(t)))
    assert [value(f) for f in (r.x, r.y, r.z, r.t)] == [(y + x) % ref.P, (y - x) % ref.P, z, 2 * ref.D * t % ref.P]


def test_base_table_matches_the_reference() -> None:
    """_base_table rebuilds every (y + x, y - x, 2dxy) entry of B, 3B, ..., 15B, 2dxy included."""
    table = ref.base_odd_multiples_table()
    for k, e in enumerate(ed._base_table()):
        for j, f in enumerate((e.x, e.y, e.t)):
            assert value(f) == limb_value(table[30 * k + 10 * j : 30 * k + 10 * j + 10]) % ref.P


def test_tobytes_is_canonical_at_the_edges() -> None:
    for v in EDGE:
        f = ref.limbs(v)
        assert value(f) == v % ref.P
        # Non-reduced limb patterns of the same value: v + p, and limbs carrying negative values.
        g = ed._fe_new()
        ed._fe_addsub(g, ed._fe_new(), f, [2**26 - 19, 2**25 - 1] + [2**26 - 1, 2**25 - 1] * 4)
        assert value(g) == v % ref.P
        ed._fe_addsub(ed._fe_new(), g, [0] * 10, f)
        assert value(g) == (-v) % ref.P


def test_largest_products_stay_exact() -> None:
    """At the documented input bound (|even limb| <= 1.5 * 2^27, |odd| <= 1.5 * 2^26) no column sum overflows i64."""
    bound = [3 * 2**26, 3 * 2**25] * 5
    h = ed._fe_new()
    for f in (bound, [-x for x in bound]):
        for g in (bound, [-x for x in bound]):
            f_value = sum(limb << off for limb, off in zip(f, ref.LIMB_OFFSETS))
            g_value = sum(limb << off for limb, off in zip(g, ref.LIMB_OFFSETS))
            ed._fe_mul(h, f, g)
            assert value(h) == f_value * g_value % ref.P
            ed._fe_sq(h, f)
            assert value(h) == f_value * f_value % ref.P


@settings(max_examples=100, deadline=None)
@given(digest=st.binary(min_size=64, max_size=64))
def test_reduce_hash(digest: bytes) -> None:
    assert ed._reduce_hash(digest) == (int.from_bytes(digest, "little") % ref.L).to_bytes(32, "little")


@settings(max_examples=100, deadline=None)
@given(a=st.integers(min_value=0, max_value=2**256 - 1), b=st.integers(min_value=0, max_value=2**256 - 1),
       c=st.integers(min_value=0, max_value=2**128 - 1))
def test_scalar_multiply_accumulate_and_reduce(a: int, b: int, c: int) -> None:
    limbs = []
    for v in (a, b, c):
        x = ed._scalar_limbs()
        ed._limbs_from_bytes(x, v.to_bytes(32, "little"))
        limbs.append(x)
    acc = ed._scalar_limbs()
    ed._mul_add_limbs(acc, limbs[0], limbs[1])
    ed._mul_add_limbs(acc, limbs[2], limbs[1])
    assert ed._reduce_limbs(acc) == ((a * b + c * b) % ref.L).to_bytes(32, "little")


def test_reduce_hash_edges() -> None:
    for v in [0, 1, ref.L - 1, ref.L, ref.L + 1, 2 * ref.L - 1, 2 * ref.L, 2**252, 2**252 - 1, 2**512 - 1, 2**256,
              ref.L * (2**259), ref.L * (2**259) - 1, (2**260 - 1) * ref.L]:
        digest = (v % 2**512).to_bytes(64, "little")
        assert ed._reduce_hash(digest) == (v % 2**512 % ref.L).to_bytes(32, "little")


@settings(max_examples=100, deadline=None)
@given(s=st.integers(min_value=0, max_value=ref.L - 1))
def test_wnaf_represents_the_scalar(s: int) -> None:
    naf = [0] * ed.NAF_LEN
    ed._wnaf(naf, 0, 1, s.to_bytes(32, "little"))
    assert sum(d << i for i, d in enumerate(naf)) == s
    assert all(d == 0 or (d % 2 == 1 and -15 <= d <= 15) for d in naf)
    interleaved = [0] * (3 * ed.NAF_LEN)
    ed._wnaf(interleaved, 1, 3, s.to_bytes(32, "little"))
    assert interleaved[1::3] == naf and not any(interleaved[0::3]) and not any(interleaved[2::3])


@settings(max_examples=10, deadline=None)
@given(y=st.integers(min_value=0, max_value=ref.P - 1), sign=st.integers(min_value=0, max_value=1))
def test_decode_matches_the_reference(y: int, sign: int) -> None:
    encoding = (y | (sign << 255)).to_bytes(32, "little")
    expected = ref.decode(encoding)
    point = ed._point_new()
    ok = ed._decode_checked(point, encoding, b"")
    assert ok is (expected is not None and ref.affine(ref.mul(8, expected)) != (0, 1))
    if expected is not None:
        x, y_ref = ref.affine(expected)
        assert value(point.x) == (-x) % ref.P and value(point.y) == y_ref


def test_decode_refuses_exactly_the_small_order_points() -> None:
    """The 8 torsion points (and their other sign bit, where it is canonical) fail; their sums with B decode."""
    for t in ref.torsion_points():
        encoding = ref.encode(t)
        assert ed._decode_checked(ed._point_new(), encoding, b"") is False
        assert ed._decode_checked(ed._point_new(), ref.encode(ref.add(t, ref.BASE)), b"") is True


@settings(max_examples=200, deadline=None)
@given(v=st.integers(min_value=0, max_value=2**256 - 1))
def test_frombytes_splits_the_low_255_bits_into_limbs(v: int) -> None:
    h = ed._fe_new()
    ed._fe_frombytes(h, v.to_bytes(32, "little"))
    assert limb_value(h) == v % 2**255
    assert all(0 <= limb < 2 ** (26 - (i & 1)) for i, limb in enumerate(h))
