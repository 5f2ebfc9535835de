"""The project's own decoders and encoders (kernel_py/formats) compiled and under checked CPython
agree on valid encodings, their mutations and random bytes — real code through every optimisation."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kernel_wasm import compile_file, native
from tests.compiler.differential import outcome

FORMATS = Path(__file__).parents[2] / "kernel_py" / "formats"
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


class Formats:
    def __init__(self, name: str, exports: list[str]) -> None:
        self.wasm = {profile: compile_file(FORMATS / f"{name}.py", exports=exports, optimize=profile)
                     for profile in ("speed", "size")}
        self.py = native.load(FORMATS / f"{name}.py")

    def same(self, func: str, *args: object) -> tuple[str, object]:
        want = outcome(getattr(self.py, func), *args)
        for profile, module in self.wasm.items():
            got = outcome(lambda *a: module.call(func, *a), *args)
            assert got == want, f"{func}: wasm ({profile}) {got} != CPython {want}"
        return want


@pytest.fixture(scope="module")
def dsn() -> Formats:
    return Formats("dsn", ["decode_batch", "decode_header", "decode_certificate", "decode_preblock",
                           "decode_committee", "encode_batch", "concat"])


@pytest.fixture(scope="module")
def tx() -> Formats:
    return Formats("tx", ["decode_tx", "tx_body", "assemble_tx", "action_transfer"])


def mutate(data: bytes, cut: int, flip: int, byte: int) -> list[bytes]:
    out = [data, data[:cut % (len(data) + 1)]]
    if data:
        i = flip % len(data)
        out.append(data[:i] + bytes([byte]) + data[i + 1:])
    return out


@SETTINGS
@given(txs=st.lists(st.binary(max_size=40), max_size=5), cut=st.integers(0, 400), flip=st.integers(0, 400),
       byte=st.integers(0, 255), noise=st.binary(max_size=80))
def test_dsn_decoders(dsn: Formats, txs: list[bytes], cut: int, flip: int, byte: int, noise: bytes) -> None:
    kind, encoded = dsn.same("encode_batch", dsn.py.Batch(txs))
    assert kind == "ok"
    for data in mutate(encoded, cut, flip, byte) + [noise]:
        for func in ("decode_batch", "decode_header", "decode_certificate", "decode_preblock", "decode_committee"):
            dsn.same(func, data)
    ok, batch = dsn.same("decode_batch", encoded)[1]
    assert not ok or batch == (txs,)  # a batch that decodes round-trips
    assert dsn.same("concat", txs) == ("ok", b"".join(txs))


@SETTINGS
@given(rollup=st.binary(min_size=20, max_size=20), nonce=st.integers(0, (1 << 64) - 1),
       to=st.binary(min_size=22, max_size=22), asset=st.binary(min_size=32, max_size=32),
       value=st.integers(0, (1 << 64) - 1), sig=st.binary(min_size=64, max_size=64),
       signer=st.binary(min_size=32, max_size=32), cut=st.integers(0, 300), flip=st.integers(0, 300),
       byte=st.integers(0, 255))
def test_tx_codec(tx: Formats, rollup: bytes, nonce: int, to: bytes, asset: bytes, value: int, sig: bytes,
                  signer: bytes, cut: int, flip: int, byte: int) -> None:
    _, action = tx.same("action_transfer", to, asset, value)
    _, body = tx.same("tx_body", rollup, nonce, action)
    _, raw = tx.same("assemble_tx", body, signer, sig)
    for data in mutate(raw, cut, flip, byte):
        tx.same("decode_tx", data)
