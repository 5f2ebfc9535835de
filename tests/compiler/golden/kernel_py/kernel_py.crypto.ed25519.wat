  (func $kernel_py.crypto.ed25519._fe_mul (param $h i32) (param $f i32) (param $g i32)
    (local $%g1 i32) (local $%g2 i32) (local $%g3 i32) (local $f0 i64) (local $f2 i64) (local $f4 i64) (local $f6 i64) (local $f8 i64) (local $g0 i64) (local $g1 i64) (local $g2 i64) (local $g9_19 i64) (local $i30%h0 i64) (local $i30%h4 i64) (local $g3 i64) (local $g8_19 i64) (local $i30%h1 i64) (local $i30%h5 i64) (local $f1 i64) (local $f3 i64) (local $f5 i64) (local $f7 i64) (local $f9 i64) (local $g4 i64) (local $g7_19 i64) (local $g5 i64) (local $g6_19 i64) (local $i30%h2 i64) (local $i30%h3 i64) (local $i30%h6 i64) (local $i30%h7 i64) (local $i30%h8 i64) (local $i30%h9 i64) (local $g6 i64) (local $g5_19 i64) (local $f1_2 i64) (local $f3_2 i64) (local $f5_2 i64) (local $f7_2 i64) (local $f9_2 i64) (local $g7 i64) (local $g4_19 i64) (local $g8 i64) (local $g3_19 i64) (local $g9 i64) (local $g2_19 i64) (local $h0 i64) (local $h1 i64) (local $h2 i64) (local $h3 i64) (local $h4 i64) (local $h5 i64) (local $h6 i64) (local $h7 i64) (local $h8 i64) (local $h9 i64)
    block $%trap
    local.get $f
    i32.load
    i32.const 9
    i32.le_u
    br_if $%trap
    local.get $g
    i32.load
    i32.const 9
    i32.le_u
    br_if $%trap
    local.get $f
    i32.load offset=8
    local.set $%g1
    local.get $g
    i32.load offset=8
    local.set $%g2
    local.get $%g1
    i64.load offset=0
    local.set $f0
    local.get $%g1
    i64.load offset=8
    local.set $f1
    local.get $%g1
    i64.load offset=16
    local.set $f2
    local.get $%g1
    i64.load offset=24
    local.set $f3
    local.get $%g1
    i64.load offset=32
    local.set $f4
    local.get $%g1
    i64.load offset=40
    local.set $f5
    local.get $%g1
    i64.load offset=48
    local.set $f6
    local.get $%g1
    i64.load offset=56
    local.set $f7
    local.get $%g1
    i64.load offset=64
    local.set $f8
    local.get $%g1
    i64.load offset=72
    local.set $f9
    local.get $%g2
    i64.load offset=0
    local.set $g0
    local.get $%g2
    i64.load offset=8
    local.set $g1
    local.get $%g2
    i64.load offset=16
    local.set $g2
    local.get $%g2
    i64.load offset=24
    local.set $g3
    local.get $%g2
    i64.load offset=32
    local.set $g4
    local.get $%g2
    i64.load offset=40
    local.set $g5
    local.get $%g2
    i64.load offset=48
    local.set $g6
    local.get $%g2
    i64.load offset=56
    local.set $g7
    local.get $%g2
    i64.load offset=64
    local.set $g8
    local.get $%g2
    i64.load offset=72
    local.set $g9
    local.get $g2
    i64.const 19
    i64.mul
    local.set $g2_19
    local.get $g3
    i64.const 19
    i64.mul
    local.set $g3_19
    local.get $g4
    i64.const 19
    i64.mul
    local.set $g4_19
    local.get $g5
    i64.const 19
    i64.mul
    local.set $g5_19
    local.get $g6
    i64.const 19
    i64.mul
    local.set $g6_19
    local.get $g7
    i64.const 19
    i64.mul
    local.set $g7_19
    local.get $g8
    i64.const 19
    i64.mul
    local.set $g8_19
    local.get $g9
    i64.const 19
    i64.mul
    local.set $g9_19
    local.get $f1
    local.get $f1
    i64.add
    local.set $f1_2
    local.get $f3
    local.get $f3
    i64.add
    local.set $f3_2
    local.get $f5
    local.get $f5
    i64.add
    local.set $f5_2
    local.get $f7
    local.get $f7
    i64.add
    local.set $f7_2
    local.get $f9
    local.get $f9
    i64.add
    local.set $f9_2
    local.get $f0
    local.get $g0
    i64.mul
    local.get $f1_2
    local.get $g9_19
    i64.mul
    i64.add
    local.get $f2
    local.get $g8_19
    i64.mul
    i64.add
    local.get $f3_2
    local.get $g7_19
    i64.mul
    i64.add
    local.get $f4
    local.get $g6_19
    i64.mul
    i64.add
    local.get $f5_2
    local.get $g5_19
    i64.mul
    i64.add
    local.get $f6
    local.get $g4_19
    i64.mul
    i64.add
    local.get $f7_2
    local.get $g3_19
    i64.mul
    i64.add
    local.get $f8
    local.get $g2_19
    i64.mul
    i64.add
    local.get $f9_2
    local.get $g1
    i64.const 19
    i64.mul
    i64.mul
    i64.add
    local.set $h0
    local.get $f0
    local.get $g1
    i64.mul
    local.get $f1
    local.get $g0
    i64.mul
    i64.add
    local.get $f2
    local.get $g9_19
    i64.mul
    i64.add
    local.get $f3
    local.get $g8_19
    i64.mul
    i64.add
    local.get $f4
    local.get $g7_19
    i64.mul
    i64.add
    local.get $f5
    local.get $g6_19
    i64.mul
    i64.add
    local.get $f6
    local.get $g5_19
    i64.mul
    i64.add
    local.get $f7
    local.get $g4_19
    i64.mul
    i64.add
    local.get $f8
    local.get $g3_19
    i64.mul
    i64.add
    local.get $f9
    local.get $g2_19
    i64.mul
    i64.add
    local.set $h1
    local.get $f0
    local.get $g2
    i64.mul
    local.get $f1_2
    local.get $g1
    i64.mul
    i64.add
    local.get $f2
    local.get $g0
    i64.mul
    i64.add
    local.get $f3_2
    local.get $g9_19
    i64.mul
    i64.add
    local.get $f4
    local.get $g8_19
    i64.mul
    i64.add
    local.get $f5_2
    local.get $g7_19
    i64.mul
    i64.add
    local.get $f6
    local.get $g6_19
    i64.mul
    i64.add
    local.get $f7_2
    local.get $g5_19
    i64.mul
    i64.add
    local.get $f8
    local.get $g4_19
    i64.mul
    i64.add
    local.get $f9_2
    local.get $g3_19
    i64.mul
    i64.add
    local.set $h2
    local.get $f0
    local.get $g3
    i64.mul
    local.get $f1
    local.get $g2
    i64.mul
    i64.add
    local.get $f2
    local.get $g1
    i64.mul
    i64.add
    local.get $f3
    local.get $g0
    i64.mul
    i64.add
    local.get $f4
    local.get $g9_19
    i64.mul
    i64.add
    local.get $f5
    local.get $g8_19
    i64.mul
    i64.add
    local.get $f6
    local.get $g7_19
    i64.mul
    i64.add
    local.get $f7
    local.get $g6_19
    i64.mul
    i64.add
    local.get $f8
    local.get $g5_19
    i64.mul
    i64.add
    local.get $f9
    local.get $g4_19
    i64.mul
    i64.add
    local.set $h3
    local.get $f0
    local.get $g4
    i64.mul
    local.get $f1_2
    local.get $g3
    i64.mul
    i64.add
    local.get $f2
    local.get $g2
    i64.mul
    i64.add
    local.get $f3_2
    local.get $g1
    i64.mul
    i64.add
    local.get $f4
    local.get $g0
    i64.mul
    i64.add
    local.get $f5_2
    local.get $g9_19
    i64.mul
    i64.add
    local.get $f6
    local.get $g8_19
    i64.mul
    i64.add
    local.get $f7_2
    local.get $g7_19
    i64.mul
    i64.add
    local.get $f8
    local.get $g6_19
    i64.mul
    i64.add
    local.get $f9_2
    local.get $g5_19
    i64.mul
    i64.add
    local.set $h4
    local.get $f0
    local.get $g5
    i64.mul
    local.get $f1
    local.get $g4
    i64.mul
    i64.add
    local.get $f2
    local.get $g3
    i64.mul
    i64.add
    local.get $f3
    local.get $g2
    i64.mul
    i64.add
    local.get $f4
    local.get $g1
    i64.mul
    i64.add
    local.get $f5
    local.get $g0
    i64.mul
    i64.add
    local.get $f6
    local.get $g9_19
    i64.mul
    i64.add
    local.get $f7
    local.get $g8_19
    i64.mul
    i64.add
    local.get $f8
    local.get $g7_19
    i64.mul
    i64.add
    local.get $f9
    local.get $g6_19
    i64.mul
    i64.add
    local.set $h5
    local.get $f0
    local.get $g6
    i64.mul
    local.get $f1_2
    local.get $g5
    i64.mul
    i64.add
    local.get $f2
    local.get $g4
    i64.mul
    i64.add
    local.get $f3_2
    local.get $g3
    i64.mul
    i64.add
    local.get $f4
    local.get $g2
    i64.mul
    i64.add
    local.get $f5_2
    local.get $g1
    i64.mul
    i64.add
    local.get $f6
    local.get $g0
    i64.mul
    i64.add
    local.get $f7_2
    local.get $g9_19
    i64.mul
    i64.add
    local.get $f8
    local.get $g8_19
    i64.mul
    i64.add
    local.get $f9_2
    local.get $g7_19
    i64.mul
    i64.add
    local.set $h6
    local.get $f0
    local.get $g7
    i64.mul
    local.get $f1
    local.get $g6
    i64.mul
    i64.add
    local.get $f2
    local.get $g5
    i64.mul
    i64.add
    local.get $f3
    local.get $g4
    i64.mul
    i64.add
    local.get $f4
    local.get $g3
    i64.mul
    i64.add
    local.get $f5
    local.get $g2
    i64.mul
    i64.add
    local.get $f6
    local.get $g1
    i64.mul
    i64.add
    local.get $f7
    local.get $g0
    i64.mul
    i64.add
    local.get $f8
    local.get $g9_19
    i64.mul
    i64.add
    local.get $f9
    local.get $g8_19
    i64.mul
    i64.add
    local.set $h7
    local.get $f0
    local.get $g8
    i64.mul
    local.get $f1_2
    local.get $g7
    i64.mul
    i64.add
    local.get $f2
    local.get $g6
    i64.mul
    i64.add
    local.get $f3_2
    local.get $g5
    i64.mul
    i64.add
    local.get $f4
    local.get $g4
    i64.mul
    i64.add
    local.get $f5_2
    local.get $g3
    i64.mul
    i64.add
    local.get $f6
    local.get $g2
    i64.mul
    i64.add
    local.get $f7_2
    local.get $g1
    i64.mul
    i64.add
    local.get $f8
    local.get $g0
    i64.mul
    i64.add
    local.get $f9_2
    local.get $g9_19
    i64.mul
    i64.add
    local.set $h8
    local.get $f0
    local.get $g9
    i64.mul
    local.get $f1
    local.get $g8
    i64.mul
    i64.add
    local.get $f2
    local.get $g7
    i64.mul
    i64.add
    local.get $f3
    local.get $g6
    i64.mul
    i64.add
    local.get $f4
    local.get $g5
    i64.mul
    i64.add
    local.get $f5
    local.get $g4
    i64.mul
    i64.add
    local.get $f6
    local.get $g3
    i64.mul
    i64.add
    local.get $f7
    local.get $g2
    i64.mul
    i64.add
    local.get $f8
    local.get $g1
    i64.mul
    i64.add
    local.get $f9
    local.get $g0
    i64.mul
    i64.add
    local.set $h9
    local.get $h0
    local.set $i30%h0
    local.get $h1
    local.set $i30%h1
    local.get $h2
    local.set $i30%h2
    local.get $h3
    local.set $i30%h3
    local.get $h4
    local.set $i30%h4
    local.get $h5
    local.set $i30%h5
    local.get $h6
    local.set $i30%h6
    local.get $h7
    local.set $i30%h7
    local.get $h8
    local.set $i30%h8
    local.get $h9
    local.set $i30%h9
    local.get $h
    i32.load
    i32.const 9
    i32.le_u
    br_if $%trap
    local.get $h
    i32.load offset=8
    local.set $%g3
    local.get $i30%h1
    local.get $i30%h0
    i64.const 26
    i64.shr_s
    i64.add
    local.set $i30%h1
    local.get $i30%h0
    i64.const 67108863
    i64.and
    local.set $i30%h0
    local.get $i30%h5
    local.get $i30%h4
    i64.const 26
    i64.shr_s
    i64.add
    local.set $i30%h5
    local.get $i30%h4
    i64.const 67108863
    i64.and
    local.set $i30%h4
    local.get $i30%h2
    local.get $i30%h1
    i64.const 25
    i64.shr_s
    i64.add
    local.set $i30%h2
    local.get $i30%h1
    i64.const 33554431
    i64.and
    local.set $i30%h1
    local.get $i30%h6
    local.get $i30%h5
    i64.const 25
    i64.shr_s
    i64.add
    local.set $i30%h6
    local.get $i30%h5
    i64.const 33554431
    i64.and
    local.set $i30%h5
    local.get $i30%h3
    local.get $i30%h2
    i64.const 26
    i64.shr_s
    i64.add
    local.set $i30%h3
    local.get $i30%h2
    i64.const 67108863
    i64.and
    local.set $i30%h2
    local.get $i30%h7
    local.get $i30%h6
    i64.const 26
    i64.shr_s
    i64.add
    local.set $i30%h7
    local.get $i30%h6
    i64.const 67108863
    i64.and
    local.set $i30%h6
    local.get $i30%h4
    local.get $i30%h3
    i64.const 25
    i64.shr_s
    i64.add
    local.set $i30%h4
    local.get $i30%h3
    i64.const 33554431
    i64.and
    local.set $i30%h3
    local.get $i30%h8
    local.get $i30%h7
    i64.const 25
    i64.shr_s
    i64.add
    local.set $i30%h8
    local.get $i30%h7
    i64.const 33554431
    i64.and
    local.set $i30%h7
    local.get $i30%h5
    local.get $i30%h4
    i64.const 26
    i64.shr_s
    i64.add
    local.set $i30%h5
    local.get $i30%h4
    i64.const 67108863
    i64.and
    local.set $i30%h4
    local.get $i30%h9
    local.get $i30%h8
    i64.const 26
    i64.shr_s
    i64.add
    local.set $i30%h9
    local.get $i30%h8
    i64.const 67108863
    i64.and
    local.set $i30%h8
    local.get $i30%h0
    local.get $i30%h9
    i64.const 25
    i64.shr_s
    i64.const 19
    i64.mul
    i64.add
    local.set $i30%h0
    local.get $i30%h9
    i64.const 33554431
    i64.and
    local.set $i30%h9
    local.get $i30%h0
    i64.const 26
    i64.shr_s
    local.get $i30%h1
    i64.add
    local.set $i30%h1
    local.get $i30%h0
    i64.const 67108863
    i64.and
    local.set $i30%h0
    local.get $%g3
    local.get $i30%h0
    i64.store offset=0
    local.get $%g3
    local.get $i30%h1
    i64.store offset=8
    local.get $%g3
    local.get $i30%h2
    i64.store offset=16
    local.get $%g3
    local.get $i30%h3
    i64.store offset=24
    local.get $%g3
    local.get $i30%h4
    i64.store offset=32
    local.get $%g3
    local.get $i30%h5
    i64.store offset=40
    local.get $%g3
    local.get $i30%h6
    i64.store offset=48
    local.get $%g3
    local.get $i30%h7
    i64.store offset=56
    local.get $%g3
    local.get $i30%h8
    i64.store offset=64
    local.get $%g3
    local.get $i30%h9
    i64.store offset=72
    return
    end
    unreachable
  )

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
(func $%concat3 (param $a i32) (param $b i32) (param $c i32) (result i32)
  (call $concat (call $concat (local.get $a) (local.get $b)) (local.get $c)))
(func $%sub_s64 (param $a i64) (param $b i64) (result i64) (local $r i64)
  (local.set $r (i64.sub (local.get $a) (local.get $b)))
  (if (i64.lt_s (i64.and (i64.xor (local.get $a) (local.get $b)) (i64.xor (local.get $a) (local.get $r))) (i64.const 0)) (then unreachable))
  (local.get $r))
(func $%bound (param $x i64) (result i32)
  (if (i64.lt_s (local.get $x) (i64.const 0)) (then unreachable))
  (select (i32.const 0x7fffffff) (i32.wrap_i64 (local.get $x)) (i64.gt_u (local.get $x) (i64.const 0x7fffffff))))

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
  (i32.const 1))
(func $%add1_s64 (param $a i64) (result i64)
  (if (i64.eq (i64.rotl (local.get $a) (i64.const 1)) (i64.const -2)) (then unreachable))
  (i64.add (local.get $a) (i64.const 1)))

(func $sat32 (param $x i64) (result i32)
  (select (i32.const 0x7fffffff) (i32.wrap_i64 (local.get $x)) (i64.gt_u (local.get $x) (i64.const 0x7fffffff))))
  (func $kernel_py.crypto.ed25519._fe_addsub (param $s i32) (param $d i32) (param $f i32) (param $g i32)
    (local $%g1 i32) (local $%g2 i32) (local $%g3 i32) (local $%g4 i32) (local $f0 i64) (local $f1 i64) (local $f2 i64) (local $f3 i64) (local $f4 i64) (local $f5 i64) (local $f6 i64) (local $f7 i64) (local $f8 i64) (local $f9 i64) (local $g0 i64) (local $g1 i64) (local $g2 i64) (local $g3 i64) (local $g4 i64) (local $g5 i64) (local $g6 i64) (local $g7 i64) (local $g8 i64) (local $g9 i64)
    block $%trap
    local.get $f
    i32.load
    i32.const 9
    i32.le_u
    br_if $%trap
    local.get $g
    i32.load
    i32.const 9
    i32.le_u
    br_if $%trap
    local.get $s
    i32.load
    i32.const 9
    i32.le_u
    br_if $%trap
    local.get $d
    i32.load
    i32.const 9
    i32.le_u
    br_if $%trap
    local.get $f
    i32.load offset=8
    local.set $%g1
    local.get $g
    i32.load offset=8
    local.set $%g2
    local.get $s
    i32.load offset=8
    local.set $%g3
    local.get $d
    i32.load offset=8
    local.set $%g4
    local.get $%g1
    i64.load offset=0
    local.set $f0
    local.get $%g1
    i64.load offset=8
    local.set $f1
    local.get $%g1
    i64.load offset=16
    local.set $f2
    local.get $%g1
    i64.load offset=24
    local.set $f3
    local.get $%g1
    i64.load offset=32
    local.set $f4
    local.get $%g1
    i64.load offset=40
    local.set $f5
    local.get $%g1
    i64.load offset=48
    local.set $f6
    local.get $%g1
    i64.load offset=56
    local.set $f7
    local.get $%g1
    i64.load offset=64
    local.set $f8
    local.get $%g1
    i64.load offset=72
    local.set $f9
    local.get $%g2
    i64.load offset=0
    local.set $g0
    local.get $%g2
    i64.load offset=8
    local.set $g1
    local.get $%g2
    i64.load offset=16
    local.set $g2
    local.get $%g2
    i64.load offset=24
    local.set $g3
    local.get $%g2
    i64.load offset=32
    local.set $g4
    local.get $%g2
    i64.load offset=40
    local.set $g5
    local.get $%g2
    i64.load offset=48
    local.set $g6
    local.get $%g2
    i64.load offset=56
    local.set $g7
    local.get $%g2
    i64.load offset=64
    local.set $g8
    local.get $%g2
    i64.load offset=72
    local.set $g9
    local.get $%g3
    local.get $f0
    local.get $g0
    i64.add
    i64.store offset=0
    local.get $%g3
    local.get $f1
    local.get $g1
    i64.add
    i64.store offset=8
    local.get $%g3
    local.get $f2
    local.get $g2
    i64.add
    i64.store offset=16
    local.get $%g3
    local.get $f3
    local.get $g3
    i64.add
    i64.store offset=24
    local.get $%g3
    local.get $f4
    local.get $g4
    i64.add
    i64.store offset=32
    local.get $%g3
    local.get $f5
    local.get $g5
    i64.add
    i64.store offset=40
    local.get $%g3
    local.get $f6
    local.get $g6
    i64.add
    i64.store offset=48
    local.get $%g3
    local.get $f7
    local.get $g7
    i64.add
    i64.store offset=56
    local.get $%g3
    local.get $f8
    local.get $g8
    i64.add
    i64.store offset=64
    local.get $%g3
    local.get $f9
    local.get $g9
    i64.add
    i64.store offset=72
    local.get $%g4
    local.get $f0
    local.get $g0
    i64.sub
    i64.store offset=0
    local.get $%g4
    local.get $f1
    local.get $g1
    i64.sub
    i64.store offset=8
    local.get $%g4
    local.get $f2
    local.get $g2
    i64.sub
    i64.store offset=16
    local.get $%g4
    local.get $f3
    local.get $g3
    i64.sub
    i64.store offset=24
    local.get $%g4
    local.get $f4
    local.get $g4
    i64.sub
    i64.store offset=32
    local.get $%g4
    local.get $f5
    local.get $g5
    i64.sub
    i64.store offset=40
    local.get $%g4
    local.get $f6
    local.get $g6
    i64.sub
    i64.store offset=48
    local.get $%g4
    local.get $f7
    local.get $g7
    i64.sub
    i64.store offset=56
    local.get $%g4
    local.get $f8
    local.get $g8
    i64.sub
    i64.store offset=64
    local.get $%g4
    local.get $f9
    local.get $g9
    i64.sub
    i64.store offset=72
    return
    end
    unreachable
  )
(func $%bytes_be8 (param $x i64) (result i32)
  (call $%bytes_be (local.get $x) (i32.const 8)))
  (func $kernel_py.crypto.ed25519._fe_new (result i32)
    
    i32.const 10
    i32.const 8
    call $list_new
  )
  (func $kernel_py.crypto.ed25519._point_new (result i32)
    (local $%g1 i32)
    i32.const 16
    call $alloc
    local.tee $%g1
    call $kernel_py.crypto.ed25519._fe_new
    i32.store offset=0
    local.get $%g1
    call $kernel_py.crypto.ed25519._fe_new
    i32.store offset=4
    local.get $%g1
    call $kernel_py.crypto.ed25519._fe_new
    i32.store offset=8
    local.get $%g1
    call $kernel_py.crypto.ed25519._fe_new
    i32.store offset=12
    local.get $%g1
  )
(func $%append8 (param $l i32) (param $x i64)
  (i64.store (call $list_slot (local.get $l) (i32.const 8)) (local.get $x)))
(func $%getb1_i32_load8_u (param $s i32) (param $i i64) (result i32)
  (if (i64.ge_u (local.get $i) (i64.extend_i32_u (i32.load (local.get $s)))) (then unreachable))
  (i32.add (local.get $s) (i32.wrap_i64 (local.get $i)))
  i32.load8_u offset=4)
(func $%slice64 (param $s i32) (param $lo i64) (param $hi i64) (result i32)
  (call $slice (local.get $s) (call $%bound (local.get $lo)) (call $%bound (local.get $hi))))
  (func $kernel_py.crypto.ed25519._fe_sq (param $h i32) (param $f i32)
    local.get $h
    local.get $f
    i64.const 1
    call $kernel_py.crypto.ed25519._fe_sq_times
  )
(func $%add_u64 (param $a i64) (param $b i64) (result i64) (local $r i64)
  (local.set $r (i64.add (local.get $a) (local.get $b)))
  (if (i64.lt_u (local.get $r) (local.get $a)) (then unreachable))
  (local.get $r))

(func $bytes_new (param $n i32) (result i32) (local $p i32)
  (local.set $p (call $alloc (i32.add (local.get $n) (i32.const 4))))
  (i32.store (local.get $p) (local.get $n))
  (local.get $p))
(func $%add1_u64 (param $a i64) (result i64)
  (if (i64.eq (local.get $a) (i64.const -1)) (then unreachable))
  (i64.add (local.get $a) (i64.const 1)))
  (func $kernel_py.crypto.ed25519._fe_sq_times (param $h i32) (param $f i32) (param $n i64)
    (local $%g1 i32) (local $%g3 i32) (local $f4 i64) (local $f6 i64) (local $f5 i64) (local $f2 i64) (local $f7 i64) (local $f0_2 i64) (local $f1_2 i64) (local $f9_38 i64) (local $h4 i64) (local $f3 i64) (local $f8 i64) (local $h0 i64) (local $h1 i64) (local $h5 i64) (local $f3_2 i64) (local $f0 i64) (local $f1 i64) (local $f8_38 i64) (local $h2 i64) (local $h3 i64) (local $h6 i64) (local $h7 i64) (local $h8 i64) (local $h9 i64) (local $f9 i64) (local $f2_2 i64) (local $f7_38 i64) (local $f5_2 i64) (local $_ i64) (local $f7_2 i64) (local $f6_38 i64) (local $%g2 i64)
    block $%trap
    local.get $f
    i32.load
    i32.const 9
    i32.le_u
    br_if $%trap
    local.get $f
    i32.load offset=8
    local.tee $%g1
    i64.load offset=0
    local.set $f0
    local.get $%g1
    i64.load offset=8
    local.set $f1
    local.get $%g1
    i64.load offset=16
    local.set $f2
    local.get $%g1
    i64.load offset=24
    local.set $f3
    local.get $%g1
    i64.load offset=32
    local.set $f4
    local.get $%g1
    i64.load offset=40
    local.set $f5
    local.get $%g1
    i64.load offset=48
    local.set $f6
    local.get $%g1
    i64.load offset=56
    local.set $f7
    local.get $%g1
    i64.load offset=64
    local.set $f8
    local.get $%g1
    i64.load offset=72
    local.set $f9
    local.get $n
    local.set $%g2
    block $B1
    local.get $_
    local.get $%g2
    i64.ge_s
    br_if $B1
    loop $L2
    local.get $f0
    local.get $f0
    i64.add
    local.set $f0_2
    local.get $f1
    local.get $f1
    i64.add
    local.set $f1_2
    local.get $f2
    local.get $f2
    i64.add
    local.set $f2_2
    local.get $f3
    local.get $f3
    i64.add
    local.set $f3_2
    local.get $f5
    local.get $f5
    i64.add
    local.set $f5_2
    local.get $f7
    local.get $f7
    i64.add
    local.set $f7_2
    local.get $f6
    i64.const 38
    i64.mul
    local.set $f6_38
    local.get $f7
    i64.const 38
    i64.mul
    local.set $f7_38
    local.get $f8
    i64.const 38
    i64.mul
    local.set $f8_38
    local.get $f9
    i64.const 38
    i64.mul
    local.set $f9_38
    local.get $f0
    local.get $f0
    i64.mul
    local.get $f1_2
    local.get $f9_38
    i64.mul
    i64.add
    local.get $f2
    local.get $f8_38
    i64.mul
    i64.add
    local.get $f3_2
    local.get $f7_38
    i64.mul
    i64.add
    local.get $f4
    local.get $f6_38
    i64.mul
    i64.add
    local.get $f5
    local.get $f5
    i64.const 38
    i64.mul
    i64.mul
    i64.add
    local.set $h0
    local.get $f0_2
    local.get $f1
    i64.mul
    local.get $f2
    local.get $f9_38
    i64.mul
    i64.add
    local.get $f3
    local.get $f8_38
    i64.mul
    i64.add
    local.get $f4
    local.get $f7_38
    i64.mul
    i64.add
    local.get $f5
    local.get $f6_38
    i64.mul
    i64.add
    local.set $h1
    local.get $f0_2
    local.get $f2
    i64.mul
    local.get $f1_2
    local.get $f1
    i64.mul
    i64.add
    local.get $f3_2
    local.get $f9_38
    i64.mul
    i64.add
    local.get $f4
    local.get $f8_38
    i64.mul
    i64.add
    local.get $f5_2
    local.get $f7_38
    i64.mul
    i64.add
    local.get $f6
    local.get $f6
    i64.const 19
    i64.mul
    i64.mul
    i64.add
    local.set $h2
    local.get $f0_2
    local.get $f3
    i64.mul
    local.get $f1_2
    local.get $f2
    i64.mul
    i64.add
    local.get $f4
    local.get $f9_38
    i64.mul
    i64.add
    local.get $f5
    local.get $f8_38
    i64.mul
    i64.add
    local.get $f6
    local.get $f7_38
    i64.mul
    i64.add
    local.set $h3
    local.get $f0_2
    local.get $f4
    i64.mul
    local.get $f1_2
    local.get $f3_2
    i64.mul
    i64.add
    local.get $f2
    local.get $f2
    i64.mul
    i64.add
    local.get $f5_2
    local.get $f9_38
    i64.mul
    i64.add
    local.get $f6
    local.get $f8_38
    i64.mul
    i64.add
    local.get $f7
    local.get $f7_38
    i64.mul
    i64.add
    local.set $h4
    local.get $f0_2
    local.get $f5
    i64.mul
    local.get $f1_2
    local.get $f4
    i64.mul
    i64.add
    local.get $f2_2
    local.get $f3
    i64.mul
    i64.add
    local.get $f6
    local.get $f9_38
    i64.mul
    i64.add
    local.get $f7
    local.get $f8_38
    i64.mul
    i64.add
    local.set $h5
    local.get $f0_2
    local.get $f6
    i64.mul
    local.get $f1_2
    local.get $f5_2
    i64.mul
    i64.add
    local.get $f2_2
    local.get $f4
    i64.mul
    i64.add
    local.get $f3_2
    local.get $f3
    i64.mul
    i64.add
    local.get $f7_2
    local.get $f9_38
    i64.mul
    i64.add
    local.get $f8
    local.get $f8
    i64.const 19
    i64.mul
    i64.mul
    i64.add
    local.set $h6
    local.get $f0_2
    local.get $f7
    i64.mul
    local.get $f1_2
    local.get $f6
    i64.mul
    i64.add
    local.get $f2_2
    local.get $f5
    i64.mul
    i64.add
    local.get $f3_2
    local.get $f4
    i64.mul
    i64.add
    local.get $f8
    local.get $f9_38
    i64.mul
    i64.add
    local.set $h7
    local.get $f0_2
    local.get $f8
    i64.mul
    local.get $f1_2
    local.get $f7_2
    i64.mul
    i64.add
    local.get $f2_2
    local.get $f6
    i64.mul
    i64.add
    local.get $f3_2
    local.get $f5_2
    i64.mul
    i64.add
    local.get $f4
    local.get $f4
    i64.mul
    i64.add
    local.get $f9
    local.get $f9_38
    i64.mul
    i64.add
    local.set $h8
    local.get $f0_2
    local.get $f9
    i64.mul
    local.get $f1_2
    local.get $f8
    i64.mul
    i64.add
    local.get $f2_2
    local.get $f7
    i64.mul
    i64.add
    local.get $f3_2
    local.get $f6
    i64.mul
    i64.add
    local.get $f4
    local.get $f4
    i64.add
    local.get $f5
    i64.mul
    i64.add
    local.set $h9
    local.get $h1
    local.get $h0
    i64.const 26
    i64.shr_s
    i64.add
    local.set $h1
    local.get $h0
    i64.const 67108863
    i64.and
    local.set $h0
    local.get $h5
    local.get $h4
    i64.const 26
    i64.shr_s
    i64.add
    local.set $h5
    local.get $h4
    i64.const 67108863
    i64.and
    local.set $h4
    local.get $h2
    local.get $h1
    i64.const 25
    i64.shr_s
    i64.add
    local.set $h2
    local.get $h1
    i64.const 33554431
    i64.and
    local.set $h1
    local.get $h6
    local.get $h5
    i64.const 25
    i64.shr_s
    i64.add
    local.set $h6
    local.get $h5
    i64.const 33554431
    i64.and
    local.set $h5
    local.get $h3
    local.get $h2
    i64.const 26
    i64.shr_s
    i64.add
    local.set $h3
    local.get $h2
    i64.const 67108863
    i64.and
    local.set $h2
    local.get $h7
    local.get $h6
    i64.const 26
    i64.shr_s
    i64.add
    local.set $h7
    local.get $h6
    i64.const 67108863
    i64.and
    local.set $h6
    local.get $h4
    local.get $h3
    i64.const 25
    i64.shr_s
    i64.add
    local.set $h4
    local.get $h3
    i64.const 33554431
    i64.and
    local.set $h3
    local.get $h8
    local.get $h7
    i64.const 25
    i64.shr_s
    i64.add
    local.set $h8
    local.get $h7
    i64.const 33554431
    i64.and
    local.set $h7
    local.get $h5
    local.get $h4
    i64.const 26
    i64.shr_s
    i64.add
    local.set $h5
    local.get $h4
    i64.const 67108863
    i64.and
    local.set $h4
    local.get $h9
    local.get $h8
    i64.const 26
    i64.shr_s
    i64.add
    local.set $h9
    local.get $h8
    i64.const 67108863
    i64.and
    local.set $h8
    local.get $h0
    local.get $h9
    i64.const 25
    i64.shr_s
    i64.const 19
    i64.mul
    i64.add
    local.set $h0
    local.get $h9
    i64.const 33554431
    i64.and
    local.set $h9
    local.get $h0
    i64.const 26
    i64.shr_s
    local.get $h1
    i64.add
    local.set $h1
    local.get $h0
    i64.const 67108863
    i64.and
    local.tee $h0
    local.set $f0
    local.get $h1
    local.set $f1
    local.get $h2
    local.set $f2
    local.get $h3
    local.set $f3
    local.get $h4
    local.set $f4
    local.get $h5
    local.set $f5
    local.get $h6
    local.set $f6
    local.get $h7
    local.set $f7
    local.get $h8
    local.set $f8
    local.get $h9
    local.set $f9
    local.get $_
    i64.const 1
    i64.add
    local.tee $_
    local.get $%g2
    i64.lt_s
    br_if $L2
    end
    end
    local.get $h
    i32.load
    i32.const 9
    i32.le_u
    br_if $%trap
    local.get $h
    i32.load offset=8
    local.tee $%g3
    local.get $f0
    i64.store offset=0
    local.get $%g3
    local.get $f1
    i64.store offset=8
    local.get $%g3
    local.get $f2
    i64.store offset=16
    local.get $%g3
    local.get $f3
    i64.store offset=24
    local.get $%g3
    local.get $f4
    i64.store offset=32
    local.get $%g3
    local.get $f5
    i64.store offset=40
    local.get $%g3
    local.get $f6
    i64.store offset=48
    local.get $%g3
    local.get $f7
    i64.store offset=56
    local.get $%g3
    local.get $f8
    i64.store offset=64
    local.get $%g3
    local.get $f9
    i64.store offset=72
    return
    end
    unreachable
  )

(func $bytes_copy (param $a i32) (result i32) (local $p i32)
  (local.set $p (call $bytes_new (i32.load (local.get $a))))
  (call $memcpy (i32.add (local.get $p) (i32.const 4)) (i32.add (local.get $a) (i32.const 4))
                (i32.load (local.get $a)))
  (local.get $p))
  (func $kernel_py.crypto.ed25519._scalar_limbs (result i32)
    
    i32.const 19
    i32.const 8
    call $list_new
  )
  (func $kernel_py.crypto.ed25519._fe_set_small (param $h i32) (param $value i64)
    (local $i i64)
    local.get $h
    i64.const 0
    local.get $value
    call $%setl8_i64_store
    i64.const 1
    local.set $i
    loop $L2
    local.get $h
    local.get $i
    i64.const 0
    call $%setl8_i64_store
    local.get $i
    i64.const 1
    i64.add
    local.tee $i
    i64.const 10
    i64.lt_s
    br_if $L2
    end
  )

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
    (br $l1))))

(func $set_slice (param $d i32) (param $lo i32) (param $hi i32) (param $s i32) (local $len i32)
  (local.set $len (i32.load (local.get $d)))
  (if (i32.gt_u (local.get $hi) (local.get $len)) (then (local.set $hi (local.get $len))))
  (if (i32.gt_u (local.get $lo) (local.get $hi)) (then (local.set $lo (local.get $hi))))
  (if (i32.ne (i32.sub (local.get $hi) (local.get $lo)) (i32.load (local.get $s))) (then unreachable))
  (call $memcpy (i32.add (i32.add (local.get $d) (i32.const 4)) (local.get $lo)) (i32.add (local.get $s) (i32.const 4))
                (i32.load (local.get $s))))
(func $%cv_u64_int (param $x i64) (result i64)
  (if (i64.gt_u (local.get $x) (i64.const 9223372036854775807)) (then unreachable))
  (local.get $x))
(func $%sub_u64 (param $a i64) (param $b i64) (result i64) (local $r i64)
  (local.set $r (i64.sub (local.get $a) (local.get $b)))
  (if (i64.lt_u (local.get $a) (local.get $b)) (then unreachable))
  (local.get $r))
  (func $kernel_py.crypto.ed25519._fe_frombytes (param $h i32) (param $s i32)
    (local $at i32) (local $i i64) (local $%g2 i64)
    loop $L2
    i64.const 2
    local.get $i
    i64.mul
    i32.wrap_i64
    i32.load8_u offset=2760
    local.tee $at
    i64.extend_i32_u
    i64.const 4
    i64.add
    local.get $s
    i32.load
    i64.extend_i32_u
    i64.le_u
    if (result i64)
    local.get $s
    local.get $at
    i32.add
    i64.load32_u offset=4
    else
    local.get $s
    local.get $at
    i64.extend_i32_u
    call $sat32
    i32.const 4
    i32.const 0
    call $from_bytes
    end
    i64.const 2
    local.get $i
    i64.mul
    i64.const 1
    i64.add
    i32.wrap_i64
    i32.load8_u offset=2760
    i64.extend_i32_u
    i64.shr_u
    i64.const 1
    i64.const 26
    local.get $i
    i64.const 1
    i64.and
    i64.sub
    i64.shl
    i64.const 1
    i64.sub
    i64.and
    local.set $%g2
    local.get $i
    local.get $h
    i32.load
    i64.extend_i32_u
    i64.ge_u
    if
    unreachable
    end
    local.get $h
    i32.load offset=8
    local.get $i
    i32.wrap_i64
    i32.const 3
    i32.shl
    i32.add
    local.get $%g2
    i64.store offset=0
    local.get $i
    i64.const 1
    i64.add
    local.tee $i
    i64.const 10
    i64.lt_s
    br_if $L2
    end
  )
  (func $kernel_py.crypto.ed25519._p1p1_to_p3 (param $r i32) (param $p i32)
    local.get $r
    i32.load offset=0
    local.get $p
    i32.load offset=0
    local.get $p
    i32.load offset=12
    call $kernel_py.crypto.ed25519._fe_mul
    local.get $r
    i32.load offset=4
    local.get $p
    i32.load offset=4
    local.get $p
    i32.load offset=8
    call $kernel_py.crypto.ed25519._fe_mul
    local.get $r
    i32.load offset=8
    local.get $p
    i32.load offset=8
    local.get $p
    i32.load offset=12
    call $kernel_py.crypto.ed25519._fe_mul
    local.get $r
    i32.load offset=12
    local.get $p
    i32.load offset=0
    local.get $p
    i32.load offset=4
    call $kernel_py.crypto.ed25519._fe_mul
  )
(func $%cv_int_u64 (param $x i64) (result i64)
  (if (i64.lt_s (local.get $x) (i64.const 0)) (then unreachable))
  (local.get $x))
(func $%setb1_i32_store8 (param $s i32) (param $i i64) (param $x i32)
  (if (i64.ge_u (local.get $i) (i64.extend_i32_u (i32.load (local.get $s)))) (then unreachable))
  (i32.add (local.get $s) (i32.wrap_i64 (local.get $i)))
  (local.get $x)
  i32.store8 offset=4)
(func $%setl4_i32_store (param $s i32) (param $i i64) (param $x i32)
  (if (i64.ge_u (local.get $i) (i64.extend_i32_u (i32.load (local.get $s)))) (then unreachable))
  (i32.add (i32.load offset=8 (local.get $s)) (i32.shl (i32.wrap_i64 (local.get $i)) (i32.const 2)))
  (local.get $x)
  i32.store offset=0)
  (func $kernel_py.crypto.ed25519._fe_is_zero (param $f i32) (result i32)
    call $kernel_py.crypto.ed25519._fe_new
    local.get $f
    call $kernel_py.crypto.ed25519._fe_canonical
    i64.eqz
  )
  (func $kernel_py.crypto.ed25519._p2_dbl (param $r i32) (param $p i32) (param $t0 i32)
    local.get $r
    i32.load offset=0
    local.get $p
    i32.load offset=0
    call $kernel_py.crypto.ed25519._fe_sq
    local.get $r
    i32.load offset=8
    local.get $p
    i32.load offset=4
    call $kernel_py.crypto.ed25519._fe_sq
    local.get $r
    i32.load offset=12
    local.get $p
    i32.load offset=8
    call $kernel_py.crypto.ed25519._fe_sq
    local.get $r
    i32.load offset=12
    local.get $t0
    local.get $r
    i32.load offset=12
    local.get $r
    i32.load offset=12
    call $kernel_py.crypto.ed25519._fe_addsub
    local.get $r
    i32.load offset=4
    local.get $t0
    local.get $p
    i32.load offset=0
    local.get $p
    i32.load offset=4
    call $kernel_py.crypto.ed25519._fe_addsub
    local.get $t0
    local.get $r
    i32.load offset=4
    call $kernel_py.crypto.ed25519._fe_sq
    local.get $r
    i32.load offset=4
    local.get $r
    i32.load offset=8
    local.get $r
    i32.load offset=8
    local.get $r
    i32.load offset=0
    call $kernel_py.crypto.ed25519._fe_addsub
    local.get $t0
    local.get $r
    i32.load offset=0
    local.get $t0
    local.get $r
    i32.load offset=4
    call $kernel_py.crypto.ed25519._fe_addsub
    local.get $t0
    local.get $r
    i32.load offset=12
    local.get $r
    i32.load offset=12
    local.get $r
    i32.load offset=8
    call $kernel_py.crypto.ed25519._fe_addsub
  )
  (func $kernel_py.crypto.ed25519._carry28 (param $x i32) (param $count i64)
    (local $k i64) (local $%g1 i64) (local $%g3 i64) (local $%g4 i64)
    local.get $count
    call $%sub1_s64
    local.set $%g1
    local.get $x
    i32.load offset=8
    drop
    block $B1
    local.get $k
    local.get $%g1
    i64.ge_s
    br_if $B1
    loop $L2
    local.get $x
    local.get $k
    i64.const 1
    i64.add
    call $%getl8_i64_load
    local.get $x
    local.get $k
    call $%getl8_i64_load
    i64.const 28
    i64.shr_s
    i64.add
    local.set $%g3
    local.get $x
    local.get $k
    i64.const 1
    i64.add
    local.get $%g3
    call $%setl8_i64_store
    local.get $x
    local.get $k
    call $%getl8_i64_load
    i64.const 268435455
    i64.and
    local.set $%g4
    local.get $x
    local.get $k
    local.get $%g4
    call $%setl8_i64_store
    local.get $k
    i64.const 1
    i64.add
    local.tee $k
    local.get $%g1
    i64.lt_s
    br_if $L2
    end
    end
  )
(func $fail (param $site i32) unreachable)

(func $from_bytes (param $a i32) (param $lo i32) (param $n i32) (param $big i32) (result i64)
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
    (if (i32.wrap_i64 (i64.shr_u (local.get $v) (i64.const 56))) (then unreachable))
    (local.set $v (i64.or (i64.shl (local.get $v) (i64.const 8)) (i64.load8_u (local.get $p))))
    (local.set $p (i32.add (local.get $p) (local.get $step)))
    (local.set $n (i32.sub (local.get $n) (i32.const 1)))
    (br $l)))
  (local.get $v))
(func $%need (param $s i32) (param $c i32)
  (if (i32.le_u (i32.load (local.get $s)) (local.get $c)) (then unreachable)))
(func $%setl1_i32_store8 (param $s i32) (param $i i64) (param $x i32)
  (if (i64.ge_u (local.get $i) (i64.extend_i32_u (i32.load (local.get $s)))) (then unreachable))
  (i32.add (i32.load offset=8 (local.get $s)) (i32.wrap_i64 (local.get $i)))
  (local.get $x)
  i32.store8 offset=0)
  (func $kernel_py.crypto.ed25519._add_point (param $r i32) (param $p i32) (param $q i32) (param $t0 i32) (param $negate i32) (param $affine i32)
    local.get $r
    i32.load offset=0
    local.get $r
    i32.load offset=4
    local.get $p
    i32.load offset=4
    local.get $p
    i32.load offset=0
    call $kernel_py.crypto.ed25519._fe_addsub
    local.get $negate
    if
    local.get $r
    i32.load offset=8
    local.get $r
    i32.load offset=0
    local.get $q
    i32.load offset=4
    call $kernel_py.crypto.ed25519._fe_mul
    local.get $r
    i32.load offset=4
    local.get $r
    i32.load offset=4
    local.get $q
    i32.load offset=0
    call $kernel_py.crypto.ed25519._fe_mul
    else
    local.get $r
    i32.load offset=8
    local.get $r
    i32.load offset=0
    local.get $q
    i32.load offset=0
    call $kernel_py.crypto.ed25519._fe_mul
    local.get $r
    i32.load offset=4
    local.get $r
    i32.load offset=4
    local.get $q
    i32.load offset=4
    call $kernel_py.crypto.ed25519._fe_mul
    end
    local.get $r
    i32.load offset=12
    local.get $q
    i32.load offset=12
    local.get $p
    i32.load offset=12
    call $kernel_py.crypto.ed25519._fe_mul
    local.get $affine
    if
    local.get $t0
    local.get $r
    i32.load offset=0
    local.get $p
    i32.load offset=8
    local.get $p
    i32.load offset=8
    call $kernel_py.crypto.ed25519._fe_addsub
    else
    local.get $r
    i32.load offset=0
    local.get $p
    i32.load offset=8
    local.get $q
    i32.load offset=8
    call $kernel_py.crypto.ed25519._fe_mul
    local.get $t0
    local.get $r
    i32.load offset=0
    local.get $r
    i32.load offset=0
    local.get $r
    i32.load offset=0
    call $kernel_py.crypto.ed25519._fe_addsub
    end
    local.get $r
    i32.load offset=4
    local.get $r
    i32.load offset=0
    local.get $r
    i32.load offset=8
    local.get $r
    i32.load offset=4
    call $kernel_py.crypto.ed25519._fe_addsub
    local.get $negate
    if
    local.get $r
    i32.load offset=12
    local.get $r
    i32.load offset=8
    local.get $t0
    local.get $r
    i32.load offset=12
    call $kernel_py.crypto.ed25519._fe_addsub
    else
    local.get $r
    i32.load offset=8
    local.get $r
    i32.load offset=12
    local.get $t0
    local.get $r
    i32.load offset=12
    call $kernel_py.crypto.ed25519._fe_addsub
    end
  )
  (func $kernel_py.crypto.ed25519._p1p1_to_p2 (param $r i32) (param $p i32)
    local.get $r
    i32.load offset=0
    local.get $p
    i32.load offset=0
    local.get $p
    i32.load offset=12
    call $kernel_py.crypto.ed25519._fe_mul
    local.get $r
    i32.load offset=4
    local.get $p
    i32.load offset=4
    local.get $p
    i32.load offset=8
    call $kernel_py.crypto.ed25519._fe_mul
    local.get $r
    i32.load offset=8
    local.get $p
    i32.load offset=8
    local.get $p
    i32.load offset=12
    call $kernel_py.crypto.ed25519._fe_mul
  )

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
  (i32.add (i32.load offset=8 (local.get $l)) (i32.mul (local.get $len) (local.get $esz))))
(func $%count (param $n i64) (result i32)
  (select (i32.const 0)
    (select (i32.const 0x7fffffff) (i32.wrap_i64 (local.get $n)) (i64.gt_s (local.get $n) (i64.const 0x7fffffff)))
    (i64.lt_s (local.get $n) (i64.const 0))))
(func $%sub1_u64 (param $a i64) (result i64)
  (if (i64.eqz (local.get $a)) (then unreachable))
  (i64.sub (local.get $a) (i64.const 1)))
  (func $kernel_py.crypto.ed25519._wnaf (param $naf i32) (param $at i64) (param $stride i64) (param $s i32)
    (local $pos i64) (local $end i64) (local $carry i64) (local $byte i64) (local $window i64) (local $bits i64) (local $%g10 i64) (local $%g11 i64) (local $%g12 i64) (local $%g16 i64) (local $%g17 i64) (local $%g18 i64) (local $%g1 i64) (local $%g2 i64) (local $%g3 i64) (local $%g4 i64) (local $%g5 i64) (local $%g6 i64) (local $%g7 i64) (local $%g8 i64) (local $%g9 i64) (local $%g13 i64) (local $%g14 i64) (local $%g15 i64) (local $%g19 i64)
    block $%trap
    i64.const 32
    local.set $end
    block $B1
    loop $L2
    local.get $end
    i64.const 0
    i64.gt_s
    i32.eqz
    br_if $B1
    local.get $end
    i64.const 1
    i64.sub
    local.tee $%g2
    local.get $end
    i64.gt_s
    br_if $%trap
    local.get $%g2
    local.tee $%g1
    local.get $s
    i32.load
    i64.extend_i32_u
    i64.ge_u
    br_if $%trap
    local.get $s
    local.get $%g1
    i32.wrap_i64
    i32.add
    i32.load8_u offset=4
    i32.eqz
    i32.eqz
    br_if $B1
    local.get $end
    i64.const 1
    i64.sub
    local.tee $%g3
    local.get $end
    i64.gt_s
    br_if $%trap
    local.get $%g3
    local.set $end
    br $L2
    end
    end
    local.get $end
    i64.const 1152921504606846975
    i64.gt_s
    local.get $end
    i64.const -1152921504606846976
    i64.lt_s
    i32.or
    br_if $%trap
    i64.const 8
    local.get $end
    i64.mul
    local.set $end
    i64.const 0
    local.set $pos
    i64.const 0
    local.set $carry
    block $B3
    loop $L4
    local.get $pos
    i64.const 256
    i64.lt_s
    local.get $pos
    local.get $end
    i64.lt_s
    local.get $carry
    i64.eqz
    i32.eqz
    i32.or
    i32.and
    i32.eqz
    br_if $B3
    local.get $pos
    i64.const 3
    i64.shr_s
    local.tee $byte
    local.get $s
    i32.load
    i64.extend_i32_u
    i64.ge_u
    br_if $%trap
    local.get $s
    local.get $byte
    i32.wrap_i64
    i32.add
    i32.load8_u offset=4
    i64.extend_i32_u
    local.set $bits
    local.get $byte
    i64.const 31
    i64.lt_s
    if
    local.get $bits
    local.get $byte
    i64.const 1
    i64.add
    local.tee $%g5
    local.get $byte
    i64.lt_s
    br_if $%trap
    local.get $%g5
    local.tee $%g4
    local.get $s
    i32.load
    i64.extend_i32_u
    i64.ge_u
    br_if $%trap
    local.get $s
    local.get $%g4
    i32.wrap_i64
    i32.add
    i32.load8_u offset=4
    i64.extend_i32_u
    i64.const 8
    i64.shl
    i64.or
    local.set $bits
    end
    local.get $bits
    local.get $pos
    i64.const 7
    i64.and
    i64.shr_s
    i64.const 31
    i64.and
    local.set $%g6
    local.get $carry
    local.get $%g6
    i64.add
    local.tee $%g7
    local.get $carry
    i64.lt_s
    br_if $%trap
    local.get $%g7
    local.tee $window
    i64.const 1
    i64.and
    i64.eqz
    if
    local.get $pos
    i64.const 1
    i64.add
    local.tee $%g8
    local.get $pos
    i64.lt_s
    br_if $%trap
    local.get $%g8
    local.set $pos
    else
    local.get $window
    i64.const 16
    i64.lt_s
    if
    i64.const 0
    local.set $carry
    local.get $stride
    local.get $pos
    i64.mul
    local.set $%g11
    local.get $stride
    i64.const -1
    i64.eq
    local.get $pos
    i64.const -9223372036854775808
    i64.eq
    i32.and
    br_if $%trap
    local.get $stride
    i64.eqz
    if (result i32)
    i32.const 0
    else
    local.get $%g11
    local.get $stride
    i64.div_s
    local.get $pos
    i64.ne
    end
    br_if $%trap
    local.get $%g11
    local.set $%g10
    local.get $at
    local.get $%g10
    i64.add
    local.tee $%g12
    local.get $at
    i64.xor
    local.get $%g12
    local.get $%g10
    i64.xor
    i64.and
    i64.const 0
    i64.lt_s
    br_if $%trap
    local.get $%g12
    local.tee $%g9
    local.get $naf
    i32.load
    i64.extend_i32_u
    i64.ge_u
    br_if $%trap
    local.get $naf
    i32.load offset=8
    local.get $%g9
    i32.wrap_i64
    i32.const 3
    i32.shl
    i32.add
    local.get $window
    i64.store offset=0
    else
    i64.const 1
    local.set $carry
    local.get $window
    i64.const 32
    i64.sub
    local.tee $%g14
    local.get $window
    i64.gt_s
    br_if $%trap
    local.get $%g14
    local.set $%g13
    local.get $stride
    local.get $pos
    i64.mul
    local.set $%g17
    local.get $stride
    i64.const -1
    i64.eq
    local.get $pos
    i64.const -9223372036854775808
    i64.eq
    i32.and
    br_if $%trap
    local.get $stride
    i64.eqz
    if (result i32)
    i32.const 0
    else
    local.get $%g17
    local.get $stride
    i64.div_s
    local.get $pos
    i64.ne
    end
    br_if $%trap
    local.get $%g17
    local.set $%g16
    local.get $at
    local.get $%g16
    i64.add
    local.tee $%g18
    local.get $at
    i64.xor
    local.get $%g18
    local.get $%g16
    i64.xor
    i64.and
    i64.const 0
    i64.lt_s
    br_if $%trap
    local.get $%g18
    local.tee $%g15
    local.get $naf
    i32.load
    i64.extend_i32_u
    i64.ge_u
    br_if $%trap
    local.get $naf
    i32.load offset=8
    local.get $%g15
    i32.wrap_i64
    i32.const 3
    i32.shl
    i32.add
    local.get $%g13
    i64.store offset=0
    end
    local.get $pos
    i64.const 5
    i64.add
    local.tee $%g19
    local.get $pos
    i64.lt_s
    br_if $%trap
    local.get $%g19
    local.set $pos
    end
    br $L4
    end
    end
    return
    end
    unreachable
  )
  (func $kernel_py.crypto.ed25519._fe_canonical (param $h i32) (param $f i32) (result i64)
    (local $%g2 i32) (local $%g3 i32) (local $%g7 i32) (local $i i64) (local $q i64) (local $bits i64) (local $width i64) (local $%g1 i64) (local $%g5 i64) (local $%g6 i64)
    loop $L2
    local.get $f
    local.get $i
    call $%getl8_i64_load
    i64.const 1
    i64.const 29
    local.get $i
    i64.const 1
    i64.and
    i64.sub
    i64.shl
    i64.const 8
    i64.sub
    i64.add
    local.set $%g1
    local.get $h
    local.get $i
    local.get $%g1
    call $%setl8_i64_store
    local.get $i
    i64.const 1
    i64.add
    local.tee $i
    i64.const 10
    i64.lt_s
    br_if $L2
    end
    local.get $h
    i32.const 0
    call $%need
    local.get $h
    i32.load offset=8
    local.tee $%g2
    local.get $%g2
    i64.load offset=0
    i64.const 144
    i64.sub
    i64.store offset=0
    local.get $h
    call $kernel_py.crypto.ed25519._carry_pass
    local.get $h
    call $kernel_py.crypto.ed25519._carry_pass
    local.get $h
    i32.load offset=8
    i64.load offset=0
    i64.const 19
    i64.add
    i64.const 26
    i64.shr_s
    local.set $q
    i64.const 1
    local.set $i
    loop $L5
    local.get $h
    local.get $i
    call $%getl8_i64_load
    local.get $q
    i64.add
    i64.const 26
    local.get $i
    i64.const 1
    i64.and
    i64.sub
    i64.shr_s
    local.set $q
    local.get $i
    i64.const 1
    i64.add
    local.tee $i
    i64.const 10
    i64.lt_s
    br_if $L5
    end
    local.get $h
    i32.load offset=8
    local.tee $%g3
    local.get $%g3
    i64.load offset=0
    local.get $q
    i64.const 19
    i64.mul
    i64.add
    i64.store offset=0
    i64.const 0
    local.set $i
    local.get $h
    i32.load offset=8
    drop
    loop $L8
    i64.const 26
    local.get $i
    i64.const 1
    i64.and
    i64.sub
    local.set $width
    local.get $h
    local.get $i
    i64.const 1
    i64.add
    call $%getl8_i64_load
    local.get $h
    local.get $i
    call $%getl8_i64_load
    local.get $width
    i64.shr_s
    i64.add
    local.set $%g5
    local.get $h
    local.get $i
    i64.const 1
    i64.add
    local.get $%g5
    call $%setl8_i64_store
    local.get $h
    local.get $i
    call $%getl8_i64_load
    i64.const 1
    local.get $width
    i64.shl
    i64.const 1
    i64.sub
    i64.and
    local.set $%g6
    local.get $h
    local.get $i
    local.get $%g6
    call $%setl8_i64_store
    local.get $i
    i64.const 1
    i64.add
    local.tee $i
    i64.const 9
    i64.lt_s
    br_if $L8
    end
    local.get $h
    i32.const 9
    call $%need
    local.get $h
    i32.load offset=8
    local.tee $%g7
    local.get $%g7
    i64.load offset=72
    i64.const 33554431
    i64.and
    i64.store offset=72
    i64.const 0
    local.set $bits
    i64.const 0
    local.set $i
    loop $L11
    local.get $bits
    local.get $h
    i32.load offset=8
    local.get $i
    i32.wrap_i64
    i32.const 3
    i32.shl
    i32.add
    i64.load offset=0
    i64.or
    local.set $bits
    local.get $i
    i64.const 1
    i64.add
    local.tee $i
    i64.const 10
    i64.lt_s
    br_if $L11
    end
    local.get $bits
  )
  (func $kernel_py.crypto.ed25519._limbs_from_bytes (param $x i32) (param $b i32)
    (local $padded i32) (local $k i64) (local $first i64) (local $%g1 i64)
    block $%trap
    local.get $b
    i64.const 3
    call $bytes_new64
    call $concat
    local.set $padded
    loop $L2
    i64.const 28
    local.get $k
    i64.mul
    i64.const 3
    i64.shr_s
    local.tee $first
    local.get $b
    i32.load
    i64.extend_i32_u
    i64.lt_s
    if
    local.get $first
    i64.const 0
    i64.lt_s
    br_if $%trap
    local.get $first
    i64.const 4
    i64.add
    local.get $padded
    i32.load
    i64.extend_i32_u
    i64.le_u
    if (result i64)
    local.get $padded
    local.get $first
    i32.wrap_i64
    i32.add
    i64.load32_u offset=4
    else
    local.get $padded
    local.get $first
    call $sat32
    i32.const 4
    i32.const 0
    call $from_bytes
    end
    i32.wrap_i64
    i64.extend_i32_u
    i64.const 28
    local.get $k
    i64.mul
    i64.const 7
    i64.and
    i64.shr_s
    i64.const 268435455
    i64.and
    local.set $%g1
    local.get $k
    local.get $x
    i32.load
    i64.extend_i32_u
    i64.ge_u
    br_if $%trap
    local.get $x
    i32.load offset=8
    local.get $k
    i32.wrap_i64
    i32.const 3
    i32.shl
    i32.add
    local.get $%g1
    i64.store offset=0
    end
    local.get $k
    i64.const 1
    i64.add
    local.tee $k
    i64.const 19
    i64.lt_s
    br_if $L2
    end
    return
    end
    unreachable
  )
  (func $kernel_py.crypto.ed25519._reduce_limbs (param $x i32) (result i32)
    (local $trial i32) (local $out i32) (local $j i64) (local $i i64) (local $bits i64) (local $acc i64) (local $carry i64) (local $pos i64) (local $k i64) (local $t i64) (local $v i64) (local $%g2 i64) (local $%g3 i64) (local $%g4 i64) (local $%g5 i64)
    block $%trap
    i64.const 18
    local.set $i
    local.get $x
    i32.load offset=8
    drop
    loop $L2
    local.get $x
    local.get $i
    call $%getl8_i64_load
    local.set $t
    local.get $x
    local.get $i
    i64.const 0
    call $%setl8_i64_store
    i64.const 0
    local.set $carry
    i64.const 0
    local.set $j
    loop $L5
    local.get $x
    local.get $i
    i64.const 9
    i64.sub
    local.get $j
    i64.add
    call $%getl8_i64_load
    local.get $t
    local.get $j
    i32.wrap_i64
    i32.const 2
    i32.shl
    i64.load32_s offset=3968
    i64.mul
    i64.sub
    local.get $carry
    i64.add
    local.tee $v
    i64.const 134217728
    i64.add
    i64.const 28
    i64.shr_s
    local.set $carry
    local.get $x
    local.get $i
    i64.const 9
    i64.sub
    local.get $j
    i64.add
    local.get $v
    local.get $carry
    i64.const 28
    i64.shl
    i64.sub
    call $%setl8_i64_store
    local.get $j
    i64.const 1
    i64.add
    local.tee $j
    i64.const 5
    i64.lt_s
    br_if $L5
    end
    local.get $x
    local.get $i
    i64.const 4
    i64.sub
    call $%getl8_i64_load
    local.get $carry
    i64.add
    local.set $%g2
    local.get $x
    local.get $i
    i64.const 4
    i64.sub
    local.get $%g2
    call $%setl8_i64_store
    local.get $i
    i64.const -1
    i64.add
    local.tee $i
    i64.const 8
    i64.gt_s
    br_if $L2
    end
    local.get $x
    i64.const 10
    call $kernel_py.crypto.ed25519._carry28
    local.get $x
    local.get $x
    i64.const 9
    call $%getl8_i64_load
    call $kernel_py.crypto.ed25519._sub_multiple_of_l
    local.get $x
    i32.load offset=8
    i64.load offset=72
    i64.const 0
    i64.lt_s
    if
    local.get $x
    i64.const -1
    call $kernel_py.crypto.ed25519._sub_multiple_of_l
    end
    call $kernel_py.crypto.ed25519._scalar_limbs
    local.set $trial
    i64.const 0
    local.set $j
    loop $L8
    local.get $x
    i32.load offset=8
    local.get $j
    i32.wrap_i64
    i32.const 3
    i32.shl
    i32.add
    i64.load offset=0
    local.set $%g3
    local.get $trial
    local.get $j
    local.get $%g3
    call $%setl8_i64_store
    local.get $j
    i64.const 1
    i64.add
    local.tee $j
    i64.const 10
    i64.lt_s
    br_if $L8
    end
    local.get $trial
    i64.const 1
    call $kernel_py.crypto.ed25519._sub_multiple_of_l
    local.get $trial
    i64.const 9
    call $%getl8_i64_load
    i64.const 0
    i64.ge_s
    if
    i64.const 0
    local.set $j
    loop $L11
    local.get $x
    i32.load offset=8
    local.get $j
    i32.wrap_i64
    i32.const 3
    i32.shl
    i32.add
    local.get $trial
    i32.load offset=8
    local.get $j
    i32.wrap_i64
    i32.const 3
    i32.shl
    i32.add
    i64.load offset=0
    i64.store offset=0
    local.get $j
    i64.const 1
    i64.add
    local.tee $j
    i64.const 10
    i64.lt_s
    br_if $L11
    end
    end
    i64.const 32
    call $bytes_new64
    local.set $out
    i64.const 0
    local.set $acc
    i64.const 0
    local.set $bits
    i64.const 0
    local.set $pos
    i64.const 0
    local.set $k
    loop $L14
    local.get $acc
    local.get $bits
    i64.const 64
    i64.ge_u
    br_if $%trap
    local.get $x
    i32.load offset=8
    local.get $k
    i32.wrap_i64
    i32.const 3
    i32.shl
    i32.add
    i64.load offset=0
    local.tee $%g4
    local.get $bits
    i64.shl
    local.tee $%g5
    local.get $bits
    i64.shr_s
    local.get $%g4
    i64.ne
    br_if $%trap
    local.get $%g5
    i64.or
    local.set $acc
    local.get $bits
    i64.const 28
    call $%add_s64
    local.set $bits
    block $B16
    loop $L17
    local.get $bits
    i64.const 8
    i64.ge_s
    local.get $pos
    i64.const 32
    i64.lt_s
    i32.and
    i32.eqz
    br_if $B16
    local.get $out
    local.get $pos
    local.get $acc
    i32.wrap_i64
    i32.const 255
    i32.and
    call $%setb1_i32_store8
    local.get $acc
    i64.const 8
    i64.shr_s
    local.set $acc
    local.get $bits
    i64.const 8
    call $%sub_s64
    local.set $bits
    local.get $pos
    call $%add1_s64
    local.set $pos
    br $L17
    end
    end
    local.get $k
    i64.const 1
    i64.add
    local.tee $k
    i64.const 10
    i64.lt_s
    br_if $L14
    end
    local.get $out
    call $bytes_copy
    return
    unreachable
    end
    unreachable
  )
  (func $kernel_py.crypto.ed25519._p3_to_cached (param $r i32) (param $p i32)
    local.get $r
    i32.load offset=0
    local.get $r
    i32.load offset=4
    local.get $p
    i32.load offset=4
    local.get $p
    i32.load offset=0
    call $kernel_py.crypto.ed25519._fe_addsub
    local.get $r
    i32.load offset=12
    local.get $r
    i32.load offset=8
    i32.const 2864
    i32.const 2864
    call $kernel_py.crypto.ed25519._fe_addsub
    local.get $r
    i32.load offset=12
    local.get $p
    i32.load offset=12
    local.get $r
    i32.load offset=12
    call $kernel_py.crypto.ed25519._fe_mul
    local.get $r
    i32.load offset=8
    local.get $p
    i32.load offset=8
    call $kernel_py.crypto.ed25519._fe_copy
  )
  (func $kernel_py.crypto.ed25519._sub_multiple_of_l (param $x i32) (param $t i64)
    (local $%g2 i32) (local $j i64) (local $%g1 i64)
    loop $L2
    local.get $x
    local.get $j
    call $%getl8_i64_load
    local.get $t
    local.get $j
    i32.wrap_i64
    i32.const 2
    i32.shl
    i64.load32_s offset=3968
    i64.mul
    i64.sub
    local.set $%g1
    local.get $x
    local.get $j
    local.get $%g1
    call $%setl8_i64_store
    local.get $j
    i64.const 1
    i64.add
    local.tee $j
    i64.const 5
    i64.lt_s
    br_if $L2
    end
    local.get $x
    i32.const 9
    call $%need
    local.get $x
    i32.load offset=8
    local.tee $%g2
    local.get $%g2
    i64.load offset=72
    local.get $t
    i64.sub
    i64.store offset=72
    local.get $x
    i64.const 10
    call $kernel_py.crypto.ed25519._carry28
  )

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
          (i32.lt_u (local.get $la) (local.get $lb))))
  (func $kernel_py.crypto.ed25519.verify_each_cached (param $cache i32) (param $public_keys i32) (param $messages i32) (param $signatures i32) (param $hints i32) (result i32)
    (local $neg_a i32) (local $keys i32) (local $public_key i32) (local $b i32) (local $z i32) (local $%g14 i32) (local $index i32) (local $signature i32) (local $ok i32) (local $key_of i32) (local $x i32) (local $tables i32) (local $%g6 i32) (local $cached i32) (local $key_points i32) (local $seed i32) (local $%g7 i32) (local $neg_rs i32) (local $challenges i32) (local $digest i32) (local $order i32) (local $stream i32) (local $%g3 i32) (local $neg_r i32) (local $naf i32) (local $total i32) (local $i20%x i32) (local $%g4 i32) (local $%g5 i32) (local $%g8 i32) (local $%g11 i32) (local $%g13 i32) (local $%g20 i32) (local $%g22 i32) (local $%g23 i32) (local $%g25 i32) (local $%g27 i32) (local $%g31 i32) (local $%g32 i32) (local $j i64) (local $t i64) (local $i i64) (local $q i64) (local $count i64) (local $%t1 i64) (local $%t2 i64) (local $%t3 i64) (local $%t4 i64) (local $_ i64) (local $slot i64) (local $at i64) (local $%g2 i64) (local $%g12 i64) (local $%g15 i64) (local $%g16 i64) (local $%g17 i64) (local $%g29 i64) (local $%g30 i64) (local $n i64) (local $%g18 i64) (local $%g19 i64)
    local.get $public_keys
    i32.load
    i64.extend_i32_u
    local.tee $n
    call $%count
    i32.const 1
    call $list_new
    local.set $ok
    call $%empty4
    local.set $keys
    call $%empty1
    local.set $cached
    call $%empty4
    local.set $key_points
    call $%empty8
    local.set $key_of
    call $%empty8
    local.set $index
    call $%empty4
    local.set $neg_rs
    call $%empty4
    local.set $challenges
    i32.const 2312
    i64.const 32
    call $kernel_py.crypto.blake2b.blake2b
    local.set $seed
    local.get $n
    local.set $%g2
    block $B1
    local.get $i
    local.get $%g2
    i64.ge_s
    br_if $B1
    loop $L2
    block $C3
    local.get $public_keys
    local.get $i
    call $%getl4_i32_load
    local.set $public_key
    local.get $signatures
    local.get $i
    call $%getl4_i32_load
    local.set $signature
    local.get $public_key
    i32.load
    i32.const 32
    i32.ne
    local.get $signature
    i32.load
    i32.const 64
    i32.ne
    i32.or
    if (result i32)
    i32.const 1
    else
    local.get $signature
    i32.const 32
    i32.const 64
    call $slice
    call $kernel_py.crypto.ed25519._scalar_is_canonical
    i32.eqz
    end
    if
    br $C3
    end
    local.get $keys
    local.get $public_key
    call $kernel_py.crypto.ed25519._find_key
    local.tee $slot
    i64.const 0
    i64.lt_s
    if
    call $kernel_py.crypto.ed25519._point_new
    local.set $neg_a
    i32.const 192
    local.set $x
    local.get $cache
    i32.load
    i32.const 0
    i32.gt_u
    if
    local.get $cache
    local.get $public_key
    call $kernel_py.text.to_hex
    call $concat
    local.set $%g3
    i32.const 0
    local.set $%g4
    i32.const 33
    local.set $%g5
    i32.const 2060
    call $alloc
    local.set $%g6
    local.get $%g3
    i32.const 4
    i32.add
    local.get $%g3
    i32.load
    local.get $%g4
    local.get $%g6
    i32.const 4
    i32.add
    local.get $%g5
    call $host.store_read
    local.tee $%g7
    i32.const 0
    i32.lt_s
    if
    i32.const 0
    local.set $%g7
    end
    local.get $%g6
    local.get $%g7
    i32.store
    local.get $%g6
    local.get $%g7
    i32.add
    i32.const 11
    i32.add
    i32.const -8
    i32.and
    global.set $hp
    local.get $%g6
    local.set $x
    end
    local.get $x
    i32.load
    i32.const 32
    i32.eq
    if
    local.get $neg_a
    i32.load offset=0
    local.get $x
    call $kernel_py.crypto.ed25519._fe_frombytes
    local.get $neg_a
    i32.load offset=4
    local.get $public_key
    call $kernel_py.crypto.ed25519._fe_frombytes
    local.get $neg_a
    i32.load offset=8
    i64.const 1
    call $kernel_py.crypto.ed25519._fe_set_small
    local.get $neg_a
    i32.load offset=12
    local.get $neg_a
    i32.load offset=0
    local.get $neg_a
    i32.load offset=4
    call $kernel_py.crypto.ed25519._fe_mul
    else
    local.get $neg_a
    local.get $public_key
    i32.const 192
    call $kernel_py.crypto.ed25519._decode_checked
    i32.eqz
    if
    br $C3
    end
    end
    local.get $x
    i32.load
    i32.const 32
    i32.eq
    local.set $%g8
    local.get $cached
    local.get $%g8
    call $%append1
    local.get $keys
    local.get $public_key
    call $%append4
    local.get $key_points
    local.get $neg_a
    call $%append4
    local.get $keys
    i32.load
    i64.extend_i32_u
    i64.const 1
    i64.sub
    local.set $slot
    end
    call $kernel_py.crypto.ed25519._point_new
    local.tee $neg_r
    local.get $signature
    i32.const 0
    i32.const 32
    call $slice
    local.get $hints
    i64.const 32
    local.get $i
    i64.mul
    call $sat32
    i64.const 32
    local.get $i
    i64.mul
    i64.const 32
    i64.add
    call $sat32
    call $slice
    call $kernel_py.crypto.ed25519._decode_checked
    i32.eqz
    if
    br $C3
    end
    local.get $key_of
    local.get $slot
    call $%append8
    local.get $index
    local.get $i
    call $%append8
    local.get $neg_rs
    local.get $neg_r
    call $%append4
    local.get $signature
    i32.const 0
    i32.const 32
    call $slice
    local.get $public_key
    local.get $messages
    local.get $i
    call $%getl4_i32_load
    call $%concat3
    call $kernel_py.crypto.sha512.sha512
    local.set $digest
    call $kernel_py.crypto.ed25519._scalar_limbs
    local.tee $i20%x
    local.get $digest
    call $kernel_py.crypto.ed25519._limbs_from_bytes
    local.get $i20%x
    call $kernel_py.crypto.ed25519._reduce_limbs
    local.set $%g11
    local.get $challenges
    local.get $%g11
    call $%append4
    local.get $seed
    local.get $signature
    i32.const 32
    i32.const 64
    call $slice
    local.get $digest
    call $%concat3
    i64.const 32
    call $kernel_py.crypto.blake2b.blake2b
    local.set $seed
    end
    local.get $i
    i64.const 1
    i64.add
    local.tee $i
    local.get $%g2
    i64.lt_s
    br_if $L2
    end
    end
    local.get $index
    i32.load
    i64.extend_i32_u
    local.tee $count
    i64.eqz
    if
    local.get $ok
    return
    end
    call $%empty4
    local.set $tables
    i64.const 0
    local.set $_
    i64.const 8
    local.get $count
    local.get $keys
    i32.load
    i64.extend_i32_u
    i64.add
    i64.mul
    local.set $%g12
    block $B5
    local.get $_
    local.get $%g12
    i64.ge_s
    br_if $B5
    loop $L6
    call $kernel_py.crypto.ed25519._point_new
    local.set $%g13
    local.get $tables
    local.get $%g13
    call $%append4
    local.get $_
    i64.const 1
    i64.add
    local.tee $_
    local.get $%g12
    i64.lt_s
    br_if $L6
    end
    end
    i32.const 24
    call $alloc
    local.tee $%g14
    local.get $tables
    i32.store offset=0
    local.get $%g14
    call $%empty4
    i32.store offset=4
    local.get $%g14
    call $%empty8
    i32.store offset=8
    local.get $%g14
    call $%empty4
    i32.store offset=12
    local.get $%g14
    call $%empty4
    i32.store offset=16
    local.get $%g14
    call $%empty8
    i32.store offset=20
    local.get $%g14
    local.set $b
    call $%empty8
    local.set $order
    i64.const 0
    local.set $%t1
    local.get $keys
    i32.load
    i64.extend_i32_u
    local.set $%g15
    block $B8
    local.get $%t1
    local.get $%g15
    i64.ge_s
    br_if $B8
    loop $L9
    local.get $%t1
    local.set $t
    i64.const 0
    local.set $%t2
    local.get $count
    local.set $%g16
    block $B11
    local.get $%t2
    local.get $%g16
    i64.ge_s
    br_if $B11
    loop $L12
    local.get $%t2
    local.set $j
    local.get $key_of
    local.get $j
    call $%getl8_i64_load
    local.get $t
    i64.eq
    if
    local.get $order
    local.get $j
    call $%append8
    end
    local.get $%t2
    i64.const 1
    i64.add
    local.tee $%t2
    local.get $%g16
    i64.lt_s
    br_if $L12
    end
    end
    local.get $%t1
    i64.const 1
    i64.add
    local.tee $%t1
    local.get $%g15
    i64.lt_s
    br_if $L9
    end
    end
    i32.const 192
    local.set $stream
    i64.const 0
    local.set $q
    local.get $count
    local.set $%g17
    block $B14
    local.get $q
    local.get $%g17
    i64.ge_s
    br_if $B14
    loop $L15
    local.get $order
    local.get $q
    call $%getl8_i64_load
    local.set $j
    local.get $count
    local.get $key_of
    local.get $j
    call $%getl8_i64_load
    call $%add_s64
    local.set $%g18
    local.get $b
    i32.load offset=8
    local.get $%g18
    call $%append8
    local.get $index
    local.get $j
    call $%getl8_i64_load
    local.set $%g19
    local.get $b
    i32.load offset=20
    local.get $%g19
    call $%append8
    local.get $q
    i64.const 3
    i64.and
    i64.eqz
    if
    local.get $seed
    local.get $q
    i64.const 2
    i64.shr_u
    i32.wrap_i64
    local.set $%g20
    i32.const 4
    call $bytes_new
    local.tee $%g22
    local.get $%g20
    i64.extend_i32_u
    i64.store32 offset=4
    local.get $%g22
    call $concat
    i64.const 64
    call $kernel_py.crypto.blake2b.blake2b
    local.set $stream
    end
    i64.const 16
    local.get $q
    i64.const 3
    i64.and
    i64.mul
    local.set $at
    i64.const 32
    call $bytes_new64
    local.set $z
    local.get $stream
    local.get $at
    i32.wrap_i64
    local.get $at
    i64.const 16
    i64.add
    i32.wrap_i64
    call $slice
    local.set $%g23
    local.get $z
    i32.const 0
    i32.const 16
    local.get $%g23
    call $set_slice
    local.get $z
    local.get $z
    i32.load8_u offset=4
    i32.const 1
    i32.or
    i32.store8 offset=4
    local.get $z
    local.get $signatures
    local.get $index
    local.get $j
    call $%getl8_i64_load
    call $%getl4_i32_load
    i32.const 32
    i32.const 64
    call $slice
    call $kernel_py.crypto.ed25519._scalar_product
    local.set $%g25
    local.get $b
    i32.load offset=12
    local.get $%g25
    call $%append4
    local.get $z
    local.get $challenges
    local.get $j
    call $%getl4_i32_load
    call $kernel_py.crypto.ed25519._scalar_product
    local.set $%g27
    local.get $b
    i32.load offset=16
    local.get $%g27
    call $%append4
    local.get $tables
    i64.const 8
    local.get $q
    i64.mul
    local.get $neg_rs
    local.get $j
    call $%getl4_i32_load
    call $kernel_py.crypto.ed25519._odd_multiples
    i32.const 256
    i32.const 8
    call $list_new
    local.tee $naf
    i64.const 0
    i64.const 1
    local.get $z
    call $bytes_copy
    call $kernel_py.crypto.ed25519._wnaf
    local.get $b
    i32.load offset=4
    local.get $naf
    call $%append4
    local.get $q
    i64.const 1
    i64.add
    local.tee $q
    local.get $%g17
    i64.lt_s
    br_if $L15
    end
    end
    i64.const 0
    local.set $%t3
    local.get $keys
    i32.load
    i64.extend_i32_u
    local.set $%g29
    block $B17
    local.get $%t3
    local.get $%g29
    i64.ge_s
    br_if $B17
    loop $L18
    local.get $%t3
    local.set $t
    local.get $tables
    i64.const 8
    local.get $count
    local.get $t
    i64.add
    i64.mul
    local.get $key_points
    local.get $t
    call $%getl4_i32_load
    call $kernel_py.crypto.ed25519._odd_multiples
    local.get $%t3
    i64.const 1
    i64.add
    local.tee $%t3
    local.get $%g29
    i64.lt_s
    br_if $L18
    end
    end
    call $kernel_py.crypto.ed25519._point_new
    local.tee $total
    local.get $b
    i64.const 0
    local.get $count
    call $kernel_py.crypto.ed25519._subset_sum
    local.get $ok
    local.get $b
    local.get $total
    call $kernel_py.crypto.ed25519._bisect
    local.get $cache
    i32.load
    i32.const 0
    i32.gt_u
    if
    i64.const 0
    local.set $%t4
    local.get $count
    local.set $%g30
    block $B20
    local.get $%t4
    local.get $%g30
    i64.ge_s
    br_if $B20
    loop $L21
    local.get $%t4
    local.set $j
    local.get $key_of
    local.get $j
    call $%getl8_i64_load
    local.set $t
    local.get $ok
    local.get $index
    local.get $j
    call $%getl8_i64_load
    call $%getl1_i32_load8_u
    if
    local.get $cached
    local.get $t
    call $%getl1_i32_load8_u
    i32.eqz
    if
    local.get $cache
    local.get $keys
    local.get $t
    call $%getl4_i32_load
    call $kernel_py.text.to_hex
    call $concat
    local.tee $%g31
    i32.const 4
    i32.add
    local.get $%g31
    i32.load
    i32.const 0
    local.get $key_points
    local.get $t
    call $%getl4_i32_load
    i32.load offset=0
    call $kernel_py.crypto.ed25519._fe_tobytes
    local.tee $%g32
    i32.const 4
    i32.add
    local.get $%g32
    i32.load
    call $host.store_write
    i64.extend_i32_s
    drop
    local.get $cached
    local.get $t
    i32.const 1
    call $%setl1_i32_store8
    end
    end
    local.get $%t4
    i64.const 1
    i64.add
    local.tee $%t4
    local.get $%g30
    i64.lt_s
    br_if $L21
    end
    end
    end
    local.get $ok
  )
  (func $kernel_py.crypto.ed25519._decode_checked (param $r i32) (param $s i32) (param $hint i32) (result i32)
    (local $i31%t1 i32) (local $i31%t0 i32) (local $vxx i32) (local $u i32) (local $check i32) (local $v i32) (local $v3 i32) (local $low i32) (local $i31%t2 i32) (local $hinted i32) (local $i31%z i32) (local $all_ff i32) (local $sign i32) (local $i31%h i32) (local $i i64)
    local.get $s
    i64.const 31
    call $%getb1_i32_load8_u
    i32.const 127
    i32.and
    i32.const 127
    i32.eq
    if
    local.get $s
    i32.load8_u offset=4
    i32.const 237
    i32.ge_u
    if
    i32.const 1
    local.set $all_ff
    i64.const 1
    local.set $i
    loop $L2
    local.get $s
    local.get $i
    i32.wrap_i64
    i32.add
    i32.load8_u offset=4
    i32.const 255
    i32.ne
    if
    i32.const 0
    local.set $all_ff
    end
    local.get $i
    i64.const 1
    i64.add
    local.tee $i
    i64.const 31
    i64.lt_s
    br_if $L2
    end
    local.get $all_ff
    if
    i32.const 0
    return
    end
    end
    end
    local.get $s
    i32.load8_u offset=35
    i64.const 7
    i32.wrap_i64
    i32.shr_u
    local.set $sign
    call $kernel_py.crypto.ed25519._fe_new
    local.set $u
    call $kernel_py.crypto.ed25519._fe_new
    local.set $v
    call $kernel_py.crypto.ed25519._fe_new
    local.set $v3
    call $kernel_py.crypto.ed25519._fe_new
    local.set $vxx
    call $kernel_py.crypto.ed25519._fe_new
    local.set $check
    local.get $r
    i32.load offset=4
    local.get $s
    call $kernel_py.crypto.ed25519._fe_frombytes
    local.get $r
    i32.load offset=8
    i64.const 1
    call $kernel_py.crypto.ed25519._fe_set_small
    local.get $u
    local.get $r
    i32.load offset=4
    call $kernel_py.crypto.ed25519._fe_sq
    local.get $v
    local.get $u
    i32.const 2864
    call $kernel_py.crypto.ed25519._fe_mul
    local.get $check
    local.get $u
    local.get $u
    local.get $r
    i32.load offset=8
    call $kernel_py.crypto.ed25519._fe_addsub
    local.get $v
    local.get $check
    local.get $v
    local.get $r
    i32.load offset=8
    call $kernel_py.crypto.ed25519._fe_addsub
    local.get $hint
    i32.load
    i32.const 32
    i32.eq
    local.tee $hinted
    if
    local.get $r
    i32.load offset=0
    local.get $hint
    call $kernel_py.crypto.ed25519._fe_frombytes
    end
    block $B4
    loop $L5
    local.get $hinted
    i32.eqz
    if
    local.get $v3
    local.get $v
    call $kernel_py.crypto.ed25519._fe_sq
    local.get $v3
    local.get $v3
    local.get $v
    call $kernel_py.crypto.ed25519._fe_mul
    local.get $r
    i32.load offset=0
    local.get $v3
    call $kernel_py.crypto.ed25519._fe_sq
    local.get $r
    i32.load offset=0
    local.get $r
    i32.load offset=0
    local.get $v
    call $kernel_py.crypto.ed25519._fe_mul
    local.get $r
    i32.load offset=0
    local.get $r
    i32.load offset=0
    local.get $u
    call $kernel_py.crypto.ed25519._fe_mul
    local.get $r
    i32.load offset=0
    local.set $i31%h
    local.get $r
    i32.load offset=0
    local.set $i31%z
    call $kernel_py.crypto.ed25519._fe_new
    local.set $i31%t0
    call $kernel_py.crypto.ed25519._fe_new
    local.set $i31%t1
    call $kernel_py.crypto.ed25519._fe_new
    local.set $i31%t2
    local.get $i31%t0
    local.get $i31%z
    call $kernel_py.crypto.ed25519._fe_sq
    local.get $i31%t1
    local.get $i31%t0
    i64.const 2
    call $kernel_py.crypto.ed25519._fe_sq_times
    local.get $i31%t1
    local.get $i31%z
    local.get $i31%t1
    call $kernel_py.crypto.ed25519._fe_mul
    local.get $i31%t0
    local.get $i31%t0
    local.get $i31%t1
    call $kernel_py.crypto.ed25519._fe_mul
    local.get $i31%t0
    local.get $i31%t0
    call $kernel_py.crypto.ed25519._fe_sq
    local.get $i31%t0
    local.get $i31%t1
    local.get $i31%t0
    call $kernel_py.crypto.ed25519._fe_mul
    local.get $i31%t1
    local.get $i31%t0
    i64.const 5
    call $kernel_py.crypto.ed25519._fe_sq_times
    local.get $i31%t0
    local.get $i31%t1
    local.get $i31%t0
    call $kernel_py.crypto.ed25519._fe_mul
    local.get $i31%t1
    local.get $i31%t0
    i64.const 10
    call $kernel_py.crypto.ed25519._fe_sq_times
    local.get $i31%t1
    local.get $i31%t1
    local.get $i31%t0
    call $kernel_py.crypto.ed25519._fe_mul
    local.get $i31%t2
    local.get $i31%t1
    i64.const 20
    call $kernel_py.crypto.ed25519._fe_sq_times
    local.get $i31%t1
    local.get $i31%t2
    local.get $i31%t1
    call $kernel_py.crypto.ed25519._fe_mul
    local.get $i31%t1
    local.get $i31%t1
    i64.const 10
    call $kernel_py.crypto.ed25519._fe_sq_times
    local.get $i31%t0
    local.get $i31%t1
    local.get $i31%t0
    call $kernel_py.crypto.ed25519._fe_mul
    local.get $i31%t1
    local.get $i31%t0
    i64.const 50
    call $kernel_py.crypto.ed25519._fe_sq_times
    local.get $i31%t1
    local.get $i31%t1
    local.get $i31%t0
    call $kernel_py.crypto.ed25519._fe_mul
    local.get $i31%t2
    local.get $i31%t1
    i64.const 100
    call $kernel_py.crypto.ed25519._fe_sq_times
    local.get $i31%t1
    local.get $i31%t2
    local.get $i31%t1
    call $kernel_py.crypto.ed25519._fe_mul
    local.get $i31%t1
    local.get $i31%t1
    i64.const 50
    call $kernel_py.crypto.ed25519._fe_sq_times
    local.get $i31%t0
    local.get $i31%t1
    local.get $i31%t0
    call $kernel_py.crypto.ed25519._fe_mul
    local.get $i31%t0
    local.get $i31%t0
    i64.const 2
    call $kernel_py.crypto.ed25519._fe_sq_times
    local.get $i31%h
    local.get $i31%t0
    local.get $i31%z
    call $kernel_py.crypto.ed25519._fe_mul
    local.get $r
    i32.load offset=0
    local.get $r
    i32.load offset=0
    local.get $v3
    call $kernel_py.crypto.ed25519._fe_mul
    local.get $r
    i32.load offset=0
    local.get $r
    i32.load offset=0
    local.get $u
    call $kernel_py.crypto.ed25519._fe_mul
    end
    local.get $vxx
    local.get $r
    i32.load offset=0
    call $kernel_py.crypto.ed25519._fe_sq
    local.get $vxx
    local.get $vxx
    local.get $v
    call $kernel_py.crypto.ed25519._fe_mul
    local.get $r
    i32.load offset=12
    local.get $check
    local.get $vxx
    local.get $u
    call $kernel_py.crypto.ed25519._fe_addsub
    local.get $check
    call $kernel_py.crypto.ed25519._fe_is_zero
    i32.eqz
    if
    local.get $r
    i32.load offset=12
    call $kernel_py.crypto.ed25519._fe_is_zero
    i32.eqz
    if
    local.get $hinted
    i32.eqz
    if
    i32.const 0
    return
    end
    i32.const 0
    local.set $hinted
    br $L5
    end
    local.get $r
    i32.load offset=0
    local.get $r
    i32.load offset=0
    i32.const 2960
    call $kernel_py.crypto.ed25519._fe_mul
    end
    br $B4
    br $L5
    end
    end
    local.get $check
    local.get $r
    i32.load offset=0
    call $kernel_py.crypto.ed25519._fe_canonical
    i64.eqz
    if
    local.get $sign
    i32.const 1
    i32.eq
    if
    i32.const 0
    return
    end
    else
    local.get $check
    i64.const 0
    call $%getl8_i64_load
    i64.const 1
    i64.and
    local.get $sign
    i64.extend_i32_u
    i64.eq
    if
    local.get $check
    i64.const 0
    call $kernel_py.crypto.ed25519._fe_set_small
    local.get $vxx
    local.get $r
    i32.load offset=0
    local.get $check
    local.get $r
    i32.load offset=0
    call $kernel_py.crypto.ed25519._fe_addsub
    end
    end
    local.get $r
    i32.load offset=12
    local.get $r
    i32.load offset=0
    local.get $r
    i32.load offset=4
    call $kernel_py.crypto.ed25519._fe_mul
    local.get $s
    i64.load32_u offset=4
    i32.wrap_i64
    local.tee $low
    i32.eqz
    local.get $low
    i32.const 1
    i32.eq
    i32.or
    local.get $low
    i32.const -20
    i32.eq
    i32.or
    local.get $low
    i32.const -1886001114
    i32.eq
    i32.or
    local.get $low
    i32.const 1886001095
    i32.eq
    i32.or
    i32.eqz
    if
    i32.const 1
    return
    end
    local.get $vxx
    local.get $check
    local.get $u
    local.get $r
    i32.load offset=8
    call $kernel_py.crypto.ed25519._fe_addsub
    local.get $vxx
    local.get $vxx
    local.get $v
    call $kernel_py.crypto.ed25519._fe_mul
    local.get $vxx
    local.get $check
    local.get $vxx
    local.get $u
    call $kernel_py.crypto.ed25519._fe_addsub
    local.get $vxx
    local.get $vxx
    local.get $u
    call $kernel_py.crypto.ed25519._fe_mul
    local.get $vxx
    local.get $vxx
    local.get $r
    i32.load offset=4
    call $kernel_py.crypto.ed25519._fe_mul
    local.get $vxx
    call $kernel_py.crypto.ed25519._fe_is_zero
    i32.eqz
  )
  (func $kernel_py.crypto.ed25519._scalar_product (param $a i32) (param $b i32) (result i32)
    (local $x i32) (local $y i32) (local $product i32)
    call $kernel_py.crypto.ed25519._scalar_limbs
    local.set $x
    call $kernel_py.crypto.ed25519._scalar_limbs
    local.set $y
    call $kernel_py.crypto.ed25519._scalar_limbs
    local.set $product
    local.get $x
    local.get $a
    call $kernel_py.crypto.ed25519._limbs_from_bytes
    local.get $y
    local.get $b
    call $kernel_py.crypto.ed25519._limbs_from_bytes
    local.get $product
    local.get $x
    local.get $y
    call $kernel_py.crypto.ed25519._mul_add_limbs
    local.get $product
  )
  (func $kernel_py.crypto.ed25519._odd_multiples (param $tables i32) (param $at i64) (param $p i32)
    (local $t i32) (local $twice i32) (local $u i32) (local $t0 i32) (local $k i64)
    call $kernel_py.crypto.ed25519._point_new
    local.set $t
    call $kernel_py.crypto.ed25519._point_new
    local.set $twice
    call $kernel_py.crypto.ed25519._point_new
    local.set $u
    call $kernel_py.crypto.ed25519._fe_new
    local.set $t0
    local.get $tables
    local.get $at
    call $%getl4_i32_load
    local.get $p
    call $kernel_py.crypto.ed25519._p3_to_cached
    local.get $t
    local.get $p
    local.get $t0
    call $kernel_py.crypto.ed25519._p2_dbl
    local.get $twice
    local.get $t
    call $kernel_py.crypto.ed25519._p1p1_to_p3
    i64.const 1
    local.set $k
    loop $L2
    local.get $t
    local.get $twice
    local.get $tables
    local.get $at
    local.get $k
    call $%add_s64
    i64.const 1
    i64.sub
    call $%getl4_i32_load
    local.get $t0
    i32.const 0
    i32.const 0
    call $kernel_py.crypto.ed25519._add_point
    local.get $u
    local.get $t
    call $kernel_py.crypto.ed25519._p1p1_to_p3
    local.get $tables
    local.get $at
    local.get $k
    call $%add_s64
    call $%getl4_i32_load
    local.get $u
    call $kernel_py.crypto.ed25519._p3_to_cached
    local.get $k
    i64.const 1
    i64.add
    local.tee $k
    i64.const 8
    i64.lt_s
    br_if $L2
    end
  )
  (func $kernel_py.crypto.ed25519._subset_sum (param $e i32) (param $b i32) (param $lo i64) (param $hi i64)
    (local $key_sum i32) (local $slots i32) (local $nafs i32) (local $base i32) (local $naf i32) (local $base_naf i32) (local $acc i32) (local $%g2 i32) (local $j i64) (local $t i64) (local $%g1 i64)
    call $%empty8
    local.set $slots
    call $%empty4
    local.set $nafs
    call $kernel_py.crypto.ed25519._scalar_limbs
    local.set $base
    call $kernel_py.crypto.ed25519._scalar_limbs
    local.set $key_sum
    local.get $lo
    local.set $j
    local.get $hi
    local.set $%g1
    block $B1
    local.get $j
    local.get $%g1
    i64.ge_s
    br_if $B1
    loop $L2
    local.get $slots
    local.get $j
    call $%append8
    local.get $b
    i32.load offset=4
    local.get $j
    call $%getl4_i32_load
    local.set $%g2
    local.get $nafs
    local.get $%g2
    call $%append4
    local.get $base
    local.get $b
    i32.load offset=12
    local.get $j
    call $%getl4_i32_load
    call $kernel_py.crypto.ed25519._add_limbs
    local.get $key_sum
    local.get $b
    i32.load offset=16
    local.get $j
    call $%getl4_i32_load
    call $kernel_py.crypto.ed25519._add_limbs
    local.get $b
    i32.load offset=8
    local.get $j
    call $%getl8_i64_load
    local.set $t
    local.get $j
    local.get $hi
    call $%sub1_s64
    i64.eq
    if (result i32)
    i32.const 1
    else
    local.get $b
    i32.load offset=8
    local.get $j
    i64.const 1
    i64.add
    call $%getl8_i64_load
    local.get $t
    i64.ne
    end
    if
    i32.const 256
    i32.const 8
    call $list_new
    local.set $naf
    local.get $key_sum
    i64.const 19
    call $kernel_py.crypto.ed25519._carry28
    local.get $naf
    i64.const 0
    i64.const 1
    local.get $key_sum
    call $kernel_py.crypto.ed25519._reduce_limbs
    call $kernel_py.crypto.ed25519._wnaf
    call $kernel_py.crypto.ed25519._scalar_limbs
    local.set $key_sum
    local.get $slots
    local.get $t
    call $%append8
    local.get $nafs
    local.get $naf
    call $%append4
    end
    local.get $j
    i64.const 1
    i64.add
    local.tee $j
    local.get $%g1
    i64.lt_s
    br_if $L2
    end
    end
    local.get $base
    i64.const 19
    call $kernel_py.crypto.ed25519._carry28
    i32.const 256
    i32.const 8
    call $list_new
    local.tee $base_naf
    i64.const 0
    i64.const 1
    local.get $base
    call $kernel_py.crypto.ed25519._reduce_limbs
    call $kernel_py.crypto.ed25519._wnaf
    call $kernel_py.crypto.ed25519._point_new
    local.tee $acc
    local.get $slots
    local.get $nafs
    local.get $b
    i32.load offset=0
    local.get $base_naf
    call $kernel_py.crypto.ed25519._straus
    local.get $e
    local.get $acc
    call $kernel_py.crypto.ed25519._p1p1_to_p3
  )
  (func $kernel_py.crypto.ed25519._add_limbs (param $acc i32) (param $x i32)
    (local $k i64) (local $%g1 i64)
    loop $L2
    local.get $acc
    local.get $k
    call $%getl8_i64_load
    local.get $x
    local.get $k
    call $%getl8_i64_load
    i64.add
    local.set $%g1
    local.get $acc
    local.get $k
    local.get $%g1
    call $%setl8_i64_store
    local.get $k
    i64.const 1
    i64.add
    local.tee $k
    i64.const 19
    i64.lt_s
    br_if $L2
    end
  )
  (func $kernel_py.crypto.ed25519._carry_pass (param $h i32)
    (local $%g4 i32) (local $i i64) (local $c i64) (local $width i64) (local $%g2 i64) (local $%g3 i64)
    local.get $h
    i32.load offset=8
    drop
    loop $L2
    i64.const 26
    local.get $i
    i64.const 1
    i64.and
    i64.sub
    local.set $width
    local.get $h
    local.get $i
    call $%getl8_i64_load
    local.get $width
    i64.shr_s
    local.set $c
    local.get $h
    local.get $i
    i64.const 1
    i64.add
    call $%getl8_i64_load
    local.get $c
    i64.add
    local.set $%g2
    local.get $h
    local.get $i
    i64.const 1
    i64.add
    local.get $%g2
    call $%setl8_i64_store
    local.get $h
    local.get $i
    call $%getl8_i64_load
    i64.const 1
    local.get $width
    i64.shl
    i64.const 1
    i64.sub
    i64.and
    local.set $%g3
    local.get $h
    local.get $i
    local.get $%g3
    call $%setl8_i64_store
    local.get $i
    i64.const 1
    i64.add
    local.tee $i
    i64.const 9
    i64.lt_s
    br_if $L2
    end
    local.get $h
    i32.const 9
    call $%need
    local.get $h
    i32.load offset=8
    local.tee $%g4
    i64.load offset=72
    i64.const 25
    i64.shr_s
    local.set $c
    local.get $%g4
    local.get $%g4
    i64.load offset=72
    i64.const 33554431
    i64.and
    i64.store offset=72
    local.get $%g4
    local.get $%g4
    i64.load offset=0
    local.get $c
    i64.const 19
    i64.mul
    i64.add
    i64.store offset=0
  )
  (func $kernel_py.crypto.ed25519._scalar_is_canonical (param $s i32) (result i32)
    (local $i i64)
    i64.const 31
    local.set $i
    loop $L2
    local.get $s
    local.get $i
    call $%getb1_i32_load8_u
    local.get $i
    i32.wrap_i64
    i32.load8_u offset=2724
    i32.lt_u
    if
    i32.const 1
    return
    end
    local.get $s
    local.get $i
    call $%getb1_i32_load8_u
    local.get $i
    i32.wrap_i64
    i32.load8_u offset=2724
    i32.gt_u
    if
    i32.const 0
    return
    end
    local.get $i
    i64.const -1
    i64.add
    local.tee $i
    i64.const -1
    i64.gt_s
    br_if $L2
    end
    i32.const 0
  )
  (func $kernel_py.crypto.ed25519._find_key (param $keys i32) (param $public_key i32) (result i64)
    (local $t i64) (local $%g1 i64)
    local.get $keys
    i32.load
    i64.extend_i32_u
    local.set $%g1
    block $B1
    local.get $t
    local.get $%g1
    i64.ge_s
    br_if $B1
    loop $L2
    local.get $keys
    local.get $t
    call $%getl4_i32_load
    local.get $public_key
    call $bytes_eq
    if
    local.get $t
    return
    end
    local.get $t
    i64.const 1
    i64.add
    local.tee $t
    local.get $%g1
    i64.lt_s
    br_if $L2
    end
    end
    i64.const -1
  )
  (func $kernel_py.crypto.ed25519._bisect (param $ok i32) (param $b i32) (param $total i32)
    (local $i32%r i32) (local $i32%t i32) (local $i32%t0 i32) (local $rest i32) (local $los i32) (local $part i32) (local $his i32) (local $sums i32) (local $i33%cached i32) (local $i33%t i32) (local $i33%t0 i32) (local $%g1 i32) (local $%g3 i32) (local $%g5 i32) (local $parts i64) (local $lo i64) (local $p i64) (local $q i64) (local $hi i64) (local $j i64) (local $start i64) (local $stop i64) (local $%g7 i64) (local $%g8 i64) (local $%g9 i64) (local $%g10 i64) (local $%g11 i64)
    block $%trap
    i32.const 1
    i32.const 8
    call $list_new
    local.tee $%g1
    i32.load offset=8
    drop
    local.get $%g1
    local.set $los
    i32.const 1
    i32.const 8
    call $list_new
    local.tee $%g3
    i32.load offset=8
    local.get $b
    i32.load offset=20
    i32.load
    i64.extend_i32_u
    i64.store offset=0
    local.get $%g3
    local.set $his
    i32.const 1
    i32.const 4
    call $list_new
    local.tee $%g5
    i32.load offset=8
    local.get $total
    i32.store offset=0
    local.get $%g5
    local.set $sums
    local.get $b
    i32.load offset=20
    i32.load
    i64.extend_i32_u
    i64.const 4
    i64.shr_u
    local.set $%g7
    i64.const 2
    local.get $%g7
    i64.const 2
    local.get $%g7
    i64.gt_s
    select
    local.set $parts
    block $B1
    loop $L2
    local.get $q
    local.get $los
    i32.load
    i64.extend_i32_u
    i64.lt_s
    i32.eqz
    br_if $B1
    local.get $los
    local.get $q
    call $%getl8_i64_load
    local.set $lo
    local.get $his
    local.get $q
    call $%getl8_i64_load
    local.set $hi
    local.get $sums
    local.get $q
    call $%getl4_i32_load
    local.set $rest
    local.get $q
    call $%add1_s64
    local.set $q
    call $kernel_py.crypto.ed25519._point_new
    local.set $i32%t
    call $kernel_py.crypto.ed25519._point_new
    local.set $i32%r
    call $kernel_py.crypto.ed25519._fe_new
    local.set $i32%t0
    local.get $i32%t
    local.get $rest
    local.get $i32%t0
    call $kernel_py.crypto.ed25519._p2_dbl
    local.get $i32%r
    local.get $i32%t
    call $kernel_py.crypto.ed25519._p1p1_to_p2
    local.get $i32%t
    local.get $i32%r
    local.get $i32%t0
    call $kernel_py.crypto.ed25519._p2_dbl
    local.get $i32%r
    local.get $i32%t
    call $kernel_py.crypto.ed25519._p1p1_to_p2
    local.get $i32%t
    local.get $i32%r
    local.get $i32%t0
    call $kernel_py.crypto.ed25519._p2_dbl
    local.get $i32%r
    local.get $i32%t
    call $kernel_py.crypto.ed25519._p1p1_to_p2
    local.get $i32%r
    i32.load offset=12
    local.get $i32%t0
    local.get $i32%r
    i32.load offset=4
    local.get $i32%r
    i32.load offset=8
    call $kernel_py.crypto.ed25519._fe_addsub
    local.get $i32%r
    i32.load offset=0
    call $kernel_py.crypto.ed25519._fe_is_zero
    if (result i32)
    local.get $i32%t0
    call $kernel_py.crypto.ed25519._fe_is_zero
    else
    i32.const 0
    end
    if
    local.get $lo
    local.set $j
    local.get $hi
    local.set $%g8
    block $B4
    local.get $j
    local.get $%g8
    i64.ge_s
    br_if $B4
    loop $L5
    local.get $ok
    local.get $b
    i32.load offset=20
    local.get $j
    call $%getl8_i64_load
    i32.const 1
    call $%setl1_i32_store8
    local.get $j
    i64.const 1
    i64.add
    local.tee $j
    local.get $%g8
    i64.lt_s
    br_if $L5
    end
    end
    else
    local.get $hi
    local.get $lo
    call $%sub_s64
    i64.const 1
    i64.gt_s
    if
    i64.const 0
    local.set $p
    local.get $parts
    local.set $%g9
    block $B7
    local.get $p
    local.get $%g9
    i64.ge_s
    br_if $B7
    loop $L8
    local.get $lo
    local.get $hi
    local.get $lo
    call $%sub_s64
    local.get $p
    call $%mul_s64
    local.set $%g10
    local.get $parts
    i64.eqz
    local.get $parts
    i64.const 0
    i64.lt_s
    i32.or
    local.get $%g10
    i64.const 0
    i64.lt_s
    i32.or
    br_if $%trap
    local.get $%g10
    local.get $parts
    i64.div_u
    call $%add_s64
    local.set $start
    local.get $lo
    local.get $hi
    local.get $lo
    call $%sub_s64
    local.get $p
    i64.const 1
    i64.add
    call $%mul_s64
    local.set $%g11
    local.get $parts
    i64.eqz
    local.get $parts
    i64.const 0
    i64.lt_s
    i32.or
    local.get $%g11
    i64.const 0
    i64.lt_s
    i32.or
    br_if $%trap
    local.get $%g11
    local.get $parts
    i64.div_u
    call $%add_s64
    local.set $stop
    local.get $rest
    local.set $part
    local.get $p
    local.get $parts
    call $%sub1_s64
    i64.lt_s
    if
    call $kernel_py.crypto.ed25519._point_new
    local.tee $part
    local.get $b
    local.get $start
    local.get $stop
    call $kernel_py.crypto.ed25519._subset_sum
    call $kernel_py.crypto.ed25519._point_new
    local.set $i33%cached
    call $kernel_py.crypto.ed25519._point_new
    local.set $i33%t
    call $kernel_py.crypto.ed25519._fe_new
    local.set $i33%t0
    local.get $i33%cached
    local.get $part
    call $kernel_py.crypto.ed25519._p3_to_cached
    local.get $i33%t
    local.get $rest
    local.get $i33%cached
    local.get $i33%t0
    i32.const 1
    i32.const 0
    call $kernel_py.crypto.ed25519._add_point
    local.get $rest
    local.get $i33%t
    call $kernel_py.crypto.ed25519._p1p1_to_p3
    end
    local.get $los
    local.get $start
    call $%append8
    local.get $his
    local.get $stop
    call $%append8
    local.get $sums
    local.get $part
    call $%append4
    local.get $p
    i64.const 1
    i64.add
    local.tee $p
    local.get $%g9
    i64.lt_s
    br_if $L8
    end
    end
    i64.const 2
    local.set $parts
    end
    end
    br $L2
    end
    end
    return
    end
    unreachable
  )
  (func $kernel_py.crypto.ed25519._fe_tobytes (param $f i32) (result i32)
    (local $out i32) (local $h i32) (local $bits i64) (local $acc i64) (local $i i64) (local $pos i64) (local $%g1 i64) (local $%g3 i64)
    block $%trap
    call $kernel_py.crypto.ed25519._fe_new
    local.tee $h
    local.get $f
    call $kernel_py.crypto.ed25519._fe_canonical
    drop
    i64.const 32
    call $bytes_new64
    local.set $out
    loop $L2
    local.get $acc
    local.get $bits
    i64.const 64
    i64.ge_u
    br_if $%trap
    local.get $h
    local.get $i
    call $%getl8_i64_load
    call $%cv_int_u64
    local.tee $%g1
    local.get $bits
    i64.shl
    local.tee $%g3
    local.get $bits
    i64.shr_u
    local.get $%g1
    i64.ne
    br_if $%trap
    local.get $%g3
    i64.or
    local.set $acc
    local.get $bits
    i64.const 26
    local.get $i
    i64.const 1
    i64.and
    i64.sub
    call $%add_s64
    local.set $bits
    block $B4
    loop $L5
    local.get $bits
    i64.const 8
    i64.ge_s
    i32.eqz
    br_if $B4
    local.get $out
    local.get $pos
    local.get $acc
    i32.wrap_i64
    i32.const 255
    i32.and
    call $%setb1_i32_store8
    local.get $acc
    i64.const 8
    i64.shr_u
    local.set $acc
    local.get $bits
    i64.const 8
    call $%sub_s64
    local.set $bits
    local.get $pos
    call $%add1_s64
    local.set $pos
    br $L5
    end
    end
    local.get $i
    i64.const 1
    i64.add
    local.tee $i
    i64.const 10
    i64.lt_s
    br_if $L2
    end
    local.get $out
    local.get $acc
    i32.wrap_i64
    i32.const 255
    i32.and
    i32.store8 offset=35
    local.get $out
    call $bytes_copy
    return
    unreachable
    end
    unreachable
  )
  (func $kernel_py.crypto.ed25519._mul_add_limbs (param $acc i32) (param $a i32) (param $b i32)
    (local $j i64) (local $i i64) (local $ai i64) (local $%g1 i64)
    loop $L2
    local.get $a
    local.get $i
    call $%getl8_i64_load
    local.tee $ai
    i64.eqz
    i32.eqz
    if
    i64.const 0
    local.set $j
    loop $L5
    local.get $acc
    local.get $i
    local.get $j
    i64.add
    call $%getl8_i64_load
    local.get $ai
    local.get $b
    local.get $j
    call $%getl8_i64_load
    i64.mul
    i64.add
    local.set $%g1
    local.get $acc
    local.get $i
    local.get $j
    i64.add
    local.get $%g1
    call $%setl8_i64_store
    local.get $j
    i64.const 1
    i64.add
    local.tee $j
    i64.const 10
    i64.lt_s
    br_if $L5
    end
    end
    local.get $i
    i64.const 1
    i64.add
    local.tee $i
    i64.const 10
    i64.lt_s
    br_if $L2
    end
    local.get $acc
    i64.const 19
    call $kernel_py.crypto.ed25519._carry28
  )
  (func $kernel_py.crypto.ed25519._straus (param $acc i32) (param $slots i32) (param $nafs i32) (param $tables i32) (param $base_naf i32)
    (local $u i32) (local $t0 i32) (local $r i32) (local $base i32) (local $digit i64) (local $k i64) (local $i i64) (local $%g1 i64) (local $%g2 i64) (local $%g3 i64)
    call $kernel_py.crypto.ed25519._base_table
    local.set $base
    call $kernel_py.crypto.ed25519._point_new
    local.set $r
    call $kernel_py.crypto.ed25519._point_new
    local.set $u
    call $kernel_py.crypto.ed25519._fe_new
    local.set $t0
    local.get $acc
    i32.load offset=0
    i64.const 0
    call $kernel_py.crypto.ed25519._fe_set_small
    local.get $acc
    i32.load offset=4
    i64.const 1
    call $kernel_py.crypto.ed25519._fe_set_small
    local.get $acc
    i32.load offset=8
    i64.const 1
    call $kernel_py.crypto.ed25519._fe_set_small
    local.get $acc
    i32.load offset=12
    i64.const 1
    call $kernel_py.crypto.ed25519._fe_set_small
    i64.const 255
    local.set $i
    loop $L2
    local.get $r
    local.get $acc
    call $kernel_py.crypto.ed25519._p1p1_to_p2
    local.get $acc
    local.get $r
    local.get $t0
    call $kernel_py.crypto.ed25519._p2_dbl
    i64.const 0
    local.set $k
    local.get $slots
    i32.load
    i64.extend_i32_u
    local.set $%g1
    block $B4
    local.get $k
    local.get $%g1
    i64.ge_s
    br_if $B4
    loop $L5
    local.get $nafs
    local.get $k
    call $%getl4_i32_load
    local.get $i
    call $%getl8_i64_load
    local.tee $digit
    i64.eqz
    i32.eqz
    if
    local.get $u
    local.get $acc
    call $kernel_py.crypto.ed25519._p1p1_to_p3
    local.get $acc
    local.get $u
    local.get $tables
    i64.const 8
    local.get $slots
    local.get $k
    call $%getl8_i64_load
    call $%mul_s64
    i64.const 0
    local.get $digit
    call $%sub_s64
    local.set $%g2
    local.get $digit
    local.get $%g2
    local.get $digit
    local.get $%g2
    i64.gt_s
    select
    i64.const 1
    i64.shr_s
    call $%add_s64
    call $%getl4_i32_load
    local.get $t0
    local.get $digit
    i64.const 0
    i64.lt_s
    i32.const 0
    call $kernel_py.crypto.ed25519._add_point
    end
    local.get $k
    i64.const 1
    i64.add
    local.tee $k
    local.get $%g1
    i64.lt_s
    br_if $L5
    end
    end
    local.get $base_naf
    local.get $i
    call $%getl8_i64_load
    local.tee $digit
    i64.eqz
    i32.eqz
    if
    local.get $u
    local.get $acc
    call $kernel_py.crypto.ed25519._p1p1_to_p3
    local.get $acc
    local.get $u
    local.get $base
    i64.const 0
    local.get $digit
    call $%sub_s64
    local.set $%g3
    local.get $digit
    local.get $%g3
    local.get $digit
    local.get $%g3
    i64.gt_s
    select
    i64.const 1
    i64.shr_s
    call $%getl4_i32_load
    local.get $t0
    local.get $digit
    i64.const 0
    i64.lt_s
    i32.const 1
    call $kernel_py.crypto.ed25519._add_point
    end
    local.get $i
    i64.const -1
    i64.add
    local.tee $i
    i64.const -1
    i64.gt_s
    br_if $L2
    end
  )
  (func $kernel_py.crypto.ed25519._fe_copy (param $h i32) (param $f i32)
    (local $i i64) (local $%g1 i64)
    loop $L2
    local.get $f
    local.get $i
    call $%getl8_i64_load
    local.set $%g1
    local.get $h
    local.get $i
    local.get $%g1
    call $%setl8_i64_store
    local.get $i
    i64.const 1
    i64.add
    local.tee $i
    i64.const 10
    i64.lt_s
    br_if $L2
    end
  )
  (func $kernel_py.crypto.ed25519._base_table (result i32)
    (local $e i32) (local $table i32) (local $t0 i32) (local $k i64)
    call $%empty4
    local.set $table
    call $kernel_py.crypto.ed25519._fe_new
    local.set $t0
    loop $L2
    call $kernel_py.crypto.ed25519._point_new
    local.tee $e
    i32.load offset=0
    i32.const 4152
    i64.const 64
    local.get $k
    i64.mul
    i32.wrap_i64
    i64.const 64
    local.get $k
    i64.mul
    i64.const 32
    i64.add
    i32.wrap_i64
    call $slice
    call $kernel_py.crypto.ed25519._fe_frombytes
    local.get $e
    i32.load offset=4
    i32.const 4152
    i64.const 64
    local.get $k
    i64.mul
    i64.const 32
    i64.add
    i32.wrap_i64
    i64.const 64
    local.get $k
    i64.mul
    i64.const 64
    i64.add
    i32.wrap_i64
    call $slice
    call $kernel_py.crypto.ed25519._fe_frombytes
    local.get $e
    i32.load offset=12
    local.get $e
    i32.load offset=0
    call $kernel_py.crypto.ed25519._fe_sq
    local.get $t0
    local.get $e
    i32.load offset=4
    call $kernel_py.crypto.ed25519._fe_sq
    local.get $e
    i32.load offset=8
    local.get $e
    i32.load offset=12
    local.get $e
    i32.load offset=12
    local.get $t0
    call $kernel_py.crypto.ed25519._fe_addsub
    local.get $e
    i32.load offset=12
    local.get $e
    i32.load offset=12
    i32.const 4752
    call $kernel_py.crypto.ed25519._fe_mul
    local.get $table
    local.get $e
    call $%append4
    local.get $k
    i64.const 1
    i64.add
    local.tee $k
    i64.const 8
    i64.lt_s
    br_if $L2
    end
    local.get $table
  )
