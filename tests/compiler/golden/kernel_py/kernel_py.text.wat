  (func $kernel_py.text.to_decimal (param $value i64) (result i32)
    (local $digits i32) (local $%g1 i32) (local $v i64) (local $n i64)
    local.get $value
    i64.eqz
    if
    i32.const 976
    return
    end
    i64.const 20
    call $bytes_new64
    local.set $digits
    local.get $value
    local.set $v
    block $B1
    loop $L2
    local.get $v
    i64.const 0
    i64.gt_u
    i32.eqz
    br_if $B1
    i64.const 52
    local.get $v
    i64.const 10
    i64.rem_u
    i64.add
    i32.wrap_i64
    i32.load8_u offset=985
    local.set $%g1
    local.get $digits
    i64.const 19
    local.get $n
    call $%sub_s64
    local.get $%g1
    call $%setb1_i32_store8
    local.get $v
    i64.const 10
    i64.div_u
    local.set $v
    local.get $n
    call $%add1_s64
    local.set $n
    br $L2
    end
    end
    local.get $digits
    i64.const 20
    local.get $n
    call $%sub_s64
    call $%bound
    i32.const 20
    call $slice
    call $bytes_copy
  )

(func $bytes_new64 (param $n i64) (result i32)
  (if (i64.lt_s (local.get $n) (i64.const 0)) (then unreachable))
  (if (i64.gt_u (local.get $n) (i64.const 0x40000000)) (then (call $fail (i32.const 0))))
  (call $bytes_new (i32.wrap_i64 (local.get $n))))
(func $%empty8 (result i32)
  (call $list_new (i32.const 0) (i32.const 8)))
(func $%from_be (param $s i32) (param $lo i32) (param $n i32) (result i64)
  (call $from_bytes (local.get $s) (local.get $lo) (local.get $n) (i32.const 1)))
  (func $kernel_py.text.to_hex (param $data i32) (result i32)
    (local $out i32) (local $%t1 i32) (local $b i32) (local $%g1 i32) (local $%g3 i32) (local $i i64)
    i64.const 2
    local.get $data
    i32.load
    i64.extend_i32_u
    i64.mul
    call $bytes_new64
    local.set $out
    block $B1
    loop $L2
    local.get $%t1
    local.get $data
    i32.load
    i32.ge_u
    br_if $B1
    local.get $data
    local.get $%t1
    i32.add
    i32.load8_u offset=4
    local.set $b
    local.get $b
    i64.const 4
    i32.wrap_i64
    i32.shr_u
    i32.load8_u offset=2296
    local.set $%g1
    local.get $out
    local.get $i
    local.get $%g1
    call $%setb1_i32_store8
    local.get $b
    i32.const 15
    i32.and
    i32.load8_u offset=2296
    local.set $%g3
    local.get $out
    local.get $i
    call $%add1_s64
    local.get $%g3
    call $%setb1_i32_store8
    local.get $i
    i64.const 2
    call $%add_s64
    local.set $i
    local.get $%t1
    i32.const 1
    i32.add
    local.set $%t1
    br $L2
    end
    end
    local.get $out
    call $bytes_copy
  )
(func $%from_be_all (param $s i32) (result i64)
  (call $%from_be (local.get $s) (i32.const 0) (i32.const 0x7fffffff)))
(func $%getl1_i32_load8_u (param $s i32) (param $i i64) (result i32)
  (if (i64.ge_u (local.get $i) (i64.extend_i32_u (i32.load (local.get $s)))) (then unreachable))
  (i32.add (i32.load offset=8 (local.get $s)) (i32.wrap_i64 (local.get $i)))
  i32.load8_u offset=0)
(func $%load_be (param $p i32) (param $n i32) (result i64) (local $v i64)
  (block $done (loop $l
    (br_if $done (i32.eqz (local.get $n)))
    (local.set $v (i64.or (i64.shl (local.get $v) (i64.const 8)) (i64.load8_u (local.get $p))))
    (local.set $p (i32.add (local.get $p) (i32.const 1)))
    (local.set $n (i32.sub (local.get $n) (i32.const 1)))
    (br $l)))
  (local.get $v))
  (func $kernel_py.text.to_b64 (param $data i32) (result i32)
    (local $padded i32) (local $out i32) (local $j i64) (local $i i64) (local $p i64) (local $w i64) (local $%g1 i64)
    i64.const 33
    call $bytes_new64
    local.tee $padded
    i32.const 0
    i32.const 32
    local.get $data
    call $set_slice
    i64.const 43
    call $bytes_new64
    local.set $out
    loop $L2
    i64.const 6
    local.get $j
    i64.mul
    local.tee $p
    i64.const 3
    i64.shr_s
    local.set $i
    local.get $padded
    local.get $i
    i32.wrap_i64
    i32.add
    i32.load8_u offset=4
    i64.extend_i32_u
    i64.const 8
    i64.shl
    local.get $i
    i64.const 1
    i64.add
    local.set $%g1
    local.get $padded
    local.get $%g1
    i32.wrap_i64
    i32.add
    i32.load8_u offset=4
    i64.extend_i32_u
    i64.or
    local.set $w
    local.get $out
    local.get $j
    i32.wrap_i64
    i32.add
    local.get $w
    i64.const 10
    local.get $p
    i64.const 7
    i64.and
    i64.sub
    i64.shr_s
    i64.const 63
    i64.and
    i32.wrap_i64
    i32.load8_u offset=985
    i32.store8 offset=4
    local.get $j
    i64.const 1
    i64.add
    local.tee $j
    i64.const 43
    i64.lt_s
    br_if $L2
    end
    local.get $out
    call $bytes_copy
  )
