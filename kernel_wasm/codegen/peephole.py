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


NARROW_CMP = {"eq": "eq", "ne": "ne", "lt_s": "lt_u", "lt_u": "lt_u", "gt_s": "gt_u", "gt_u": "gt_u",
              "le_s": "le_u", "le_u": "le_u", "ge_s": "ge_u", "ge_u": "ge_u"}


def _narrow_compare(code: list[str], i: int) -> list[str] | None:
    """``i64.extend_i32_u; i64.const k; i64.<cmp>`` (0 <= k < 2^31) → ``i32.const k; i32.<cmp>_u``,
    and ``i64.extend_i32_u; i64.eqz`` → ``i32.eqz``: a zero-extended u32 compares the same in 32 bits."""
    nxt = code[i + 1] if i + 1 < len(code) else ""
    if nxt == "i64.eqz":
        return ["i32.eqz"]
    if nxt.startswith("i64.const ") and i + 2 < len(code) and code[i + 2].startswith("i64."):
        k = int(nxt[10:])
        op = NARROW_CMP.get(code[i + 2][4:])
        if op is not None and 0 <= k < (1 << 31):
            return [f"i32.const {k}", f"i32.{op}"]
    return None


def optimize_code(code: list[str], params: set[str]) -> list[str]:
    """``set x; get x`` → ``tee x``; drop ``tee x`` whose value is dead; drop ``get x; drop``; 32-bit
    compares of zero-extended values with small constants."""
    out: list[str] = []
    i = 0
    while i < len(code):
        ins = code[i]
        nxt = code[i + 1] if i + 1 < len(code) else ""
        if ins == "i64.extend_i32_u":
            narrow = _narrow_compare(code, i)
            if narrow is not None:
                out.extend(narrow)
                i += 1 + len(narrow)
                continue
        if ins.startswith("local.set ") and nxt == "local.get " + ins[10:]:
            out.append("local.tee " + ins[10:])
            i += 2
            continue
        if ins.startswith("local.get ") and nxt == "drop":
            i += 2
            continue
        out.append(ins)
        i += 1
    read = {ins[10:] for ins in out if ins.startswith("local.get ")}
    result: list[str] = []
    for i, ins in enumerate(out):
        if ins.startswith("local.tee ") and (ins[10:] not in read or _dead_after(out, i, ins[10:])):
            continue
        if ins.startswith("local.set ") and ins[10:] not in read and ins[10:] not in params:
            if result and (result[-1].startswith(("i32.const ", "i64.const ", "local.get "))):
                result.pop()  # a pure value that nobody reads
            else:
                result.append("drop")
            continue
        result.append(ins)
    return _drop_unused_blocks(_drop_initial_zeros(result, params))


def _drop_initial_zeros(code: list[str], params: set[str]) -> list[str]:
    """Before the first loop every instruction runs at most once: setting a local that nothing has
    written yet to zero is a no-op (wasm locals start at zero)."""
    written = set(params)
    drop: set[int] = set()
    for i, ins in enumerate(code):
        if ins.startswith("loop"):
            break
        if ins.startswith(("local.set ", "local.tee ")):
            name = ins[10:]
            if ins.startswith("local.set ") and name not in written and i > 0 \
                    and code[i - 1] in ("i32.const 0", "i64.const 0"):
                drop.update((i - 1, i))
            written.add(name)
    return [ins for i, ins in enumerate(code) if i not in drop]


def _drop_branches_to_end(code: list[str]) -> list[str]:
    """``br $L; unreachable; end`` where that ``end`` closes block ``$L``: the branch is a fall-through."""
    drop: set[int] = set()
    stack: list[str] = []
    for i, ins in enumerate(code):
        op, _, arg = ins.partition(" ")
        if op in ("block", "loop", "if"):
            stack.append(arg.split(" ", 1)[0] if op == "block" and arg.startswith("$") else "")
        elif op == "end" and stack:
            label = stack.pop()
            if label and i >= 2 and code[i - 2] == f"br {label}" and code[i - 1] == "unreachable":
                drop.update((i - 2, i - 1))
    return [ins for i, ins in enumerate(code) if i not in drop]


def _drop_unused_blocks(code: list[str]) -> list[str]:
    """Remove ``block $L ... end`` wrappers whose label no branch targets."""
    code = _drop_branches_to_end(code)
    targets: set[str] = set()
    for ins in code:
        op, _, arg = ins.partition(" ")
        if op in ("br", "br_if", "br_table"):
            targets.update(arg.split())
    drop: set[int] = set()
    stack: list[tuple[int, bool]] = []  # (index of the opener, removable)
    for i, ins in enumerate(code):
        op, _, arg = ins.partition(" ")
        if op in ("block", "loop", "if"):
            label = arg.split(" ", 1)[0] if arg.startswith("$") else ""
            stack.append((i, op == "block" and label != "" and label not in targets))
        elif op == "end" and stack:
            opener, removable = stack.pop()
            if removable:
                drop.update((opener, i))
    return [ins for i, ins in enumerate(code) if i not in drop]
