"""The kernel under attack: a rollup (CPython kernel_py or the compiled wasm kernel) fed level by level
with the honest pre-blocks and the attacker's posts, and what it accepted, compared with the oracle."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from dsn import codec
from dsn.consensus import SubDag
from kernel_py.blocks import decode_results
from kernel_py.genesis import encode_genesis
from pvm_host.inbox import external
from pvm_host.lifecycle import LevelReport
from pvm_host.rollup import Rollup
from pvm_spec.b58 import encode
from tests.adversary.attacks import ROLLUP, Attacker, Post, build, frames_of
from tests.adversary.dagsim import Dag, encode_subdag

GOVERNANCE = bytes([0xAA]) * 20

Block = tuple[int, bytes, int, list[bytes]]  # index, leader digest, commit timestamp, transaction ids


def open_rollup(dag: Dag, wasm: bytes | None) -> Rollup:
    setup = [("set", "/setup/committee", codec.encode_committee(dag.committee)),
             ("set", "/setup/governance", GOVERNANCE),
             ("set", "/setup/genesis", encode_genesis([bytes(32)], [1]))]
    return Rollup.open(kernel=wasm, native=None if wasm is not None else "kernel_py.kernel",
                       rollup_address=encode("sr1", ROLLUP), setup=setup)


def run_level(rollup: Rollup, payloads: list[bytes]) -> LevelReport:
    report = rollup.run_level([external(p) for p in payloads])
    assert not report.stuck and all(o == "ok" for o in report.outcomes), (report.stuck, report.outcomes)
    return report


def expected(dag: Dag, subdags: list[SubDag]) -> list[Block]:
    """The oracle's committed sequence, as the kernel records it."""
    out = []
    for s in subdags:
        txs = [codec.digest(tx) for b in dag.batches_of(s.certificates) for tx in codec.decode_batch(b).transactions]
        out.append((s.index, s.leader.digest, s.commit_timestamp, txs))
    return out


def accepted(rollup: Rollup) -> list[Block]:
    """The kernel's accepted sequence: per block its leader, timestamp and transaction ids."""
    last = rollup.read("/dsn/last_index")
    out = []
    for i in range(1, (int.from_bytes(last, "big") if last else 0) + 1):
        info = rollup.read(f"/blocks/{i}/info") or b""
        ok, results = decode_results(rollup.read(f"/blocks/{i}/results") or b"")
        assert ok
        out.append((i, info[:32], int.from_bytes(info[32:40], "big"), [r.tx_id for r in results]))
    return out


@dataclass
class Run:
    """One attacked run: for each honest pre-block, the attacks posted around it, and the levels."""

    dag: Dag
    subdags: list[SubDag]
    plan: list[list[str]]
    rng: random.Random
    posts: list[Post] = field(default_factory=list)
    reports: list[LevelReport] = field(default_factory=list)

    def levels(self) -> list[list[bytes]]:
        """Inbox levels: before honest pre-block i, its attacks (some a level early); the honest
        frames (the attacker's sometimes slipped between its pages and its announcement); replays after."""
        attacker = Attacker(self.dag, self.subdags, self.rng)
        levels: list[list[bytes]] = []
        for i, s in enumerate(self.subdags, start=1):
            honest = frames_of(i, encode_subdag(self.dag, s))
            before: list[bytes] = []
            early: list[bytes] = []
            for name in self.plan[(i - 1) % len(self.plan)] if self.plan else []:
                for post in build(attacker, name, i):
                    self.posts.append(post)
                    (early if self.rng.random() < 0.25 else before).extend(post.payloads())
            if early:
                levels.append(early)
            if before and self.rng.random() < 0.3:
                honest = honest[:-1] + before + honest[-1:]  # bogus posts between the pages and the announcement
                before = []
            after = frames_of(i, encode_subdag(self.dag, s)) if self.rng.random() < 0.1 else []
            levels.append(before + honest + after)
        return levels

    def execute(self, rollup: Rollup) -> list[Block]:
        for payloads in self.levels():
            self.reports.append(run_level(rollup, payloads))
        return accepted(rollup)
