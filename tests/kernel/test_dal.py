"""DAL import (FORMATS.md §2.2, kernel_py.dal) against a mock DAL answering reveal 02/03:
whitelisted publishers and configured slots only, pre-blocks spanning slots, dropped short slots,
re-posting without double application, garbage slots that never halt the rollup."""

from __future__ import annotations

import os
import random

import pytest

from dsn.sequencer.dal_slots import pack_slots, preblock_contents, slot_bitmap, unpack_slot
from kernel_py.dal import MAX_PUBLISHERS, publishers_update
from kernel_py.formats import dsn as fmt
from kernel_py.formats import inbox as ib
from kernel_py.formats import tx as txf
from pvm_host.inbox import transfer
from pvm_spec.michelson import zarith
from tests.kernel.builders import (
    GOVERNANCE,
    NATIVE,
    ROLLUP,
    SOURCE,
    Dag,
    Harness,
    ext,
    make_committee,
    next_preblock,
    pk,
    signed_tx,
    user,
)
from tests.kernel.dal_host import DalParams, MockDal, attested_message
from tests.kernel.doubles import fast_crypto

ALICE, BOB = user(1), user(2)
PUBLISHER = b"\x00" + bytes([0x11]) * 20
OTHER = b"\x00" + bytes([0x22]) * 20
PARAMS = DalParams()
SLOT_SIZE = PARAMS.slot_size


class DalChain:
    """A native rollup whose reveals are answered by a :class:`MockDal`."""

    def __init__(self, publishers: list[bytes], slots: list[int], kernel: bytes | None = None) -> None:
        auth = make_committee()
        self.h = Harness(auth.committee, [(pk(ALICE), 10**9)], kernel=kernel)
        self.h.pvm.durable.set("/dal/publishers", b"".join(publishers))
        self.h.pvm.durable.set("/dal/slots", slot_bitmap(slots))
        self.dal = MockDal(PARAMS)
        self.dal.install(self.h.pvm)
        self.dag = Dag(auth)
        self.nonce = 0
        self.run([])

    def run(self, messages: list[bytes]) -> None:
        self.dal.level = self.h.level + 1
        self.h.run(messages)

    def level(self) -> int:
        """The level the next :meth:`run` processes."""
        return self.h.level + 1

    def preblock(self, txs: list[bytes]) -> bytes:
        return next_preblock(self.dag, txs)

    def tx(self, value: int = 1) -> bytes:
        self.nonce += 1
        return signed_tx(ALICE, self.nonce - 1, txf.action_transfer(pk(BOB), NATIVE, value))


@pytest.fixture
def chain():
    with fast_crypto():
        yield DalChain([OTHER, PUBLISHER], [0, 1, 2, 5])


def test_zarith_and_attested_message_vectors() -> None:
    # the SDK's OCaml vector (dal.md §2.3): P 8, 16 slots, 126,944 / 4,096, tz1KqTpE… -> slot 4
    pkh = bytes.fromhex("0002298c03ed7d454a101eb7022bc95f7e5f41ac78")
    msg = attested_message(8, DalParams(16, 8, 126944, 4096), [(pkh, [4])])
    assert msg.hex() == "0005" "00000008" "0010" "0001efe0" "1000" "00000016" + pkh.hex() + "10"
    assert zarith(1 << 6).hex() == "8001" and zarith(0).hex() == "00"
    assert slot_bitmap([0, 1, 2, 5]) == b"\x27" and slot_bitmap([9]) == b"\x00\x02"


def test_preblock_larger_than_one_slot_is_applied(chain: DalChain) -> None:
    txs = [chain.tx(3)] + [os.urandom(3000) for _ in range(6)] + [chain.tx(4)]
    pb = chain.preblock(txs)
    slots = pack_slots(preblock_contents(pb, 1), SLOT_SIZE)
    assert len(pb) > SLOT_SIZE and len(slots) == 2
    published = chain.level()
    for i, slot in zip([1, 2], slots):
        chain.dal.publish(published, i, slot)
    chain.run([])
    chain.run([])  # P + 1: not yet attested (lag 2)
    assert chain.h.u64("/dsn/last_index") == 0
    chain.run([attested_message(published, PARAMS, [(PUBLISHER, [1, 2])])])
    assert chain.h.u64("/dsn/last_index") == 1
    assert chain.h.balance(pk(BOB)) == 7
    assert [r[1] for r in chain.h.results(1)] == [0, 2, 2, 2, 2, 2, 2, 0]
    reveals = [r for r in chain.dal.requests if r[0] == 2]
    assert len(reveals) == 2 * 4 and reveals[0] == b"\x02" + published.to_bytes(4, "big") + b"\x01\x00\x00"


def test_only_whitelisted_publishers_and_configured_slots(chain: DalChain) -> None:
    pb = chain.preblock([chain.tx()])
    (slot,) = pack_slots(preblock_contents(pb, 1), SLOT_SIZE)
    published = chain.level()
    for i in (3, 4, 5):
        chain.dal.publish(published, i, slot)
    stranger = b"\x01" + bytes([0x33]) * 20
    chain.run([])
    chain.run([])
    chain.run([attested_message(published, PARAMS, [(stranger, [5]), (PUBLISHER, [3, 4])])])
    assert chain.dal.requests == [] and chain.h.u64("/dsn/last_index") == 0  # wrong publisher, slots off the set
    chain.run([attested_message(published, PARAMS, [(OTHER, [5])])])
    assert chain.h.u64("/dsn/last_index") == 1 and chain.h.balance(pk(BOB)) == 1


def test_unattested_slot_dropped_then_reposted_applied_once(chain: DalChain) -> None:
    pb = chain.preblock([chain.tx(5)])
    (slot,) = pack_slots(preblock_contents(pb, 1), SLOT_SIZE)
    first = chain.level()
    chain.dal.publish(first, 0, slot, attest=False)
    chain.run([])
    chain.run([])
    chain.run([attested_message(first, PARAMS, [(PUBLISHER, [0])])])  # reveal answers 0 bytes: slot dropped
    assert chain.h.u64("/dsn/last_index") == 0 and not [k for k in chain.h.snapshot() if k.startswith("/da/page/")]
    again = chain.level()
    chain.dal.publish(again, 0, slot)
    chain.dal.publish(again, 1, slot)  # also posted twice (a retry that raced the first attestation)
    chain.run([])
    chain.run([])
    chain.run([attested_message(again, PARAMS, [(PUBLISHER, [0, 1])])])
    assert chain.h.u64("/dsn/last_index") == 1 and chain.h.balance(pk(BOB)) == 5
    assert chain.h.u64("/rejections/count") == 1 and chain.h.get("/rejections/last").startswith(b"pre-block 1: ")


def test_early_short_and_garbage_slots_never_halt(chain: DalChain) -> None:
    rng = random.Random(7)
    p = chain.level()
    chain.dal.publish(p, 0, rng.randbytes(SLOT_SIZE))  # garbage records
    chain.dal.publish(p, 1, bytes([0xFF, 0xFF]) + rng.randbytes(100))  # a record longer than the slot
    chain.dal.publish(p, 2, b"\x00\x03\x02\x00\x00")  # a malformed announcement record
    chain.run([attested_message(p, PARAMS, [(PUBLISHER, [0, 1, 2])])])  # too early: pages are empty
    assert chain.h.u64("/rejections/count") == 0
    chain.run([])
    chain.run([attested_message(p, PARAMS, [(PUBLISHER, [0, 1, 2])]),
               b"\x00\x05" + rng.randbytes(30),  # malformed attested-slots messages
               attested_message(p, DalParams(16, 2, SLOT_SIZE, 0), [(PUBLISHER, [0])]),
               attested_message(p, DalParams(16, 2, 10**9, 5000), [(PUBLISHER, [0])])])
    # slot 0's first random record and slot 2's announcement; the others are dropped or ignored
    assert chain.h.u64("/rejections/count") == 2 and chain.h.get("/rejections/last") == b"malformed announcement"
    pb = chain.preblock([chain.tx(2)])
    (slot,) = pack_slots(preblock_contents(pb, 1), SLOT_SIZE)
    q = chain.level()
    chain.dal.publish(q, 5, slot)
    chain.run([])
    chain.run([])
    chain.run([attested_message(q, PARAMS, [(PUBLISHER, [5])])])
    assert chain.h.u64("/dsn/last_index") == 1 and chain.h.balance(pk(BOB)) == 2


def test_announcement_in_the_inbox_after_dal_pages(chain: DalChain) -> None:
    pb = chain.preblock([chain.tx(9)])
    contents = preblock_contents(pb, 1)
    (slot,) = pack_slots(contents[:-1], SLOT_SIZE)
    assert unpack_slot(slot + bytes(10)) == contents[:-1]
    p = chain.level()
    chain.dal.publish(p, 2, slot)
    chain.run([])
    chain.run([])
    chain.run([attested_message(p, PARAMS, [(PUBLISHER, [2])])])
    assert chain.h.u64("/dsn/last_index") == 0
    chain.run([ext(contents[-1])])
    assert chain.h.u64("/dsn/last_index") == 1 and chain.h.balance(pk(BOB)) == 9


@pytest.mark.slow
def test_compiled_kernel_imports_like_native() -> None:
    """The shipped kernel (``dsn kernel build``) and kernel_py agree on a DAL scenario, durable byte for byte."""
    from kernel_wasm import compile_file

    wasm = compile_file("kernel_py/kernel.py", exports=["kernel_run"]).wasm
    dumps = []
    for kernel in (None, wasm):
        chain = DalChain([PUBLISHER], [1, 2, 3], kernel)
        rng = random.Random(3)
        pb = chain.preblock([chain.tx(3)] + [rng.randbytes(3000) for _ in range(6)] + [chain.tx(4)])
        slots = pack_slots(preblock_contents(pb, 1), SLOT_SIZE)
        p = chain.level()
        for i, slot in zip([1, 2], slots):
            chain.dal.publish(p, i, slot)
        chain.dal.publish(p, 3, rng.randbytes(SLOT_SIZE))
        chain.run([])
        chain.run([])
        chain.run([attested_message(p, PARAMS, [(PUBLISHER, [1, 2, 3])])])
        assert chain.h.u64("/dsn/last_index") == 1 and chain.h.balance(pk(BOB)) == 7
        dumps.append(chain.h.snapshot())
    assert dumps[0] == dumps[1]


def governance(message: bytes, sender: bytes = GOVERNANCE) -> bytes:
    """The governance contract's transfer of ``message`` to the rollup (FORMATS.md §5)."""
    return transfer(ib.governance_payload(message), sender, SOURCE, ROLLUP)


def whitelist_scenario(kernel: bytes | None) -> DalChain:
    """PUBLISHER whitelisted at origination; governance then makes OTHER the only publisher (after a
    refused stranger's update and malformed updates): OTHER's slot is imported, PUBLISHER's is not."""
    chain = DalChain([PUBLISHER], [0, 1], kernel)
    update = publishers_update([OTHER, b"\x02" + bytes([0x44]) * 20])
    chain.run([governance(update, sender=bytes([0x55]) * 20),  # not the governance contract
               governance(update[:-1]),  # not 8 + 21·n bytes
               governance(publishers_update([OTHER] * (MAX_PUBLISHERS + 1)))])
    assert chain.h.get("/dal/publishers") == PUBLISHER and chain.h.u64("/rejections/count") == 3
    assert chain.h.get("/rejections/last") == b"malformed publisher list"
    chain.run([governance(update)])
    assert chain.h.get("/dal/publishers") == update[8:] and chain.h.u64("/rejections/count") == 3
    pb = chain.preblock([chain.tx(6)])
    (slot,) = pack_slots(preblock_contents(pb, 1), SLOT_SIZE)
    p = chain.level()
    chain.dal.publish(p, 0, slot)
    chain.dal.publish(p, 1, slot)
    chain.run([])
    chain.run([])
    chain.run([attested_message(p, PARAMS, [(PUBLISHER, [0])])])  # removed publisher: not read
    assert chain.dal.requests == [] and chain.h.u64("/dsn/last_index") == 0
    chain.run([attested_message(p, PARAMS, [(OTHER, [1])])])  # newly whitelisted: imported
    assert chain.h.u64("/dsn/last_index") == 1 and chain.h.balance(pk(BOB)) == 6
    chain.run([governance(publishers_update([]))])  # an empty list imports nothing
    assert chain.h.get("/dal/publishers") == b""
    chain.run([governance(fmt.encode_committee(make_committee(epoch=1).committee))])  # committees still register
    assert chain.h.u64("/dsn/max_epoch") == 1 and chain.h.u64("/rejections/count") == 3
    return chain


def test_governance_replaces_the_publisher_whitelist() -> None:
    with fast_crypto():
        whitelist_scenario(None)


@pytest.mark.slow
def test_compiled_kernel_applies_whitelist_updates_like_native() -> None:
    from kernel_wasm import compile_file

    wasm = compile_file("kernel_py/kernel.py", exports=["kernel_run"]).wasm
    assert whitelist_scenario(None).h.snapshot() == whitelist_scenario(wasm).h.snapshot()
