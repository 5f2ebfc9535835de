"""Bogus posts cost the compiled kernel bounded ticks and never delay the honest pre-block (issue 12,
item 4). Tick counts are deterministic (fuel), so they are compared as ratios measured in the same
run: a rejected front-run against the honest pre-block's verification, a bogus announcement or page
against the honest cost per DA page, and floods of 10x the size against 10x the cost (no work that
grows with what was posted before)."""

from __future__ import annotations

import random

import pytest

from kernel_py.formats import inbox as ib
from tests.adversary.attacks import ROLLUP, frames_of
from tests.adversary.dagsim import encode_subdag
from tests.adversary.harness import run_level
from tests.adversary.test_regressions import Chain, skipped_leader_scenario

pytestmark = pytest.mark.slow


def bogus_announcements(rng: random.Random, n: int, index: int) -> list[bytes]:
    return [ib.frame_external(ROLLUP, ib.announcement_contents(index, rng.randbytes(32))) for _ in range(n)]


def bogus_pages(rng: random.Random, n: int) -> list[bytes]:
    return [ib.frame_external(ROLLUP, ib.page_contents(ib.leaf_page(rng.randbytes(ib.MAX_LEAF_DATA))))
            for _ in range(n)]


def level_ticks(wasm: bytes, payloads: list[bytes], honest_first: bool = False) -> tuple[int, Chain]:
    c = Chain(skipped_leader_scenario(), wasm)
    if honest_first:
        c.honest(1)
    return run_level(c.rollup, payloads).ticks, c


def test_rejected_posts_cost_bounded_ticks_and_the_honest_preblock_is_not_delayed(kernel_wasm: bytes) -> None:
    rng = random.Random(4)
    chain = Chain(skipped_leader_scenario(), kernel_wasm)
    a = chain.attacker
    honest_bytes = encode_subdag(chain.s.dag, chain.subdags[0])
    honest_frames = frames_of(1, honest_bytes)
    empty, _ = level_ticks(kernel_wasm, [])
    honest, c = level_ticks(kernel_wasm, honest_frames)
    assert c.rollup.read("/dsn/last_index") == (1).to_bytes(8, "big")
    honest -= empty
    skipped = chain.s.dag.rounds[2][1]
    later = chain.subdags[0].leader
    front_runs = [a.preblock(1, a.sub_dag(skipped, 1), a.direct(a.support_of(skipped))),
                  a.preblock(1, a.sub_dag(skipped, 1), a.step(later, a.support_of(later), a.history(later, 0)))]
    for fr in front_runs:
        ticks, c = level_ticks(kernel_wasm, frames_of(1, fr))
        assert c.rollup.read("/dsn/last_index") is None
        assert ticks - empty < honest / 2, (ticks - empty, honest)  # refused before any signature check

    per_page = honest / len(honest_frames)
    small, large = {}, {}
    for name, make in (("announcements", lambda n: bogus_announcements(rng, n, 1)),
                       ("pages", lambda n: bogus_pages(rng, n)),
                       ("front-runs", lambda n: [f for _ in range(n // 10) for f in frames_of(1, front_runs[0])])):
        small[name] = level_ticks(kernel_wasm, make(100))[0] - empty
        large[name] = level_ticks(kernel_wasm, make(1000))[0] - empty
        assert large[name] < 11 * small[name], (name, small[name], large[name])  # linear in the flood
    assert small["announcements"] / 100 < per_page / 20
    assert small["pages"] / 100 < per_page
    # the honest pre-block after the worst flood of the level is accepted in that same level, and the
    # next level's flood does not stop pre-block 2
    flood = bogus_announcements(rng, 1000, 1) + bogus_pages(rng, 300) + [
        f for fr in front_runs for _ in range(20) for f in frames_of(1, fr)]
    c = Chain(skipped_leader_scenario(), kernel_wasm)
    run_level(c.rollup, flood + honest_frames)
    assert c.rollup.read("/dsn/last_index") == (1).to_bytes(8, "big")
    run_level(c.rollup, bogus_announcements(rng, 1000, 2) + frames_of(2, encode_subdag(c.s.dag, c.subdags[1])))
    assert c.rollup.read("/dsn/last_index") == (2).to_bytes(8, "big")
    c.finish()
