"""Compiler diagnostics: located user errors (never a traceback), all of a program at once, and
internal errors (compiler bugs)."""

from __future__ import annotations


class CompileError(Exception):
    """A program outside the subset: ``file:line:col: error: <what> — <what to write instead>``."""

    def __init__(self, file: str, line: int, col: int, what: str, hint: str = "") -> None:
        self.file, self.line, self.col, self.what, self.hint = file, line, col, what, hint
        super().__init__(self.text)

    @property
    def text(self) -> str:
        """The one-line diagnostic."""
        return f"{self.file}:{self.line}:{self.col}: error: {self.what}" + (f" — {self.hint}" if self.hint else "")

    @property
    def key(self) -> tuple[str, int, int, str]:
        return self.file, self.line, self.col, self.what


class CompileErrors(CompileError):
    """Every independent error of a program, in source order; the attributes are the first error's and
    ``str()`` is one diagnostic per line."""

    def __init__(self, errors: list[CompileError]) -> None:
        assert errors
        self.errors = list(errors)
        first = self.errors[0]
        super().__init__(first.file, first.line, first.col, first.what, first.hint)
        Exception.__init__(self, "\n".join(e.text for e in self.errors))


class InternalError(Exception):
    """A bug in the compiler itself (never the user's fault)."""
