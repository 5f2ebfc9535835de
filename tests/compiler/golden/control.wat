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
  (func $tests.compiler.programs.control.classify (param $x i64) (result i64)
    local.get $x
    i64.const 0
    i64.lt_s
    if
    i64.const -1
    return
    else
    local.get $x
    i64.eqz
    if
    i64.const 0
    return
    else
    local.get $x
    i64.const 100
    i64.lt_s
    local.get $x
    i64.const 50
    i64.eq
    i32.eqz
    i32.and
    if
    i64.const 1
    return
    else
    i64.const 2
    return
    end
    end
    end
    unreachable
  )
  (func $tests.compiler.programs.control.ranges (param $a i64) (param $b i64) (result i64) (result i64) (result i64) (result i64)
    (local $i i64) (local $j i64) (local $down i64) (local $step i64) (local $k i64) (local $up i64) (local $last i64) (local $%g1 i64) (local $%g2 i64) (local $%g3 i64) (local $%g4 i64) (local $%g5 i64) (local $%g6 i64)
    local.get $a
    local.set $i
    local.get $b
    local.set $%g1
    block $B1
    local.get $i
    local.get $%g1
    i64.ge_s
    br_if $B1
    loop $L2
    local.get $up
    local.get $i
    i64.add
    local.tee $%g2
    local.get $up
    i64.xor
    local.get $%g2
    local.get $i
    i64.xor
    i64.and
    i64.const 0
    i64.lt_s
    if
    i32.const 1
    call $fail
    end
    local.get $%g2
    local.set $up
    local.get $i
    i64.const 1
    i64.add
    local.tee $i
    local.get $%g1
    i64.lt_s
    br_if $L2
    end
    end
    i64.const 0
    local.set $down
    local.get $b
    local.set $i
    local.get $a
    local.set $%g3
    block $B4
    local.get $i
    local.get $%g3
    i64.le_s
    br_if $B4
    loop $L5
    local.get $down
    local.get $i
    i64.add
    local.tee $%g4
    local.get $down
    i64.xor
    local.get $%g4
    local.get $i
    i64.xor
    i64.and
    i64.const 0
    i64.lt_s
    if
    i32.const 2
    call $fail
    end
    local.get $%g4
    local.set $down
    local.get $i
    i64.const -1
    i64.add
    local.tee $i
    local.get $%g3
    i64.gt_s
    br_if $L5
    end
    end
    i64.const 0
    local.set $step
    local.get $a
    local.set $j
    local.get $b
    local.set $%g5
    block $B7
    local.get $j
    local.get $%g5
    i64.ge_s
    br_if $B7
    loop $L8
    block $C9
    local.get $j
    i64.const 0
    i64.lt_s
    if
    i32.const 3
    call $fail
    end
    local.get $j
    i64.const 1
    i64.and
    i64.eqz
    if
    br $C9
    end
    local.get $step
    local.get $j
    i64.add
    local.tee $%g6
    local.get $step
    i64.xor
    local.get $%g6
    local.get $j
    i64.xor
    i64.and
    i64.const 0
    i64.lt_s
    if
    i32.const 4
    call $fail
    end
    local.get $%g6
    local.set $step
    end
    local.get $%g5
    local.get $j
    i64.sub
    i64.const 3
    i64.gt_u
    local.get $j
    i64.const 3
    i64.add
    local.set $j
    br_if $L8
    end
    end
    i64.const 0
    local.set $last
    i64.const 0
    local.set $k
    block $B10
    loop $L11
    local.get $k
    local.set $last
    local.get $k
    local.get $b
    i64.eq
    if
    br $B10
    end
    local.get $k
    i64.const 1
    i64.add
    local.tee $k
    i64.const 10
    i64.lt_s
    br_if $L11
    end
    end
    local.get $up
    local.get $down
    local.get $step
    local.get $last
  )
  (export "classify" (func $tests.compiler.programs.control.classify))
  (export "ranges" (func $tests.compiler.programs.control.ranges))
)
