"""User transaction format (FORMATS.md §3): vectors, strict decoding, NodeKit required fields."""

import pytest

from kernel_py.formats import tx as txf
from tests.kernel.builders import ROLLUP, pk, signed_tx, user

TO = bytes([7]) * 32
ASSET = bytes([9]) * 32


def test_transfer_vector():
    body = txf.tx_body(ROLLUP, 5, txf.action_transfer(TO, ASSET, 300))
    assert body == b"\x01" + ROLLUP + (5).to_bytes(8, "big") + b"\x00" + TO + ASSET + (300).to_bytes(8, "big")
    assert txf.signing_message(body) == b"dsn-tx-v1\x00" + body
    raw = txf.assemble_tx(body, b"P" * 32, b"S" * 64)
    t = txf.decode_tx(raw)
    assert (t.ok, t.rollup, t.nonce, t.action, t.to, t.asset, t.value) == (True, ROLLUP, 5, 0, TO, ASSET, 300)
    assert (t.signer, t.sig, t.body) == (b"P" * 32, b"S" * 64, body)


def test_sequencer_msg_wire_order():
    action = txf.action_sequencer_msg(TO, b"data!", b"\x00\x01\x02")
    assert action == b"\x07" + TO + b"\x00\x00\x00\x05data!" + b"\x00\x00\x00\x03\x00\x01\x02"
    t = txf.decode_tx(signed_tx(user(1), 0, action))
    assert (t.ok, t.action, t.to, t.data, t.chain_id) == (True, 7, TO, b"data!", b"\x00\x01\x02")


@pytest.mark.parametrize(
    "action",
    [
        txf.action_create_asset(b""),
        txf.action_create_asset(b"m" * 300),
        txf.action_mint_asset(TO, ASSET, 1),
        txf.action_burn_asset(bytes(32), 4),
        txf.action_modify_asset(ASSET, bytes(32), b"meta"),
    ],
)
def test_actions_roundtrip(action):
    raw = signed_tx(user(2), 1, action)
    t = txf.decode_tx(raw)
    assert t.ok and t.action == action[0] and t.signer == pk(user(2))
    # every strict prefix and every extension is rejected
    for cut in range(len(raw)):
        assert not txf.decode_tx(raw[:cut]).ok
    assert not txf.decode_tx(raw[:-96] + b"\x00" + raw[-96:]).ok


@pytest.mark.parametrize(
    "action,error",
    [
        (txf.action_transfer(TO, ASSET, 0), b"field is not populated"),
        (txf.action_mint_asset(bytes(32), ASSET, 1), b"field is not populated"),
        (txf.action_mint_asset(TO, bytes(32), 1), b"field is not populated"),
        (txf.action_burn_asset(ASSET, 0), b"field is not populated"),
        (txf.action_modify_asset(bytes(32), TO, b""), b"field is not populated"),
        (txf.action_sequencer_msg(TO, b"", b"c"), b"field is not populated"),
        (txf.action_sequencer_msg(TO, b"d", b""), b"field is not populated"),
        (b"\x05" + bytes(10), b"unknown action"),
        (b"\x00" + bytes(71), b"invalid transaction encoding"),
    ],
)
def test_required_fields_and_malformed(action, error):
    t = txf.decode_tx(txf.assemble_tx(txf.tx_body(ROLLUP, 0, action), b"P" * 32, b"S" * 64))
    assert (t.ok, t.error) == (False, error)


def test_version_size_and_huge_lengths():
    good = signed_tx(user(1), 0, txf.action_create_asset(b"x"))
    assert txf.decode_tx(b"\x02" + good[1:]).error == b"unsupported transaction version"
    assert txf.decode_tx(bytes(70000)).error == b"transaction is too large"
    huge = txf.tx_body(ROLLUP, 0, b"\x01\xff\xff\xff\xff") + bytes(96)
    assert txf.decode_tx(huge).error == b"invalid transaction encoding"
    seq = txf.tx_body(ROLLUP, 0, b"\x07" + TO + b"\xff\xff\xff\xf0" + b"ab") + bytes(96)
    assert txf.decode_tx(seq).error == b"invalid transaction encoding"
