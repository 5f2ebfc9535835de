"""Refused constructs: each file under errors/ marks the offending line with ``# error: <message>``;
compiling it must report ``file:line:col: error: <message> — <hint>`` and nothing else."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from kernel_wasm import InternalError, compile_file
from kernel_wasm.errors import CompileErrors

ERRORS = Path(__file__).parent / "errors"
PROGRAMS = Path(__file__).parent / "programs"
CASES = sorted(ERRORS.glob("*.py"))


def expectations(path: Path) -> list[tuple[int, str]]:
    found = [(lineno, m.group(1).strip()) for lineno, line in enumerate(path.read_text().splitlines(), 1)
             if (m := re.search(r"# error: (.+)$", line))]
    assert found, f"{path} has no '# error:' line"
    return found


def test_there_are_at_least_ten_cases() -> None:
    assert len(CASES) >= 10


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_refused_with_location_and_hint(path: Path) -> None:
    """Every marked error is reported (in order, one line each) and nothing else."""
    expected = expectations(path)
    functions = [n.name for n in ast.parse(path.read_text()).body if isinstance(n, ast.FunctionDef)]
    with pytest.raises(CompileErrors) as info:
        compile_file(path, exports=functions).wasm
    errors = info.value.errors
    assert [e.line for e in errors] == [line for line, _ in expected], str(info.value)
    assert str(info.value) == "\n".join(e.text for e in errors)
    for err, (line, message) in zip(errors, expected):
        text = err.text
        assert text.startswith(f"{err.file}:{line}:{err.col}: error: "), text
        assert err.file.endswith(path.name)
        assert message in err.what, text
        assert " — " in text and err.hint, text


def test_cli_reports_every_error_and_exits_1() -> None:
    from click.testing import CliRunner

    from dsn.cli import main

    path = ERRORS / "many.py"
    result = CliRunner().invoke(main, ["kernel", "compile", str(path), "--export", "f", "--export", "g",
                                       "--export", "h"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert [int(x.split(":")[1]) for x in lines[:-1]] == [line for line, _ in expectations(path)]
    assert all(": error: " in x and " — " in x for x in lines[:-1])
    assert lines[-1] == f"{len(expectations(path))} errors"


def test_internal_errors_exit_2_and_ask_for_a_report(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from dsn.cli import main
    from kernel_wasm.codegen.wat import ModuleGen

    def broken(self: ModuleGen) -> str:
        raise KeyError("no such local")

    monkeypatch.setattr(ModuleGen, "generate", broken)
    result = CliRunner().invoke(main, ["kernel", "compile", str(PROGRAMS / "ints.py"), "--export", "arith_u8"])
    assert result.exit_code == 2
    assert "internal compiler error (please report" in result.output and "KeyError" in result.output
    assert "Traceback" not in result.output


def test_frontend_bug_is_an_internal_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from kernel_wasm.frontend.check import FunctionChecker

    def broken(self: FunctionChecker) -> None:
        raise AttributeError("oops")

    monkeypatch.setattr(FunctionChecker, "check", broken)
    with pytest.raises(InternalError, match="AttributeError: oops"):
        compile_file(PROGRAMS / "ints.py", exports=["arith_u8"]).wasm


def test_cli_reports_error_without_traceback(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from dsn.cli import main

    result = CliRunner().invoke(main, ["kernel", "compile", str(ERRORS / "float.py"), "--export", "half"])
    assert result.exit_code == 1
    assert "float.py:2:" in result.output and "error: floats are outside the subset" in result.output
    assert "Traceback" not in result.output
