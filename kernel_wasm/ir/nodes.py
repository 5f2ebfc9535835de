"""Typed IR: a structured tree of expressions and statements, every node carrying its kernel type.

Each check that can fail carries a *site* id; the site table maps it to ``file:line`` and a kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kernel_wasm.ir.types import BOOL, I64, NONE, Type


@dataclass
class Site:
    id: int
    file: str
    line: int
    col: int
    kind: str
    message: str


class Expr:
    ty: Type


@dataclass
class Const(Expr):
    value: int
    ty: Type


@dataclass
class Local(Expr):
    name: str
    ty: Type


@dataclass
class Data(Expr):
    """Address of a constant in the data segment (a bytes value or a read-only list)."""

    addr: int
    ty: Type
    length: int  # byte length / element count, known at compile time


@dataclass
class Arith(Expr):
    """Integer arithmetic; ``site`` >= 0 means checked (fails on overflow/division/shift)."""

    op: str  # add sub mul div mod shl shr and or xor
    a: Expr
    b: Expr
    ty: Type
    site: int = -1


@dataclass
class Neg(Expr):
    a: Expr
    ty: Type
    site: int


@dataclass
class Cmp(Expr):
    op: str  # eq ne lt le gt ge
    a: Expr
    b: Expr
    ty: Type = BOOL


@dataclass
class Not(Expr):
    a: Expr
    ty: Type = BOOL


@dataclass
class Logic(Expr):
    op: str  # and / or
    a: Expr
    b: Expr
    ty: Type = BOOL


@dataclass
class Select(Expr):
    cond: Expr
    a: Expr
    b: Expr
    ty: Type


@dataclass
class Prim(Expr):
    """A wasm-level operation from an intrinsic (rotl, wrapping add, mul_wide, ...)."""

    op: str
    args: list[Expr]
    ty: Type


@dataclass
class Convert(Expr):
    """Integer conversion; checked when ``site`` >= 0, else wrapping (truncate/bits)."""

    a: Expr
    ty: Type
    site: int = -1


@dataclass
class Call(Expr):
    func: str
    args: list[Expr]
    ty: Type


@dataclass
class HostCall(Expr):
    name: str
    args: list[Expr]
    ty: Type


@dataclass
class Len(Expr):
    a: Expr
    ty: Type = I64


@dataclass
class Index(Expr):
    seq: Expr
    index: Expr
    ty: Type
    site: int


@dataclass
class Slice(Expr):
    seq: Expr
    lo: Expr | None
    hi: Expr | None
    ty: Type
    site: int


@dataclass
class Field(Expr):
    rec: Expr
    name: str
    ty: Type


@dataclass
class MakeList(Expr):
    items: list[Expr]
    ty: Type


@dataclass
class RepeatList(Expr):
    item: Expr
    count: Expr
    ty: Type
    site: int


@dataclass
class MakeRecord(Expr):
    args: list[Expr]
    ty: Type


@dataclass
class Concat(Expr):
    a: Expr
    b: Expr
    ty: Type
    site: int


@dataclass
class BytesCmp(Expr):
    op: str
    a: Expr
    b: Expr
    ty: Type = BOOL


@dataclass
class BytesNew(Expr):
    """``bytes(n)`` / ``bytearray(n)``: n zero bytes."""

    n: Expr
    ty: Type
    site: int


@dataclass
class BytesCopy(Expr):
    """``bytes(x)`` / ``bytearray(x)`` of a bytes-like value."""

    a: Expr
    ty: Type
    site: int


@dataclass
class FromBytes(Expr):
    """``int.from_bytes(seq[lo:lo+n], order)`` (``n`` None: the whole of ``seq``)."""

    seq: Expr
    lo: Expr | None
    n: int | None
    order: str
    ty: Type
    site: int


@dataclass
class ToBytes(Expr):
    a: Expr
    n: Expr
    order: str
    ty: Type
    site: int


@dataclass
class Inline(Expr):
    """An inlined call: parameters bound to fresh locals, body returns through a block."""

    params: list[tuple[str, Expr]]
    body: list["Stmt"]
    ty: Type
    label: str


# ------------------------------------------------------------------------------------ statements


class Stmt:
    pass


@dataclass
class Assign(Stmt):
    name: str
    value: Expr


@dataclass
class Unpack(Stmt):
    names: list[str | None]
    value: Expr


@dataclass
class SetIndex(Stmt):
    seq: Expr
    index: Expr
    value: Expr
    site: int


@dataclass
class SetSlice(Stmt):
    seq: Expr
    lo: Expr | None
    hi: Expr | None
    value: Expr
    site: int


@dataclass
class SetField(Stmt):
    rec: Expr
    name: str
    value: Expr


@dataclass
class Append(Stmt):
    seq: Expr
    value: Expr
    site: int


@dataclass
class If(Stmt):
    cond: Expr
    then: list[Stmt]
    els: list[Stmt]


@dataclass
class While(Stmt):
    cond: Expr
    body: list[Stmt]


@dataclass
class ForRange(Stmt):
    var: str
    counter: str  # == var when the variable itself can be the counter
    lo: Expr
    hi: Expr
    step: int
    body: list[Stmt]


@dataclass
class ForEach(Stmt):
    var: str
    index: str
    seq: Expr
    body: list[Stmt]


@dataclass
class Break(Stmt):
    pass


@dataclass
class Continue(Stmt):
    pass


@dataclass
class Return(Stmt):
    values: list[Expr]


@dataclass
class ExprStmt(Stmt):
    expr: Expr


@dataclass
class Fail(Stmt):
    site: int


@dataclass
class Func:
    name: str
    params: list[tuple[str, Type]]
    ret: Type
    body: list[Stmt]
    locals: dict[str, Type] = field(default_factory=dict)
    file: str = ""
    line: int = 0
    returns_checked: bool = True
    hot: bool = False  # docstring starts with `Hot:`: inline checks even in the size profile


@dataclass
class Program:
    funcs: dict[str, Func]
    exports: dict[str, str]  # export name -> func name
    data: bytes
    data_base: int
    heap_base: int
    sites: list[Site]
    kernel: bool
    host_imports: set[str]
    ret_none: Type = NONE
