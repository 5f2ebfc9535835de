"""Progress of long operations (replay of many levels, waiting for an L1 inclusion, load tests): a
rich bar or spinner on a terminal, plain lines otherwise (logs, CI, pipes).

    with ProgressReport("replaying", total=len(inboxes), unit="levels") as p:
        for ...:
            print("a line of output")         # above the bar on a terminal (rich redirects stdout)
            p.advance()
    with ProgressReport("waiting for inclusion") as p:   # no total: spinner and elapsed time
        p.status("head 1234")

Plain lines go to stderr, only for operations longer than ``every`` seconds (a short one stays
quiet): one every ``every`` seconds while it runs (``description: done/total unit (pct %), elapsed
s[, status]``), and a last one when it ends (``…, done`` or ``…, failed``).
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class ProgressReport:
    """One operation's progress; ``tty`` defaults to whether both ``stream`` (stderr) and stdout are
    terminals (on a terminal, rich moves what is printed to stdout above the bar)."""

    def __init__(self, description: str, total: int | None = None, unit: str = "", every: float = 5.0,
                 stream: TextIO | None = None, tty: bool | None = None) -> None:
        self.description = description
        self.total = total
        self.unit = unit
        self.every = every
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() and sys.stdout.isatty() if tty is None else tty
        self.completed = 0
        self.note = ""
        self.started = time.monotonic()
        self.last_line = self.started
        self.bar: Progress | None = None
        self.lines = 0  # plain lines written

    def __enter__(self) -> ProgressReport:
        self.started = self.last_line = time.monotonic()
        if self.tty:
            console = Console(file=self.stream)
            columns = [SpinnerColumn(), TextColumn("{task.description}")]
            if self.total is not None:
                columns += [BarColumn(), MofNCompleteColumn(), TaskProgressColumn(), TimeRemainingColumn()]
            columns += [TimeElapsedColumn(), TextColumn("{task.fields[note]}")]
            self.bar = Progress(*columns, console=console, transient=False)
            self.bar.start()
            self.task = self.bar.add_task(self.description, total=self.total, note="")
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if self.bar is not None:
            self.bar.stop()
        elif self.lines:
            self._line("failed" if exc_type is not None else "done")

    def _figures(self) -> str:
        elapsed = time.monotonic() - self.started
        unit = f" {self.unit}" if self.unit else ""
        if self.total is None:
            done = f"{self.completed:,}{unit}, " if self.completed else ""
            return f"{done}{elapsed:.1f} s"
        pct = 100 * self.completed / self.total if self.total else 100.0
        return f"{self.completed:,}/{self.total:,}{unit} ({pct:.0f} %), {elapsed:.1f} s"

    def _line(self, state: str | None = None) -> None:
        parts = [self._figures()] + ([self.note] if self.note else []) + ([state] if state else [])
        self.stream.write(f"{self.description}: {', '.join(parts)}\n")
        self.stream.flush()
        self.last_line = time.monotonic()
        self.lines += 1

    def _refresh(self) -> None:
        if self.bar is not None:
            self.bar.update(self.task, completed=self.completed, note=self.note)
        elif time.monotonic() - self.last_line >= self.every:
            self._line()

    def advance(self, n: int = 1) -> None:
        self.completed += n
        self._refresh()

    def update(self, completed: int) -> None:
        self.completed = completed
        self._refresh()

    def status(self, note: str) -> None:
        """Set the short text shown after the figures (e.g. the L1 head level)."""
        self.note = note
        self._refresh()
