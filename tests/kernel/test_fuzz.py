"""Never stuck, never half-applied: random and mutated inputs never trap the kernel, and a rejected
input changes nothing but the rejection record (seeded, bounded fuzzing)."""

import random

import pytest

from kernel_py.formats import dsn as fmt
from kernel_py.formats import inbox as ib
from kernel_py.formats import tx as txf
from pvm_host.inbox import external, transfer
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
    preblock_messages,
    signed_tx,
    user,
)
from tests.kernel.doubles import fast_crypto

ALICE, BOB = user(1), user(2)
BOOKKEEPING = ("/queue/", "/rejections/", "/kernel/env/", "/da/", "/keys/")  # /keys/: the decoded-key cache


def ledger(h: Harness) -> dict[str, bytes]:
    """Everything but bookkeeping and the result entries of direct transactions (``/blocks/<i>/direct``)."""
    return {k: v for k, v in h.snapshot().items() if not k.startswith(BOOKKEEPING) and not k.endswith("/direct")}


@pytest.fixture
def chain():
    auth = make_committee()
    h = Harness(auth.committee, [(pk(ALICE), 1000)])
    with fast_crypto():
        h.run([])
        yield h, Dag(auth), auth


def random_contents(rng: random.Random) -> bytes:
    tag = rng.choice([0, 1, 2, 3, 4, 255])
    body = rng.randbytes(rng.choice([0, 1, 7, 40, 41, 300, 4073]))
    if tag == 1 and body and rng.random() < 0.5:
        body = bytes([1]) + rng.randbytes(32 * rng.randint(0, 3))  # node pages pointing at nothing
    if tag == 2 and rng.random() < 0.5:
        body = rng.randbytes(8) + rng.randbytes(32)  # announcement of an unknown root
    return bytes([tag]) + body


def test_random_inbox_messages_change_nothing(chain):
    h, _, auth = chain
    rng = random.Random(1234)
    before = ledger(h)
    for _ in range(12):
        msgs = []
        for _ in range(25):
            kind = rng.random()
            if kind < 0.5:
                msgs.append(ext(random_contents(rng)))
            elif kind < 0.7:
                msgs.append(external(rng.randbytes(rng.randint(0, 200))))
            elif kind < 0.8:
                msgs.append(bytes([0, rng.randint(0, 9)]) + rng.randbytes(rng.randint(0, 100)))
            elif kind < 0.9:
                payload = rng.choice([ib.governance_payload(rng.randbytes(50)), b"\x0a\xff\xff\xff\xff",
                                      b"\x03\x0b", ib.governance_payload(fmt.encode_committee(auth.committee))])
                msgs.append(transfer(payload, GOVERNANCE, SOURCE, ROLLUP))
            else:
                tx = signed_tx(ALICE, 0, txf.action_transfer(pk(BOB), NATIVE, 5))
                cut = rng.randint(0, len(tx) - 1)
                msgs.append(ext(ib.user_tx_contents(tx[:cut] + rng.randbytes(rng.randint(0, 3)))))
        h.run(msgs)
    assert ledger(h) == before
    assert h.u64("/rejections/count") > 50


def test_mutated_preblocks_rejected_or_equivalent(chain):
    """A random byte change of a valid pre-block is either rejected (nothing changes) or harmless:
    it only touched bytes no digest covers (a non-leader certificate's signatures), and the state,
    results and roots are exactly those of the original pre-block."""
    h, dag, auth = chain
    tx = signed_tx(ALICE, 0, txf.action_transfer(pk(BOB), NATIVE, 5))
    pb = next_preblock(dag, [tx, b"foreign"])
    reference = Harness(auth.committee, [(pk(ALICE), 1000)])
    reference.run([])
    reference.run(preblock_messages(pb, 1))
    expected = ledger(reference)
    rng = random.Random(99)
    for trial in range(60):
        data = bytearray(pb)
        for _ in range(rng.choice([1, 1, 2, 5])):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        if rng.random() < 0.2:
            data = data[: rng.randrange(len(data))]
        before = ledger(h)
        h.run(preblock_messages(bytes(data), 1))
        if h.u64("/dsn/last_index") == 1:
            assert ledger(h) == expected, trial
            break
        assert ledger(h) == before
    h.run(preblock_messages(pb, 1))
    assert h.u64("/dsn/last_index") == 1 and ledger(h) == expected
    assert h.u64("/rejections/count") >= 1


def test_huge_lengths_and_truncations(chain):
    h, dag, _ = chain
    pb = next_preblock(dag, [signed_tx(ALICE, 0, txf.action_transfer(pk(BOB), NATIVE, 5))])
    before = ledger(h)
    variants = [
        pb[:16] + b"\xff\xff\xff\xff" + pb[20:],  # certificate count
        pb[:-10],
        pb + b"\x00",
        pb[:8] + (2**64 - 1).to_bytes(8, "big") + pb[16:],  # timestamp
        (2**64 - 1).to_bytes(8, "big") + pb[8:],  # index
        b"",
    ]
    for v in variants:
        h.run(preblock_messages(v, 1))
        assert ledger(h) == before
    # a deep chain of single-child node pages (depth limit) and a page fan-out bomb (visit limit)
    leaf = ib.leaf_page(b"x")
    pages, top = [leaf], fmt.digest(leaf)
    for _ in range(6):
        node = ib.node_page([top])
        pages.append(node)
        top = fmt.digest(node)
    fan = ib.node_page([fmt.digest(leaf)] * 127)
    bomb = ib.node_page([fmt.digest(fan)] * 127)
    msgs = [ext(ib.page_contents(p)) for p in pages + [fan, bomb]]
    msgs += [ext(ib.announcement_contents(1, top)), ext(ib.announcement_contents(1, fmt.digest(bomb)))]
    h.run(msgs)
    assert h.get("/rejections/last") == b"pre-block 1: too many pages"
    assert ledger(h) == before


def test_random_inbox_under_checked_native_execution():
    """The same random inbox under kernel_wasm.native (CPython with every check compiled code makes:
    overflow, bounds, ...) never fails and ends in the same durable state as plain CPython."""
    from kernel_wasm.native import load
    from pvm_host.native import NativeEngine

    auth = make_committee()
    rng = random.Random(77)
    levels = []
    for _ in range(4):
        msgs = [ext(random_contents(rng)) for _ in range(30)]
        msgs += [external(rng.randbytes(rng.randint(0, 100))) for _ in range(5)]
        msgs.append(transfer(ib.governance_payload(rng.randbytes(rng.choice([20, 60, 100]))), GOVERNANCE, SOURCE,
                             ROLLUP))
        levels.append(msgs)
    states = []
    for engine in (NativeEngine("kernel_py.kernel"), NativeEngine(load("kernel_py/kernel.py"))):
        h = Harness(auth.committee, [(pk(ALICE), 1000)])
        h.engine = engine
        for msgs in levels:
            h.run(msgs)
        states.append(h.snapshot())
    assert states[0] == states[1]
    assert int.from_bytes(states[0]["/rejections/count"], "big") > 20
