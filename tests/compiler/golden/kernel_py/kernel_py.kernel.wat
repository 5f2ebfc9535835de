  (func $kernel_py.kernel.record_rejection (param $error i32)
    (local $%g1 i32)
    i32.const 1139
    i32.const 1139
    call $kernel_py.store.read_u64
    call $%add1_u64
    call $kernel_py.store.write_u64
    i32.const 1160
    local.get $error
    call $kernel_py.store.write_value
    i32.const 1180
    local.get $error
    call $concat
    local.tee $%g1
    i32.const 4
    i32.add
    local.get $%g1
    i32.load
    call $host.write_debug
  )
  (func $kernel_py.kernel.enqueue (param $item i32)
    (local $tail i64)
    i32.const 225
    call $kernel_py.store.read_u64
    local.tee $tail
    call $kernel_py.kernel.queue_key
    local.get $item
    call $kernel_py.store.write_value
    i32.const 225
    local.get $tail
    call $%add1_u64
    call $kernel_py.store.write_u64
  )
  (func $kernel_py.kernel.queue_key (param $n i64) (result i32)
    i32.const 1222
    local.get $n
    call $kernel_py.text.to_decimal
    call $concat
  )
  (func $kernel_py.kernel.queue_empty (result i32)
    i32.const 210
    call $kernel_py.store.read_u64
    i32.const 225
    call $kernel_py.store.read_u64
    i64.eq
  )
  (func $kernel_py.kernel.handle_contents (param $msg i32) (param $level i64)
    (local $i11%h i32) (local $i11%page i32) (local $i11%key i32) (local $i11%ref i64)
    local.get $msg
    i64.load offset=0
    i64.const 5
    i64.eq
    if
    local.get $msg
    i32.load offset=8
    local.set $i11%page
    local.get $i11%page
    call $kernel_py.formats.dsn.digest
    local.tee $i11%h
    call $kernel_py.da.page_key
    local.get $i11%page
    call $kernel_py.store.write_value
    local.get $i11%h
    call $kernel_py.da.ref_key
    local.tee $i11%key
    call $kernel_py.store.read_u64
    local.tee $i11%ref
    i64.eqz
    if
    i32.const 488
    local.get $level
    call $kernel_py.text.to_decimal
    call $concat
    local.get $i11%h
    call $kernel_py.store.append_value
    end
    local.get $i11%key
    local.get $i11%ref
    call $%add1_u64
    call $kernel_py.store.write_u64
    local.get $i11%h
    drop
    else
    local.get $msg
    i64.load offset=0
    i64.const 6
    i64.eq
    if
    i32.const 630
    local.get $msg
    i64.load offset=16
    call $%bytes_be8
    local.get $msg
    i32.load offset=24
    call $%concat3
    call $kernel_py.kernel.enqueue
    else
    local.get $msg
    i64.load offset=0
    i64.const 7
    i64.eq
    if
    i32.const 635
    local.get $msg
    i32.load offset=8
    call $concat
    call $kernel_py.kernel.enqueue
    else
    local.get $msg
    i64.load offset=0
    i64.const 8
    i64.eq
    if
    local.get $msg
    i32.load offset=8
    call $kernel_py.kernel.record_rejection
    end
    end
    end
    end
  )
  (func $kernel_py.kernel.read_inputs (param $address i32) (result i32)
    (local $raw i32) (local $%g1 i32) (local $msg i32) (local $i3%kind i32) (local $i4%message i32) (local $i4%error i32) (local $%g2 i32) (local $entries i32) (local $i4%sender i32) (local $p i64) (local $i3%n i64) (local $level i64) (local $i i64) (local $%g5 i64)
    loop $L2
    i32.const 4108
    call $alloc
    local.set $%g1
    i32.const 16
    local.get $%g1
    i32.const 4
    i32.add
    i32.const 4096
    call $host.read_input
    local.tee $%g2
    i32.const 0
    i32.lt_s
    if
    i32.const 0
    local.set $%g2
    end
    local.get $%g1
    local.get $%g2
    i32.store
    local.get $%g1
    local.get $%g2
    i32.add
    i32.const 11
    i32.add
    i32.const -8
    i32.and
    global.set $hp
    local.get $%g1
    local.tee $raw
    i32.load
    i32.eqz
    if
    i32.const 1
    return
    end
    i32.const 16
    i32.load
    i64.extend_i32_u
    call $%cv_int_u64
    local.set $level
    local.get $i
    i64.eqz
    if
    local.get $level
    i64.const 64
    i64.sub
    call $kernel_py.da.sweep_pages
    end
    block $I4 (result i32)
    local.get $raw
    i32.load
    i64.extend_i32_u
    local.tee $i3%n
    i64.const 2
    i64.lt_s
    if
    i64.const 8
    i32.const 500
    call $kernel_py.formats.inbox._msg
    br $I4
    end
    local.get $raw
    i32.load8_u offset=4
    i32.eqz
    if
    local.get $raw
    i32.load8_u offset=5
    local.tee $i3%kind
    i32.eqz
    if
    local.get $raw
    local.get $address
    call $kernel_py.formats.inbox._parse_transfer
    br $I4
    end
    local.get $i3%kind
    i32.const 1
    i32.eq
    local.get $i3%n
    i64.const 2
    i64.eq
    i32.and
    if
    i64.const 1
    i32.const 192
    call $kernel_py.formats.inbox._msg
    br $I4
    end
    local.get $i3%kind
    i32.const 2
    i32.eq
    local.get $i3%n
    i64.const 2
    i64.eq
    i32.and
    if
    i64.const 3
    i32.const 192
    call $kernel_py.formats.inbox._msg
    br $I4
    end
    local.get $i3%kind
    i32.const 3
    i32.eq
    local.get $i3%n
    i64.const 42
    i64.eq
    i32.and
    if
    i64.const 2
    local.get $raw
    i32.const 2
    i32.const 42
    call $slice
    call $kernel_py.formats.inbox._msg
    br $I4
    end
    i64.const 0
    i32.const 192
    call $kernel_py.formats.inbox._msg
    br $I4
    end
    local.get $raw
    i32.load8_u offset=4
    i32.const 1
    i32.ne
    if
    i64.const 8
    i32.const 517
    call $kernel_py.formats.inbox._msg
    br $I4
    end
    local.get $raw
    i32.load8_u offset=5
    i32.eqz
    i32.eqz
    local.get $i3%n
    i64.const 22
    i64.lt_s
    i32.or
    if (result i32)
    i32.const 1
    else
    local.get $raw
    i32.const 2
    i32.const 22
    call $slice
    local.get $address
    call $bytes_eq
    i32.eqz
    end
    if
    i64.const 0
    i32.const 192
    call $kernel_py.formats.inbox._msg
    br $I4
    end
    local.get $raw
    i32.const 22
    local.get $i3%n
    i32.wrap_i64
    call $slice
    call $kernel_py.formats.inbox.parse_contents
    end
    local.tee $msg
    i64.load offset=0
    i64.const 4
    i64.eq
    if
    local.get $msg
    i32.load offset=28
    local.set $i4%sender
    local.get $msg
    i32.load offset=8
    local.set $i4%message
    block $I5
    i32.const 153
    call $kernel_py.store.has_value
    i32.eqz
    if (result i32)
    i32.const 1
    else
    i32.const 153
    call $kernel_py.store.read_value
    local.get $i4%sender
    call $bytes_eq
    i32.eqz
    end
    if
    i32.const 540
    call $kernel_py.kernel.record_rejection
    br $I5
    end
    local.get $i4%message
    i32.const 0
    i32.const 8
    call $slice
    i32.const 585
    call $bytes_eq
    if
    local.get $i4%message
    call $kernel_py.dal.set_publishers
    local.set $i4%error
    else
    local.get $i4%message
    call $kernel_py.genesis.register_committee
    local.set $i4%error
    end
    local.get $i4%error
    i32.load
    i32.const 0
    i32.gt_u
    if
    local.get $i4%error
    call $kernel_py.kernel.record_rejection
    end
    end
    else
    local.get $raw
    i32.const 0
    i32.const 2
    call $slice
    i32.const 181
    call $bytes_eq
    if
    local.get $raw
    i32.const 2
    local.get $raw
    i32.load
    i64.extend_i32_u
    i32.wrap_i64
    call $slice
    local.get $level
    call $kernel_py.dal.attested_entries
    local.set $entries
    i64.const 0
    local.set $p
    local.get $entries
    i32.load
    i64.extend_i32_u
    local.set $%g5
    block $B6
    local.get $p
    local.get $%g5
    i64.ge_s
    br_if $B6
    loop $L7
    i32.const 187
    local.get $entries
    local.get $p
    i32.wrap_i64
    local.get $p
    i64.const 15
    i64.add
    call $sat32
    call $slice
    call $concat
    call $kernel_py.kernel.enqueue
    local.get $p
    i64.const 15
    i64.add
    local.tee $p
    local.get $%g5
    i64.lt_s
    br_if $L7
    end
    end
    else
    local.get $msg
    local.get $level
    call $kernel_py.kernel.handle_contents
    end
    end
    local.get $i
    i64.const 1
    i64.add
    local.tee $i
    i64.const 4000
    i64.lt_s
    br_if $L2
    end
    i32.const 0
  )
  (func $kernel_py.kernel.do_work (param $address i32)
    (local $item i32) (local $i6%error i32) (local $i6%v i32) (local $job_data i32) (local $data i32) (local $i6%data i32) (local $i7%entry i32) (local $i6%used i32) (local $i7%raw i32) (local $i7%tx i32) (local $i5%item i32) (local $i6%root i32) (local $i7%sig_ok i32) (local $i7%log i32) (local $%g3 i32) (local $budget i64) (local $pos i64) (local $i6%work i64) (local $n i64) (local $index i64) (local $i5%head i64) (local $i7%last i64) (local $work i64) (local $level i64)
    i32.const 192
    local.set $job_data
    i64.const 800
    local.set $budget
    block $B1
    loop $L2
    local.get $budget
    i64.const 0
    i64.gt_s
    i32.eqz
    br_if $B1
    call $kernel_py.blocks.job_active
    if
    local.get $budget
    local.get $address
    i64.const 256
    local.get $budget
    i64.const 256
    local.get $budget
    i64.lt_s
    select
    local.get $job_data
    call $kernel_py.blocks.apply_chunk
    call $%sub_s64
    local.set $budget
    else
    call $kernel_py.kernel.queue_empty
    if
    br $B1
    else
    i32.const 210
    call $kernel_py.store.read_u64
    local.tee $i5%head
    call $kernel_py.kernel.queue_key
    call $kernel_py.store.read_value
    local.set $i5%item
    local.get $i5%head
    call $kernel_py.kernel.queue_key
    call $kernel_py.store.delete_value
    i32.const 210
    local.get $i5%head
    call $%add1_u64
    call $kernel_py.store.write_u64
    local.get $i5%item
    local.tee $item
    i64.const 0
    call $%getb1_i32_load8_u
    i32.const 2
    i32.eq
    if
    local.get $item
    i64.const 1
    call $sat32
    i32.const 8
    call $%from_be
    local.set $index
    local.get $item
    i32.const 9
    i32.const 41
    call $slice
    local.set $i6%root
    block $I4 (result i64)
    local.get $i6%root
    call $kernel_py.da.reassemble
    global.get $%r1_i32
    global.get $%r2_i32
    local.set $i6%used
    local.set $i6%data
    local.set $i6%error
    i64.const 1
    local.get $i6%used
    i32.load
    i64.extend_i32_u
    i64.const 3
    i64.div_u
    i64.add
    local.set $i6%work
    local.get $i6%error
    i32.load
    i32.eqz
    if
    local.get $i6%data
    i32.const 760
    call $kernel_py.store.read_u64
    i32.const 779
    call $kernel_py.store.read_u64
    call $kernel_py.verify.verify_preblock
    local.set $i6%v
    local.get $i6%work
    local.get $i6%v
    i64.load offset=48
    call $%add_s64
    local.set $i6%work
    local.get $i6%v
    i32.load offset=4
    local.set $i6%error
    local.get $i6%v
    i32.load8_u offset=0
    local.get $i6%v
    i64.load offset=8
    local.get $index
    i64.ne
    i32.and
    if
    i32.const 802
    local.set $i6%error
    end
    end
    local.get $i6%error
    i32.load
    i32.const 0
    i32.gt_u
    if
    i32.const 829
    local.get $index
    call $kernel_py.text.to_decimal
    i32.const 843
    call $%concat3
    local.get $i6%error
    call $concat
    call $kernel_py.kernel.record_rejection
    local.get $i6%work
    local.get $i6%data
    global.set $%r1_i32
    br $I4
    end
    local.get $i6%used
    call $kernel_py.da.release_pages
    local.get $i6%v
    local.get $i6%data
    call $kernel_py.blocks.start_job
    local.get $i6%work
    local.get $i6%data
    global.set $%r1_i32
    end
    global.get $%r1_i32
    local.set $job_data
    local.set $work
    local.get $budget
    local.get $work
    call $%sub_s64
    local.set $budget
    else
    local.get $item
    i64.const 0
    call $%getb1_i32_load8_u
    i32.const 4
    i32.eq
    if
    local.get $item
    i32.const 1
    local.get $item
    i32.load
    i64.extend_i32_u
    i32.wrap_i64
    call $slice
    call $kernel_py.dal.read_slot
    local.set $data
    local.get $item
    i64.const 12
    call $sat32
    i32.const 4
    call $%from_be
    local.set $level
    i64.const 0
    local.set $pos
    block $B5
    loop $L6
    local.get $pos
    i64.const 2
    call $%add_s64
    local.get $data
    i32.load
    i64.extend_i32_u
    i64.le_s
    i32.eqz
    br_if $B5
    local.get $data
    local.get $pos
    call $%bound
    i32.const 2
    call $%from_be
    local.tee $n
    i64.eqz
    if (result i32)
    i32.const 1
    else
    local.get $pos
    i64.const 2
    call $%add_s64
    local.get $n
    call $%add_s64
    local.get $data
    i32.load
    i64.extend_i32_u
    i64.gt_s
    end
    if
    br $B5
    end
    local.get $data
    local.get $pos
    i64.const 2
    call $%add_s64
    local.get $pos
    i64.const 2
    call $%add_s64
    local.get $n
    call $%add_s64
    call $%slice64
    call $kernel_py.formats.inbox.parse_contents
    local.get $level
    call $kernel_py.kernel.handle_contents
    local.get $pos
    i64.const 2
    call $%add_s64
    local.get $n
    call $%add_s64
    local.set $pos
    br $L6
    end
    end
    local.get $budget
    i64.const 250
    call $%sub_s64
    local.set $budget
    else
    local.get $item
    i32.const 1
    local.get $item
    i32.load
    i64.extend_i32_u
    i32.wrap_i64
    call $slice
    local.set $i7%raw
    local.get $i7%raw
    call $kernel_py.formats.tx.decode_tx
    local.set $i7%tx
    i32.const 1
    i32.const 4
    call $list_new
    local.tee $%g3
    i32.load offset=8
    local.get $i7%tx
    i32.store offset=0
    local.get $%g3
    local.get $address
    i32.const 192
    call $kernel_py.blocks.signatures_ok
    local.set $i7%sig_ok
    i32.const 760
    call $kernel_py.store.read_u64
    local.set $i7%last
    local.get $i7%raw
    local.get $i7%tx
    local.get $i7%sig_ok
    i64.const 0
    call $%getl1_i32_load8_u
    local.get $address
    local.get $i7%last
    call $kernel_py.blocks._execute
    global.get $%r1_i32
    local.set $i7%log
    local.set $i7%entry
    local.get $i7%last
    i32.const 935
    call $kernel_py.blocks.block_key
    local.get $i7%entry
    call $kernel_py.store.append_value
    local.get $i7%entry
    i64.const 32
    call $%getb1_i32_load8_u
    i32.const 2
    i32.ne
    if
    i32.const 59
    i32.const 59
    call $kernel_py.store.read_value
    local.get $i7%entry
    local.get $i7%log
    call $%concat3
    call $kernel_py.formats.dsn.digest
    call $kernel_py.store.write_value
    end
    local.get $budget
    call $%sub1_s64
    local.set $budget
    end
    end
    end
    end
    br $L2
    end
    end
    call $kernel_py.blocks.job_active
    local.get $job_data
    i32.load
    i32.const 0
    i32.gt_u
    i32.and
    if
    i32.const 667
    local.get $job_data
    call $kernel_py.store.write_value
    end
  )
  (func $%kernel_py.kernel.kernel_run
    (local $%g2 i32) (local $%g3 i32) (local $address i32) (local $i2%root i32) (local $exhausted i32) (local $i2%error i32) (local $i2%gov i32) (local $%g4 i32)
    i32.const 4848
    global.set $hp
    i32.const 36
    call $alloc
    local.tee $%g2
    i32.const 4
    i32.add
    i32.const 24
    call $host.reveal_metadata
    local.tee $%g3
    i32.const 0
    i32.lt_s
    if
    i32.const 0
    local.set $%g3
    end
    local.get $%g2
    local.get $%g3
    i32.store
    local.get $%g2
    local.get $%g3
    i32.add
    i32.const 11
    i32.add
    i32.const -8
    i32.and
    global.set $hp
    local.get $%g2
    i32.const 0
    i32.const 20
    call $slice
    local.set $address
    i32.const 59
    call $kernel_py.store.has_value
    i32.eqz
    if
    i32.const 74
    call $kernel_py.store.read_value
    call $kernel_py.genesis.register_committee
    local.tee $i2%error
    i32.load
    i32.const 0
    i32.gt_u
    if
    i32.const 94
    local.get $i2%error
    call $concat
    local.tee $%g4
    i32.const 4
    i32.add
    local.get $%g4
    i32.load
    call $host.write_debug
    end
    i32.const 132
    call $kernel_py.store.read_value
    local.tee $i2%gov
    i32.load
    i32.const 20
    i32.eq
    if
    i32.const 153
    local.get $i2%gov
    call $kernel_py.store.write_value
    end
    call $kernel_py.genesis._genesis
    local.set $i2%root
    i32.const 59
    local.get $i2%root
    call $kernel_py.store.write_value
    i32.const 172
    i64.const 8
    call $bytes_new64
    local.get $i2%root
    call $concat
    call $kernel_py.store.write_value
    end
    local.get $address
    call $kernel_py.kernel.read_inputs
    local.set $exhausted
    local.get $address
    call $kernel_py.kernel.do_work
    local.get $exhausted
    i32.eqz
    if (result i32)
    i32.const 1
    else
    call $kernel_py.blocks.job_active
    end
    if (result i32)
    i32.const 1
    else
    call $kernel_py.kernel.queue_empty
    i32.eqz
    end
    if
    i32.const 32
    i32.const 4
    i32.add
    i32.const 32
    i32.load
    i32.const 0
    i32.const 54
    i32.const 4
    i32.add
    i32.const 54
    i32.load
    call $host.store_write
    i64.extend_i32_s
    drop
    end
  )
