"""docs/LANGUAGE.md is true: its example, and a fresh program written only from it, compile and
agree with checked CPython."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kernel_py.intrinsics import KernelFailure
from kernel_wasm import compile_file, native

DOC = Path(__file__).parents[2] / "docs" / "LANGUAGE.md"

FRESH = '''
"""A length-prefixed record decoder with a running checksum (written from LANGUAGE.md only)."""

from dataclasses import dataclass

from kernel_py.intrinsics import rotl_u32, u8, u32, u64, wrapping_add_u32

MAX_ITEMS: int = 8
SEED: u32 = 0x9E3779B9


@dataclass
class Item:
    key: bytes
    amount: u64


@dataclass
class Cursor:
    data: bytes
    pos: int
    ok: bool


def take(c: Cursor, n: int) -> bytes:
    if n < 0 or c.pos + n > len(c.data):
        c.ok = False
        return b""
    out = c.data[c.pos:c.pos + n]
    c.pos += n
    return out


def checksum(data: bytes) -> u32:
    h = SEED
    for b in data:
        h = rotl_u32(wrapping_add_u32(h, u32(b)), 5) ^ 0x5A5A5A5A
    return h


def decode(data: bytes) -> tuple[bool, list[Item], u32]:
    c = Cursor(data, 0, True)
    items: list[Item] = []
    count = int(take(c, 1)[0]) if len(data) > 0 else 0
    if count > MAX_ITEMS:
        return False, items, 0
    i = 0
    while i < count and c.ok:
        klen = take(c, 1)
        if not c.ok:
            break
        key = take(c, int(klen[0]))
        raw = take(c, 8)
        if c.ok:
            amount: u64 = int.from_bytes(raw, "big")
            items.append(Item(key, amount))
        i += 1
    return c.ok and c.pos == len(data), items, checksum(data)


def total(data: bytes) -> u64:
    ok, items, _ = decode(data)
    s: u64 = 0
    if ok:
        for it in items:
            s += it.amount
    return s
'''


def outcome(fn, *args):
    try:
        r = fn(*args)
    except KernelFailure as exc:
        return ("fail", exc.kind)
    return ("ok", r if not isinstance(r, tuple) else tuple(
        [tuple((x.key, x.amount) for x in v) if isinstance(v, list) else v for v in r]))


def test_doc_example(tmp_path: Path) -> None:
    example = re.search(r"```python\n(.*?)```", DOC.read_text(), re.S).group(1)
    src = tmp_path / "total.py"
    src.write_text(example)
    m = compile_file(src, exports=["total"])
    assert m.call("total", b"\0\0\0\1\0\0\0\2") == (True, 3)
    assert native.load(src).total(b"\0\0\0\1\0\0\0\2") == (True, 3)


def items(draw_amounts: list[tuple[bytes, int]]) -> bytes:
    out = bytes([len(draw_amounts)])
    for key, amount in draw_amounts:
        out += bytes([len(key)]) + key + amount.to_bytes(8, "big")
    return out


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> tuple:
    src = tmp_path_factory.mktemp("fresh") / "fresh.py"
    src.write_text(FRESH)
    return compile_file(src, exports=["decode", "total"]), native.load(src)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.lists(st.tuples(st.binary(max_size=5), st.integers(0, (1 << 64) - 1)), max_size=10).map(items),
                 st.binary(max_size=40)))
def test_fresh_program_agrees(fresh: tuple, data: bytes) -> None:
    m, py = fresh
    for name in ("decode", "total"):
        got = outcome(lambda d: _records(m.call(name, d)), data)
        want = outcome(getattr(py, name), data)
        assert got == want, (name, data)


def _records(r):
    if isinstance(r, tuple) and len(r) == 3 and isinstance(r[1], list):
        return (r[0], [_Item(*x) for x in r[1]], r[2])
    return r


class _Item:
    def __init__(self, key: bytes, amount: int) -> None:
        self.key, self.amount = key, amount
