"""Shared check routines of the ``size`` profile: one small function per checked operation.

In the size profile a checked operation (``a + b`` on ``int``, an index into a list, a conversion
that may overflow, a big-endian byte conversion) is a call to one of these instead of an inline
sequence: the check body exists once per module. A failing check traps in the routine (compact
kernels) or calls ``$fail`` with the site id passed as the last argument.
"""

from __future__ import annotations

from kernel_wasm.ir.types import IntType

SHIFT = {1: 0, 4: 2, 8: 3}


def _head(name: str, params: list[tuple[str, str]], result: str | None, sited: bool, local: str = "") -> str:
    ps = "".join(f" (param ${p} {t})" for p, t in params) + (" (param $site i32)" if sited else "")
    return f"(func ${name}{ps}{f' (result {result})' if result else ''}{local}"


def _fail(sited: bool) -> str:
    return "(call $fail (local.get $site))" if sited else "unreachable"


def arith(op: str, w: str, signed: bool, sited: bool) -> str:
    """``$%<op>_<s|u><32|64>``: checked add, sub or mul of two values of wasm width ``w``."""
    name = arith_name(op, w, signed)
    fail = _fail(sited)
    head = _head(name, [("a", w), ("b", w)], w, sited, f" (local $r {w})")
    a, b, r = "(local.get $a)", "(local.get $b)", "(local.get $r)"
    if op in ("add", "sub"):
        body = f"(local.set $r ({w}.{op} {a} {b}))\n"
        if signed:  # add: r differs in sign from both a and b; sub: a and b differ, and r differs from a
            cond = (f"({w}.and ({w}.xor {r} {a}) ({w}.xor {r} {b}))" if op == "add"
                    else f"({w}.and ({w}.xor {a} {b}) ({w}.xor {a} {r}))")
            body += f"  (if ({w}.lt_s {cond} ({w}.const 0)) (then {fail}))\n"
        elif op == "add":
            body += f"  (if ({w}.lt_u {r} {a}) (then {fail}))\n"
        else:
            body += f"  (if ({w}.lt_u {a} {b}) (then {fail}))\n"
        return f"{head}\n  {body}  {r})"
    assert op == "mul"
    if w == "i32":
        ext = "i64.extend_i32_s" if signed else "i64.extend_i32_u"
        lo, hi = (-(1 << 31), (1 << 31) - 1) if signed else (0, (1 << 32) - 1)
        head = _head(name, [("a", w), ("b", w)], w, sited, " (local $r i64)")
        cond = (f"(i32.or (i64.lt_s {r} (i64.const {lo})) (i64.gt_s {r} (i64.const {hi})))" if signed
                else f"(i64.gt_u {r} (i64.const {hi}))")
        return (f"{head}\n  (local.set $r (i64.mul ({ext} {a}) ({ext} {b})))\n"
                f"  (if {cond} (then {fail}))\n  (i32.wrap_i64 {r}))")
    div = "i64.div_s" if signed else "i64.div_u"
    body = f"(local.set $r (i64.mul {a} {b}))\n"
    if signed:
        body += (f"  (if (i32.and (i64.eq {a} (i64.const -1)) (i64.eq {b} (i64.const {-(1 << 63)})))"
                 f" (then {fail}))\n")
    body += f"  (if (i64.ne {a} (i64.const 0)) (then (if (i64.ne ({div} {r} {a}) {b}) (then {fail}))))\n"
    return f"{head}\n  {body}  {r})"


def step(op: str, w: str, signed: bool, sited: bool) -> str:
    """``$%<op>1_<s|u><32|64>(a)``: checked ``a + 1`` / ``a - 1``: it overflows at one value of ``a`` only
    (the type's maximum, or minimum), tested directly (one call, not two: ``x += 1`` is frequent)."""
    head = _head(step_name(op, w, signed), [("a", w)], w, sited)
    a = "(local.get $a)"
    # signed: the maximum 0x7f..f / minimum 0x80..0 rotated left by one is -2 / 1 (short constants)
    edge = {("add", True): f"({w}.eq ({w}.rotl {a} ({w}.const 1)) ({w}.const -2))",
            ("sub", True): f"({w}.eq ({w}.rotl {a} ({w}.const 1)) ({w}.const 1))",
            ("add", False): f"({w}.eq {a} ({w}.const -1))", ("sub", False): f"({w}.eqz {a})"}[(op, signed)]
    return f"{head}\n  (if {edge} (then {_fail(sited)}))\n  ({w}.{op} {a} ({w}.const 1)))"


def step_name(op: str, w: str, signed: bool) -> str:
    return f"%{op}1_{'s' if signed else 'u'}{w[1:]}"


def arith_name(op: str, w: str, signed: bool) -> str:
    return f"%{op}_{'s' if signed else 'u'}{w[1:]}"


def index(esz: int, is_bytes: bool, sited: bool) -> str:
    """``$%ix<b|l><esz>(seq, i64 index)``: bounds-checked address of an element (bytes: seq + index,
    the caller loads at offset 4; lists: data + index * esz)."""
    name = index_name(esz, is_bytes)
    head = _head(name, [("s", "i32"), ("i", "i64")], "i32", sited)
    check = f"(if (i64.ge_u (local.get $i) (i64.extend_i32_u (i32.load (local.get $s)))) (then {_fail(sited)}))"
    idx = "(i32.wrap_i64 (local.get $i))"
    if esz > 1:
        idx = f"(i32.shl {idx} (i32.const {SHIFT[esz]}))"
    base = "(local.get $s)" if is_bytes else "(i32.load offset=8 (local.get $s))"
    return f"{head}\n  {check}\n  (i32.add {base} {idx}))"


def getter(esz: int, is_bytes: bool, load: str, sited: bool) -> str:
    """``$%get...(seq, i64 index)``: the bounds-checked element itself, read with ``load``."""
    w = load.split(".")[0]
    addr = index(esz, is_bytes, sited).split("\n", 1)[1].rsplit(")", 1)[0]  # the check and the address
    head = _head(getter_name(esz, is_bytes, load), [("s", "i32"), ("i", "i64")], w, sited)
    return f"{head}\n{addr}\n  {load} offset={4 if is_bytes else 0})"


def setter(esz: int, is_bytes: bool, store: str, w: str, sited: bool) -> str:
    """``$%set...(seq, i64 index, x)``: bounds-checked store of ``x`` (wasm type ``w``) with ``store``."""
    head = _head(setter_name(esz, is_bytes, store), [("s", "i32"), ("i", "i64"), ("x", w)], None, sited)
    addr = index(esz, is_bytes, sited).split("\n", 1)[1].rsplit(")", 1)[0]  # the check and the address
    return f"{head}\n{addr}\n  (local.get $x)\n  {store} offset={4 if is_bytes else 0})"


def setter_name(esz: int, is_bytes: bool, store: str) -> str:
    return f"%set{'b' if is_bytes else 'l'}{esz}_{store.replace('.', '_')}"


def getter_name(esz: int, is_bytes: bool, load: str) -> str:
    return f"%get{'b' if is_bytes else 'l'}{esz}_{load.replace('.', '_')}"


def index_name(esz: int, is_bytes: bool) -> str:
    return f"%ix{'b' if is_bytes else 'l'}{esz}"


def convert(src: IntType, dst: IntType, sited: bool) -> str:
    """``$%cv_<src>_<dst>(x)``: ``x`` (in src's wasm width) unchanged, failing unless it fits ``dst``."""
    w = src.wasm
    head = _head(convert_name(src, dst), [("x", w)], w, sited)
    conds = convert_conds(src, dst)
    cond = conds[0] if len(conds) == 1 else f"(i32.or {conds[0]} {conds[1]})"
    return f"{head}\n  (if {cond} (then {_fail(sited)}))\n  (local.get $x))"


def convert_conds(src: IntType, dst: IntType) -> list[str]:
    """Folded-WAT conditions (on ``$x`` of src's width) under which ``x`` does not fit ``dst``."""
    w = src.wasm
    bits = 64 if w == "i64" else 32
    hi = dst.hi - (1 << bits) if dst.hi >> (bits - 1) else dst.hi
    if src.signed and dst.lo == 0 and dst.hi < src.hi:  # negative values are above hi when unsigned
        return [f"({w}.gt_u (local.get $x) ({w}.const {hi}))"]
    conds = []
    if src.signed and dst.lo > src.lo:
        conds.append(f"({w}.lt_s (local.get $x) ({w}.const {dst.lo}))")
    if dst.hi < src.hi:
        conds.append(f"({w}.gt_{'s' if src.signed else 'u'} (local.get $x) ({w}.const {hi}))")
    return conds


def convert_name(src: IntType, dst: IntType) -> str:
    return f"%cv_{src.name}_{dst.name}"


def load_be() -> str:
    """``$%load_be(p, n)``: the u64 value of the n (1..8) big-endian bytes at p (known in range)."""
    return """(func $%load_be (param $p i32) (param $n i32) (result i64) (local $v i64)
  (block $done (loop $l
    (br_if $done (i32.eqz (local.get $n)))
    (local.set $v (i64.or (i64.shl (local.get $v) (i64.const 8)) (i64.load8_u (local.get $p))))
    (local.set $p (i32.add (local.get $p) (i32.const 1)))
    (local.set $n (i32.sub (local.get $n) (i32.const 1)))
    (br $l)))
  (local.get $v))"""


def store_be() -> str:
    """``$%bytes_be(x, n)``: new n-byte (0..8) bytes holding x big-endian (the caller checked x fits)."""
    return """(func $%bytes_be (param $x i64) (param $n i32) (result i32) (local $p i32) (local $q i32)
  (local.set $p (call $bytes_new (local.get $n)))
  (local.set $q (i32.add (local.get $p) (local.get $n)))
  (block $done (loop $l
    (br_if $done (i32.le_u (local.get $q) (local.get $p)))
    (i64.store8 offset=3 (local.get $q) (local.get $x))
    (local.set $x (i64.shr_u (local.get $x) (i64.const 8)))
    (local.set $q (i32.sub (local.get $q) (i32.const 1)))
    (br $l)))
  (local.get $p))"""


def concat3() -> str:
    """``$%concat3(a, b, c)``: ``a + b + c`` (bytes)."""
    return """(func $%concat3 (param $a i32) (param $b i32) (param $c i32) (result i32)
  (call $concat (call $concat (local.get $a) (local.get $b)) (local.get $c)))"""


def store_be8() -> str:
    """``$%bytes_be8(x)``: ``$%bytes_be(x, 8)``."""
    return """(func $%bytes_be8 (param $x i64) (result i32)
  (call $%bytes_be (local.get $x) (i32.const 8)))"""


def from_be() -> str:
    """``$%from_be(seq, lo, n)``: ``$from_bytes(seq, lo, n, big=1)`` of a compact module (no site)."""
    return """(func $%from_be (param $s i32) (param $lo i32) (param $n i32) (result i64)
  (call $from_bytes (local.get $s) (local.get $lo) (local.get $n) (i32.const 1)))"""


def from_be_all() -> str:
    """``$%from_be_all(seq)``: ``$%from_be(seq, 0, 2^31 - 1)``, the whole of ``seq`` big-endian."""
    return """(func $%from_be_all (param $s i32) (result i64)
  (call $%from_be (local.get $s) (i32.const 0) (i32.const 0x7fffffff)))"""


def bound(sited: bool) -> str:
    """``$%bound(x)``: a slice bound as i32, failing when negative, saturated above 2^31 - 1."""
    return (f"{_head('%bound', [('x', 'i64')], 'i32', sited)}\n"
            f"  (if (i64.lt_s (local.get $x) (i64.const 0)) (then {_fail(sited)}))\n"
            "  (select (i32.const 0x7fffffff) (i32.wrap_i64 (local.get $x))"
            " (i64.gt_u (local.get $x) (i64.const 0x7fffffff))))")


def slice64(sited: bool) -> str:
    """``$%slice64(seq, lo, hi)``: ``seq[lo:hi]`` for two i64 bounds that may be negative (then it
    fails), both already evaluated, as CPython evaluates them before the slice checks its bounds."""
    site = " (local.get $site)" if sited else ""
    return (f"{_head('%slice64', [('s', 'i32'), ('lo', 'i64'), ('hi', 'i64')], 'i32', sited)}\n"
            f"  (call $slice (local.get $s) (call $%bound (local.get $lo){site}) (call $%bound (local.get $hi){site})))")


def count() -> str:
    """``$%count(n)``: a repeat count as i32: 0 when negative, saturated above 2^31 - 1."""
    return """(func $%count (param $n i64) (result i32)
  (select (i32.const 0)
    (select (i32.const 0x7fffffff) (i32.wrap_i64 (local.get $n)) (i64.gt_s (local.get $n) (i64.const 0x7fffffff)))
    (i64.lt_s (local.get $n) (i64.const 0))))"""


def fill(esz: int, w: str) -> str:
    """``$%fill<esz>(list, x)``: store ``x`` into every element of a fresh list."""
    store = {1: "i32.store8", 4: "i32.store", 8: "i64.store"}[esz]
    if w == "i64" and esz == 1:
        store = "i64.store8"
    return f"""(func $%fill{esz} (param $l i32) (param $x {w}) (local $p i32) (local $e i32)
  (local.set $p (i32.load offset=8 (local.get $l)))
  (local.set $e (i32.add (local.get $p) (i32.shl (i32.load (local.get $l)) (i32.const {SHIFT[esz]}))))
  (block $done (loop $l
    (br_if $done (i32.ge_u (local.get $p) (local.get $e)))
    ({store} (local.get $p) (local.get $x))
    (local.set $p (i32.add (local.get $p) (i32.const {esz})))
    (br $l))))"""


def empty_list(esz: int) -> str:
    """``$%empty<esz>()``: a new empty list of ``esz``-byte elements (``[]``)."""
    return f"(func $%empty{esz} (result i32)\n  (call $list_new (i32.const 0) (i32.const {esz})))"


def append(esz: int, w: str) -> str:
    """``$%append<esz>(list, x)``: append ``x`` of wasm type ``w`` (``list.append(x)``)."""
    store = {1: "i32.store8", 4: "i32.store", 8: "i64.store"}[esz]
    return (f"(func $%append{esz} (param $l i32) (param $x {w})\n"
            f"  ({store} (call $list_slot (local.get $l) (i32.const {esz})) (local.get $x)))")


def need(sited: bool) -> str:
    """``$%need(seq, c)``: fail unless ``len(seq) > c`` (a constant index ``c`` is in range)."""
    return (f"{_head('%need', [('s', 'i32'), ('c', 'i32')], None, sited)}\n"
            f"  (if (i32.le_u (i32.load (local.get $s)) (local.get $c)) (then {_fail(sited)})))")
