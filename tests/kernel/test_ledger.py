"""State transition parity with NodeKit SEQ Gen 1: actions, error strings, nonces, roots."""

import pytest

from kernel_py.formats import tx as txf
from kernel_py.ledger import asset_key, balance_key, nonce_key
from tests.kernel.builders import NATIVE, ROLLUP, Dag, Harness, make_committee, pk, signed_tx, submit, tx_id, user
from tests.kernel.doubles import fast_crypto

ALICE, BOB, CAROL = user(1), user(2), user(3)


@pytest.fixture
def chain():
    auth = make_committee()
    h = Harness(auth.committee, [(pk(ALICE), 1000), (pk(BOB), 50)])
    with fast_crypto():
        yield h, Dag(auth)


def test_genesis(chain):
    h, _ = chain
    h.run([])
    assert (h.balance(pk(ALICE)), h.balance(pk(BOB))) == (1000, 50)
    asset = h.get(asset_key(NATIVE).decode())
    assert asset == b"\x00\x03TKN" + (1050).to_bytes(8, "big") + bytes(32) + b"\x00"
    assert h.get("/head")[:8] == bytes(8) and h.get("/head")[8:] == h.get("/state/root")


def test_transfer_and_nonces(chain):
    h, dag = chain
    txs = [
        signed_tx(ALICE, 0, txf.action_transfer(pk(BOB), NATIVE, 100)),
        signed_tx(ALICE, 1, txf.action_transfer(pk(CAROL), NATIVE, 5000)),  # fails, nonce consumed
        signed_tx(ALICE, 1, txf.action_transfer(pk(CAROL), NATIVE, 1)),  # replayed nonce: rejected
        signed_tx(ALICE, 2, txf.action_transfer(pk(ALICE), NATIVE, 900)),  # self transfer: no change
        signed_tx(BOB, 0, txf.action_transfer(pk(CAROL), NATIVE, 150)),  # whole balance: key deleted
    ]
    res = submit(h, dag, txs)
    assert [(r[0], r[1]) for r in res] == [(tx_id(t), s) for t, s in zip(txs, [0, 1, 2, 0, 0])]
    assert res[1][2] == (
        b"invalid balance: could not subtract balance (asset=" + NATIVE.hex().encode() + b", bal=900, addr="
        + pk(ALICE).hex().encode() + b", amount=5000)"
    )
    assert res[2][2] == b"invalid nonce: expected 2, got 1"
    assert (h.balance(pk(ALICE)), h.balance(pk(BOB)), h.balance(pk(CAROL))) == (900, 0, 150)
    assert h.get(balance_key(pk(BOB), NATIVE).decode()) is None
    assert h.u64(nonce_key(pk(ALICE)).decode()) == 3
    assert h.get("/blocks/1/root") == h.get("/state/root") == h.get("/head")[8:]


def test_bad_signature_and_wrong_rollup(chain):
    h, dag = chain
    good = signed_tx(ALICE, 0, txf.action_transfer(pk(BOB), NATIVE, 1))
    forged = good[:-1] + bytes([good[-1] ^ 1])
    other = signed_tx(ALICE, 0, txf.action_transfer(pk(BOB), NATIVE, 1), rollup=bytes(20))
    res = submit(h, dag, [forged, other, b"foreign spam bytes"])
    assert [(r[1], r[2]) for r in res] == [
        (2, b"invalid signature"),
        (2, b"wrong rollup address"),
        (2, b"invalid transaction encoding"),
    ]
    assert h.u64(nonce_key(pk(ALICE)).decode()) == 0 and h.balance(pk(ALICE)) == 1000


def test_asset_lifecycle(chain):
    h, dag = chain
    create = signed_tx(ALICE, 0, txf.action_create_asset(b"my token"))
    asset = tx_id(create)
    txs = [
        create,
        signed_tx(ALICE, 1, txf.action_mint_asset(pk(BOB), asset, 70)),
        signed_tx(BOB, 0, txf.action_mint_asset(pk(BOB), asset, 1)),  # wrong owner
        signed_tx(ALICE, 2, txf.action_mint_asset(pk(BOB), bytes([5]) * 32, 1)),  # asset missing
        signed_tx(BOB, 1, txf.action_burn_asset(asset, 20)),
        signed_tx(BOB, 2, txf.action_burn_asset(asset, 51)),  # insufficient
        signed_tx(ALICE, 3, txf.action_modify_asset(asset, pk(CAROL), b"renamed")),
        signed_tx(ALICE, 4, txf.action_modify_asset(asset, pk(ALICE), b"x")),  # no longer owner
        signed_tx(ALICE, 5, txf.action_modify_asset(NATIVE, pk(ALICE), b"x")),  # rejected at parse
        signed_tx(ALICE, 5, txf.action_create_asset(b"m" * 257)),
        signed_tx(ALICE, 6, txf.action_mint_asset(pk(ALICE), asset, 2**64 - 1)),  # wrong owner first
        signed_tx(CAROL, 0, txf.action_mint_asset(pk(ALICE), asset, 2**64 - 1)),  # supply overflow
        signed_tx(BOB, 3, txf.action_burn_asset(NATIVE, 10)),  # native burn lowers supply
    ]
    res = submit(h, dag, txs)
    assert [(r[1], r[2]) for r in res] == [
        (0, b""),
        (0, b""),
        (1, b"wrong owner"),
        (1, b"asset missing"),
        (0, b""),
        (1, b"invalid balance: could not subtract balance (asset=" + asset.hex().encode() + b", bal=50, addr="
         + pk(BOB).hex().encode() + b", amount=51)"),
        (0, b""),
        (1, b"wrong owner"),
        (2, b"field is not populated"),
        (1, b"metadata is too large"),
        (1, b"wrong owner"),
        (1, b"overflow"),
        (0, b""),
    ]
    assert h.get(asset_key(asset).decode()) == b"\x00\x07renamed" + (50).to_bytes(8, "big") + pk(CAROL) + b"\x00"
    assert h.balance(pk(BOB), asset) == 50
    assert h.get(asset_key(NATIVE).decode())[5:13] == (1040).to_bytes(8, "big")


def test_sequencer_messages_per_chain(chain):
    h, dag = chain
    m1 = signed_tx(ALICE, 0, txf.action_sequencer_msg(pk(CAROL), b"first", b"\x00\x01\x02"))
    m2 = signed_tx(BOB, 0, txf.action_sequencer_msg(pk(BOB), b"other", b"\xee"))
    m3 = signed_tx(ALICE, 1, txf.action_sequencer_msg(pk(ALICE), b"second", b"\x00\x01\x02"))
    big = signed_tx(ALICE, 2, txf.action_sequencer_msg(pk(ALICE), b"z", b"c" * 65))
    res = submit(h, dag, [m1, m2, m3, big])
    assert [(r[1], r[2]) for r in res] == [(0, b""), (0, b""), (0, b""), (1, b"chain id is too large")]
    m4 = signed_tx(ALICE, 3, txf.action_sequencer_msg(pk(ALICE), b"third", b"\x00\x01\x02"))
    submit(h, dag, [m4])
    assert h.u64("/seq/000102/count") == 3
    assert h.get("/seq/000102/0") == (1).to_bytes(8, "big") + tx_id(m1) + pk(CAROL) + b"first"
    assert h.get("/seq/000102/1") == (1).to_bytes(8, "big") + tx_id(m3) + pk(ALICE) + b"second"
    assert h.get("/seq/000102/2") == (2).to_bytes(8, "big") + tx_id(m4) + pk(ALICE) + b"third"
    assert h.get("/seq/ee/0")[40:72] == pk(BOB)
    assert h.get("/blocks/1/seq/000102") == (0).to_bytes(8, "big") + (1).to_bytes(8, "big")
    assert h.get("/blocks/2/seq/000102") == (2).to_bytes(8, "big")


def test_state_root_commits_to_results(chain):
    h, dag = chain
    submit(h, dag, [signed_tx(ALICE, 0, txf.action_transfer(pk(BOB), NATIVE, 1))])
    r1 = h.get("/blocks/1/root")
    auth2 = make_committee()
    h2 = Harness(auth2.committee, [(pk(ALICE), 1000), (pk(BOB), 50)])
    submit(h2, Dag(auth2), [signed_tx(ALICE, 0, txf.action_transfer(pk(BOB), NATIVE, 2))])
    assert len(r1) == 32 and h2.get("/blocks/1/root") != r1


def test_client_decoders(chain):
    from kernel_py.blocks import decode_results
    from kernel_py.ledger import decode_asset, decode_seq_message

    h, dag = chain
    msg = signed_tx(ALICE, 0, txf.action_sequencer_msg(pk(BOB), b"payload", b"\x07"))
    submit(h, dag, [msg])
    m = decode_seq_message(h.get("/seq/07/0"))
    assert (m.ok, m.block, m.tx_id, m.from_address, m.data) == (True, 1, tx_id(msg), pk(BOB), b"payload")
    a = decode_asset(h.get(asset_key(NATIVE).decode()))
    assert (a.exists, a.metadata, a.supply, a.owner, a.warp) == (True, b"TKN", 1050, NATIVE, False)
    raw = h.get("/blocks/1/results")
    assert decode_results(raw)[0] and not decode_results(raw[:-1])[0]
    assert not decode_seq_message(b"x" * 71).ok and not decode_asset(b"\x00\x05abc").exists


def test_signatures_ok_verifies_eligible_transactions_in_one_call(monkeypatch):
    """One batch per call; a signer's decoded key is cached at /keys/<hex> after its first valid signature
    (one entry per signer, none for one without a valid signature)."""
    import kernel_py.blocks as blocks
    from kernel_py.crypto.ed25519 import verify_each_cached
    from kernel_py.formats.tx import decode_tx
    from kernel_py.intrinsics import install_host
    from pvm_host.pvm import PvmState
    from tests.crypto.test_ed25519_keys import neg_x

    calls = []

    def counting_each(cache, pks, msgs, sigs, hints):
        calls.append((cache, len(pks), [len(k) for k in pks], hints))
        return verify_each_cached(cache, pks, msgs, sigs, hints)

    monkeypatch.setattr(blocks, "verify_each_cached", counting_each)
    raws = [signed_tx(ALICE, i, txf.action_transfer(pk(BOB), NATIVE, 1)) for i in range(8)]
    raws[6] = raws[6][:-1] + bytes([raws[6][-1] ^ 1])
    raws[2] = b"not a transaction"
    raws[4] = signed_tx(ALICE, 4, txf.action_transfer(pk(BOB), NATIVE, 1), rollup=bytes(20))
    bad_bob = signed_tx(BOB, 0, txf.action_transfer(pk(ALICE), NATIVE, 1))
    raws.append(bad_bob[:-1] + bytes([bad_bob[-1] ^ 1]))
    pvm = PvmState()
    install_host(pvm)
    try:
        ok = blocks.signatures_ok([decode_tx(r) for r in raws], ROLLUP, b"")
        assert ok == [i not in (2, 4, 6, 8) for i in range(9)]
        keys = {k: v for k, v in pvm.durable.items() if k.startswith("/keys/")}
        assert keys == {"/keys/" + pk(ALICE).hex(): neg_x(pk(ALICE))}  # BOB signed nothing valid
        assert blocks.signatures_ok([decode_tx(r) for r in raws], ROLLUP, bytes(9 * 32)) == ok
    finally:
        install_host(None)
    # the other rollup's and the undecodable tx take an empty key (refused before any other work)
    lengths = [0 if i in (2, 4) else 32 for i in range(9)]
    assert calls == [(b"/keys/", 9, lengths, b""), (b"/keys/", 9, lengths, bytes(9 * 32))]
