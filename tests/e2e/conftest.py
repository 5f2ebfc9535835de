"""Shared for the end-to-end tests: one funded local stack per module."""

from __future__ import annotations

from pathlib import Path

import pytest

from dsn.sequencer.kernel_choice import choose_kernel
from dsn.sequencer.stack import LocalStack, free_port_base
from tests.e2e.users import key


@pytest.fixture(scope="module")
def stack(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """A rollup node (0.3 s blocks), a 4-node DSN and the sequencer as real processes, for one test module;
    every process is stopped afterwards. The sequencer posts through the DAL (slots 0-3) with two
    whitelisted publisher keys (slots 0-1 and 2-3: two publish operations per level; test_attacks checks
    that honest posting makes the kernel refuse nothing)."""
    base = tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1])
    st = LocalStack(Path(base), nodes=4, dsn_port_base=free_port_base(4, preferred=None), dal_publishers=2)
    try:
        st.start_rollup(choose_kernel(), [(bytes(key(1).verify_key), 1_000_000)], block_time=0.3)
        st.start_dsn()
        st.start_sequencer()
        yield st
    finally:
        st.stop()
    assert st.pids() == []
