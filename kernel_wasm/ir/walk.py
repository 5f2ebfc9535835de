"""Generic traversal of IR trees (dataclass fields holding nodes or lists of nodes)."""

from __future__ import annotations

import dataclasses
from typing import Callable, Iterator

from kernel_wasm.ir import nodes as ir

Node = ir.Expr | ir.Stmt


_FIELDS: dict[type, tuple[str, ...]] = {}


def _fields(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls) if f.name not in ("ty", "site"))
    return names


def children(node: object) -> Iterator[object]:
    for name in _fields(type(node)):
        v = getattr(node, name)
        if isinstance(v, (ir.Expr, ir.Stmt)):
            yield v
        elif isinstance(v, list):
            for x in v:
                if isinstance(x, (ir.Expr, ir.Stmt)):
                    yield x
                elif isinstance(x, tuple):
                    for y in x:
                        if isinstance(y, (ir.Expr, ir.Stmt)):
                            yield y


def walk(node: object) -> Iterator[object]:
    yield node
    for c in children(node):
        yield from walk(c)


def walk_all(stmts: list[ir.Stmt]) -> Iterator[object]:
    for s in stmts:
        yield from walk(s)


def size(stmts: list[ir.Stmt]) -> int:
    return sum(1 for _ in walk_all(stmts))


def assigned(stmts: list[ir.Stmt]) -> set[str]:
    """Locals written anywhere in ``stmts``."""
    out: set[str] = set()
    for n in walk_all(stmts):
        if isinstance(n, ir.Assign):
            out.add(n.name)
        elif isinstance(n, ir.Unpack):
            out.update(x for x in n.names if x)
        elif isinstance(n, ir.ForRange):
            out.update((n.var, n.counter))
        elif isinstance(n, ir.ForEach):
            out.update((n.var, n.index))
        elif isinstance(n, ir.Inline):
            out.update(p for p, _ in n.params)
    return out


def rewrite(node: object, fn: Callable[[object], object | None]) -> object:
    """Bottom-up rebuild: children first, then ``fn(node)`` may return a replacement."""
    cls = type(node)
    new = cls.__new__(cls)
    new.__dict__.update(node.__dict__)
    for name in _fields(cls):
        v = getattr(node, name)
        if isinstance(v, (ir.Expr, ir.Stmt)):
            setattr(new, name, rewrite(v, fn))
        elif isinstance(v, list):
            items = []
            for x in v:
                if isinstance(x, (ir.Expr, ir.Stmt)):
                    items.append(rewrite(x, fn))
                elif isinstance(x, tuple):
                    items.append(tuple(rewrite(y, fn) if isinstance(y, (ir.Expr, ir.Stmt)) else y for y in x))
                else:
                    items.append(x)
            setattr(new, name, items)
    r = fn(new)
    return new if r is None else r
