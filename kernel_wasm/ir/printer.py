"""Readable text of the typed IR (``dsn kernel compile --emit ir`` and golden snapshots)."""

from __future__ import annotations

import dataclasses

from kernel_wasm.ir import nodes as ir


def expr(e: ir.Expr) -> str:
    if isinstance(e, ir.Const):
        return f"{e.value}:{e.ty}"
    if isinstance(e, ir.Local):
        return e.name
    if isinstance(e, ir.Data):
        return f"@{e.addr}:{e.ty}"
    name = type(e).__name__
    parts = []
    for f in dataclasses.fields(e):
        v = getattr(e, f.name)
        if f.name == "ty":
            continue
        if isinstance(v, ir.Expr):
            parts.append(expr(v))
        elif isinstance(v, list):
            if v and isinstance(v[0], ir.Stmt):
                parts.append("{ " + "; ".join(stmt_inline(s) for s in v) + " }")
            else:
                parts.append("[" + ", ".join(expr(x) if isinstance(x, ir.Expr) else
                                             f"{x[0]}={expr(x[1])}" if isinstance(x, tuple) else str(x)
                                             for x in v) + "]")
        elif f.name == "site":
            if v >= 0:
                parts.append(f"!{v}")
        elif v is not None:
            parts.append(str(v))
    return f"{name}({', '.join(parts)}):{e.ty}"


def stmt_inline(s: ir.Stmt) -> str:
    return " ".join(line.strip() for line in stmt(s, 0))


def stmt(s: ir.Stmt, depth: int) -> list[str]:
    pad = "  " * depth
    if isinstance(s, ir.Assign):
        return [f"{pad}{s.name} = {expr(s.value)}"]
    if isinstance(s, ir.Unpack):
        return [f"{pad}{', '.join(n or '_' for n in s.names)} = {expr(s.value)}"]
    if isinstance(s, ir.If):
        out = [f"{pad}if {expr(s.cond)}:"] + block(s.then, depth + 1)
        if s.els:
            out += [f"{pad}else:"] + block(s.els, depth + 1)
        return out
    if isinstance(s, ir.While):
        return [f"{pad}while {expr(s.cond)}:"] + block(s.body, depth + 1)
    if isinstance(s, ir.ForRange):
        ctr = "" if s.counter == s.var else f" (counter {s.counter})"
        return [f"{pad}for {s.var} in range({expr(s.lo)}, {expr(s.hi)}, {s.step}){ctr}:"] + block(s.body, depth + 1)
    if isinstance(s, ir.ForEach):
        return [f"{pad}for {s.var} in {expr(s.seq)} (index {s.index}):"] + block(s.body, depth + 1)
    if isinstance(s, ir.Return):
        return [f"{pad}return {', '.join(expr(v) for v in s.values)}"]
    if isinstance(s, ir.Fail):
        return [f"{pad}fail !{s.site}"]
    if isinstance(s, (ir.Break, ir.Continue)):
        return [f"{pad}{type(s).__name__.lower()}"]
    if isinstance(s, ir.ExprStmt):
        return [f"{pad}{expr(s.expr)}"]
    fields = ", ".join(expr(v) if isinstance(v, ir.Expr) else str(v) for v in
                       (getattr(s, f.name) for f in dataclasses.fields(s)) if v is not None)
    return [f"{pad}{type(s).__name__}({fields})"]


def block(stmts: list[ir.Stmt], depth: int) -> list[str]:
    out: list[str] = []
    for s in stmts:
        out.extend(stmt(s, depth))
    return out or ["  " * depth + "pass"]


def function(name: str, f: ir.Func) -> list[str]:
    """The lines of one function (a ``def`` header, its locals, its body)."""
    params = ", ".join(f"{p}: {t}" for p, t in f.params)
    lines = [f"def {name}({params}) -> {f.ret}:"]
    if f.locals:
        lines.append("  # locals: " + ", ".join(f"{k}: {v}" for k, v in f.locals.items()))
    lines.extend(block(f.body, 1))
    lines.append("")
    return lines


def program(prog: ir.Program) -> str:
    lines: list[str] = []
    for name, f in prog.funcs.items():
        lines.extend(function(name, f))
    lines.append("# exports: " + ", ".join(f"{k} -> {v}" for k, v in prog.exports.items()))
    lines.append("# sites:")
    for s in prog.sites:
        lines.append(f"#   !{s.id} {s.file}:{s.line}:{s.col} {s.kind}" + (f" {s.message!r}" if s.message else ""))
    return "\n".join(lines) + "\n"
