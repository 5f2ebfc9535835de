"""Compiler diagnostics: located user errors (never a traceback) and internal errors."""

from __future__ import annotations


class CompileError(Exception):
    """A program outside the subset: ``file:line:col: error: <what> — <what to write instead>``."""

    def __init__(self, file: str, line: int, col: int, what: str, hint: str = "") -> None:
        self.file, self.line, self.col, self.what, self.hint = file, line, col, what, hint
        text = f"{file}:{line}:{col}: error: {what}"
        if hint:
            text += f" — {hint}"
        super().__init__(text)


class InternalError(Exception):
    """A bug in the compiler itself (never the user's fault)."""
