"""A deterministic multi-level inbox exercising every kernel path, for native-vs-wasm replay."""

from __future__ import annotations

import random

from dsn.sequencer.hints import with_hints
from kernel_py.da import MAX_PREBLOCK_BYTES
from kernel_py.formats import dsn as fmt
from kernel_py.formats import inbox as ib
from kernel_py.formats import tx as txf
from pvm_host.rollup import Rollup
from pvm_spec.b58 import encode
from tests.kernel.builders import (
    GOVERNANCE,
    NATIVE,
    ROLLUP,
    Dag,
    ext,
    genesis_bytes,
    governance_message,
    make_committee,
    next_preblock,
    pk,
    preblock_messages,
    signed_tx,
    tx_id,
    user,
)

ALICE, BOB, CAROL = user(1), user(2), user(3)


def setup_instructions(committee: fmt.Committee) -> list[tuple[str, str, bytes | str]]:
    return [
        ("set", "/setup/committee", fmt.encode_committee(committee)),
        ("set", "/setup/governance", GOVERNANCE),
        ("set", "/setup/genesis", genesis_bytes([(pk(ALICE), 10_000), (pk(BOB), 500)])),
    ]


def garbage(rng: random.Random, n: int) -> list[bytes]:
    out = []
    for _ in range(n):
        contents = bytes([rng.choice([0, 1, 2, 3, 9])]) + rng.randbytes(rng.choice([0, 5, 40, 300]))
        out.append(ext(contents) if rng.random() < 0.7 else b"\x01" + rng.randbytes(rng.randint(0, 60)))
    return out


def build_levels() -> tuple[fmt.Committee, list[list[bytes]]]:
    """The inbox, level by level, and the committee of the setup."""
    rng = random.Random(7)
    auth0 = make_committee(7, epoch=0)
    dag = Dag(auth0)
    create = signed_tx(ALICE, 2, txf.action_create_asset(b"gold"))
    asset = tx_id(create)
    good = signed_tx(BOB, 0, txf.action_transfer(pk(CAROL), NATIVE, 20))
    txs1 = [
        signed_tx(ALICE, 0, txf.action_transfer(pk(BOB), NATIVE, 300)),
        signed_tx(ALICE, 1, txf.action_sequencer_msg(pk(ALICE), b"\x02\xf8\x6f", b"\x00\x01\x02")),
        create,
        good[:-1] + bytes([good[-1] ^ 0x80]),  # bad signature
        signed_tx(ALICE, 9, txf.action_transfer(pk(BOB), NATIVE, 1)),  # wrong nonce
        b"spam from the load generator",
    ]
    pb1 = next_preblock(dag, txs1)
    pb1 = with_hints(pb1, fmt.decode_preblock(pb1)[1], MAX_PREBLOCK_BYTES)  # x(R) hints as the sequencer posts them
    pb2 = next_preblock(dag, [
        signed_tx(ALICE, 3, txf.action_mint_asset(pk(CAROL), asset, 1_000)),
        signed_tx(CAROL, 0, txf.action_burn_asset(asset, 10)),
        signed_tx(CAROL, 1, txf.action_transfer(pk(BOB), asset, 5000)),  # insufficient
        rng.randbytes(5000),
    ])
    pb3 = next_preblock(dag, [
        signed_tx(BOB, 0, txf.action_sequencer_msg(pk(BOB), b"rollup-b payload", b"\xbb")),
        signed_tx(ALICE, 4, txf.action_modify_asset(asset, pk(BOB), b"gold v2")),
    ])
    auth1 = make_committee(4, epoch=1)
    dag1 = Dag(auth1, signers=3)
    dag1.index, dag1.timestamp = dag.index, dag.timestamp
    pb4 = next_preblock(dag1, [signed_tx(BOB, 1, txf.action_mint_asset(pk(BOB), asset, 7))])
    ok, forged = fmt.decode_preblock(pb4)
    forged.certificates[-1].signers[0].signature = bytes(64)
    m1 = preblock_messages(pb1, 1)
    m2 = preblock_messages(pb2, 2)
    levels = [
        [],
        m1 + garbage(rng, 10),
        m2[:-1] + garbage(rng, 5),
        [m2[-1]] + preblock_messages(pb3, 3) + [governance_message(auth1.committee)],
        preblock_messages(fmt.encode_preblock(forged), 4) + preblock_messages(pb4, 4)
        + [ext(ib.user_tx_contents(signed_tx(CAROL, 2, txf.action_transfer(pk(ALICE), asset, 1))))],
    ]
    return auth0.committee, levels


def replay(levels: list[list[bytes]], committee: fmt.Committee, kernel: bytes | None) -> Rollup:
    """Replay on a fresh rollup: wasm when ``kernel`` is given, else kernel_py natively."""
    rollup = Rollup.open(kernel=kernel, native=None if kernel else "kernel_py.kernel",
                         rollup_address=encode("sr1", ROLLUP), setup=setup_instructions(committee))
    for msgs in levels:
        report = rollup.run_level(msgs)
        assert not report.stuck and all(o == "ok" for o in report.outcomes), report.outcomes
    return rollup


def durable_dump(rollup: Rollup) -> dict[str, bytes]:
    """Everything the kernel wrote (the kernel binary and PVM-owned keys excluded)."""
    skip = ("/readonly", "/kernel/boot.wasm")
    return {k: v for k, v in rollup.pvm.durable.items() if not k.startswith(skip)}
