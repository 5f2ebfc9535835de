  (func $kernel_py.blocks.result_entry (param $tx_id i32) (param $status i64) (param $error i32) (result i32)
    (local $%g1 i32) (local $%g2 i64)
    block $%trap
    local.get $tx_id
    local.get $status
    i64.const 255
    i64.gt_u
    br_if $%trap
    i32.const 1
    call $bytes_new
    local.tee $%g1
    local.get $status
    i64.store8 offset=4
    local.get $%g1
    local.get $error
    i32.load
    i64.extend_i32_u
    local.tee $%g2
    i64.const 65535
    i64.gt_u
    br_if $%trap
    local.get $%g2
    i32.const 2
    call $%bytes_be
    call $%concat3
    local.get $error
    call $concat
    return
    unreachable
    end
    unreachable
  )
  (func $kernel_py.blocks.block_key (param $index i64) (param $leaf i32) (result i32)
    i32.const 748
    local.get $index
    call $kernel_py.text.to_decimal
    i32.const 971
    call $%concat3
    local.get $leaf
    call $concat
  )
  (func $kernel_py.blocks.job_active (result i32)
    i32.const 196
    call $kernel_py.store.has_value
  )
  (func $kernel_py.blocks.signatures_ok (param $txs i32) (param $address i32) (param $hints i32) (result i32)
    (local $tx i32) (local $%t1 i32) (local $pks i32) (local $msgs i32) (local $sigs i32) (local $pk i32) (local $%g1 i32) (local $%g2 i32)
    call $%empty4
    local.set $pks
    call $%empty4
    local.set $msgs
    call $%empty4
    local.set $sigs
    block $B1
    loop $L2
    local.get $%t1
    local.get $txs
    i32.load
    i32.ge_u
    br_if $B1
    local.get $txs
    i32.load offset=8
    local.get $%t1
    i32.const 2
    i32.shl
    i32.add
    i32.load
    local.set $tx
    i32.const 192
    local.set $pk
    local.get $tx
    i32.load8_u offset=0
    if
    local.get $tx
    i32.load offset=8
    local.get $address
    call $bytes_eq
    if
    local.get $tx
    i32.load offset=56
    local.set $pk
    end
    end
    local.get $pks
    local.get $pk
    call $%append4
    i32.const 1372
    local.get $tx
    i32.load offset=64
    call $concat
    local.set $%g1
    local.get $msgs
    local.get $%g1
    call $%append4
    local.get $tx
    i32.load offset=60
    local.set $%g2
    local.get $sigs
    local.get $%g2
    call $%append4
    local.get $%t1
    i32.const 1
    i32.add
    local.set $%t1
    br $L2
    end
    end
    i32.const 1386
    local.get $pks
    local.get $msgs
    local.get $sigs
    local.get $hints
    call $kernel_py.crypto.ed25519.verify_each_cached
  )
  (func $kernel_py.blocks._execute (param $raw i32) (param $tx i32) (param $sig_ok i32) (param $address i32) (param $block i64) (result i32)
    (local $tx_id i32) (local $i16%actor i32) (local $i16%kind i32) (local $log i32) (local $key i32) (local $err i32) (local $error i32) (local $action_log i32) (local $i15%account i32) (local $expected i64)
    local.get $raw
    call $kernel_py.formats.dsn.digest
    local.set $tx_id
    local.get $tx
    i32.load8_u offset=0
    i32.eqz
    if
    local.get $tx_id
    i64.const 2
    local.get $tx
    i32.load offset=4
    call $kernel_py.blocks.result_entry
    i32.const 192
    global.set $%r1_i32
    return
    end
    local.get $tx
    i32.load offset=8
    local.get $address
    call $bytes_eq
    i32.eqz
    if
    local.get $tx_id
    i64.const 2
    i32.const 1396
    call $kernel_py.blocks.result_entry
    i32.const 192
    global.set $%r1_i32
    return
    end
    local.get $sig_ok
    i32.eqz
    if
    local.get $tx_id
    i64.const 2
    i32.const 1420
    call $kernel_py.blocks.result_entry
    i32.const 192
    global.set $%r1_i32
    return
    end
    local.get $tx
    i32.load offset=56
    local.set $i15%account
    i32.const 2340
    local.get $i15%account
    call $kernel_py.text.to_b64
    call $concat
    local.tee $key
    call $kernel_py.store.read_u64
    local.set $expected
    local.get $tx
    i64.load offset=16
    local.get $expected
    i64.ne
    local.get $expected
    i64.const -1
    i64.eq
    i32.or
    if
    i32.const 1441
    local.get $expected
    call $kernel_py.text.to_decimal
    i32.const 1469
    call $%concat3
    local.get $tx
    i64.load offset=16
    call $kernel_py.text.to_decimal
    call $concat
    local.set $err
    local.get $tx_id
    i64.const 2
    local.get $err
    call $kernel_py.blocks.result_entry
    i32.const 192
    global.set $%r1_i32
    return
    end
    local.get $key
    local.get $expected
    call $%add1_u64
    call $kernel_py.ledger.set_u64
    local.set $log
    local.get $tx
    i32.load offset=56
    local.set $i16%actor
    block $I2 (result i32)
    local.get $tx
    i32.load8_u offset=24
    local.tee $i16%kind
    i32.eqz
    if
    local.get $i16%actor
    local.get $tx
    call $kernel_py.ledger._transfer
    global.get $%r1_i32
    global.set $%r1_i32
    br $I2
    end
    local.get $i16%kind
    i32.const 1
    i32.eq
    if
    local.get $i16%actor
    local.get $tx
    local.get $tx_id
    call $kernel_py.ledger._create_asset
    global.get $%r1_i32
    global.set $%r1_i32
    br $I2
    end
    local.get $i16%kind
    i32.const 2
    i32.eq
    if
    local.get $i16%actor
    local.get $tx
    call $kernel_py.ledger._mint_asset
    global.get $%r1_i32
    global.set $%r1_i32
    br $I2
    end
    local.get $i16%kind
    i32.const 3
    i32.eq
    if
    local.get $i16%actor
    local.get $tx
    call $kernel_py.ledger._burn_asset
    global.get $%r1_i32
    global.set $%r1_i32
    br $I2
    end
    local.get $i16%kind
    i32.const 4
    i32.eq
    if
    local.get $i16%actor
    local.get $tx
    call $kernel_py.ledger._modify_asset
    global.get $%r1_i32
    global.set $%r1_i32
    br $I2
    end
    local.get $i16%kind
    i32.const 7
    i32.eq
    if
    local.get $tx
    local.get $tx_id
    local.get $block
    call $kernel_py.ledger._sequencer_msg
    global.get $%r1_i32
    global.set $%r1_i32
    br $I2
    end
    i32.const 1328
    i32.const 192
    global.set $%r1_i32
    end
    global.get $%r1_i32
    local.set $action_log
    local.tee $error
    i32.load
    i32.const 0
    i32.gt_u
    if
    local.get $tx_id
    i64.const 1
    local.get $error
    call $kernel_py.blocks.result_entry
    local.get $log
    global.set $%r1_i32
    return
    end
    local.get $tx_id
    i64.const 0
    i32.const 192
    call $kernel_py.blocks.result_entry
    local.get $log
    local.get $action_log
    call $concat
    global.set $%r1_i32
  )
  (func $kernel_py.blocks.apply_chunk (param $address i32) (param $limit i64) (param $data i32) (result i64)
    (local $acc i32) (local $ranges i32) (local $raws i32) (local $txs i32) (local $region i32) (local $raw i32) (local $sig_ok i32) (local $results i32) (local $entry i32) (local $log i32) (local $old i32) (local $%g6 i32) (local $i i64) (local $cursor i64) (local $end i64) (local $k i64) (local $index i64) (local $first i64) (local $count i64) (local $work i64) (local $off i64) (local $%g3 i64) (local $%g7 i64) (local $last i64) (local $last_len i64) (local $n i64) (local $keep i64) (local $%g2 i64)
    i32.const 196
    call $kernel_py.store.read_u64
    local.set $index
    i32.const 640
    call $kernel_py.store.read_u64
    call $%cv_u64_int
    local.set $cursor
    i32.const 655
    call $kernel_py.store.value_size
    local.tee $%g2
    i64.const 0
    i64.lt_s
    if
    unreachable
    end
    local.get $%g2
    i64.const 3
    i64.shr_u
    local.tee $count
    local.get $cursor
    i64.lt_s
    if
    local.get $cursor
    local.set $count
    end
    local.get $cursor
    local.get $limit
    call $%add_s64
    local.tee $end
    local.get $count
    i64.gt_s
    if
    local.get $count
    local.set $end
    end
    call $%empty4
    local.set $raws
    call $%empty4
    local.set $txs
    local.get $end
    local.get $cursor
    i64.gt_s
    if
    local.get $end
    local.get $cursor
    call $%sub_s64
    local.set $k
    i32.const 655
    i64.const 8
    local.get $cursor
    call $%mul_s64
    i64.const 8
    local.get $k
    call $%mul_s64
    call $kernel_py.store.read_range
    local.tee $ranges
    i64.const 0
    call $sat32
    i32.const 4
    call $%from_be
    local.set $first
    local.get $ranges
    i64.const 8
    local.get $k
    call $%mul_s64
    i64.const 8
    call $%sub_s64
    i64.const 8
    local.get $k
    call $%mul_s64
    i64.const 4
    call $%sub_s64
    call $%slice64
    call $%from_be_all
    call $%cv_u64_int
    local.set $last
    local.get $ranges
    i64.const 8
    local.get $k
    call $%mul_s64
    i64.const 4
    call $%sub_s64
    i64.const 8
    local.get $k
    call $%mul_s64
    call $%slice64
    call $%from_be_all
    call $%cv_u64_int
    local.set $last_len
    local.get $data
    local.set $region
    local.get $data
    i32.load
    i32.eqz
    if
    i32.const 667
    local.get $first
    local.get $last
    local.get $last_len
    call $%add_s64
    local.get $first
    call $%sub_s64
    call $kernel_py.store.read_range
    local.set $region
    else
    i64.const 0
    local.set $first
    end
    local.get $k
    local.set $%g3
    block $B1
    local.get $i
    local.get $%g3
    i64.ge_s
    br_if $B1
    loop $L2
    local.get $ranges
    i64.const 8
    local.get $i
    call $%mul_s64
    call $%bound
    i32.const 4
    call $%from_be
    local.set $off
    local.get $ranges
    i64.const 8
    local.get $i
    call $%mul_s64
    i64.const 4
    call $%add_s64
    call $sat32
    i64.const 8
    local.get $i
    call $%mul_s64
    i64.const 8
    call $%add_s64
    call $sat32
    call $slice
    call $%from_be_all
    call $%cv_u64_int
    local.set $n
    local.get $region
    local.get $off
    local.get $first
    call $%sub_s64
    local.get $off
    local.get $first
    call $%sub_s64
    local.get $n
    call $%add_s64
    call $%slice64
    local.set $raw
    local.get $raws
    local.get $raw
    call $%append4
    local.get $raw
    call $kernel_py.formats.tx.decode_tx
    local.set $%g6
    local.get $txs
    local.get $%g6
    call $%append4
    local.get $i
    i64.const 1
    i64.add
    local.tee $i
    local.get $%g3
    i64.lt_s
    br_if $L2
    end
    end
    end
    local.get $txs
    local.get $address
    i32.const 680
    i64.const 32
    local.get $cursor
    call $%mul_s64
    i64.const 32
    local.get $end
    local.get $cursor
    call $%sub_s64
    call $%mul_s64
    call $kernel_py.store.read_range
    call $kernel_py.blocks.signatures_ok
    local.set $sig_ok
    local.get $end
    local.get $cursor
    call $%sub_s64
    local.set $work
    i32.const 694
    call $kernel_py.store.read_value
    local.set $acc
    call $%empty4
    local.set $results
    i64.const 0
    local.set $i
    local.get $raws
    i32.load
    i64.extend_i32_u
    local.set $%g7
    block $B4
    local.get $i
    local.get $%g7
    i64.ge_s
    br_if $B4
    loop $L5
    local.get $sig_ok
    local.get $i
    call $%getl1_i32_load8_u
    i32.eqz
    if
    local.get $work
    i64.const 3
    call $%add_s64
    local.set $work
    end
    local.get $raws
    local.get $i
    call $%getl4_i32_load
    local.get $txs
    local.get $i
    call $%getl4_i32_load
    local.get $sig_ok
    local.get $i
    call $%getl1_i32_load8_u
    local.get $address
    local.get $index
    call $kernel_py.blocks._execute
    global.get $%r1_i32
    local.set $log
    local.set $entry
    local.get $results
    local.get $entry
    call $%append4
    local.get $acc
    local.get $entry
    local.get $log
    call $%concat3
    call $kernel_py.formats.dsn.digest
    local.set $acc
    local.get $i
    i64.const 1
    i64.add
    local.tee $i
    local.get $%g7
    i64.lt_s
    br_if $L5
    end
    end
    local.get $index
    i32.const 706
    call $kernel_py.blocks.block_key
    local.get $results
    call $kernel_py.formats.dsn.concat
    call $kernel_py.store.append_value
    i32.const 694
    local.get $acc
    call $kernel_py.store.write_value
    i32.const 640
    local.get $end
    call $%cv_int_u64
    call $kernel_py.store.write_u64
    local.get $end
    local.get $count
    i64.eq
    if
    local.get $index
    i32.const 717
    call $kernel_py.blocks.block_key
    local.get $acc
    call $kernel_py.store.write_value
    i32.const 59
    local.get $acc
    call $kernel_py.store.write_value
    i32.const 172
    local.get $index
    call $%bytes_be8
    local.get $acc
    call $concat
    call $kernel_py.store.write_value
    i32.const 725
    call $kernel_py.store.delete_tree
    i32.const 733
    call $kernel_py.store.read_u64
    local.tee $keep
    i64.const 0
    i64.gt_u
    if
    i32.const 748
    local.get $index
    local.get $keep
    i64.sub
    call $kernel_py.text.to_decimal
    call $concat
    local.tee $old
    call $kernel_py.ledger.prune_messages
    local.get $old
    call $kernel_py.store.delete_tree
    end
    end
    local.get $work
  )
  (func $kernel_py.blocks.start_job (param $v i32) (param $data i32)
    (local $leader i32) (local $ranges i32) (local $info i32) (local $%g4 i32) (local $i i64) (local $%g3 i64) (local $i19%index i64) (local $%g5 i64) (local $%g6 i64)
    block $%trap
    local.get $v
    i32.load offset=56
    local.get $v
    i32.load offset=56
    i32.load
    i64.extend_i32_u
    i64.const 1
    i64.sub
    call $%getl4_i32_load
    local.set $leader
    local.get $v
    call $kernel_py.blocks.record_committed
    i32.const 1643
    local.get $v
    i64.load offset=24
    call $%bytes_be8
    local.get $v
    i64.load offset=32
    call $%bytes_be8
    call $concat
    call $kernel_py.store.write_value
    i32.const 1844
    local.get $v
    i32.load offset=72
    call $kernel_py.store.write_value
    i32.const 760
    local.get $v
    i64.load offset=8
    call $kernel_py.store.write_u64
    i32.const 779
    local.get $v
    i64.load offset=16
    call $kernel_py.store.write_u64
    call $%empty4
    local.set $ranges
    local.get $v
    i32.load offset=64
    i32.load
    i64.extend_i32_u
    local.set $%g3
    block $B1
    local.get $i
    local.get $%g3
    i64.ge_s
    br_if $B1
    loop $L2
    local.get $v
    i32.load offset=64
    local.get $i
    call $%getl8_i64_load
    local.tee $%g5
    i64.const 4294967295
    i64.gt_u
    br_if $%trap
    local.get $%g5
    i32.const 4
    call $%bytes_be
    local.get $v
    i32.load offset=68
    local.get $i
    call $%getl8_i64_load
    local.tee $%g6
    i64.const 4294967295
    i64.gt_u
    br_if $%trap
    local.get $%g6
    i32.const 4
    call $%bytes_be
    call $concat
    local.set $%g4
    local.get $ranges
    local.get $%g4
    call $%append4
    local.get $i
    i64.const 1
    i64.add
    local.tee $i
    local.get $%g3
    i64.lt_s
    br_if $L2
    end
    end
    i32.const 655
    local.get $ranges
    call $kernel_py.formats.dsn.concat
    call $kernel_py.store.write_value
    i32.const 680
    local.get $v
    i32.load offset=76
    call $kernel_py.store.write_value
    i32.const 640
    i64.const 0
    call $kernel_py.store.write_u64
    local.get $leader
    local.get $v
    i64.load offset=16
    call $%bytes_be8
    local.get $v
    i64.load offset=24
    call $%bytes_be8
    call $%concat3
    local.get $v
    i64.load offset=32
    call $%bytes_be8
    local.get $v
    i32.load offset=64
    i32.load
    i64.extend_i32_u
    i32.const 4
    call $%bytes_be
    call $%concat3
    local.set $info
    local.get $v
    i64.load offset=8
    i32.const 2186
    call $kernel_py.blocks.block_key
    local.get $info
    call $kernel_py.store.write_value
    local.get $v
    i64.load offset=8
    i32.const 706
    call $kernel_py.blocks.block_key
    i32.const 192
    call $kernel_py.store.write_value
    i32.const 694
    i32.const 59
    call $kernel_py.store.read_value
    local.get $v
    i64.load offset=8
    local.set $i19%index
    local.get $i19%index
    call $kernel_py.formats.dsn.u64_bytes
    local.get $leader
    call $concat
    call $concat
    call $kernel_py.formats.dsn.digest
    call $kernel_py.store.write_value
    i32.const 196
    local.get $v
    i64.load offset=8
    call $kernel_py.store.write_u64
    return
    end
    unreachable
  )
  (func $kernel_py.blocks.record_committed (param $v i32)
    (local $kept i32) (local $%t1 i32) (local $%t2 i32) (local $rounds_raw i32) (local $known i32) (local $parts i32) (local $last i32) (local $%g4 i32) (local $%g5 i32) (local $k i64) (local $i i64) (local $r i64) (local $r2 i64) (local $%g2 i64) (local $%g3 i64) (local $x i64) (local $r3 i64)
    i32.const 2523
    call $kernel_py.store.read_value
    local.set $rounds_raw
    i32.const 1643
    call $kernel_py.store.read_value
    local.tee $last
    i32.load
    i32.const 16
    i32.eq
    if
    local.get $last
    i32.const 0
    i32.const 8
    call $slice
    local.get $v
    i64.load offset=24
    call $%bytes_be8
    call $bytes_eq
    i32.eqz
    if
    i32.const 2543
    call $kernel_py.store.delete_tree
    i32.const 192
    local.set $rounds_raw
    end
    end
    call $%empty8
    local.set $kept
    local.get $rounds_raw
    i32.load
    i64.extend_i32_u
    i64.const 3
    i64.shr_u
    local.set $%g2
    block $B1
    local.get $i
    local.get $%g2
    i64.ge_s
    br_if $B1
    loop $L2
    local.get $rounds_raw
    i64.const 8
    local.get $i
    i64.mul
    call $%bound
    i32.const 8
    call $%from_be
    local.tee $r
    local.get $v
    i64.load offset=40
    i64.lt_u
    if
    local.get $r
    call $kernel_py.verify.round_key
    call $kernel_py.store.delete_tree
    else
    local.get $kept
    local.get $r
    call $%append8
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
    i64.const 0
    local.set $k
    local.get $v
    i32.load offset=56
    i32.load
    i64.extend_i32_u
    local.set $%g3
    block $B4
    local.get $k
    local.get $%g3
    i64.ge_s
    br_if $B4
    loop $L5
    local.get $v
    i32.load offset=60
    local.get $k
    call $%getl8_i64_load
    local.tee $r2
    local.get $v
    i32.load offset=56
    local.get $k
    call $%getl4_i32_load
    call $kernel_py.verify.cert_key
    local.tee $%g4
    i32.const 4
    i32.add
    local.get $%g4
    i32.load
    i32.const 0
    i32.const 192
    i32.const 4
    i32.add
    i32.const 192
    i32.load
    call $host.store_write
    i64.extend_i32_s
    drop
    i32.const 0
    local.set $known
    i32.const 0
    local.set $%t1
    block $B7
    loop $L8
    local.get $%t1
    local.get $kept
    i32.load
    i32.ge_u
    br_if $B7
    local.get $kept
    i32.load offset=8
    local.get $%t1
    i32.const 3
    i32.shl
    i32.add
    i64.load
    local.set $x
    local.get $x
    local.get $r2
    i64.eq
    if
    i32.const 1
    local.set $known
    end
    local.get $%t1
    i32.const 1
    i32.add
    local.set $%t1
    br $L8
    end
    end
    local.get $known
    i32.eqz
    if
    local.get $kept
    local.get $r2
    call $%append8
    end
    local.get $k
    i64.const 1
    i64.add
    local.tee $k
    local.get $%g3
    i64.lt_s
    br_if $L5
    end
    end
    call $%empty4
    local.set $parts
    i32.const 0
    local.set $%t2
    block $B10
    loop $L11
    local.get $%t2
    local.get $kept
    i32.load
    i32.ge_u
    br_if $B10
    local.get $kept
    i32.load offset=8
    local.get $%t2
    i32.const 3
    i32.shl
    i32.add
    i64.load
    local.set $r3
    local.get $r3
    call $%bytes_be8
    local.set $%g5
    local.get $parts
    local.get $%g5
    call $%append4
    local.get $%t2
    i32.const 1
    i32.add
    local.set $%t2
    br $L11
    end
    end
    i32.const 2523
    local.get $parts
    call $kernel_py.formats.dsn.concat
    call $kernel_py.store.write_value
  )
