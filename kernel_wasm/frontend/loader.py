"""Finds and parses kernel_py source modules (the compiler reads source; it never imports it)."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

from kernel_wasm.errors import CompileError

DEFAULT_KERNEL_PY = Path(__file__).resolve().parents[2] / "kernel_py"


@dataclass
class SourceModule:
    """One parsed source file."""

    name: str  # dotted module name ("kernel_py.crypto.blake2b"; a file outside kernel_py: its stem)
    path: Path
    display: str  # path used in diagnostics
    source: str
    tree: ast.Module
    symbols: dict = field(default_factory=dict)  # filled by the checker


def find_kernel_py_root(path: Path) -> Path:
    """The kernel_py package directory a file belongs to (else the repository's own)."""
    for parent in path.resolve().parents:
        if parent.name == "kernel_py" and (parent / "__init__.py").exists():
            return parent
    return DEFAULT_KERNEL_PY


class Loader:
    """Caches parsed modules; resolves ``kernel_py.x.y`` to files under one kernel_py root."""

    def __init__(self, kernel_py_root: Path) -> None:
        self.root = kernel_py_root
        self.modules: dict[str, SourceModule] = {}

    def display_path(self, path: Path) -> str:
        try:
            return str(path.resolve().relative_to(self.root.parent))
        except ValueError:
            return str(path)

    def module_name(self, path: Path) -> str:
        try:
            rel = path.resolve().relative_to(self.root.parent).with_suffix("")
        except ValueError:
            return path.stem
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        return ".".join(parts)

    def load_path(self, path: Path) -> SourceModule:
        name = self.module_name(path)
        if name in self.modules:
            return self.modules[name]
        display = self.display_path(path)
        try:
            source = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise CompileError(display, 1, 1, f"cannot read source: {exc.strerror}", "check the path") from None
        try:
            tree = ast.parse(source, filename=display)
        except SyntaxError as exc:
            raise CompileError(display, exc.lineno or 1, exc.offset or 1, f"syntax error: {exc.msg}",
                               "fix the Python syntax") from None
        mod = SourceModule(name, path.resolve(), display, source, tree)
        self.modules[name] = mod
        return mod

    def file_for(self, dotted: str) -> Path | None:
        """Source file of ``kernel_py.a.b`` (module or package), or None."""
        parts = dotted.split(".")
        if parts[0] != "kernel_py":
            return None
        base = self.root.joinpath(*parts[1:])
        if base.with_suffix(".py").is_file():
            return base.with_suffix(".py")
        if (base / "__init__.py").is_file():
            return base / "__init__.py"
        return None
