  (func $kernel_py.crypto.blake2b.blake2b (param $data i32) (param $digest_size i64) (result i32)
    (local $%g2 i32) (local $m i32) (local $h i32) (local $last i32) (local $out i32) (local $%g1 i32) (local $%g4 i32) (local $%g5 i32) (local $%g7 i32) (local $off i64) (local $n i64) (local $i i64) (local $%g6 i64)
    local.get $digest_size
    i64.const 1
    i64.lt_s
    local.get $digest_size
    i64.const 64
    i64.gt_s
    i32.or
    if
    i32.const 4772
    i32.const 17
    call $host.write_debug
    unreachable
    unreachable
    end
    i32.const 8
    i32.const 8
    call $list_new
    local.tee $%g1
    i32.load offset=8
    local.tee $%g2
    i64.const 7640891576939301128
    local.get $digest_size
    call $%cv_int_u64
    i64.xor
    i64.store offset=0
    local.get $%g2
    i64.const -4942790177534073029
    i64.store offset=8
    local.get $%g2
    i64.const 4354685564936845355
    i64.store offset=16
    local.get $%g2
    i64.const -6534734903238641935
    i64.store offset=24
    local.get $%g2
    i64.const 5840696475078001361
    i64.store offset=32
    local.get $%g2
    i64.const -7276294671716946913
    i64.store offset=40
    local.get $%g2
    i64.const 2270897969802886507
    i64.store offset=48
    local.get $%g2
    i64.const 6620516959819538809
    i64.store offset=56
    local.get $%g1
    local.set $h
    i32.const 16
    i32.const 8
    call $list_new
    local.set $m
    local.get $data
    i32.load
    i64.extend_i32_u
    local.set $n
    block $B1
    loop $L2
    local.get $n
    local.get $off
    call $%sub_s64
    i64.const 128
    i64.gt_s
    i32.eqz
    br_if $B1
    local.get $m
    local.get $data
    local.get $off
    call $kernel_py.crypto.blake2b._load_block
    local.get $off
    i64.const 128
    call $%add_s64
    local.set $off
    local.get $h
    local.get $m
    local.get $off
    call $%cv_int_u64
    i32.const 0
    call $kernel_py.crypto.blake2b._compress
    br $L2
    end
    end
    local.get $n
    local.get $off
    call $%sub_s64
    i64.const 128
    i64.eq
    if
    local.get $m
    local.get $data
    local.get $off
    call $kernel_py.crypto.blake2b._load_block
    else
    i64.const 128
    call $bytes_new64
    local.set $last
    local.get $data
    local.get $off
    call $%bound
    local.get $n
    i32.wrap_i64
    call $slice
    local.set $%g4
    local.get $last
    i32.const 0
    local.get $n
    local.get $off
    call $%sub_s64
    call $%bound
    local.get $%g4
    call $set_slice
    local.get $m
    local.get $last
    i64.const 0
    call $kernel_py.crypto.blake2b._load_block
    end
    local.get $h
    local.get $m
    local.get $n
    i32.const 1
    call $kernel_py.crypto.blake2b._compress
    i64.const 64
    call $bytes_new64
    local.set $out
    i64.const 0
    local.set $i
    loop $L4
    local.get $h
    i32.load offset=8
    local.get $i
    i32.wrap_i64
    i32.const 3
    i32.shl
    i32.add
    i64.load offset=0
    local.set $%g6
    i32.const 8
    call $bytes_new
    local.tee $%g7
    local.get $%g6
    i64.store offset=4
    local.get $%g7
    local.set $%g5
    local.get $out
    i64.const 8
    local.get $i
    i64.mul
    i32.wrap_i64
    i64.const 8
    local.get $i
    i64.mul
    i64.const 8
    i64.add
    i32.wrap_i64
    local.get $%g5
    call $set_slice
    local.get $i
    i64.const 1
    i64.add
    local.tee $i
    i64.const 8
    i64.lt_s
    br_if $L4
    end
    local.get $out
    i32.const 0
    local.get $digest_size
    call $%bound
    call $slice
    call $bytes_copy
  )
  (func $kernel_py.crypto.blake2b._load_block (param $m i32) (param $data i32) (param $off i64)
    (local $i i64) (local $%g2 i64) (local $%g1 i64) (local $%g3 i64) (local $%g4 i64)
    block $%trap
    loop $L2
    i64.const 8
    local.get $i
    i64.mul
    local.set $%g3
    local.get $off
    local.get $%g3
    i64.add
    local.tee $%g4
    local.get $off
    i64.lt_s
    br_if $%trap
    local.get $%g4
    local.tee $%g2
    i64.const 0
    i64.lt_s
    br_if $%trap
    local.get $%g2
    i64.const 8
    i64.add
    local.get $data
    i32.load
    i64.extend_i32_u
    i64.le_u
    if (result i64)
    local.get $data
    local.get $%g2
    i32.wrap_i64
    i32.add
    i64.load offset=4
    else
    local.get $data
    local.get $%g2
    call $sat32
    i32.const 8
    i32.const 0
    call $from_bytes
    end
    local.set $%g1
    local.get $i
    local.get $m
    i32.load
    i64.extend_i32_u
    i64.ge_u
    br_if $%trap
    local.get $m
    i32.load offset=8
    local.get $i
    i32.wrap_i64
    i32.const 3
    i32.shl
    i32.add
    local.get $%g1
    i64.store offset=0
    local.get $i
    i64.const 1
    i64.add
    local.tee $i
    i64.const 16
    i64.lt_s
    br_if $L2
    end
    return
    end
    unreachable
  )
  (func $kernel_py.crypto.blake2b._compress (param $h i32) (param $m i32) (param $counter i64) (param $last i32)
    (local $s i32) (local $%g2 i32) (local $%g35 i32) (local $%g1 i32) (local $%g4 i32) (local $%g5 i32) (local $%g7 i32) (local $%g9 i32) (local $%g11 i32) (local $%g13 i32) (local $%g15 i32) (local $%g17 i32) (local $%g19 i32) (local $%g21 i32) (local $%g23 i32) (local $%g25 i32) (local $%g27 i32) (local $%g29 i32) (local $%g31 i32) (local $%g33 i32) (local $v4 i64) (local $v5 i64) (local $v6 i64) (local $v7 i64) (local $v14 i64) (local $v0 i64) (local $v1 i64) (local $v2 i64) (local $v3 i64) (local $v8 i64) (local $v9 i64) (local $v10 i64) (local $v11 i64) (local $v12 i64) (local $v13 i64) (local $v15 i64) (local $r i64)
    local.get $h
    i32.load
    i32.const 8
    i32.ne
    local.get $m
    i32.load
    i32.const 16
    i32.ne
    i32.or
    if
    i32.const 4796
    i32.const 15
    call $host.write_debug
    unreachable
    unreachable
    end
    local.get $h
    i32.load offset=8
    local.tee $%g1
    i64.load offset=0
    local.set $v0
    local.get $%g1
    i64.load offset=8
    local.set $v1
    local.get $%g1
    i64.load offset=16
    local.set $v2
    local.get $%g1
    i64.load offset=24
    local.set $v3
    local.get $%g1
    i64.load offset=32
    local.set $v4
    local.get $%g1
    i64.load offset=40
    local.set $v5
    local.get $%g1
    i64.load offset=48
    local.set $v6
    local.get $%g1
    i64.load offset=56
    local.set $v7
    i64.const 7640891576956012808
    local.set $v8
    i64.const -4942790177534073029
    local.set $v9
    i64.const 4354685564936845355
    local.set $v10
    i64.const -6534734903238641935
    local.set $v11
    i64.const 5840696475078001361
    local.get $counter
    i64.xor
    local.set $v12
    i64.const -7276294671716946913
    local.set $v13
    i64.const 2270897969802886507
    local.set $v14
    i64.const 6620516959819538809
    local.set $v15
    local.get $last
    if
    i64.const -2270897969802886508
    local.set $v14
    end
    local.get $m
    i32.load offset=8
    local.set $%g2
    loop $L2
    local.get $r
    i64.const 10
    i64.rem_u
    i32.wrap_i64
    i32.const 16
    i32.mul
    local.set $s
    local.get $v0
    local.get $v4
    i64.add
    local.get $s
    i32.load8_u offset=2560
    local.set $%g4
    local.get $%g2
    local.get $%g4
    i32.const 3
    i32.shl
    i32.add
    i64.load offset=0
    i64.add
    local.tee $v0
    local.get $v12
    i64.xor
    i64.const 32
    i64.rotr
    local.tee $v12
    local.get $v8
    i64.add
    local.tee $v8
    local.get $v4
    i64.xor
    i64.const 24
    i64.rotr
    local.tee $v4
    local.get $v0
    i64.add
    local.get $s
    i32.const 1
    i32.add
    i32.load8_u offset=2560
    local.set $%g5
    local.get $%g2
    local.get $%g5
    i32.const 3
    i32.shl
    i32.add
    i64.load offset=0
    i64.add
    local.tee $v0
    local.get $v12
    i64.xor
    i64.const 16
    i64.rotr
    local.tee $v12
    local.get $v8
    i64.add
    local.tee $v8
    local.get $v4
    i64.xor
    i64.const 63
    i64.rotr
    local.set $v4
    local.get $v1
    local.get $v5
    i64.add
    local.get $s
    i32.const 2
    i32.add
    i32.load8_u offset=2560
    local.set $%g7
    local.get $%g2
    local.get $%g7
    i32.const 3
    i32.shl
    i32.add
    i64.load offset=0
    i64.add
    local.tee $v1
    local.get $v13
    i64.xor
    i64.const 32
    i64.rotr
    local.tee $v13
    local.get $v9
    i64.add
    local.tee $v9
    local.get $v5
    i64.xor
    i64.const 24
    i64.rotr
    local.tee $v5
    local.get $v1
    i64.add
    local.get $s
    i32.const 3
    i32.add
    i32.load8_u offset=2560
    local.set $%g9
    local.get $%g2
    local.get $%g9
    i32.const 3
    i32.shl
    i32.add
    i64.load offset=0
    i64.add
    local.tee $v1
    local.get $v13
    i64.xor
    i64.const 16
    i64.rotr
    local.tee $v13
    local.get $v9
    i64.add
    local.tee $v9
    local.get $v5
    i64.xor
    i64.const 63
    i64.rotr
    local.set $v5
    local.get $v2
    local.get $v6
    i64.add
    local.get $s
    i32.const 4
    i32.add
    i32.load8_u offset=2560
    local.set $%g11
    local.get $%g2
    local.get $%g11
    i32.const 3
    i32.shl
    i32.add
    i64.load offset=0
    i64.add
    local.tee $v2
    local.get $v14
    i64.xor
    i64.const 32
    i64.rotr
    local.tee $v14
    local.get $v10
    i64.add
    local.tee $v10
    local.get $v6
    i64.xor
    i64.const 24
    i64.rotr
    local.tee $v6
    local.get $v2
    i64.add
    local.get $s
    i32.const 5
    i32.add
    i32.load8_u offset=2560
    local.set $%g13
    local.get $%g2
    local.get $%g13
    i32.const 3
    i32.shl
    i32.add
    i64.load offset=0
    i64.add
    local.tee $v2
    local.get $v14
    i64.xor
    i64.const 16
    i64.rotr
    local.tee $v14
    local.get $v10
    i64.add
    local.tee $v10
    local.get $v6
    i64.xor
    i64.const 63
    i64.rotr
    local.set $v6
    local.get $v3
    local.get $v7
    i64.add
    local.get $s
    i32.const 6
    i32.add
    i32.load8_u offset=2560
    local.set $%g15
    local.get $%g2
    local.get $%g15
    i32.const 3
    i32.shl
    i32.add
    i64.load offset=0
    i64.add
    local.tee $v3
    local.get $v15
    i64.xor
    i64.const 32
    i64.rotr
    local.tee $v15
    local.get $v11
    i64.add
    local.tee $v11
    local.get $v7
    i64.xor
    i64.const 24
    i64.rotr
    local.tee $v7
    local.get $v3
    i64.add
    local.get $s
    i32.const 7
    i32.add
    i32.load8_u offset=2560
    local.set $%g17
    local.get $%g2
    local.get $%g17
    i32.const 3
    i32.shl
    i32.add
    i64.load offset=0
    i64.add
    local.tee $v3
    local.get $v15
    i64.xor
    i64.const 16
    i64.rotr
    local.tee $v15
    local.get $v11
    i64.add
    local.tee $v11
    local.get $v7
    i64.xor
    i64.const 63
    i64.rotr
    local.set $v7
    local.get $v0
    local.get $v5
    i64.add
    local.get $s
    i32.const 8
    i32.add
    i32.load8_u offset=2560
    local.set $%g19
    local.get $%g2
    local.get $%g19
    i32.const 3
    i32.shl
    i32.add
    i64.load offset=0
    i64.add
    local.tee $v0
    local.get $v15
    i64.xor
    i64.const 32
    i64.rotr
    local.tee $v15
    local.get $v10
    i64.add
    local.tee $v10
    local.get $v5
    i64.xor
    i64.const 24
    i64.rotr
    local.tee $v5
    local.get $v0
    i64.add
    local.get $s
    i32.const 9
    i32.add
    i32.load8_u offset=2560
    local.set $%g21
    local.get $%g2
    local.get $%g21
    i32.const 3
    i32.shl
    i32.add
    i64.load offset=0
    i64.add
    local.tee $v0
    local.get $v15
    i64.xor
    i64.const 16
    i64.rotr
    local.tee $v15
    local.get $v10
    i64.add
    local.tee $v10
    local.get $v5
    i64.xor
    i64.const 63
    i64.rotr
    local.set $v5
    local.get $v1
    local.get $v6
    i64.add
    local.get $s
    i32.const 10
    i32.add
    i32.load8_u offset=2560
    local.set $%g23
    local.get $%g2
    local.get $%g23
    i32.const 3
    i32.shl
    i32.add
    i64.load offset=0
    i64.add
    local.tee $v1
    local.get $v12
    i64.xor
    i64.const 32
    i64.rotr
    local.tee $v12
    local.get $v11
    i64.add
    local.tee $v11
    local.get $v6
    i64.xor
    i64.const 24
    i64.rotr
    local.tee $v6
    local.get $v1
    i64.add
    local.get $s
    i32.const 11
    i32.add
    i32.load8_u offset=2560
    local.set $%g25
    local.get $%g2
    local.get $%g25
    i32.const 3
    i32.shl
    i32.add
    i64.load offset=0
    i64.add
    local.tee $v1
    local.get $v12
    i64.xor
    i64.const 16
    i64.rotr
    local.tee $v12
    local.get $v11
    i64.add
    local.tee $v11
    local.get $v6
    i64.xor
    i64.const 63
    i64.rotr
    local.set $v6
    local.get $v2
    local.get $v7
    i64.add
    local.get $s
    i32.const 12
    i32.add
    i32.load8_u offset=2560
    local.set $%g27
    local.get $%g2
    local.get $%g27
    i32.const 3
    i32.shl
    i32.add
    i64.load offset=0
    i64.add
    local.tee $v2
    local.get $v13
    i64.xor
    i64.const 32
    i64.rotr
    local.tee $v13
    local.get $v8
    i64.add
    local.tee $v8
    local.get $v7
    i64.xor
    i64.const 24
    i64.rotr
    local.tee $v7
    local.get $v2
    i64.add
    local.get $s
    i32.const 13
    i32.add
    i32.load8_u offset=2560
    local.set $%g29
    local.get $%g2
    local.get $%g29
    i32.const 3
    i32.shl
    i32.add
    i64.load offset=0
    i64.add
    local.tee $v2
    local.get $v13
    i64.xor
    i64.const 16
    i64.rotr
    local.tee $v13
    local.get $v8
    i64.add
    local.tee $v8
    local.get $v7
    i64.xor
    i64.const 63
    i64.rotr
    local.set $v7
    local.get $v3
    local.get $v4
    i64.add
    local.get $s
    i32.const 14
    i32.add
    i32.load8_u offset=2560
    local.set $%g31
    local.get $%g2
    local.get $%g31
    i32.const 3
    i32.shl
    i32.add
    i64.load offset=0
    i64.add
    local.tee $v3
    local.get $v14
    i64.xor
    i64.const 32
    i64.rotr
    local.tee $v14
    local.get $v9
    i64.add
    local.tee $v9
    local.get $v4
    i64.xor
    i64.const 24
    i64.rotr
    local.tee $v4
    local.get $v3
    i64.add
    local.get $s
    i32.const 15
    i32.add
    i32.load8_u offset=2560
    local.set $%g33
    local.get $%g2
    local.get $%g33
    i32.const 3
    i32.shl
    i32.add
    i64.load offset=0
    i64.add
    local.tee $v3
    local.get $v14
    i64.xor
    i64.const 16
    i64.rotr
    local.tee $v14
    local.get $v9
    i64.add
    local.tee $v9
    local.get $v4
    i64.xor
    i64.const 63
    i64.rotr
    local.set $v4
    local.get $r
    i64.const 1
    i64.add
    local.tee $r
    i64.const 12
    i64.lt_s
    br_if $L2
    end
    local.get $h
    i32.load offset=8
    local.tee $%g35
    local.get $%g35
    i64.load offset=0
    local.get $v0
    i64.xor
    local.get $v8
    i64.xor
    i64.store offset=0
    local.get $%g35
    local.get $%g35
    i64.load offset=8
    local.get $v1
    i64.xor
    local.get $v9
    i64.xor
    i64.store offset=8
    local.get $%g35
    local.get $%g35
    i64.load offset=16
    local.get $v2
    i64.xor
    local.get $v10
    i64.xor
    i64.store offset=16
    local.get $%g35
    local.get $%g35
    i64.load offset=24
    local.get $v3
    i64.xor
    local.get $v11
    i64.xor
    i64.store offset=24
    local.get $%g35
    local.get $%g35
    i64.load offset=32
    local.get $v4
    i64.xor
    local.get $v12
    i64.xor
    i64.store offset=32
    local.get $%g35
    local.get $%g35
    i64.load offset=40
    local.get $v5
    i64.xor
    local.get $v13
    i64.xor
    i64.store offset=40
    local.get $%g35
    local.get $%g35
    i64.load offset=48
    local.get $v6
    i64.xor
    local.get $v14
    i64.xor
    i64.store offset=48
    local.get $%g35
    local.get $%g35
    i64.load offset=56
    local.get $v7
    i64.xor
    local.get $v15
    i64.xor
    i64.store offset=56
  )
