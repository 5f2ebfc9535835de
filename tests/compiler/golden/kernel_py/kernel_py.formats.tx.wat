  (func $kernel_py.formats.tx._bad (param $error i32) (result i32)
    (local $%g1 i32)
    i32.const 68
    call $alloc
    local.tee $%g1
    local.get $error
    i32.store offset=4
    local.get $%g1
    i32.const 192
    i32.store offset=8
    local.get $%g1
    i32.const 192
    i32.store offset=28
    local.get $%g1
    i32.const 192
    i32.store offset=32
    local.get $%g1
    i32.const 192
    i32.store offset=48
    local.get $%g1
    i32.const 192
    i32.store offset=52
    local.get $%g1
    i32.const 192
    i32.store offset=56
    local.get $%g1
    i32.const 192
    i32.store offset=60
    local.get $%g1
    i32.const 192
    i32.store offset=64
    local.get $%g1
  )
  (func $kernel_py.formats.tx._bytes_to_end (param $b i32) (param $pos i64) (param $end i64) (result i32)
    (local $m i64)
    local.get $b
    local.get $pos
    local.get $end
    call $kernel_py.formats.tx._read_bytes
    local.tee $m
    i64.const 0
    i64.ge_s
    if (result i32)
    local.get $pos
    i64.const 4
    call $%add_s64
    local.get $m
    call $%add_s64
    local.get $end
    i64.eq
    else
    i32.const 0
    end
  )
  (func $kernel_py.formats.tx.decode_tx (param $raw i32) (result i32)
    (local $tx i32) (local $%g1 i32) (local $ok i32) (local $kind i32) (local $i14%kind i32) (local $end i64) (local $n i64) (local $d i64) (local $nonce i64) (local $value i64) (local $burn i64)
    local.get $raw
    i32.load
    i64.extend_i32_u
    local.tee $n
    i64.const 65536
    i64.gt_s
    if
    i32.const 1233
    call $kernel_py.formats.tx._bad
    return
    end
    local.get $n
    i64.const 126
    i64.lt_s
    if
    i32.const 1261
    call $kernel_py.formats.tx._bad
    return
    end
    local.get $n
    i64.const 96
    i64.sub
    local.set $end
    local.get $raw
    i32.load8_u offset=4
    i32.const 1
    i32.ne
    if
    i32.const 1293
    call $kernel_py.formats.tx._bad
    return
    end
    i32.const 68
    call $alloc
    local.tee $%g1
    i32.const 1
    i32.store8 offset=0
    local.get $%g1
    i32.const 192
    i32.store offset=4
    local.get $%g1
    local.get $raw
    i32.const 1
    i32.const 21
    call $slice
    i32.store offset=8
    local.get $%g1
    local.get $raw
    i32.load8_u offset=33
    i32.store8 offset=24
    local.get $%g1
    i32.const 192
    i32.store offset=28
    local.get $%g1
    i32.const 192
    i32.store offset=32
    local.get $%g1
    i32.const 192
    i32.store offset=48
    local.get $%g1
    i32.const 192
    i32.store offset=52
    local.get $%g1
    local.get $raw
    local.get $end
    local.get $end
    i64.const 32
    i64.add
    call $%slice64
    i32.store offset=56
    local.get $%g1
    local.get $raw
    local.get $end
    i64.const 32
    i64.add
    call $%bound
    local.get $n
    i32.wrap_i64
    call $slice
    i32.store offset=60
    local.get $%g1
    local.get $raw
    i32.const 0
    local.get $end
    call $%bound
    call $slice
    i32.store offset=64
    local.get $%g1
    local.set $tx
    local.get $raw
    i32.const 25
    i32.add
    i32.const 8
    call $%load_be
    local.set $nonce
    local.get $tx
    local.get $nonce
    i64.store offset=16
    local.get $tx
    i32.load8_u offset=24
    local.set $kind
    i32.const 1
    local.set $ok
    local.get $kind
    i32.eqz
    local.get $kind
    i32.const 2
    i32.eq
    i32.or
    if
    local.get $end
    i64.const 102
    i64.eq
    local.set $ok
    local.get $tx
    local.get $raw
    i32.const 30
    i32.const 62
    call $slice
    i32.store offset=28
    local.get $tx
    local.get $raw
    i32.const 62
    i32.const 94
    call $slice
    i32.store offset=32
    local.get $raw
    i32.const 98
    i32.add
    i32.const 8
    call $%load_be
    local.set $value
    local.get $tx
    local.get $value
    i64.store offset=40
    else
    local.get $kind
    i32.const 1
    i32.eq
    if
    local.get $raw
    i64.const 30
    local.get $end
    call $kernel_py.formats.tx._bytes_to_end
    local.set $ok
    local.get $tx
    local.get $raw
    i32.const 34
    local.get $end
    call $%bound
    call $slice
    i32.store offset=48
    else
    local.get $kind
    i32.const 3
    i32.eq
    if
    local.get $end
    i64.const 70
    i64.eq
    local.set $ok
    local.get $tx
    local.get $raw
    i32.const 30
    i32.const 62
    call $slice
    i32.store offset=32
    local.get $raw
    i32.const 66
    i32.add
    i32.const 8
    call $%load_be
    local.set $burn
    local.get $tx
    local.get $burn
    i64.store offset=40
    else
    local.get $kind
    i32.const 4
    i32.eq
    if
    local.get $end
    i64.const 98
    i64.ge_s
    if (result i32)
    local.get $raw
    i64.const 94
    local.get $end
    call $kernel_py.formats.tx._bytes_to_end
    else
    i32.const 0
    end
    local.set $ok
    local.get $tx
    local.get $raw
    i32.const 30
    i32.const 62
    call $slice
    i32.store offset=32
    local.get $tx
    local.get $raw
    i32.const 62
    i32.const 94
    call $slice
    i32.store offset=28
    local.get $tx
    local.get $raw
    i32.const 98
    local.get $end
    call $%bound
    call $slice
    i32.store offset=48
    else
    local.get $kind
    i32.const 7
    i32.eq
    if
    local.get $raw
    i64.const 62
    local.get $end
    call $kernel_py.formats.tx._read_bytes
    local.tee $d
    i64.const 0
    i64.ge_s
    if (result i32)
    local.get $raw
    i64.const 66
    local.get $d
    call $%add_s64
    local.get $end
    call $kernel_py.formats.tx._bytes_to_end
    else
    i32.const 0
    end
    local.set $ok
    local.get $tx
    local.get $raw
    i32.const 30
    i32.const 62
    call $slice
    i32.store offset=28
    local.get $ok
    if
    local.get $tx
    local.get $raw
    i32.const 66
    i64.const 66
    local.get $d
    call $%add_s64
    call $%bound
    call $slice
    i32.store offset=48
    local.get $tx
    local.get $raw
    i64.const 70
    local.get $d
    call $%add_s64
    local.get $end
    call $%slice64
    i32.store offset=52
    end
    else
    i32.const 1328
    call $kernel_py.formats.tx._bad
    return
    end
    end
    end
    end
    end
    local.get $ok
    i32.eqz
    if
    i32.const 1261
    call $kernel_py.formats.tx._bad
    return
    end
    block $I1 (result i32)
    local.get $tx
    i32.load8_u offset=24
    local.tee $i14%kind
    i32.eqz
    local.get $i14%kind
    i32.const 3
    i32.eq
    i32.or
    if
    local.get $tx
    i64.load offset=40
    i64.eqz
    br $I1
    end
    local.get $i14%kind
    i32.const 2
    i32.eq
    if
    local.get $tx
    i64.load offset=40
    i64.eqz
    if (result i32)
    i32.const 1
    else
    local.get $tx
    i32.load offset=28
    i32.const 445
    call $bytes_eq
    end
    if (result i32)
    i32.const 1
    else
    local.get $tx
    i32.load offset=32
    i32.const 445
    call $bytes_eq
    end
    br $I1
    end
    local.get $i14%kind
    i32.const 4
    i32.eq
    if
    local.get $tx
    i32.load offset=32
    i32.const 445
    call $bytes_eq
    br $I1
    end
    local.get $i14%kind
    i32.const 7
    i32.eq
    if
    local.get $tx
    i32.load offset=48
    i32.load
    i32.eqz
    local.get $tx
    i32.load offset=52
    i32.load
    i32.eqz
    i32.or
    br $I1
    end
    i32.const 0
    end
    if
    i32.const 1346
    call $kernel_py.formats.tx._bad
    return
    end
    local.get $tx
  )
  (func $kernel_py.formats.tx._read_bytes (param $b i32) (param $pos i64) (param $end i64) (result i64)
    (local $n i64)
    local.get $pos
    i64.const 4
    call $%add_s64
    local.get $end
    i64.gt_s
    if
    i64.const -1
    return
    end
    local.get $b
    local.get $pos
    call $%bound
    i32.const 4
    call $%from_be
    local.tee $n
    local.get $end
    local.get $pos
    call $%sub_s64
    i64.const 4
    call $%sub_s64
    i64.gt_s
    if
    i64.const -1
    return
    end
    local.get $n
  )
