"""x(R) hints (kernel_py/crypto/README.md): a hint only replaces the square root's exponentiation when it is a root
(up to the factor sqrt(-1) the exponentiation's result may need too), so decoding and ``verify_each_cached`` give
exactly the results they give without hints, whatever the hints are."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kernel_py.crypto import ed25519 as ed
from tests.crypto import reference_ed25519 as ref
from tests.crypto.test_ed25519_each import KINDS, batch
from tests.crypto.test_ed25519_internals import value

HINT_KINDS = ["none", "x", "-x", "i x", "-i x", "x + p", "bit 255", "zero", "one", "random", "short", "long"]


def hint_for(kind: str, encoding: bytes, noise: int) -> bytes:
    """A hint of the given kind for the point encoded by ``encoding`` (x taken as 0 when it does not decode)."""
    point = ref.decode(encoding) or ref.decode(encoding[:31] + bytes([encoding[31] & 0x7F]))
    x = point[0] if point else 0
    values = {"x": x, "-x": ref.P - x, "i x": x * ref.SQRT_M1 % ref.P, "-i x": (ref.P - x) * ref.SQRT_M1 % ref.P,
              "x + p": x + ref.P if x < 19 else x, "bit 255": x | 1 << 255, "zero": 0, "one": 1, "random": noise}
    if kind == "none":
        return b""
    if kind == "short":
        return x.to_bytes(32, "little")[:31]
    if kind == "long":
        return x.to_bytes(32, "little") + b"\x01"
    return (values[kind] % 2**256).to_bytes(32, "little")


def decoded(encoding: bytes, hint: bytes) -> tuple[bool, list[int]]:
    p = ed._point_new()
    ok = ed._decode_checked(p, encoding, hint)
    return ok, [value(f) for f in (p.x, p.y, p.t)] if ok else []


@settings(max_examples=60, deadline=None)
@given(y=st.integers(min_value=0, max_value=2**255 - 1), sign=st.integers(0, 1), kind=st.sampled_from(HINT_KINDS),
       noise=st.integers(min_value=0, max_value=2**256 - 1))
def test_decoding_with_any_hint_equals_decoding_without(y: int, sign: int, kind: str, noise: int) -> None:
    """Random y (most do not decode; y >= p included), either sign bit, every kind of hint."""
    encoding = (y | sign << 255).to_bytes(32, "little")
    assert decoded(encoding, hint_for(kind, encoding, noise)) == decoded(encoding, b"")


def small_x_points() -> list[bytes]:
    """Encodings of the points whose x < 19 (so x + p < 2^255 is a non-canonical hint), both signs."""
    out = []
    for x in range(1, 19):
        y2 = (1 + x * x) * pow(1 - ref.D * x * x, -1, ref.P) % ref.P  # -x^2 + y^2 = 1 + d x^2 y^2
        y = pow(y2, (ref.P + 3) // 8, ref.P)
        if y * y % ref.P != y2:
            y = y * ref.SQRT_M1 % ref.P
        if y * y % ref.P == y2:
            out += [(y | 1 << 255).to_bytes(32, "little"), y.to_bytes(32, "little")]
    return out


@pytest.mark.parametrize("kind", HINT_KINDS)
def test_edge_points_with_every_hint(kind: str) -> None:
    """Points with a tiny x (hint x + p), the torsion points (x = 0 with the sign bit among them), their
    neighbours, y = 0 and y = p - 1, and B."""
    encodings = small_x_points()
    assert len(encodings) >= 4  # some x < 19 are on the curve
    for t in ref.torsion_points():
        encodings += [ref.encode(t), ref.encode(ref.add(t, ref.BASE))]
    encodings += [(1 | 1 << 255).to_bytes(32, "little"), bytes(32), (ref.P - 1).to_bytes(32, "little"),
                  ref.P.to_bytes(32, "little"), ref.encode(ref.BASE)]
    for e in encodings:
        assert decoded(e, hint_for(kind, e, 12345)) == decoded(e, b""), e.hex()


def test_a_right_hint_skips_the_exponentiation(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    original = ed._fe_pow22523
    monkeypatch.setattr(ed, "_fe_pow22523", lambda h, z: (calls.append(1), original(h, z)))
    e = ref.encode(ref.mul(7, ref.BASE))
    for kind, expected in (("x", 0), ("-i x", 0), ("x + p", 0), ("random", 1), ("none", 1), ("short", 1)):
        calls.clear()
        assert decoded(e, hint_for(kind, e, 99))[0] is True
        assert len(calls) == expected, kind


@settings(max_examples=12, deadline=None)
@given(rows=st.lists(st.tuples(st.sampled_from(KINDS), st.integers(0, 2), st.integers(0, 1 << 16),
                               st.sampled_from(HINT_KINDS), st.integers(min_value=0, max_value=2**256 - 1)),
                     min_size=1, max_size=7))
def test_batches_with_any_hints_equal_batches_without(rows: list[tuple[str, int, int, str, int]]) -> None:
    """``verify_each_cached`` (no key cache) with per-item hints of every kind, a hint list cut short, or one
    with a hint too many, equals ``verify_each``."""
    pks, msgs, sigs = batch([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])
    expected = ed.verify_each(pks, msgs, sigs)
    hints = [hint_for(r[3], s[:32], r[4]) for r, s in zip(rows, sigs)]
    words = b"".join(h[:32].ljust(32, b"\x00") for h in hints)
    for blob in (words, words[:32 * (len(rows) // 2)], words + bytes(32), words[:-1]):
        assert ed.verify_each_cached(b"", pks, msgs, sigs, blob) == expected
