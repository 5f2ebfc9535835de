"""Rewrites checked kernel_py ASTs so CPython fails exactly where compiled code fails."""

from __future__ import annotations

import ast

from kernel_wasm.ir.types import IntType

H = "__k"  # namespace of the injected helpers (names with this prefix never occur in kernel code)


def _helper(name: str, args: list[ast.expr], node: ast.AST) -> ast.Call:
    call = ast.Call(ast.Attribute(ast.Name(H, ast.Load()), name, ast.Load()), args, [])
    return ast.copy_location(call, node)


def _c(v: object) -> ast.Constant:
    return ast.Constant(v)


def _bounds(t: IntType) -> list[ast.expr]:
    return [_c(t.lo), _c(t.hi), _c(t.bits)]


class Instrumenter(ast.NodeTransformer):
    """Uses the type checker's notes (keyed by node id) to insert checks."""

    def __init__(self, notes: dict[int, tuple]) -> None:
        self.notes = notes

    def note(self, node: ast.AST) -> tuple | None:
        return self.notes.get(id(node))

    # ------------------------------------------------------------------------------ imports

    def visit_ImportFrom(self, node: ast.ImportFrom) -> ast.AST | list[ast.stmt]:
        mod = node.module or ""
        if mod == "kernel_py" or (mod.startswith("kernel_py.") and mod != "kernel_py.intrinsics"):
            return [ast.copy_location(ast.Assign(
                [ast.Name(a.asname or a.name, ast.Store())],
                _helper("native_import", [_c(mod), _c(a.name)], node)), node) for a in node.names]
        return node

    # ------------------------------------------------------------------------------ expressions

    def visit_BinOp(self, node: ast.BinOp) -> ast.expr:
        info = self.note(node)
        self.generic_visit(node)
        if info and info[0] == "arith":
            _, op, t = info
            return _helper("arith", [_c(op), node.left, node.right, *_bounds(t)], node)
        return node

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.expr:
        info = self.note(node)
        self.generic_visit(node)
        if info and info[0] == "neg":
            t = info[1]
            return _helper("neg", [node.operand, _c(t.lo), _c(t.hi)], node)
        return node

    def visit_Call(self, node: ast.Call) -> ast.expr:
        info = self.note(node)
        self.generic_visit(node)
        if not info:
            return node
        if info[0] == "conv":
            t = info[1]
            return _helper("conv", [node.args[0], _c(t.lo), _c(t.hi)], node)
        if info[0] == "bytes_new":
            return _helper("bytes_new", [node.func, node.args[0]], node)
        if info[0] == "bytes_list":
            return _helper("bytes_list", [node.func, node.args[0]], node)
        if info[0] == "sum":
            return _helper("sum_", [node.args[0], *_bounds(info[1])[:2]], node)
        if info[0] == "range_step":
            return _helper("range_", node.args, node)
        if info[0] == "divmod":
            return _helper("divmod_", [node.args[0], node.args[1], *_bounds(info[1])], node)
        kws = {kw.arg: kw.value for kw in node.keywords}
        if info[0] == "from_bytes":
            t = info[1]
            data = node.args[0]
            order = node.args[1] if len(node.args) > 1 else kws["byteorder"]
            return _helper("from_bytes", [data, order, _c(t.lo), _c(t.hi)], node)
        if info[0] == "to_bytes":
            assert isinstance(node.func, ast.Attribute)
            pos = list(node.args)
            n = kws["length"] if "length" in kws else pos.pop(0)
            order = kws["byteorder"] if "byteorder" in kws else pos[0]
            return _helper("to_bytes", [node.func.value, n, order], node)
        return node

    def visit_Subscript(self, node: ast.Subscript) -> ast.expr:
        self.generic_visit(node)
        if not isinstance(node.ctx, ast.Load):
            return node
        if isinstance(node.slice, ast.Slice):
            lo = node.slice.lower or _c(None)
            hi = node.slice.upper or _c(None)
            return _helper("slice_", [node.value, lo, hi], node)
        if self.note(node) == ("neg_index",):
            return _helper("index_neg", [node.value, node.slice], node)
        return _helper("index", [node.value, node.slice], node)

    # ------------------------------------------------------------------------------ statements

    def visit_Assign(self, node: ast.Assign) -> ast.stmt:
        target = node.targets[0]
        if len(node.targets) == 1 and isinstance(target, ast.Subscript):
            value = self.visit(node.value)
            seq = self.visit(target.value)
            if isinstance(target.slice, ast.Slice):
                lo = self.visit(target.slice.lower) if target.slice.lower else _c(None)
                hi = self.visit(target.slice.upper) if target.slice.upper else _c(None)
                call = _helper("setslice", [value, seq, lo, hi], node)
            else:
                call = _helper("setitem", [value, seq, self.visit(target.slice)], node)
            return ast.copy_location(ast.Expr(call), node)
        self.generic_visit(node)
        return node

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.stmt:
        info = self.note(node)
        if not info or info[0] != "arith":
            self.generic_visit(node)
            return node
        _, op, t = info
        value = self.visit(node.value)
        lazy = ast.copy_location(ast.Lambda(ast.arguments([], [], None, [], [], None, []), value), node)
        target = node.target
        if isinstance(target, ast.Name):
            load = ast.copy_location(ast.Name(target.id, ast.Load()), node)
            call = _helper("arith", [_c(op), load, value, *_bounds(t)], node)
            return ast.copy_location(ast.Assign([ast.Name(target.id, ast.Store())], call), node)
        if isinstance(target, ast.Subscript):
            call = _helper("aug_item", [self.visit(target.value), self.visit(target.slice), _c(op), lazy,
                                        *_bounds(t)], node)
            return ast.copy_location(ast.Expr(call), node)
        assert isinstance(target, ast.Attribute)
        call = _helper("aug_attr", [self.visit(target.value), _c(target.attr), _c(op), lazy, *_bounds(t)], node)
        return ast.copy_location(ast.Expr(call), node)

    def visit_Assert(self, node: ast.Assert) -> ast.stmt:
        self.generic_visit(node)
        msg = node.msg if node.msg is not None else _c("")
        fail = ast.copy_location(ast.Expr(_helper("fail_assert", [msg], node)), node)
        test = ast.copy_location(ast.UnaryOp(ast.Not(), node.test), node)
        return ast.copy_location(ast.If(test, [fail], []), node)
