"""Module-level symbols: constants, functions, records, imports and intrinsics."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from kernel_wasm.frontend.loader import SourceModule
from kernel_wasm.ir.types import RecordType, Type


@dataclass
class ConstSym:
    """An UPPER_CASE module constant; ``literal`` when unannotated ints (they adapt like literals)."""

    mod: SourceModule
    name: str
    node: ast.stmt
    ann: ast.expr | None
    value_node: ast.expr
    value: object = None
    ty: Type | None = None
    addr: int | None = None  # data address of bytes/list constants
    busy: bool = False


@dataclass
class FuncSym:
    mod: SourceModule
    node: ast.FunctionDef
    qualname: str
    params: list[tuple[str, Type]] | None = None
    ret: Type | None = None


@dataclass
class RecordSym:
    mod: SourceModule
    node: ast.ClassDef
    rtype: RecordType
    resolved: bool = False


@dataclass
class ModuleSym:
    mod: SourceModule


@dataclass
class IntrinsicSym:
    name: str


@dataclass
class ImportRef:
    mod: SourceModule  # the importing module
    target: str  # dotted module imported from
    name: str
    node: ast.stmt
    resolved: object = field(default=None)


DATACLASS = object()
