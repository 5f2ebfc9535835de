"""Outbox message encodings (spec §4)."""

import pytest

from pvm_host.outbox import Transaction, atomic_batch, decode, micheline_length, whitelist_update
from pvm_spec import b58
from pvm_spec.michelson import to_micheline

KT1 = b58.encode("KT1", bytes(range(20)))


def test_atomic_batch_bytes_and_roundtrip() -> None:
    tx = Transaction(KT1, "default", to_micheline("Unit"))
    msg = atomic_batch([tx])
    body = b"\x03\x0b" + b"\x01" + bytes(range(20)) + b"\x00" + b"\x00\x00\x00\x07default"
    assert msg == b"\x00" + len(body).to_bytes(4, "big") + body
    assert decode(msg) == ("atomic_transaction_batch", [tx])
    typed = Transaction(KT1, "mint", to_micheline('Pair 1 "a"'), to_micheline("Unit"))
    assert decode(atomic_batch([typed, typed], typed=True)) == ("atomic_transaction_batch_typed", [typed, typed])


def test_whitelist_and_malformed() -> None:
    assert decode(whitelist_update(None)) == ("whitelist_update", None)
    pkh = bytes(21)
    assert decode(whitelist_update([pkh, pkh])) == ("whitelist_update", [pkh, pkh])
    for bad in (b"\x00\x00\x00\x00\x05\x03", b"\x07", b"\x02\xff\x00\x00\x00\x02ab"):
        with pytest.raises(ValueError):
            decode(bad)


def test_micheline_length() -> None:
    for text in ("Unit", "-1000000", '"abc"', "0x00ff", "Pair 1 (Left Unit)", "{ 1 ; 2 }", "Pair 1 2 3"):
        raw = to_micheline(text)
        assert micheline_length(raw + b"trailing") == len(raw)
