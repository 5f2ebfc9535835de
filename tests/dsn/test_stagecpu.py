"""dsn.stagecpu: the wrappers count calls and CPU time, and the table divides per transaction per node."""

from __future__ import annotations

import importlib

from dsn import stagecpu


def test_wrapped_function_counts_calls_and_main_thread_cpu_and_still_returns_and_raises() -> None:
    def spin(n: int) -> int:
        if n < 0:
            raise ValueError("negative")
        return sum(range(n))

    timed = stagecpu._wrap("99 test spin", spin)
    assert timed(200_000) == sum(range(200_000)) and timed.__name__ == "spin"
    try:
        timed(-1)
    except ValueError:
        pass
    ns, calls = stagecpu._totals.pop("99 test spin")
    assert calls == 2 and ns > 0


def test_every_stage_names_a_function_that_exists() -> None:
    for _, module, path in stagecpu.STAGES:
        owner = importlib.import_module(module)
        for part in path.split("."):
            owner = getattr(owner, part)
        assert callable(owner), (module, path)


def test_table_gives_microseconds_per_transaction_per_node() -> None:
    docs = [{"process_ns": 3_000_000, "main_thread_ns": 2_000_000, "stages": {"01 hash": [1_000_000, 10]}},
            {"process_ns": 5_000_000, "main_thread_ns": 4_000_000, "stages": {"01 hash": [3_000_000, 30],
                                                                               "02 store": [400_000, 4]}}]
    rows = stagecpu.table(docs, 1000)  # 2 nodes, 1000 transactions: ns / 2e6 = µs per transaction per node
    assert [r.split()[-2] for r in rows[:3]] == ["4.000", "3.000", "1.000"]
    assert rows[3].split() == ["hash", "2.000", "µs", "50.0", "%", "40", "calls,", "100.0", "µs", "each"]
    assert rows[4].split() == ["store", "0.200", "µs", "5.0", "%", "4", "calls,", "100.0", "µs", "each"]
    assert stagecpu.table([], 1000) == [] and stagecpu.table(docs, 0) == []
