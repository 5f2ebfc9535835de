(module
  (memory (export "memory") 2)
  (global $hp (mut i32) (i32.const 48))
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
  (local.get $v))

(func $sat32 (param $x i64) (result i32)
  (select (i32.const 0x7fffffff) (i32.wrap_i64 (local.get $x)) (i64.gt_u (local.get $x) (i64.const 0x7fffffff))))
  (func $tests.compiler.programs.records.decode (param $data i32) (result i32) (result i32) (result i64)
    (local $r i32) (local $%g12 i32) (local $%g14 i32) (local $total i32) (local $_ i32) (local $%g1 i32) (local $%g4 i32) (local $%g8 i32) (local $%g9 i32) (local $n i32) (local $i1%v i32) (local $i2%v i32) (local $%g17 i32) (local $%g13 i64) (local $%g2 i64) (local $%g3 i64) (local $%g5 i64) (local $%g6 i64) (local $%g7 i64) (local $%g10 i64) (local $%g11 i64) (local $%g15 i64) (local $%g16 i64)
    i32.const 17
    call $alloc
    local.tee $%g1
    local.get $data
    i32.store offset=0
    local.get $%g1
    i32.const 1
    i32.store8 offset=16
    local.get $%g1
    local.set $r
    block $I1 (result i32)
    local.get $r
    i64.load offset=8
    local.tee $%g2
    i64.const 1
    i64.add
    local.tee $%g3
    local.get $%g2
    i64.lt_s
    if
    i32.const 2
    call $fail
    end
    local.get $%g3
    local.get $r
    i32.load offset=0
    i32.load
    i64.extend_i32_u
    i64.gt_s
    if
    local.get $r
    i32.const 0
    i32.store8 offset=16
    i32.const 0
    br $I1
    end
    local.get $r
    i32.load offset=0
    local.set $%g4
    local.get $r
    i64.load offset=8
    local.tee $%g5
    local.get $%g4
    i32.load
    i64.extend_i32_u
    i64.ge_u
    if
    i32.const 3
    call $fail
    end
    local.get $%g4
    local.get $%g5
    i32.wrap_i64
    i32.add
    i32.load8_u offset=4
    local.set $i1%v
    local.get $r
    local.get $r
    i64.load offset=8
    local.tee $%g6
    i64.const 1
    i64.add
    local.tee $%g7
    local.get $%g6
    i64.lt_s
    if
    i32.const 4
    call $fail
    end
    local.get $%g7
    i64.store offset=8
    local.get $i1%v
    end
    local.set $n
    local.get $n
    local.set $%g8
    block $B2
    local.get $_
    local.get $%g8
    i32.ge_u
    br_if $B2
    loop $L3
    block $I5 (result i32)
    local.get $r
    i64.load offset=8
    local.tee $%g10
    i64.const 4
    i64.add
    local.tee $%g11
    local.get $%g10
    i64.lt_s
    if
    i32.const 5
    call $fail
    end
    local.get $%g11
    local.get $r
    i32.load offset=0
    i32.load
    i64.extend_i32_u
    i64.gt_s
    if
    local.get $r
    i32.const 0
    i32.store8 offset=16
    i32.const 0
    br $I5
    end
    local.get $r
    i32.load offset=0
    local.set $%g12
    local.get $r
    i64.load offset=8
    local.tee $%g13
    i64.const 0
    i64.lt_s
    if
    i32.const 35
    call $fail
    end
    local.get $%g13
    i64.const 4
    i64.add
    local.get $%g12
    i32.load
    i64.extend_i32_u
    i64.le_u
    if (result i64)
    local.get $%g12
    local.get $%g13
    i32.wrap_i64
    i32.add
    local.tee $%g14
    i64.load8_u offset=4
    i64.const 24
    i64.shl
    local.get $%g14
    i64.load8_u offset=5
    i64.const 16
    i64.shl
    i64.or
    local.get $%g14
    i64.load8_u offset=6
    i64.const 8
    i64.shl
    i64.or
    local.get $%g14
    i64.load8_u offset=7
    i64.or
    else
    local.get $%g12
    local.get $%g13
    call $sat32
    i32.const 4
    i32.const 1
    i32.const 6
    call $from_bytes
    end
    i32.wrap_i64
    local.set $i2%v
    local.get $r
    local.get $r
    i64.load offset=8
    local.tee $%g15
    i64.const 4
    i64.add
    local.tee $%g16
    local.get $%g15
    i64.lt_s
    if
    i32.const 7
    call $fail
    end
    local.get $%g16
    i64.store offset=8
    local.get $i2%v
    end
    local.set $%g9
    local.get $total
    local.get $%g9
    i32.add
    local.tee $%g17
    local.get $%g9
    i32.lt_u
    if
    i32.const 1
    call $fail
    end
    local.get $%g17
    local.set $total
    local.get $_
    i32.const 1
    i32.add
    local.tee $_
    local.get $%g8
    i32.lt_u
    br_if $L3
    end
    end
    local.get $r
    i32.load8_u offset=16
    local.get $r
    i64.load offset=8
    local.get $data
    i32.load
    i64.extend_i32_u
    i64.eq
    i32.and
    local.get $total
    local.get $r
    i64.load offset=8
  )
  (export "decode" (func $tests.compiler.programs.records.decode))
)
