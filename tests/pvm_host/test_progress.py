"""ProgressReport: plain lines (periodic, then a last one) off a terminal, quiet for short
operations, a rich bar when asked for a terminal."""

from __future__ import annotations

import io
import re

import pytest

from pvm_host.progress import ProgressReport


def test_plain_lines_with_total_and_status() -> None:
    out = io.StringIO()
    with ProgressReport("replaying", total=4, unit="levels", every=0.0, stream=out, tty=False) as p:
        p.advance()
        p.advance(2)
        p.status("level 3")
        p.advance()
    lines = [re.sub(r"\d+\.\d s", "T s", line) for line in out.getvalue().splitlines()]
    assert lines == ["replaying: 1/4 levels (25 %), T s", "replaying: 3/4 levels (75 %), T s",
                     "replaying: 3/4 levels (75 %), T s, level 3", "replaying: 4/4 levels (100 %), T s, level 3",
                     "replaying: 4/4 levels (100 %), T s, level 3, done"]


def test_plain_without_total_and_failure() -> None:
    out = io.StringIO()
    with pytest.raises(RuntimeError):
        with ProgressReport("waiting for inclusion", every=0.0, stream=out, tty=False) as p:
            p.status("head 12")
            raise RuntimeError("boom")
    lines = [re.sub(r"\d+\.\d s", "T s", line) for line in out.getvalue().splitlines()]
    assert lines == ["waiting for inclusion: T s, head 12", "waiting for inclusion: T s, head 12, failed"]


def test_short_operations_stay_quiet() -> None:
    out = io.StringIO()
    with ProgressReport("signing", total=1000, stream=out, tty=False) as p:
        p.update(1000)
    assert out.getvalue() == ""


def test_terminal_bar() -> None:
    out = io.StringIO()
    with ProgressReport("applying", total=3, unit="pre-blocks", stream=out, tty=True) as p:
        for _ in range(3):
            p.advance()
    text = out.getvalue()
    assert "applying" in text and "3/3" in text and "100%" in text
