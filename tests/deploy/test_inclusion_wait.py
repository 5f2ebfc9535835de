"""Waiting for an L1 inclusion: one "waiting" message, then a progress line every 10 s (none for a
short wait, none at all for library callers that want no progress)."""

from __future__ import annotations

from typing import Any

import pytest

from tezos_l1 import operations
from tezos_l1.operations import wait_for_inclusion

APPLIED = [{"kind": "transaction", "metadata": {"operation_result": {"status": "applied"}}}]


class Chain:
    """The head advances by one level per look; ``oo1`` is in block 14."""

    def __init__(self) -> None:
        self.level = 10

    def head_header(self) -> dict[str, Any]:
        self.level += 1
        return {"level": str(self.level)}

    def block_operations(self, level: int) -> list[dict[str, Any]]:
        return [{"hash": "oo1", "contents": APPLIED}] if level == 14 else [{"hash": "oo2", "contents": APPLIED}]


def test_one_message_and_quiet_for_a_short_wait(capsys: pytest.CaptureFixture[str]) -> None:
    said: list[str] = []
    included = wait_for_inclusion(Chain(), "oo1", 11, timeout=30, poll=0.0, progress=said.append)  # type: ignore[arg-type]
    assert (included.op_hash, included.level) == ("oo1", 14)
    assert said == ["waiting for oo1 to be included"]
    assert capsys.readouterr().err == ""


def test_plain_progress_lines_when_the_wait_is_long(monkeypatch, capsys: pytest.CaptureFixture[str]) -> None:
    class EveryLook(operations.ProgressReport):
        def __init__(self, description: str, every: float) -> None:
            super().__init__(description, every=0.0, tty=False)

    monkeypatch.setattr(operations, "ProgressReport", EveryLook)
    wait_for_inclusion(Chain(), "oo1", 11, timeout=30, poll=0.0, progress=lambda _m: None)  # type: ignore[arg-type]
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(", ", 1)[1] for line in lines] == [
        "head 11, 1 block(s) scanned", "head 12, 2 block(s) scanned", "head 13, 3 block(s) scanned",
        "head 13, 3 block(s) scanned, done"]
    assert all(line.startswith("waiting for inclusion: ") for line in lines)


def test_silent_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert wait_for_inclusion(Chain(), "oo1", 11, timeout=30, poll=0.0).level == 14  # type: ignore[arg-type]
    assert capsys.readouterr() == ("", "")
