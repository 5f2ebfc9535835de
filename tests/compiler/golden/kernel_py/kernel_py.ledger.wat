  (func $kernel_py.ledger.set_u64 (param $key i32) (param $value i64) (result i32)
    local.get $value
    i64.eqz
    if
    local.get $key
    call $kernel_py.store.delete_value
    local.get $key
    i32.const 192
    call $kernel_py.ledger.log_entry
    return
    end
    local.get $key
    local.get $value
    call $kernel_py.store.write_u64
    local.get $key
    local.get $value
    call $%bytes_be8
    call $kernel_py.ledger.log_entry
  )
  (func $kernel_py.ledger.balance_key (param $owner i32) (param $asset i32) (result i32)
    i32.const 964
    local.get $owner
    call $kernel_py.text.to_b64
    i32.const 971
    call $%concat3
    local.get $asset
    call $kernel_py.ledger.asset_step
    call $concat
  )
  (func $kernel_py.ledger.put_asset (param $asset i32) (param $a i32) (result i32)
    (local $key i32) (local $value i32) (local $i13%warp i32) (local $%g1 i64)
    local.get $asset
    call $kernel_py.ledger.asset_key
    local.set $key
    i32.const 54
    local.set $i13%warp
    local.get $a
    i32.load8_u offset=20
    if
    i32.const 2287
    local.set $i13%warp
    end
    local.get $a
    i32.load offset=4
    i32.load
    i64.extend_i32_u
    local.tee $%g1
    i64.const 65535
    i64.gt_u
    if
    unreachable
    end
    local.get $%g1
    i32.const 2
    call $%bytes_be
    local.get $a
    i32.load offset=4
    local.get $a
    i64.load offset=8
    call $%bytes_be8
    call $%concat3
    local.get $a
    i32.load offset=16
    local.get $i13%warp
    call $%concat3
    local.set $value
    local.get $key
    local.get $value
    call $kernel_py.store.write_value
    local.get $key
    local.get $value
    call $kernel_py.ledger.log_entry
  )
  (func $kernel_py.ledger.log_entry (param $key i32) (param $value i32) (result i32)
    
    local.get $key
    local.get $value
    i32.load
    i64.extend_i32_u
    i32.const 4
    call $%bytes_be
    local.get $value
    call $%concat3
  )
  (func $kernel_py.ledger._balance_error (param $verb i32) (param $owner i32) (param $asset i32) (param $bal i64) (param $amount i64) (result i32)
    i32.const 4024
    local.get $verb
    i32.const 4055
    call $%concat3
    local.get $asset
    call $kernel_py.text.to_hex
    i32.const 4075
    call $%concat3
    local.get $bal
    call $kernel_py.text.to_decimal
    i32.const 4085
    call $%concat3
    local.get $owner
    call $kernel_py.text.to_hex
    i32.const 4096
    call $%concat3
    local.get $amount
    call $kernel_py.text.to_decimal
    i32.const 4109
    call $%concat3
  )
  (func $kernel_py.ledger.get_asset (param $asset i32) (result i32)
    (local $i39%v i32) (local $%g4 i32) (local $i39%missing i32) (local $%g1 i32) (local $i39%m i64) (local $i39%supply i64)
    local.get $asset
    call $kernel_py.ledger.asset_key
    call $kernel_py.store.read_value
    local.set $i39%v
    block $I1 (result i32)
    i32.const 21
    call $alloc
    local.tee $%g1
    i32.const 192
    i32.store offset=4
    local.get $%g1
    i32.const 445
    i32.store offset=16
    local.get $%g1
    local.set $i39%missing
    local.get $i39%v
    i32.load
    i32.const 43
    i32.lt_u
    if
    local.get $i39%missing
    br $I1
    end
    local.get $i39%v
    i32.const 4
    i32.add
    i32.const 2
    call $%load_be
    local.set $i39%m
    local.get $i39%v
    i32.load
    i64.extend_i32_u
    i64.const 43
    local.get $i39%m
    i64.add
    i64.ne
    if
    local.get $i39%missing
    br $I1
    end
    local.get $i39%v
    i64.const 2
    local.get $i39%m
    i64.add
    i32.wrap_i64
    i64.const 10
    local.get $i39%m
    i64.add
    i32.wrap_i64
    call $slice
    call $%from_be_all
    local.set $i39%supply
    i32.const 21
    call $alloc
    local.tee $%g4
    i32.const 1
    i32.store8 offset=0
    local.get $%g4
    local.get $i39%v
    i32.const 2
    i64.const 2
    local.get $i39%m
    i64.add
    i32.wrap_i64
    call $slice
    i32.store offset=4
    local.get $%g4
    local.get $i39%supply
    i64.store offset=8
    local.get $%g4
    local.get $i39%v
    i64.const 10
    local.get $i39%m
    i64.add
    i32.wrap_i64
    i64.const 42
    local.get $i39%m
    i64.add
    i32.wrap_i64
    call $slice
    i32.store offset=16
    local.get $%g4
    local.get $i39%v
    i64.const 42
    local.get $i39%m
    i64.add
    call $%getb1_i32_load8_u
    i32.const 1
    i32.eq
    i32.store8 offset=20
    local.get $%g4
    end
  )
  (func $kernel_py.ledger.asset_step (param $asset i32) (result i32)
    local.get $asset
    i32.const 445
    call $bytes_eq
    if
    i32.const 976
    return
    end
    local.get $asset
    call $kernel_py.text.to_b64
  )
  (func $kernel_py.ledger.asset_key (param $asset i32) (result i32)
    i32.const 2280
    local.get $asset
    call $kernel_py.ledger.asset_step
    call $concat
  )
  (func $kernel_py.ledger._owner_error (param $a i32) (param $actor i32) (result i32)
    local.get $a
    i32.load8_u offset=0
    i32.eqz
    if
    i32.const 3082
    return
    end
    local.get $a
    i32.load8_u offset=20
    if
    i32.const 4114
    return
    end
    local.get $a
    i32.load offset=16
    local.get $actor
    call $bytes_eq
    i32.eqz
    if
    i32.const 4128
    return
    end
    i32.const 192
  )
  (func $kernel_py.ledger.prune_messages (param $block_root i32)
    (local $chains i32) (local $root i32) (local $nums i32) (local $i i64) (local $j i64) (local $end i64) (local $%g1 i64) (local $n i64)
    local.get $block_root
    i32.const 1479
    call $concat
    call $kernel_py.store.read_value
    local.set $chains
    block $B1
    loop $L2
    local.get $i
    local.get $chains
    i32.load
    i64.extend_i32_u
    i64.lt_s
    i32.eqz
    br_if $B1
    local.get $i
    call $%add1_s64
    local.get $chains
    local.get $i
    call $%getb1_i32_load8_u
    i64.extend_i32_u
    call $%add_s64
    local.set $end
    local.get $chains
    local.get $i
    call $%add1_s64
    local.get $end
    call $%slice64
    local.set $root
    local.get $block_root
    local.get $root
    call $concat
    call $kernel_py.store.read_value
    local.set $nums
    i64.const 0
    local.set $j
    local.get $nums
    i32.load
    i64.extend_i32_u
    i64.const 3
    i64.shr_u
    local.set $%g1
    block $B3
    local.get $j
    local.get $%g1
    i64.ge_s
    br_if $B3
    loop $L4
    local.get $nums
    i64.const 8
    local.get $j
    i64.mul
    call $%bound
    i32.const 8
    call $%from_be
    local.set $n
    local.get $root
    i32.const 971
    local.get $n
    call $kernel_py.text.to_decimal
    call $%concat3
    call $kernel_py.store.delete_value
    local.get $j
    i64.const 1
    i64.add
    local.tee $j
    local.get $%g1
    i64.lt_s
    br_if $L4
    end
    end
    local.get $end
    local.set $i
    br $L2
    end
    end
  )
  (func $kernel_py.ledger._transfer (param $actor i32) (param $tx i32) (result i32)
    (local $from_key i32) (local $to_key i32) (local $log i32) (local $from_bal i64) (local $to_bal i64)
    local.get $tx
    i64.load offset=40
    i64.eqz
    if
    i32.const 2981
    i32.const 192
    global.set $%r1_i32
    return
    end
    local.get $actor
    local.get $tx
    i32.load offset=32
    call $kernel_py.ledger.balance_key
    local.tee $from_key
    call $kernel_py.store.read_u64
    local.tee $from_bal
    local.get $tx
    i64.load offset=40
    i64.lt_u
    if
    i32.const 2998
    local.get $actor
    local.get $tx
    i32.load offset=32
    local.get $from_bal
    local.get $tx
    i64.load offset=40
    call $kernel_py.ledger._balance_error
    i32.const 192
    global.set $%r1_i32
    return
    end
    local.get $tx
    i32.load offset=28
    local.get $actor
    call $bytes_eq
    if
    i32.const 192
    i32.const 192
    global.set $%r1_i32
    return
    end
    local.get $tx
    i32.load offset=28
    local.get $tx
    i32.load offset=32
    call $kernel_py.ledger.balance_key
    local.tee $to_key
    call $kernel_py.store.read_u64
    local.tee $to_bal
    i64.const -1
    local.get $tx
    i64.load offset=40
    i64.sub
    i64.gt_u
    if
    i32.const 3010
    local.get $tx
    i32.load offset=28
    local.get $tx
    i32.load offset=32
    local.get $to_bal
    local.get $tx
    i64.load offset=40
    call $kernel_py.ledger._balance_error
    i32.const 192
    global.set $%r1_i32
    return
    end
    local.get $from_key
    local.get $from_bal
    local.get $tx
    i64.load offset=40
    call $%sub_u64
    call $kernel_py.ledger.set_u64
    local.get $to_key
    local.get $to_bal
    local.get $tx
    i64.load offset=40
    call $%add_u64
    call $kernel_py.ledger.set_u64
    call $concat
    local.set $log
    i32.const 192
    local.get $log
    global.set $%r1_i32
  )
  (func $kernel_py.ledger._create_asset (param $actor i32) (param $tx i32) (param $tx_id i32) (result i32)
    (local $%g1 i32)
    local.get $tx
    i32.load offset=48
    i32.load
    i32.const 256
    i32.gt_u
    if
    i32.const 3017
    i32.const 192
    global.set $%r1_i32
    return
    end
    i32.const 192
    local.get $tx_id
    i32.const 21
    call $alloc
    local.tee $%g1
    i32.const 1
    i32.store8 offset=0
    local.get $%g1
    local.get $tx
    i32.load offset=48
    i32.store offset=4
    local.get $%g1
    local.get $actor
    i32.store offset=16
    local.get $%g1
    call $kernel_py.ledger.put_asset
    global.set $%r1_i32
  )
  (func $kernel_py.ledger._mint_asset (param $actor i32) (param $tx i32) (result i32)
    (local $a i32) (local $error i32) (local $to_key i32) (local $log i32) (local $to_bal i64)
    local.get $tx
    i32.load offset=32
    i32.const 445
    call $bytes_eq
    if
    i32.const 3042
    i32.const 192
    global.set $%r1_i32
    return
    end
    local.get $tx
    i64.load offset=40
    i64.eqz
    if
    i32.const 2981
    i32.const 192
    global.set $%r1_i32
    return
    end
    local.get $tx
    i32.load offset=32
    call $kernel_py.ledger.get_asset
    local.tee $a
    local.get $actor
    call $kernel_py.ledger._owner_error
    local.tee $error
    i32.load
    i32.const 0
    i32.gt_u
    if
    local.get $error
    i32.const 192
    global.set $%r1_i32
    return
    end
    local.get $a
    i64.load offset=8
    i64.const -1
    local.get $tx
    i64.load offset=40
    i64.sub
    i64.gt_u
    if
    i32.const 3070
    i32.const 192
    global.set $%r1_i32
    return
    end
    local.get $tx
    i32.load offset=28
    local.get $tx
    i32.load offset=32
    call $kernel_py.ledger.balance_key
    local.tee $to_key
    call $kernel_py.store.read_u64
    local.tee $to_bal
    i64.const -1
    local.get $tx
    i64.load offset=40
    i64.sub
    i64.gt_u
    if
    i32.const 3010
    local.get $tx
    i32.load offset=28
    local.get $tx
    i32.load offset=32
    local.get $to_bal
    local.get $tx
    i64.load offset=40
    call $kernel_py.ledger._balance_error
    i32.const 192
    global.set $%r1_i32
    return
    end
    local.get $a
    local.get $a
    i64.load offset=8
    local.get $tx
    i64.load offset=40
    call $%add_u64
    i64.store offset=8
    local.get $tx
    i32.load offset=32
    local.get $a
    call $kernel_py.ledger.put_asset
    local.get $to_key
    local.get $to_bal
    local.get $tx
    i64.load offset=40
    call $%add_u64
    call $kernel_py.ledger.set_u64
    call $concat
    local.set $log
    i32.const 192
    local.get $log
    global.set $%r1_i32
  )
  (func $kernel_py.ledger._burn_asset (param $actor i32) (param $tx i32) (result i32)
    (local $a i32) (local $key i32) (local $log i32) (local $bal i64)
    local.get $tx
    i64.load offset=40
    i64.eqz
    if
    i32.const 2981
    i32.const 192
    global.set $%r1_i32
    return
    end
    local.get $actor
    local.get $tx
    i32.load offset=32
    call $kernel_py.ledger.balance_key
    local.tee $key
    call $kernel_py.store.read_u64
    local.tee $bal
    local.get $tx
    i64.load offset=40
    i64.lt_u
    if
    i32.const 2998
    local.get $actor
    local.get $tx
    i32.load offset=32
    local.get $bal
    local.get $tx
    i64.load offset=40
    call $kernel_py.ledger._balance_error
    i32.const 192
    global.set $%r1_i32
    return
    end
    local.get $tx
    i32.load offset=32
    call $kernel_py.ledger.get_asset
    local.tee $a
    i32.load8_u offset=0
    i32.eqz
    if
    i32.const 3082
    i32.const 192
    global.set $%r1_i32
    return
    end
    local.get $a
    i64.load offset=8
    local.get $tx
    i64.load offset=40
    i64.lt_u
    if
    i32.const 3099
    i32.const 192
    global.set $%r1_i32
    return
    end
    local.get $a
    local.get $a
    i64.load offset=8
    local.get $tx
    i64.load offset=40
    call $%sub_u64
    i64.store offset=8
    local.get $key
    local.get $bal
    local.get $tx
    i64.load offset=40
    call $%sub_u64
    call $kernel_py.ledger.set_u64
    local.get $tx
    i32.load offset=32
    local.get $a
    call $kernel_py.ledger.put_asset
    call $concat
    local.set $log
    i32.const 192
    local.get $log
    global.set $%r1_i32
  )
  (func $kernel_py.ledger._modify_asset (param $actor i32) (param $tx i32) (result i32)
    (local $a i32) (local $error i32)
    local.get $tx
    i32.load offset=32
    i32.const 445
    call $bytes_eq
    if
    i32.const 3042
    i32.const 192
    global.set $%r1_i32
    return
    end
    local.get $tx
    i32.load offset=48
    i32.load
    i32.const 256
    i32.gt_u
    if
    i32.const 3017
    i32.const 192
    global.set $%r1_i32
    return
    end
    local.get $tx
    i32.load offset=32
    call $kernel_py.ledger.get_asset
    local.tee $a
    local.get $actor
    call $kernel_py.ledger._owner_error
    local.tee $error
    i32.load
    i32.const 0
    i32.gt_u
    if
    local.get $error
    i32.const 192
    global.set $%r1_i32
    return
    end
    local.get $a
    local.get $tx
    i32.load offset=48
    i32.store offset=4
    local.get $a
    local.get $tx
    i32.load offset=28
    i32.store offset=16
    i32.const 192
    local.get $tx
    i32.load offset=32
    local.get $a
    call $kernel_py.ledger.put_asset
    global.set $%r1_i32
  )
  (func $kernel_py.ledger._sequencer_msg (param $tx i32) (param $tx_id i32) (param $block i64) (result i32)
    (local $root i32) (local $count_key i32) (local $entry i32) (local $msg_key i32) (local $block_root i32) (local $block_key i32) (local $i34%chain_id i32) (local $%g2 i32) (local $n i64) (local $%g1 i64)
    local.get $tx
    i32.load offset=52
    i32.load
    i32.const 64
    i32.gt_u
    if
    i32.const 3112
    i32.const 192
    global.set $%r1_i32
    return
    end
    local.get $tx
    i32.load offset=52
    local.set $i34%chain_id
    i32.const 4143
    local.get $i34%chain_id
    call $kernel_py.text.to_hex
    call $concat
    local.tee $root
    i32.const 3137
    call $concat
    local.tee $count_key
    call $kernel_py.store.read_u64
    local.set $n
    local.get $block
    call $%bytes_be8
    local.get $tx_id
    local.get $tx
    i32.load offset=28
    call $%concat3
    local.get $tx
    i32.load offset=48
    call $concat
    local.set $entry
    local.get $root
    i32.const 971
    local.get $n
    call $kernel_py.text.to_decimal
    call $%concat3
    local.tee $msg_key
    local.get $entry
    call $kernel_py.store.write_value
    local.get $count_key
    local.get $n
    call $%add1_u64
    call $kernel_py.store.write_u64
    i32.const 748
    local.get $block
    call $kernel_py.text.to_decimal
    call $concat
    local.tee $block_root
    local.get $root
    call $concat
    local.tee $block_key
    call $kernel_py.store.has_value
    i32.eqz
    if
    local.get $block_root
    i32.const 1479
    call $concat
    local.get $root
    i32.load
    i64.extend_i32_u
    local.tee $%g1
    i64.const 255
    i64.gt_u
    if
    unreachable
    end
    i32.const 1
    call $bytes_new
    local.tee $%g2
    local.get $%g1
    i64.store8 offset=4
    local.get $%g2
    local.get $root
    call $concat
    call $kernel_py.store.append_value
    end
    local.get $block_key
    local.get $n
    call $%bytes_be8
    call $kernel_py.store.append_value
    i32.const 192
    local.get $msg_key
    local.get $entry
    call $kernel_py.ledger.log_entry
    local.get $count_key
    local.get $n
    call $%add1_u64
    call $%bytes_be8
    call $kernel_py.ledger.log_entry
    call $concat
    global.set $%r1_i32
  )
  (func $kernel_py.ledger.chain_prefix (param $chain_id i32) (result i32)
    i32.const 4143
    local.get $chain_id
    call $kernel_py.text.to_hex
    call $concat
  )
