  (func $kernel_py.genesis.register_committee (param $raw i32) (result i32)
    (local $c i32)
    local.get $raw
    call $kernel_py.formats.dsn.decode_committee
    global.get $%r1_i32
    local.set $c
    i32.eqz
    if
    i32.const 240
    return
    end
    i32.const 263
    call $kernel_py.store.has_value
    if
    local.get $c
    i64.load offset=0
    i32.const 263
    call $kernel_py.store.read_u64
    i64.le_u
    if
    i32.const 281
    return
    end
    end
    local.get $c
    i64.load offset=0
    call $kernel_py.verify.committee_key
    local.get $raw
    call $kernel_py.store.write_value
    i32.const 263
    local.get $c
    i64.load offset=0
    call $kernel_py.store.write_u64
    i32.const 192
  )
  (func $kernel_py.genesis._genesis (result i32)
    (local $raw i32) (local $%g9 i32) (local $acc i32) (local $key i32) (local $owner i32) (local $i i64) (local $n i64) (local $supply i64) (local $total i64) (local $amount2 i64) (local $%g1 i64) (local $%g4 i64) (local $amount i64)
    i32.const 328
    call $kernel_py.store.read_value
    local.tee $raw
    i32.load
    i64.extend_i32_u
    i64.const 40
    i64.rem_u
    i64.eqz
    i32.eqz
    if
    i32.const 346
    i32.const 4
    i32.add
    i32.const 346
    i32.load
    call $host.write_debug
    i32.const 192
    local.set $raw
    end
    local.get $raw
    i32.load
    i64.extend_i32_u
    i64.const 40
    i64.div_u
    local.set $n
    local.get $n
    local.set $%g1
    block $B1
    local.get $i
    local.get $%g1
    i64.ge_s
    br_if $B1
    loop $L2
    local.get $raw
    i64.const 40
    local.get $i
    call $%mul_s64
    i64.const 32
    call $%add_s64
    call $sat32
    i64.const 40
    local.get $i
    call $%mul_s64
    i64.const 40
    call $%add_s64
    call $sat32
    call $slice
    call $%from_be_all
    local.tee $amount
    i64.const -1
    local.get $total
    i64.sub
    i64.gt_u
    if
    i32.const 389
    i32.const 4
    i32.add
    i32.const 389
    i32.load
    call $host.write_debug
    i64.const 0
    local.set $n
    br $B1
    end
    local.get $total
    local.get $amount
    call $%add_u64
    local.set $total
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
    local.set $supply
    i32.const 445
    local.set $acc
    i64.const 0
    local.set $i
    local.get $n
    local.set $%g4
    block $B4
    local.get $i
    local.get $%g4
    i64.ge_s
    br_if $B4
    loop $L5
    local.get $raw
    i64.const 40
    local.get $i
    call $%mul_s64
    call $sat32
    i64.const 40
    local.get $i
    call $%mul_s64
    i64.const 32
    call $%add_s64
    call $sat32
    call $slice
    local.set $owner
    local.get $raw
    i64.const 40
    local.get $i
    call $%mul_s64
    i64.const 32
    call $%add_s64
    call $sat32
    i64.const 40
    local.get $i
    call $%mul_s64
    i64.const 40
    call $%add_s64
    call $sat32
    call $slice
    call $%from_be_all
    local.set $amount2
    local.get $supply
    local.get $amount2
    call $%add_u64
    local.set $supply
    local.get $owner
    i32.const 445
    call $kernel_py.ledger.balance_key
    local.set $key
    local.get $acc
    local.get $key
    local.get $key
    call $kernel_py.store.read_u64
    local.get $amount2
    call $%add_u64
    call $kernel_py.ledger.set_u64
    call $concat
    call $kernel_py.formats.dsn.digest
    local.set $acc
    local.get $i
    i64.const 1
    i64.add
    local.tee $i
    local.get $%g4
    i64.lt_s
    br_if $L5
    end
    end
    local.get $acc
    i32.const 445
    i32.const 21
    call $alloc
    local.tee $%g9
    i32.const 1
    i32.store8 offset=0
    local.get $%g9
    i32.const 481
    i32.store offset=4
    local.get $%g9
    local.get $supply
    i64.store offset=8
    local.get $%g9
    i32.const 445
    i32.store offset=16
    local.get $%g9
    call $kernel_py.ledger.put_asset
    call $concat
    call $kernel_py.formats.dsn.digest
  )
