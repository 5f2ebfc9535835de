"""Typed dispatch over IR nodes: a visitor base class with one abstract method per node type.

A code generator subclasses :class:`IRVisitor` and implements ``e_<Expr>`` / ``s_<Stmt>`` for every
node; a missing handler makes the subclass abstract, so instantiating it fails (and mypy reports it)
instead of a lookup failing at run time. :meth:`IRVisitor.ex` / :meth:`IRVisitor.stmt` dispatch
through a table keyed by node class, built once per subclass.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Callable, ClassVar

from kernel_wasm.errors import InternalError
from kernel_wasm.ir import nodes as ir


class IRVisitor(ABC):
    """One handler per IR node type (``e_*`` push an expression's value, ``s_*`` emit a statement)."""

    _expr_handlers: ClassVar[dict[type, Callable[[Any, Any], None]]] = {}
    _stmt_handlers: ClassVar[dict[type, Callable[[Any, Any], None]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._expr_handlers = {
            ir.Const: cls.e_Const,
            ir.Local: cls.e_Local,
            ir.Data: cls.e_Data,
            ir.Arith: cls.e_Arith,
            ir.Neg: cls.e_Neg,
            ir.Cmp: cls.e_Cmp,
            ir.Not: cls.e_Not,
            ir.Logic: cls.e_Logic,
            ir.Select: cls.e_Select,
            ir.Prim: cls.e_Prim,
            ir.Convert: cls.e_Convert,
            ir.Call: cls.e_Call,
            ir.HostCall: cls.e_HostCall,
            ir.Len: cls.e_Len,
            ir.Index: cls.e_Index,
            ir.Slice: cls.e_Slice,
            ir.Field: cls.e_Field,
            ir.MakeList: cls.e_MakeList,
            ir.RepeatList: cls.e_RepeatList,
            ir.MakeRecord: cls.e_MakeRecord,
            ir.Concat: cls.e_Concat,
            ir.BytesCmp: cls.e_BytesCmp,
            ir.BytesNew: cls.e_BytesNew,
            ir.BytesCopy: cls.e_BytesCopy,
            ir.FromBytes: cls.e_FromBytes,
            ir.ToBytes: cls.e_ToBytes,
            ir.Inline: cls.e_Inline,
        }
        cls._stmt_handlers = {
            ir.Assign: cls.s_Assign,
            ir.Unpack: cls.s_Unpack,
            ir.SetIndex: cls.s_SetIndex,
            ir.SetSlice: cls.s_SetSlice,
            ir.SetField: cls.s_SetField,
            ir.Append: cls.s_Append,
            ir.If: cls.s_If,
            ir.While: cls.s_While,
            ir.ForRange: cls.s_ForRange,
            ir.ForEach: cls.s_ForEach,
            ir.Break: cls.s_Break,
            ir.Continue: cls.s_Continue,
            ir.Return: cls.s_Return,
            ir.ExprStmt: cls.s_ExprStmt,
            ir.Fail: cls.s_Fail,
        }

    def ex(self, e: ir.Expr) -> None:
        """Emit code pushing the value of ``e``."""
        handler = self._expr_handlers.get(type(e))
        if handler is None:
            raise InternalError(f"no codegen for {type(e).__name__}")
        handler(self, e)

    def stmt(self, s: ir.Stmt) -> None:
        """Emit code for ``s``."""
        handler = self._stmt_handlers.get(type(s))
        if handler is None:
            raise InternalError(f"no codegen for {type(s).__name__}")
        handler(self, s)

    @abstractmethod
    def e_Const(self, e: ir.Const) -> None: ...

    @abstractmethod
    def e_Local(self, e: ir.Local) -> None: ...

    @abstractmethod
    def e_Data(self, e: ir.Data) -> None: ...

    @abstractmethod
    def e_Arith(self, e: ir.Arith) -> None: ...

    @abstractmethod
    def e_Neg(self, e: ir.Neg) -> None: ...

    @abstractmethod
    def e_Cmp(self, e: ir.Cmp) -> None: ...

    @abstractmethod
    def e_Not(self, e: ir.Not) -> None: ...

    @abstractmethod
    def e_Logic(self, e: ir.Logic) -> None: ...

    @abstractmethod
    def e_Select(self, e: ir.Select) -> None: ...

    @abstractmethod
    def e_Prim(self, e: ir.Prim) -> None: ...

    @abstractmethod
    def e_Convert(self, e: ir.Convert) -> None: ...

    @abstractmethod
    def e_Call(self, e: ir.Call) -> None: ...

    @abstractmethod
    def e_HostCall(self, e: ir.HostCall) -> None: ...

    @abstractmethod
    def e_Len(self, e: ir.Len) -> None: ...

    @abstractmethod
    def e_Index(self, e: ir.Index) -> None: ...

    @abstractmethod
    def e_Slice(self, e: ir.Slice) -> None: ...

    @abstractmethod
    def e_Field(self, e: ir.Field) -> None: ...

    @abstractmethod
    def e_MakeList(self, e: ir.MakeList) -> None: ...

    @abstractmethod
    def e_RepeatList(self, e: ir.RepeatList) -> None: ...

    @abstractmethod
    def e_MakeRecord(self, e: ir.MakeRecord) -> None: ...

    @abstractmethod
    def e_Concat(self, e: ir.Concat) -> None: ...

    @abstractmethod
    def e_BytesCmp(self, e: ir.BytesCmp) -> None: ...

    @abstractmethod
    def e_BytesNew(self, e: ir.BytesNew) -> None: ...

    @abstractmethod
    def e_BytesCopy(self, e: ir.BytesCopy) -> None: ...

    @abstractmethod
    def e_FromBytes(self, e: ir.FromBytes) -> None: ...

    @abstractmethod
    def e_ToBytes(self, e: ir.ToBytes) -> None: ...

    @abstractmethod
    def e_Inline(self, e: ir.Inline) -> None: ...

    @abstractmethod
    def s_Assign(self, s: ir.Assign) -> None: ...

    @abstractmethod
    def s_Unpack(self, s: ir.Unpack) -> None: ...

    @abstractmethod
    def s_SetIndex(self, s: ir.SetIndex) -> None: ...

    @abstractmethod
    def s_SetSlice(self, s: ir.SetSlice) -> None: ...

    @abstractmethod
    def s_SetField(self, s: ir.SetField) -> None: ...

    @abstractmethod
    def s_Append(self, s: ir.Append) -> None: ...

    @abstractmethod
    def s_If(self, s: ir.If) -> None: ...

    @abstractmethod
    def s_While(self, s: ir.While) -> None: ...

    @abstractmethod
    def s_ForRange(self, s: ir.ForRange) -> None: ...

    @abstractmethod
    def s_ForEach(self, s: ir.ForEach) -> None: ...

    @abstractmethod
    def s_Break(self, s: ir.Break) -> None: ...

    @abstractmethod
    def s_Continue(self, s: ir.Continue) -> None: ...

    @abstractmethod
    def s_Return(self, s: ir.Return) -> None: ...

    @abstractmethod
    def s_ExprStmt(self, s: ir.ExprStmt) -> None: ...

    @abstractmethod
    def s_Fail(self, s: ir.Fail) -> None: ...
