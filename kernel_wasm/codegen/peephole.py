"""Peephole clean-up of one function's instruction list (stack-machine friendly locals)."""

from __future__ import annotations

CONTROL = ("block", "loop", "if", "else", "end", "br", "br_if", "br_table", "return", "unreachable")


def _is_control(ins: str) -> bool:
    return ins.split(" ", 1)[0] in CONTROL


def _dead_after(code: list[str], i: int, name: str) -> bool:
    """The value of local ``name`` written at ``i`` is never read (next access is a write)."""
    get, set_, tee = f"local.get {name}", f"local.set {name}", f"local.tee {name}"
    for ins in code[i + 1:]:
        if ins == get:
            return False
        if ins == set_ or ins == tee:
            return True
        if _is_control(ins):
            return False
    return True


def optimize_code(code: list[str], params: set[str]) -> list[str]:
    """``set x; get x`` → ``tee x``; drop ``tee x`` whose value is dead; drop ``get x; drop``."""
    out: list[str] = []
    i = 0
    while i < len(code):
        ins = code[i]
        nxt = code[i + 1] if i + 1 < len(code) else ""
        if ins.startswith("local.set ") and nxt == "local.get " + ins[10:]:
            out.append("local.tee " + ins[10:])
            i += 2
            continue
        if ins.startswith("local.get ") and nxt == "drop":
            i += 2
            continue
        out.append(ins)
        i += 1
    result: list[str] = []
    for i, ins in enumerate(out):
        if ins.startswith("local.tee ") and _dead_after(out, i, ins[10:]):
            continue
        result.append(ins)
    return result
