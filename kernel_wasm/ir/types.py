"""The language's types and their wasm representation."""

from __future__ import annotations

from dataclasses import dataclass


class Type:
    """Base of all kernel types."""

    wasm: str = "i32"  # wasm value type of a value of this type
    size: int = 4  # bytes in a list element / record field

    def __str__(self) -> str:  # pragma: no cover - overridden
        return type(self).__name__


@dataclass(frozen=True)
class IntType(Type):
    name: str
    bits: int
    signed: bool

    @property
    def wasm(self) -> str:  # type: ignore[override]
        return "i64" if self.bits == 64 else "i32"

    @property
    def size(self) -> int:  # type: ignore[override]
        return {1: 1, 8: 1, 32: 4, 64: 8}[self.bits]

    @property
    def lo(self) -> int:
        return -(1 << (self.bits - 1)) if self.signed else 0

    @property
    def hi(self) -> int:
        return (1 << (self.bits - 1)) - 1 if self.signed else (1 << self.bits) - 1

    def __str__(self) -> str:
        return self.name


U8 = IntType("u8", 8, False)
U32 = IntType("u32", 32, False)
U64 = IntType("u64", 64, False)
I32 = IntType("i32", 32, True)
I64 = IntType("int", 64, True)  # `int` and `i64` are the same type
BOOL = IntType("bool", 1, False)
INT_TYPES = {"u8": U8, "u32": U32, "u64": U64, "i32": I32, "i64": I64, "int": I64}


def is_int(t: Type) -> bool:
    return isinstance(t, IntType) and t is not BOOL and t != BOOL


@dataclass(frozen=True)
class BytesType(Type):
    mutable: bool

    def __str__(self) -> str:
        return "bytearray" if self.mutable else "bytes"


BYTES = BytesType(False)
BYTEARRAY = BytesType(True)


@dataclass(frozen=True)
class ListType(Type):
    elem: Type

    def __str__(self) -> str:
        return f"list[{self.elem}]"


@dataclass(frozen=True, eq=False)
class RecordType(Type):
    name: str
    qualname: str
    fields: tuple[tuple[str, Type], ...]

    def layout(self) -> tuple[dict[str, int], int]:
        """Field offsets and total size (each field aligned to its own size)."""
        offsets: dict[str, int] = {}
        pos = 0
        for fname, ftype in self.fields:
            sz = ftype.size
            pos = (pos + sz - 1) // sz * sz
            offsets[fname] = pos
            pos += sz
        return offsets, max(pos, 1)

    def field(self, name: str) -> Type | None:
        for fname, ftype in self.fields:
            if fname == name:
                return ftype
        return None

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class TupleType(Type):
    items: tuple[Type, ...]

    def __str__(self) -> str:
        return "tuple[" + ", ".join(map(str, self.items)) + "]"


@dataclass(frozen=True)
class NoneType(Type):
    def __str__(self) -> str:
        return "None"


NONE = NoneType()


def wasm_results(t: Type) -> list[str]:
    """wasm result types of a function returning ``t``."""
    if isinstance(t, NoneType):
        return []
    if isinstance(t, TupleType):
        return [i.wasm for i in t.items]
    return [t.wasm]


def widens(src: Type, dst: Type) -> bool:
    """Whether every value of integer type ``src`` is a value of integer type ``dst`` (lossless widening)."""
    return is_int(src) and is_int(dst) and dst.lo <= src.lo and src.hi <= dst.hi  # type: ignore[attr-defined]


def join(a: Type, b: Type) -> IntType | None:
    """The narrowest integer type holding every value of both ``a`` and ``b`` (None: u64 with a signed type)."""
    if widens(a, b):
        return b  # type: ignore[return-value]
    if widens(b, a):
        return a  # type: ignore[return-value]
    if widens(a, I64) and widens(b, I64):
        return I64
    return None


def assignable(src: Type, dst: Type) -> bool:
    """Whether a value of type ``src`` may be stored where ``dst`` is expected (bytearray → bytes)."""
    return src == dst or (src == BYTEARRAY and dst == BYTES)
