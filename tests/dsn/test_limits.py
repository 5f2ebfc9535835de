"""kernel_py/formats/limits.py: the worst pre-block a committee can commit fits the kernel, tightly;
page counts match the DA page builder; the derived figures for the fixture committees."""

from __future__ import annotations

import pytest

from dsn.sequencer.da import build_pages
from kernel_py.da import MAX_PAGE_VISITS, MAX_PREBLOCK_BYTES
from kernel_py.formats import limits
from kernel_py.formats.dsn import MAX_TX_LEN
from kernel_py.formats.limits import SizeLimits, kernel_preblock_budget, page_count, size_limits, worst_preblock_bytes


@pytest.mark.parametrize("n, gc_depth", [(1, 0), (4, 2), (4, 10), (4, 50), (7, 50), (10, 50), (31, 20), (50, 5)])
def test_worst_committed_preblock_fits_the_kernel_and_the_limit_is_tight(n: int, gc_depth: int) -> None:
    lim = size_limits(n, gc_depth)
    worst = worst_preblock_bytes(n, gc_depth)
    assert worst <= kernel_preblock_budget() <= MAX_PREBLOCK_BYTES
    assert page_count(worst) <= MAX_PAGE_VISITS
    # one byte more per header and the worst case no longer fits
    assert worst + limits.max_certificates(n, gc_depth) > kernel_preblock_budget()
    assert lim.max_tx == min(lim.max_batch - 8, MAX_TX_LEN) and lim.max_batch == lim.max_header_payload
    assert lim.max_header_batches == limits.MAX_HEADER_BATCHES


def test_fixture_committees() -> None:
    assert size_limits(4, 50) == SizeLimits(36_915, 36_923, 36_923, 32)
    assert size_limits(7, 50) == SizeLimits(18_806, 18_814, 18_814, 32)


def test_committees_too_large_for_any_transaction_are_refused() -> None:
    with pytest.raises(ValueError, match="leaves no room"):
        size_limits(200, 200)
    with pytest.raises(ValueError, match="invalid committee"):
        size_limits(0, 50)


@pytest.mark.parametrize("size", [0, 1, 4072, 4073, 127 * 4072, 127 * 4072 + 1, 300_000])
def test_page_count_matches_the_page_builder(size: int) -> None:
    assert page_count(size) == len(build_pages(bytes(size)))
