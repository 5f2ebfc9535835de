"""Mock consensus pre-blocks are accepted by the kernel (ordering rules 1-5), also across a restart
of the producer from its state directory."""

from __future__ import annotations

from pathlib import Path

from nacl.signing import SigningKey

from dsn.sequencer.committee_keys import fixture_committee
from dsn.sequencer.da import preblock_frames
from dsn.sequencer.mock_consensus import MockConsensus
from dsn.sequencer.setup_file import setup_instructions
from dsn.token import txbuild
from kernel_py.ledger import balance_key
from pvm_host.inbox import external
from pvm_host.rollup import Rollup

ALICE = SigningKey(bytes([1]) * 32)
BOB = bytes(SigningKey(bytes([2]) * 32).verify_key)


def test_mock_preblocks_verify_in_the_kernel_across_a_restart(tmp_path: Path) -> None:
    committee, keys = fixture_committee(4)
    rollup = Rollup.open(native="kernel_py.kernel", setup=setup_instructions(committee, [(bytes(ALICE.verify_key), 1000)]))
    address = rollup.pvm.rollup_address
    producer = MockConsensus(keys, committee, tmp_path / "mc")
    nonce = 0
    for round_trip in range(2):
        for _ in range(2):
            tx = txbuild.sign_tx(ALICE, address, nonce, txbuild.transfer(BOB, bytes(32), 10))
            nonce += 1
            encoded = producer.commit([tx, b"foreign bytes"], 5000 + nonce)
            rollup.run_level([external(f) for f in preblock_frames(address, producer.index, encoded)])
        producer = MockConsensus(keys, committee, tmp_path / "mc")  # restart from the state directory
        assert producer.index == 2 * (round_trip + 1)
        assert producer.preblock(producer.index) is not None
    assert rollup.read("/dsn/last_index") == (4).to_bytes(8, "big")
    assert rollup.read("/rejections/count") is None
    assert rollup.read(balance_key(BOB, bytes(32)).decode()) == (40).to_bytes(8, "big")
    results = rollup.read("/blocks/4/results")
    assert results is not None and results[32] == 0 and results[-len(b"invalid transaction encoding"):] == \
        b"invalid transaction encoding"
