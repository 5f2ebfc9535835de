  (func $kernel_py.text.to_decimal (param $value i64) (result i32)
    (local $digits i32) (local $%g1 i32) (local $v i64) (local $n i64)
    local.get $value
    i64.eqz
    if
    i32.const 974
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
    local.get $v
    i64.const 10
    i64.rem_u
    i32.wrap_i64
    i32.load8_u offset=983
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
    i32.load8_u offset=2142
    local.set $%g1
    local.get $out
    local.get $i
    local.get $%g1
    call $%setb1_i32_store8
    local.get $b
    i32.const 15
    i32.and
    i32.load8_u offset=2142
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
