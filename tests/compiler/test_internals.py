"""Compiler internals the next person extends: every IR node type has a codegen handler (a missing
one makes the generator abstract), and the IR passes run from one list."""

from __future__ import annotations

import inspect

import pytest

from kernel_wasm.codegen.wat import FuncGen
from kernel_wasm.errors import InternalError
from kernel_wasm.ir import nodes as ir
from kernel_wasm.ir.optimize import PASSES
from kernel_wasm.ir.visitor import IRVisitor


def node_types(base: type) -> set[type]:
    return {c for _, c in inspect.getmembers(ir, inspect.isclass) if issubclass(c, base) and c is not base}


def test_every_node_type_has_a_handler() -> None:
    assert set(FuncGen._expr_handlers) == node_types(ir.Expr)
    assert set(FuncGen._stmt_handlers) == node_types(ir.Stmt)
    assert not inspect.isabstract(FuncGen)


def test_a_missing_handler_is_found_before_any_code_runs() -> None:
    class Partial(IRVisitor):
        def e_Const(self, e: ir.Const) -> None:
            pass

    assert inspect.isabstract(Partial)
    with pytest.raises(TypeError, match="abstract"):
        Partial()  # type: ignore[abstract]


def test_unknown_node_is_an_internal_error() -> None:
    class Stray(ir.Expr):
        pass

    gen = FuncGen.__new__(FuncGen)
    with pytest.raises(InternalError, match="no codegen for Stray"):
        gen.ex(Stray())


def test_passes_run_in_one_listed_order() -> None:
    assert [name for name, _ in PASSES] == ["inline", "fold", "unroll", "scalarize"]
