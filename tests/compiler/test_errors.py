"""Refused constructs: each file under errors/ marks the offending line with ``# error: <message>``;
compiling it must report ``file:line:col: error: <message> — <hint>`` and nothing else."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from kernel_wasm import CompileError, compile_file

ERRORS = Path(__file__).parent / "errors"
CASES = sorted(ERRORS.glob("*.py"))


def expectation(path: Path) -> tuple[int, str]:
    for lineno, line in enumerate(path.read_text().splitlines(), 1):
        m = re.search(r"# error: (.+)$", line)
        if m:
            return lineno, m.group(1).strip()
    raise AssertionError(f"{path} has no '# error:' line")


def test_there_are_at_least_ten_cases() -> None:
    assert len(CASES) >= 10


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_refused_with_location_and_hint(path: Path) -> None:
    line, message = expectation(path)
    functions = [n.name for n in ast.parse(path.read_text()).body if isinstance(n, ast.FunctionDef)]
    with pytest.raises(CompileError) as info:
        compile_file(path, exports=functions).wasm
    err = info.value
    text = str(err)
    assert text.startswith(f"{err.file}:{line}:{err.col}: error: "), text
    assert err.file.endswith(path.name) and err.line == line
    assert message in err.what, text
    assert " — " in text and err.hint, text


def test_cli_reports_error_without_traceback(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from dsn.cli import main

    result = CliRunner().invoke(main, ["kernel", "compile", str(ERRORS / "float.py"), "--export", "half"])
    assert result.exit_code == 1
    assert "float.py:2:" in result.output and "error: floats are outside the subset" in result.output
    assert "Traceback" not in result.output
