"""Runtime support functions in WAT (arena allocator, byte copies, comparisons, conversions).

Only the helpers a program uses are emitted. Site 0 is "out of memory". Memory handed out by
``$alloc`` is always zero (fresh pages; the arena is cleared when it is reset).
"""

from __future__ import annotations

HELPERS: dict[str, tuple[str, list[str]]] = {}  # name -> (wat, helpers it needs)


def helper(name: str, deps: list[str], wat: str) -> None:
    HELPERS[name] = (wat, deps)


helper("alloc", ["fail"], """
(func $alloc (param $n i32) (result i32) (local $p i32) (local $e i32)
  (local.set $p (global.get $hp))
  (local.set $e (i32.and (i32.add (i32.add (local.get $p) (local.get $n)) (i32.const 7)) (i32.const -8)))
  ;; more than 1 GiB, or the end wrapped past 4 GiB: the arena is full
  (if (i32.or (i32.gt_u (local.get $n) (i32.const 0x40000000)) (i32.lt_u (local.get $e) (local.get $p)))
    (then (call $fail (i32.const 0))))
  (if (i32.gt_u (local.get $e) (i32.shl (memory.size) (i32.const 16)))
    (then (if (i32.eq (memory.grow (i32.sub (i32.shr_u (i32.add (local.get $e) (i32.const 0xFFFF)) (i32.const 16))
                                          (memory.size)))
                      (i32.const -1))
            (then (call $fail (i32.const 0))))))
  (global.set $hp (local.get $e))
  (local.get $p))""")

helper("memcpy", [], """
(func $memcpy (param $d i32) (param $s i32) (param $n i32)
  (block $b32 (loop $l32
    (br_if $b32 (i32.lt_u (local.get $n) (i32.const 32)))
    (i64.store (local.get $d) (i64.load (local.get $s)))
    (i64.store offset=8 (local.get $d) (i64.load offset=8 (local.get $s)))
    (i64.store offset=16 (local.get $d) (i64.load offset=16 (local.get $s)))
    (i64.store offset=24 (local.get $d) (i64.load offset=24 (local.get $s)))
    (local.set $d (i32.add (local.get $d) (i32.const 32)))
    (local.set $s (i32.add (local.get $s) (i32.const 32)))
    (local.set $n (i32.sub (local.get $n) (i32.const 32)))
    (br $l32)))
  (block $b8 (loop $l8
    (br_if $b8 (i32.lt_u (local.get $n) (i32.const 8)))
    (i64.store (local.get $d) (i64.load (local.get $s)))
    (local.set $d (i32.add (local.get $d) (i32.const 8)))
    (local.set $s (i32.add (local.get $s) (i32.const 8)))
    (local.set $n (i32.sub (local.get $n) (i32.const 8)))
    (br $l8)))
  (block $b1 (loop $l1
    (br_if $b1 (i32.eqz (local.get $n)))
    (i32.store8 (local.get $d) (i32.load8_u (local.get $s)))
    (local.set $d (i32.add (local.get $d) (i32.const 1)))
    (local.set $s (i32.add (local.get $s) (i32.const 1)))
    (local.set $n (i32.sub (local.get $n) (i32.const 1)))
    (br $l1))))""")

helper("bytes_new", ["alloc"], """
(func $bytes_new (param $n i32) (result i32) (local $p i32)
  (local.set $p (call $alloc (i32.add (local.get $n) (i32.const 4))))
  (i32.store (local.get $p) (local.get $n))
  (local.get $p))""")

helper("bytes_new64", ["bytes_new", "fail"], """
(func $bytes_new64 (param $n i64) (param $site i32) (result i32)
  (if (i64.lt_s (local.get $n) (i64.const 0)) (then (call $fail (local.get $site))))
  (if (i64.gt_u (local.get $n) (i64.const 0x40000000)) (then (call $fail (i32.const 0))))
  (call $bytes_new (i32.wrap_i64 (local.get $n))))""")

helper("concat", ["bytes_new", "memcpy"], """
(func $concat (param $a i32) (param $b i32) (result i32) (local $p i32) (local $la i32) (local $lb i32)
  (local.set $la (i32.load (local.get $a)))
  (local.set $lb (i32.load (local.get $b)))
  (local.set $p (call $bytes_new (i32.add (local.get $la) (local.get $lb))))
  (call $memcpy (i32.add (local.get $p) (i32.const 4)) (i32.add (local.get $a) (i32.const 4)) (local.get $la))
  (call $memcpy (i32.add (i32.add (local.get $p) (i32.const 4)) (local.get $la))
                (i32.add (local.get $b) (i32.const 4)) (local.get $lb))
  (local.get $p))""")

helper("bytes_copy", ["bytes_new", "memcpy"], """
(func $bytes_copy (param $a i32) (result i32) (local $p i32)
  (local.set $p (call $bytes_new (i32.load (local.get $a))))
  (call $memcpy (i32.add (local.get $p) (i32.const 4)) (i32.add (local.get $a) (i32.const 4))
                (i32.load (local.get $a)))
  (local.get $p))""")

# lo/hi: non-negative, saturated to i32; clamped here like Python slices
helper("slice", ["bytes_new", "memcpy"], """
(func $slice (param $a i32) (param $lo i32) (param $hi i32) (result i32) (local $len i32) (local $p i32)
  (local.set $len (i32.load (local.get $a)))
  (if (i32.gt_u (local.get $hi) (local.get $len)) (then (local.set $hi (local.get $len))))
  (if (i32.gt_u (local.get $lo) (local.get $hi)) (then (local.set $lo (local.get $hi))))
  (local.set $p (call $bytes_new (i32.sub (local.get $hi) (local.get $lo))))
  (call $memcpy (i32.add (local.get $p) (i32.const 4)) (i32.add (i32.add (local.get $a) (i32.const 4)) (local.get $lo))
                (i32.sub (local.get $hi) (local.get $lo)))
  (local.get $p))""")

helper("set_slice", ["memcpy", "fail"], """
(func $set_slice (param $d i32) (param $lo i32) (param $hi i32) (param $s i32) (param $site i32) (local $len i32)
  (local.set $len (i32.load (local.get $d)))
  (if (i32.gt_u (local.get $hi) (local.get $len)) (then (local.set $hi (local.get $len))))
  (if (i32.gt_u (local.get $lo) (local.get $hi)) (then (local.set $lo (local.get $hi))))
  (if (i32.ne (i32.sub (local.get $hi) (local.get $lo)) (i32.load (local.get $s))) (then (call $fail (local.get $site))))
  (call $memcpy (i32.add (i32.add (local.get $d) (i32.const 4)) (local.get $lo)) (i32.add (local.get $s) (i32.const 4))
                (i32.load (local.get $s))))""")

# d[lo:hi] = x.to_bytes(n, "little") for n in 1, 2, 4, 8 (x fits n bytes), without the temporary bytes
helper("set_slice_word", ["fail"], """
(func $set_slice_word (param $d i32) (param $lo i32) (param $hi i32) (param $x i64) (param $n i32) (param $site i32)
  (local $len i32)
  (local.set $len (i32.load (local.get $d)))
  (if (i32.gt_u (local.get $hi) (local.get $len)) (then (local.set $hi (local.get $len))))
  (if (i32.gt_u (local.get $lo) (local.get $hi)) (then (local.set $lo (local.get $hi))))
  (if (i32.ne (i32.sub (local.get $hi) (local.get $lo)) (local.get $n)) (then (call $fail (local.get $site))))
  (local.set $d (i32.add (local.get $d) (local.get $lo)))
  (if (i32.eq (local.get $n) (i32.const 8)) (then (i64.store offset=4 (local.get $d) (local.get $x)) (return)))
  (if (i32.eq (local.get $n) (i32.const 4)) (then (i64.store32 offset=4 (local.get $d) (local.get $x)) (return)))
  (if (i32.eq (local.get $n) (i32.const 2)) (then (i64.store16 offset=4 (local.get $d) (local.get $x)) (return)))
  (i64.store8 offset=4 (local.get $d) (local.get $x)))""")

helper("bytes_eq", [], """
(func $bytes_eq (param $a i32) (param $b i32) (result i32) (local $n i32)
  (local.set $n (i32.load (local.get $a)))
  (if (i32.ne (local.get $n) (i32.load (local.get $b))) (then (return (i32.const 0))))
  (local.set $a (i32.add (local.get $a) (i32.const 4)))
  (local.set $b (i32.add (local.get $b) (i32.const 4)))
  (block $b8 (loop $l8
    (br_if $b8 (i32.lt_u (local.get $n) (i32.const 8)))
    (if (i64.ne (i64.load (local.get $a)) (i64.load (local.get $b))) (then (return (i32.const 0))))
    (local.set $a (i32.add (local.get $a) (i32.const 8)))
    (local.set $b (i32.add (local.get $b) (i32.const 8)))
    (local.set $n (i32.sub (local.get $n) (i32.const 8)))
    (br $l8)))
  (block $b1 (loop $l1
    (br_if $b1 (i32.eqz (local.get $n)))
    (if (i32.ne (i32.load8_u (local.get $a)) (i32.load8_u (local.get $b))) (then (return (i32.const 0))))
    (local.set $a (i32.add (local.get $a) (i32.const 1)))
    (local.set $b (i32.add (local.get $b) (i32.const 1)))
    (local.set $n (i32.sub (local.get $n) (i32.const 1)))
    (br $l1)))
  (i32.const 1))""")

helper("bytes_cmp", [], """
(func $bytes_cmp (param $a i32) (param $b i32) (result i32) (local $la i32) (local $lb i32) (local $i i32)
  (local $x i32) (local $y i32)
  (local.set $la (i32.load (local.get $a)))
  (local.set $lb (i32.load (local.get $b)))
  (block $done (loop $l
    (br_if $done (i32.or (i32.ge_u (local.get $i) (local.get $la)) (i32.ge_u (local.get $i) (local.get $lb))))
    (local.set $x (i32.load8_u offset=4 (i32.add (local.get $a) (local.get $i))))
    (local.set $y (i32.load8_u offset=4 (i32.add (local.get $b) (local.get $i))))
    (if (i32.ne (local.get $x) (local.get $y))
      (then (return (select (i32.const -1) (i32.const 1) (i32.lt_u (local.get $x) (local.get $y))))))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br $l)))
  (select (i32.const -1) (select (i32.const 1) (i32.const 0) (i32.gt_u (local.get $la) (local.get $lb)))
          (i32.lt_u (local.get $la) (local.get $lb))))""")

# value of the bytes [lo, lo+n) of bytes value $a, clamped to its length; fails above 2**64
helper("from_bytes", ["fail"], """
(func $from_bytes (param $a i32) (param $lo i32) (param $n i32) (param $big i32) (param $site i32) (result i64)
  (local $len i32) (local $v i64) (local $p i32) (local $step i32)
  (local.set $len (i32.load (local.get $a)))
  (if (i32.gt_u (local.get $lo) (local.get $len)) (then (local.set $lo (local.get $len))))
  (if (i32.gt_u (local.get $n) (i32.sub (local.get $len) (local.get $lo)))
    (then (local.set $n (i32.sub (local.get $len) (local.get $lo)))))
  ;; most significant byte first: big-endian from the first byte up, little-endian from the last down
  (local.set $step (select (i32.const 1) (i32.const -1) (local.get $big)))
  (local.set $p (i32.add (i32.add (local.get $a) (i32.const 4))
    (select (local.get $lo) (i32.add (local.get $lo) (i32.sub (local.get $n) (i32.const 1))) (local.get $big))))
  (block $done (loop $l
    (br_if $done (i32.eqz (local.get $n)))
    (if (i32.wrap_i64 (i64.shr_u (local.get $v) (i64.const 56))) (then (call $fail (local.get $site))))
    (local.set $v (i64.or (i64.shl (local.get $v) (i64.const 8)) (i64.load8_u (local.get $p))))
    (local.set $p (i32.add (local.get $p) (local.get $step)))
    (local.set $n (i32.sub (local.get $n) (i32.const 1)))
    (br $l)))
  (local.get $v))""")

# x (as u64 bits) into n bytes; the caller checked that x fits
helper("to_bytes", ["bytes_new64"], """
(func $to_bytes (param $x i64) (param $n i64) (param $big i32) (param $site i32) (result i32)
  (local $p i32) (local $i i32) (local $m i32)
  (local.set $p (call $bytes_new64 (local.get $n) (local.get $site)))
  (local.set $m (i32.load (local.get $p)))
  (block $done (loop $l
    (br_if $done (i32.ge_u (local.get $i) (local.get $m)))
    (if (i32.lt_u (local.get $i) (i32.const 8))
      (then (i64.store8 offset=4
              (i32.add (local.get $p)
                (select (i32.sub (i32.sub (local.get $m) (local.get $i)) (i32.const 1)) (local.get $i) (local.get $big)))
              (i64.shr_u (local.get $x) (i64.extend_i32_u (i32.shl (local.get $i) (i32.const 3)))))))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br $l)))
  (local.get $p))""")

# address of a new last element (grows the list's data when full)
helper("list_slot", ["alloc", "memcpy"], """
(func $list_slot (param $l i32) (param $esz i32) (result i32) (local $len i32) (local $cap i32) (local $d i32)
  (local.set $len (i32.load (local.get $l)))
  (local.set $cap (i32.load offset=4 (local.get $l)))
  (if (i32.ge_u (local.get $len) (local.get $cap))
    (then
      (local.set $cap (select (i32.shl (local.get $cap) (i32.const 1)) (i32.const 4)
                              (i32.gt_u (local.get $cap) (i32.const 2))))
      (local.set $d (call $alloc (i32.mul (local.get $cap) (local.get $esz))))
      (call $memcpy (local.get $d) (i32.load offset=8 (local.get $l)) (i32.mul (local.get $len) (local.get $esz)))
      (i32.store offset=8 (local.get $l) (local.get $d))
      (i32.store offset=4 (local.get $l) (local.get $cap))))
  (i32.store (local.get $l) (i32.add (local.get $len) (i32.const 1)))
  (i32.add (i32.load offset=8 (local.get $l)) (i32.mul (local.get $len) (local.get $esz))))""")

# a list header + data for n (>= 0, checked by caller) elements of esz bytes
helper("list_new", ["alloc", "fail"], """
(func $list_new (param $n i32) (param $esz i32) (result i32) (local $p i32)
  (if (i32.gt_u (local.get $n) (i32.const 0x8000000)) (then (call $fail (i32.const 0))))
  (local.set $p (call $alloc (i32.add (i32.mul (local.get $n) (local.get $esz)) (i32.const 16))))
  (i32.store (local.get $p) (local.get $n))
  (i32.store offset=4 (local.get $p) (local.get $n))
  (i32.store offset=8 (local.get $p) (i32.add (local.get $p) (i32.const 16)))
  (local.get $p))""")

# saturate an i64 count/index known to be >= 0 into i32
helper("sat32", [], """
(func $sat32 (param $x i64) (result i32)
  (select (i32.const 0x7fffffff) (i32.wrap_i64 (local.get $x)) (i64.gt_u (local.get $x) (i64.const 0x7fffffff))))""")


def fail_wat(fail_addr: int, table: int | None) -> str:
    """``$fail(site)``: record the failing site; with a message ``table`` (8 bytes per site: address,
    length) write the site's ``file:line: kind`` line with write_debug first; then trap."""
    debug = ""
    if table is not None:
        debug = (f"(call $host.write_debug (i32.load offset={table} (i32.shl (local.get $site) (i32.const 3)))"
                 f" (i32.load offset={table + 4} (i32.shl (local.get $site) (i32.const 3))))")
    return f"""
(func $fail (param $site i32)
  (i32.store (i32.const {fail_addr}) (local.get $site))
  {debug}
  unreachable)"""


def without_sites(wat: str) -> str:
    """A helper's text for compact modules: no ``$site`` parameter, and a failing check traps in place."""
    wat = wat.replace("(call $fail (local.get $site))", "unreachable")
    return wat.replace(" (param $site i32)", "").replace(" (local.get $site)", "")


def closure(names: set[str]) -> list[str]:
    """The helpers needed for ``names``, dependencies first."""
    out: list[str] = []

    def visit(n: str) -> None:
        if n in out or n == "fail":
            return
        for d in HELPERS[n][1]:
            visit(d)
        out.append(n)

    for n in sorted(names):
        visit(n)
    return out
