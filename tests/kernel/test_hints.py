"""x(R) hints in a pre-block (FORMATS.md §1.5): the shipped kernel ends in byte-identical durable state with no
hints, right ones, wrong ones of every kind and partial or overlong lists, over two signature chunks and the
committee's signatures; right hints cost fewer ticks."""

from __future__ import annotations

import random

import pytest

from dsn.sequencer.hints import P, verified_signatures, with_hints
from kernel_py.blocks import ERR_SIGNATURE, decode_results
from kernel_py.da import MAX_PREBLOCK_BYTES
from kernel_py.formats import dsn as fmt
from kernel_py.formats import tx as txf
from kernel_py.kernel import TX_CHUNK
from pvm_host.rollup import Rollup
from pvm_spec.b58 import encode
from tests.crypto import reference_ed25519 as ref
from tests.kernel.builders import (
    GOVERNANCE,
    NATIVE,
    ROLLUP,
    Dag,
    genesis_bytes,
    make_committee,
    next_preblock,
    pk,
    preblock_messages,
    signed_tx,
    user,
)
from tests.kernel.scenario import durable_dump

pytestmark = pytest.mark.slow

SENDERS = [user(100 + i) for i in range(40)]
SINK = user(99)


def transactions() -> tuple[list[bytes], set[int]]:
    """TX_CHUNK + 44 transactions from 40 senders, and the positions whose signature must fail: signed over
    another message, R with a flipped bit, R of small order; plus bytes that are no transaction and one for
    another rollup (both rejected before any signature work)."""
    out, bad, nonces = [], set(), [0] * len(SENDERS)
    for i in range(TX_CHUNK + 44):
        s = i % len(SENDERS)
        if i == 3:
            out.append(b"\x01 not a transaction but long enough to carry 64 bytes where a signature would be"
                       + bytes(40))
            continue
        if i == 7:
            out.append(signed_tx(SENDERS[s], 0, txf.action_transfer(pk(SINK), NATIVE, 1), rollup=bytes(20)))
            continue
        body = txf.tx_body(ROLLUP, nonces[s], txf.action_transfer(pk(SINK), NATIVE, 1))
        sig = SENDERS[s].sign(txf.signing_message(body)).signature
        if i % 37 == 5:
            sig = SENDERS[s].sign(body).signature
        elif i % 37 == 11:
            sig = bytes([sig[0] ^ 4]) + sig[1:]
        elif i % 37 == 17:
            sig = ref.encode(ref.torsion_points()[3]) + sig[32:]
        else:
            nonces[s] += 1
        if i % 37 in (5, 11, 17):
            bad.add(i)
        out.append(txf.assemble_tx(body, pk(SENDERS[s]), sig))
    return out, bad


def variants(right: bytes, n: int) -> dict[str, bytes]:
    """Hint lists from ``right`` (``n`` hints: the transactions', then the verified committee signatures')."""
    rng = random.Random(19)
    xs = [int.from_bytes(right[32 * i:32 * i + 32], "little") for i in range(n)]

    def join(values: list[int]) -> bytes:
        return b"".join((v % 2**256).to_bytes(32, "little") for v in values)

    return {
        "none": b"",
        "right": right,
        "negated": join([(P - x) % P for x in xs]),
        "times sqrt(-1)": join([x * ref.SQRT_M1 % P for x in xs]),  # v x^2 = -u: still fixes a root
        "bit 255 set": join([x | 1 << 255 for x in xs]),
        "random": rng.randbytes(32 * n),
        "zeros": bytes(32 * n),
        "all ones": b"\xff" * (32 * n),
        "shifted by one": bytes(32) + right[:-32],
        "first 100 only": right[:32 * 100],
        "first chunk but one": right[:32 * (TX_CHUNK - 1)],
        "all but the last 10": right[:32 * (n - 10)],
        "transactions' only": right[:32 * len(transactions()[0])],
        "committee's wrong": right[:32 * len(transactions()[0])] + rng.randbytes(len(right) - 32 * len(transactions()[0])),
        "one too many": right + rng.randbytes(32),
    }


def run(kernel: bytes, levels: list[list[bytes]]) -> tuple[Rollup, int]:
    setup = [("set", "/setup/committee", fmt.encode_committee(make_committee(7).committee)),
             ("set", "/setup/governance", GOVERNANCE),
             ("set", "/setup/genesis", genesis_bytes([(pk(s), 10**6) for s in SENDERS]))]
    rollup = Rollup.open(kernel=kernel, rollup_address=encode("sr1", ROLLUP), setup=setup)
    ticks = 0
    for msgs in levels:
        report = rollup.run_level(msgs)
        assert not report.stuck and all(o == "ok" for o in report.outcomes), report.outcomes
        ticks += report.ticks
    return rollup, ticks


def test_hints_change_nothing_but_ticks(shipped_kernel: bytes) -> None:
    txs, bad = transactions()
    pb = next_preblock(Dag(make_committee(7)), txs)
    ok, p = fmt.decode_preblock(pb)
    assert ok and p.hints == b""
    rs = [tx[-64:-32] for tx in txs] + [sig[:32] for sig in verified_signatures(p)]
    assert len(rs) == len(txs) + 5 + 3 * 5  # the leader's 5 signers, its support: 3 certificates of 5
    right = with_hints(pb, p, MAX_PREBLOCK_BYTES)[len(pb) + 4:]
    for i, r in enumerate(rs):  # an x of R wherever R decodes (either sign), zeros elsewhere
        point = ref.decode(r)
        x = int.from_bytes(right[32 * i:32 * i + 32], "little")
        assert x in ((point[0], P - point[0]) if point else (0,)), i
    dumps, ticks = {}, {}
    for name, hints in variants(right, len(rs)).items():
        data = pb + fmt.encode_hints(hints)
        assert fmt.decode_preblock(data)[1].hints == hints
        rollup, ticks[name] = run(shipped_kernel, [[], preblock_messages(data, 1)])
        # (the DA layer's record of the announced pages differs: they carry other bytes)
        dumps[name] = {k: v for k, v in durable_dump(rollup).items() if not k.startswith("/da/")}
    reference = dumps["none"]
    ok, results = decode_results(reference["/blocks/1/results"])
    assert ok and len(results) == len(txs)
    assert [r.status == 0 for r in results] == [i not in bad | {3, 7} for i in range(len(txs))]
    assert all(results[i].error == ERR_SIGNATURE for i in bad)
    for name, dump in dumps.items():
        assert dump == reference, name
    # Right hints skip one exponentiation per valid-looking R; wrong ones only add their check. A chunk of
    # transactions (the first TX_CHUNK here, then 44) uses hints only when the list covers all of it.
    assert ticks["right"] < 0.95 * ticks["none"]
    assert ticks["right"] < ticks["all but the last 10"] < 0.97 * ticks["none"]
    assert ticks["none"] < ticks["random"] and ticks["none"] < ticks["first chunk but one"]
    assert ticks["right"] < ticks["transactions' only"] < ticks["committee's wrong"]


def test_committee_hints_of_a_pre_block_without_transactions(shipped_kernel: bytes) -> None:
    """Only the committee's signatures: right hints make the verification cheaper, wrong ones change nothing."""
    pb = next_preblock(Dag(make_committee(7)), [])
    right = with_hints(pb, fmt.decode_preblock(pb)[1], MAX_PREBLOCK_BYTES)
    assert len(right) == len(pb) + 4 + 32 * 20
    runs = {name: run(shipped_kernel, [[], preblock_messages(data, 1)])
            for name, data in (("none", pb), ("right", right), ("zeros", pb + fmt.encode_hints(bytes(32 * 20))))}
    dumps = {name: {k: v for k, v in durable_dump(r).items() if not k.startswith("/da/")} for name, (r, _) in runs.items()}
    assert dumps["right"] == dumps["none"] == dumps["zeros"] and dumps["none"]["/dsn/last_index"] == (1).to_bytes(8, "big")
    assert runs["right"][1] < runs["none"][1] < runs["zeros"][1]
