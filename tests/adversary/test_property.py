"""The property of issue 12, generated: whatever an attacker with f keys posts around the honest
pre-blocks, the kernel accepts exactly the sequence `dsn/consensus.py` commits (index, leader,
certificates via their transactions, batches, timestamps), including indirect commits.

Hypothesis draws the committee size, Byzantine authors, delays (late and withheld certificates), GC
depth, the delivery order and the attack plan; the CPython kernel runs every example (PyNaCl and
hashlib crypto doubles, the same kernel code). A fixed-seed subset runs on the compiled wasm kernel
with its own crypto."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.adversary.attacks import ATTACKS
from tests.adversary.dagsim import SimParams, build_dag, run_oracle
from tests.adversary.harness import Run, accepted, expected, open_rollup
from tests.kernel.doubles import fast_crypto

WEIGHTED = ATTACKS + ["front_run"] * 3 + ["merge"]
EXAMPLES = 3000  # the slow (CI) run: ~85 s on a 2-core machine
SMOKE_EXAMPLES = 100


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[SimParams, int, list[list[str]]]:
    n = draw(st.sampled_from([4, 7]))
    params = SimParams(
        n=n,
        rounds=draw(st.integers(6, 14)),
        gc_depth=draw(st.sampled_from([3, 4, 6, 50])),
        byzantine=draw(st.integers(0, (n - 1) // 3)),
        p_late=draw(st.sampled_from([0.0, 0.15, 0.3])),
        p_late_leader=draw(st.sampled_from([0.2, 0.5, 0.8])),
        p_withhold=draw(st.sampled_from([0.0, 0.2, 0.5])),
    )
    seed = draw(st.integers(0, 2**32 - 1))
    plan = draw(st.lists(st.lists(st.sampled_from(WEIGHTED), max_size=3), min_size=1, max_size=6))
    return params, seed, plan


def check_run(params: SimParams, seed: int, plan: list[list[str]], wasm: bytes | None = None) -> Run:
    rng = random.Random(seed)
    dag = build_dag(params, rng)
    subdags = run_oracle(dag, rng)
    run = Run(dag, subdags, plan, rng)
    rollup = open_rollup(dag, wasm)
    got = run.execute(rollup)
    want = expected(dag, subdags)
    assert got == want, (f"kernel accepted {[(i, l.hex()[:8]) for i, l, _, _ in got]}, Bullshark committed "
                         f"{[(i, l.hex()[:8]) for i, l, _, _ in want]}; posts: {[p.label for p in run.posts]}")
    assert accepted(rollup) == want
    return run


def attacked_run(scenario: tuple[SimParams, int, list[list[str]]]) -> None:
    with fast_crypto():
        check_run(*scenario)


@pytest.mark.slow
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(scenarios())
def test_kernel_accepts_exactly_bullsharks_sequence(scenario: tuple[SimParams, int, list[list[str]]]) -> None:
    attacked_run(scenario)


@settings(max_examples=SMOKE_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_kernel_accepts_exactly_bullsharks_sequence_smoke(scenario: tuple[SimParams, int, list[list[str]]]) -> None:
    """The fast suite's share: fewer examples, drawn afresh each run."""
    attacked_run(scenario)


def fixed_scenario(k: int) -> tuple[SimParams, int, list[list[str]]]:
    """Scenario ``k`` of the fixed-seed subset (every attack class, both committee sizes)."""
    rng = random.Random(k)
    n = (4, 7)[k % 2]
    params = SimParams(n=n, rounds=rng.randint(10, 14), gc_depth=rng.choice([3, 4, 50]),
                       byzantine=rng.randint(1, (n - 1) // 3), p_late_leader=rng.choice([0.5, 0.8]))
    plan = [[ATTACKS[(k + j) % len(ATTACKS)], rng.choice(WEIGHTED), "flood"] for j in range(4)]
    return params, 1000 + k, plan


FIXED = [fixed_scenario(k) for k in range(48)]


@pytest.mark.slow
@pytest.mark.parametrize("params, seed, plan", FIXED)
def test_fixed_runs_on_the_compiled_kernel(kernel_wasm: bytes, params: SimParams, seed: int,
                                           plan: list[list[str]]) -> None:
    run = check_run(params, seed, plan, kernel_wasm)
    assert run.posts and run.subdags
