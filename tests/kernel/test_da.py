"""Data availability and resumable work (FORMATS.md §2): page trees, spreading over levels,
several pre-blocks per level, missing pages, page deletion, reboots for long pre-blocks."""

import os

import pytest

from kernel_py import kernel
from kernel_py.formats import dsn as fmt
from kernel_py.formats import inbox as ib
from kernel_py.formats import tx as txf
from tests.kernel.builders import (
    NATIVE,
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


@pytest.fixture
def chain():
    auth = make_committee()
    h = Harness(auth.committee, [(pk(ALICE), 10**9)])
    with fast_crypto():
        h.run([])
        yield h, Dag(auth)


def tx(n: int, value: int = 1) -> bytes:
    return signed_tx(ALICE, n, txf.action_transfer(pk(BOB), NATIVE, value))


def da_keys(h: Harness) -> list[str]:
    return [k for k in h.snapshot() if k.startswith("/da/page/")]


def test_build_pages_tree_shape():
    data = os.urandom(4072 * 130 + 5)
    pages = ib.build_pages(data)
    leaves = [p for p in pages if p[0] == 0]
    nodes = [p for p in pages if p[0] == 1]
    assert len(leaves) == 131 and len(nodes) == 3  # two level-1 nodes (127 + 4) and the root
    assert b"".join(p[1:] for p in leaves) == data
    assert all(ib.page_valid(p) for p in pages) and max(len(p) for p in pages) == 4073
    assert ib.build_pages(b"") == [b"\x00"]


def test_two_level_tree_with_large_foreign_tx(chain):
    h, dag = chain
    big = os.urandom(600_000)
    pb = next_preblock(dag, [tx(0), big, tx(1)])
    msgs = preblock_messages(pb, 1)
    assert len(msgs) > 150
    h.run(msgs)
    res = h.results(1)
    assert [(r[1], r[2]) for r in res] == [(0, b""), (2, b"transaction is too large"), (0, b"")]
    assert da_keys(h) == [] and h.balance(pk(BOB)) == 2


def test_preblock_spread_over_levels_and_reordered_pages(chain):
    h, dag = chain
    pb = next_preblock(dag, [tx(0)] + [os.urandom(3000) for _ in range(5)])
    msgs = preblock_messages(pb, 1)
    pages, announce = msgs[:-1], msgs[-1]
    assert len(pages) >= 4
    h.run(list(reversed(pages[:2])))
    h.run(pages[2:][::-1])
    assert len(da_keys(h)) == len(pages)
    h.run([announce])
    assert h.u64("/dsn/last_index") == 1 and da_keys(h) == [] and h.balance(pk(BOB)) == 1


def test_several_preblocks_in_one_level(chain):
    h, dag = chain
    pb1 = next_preblock(dag, [tx(0)])
    pb2 = next_preblock(dag, [tx(1, 5)])
    pb3 = next_preblock(dag, [tx(2, 7)])
    h.run(preblock_messages(pb1, 1) + preblock_messages(pb2, 2) + preblock_messages(pb3, 3))
    assert h.u64("/dsn/last_index") == 3 and h.balance(pk(BOB)) == 13
    assert h.reports[-1].boots == 1  # three small verifications fit one run's work budget


def test_missing_page_then_completed(chain):
    h, dag = chain
    pb = next_preblock(dag, [tx(0)] + [os.urandom(3000) for _ in range(3)])
    msgs = preblock_messages(pb, 1)
    h.run(msgs[1:])  # first page withheld
    assert h.get("/rejections/last") == b"pre-block 1: missing page"
    assert h.u64("/dsn/last_index") == 0 and len(da_keys(h)) == len(msgs) - 2
    h.run([msgs[0], msgs[-1]])
    assert h.u64("/dsn/last_index") == 1 and da_keys(h) == []
    assert [k for k in h.snapshot() if k.startswith("/da/") and not k.startswith("/da/exp/")] == []  # expiry lists go after PAGE_TTL levels


def test_bogus_announcement_cannot_remove_honest_pages(chain):
    h, dag = chain
    pb = next_preblock(dag, [tx(0)] + [os.urandom(3000) for _ in range(3)])
    msgs = preblock_messages(pb, 1)
    leaves = [m[23:] for m in msgs[:-1] if m[23] == 0]  # the honest leaf pages
    bogus_root = ib.node_page([fmt.digest(p) for p in reversed(leaves)])  # same leaves, no valid pre-block
    h.run(msgs[:-1] + [ext(ib.page_contents(bogus_root)), ext(ib.announcement_contents(1, fmt.digest(bogus_root)))])
    assert h.get("/rejections/last") == b"pre-block 1: malformed pre-block"
    h.run([msgs[-1]])
    assert h.u64("/dsn/last_index") == 1 and h.balance(pk(BOB)) == 1
    assert da_keys(h) == ["/da/page/" + fmt.digest(bogus_root).hex()]  # spam stays until reused


def test_pages_shared_by_two_preblocks(chain):
    """A leaf page identical in two pre-blocks (posted once for each) survives the first one."""
    h, dag = chain
    blob = os.urandom(4072)
    pb1 = next_preblock(dag, [tx(0), blob])
    pb2 = next_preblock(dag, [tx(1), blob])

    def pages_around(data: bytes) -> list[bytes]:
        at, end = data.index(blob), data.index(blob) + len(blob)
        cuts = list(range(0, at, 4072)) + [at] + list(range(end, len(data), 4072)) + [len(data)]
        leaves = [ib.leaf_page(data[a:b]) for a, b in zip(cuts, cuts[1:])]
        assert ib.leaf_page(blob) in leaves
        return leaves + [ib.node_page([fmt.digest(p) for p in leaves])]

    msgs = []
    for index, pb in ((1, pb1), (2, pb2)):
        pages = pages_around(pb)
        msgs += [ext(ib.page_contents(p)) for p in pages]
        msgs.append(ext(ib.announcement_contents(index, fmt.digest(pages[-1]))))
    h.run(msgs)
    assert h.u64("/dsn/last_index") == 2 and h.balance(pk(BOB)) == 2
    assert [k for k in h.snapshot() if k.startswith("/da/") and not k.startswith("/da/exp/")] == []  # expiry lists go after PAGE_TTL levels


def test_long_preblock_spans_reboots(chain):
    h, dag = chain
    n = kernel.MAX_WORK_PER_RUN * 2 + 37
    txs = [tx(i) for i in range(n)]
    pb = next_preblock(dag, txs)
    report = h.run(preblock_messages(pb, 1))
    assert report.boots == 3  # verify and the rest of the budget in txs, a full budget of txs, the remainder
    res = h.results(1)
    assert len(res) == n and all(r[1] == 0 for r in res)
    assert h.balance(pk(BOB)) == n and h.get("/job/index") is None
    assert h.get("/head")[:8] == (1).to_bytes(8, "big")


def test_direct_transaction(chain):
    h, _ = chain
    raw = tx(0, 9)
    h.run([ext(ib.user_tx_contents(raw)), ext(ib.user_tx_contents(raw))])
    res = h.get("/blocks/0/direct")  # applied before the first block
    assert res[:35] == fmt.digest(raw) + b"\x00\x00\x00"
    assert res[35 + 32:35 + 33] == b"\x02"  # replay of the same nonce is rejected
    assert h.balance(pk(BOB)) == 9


def test_messages_for_other_rollups_are_ignored(chain):
    h, dag = chain
    pb = next_preblock(dag, [tx(0)])
    before = h.snapshot()
    h.run(preblock_messages(pb, 1, rollup=bytes([9]) * 20))
    after = h.snapshot()
    assert {k: v for k, v in after.items() if not k.startswith("/kernel/env")} == {
        k: v for k, v in before.items() if not k.startswith("/kernel/env")
    }
