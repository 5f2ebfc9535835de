"""Checks one function body against the subset and lowers it to typed IR.

``FunctionChecker`` is assembled from mixins: statements, expressions and calls.
"""

from __future__ import annotations

import ast
from typing import NoReturn

from kernel_wasm.frontend.calls import CallChecker
from kernel_wasm.frontend.expressions import ExprChecker
from kernel_wasm.frontend.rules import is_literal
from kernel_wasm.frontend.statements import StatementChecker
from kernel_wasm.frontend.sugar import SugarChecker
from kernel_wasm.frontend.symbols import FuncSym
from kernel_wasm.ir import nodes as ir
from kernel_wasm.ir.types import NONE, Type


class FunctionChecker(StatementChecker, ExprChecker, CallChecker, SugarChecker):
    """Type-checks one function and produces its IR."""

    def __init__(self, prog, sym: FuncSym) -> None:  # prog: ProgramBuilder
        self.prog = prog
        self.sym = sym
        self.mod = sym.mod
        self.locals: dict[str, Type] = {}
        self.assigned: set[str] = set()
        self.loops = 0
        self.ntemp = 0
        self.failed = False  # a statement was refused (its errors are recorded in prog.errors)
        self.poisoned: set[str] = set()  # variables whose only assignments were refused
        self.params, self.ret = prog.signature(sym)

    def err(self, node: ast.AST | None, what: str, hint: str = "") -> NoReturn:
        raise self.prog.err(self.mod, node, what, hint)

    def site(self, node: ast.AST, kind: str, message: str = "") -> int:
        return self.prog.site(self.mod, node, kind, message)

    def temp(self, ty: Type) -> str:
        self.ntemp += 1
        name = f"%t{self.ntemp}"
        self.locals[name] = ty
        return name

    def check(self) -> ir.Func:
        node = self.sym.node
        for name, t in self.params:
            self.locals[name] = t
        self.assigned = self._assigned_names(node)
        body = self.block(self._strip_doc(node.body))
        if self.ret != NONE and not self.failed and not self._always_returns(body):
            self.err(node, f"function `{node.name}` may end without returning a value of type {self.ret}",
                     "end every path with `return ...` (or abort(\"...\"))")
        params = [(n, t) for n, t in self.params]
        lcl = {k: v for k, v in self.locals.items() if k not in dict(params)}
        return ir.Func(self.sym.qualname, params, self.ret, body, lcl, self.mod.display, node.lineno,
                       hot=self._is_hot(node))

    @staticmethod
    def _is_hot(node: ast.FunctionDef) -> bool:
        """A docstring starting with ``Hot:`` asks for inline checks in the size profile (LANGUAGE.md 12.1)."""
        doc = ast.get_docstring(node, clean=False)
        return doc is not None and doc.startswith("Hot:")

    @staticmethod
    def _strip_doc(body: list[ast.stmt]) -> list[ast.stmt]:
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                and isinstance(body[0].value.value, str):
            return body[1:]
        return body

    @staticmethod
    def _assigned_names(fn: ast.FunctionDef) -> set[str]:
        names = {a.arg for a in fn.args.args}
        for n in ast.walk(fn):
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
                names.add(n.id)
        return names

    def _always_returns(self, body: list[ir.Stmt]) -> bool:
        if not body:
            return False
        last = body[-1]
        if isinstance(last, (ir.Return, ir.Fail)):
            return True
        if isinstance(last, ir.If):
            return self._always_returns(last.then) and self._always_returns(last.els)
        if isinstance(last, ir.While) and isinstance(last.cond, ir.Const) and last.cond.value:
            return not self._has_break(last.body)
        return False

    def _has_break(self, body: list[ir.Stmt]) -> bool:
        for s in body:
            if isinstance(s, ir.Break):
                return True
            if isinstance(s, ir.If) and (self._has_break(s.then) or self._has_break(s.els)):
                return True
        return False


__all__ = ["FunctionChecker", "is_literal"]
