(module
  (memory (export "memory") 2)
  (global $hp (mut i32) (i32.const 32))
  (export "__hp" (global $hp))

(func $fail (param $site i32)
  (i32.store (i32.const 8) (local.get $site))
  
  unreachable)

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
  (local.get $p))
  (func $tests.compiler.programs.bits.wrap64 (param $a i64) (param $b i64) (param $n i64) (result i64) (result i64) (result i64) (result i64) (result i64) (result i64)
    local.get $a
    local.get $b
    i64.add
    local.get $a
    local.get $b
    i64.sub
    local.get $a
    local.get $b
    i64.mul
    local.get $a
    local.get $n
    i64.shl
    local.get $a
    local.get $n
    i64.rotl
    local.get $b
    local.get $n
    i64.rotr
  )
  (export "wrap64" (func $tests.compiler.programs.bits.wrap64))
)
