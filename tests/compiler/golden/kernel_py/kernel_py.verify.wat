  (func $kernel_py.verify._reject (param $error i32) (result i32)
    (local $%g1 i32)
    i32.const 80
    call $alloc
    local.tee $%g1
    local.get $error
    i32.store offset=4
    local.get $%g1
    call $%empty4
    i32.store offset=56
    local.get $%g1
    call $%empty8
    i32.store offset=60
    local.get $%g1
    call $%empty8
    i32.store offset=64
    local.get $%g1
    call $%empty8
    i32.store offset=68
    local.get $%g1
    i32.const 192
    i32.store offset=72
    local.get $%g1
    i32.const 192
    i32.store offset=76
    local.get $%g1
  )
  (func $kernel_py.verify._collect (param $c i32) (param $cert i32) (param $d i32) (param $pks i32) (param $msgs i32) (param $sigs i32) (result i32)
    (local $%t2 i32) (local $s i32) (local $%t1 i32) (local $msg i32) (local $%g1 i32) (local $%g2 i32) (local $i27%stake i64)
    block $I1 (result i32)
    local.get $cert
    i32.load offset=0
    i64.load offset=16
    local.get $c
    i64.load offset=0
    i64.ne
    local.get $cert
    i32.load offset=0
    i64.load offset=0
    local.get $c
    i32.load offset=16
    i32.load
    i64.extend_i32_u
    i64.ge_s
    i32.or
    if
    i32.const 0
    br $I1
    end
    local.get $c
    local.get $cert
    i32.load offset=4
    call $kernel_py.formats.dsn.signers_stake
    global.get $%r1_i64
    local.set $i27%stake
    if (result i32)
    local.get $i27%stake
    local.get $c
    call $kernel_py.formats.dsn.quorum_threshold
    i64.ge_u
    else
    i32.const 0
    end
    end
    i32.eqz
    if
    i32.const 0
    return
    end
    i32.const 3147
    i32.const 54
    local.get $d
    call $%concat3
    local.set $msg
    local.get $cert
    i32.load offset=4
    local.set $%t1
    block $B3
    loop $L4
    local.get $%t2
    local.get $%t1
    i32.load
    i32.ge_u
    br_if $B3
    local.get $%t1
    i32.load offset=8
    local.get $%t2
    i32.const 2
    i32.shl
    i32.add
    i32.load
    local.set $s
    local.get $c
    i32.load offset=16
    local.get $s
    i64.load offset=0
    call $%getl4_i32_load
    i32.load offset=0
    local.set $%g1
    local.get $pks
    local.get $%g1
    call $%append4
    local.get $msgs
    local.get $msg
    call $%append4
    local.get $s
    i32.load offset=8
    local.set $%g2
    local.get $sigs
    local.get $%g2
    call $%append4
    local.get $%t2
    i32.const 1
    i32.add
    local.set $%t2
    br $L4
    end
    end
    i32.const 1
  )
  (func $kernel_py.verify.committee_key (param $epoch i64) (result i32)
    i32.const 945
    local.get $epoch
    call $kernel_py.text.to_decimal
    call $concat
  )
  (func $kernel_py.verify.committed (param $cert_round i64) (param $cert_digest i32) (result i32)
    (local $%g1 i32)
    local.get $cert_round
    local.get $cert_digest
    call $kernel_py.verify.cert_key
    local.tee $%g1
    i32.const 4
    i32.add
    local.get $%g1
    i32.load
    call $host.store_value_size
    i64.extend_i32_s
    i64.const 0
    i64.ge_s
  )
  (func $kernel_py.verify._find (param $rounds i32) (param $digests i32) (param $before i64) (param $parent_round i64) (param $d i32) (result i64)
    (local $k i64) (local $r i64)
    local.get $before
    call $%sub1_s64
    local.set $k
    block $B1
    loop $L2
    local.get $k
    i64.const 0
    i64.ge_s
    i32.eqz
    br_if $B1
    local.get $rounds
    local.get $k
    call $%getl8_i64_load
    local.tee $r
    local.get $parent_round
    i64.lt_u
    if
    i64.const -1
    return
    end
    local.get $r
    local.get $parent_round
    i64.eq
    if
    local.get $digests
    local.get $k
    call $%getl4_i32_load
    local.get $d
    call $bytes_eq
    if
    local.get $k
    return
    end
    end
    local.get $k
    call $%sub1_s64
    local.set $k
    br $L2
    end
    end
    i64.const -1
  )
  (func $kernel_py.verify._contains (param $items i32) (param $d i32) (result i32)
    (local $%t1 i32) (local $x i32)
    block $B1
    loop $L2
    local.get $%t1
    local.get $items
    i32.load
    i32.ge_u
    br_if $B1
    local.get $items
    i32.load offset=8
    local.get $%t1
    i32.const 2
    i32.shl
    i32.add
    i32.load
    local.set $x
    local.get $x
    local.get $d
    call $bytes_eq
    if
    i32.const 1
    return
    end
    local.get $%t1
    i32.const 1
    i32.add
    local.set $%t1
    br $L2
    end
    end
    i32.const 0
  )
  (func $kernel_py.verify._support (param $c i32) (param $support i32) (param $target i32) (param $target_digest i32) (param $pks i32) (param $msgs i32) (param $sigs i32) (result i32)
    (local $%t1 i32) (local $h i32) (local $cert i32) (local $stake i64)
    block $B1
    loop $L2
    local.get $%t1
    local.get $support
    i32.load
    i32.ge_u
    br_if $B1
    local.get $support
    i32.load offset=8
    local.get $%t1
    i32.const 2
    i32.shl
    i32.add
    i32.load
    local.set $cert
    local.get $cert
    i32.load offset=0
    local.tee $h
    i64.load offset=8
    local.get $target
    i64.load offset=8
    call $%add1_u64
    i64.ne
    if (result i32)
    i32.const 1
    else
    local.get $h
    i32.load offset=36
    local.get $target_digest
    call $kernel_py.verify._contains
    i32.eqz
    end
    if
    i32.const 3162
    return
    end
    local.get $c
    local.get $cert
    local.get $h
    call $kernel_py.formats.dsn.header_digest
    local.get $pks
    local.get $msgs
    local.get $sigs
    call $kernel_py.verify._collect
    i32.eqz
    if
    i32.const 3191
    return
    end
    local.get $stake
    local.get $c
    i32.load offset=16
    local.get $h
    i64.load offset=0
    call $%getl4_i32_load
    i64.load offset=8
    call $%add_u64
    local.set $stake
    local.get $%t1
    i32.const 1
    i32.add
    local.set $%t1
    br $L2
    end
    end
    local.get $stake
    local.get $c
    call $kernel_py.formats.dsn.total_stake
    i64.const 2
    call $%add_u64
    i64.const 3
    i64.div_u
    i64.lt_u
    if
    i32.const 3226
    return
    end
    i32.const 192
  )
  (func $kernel_py.verify.cert_key (param $cert_round i64) (param $cert_digest i32) (result i32)
    local.get $cert_round
    call $kernel_py.verify.round_key
    i32.const 971
    local.get $cert_digest
    call $kernel_py.text.to_hex
    call $%concat3
  )
  (func $kernel_py.verify.round_key (param $cert_round i64) (result i32)
    i32.const 2543
    i32.const 971
    local.get $cert_round
    call $kernel_py.text.to_decimal
    call $%concat3
  )
  (func $kernel_py.verify.verify_preblock (param $data i32) (param $last_index i64) (param $last_timestamp i64) (result i32)
    (local $p i32) (local $%g12 i32) (local $leader i32) (local $h i32) (local $c i32) (local $pks i32) (local $digests i32) (local $cert i32) (local $rounds i32) (local $pending i32) (local $%t5 i32) (local $%t8 i32) (local $%t10 i32) (local $%t12 i32) (local $%t14 i32) (local $%t2 i32) (local $msgs i32) (local $sigs i32) (local $genesis i32) (local $reached i32) (local $parent i32) (local $offsets i32) (local $last i32) (local $%t1 i32) (local $leader_digest i32) (local $%t4 i32) (local $%t7 i32) (local $tx_lengths i32) (local $%t9 i32) (local $%t11 i32) (local $tx i32) (local $%t13 i32) (local $leader_cert i32) (local $error i32) (local $entry i32) (local $sig_ok i32) (local $v i32) (local $i17%r i32) (local $i17%p i32) (local $i18%raw i32) (local $%g1 i32) (local $%g2 i32) (local $%g9 i32) (local $pos i64) (local $m i64) (local $j i64) (local $epoch i64) (local $horizon i64) (local $k i64) (local $i i64) (local $%t3 i64) (local $parent_round i64) (local $%t6 i64) (local $size i64) (local $b i64) (local $expected_ts i64) (local $last_round i64) (local $last_epoch i64) (local $%g4 i64) (local $%g6 i64) (local $%g11 i64) (local $n i64) (local $leader_sigs i64) (local $start i64) (local $%g3 i64) (local $%g7 i64) (local $%g8 i64)
    local.get $data
    call $kernel_py.formats.dsn.new_reader
    local.tee $i17%r
    call $kernel_py.formats.dsn.read_preblock
    local.set $i17%p
    local.get $i17%r
    call $kernel_py.formats.dsn.reader_finished
    local.get $i17%p
    global.set $%r1_i32
    global.get $%r1_i32
    local.set $p
    i32.eqz
    if
    i32.const 1573
    call $kernel_py.verify._reject
    return
    end
    local.get $p
    i64.load offset=0
    local.get $last_index
    call $%add1_u64
    i64.ne
    if
    i32.const 1596
    call $kernel_py.verify._reject
    return
    end
    local.get $p
    i32.load offset=16
    i32.load
    i64.extend_i32_u
    local.set $m
    local.get $p
    i32.load offset=16
    local.get $m
    i64.const 1
    i64.sub
    call $%getl4_i32_load
    local.tee $leader_cert
    i32.load offset=0
    local.tee $leader
    i64.load offset=16
    local.set $epoch
    block $I2 (result i32)
    local.get $epoch
    call $kernel_py.verify.committee_key
    call $kernel_py.store.read_value
    local.tee $i18%raw
    i32.load
    i32.eqz
    if
    i32.const 0
    i32.const 20
    call $alloc
    local.tee $%g1
    call $%empty4
    i32.store offset=16
    local.get $%g1
    global.set $%r1_i32
    br $I2
    end
    local.get $i18%raw
    call $kernel_py.formats.dsn.decode_committee
    global.get $%r1_i32
    global.set $%r1_i32
    end
    global.get $%r1_i32
    local.set $c
    i32.eqz
    if
    i32.const 1626
    call $kernel_py.verify._reject
    return
    end
    local.get $c
    i32.load offset=16
    i32.load
    i64.extend_i32_u
    local.set $n
    i32.const 1643
    call $kernel_py.store.read_value
    local.tee $last
    i32.load
    i32.const 16
    i32.eq
    if
    local.get $last
    i32.const 4
    i32.add
    i32.const 8
    call $%load_be
    local.tee $last_epoch
    local.get $epoch
    i64.eq
    if
    local.get $last
    i32.const 12
    i32.add
    i32.const 8
    call $%load_be
    local.set $last_round
    end
    local.get $epoch
    local.get $last_epoch
    i64.lt_u
    local.get $epoch
    local.get $last_epoch
    i64.eq
    local.get $leader
    i64.load offset=8
    local.get $last_round
    i64.le_u
    i32.and
    i32.or
    if
    i32.const 1663
    call $kernel_py.verify._reject
    return
    end
    end
    local.get $c
    local.get $leader
    i64.load offset=8
    call $kernel_py.formats.dsn.leader_index
    local.get $leader
    i64.load offset=0
    i64.ne
    if
    i32.const 1709
    call $kernel_py.verify._reject
    return
    end
    call $%empty4
    local.set $digests
    call $%empty8
    local.set $rounds
    local.get $p
    i32.load offset=16
    local.set $%t1
    block $B3
    loop $L4
    local.get $%t2
    local.get $%t1
    i32.load
    i32.ge_u
    br_if $B3
    local.get $%t1
    i32.load offset=8
    local.get $%t2
    i32.const 2
    i32.shl
    i32.add
    i32.load
    local.set $cert
    local.get $cert
    i32.load offset=0
    local.tee $h
    i64.load offset=16
    local.get $epoch
    i64.ne
    if
    i32.const 1737
    call $kernel_py.verify._reject
    return
    end
    local.get $h
    i64.load offset=0
    local.get $n
    i64.ge_s
    if
    i32.const 1771
    call $kernel_py.verify._reject
    return
    end
    local.get $h
    call $kernel_py.formats.dsn.header_digest
    local.set $%g2
    local.get $digests
    local.get $%g2
    call $%append4
    local.get $h
    i64.load offset=8
    local.set $%g3
    local.get $rounds
    local.get $%g3
    call $%append8
    local.get $%t2
    i32.const 1
    i32.add
    local.set $%t2
    br $L4
    end
    end
    local.get $digests
    local.get $m
    i64.const 1
    i64.sub
    call $%getl4_i32_load
    local.set $leader_digest
    call $%empty4
    local.set $pks
    call $%empty4
    local.set $msgs
    call $%empty4
    local.set $sigs
    local.get $c
    local.get $leader_cert
    local.get $leader_digest
    local.get $pks
    local.get $msgs
    local.get $sigs
    call $kernel_py.verify._collect
    i32.eqz
    if
    i32.const 1801
    call $kernel_py.verify._reject
    return
    end
    local.get $pks
    i32.load
    i64.extend_i32_u
    local.set $leader_sigs
    i64.const 1
    local.set $horizon
    local.get $leader
    i64.load offset=8
    local.get $c
    i64.load offset=8
    i64.gt_u
    if
    local.get $leader
    i64.load offset=8
    local.get $c
    i64.load offset=8
    call $%sub_u64
    i64.const 1
    i64.gt_u
    if
    local.get $leader
    i64.load offset=8
    local.get $c
    i64.load offset=8
    call $%sub_u64
    local.set $horizon
    end
    end
    i32.const 1844
    call $kernel_py.store.read_value
    local.tee $pending
    i32.load
    i64.extend_i32_u
    local.tee $size
    i64.const 0
    i64.gt_s
    if
    local.get $pending
    local.get $size
    i64.const 32
    i64.sub
    call $%bound
    local.get $size
    i32.wrap_i64
    call $slice
    local.get $leader_digest
    call $bytes_eq
    i32.eqz
    if
    i32.const 1860
    call $kernel_py.verify._reject
    return
    end
    local.get $pending
    i32.const 0
    local.get $size
    i64.const 32
    i64.sub
    call $%bound
    call $slice
    local.set $pending
    else
    local.get $c
    local.get $p
    local.get $digests
    local.get $rounds
    local.get $horizon
    local.get $last_round
    local.get $pks
    local.get $msgs
    local.get $sigs
    call $kernel_py.verify._evidence
    global.get $%r1_i32
    local.set $pending
    local.tee $error
    i32.load
    i32.const 0
    i32.gt_u
    if
    local.get $error
    call $kernel_py.verify._reject
    return
    end
    end
    i64.const 0
    local.set $%t3
    local.get $m
    i64.const 1
    i64.sub
    local.set $%g4
    block $B6
    local.get $%t3
    local.get $%g4
    i64.ge_s
    br_if $B6
    loop $L7
    local.get $%t3
    local.set $k
    local.get $rounds
    local.get $k
    call $%getl8_i64_load
    local.get $leader
    i64.load offset=8
    i64.ge_u
    if
    i32.const 1886
    call $kernel_py.verify._reject
    return
    end
    local.get $%t3
    i64.const 1
    i64.add
    local.tee $%t3
    local.get $%g4
    i64.lt_s
    br_if $L7
    end
    end
    call $%empty4
    local.set $genesis
    local.get $m
    call $%count
    i32.const 1
    call $list_new
    local.tee $reached
    local.get $m
    i64.const 1
    i64.sub
    i32.const 1
    call $%setl1_i32_store8
    local.get $m
    i64.const 1
    i64.sub
    local.set $j
    block $B9
    loop $L10
    local.get $j
    i64.const 0
    i64.ge_s
    i32.eqz
    br_if $B9
    local.get $p
    i32.load offset=16
    local.get $j
    call $%getl4_i32_load
    i32.load offset=0
    local.tee $h
    i64.load offset=8
    local.get $horizon
    i64.lt_u
    if
    i32.const 1928
    call $kernel_py.verify._reject
    return
    end
    local.get $h
    i64.load offset=8
    local.get $digests
    local.get $j
    call $%getl4_i32_load
    call $kernel_py.verify.committed
    if
    i32.const 1964
    call $kernel_py.verify._reject
    return
    end
    local.get $h
    i64.load offset=8
    call $%sub1_u64
    local.set $parent_round
    local.get $h
    i32.load offset=36
    local.set $%t4
    i32.const 0
    local.set $%t5
    block $B11
    loop $L12
    local.get $%t5
    local.get $%t4
    i32.load
    i32.ge_u
    br_if $B11
    local.get $%t4
    i32.load offset=8
    local.get $%t5
    i32.const 2
    i32.shl
    i32.add
    i32.load
    local.set $parent
    local.get $rounds
    local.get $digests
    local.get $j
    local.get $parent_round
    local.get $parent
    call $kernel_py.verify._find
    local.tee $k
    i64.const 0
    i64.ge_s
    if
    local.get $reached
    local.get $j
    call $%getl1_i32_load8_u
    if
    local.get $reached
    local.get $k
    i32.const 1
    call $%setl1_i32_store8
    end
    else
    local.get $parent_round
    i64.eqz
    if
    local.get $genesis
    i32.load
    i32.eqz
    if
    local.get $c
    call $kernel_py.formats.dsn.genesis_digests
    local.set $genesis
    end
    local.get $genesis
    local.get $parent
    call $kernel_py.verify._contains
    i32.eqz
    if
    i32.const 1997
    call $kernel_py.verify._reject
    return
    end
    else
    local.get $parent_round
    local.get $horizon
    i64.ge_u
    if
    local.get $parent_round
    local.get $parent
    call $kernel_py.verify.committed
    i32.eqz
    if
    i32.const 2023
    call $kernel_py.verify._reject
    return
    end
    end
    end
    end
    local.get $%t5
    i32.const 1
    i32.add
    local.set $%t5
    br $L12
    end
    end
    local.get $j
    call $%sub1_s64
    local.set $j
    br $L10
    end
    end
    i64.const 0
    local.set $%t6
    local.get $m
    local.set $%g6
    block $B14
    local.get $%t6
    local.get $%g6
    i64.ge_s
    br_if $B14
    loop $L15
    local.get $%t6
    local.set $k
    local.get $reached
    local.get $k
    call $%getl1_i32_load8_u
    i32.eqz
    if
    i32.const 2053
    call $kernel_py.verify._reject
    return
    end
    local.get $%t6
    i64.const 1
    i64.add
    local.tee $%t6
    local.get $%g6
    i64.lt_s
    br_if $L15
    end
    end
    i64.const 24
    local.set $pos
    local.get $p
    i32.load offset=16
    local.set $%t7
    i32.const 0
    local.set $%t8
    block $B17
    loop $L18
    local.get $%t8
    local.get $%t7
    i32.load
    i32.ge_u
    br_if $B17
    local.get $%t7
    i32.load offset=8
    local.get $%t8
    i32.const 2
    i32.shl
    i32.add
    i32.load
    local.set $cert
    local.get $cert
    i32.load offset=0
    local.set $h
    local.get $pos
    i64.const 38
    call $%add_s64
    i64.const 36
    local.get $h
    i32.load offset=32
    i32.load
    i64.extend_i32_u
    i64.mul
    call $%add_s64
    i64.const 32
    local.get $h
    i32.load offset=36
    i32.load
    i64.extend_i32_u
    i64.mul
    call $%add_s64
    i64.const 66
    local.get $cert
    i32.load offset=4
    i32.load
    i64.extend_i32_u
    i64.mul
    call $%add_s64
    local.set $pos
    local.get $%t8
    i32.const 1
    i32.add
    local.set $%t8
    br $L18
    end
    end
    call $%empty8
    local.set $offsets
    call $%empty8
    local.set $tx_lengths
    i64.const 0
    local.set $b
    local.get $p
    i32.load offset=16
    local.set $%t9
    i32.const 0
    local.set $%t10
    block $B20
    loop $L21
    local.get $%t10
    local.get $%t9
    i32.load
    i32.ge_u
    br_if $B20
    local.get $%t9
    i32.load offset=8
    local.get $%t10
    i32.const 2
    i32.shl
    i32.add
    i32.load
    local.set $cert
    local.get $cert
    i32.load offset=0
    i32.load offset=32
    local.set $%t11
    i32.const 0
    local.set $%t12
    block $B23
    loop $L24
    local.get $%t12
    local.get $%t11
    i32.load
    i32.ge_u
    br_if $B23
    local.get $%t11
    i32.load offset=8
    local.get $%t12
    i32.const 2
    i32.shl
    i32.add
    i32.load
    local.set $entry
    local.get $pos
    local.set $start
    local.get $pos
    i64.const 4
    call $%add_s64
    local.set $pos
    local.get $p
    i32.load offset=20
    local.get $b
    call $%getl4_i32_load
    i32.load offset=0
    local.set $%t13
    i32.const 0
    local.set $%t14
    block $B26
    loop $L27
    local.get $%t14
    local.get $%t13
    i32.load
    i32.ge_u
    br_if $B26
    local.get $%t13
    i32.load offset=8
    local.get $%t14
    i32.const 2
    i32.shl
    i32.add
    i32.load
    local.set $tx
    local.get $pos
    i64.const 4
    call $%add_s64
    local.set $%g7
    local.get $offsets
    local.get $%g7
    call $%append8
    local.get $tx
    i32.load
    i64.extend_i32_u
    local.set $%g8
    local.get $tx_lengths
    local.get $%g8
    call $%append8
    local.get $pos
    i64.const 4
    call $%add_s64
    local.get $tx
    i32.load
    i64.extend_i32_u
    call $%add_s64
    local.set $pos
    local.get $%t14
    i32.const 1
    i32.add
    local.set $%t14
    br $L27
    end
    end
    local.get $data
    local.get $start
    local.get $pos
    call $%slice64
    call $kernel_py.formats.dsn.digest
    local.get $entry
    i32.load offset=0
    call $bytes_eq
    i32.eqz
    if
    i32.const 2104
    call $kernel_py.verify._reject
    return
    end
    local.get $b
    call $%add1_s64
    local.set $b
    local.get $%t12
    i32.const 1
    i32.add
    local.set $%t12
    br $L24
    end
    end
    local.get $%t10
    i32.const 1
    i32.add
    local.set $%t10
    br $L21
    end
    end
    local.get $last_timestamp
    local.set $expected_ts
    local.get $leader
    i64.load offset=24
    local.get $expected_ts
    i64.gt_u
    if
    local.get $leader
    i64.load offset=24
    local.set $expected_ts
    end
    local.get $p
    i64.load offset=8
    local.get $expected_ts
    i64.ne
    if
    i32.const 2129
    call $kernel_py.verify._reject
    return
    end
    i32.const 1386
    local.get $pks
    local.get $msgs
    local.get $sigs
    local.get $p
    i32.load offset=28
    local.tee $%g9
    i64.const 32
    local.get $offsets
    i32.load
    i64.extend_i32_u
    i64.mul
    call $sat32
    local.get $%g9
    i32.load
    call $slice
    call $kernel_py.crypto.ed25519.verify_each_cached
    local.set $sig_ok
    i64.const 0
    local.set $i
    local.get $pks
    i32.load
    i64.extend_i32_u
    local.set $%g11
    block $B29
    local.get $i
    local.get $%g11
    i64.ge_s
    br_if $B29
    loop $L30
    local.get $sig_ok
    local.get $i
    call $%getl1_i32_load8_u
    i32.eqz
    if
    i32.const 1801
    i32.const 2155
    local.get $i
    local.get $leader_sigs
    i64.lt_s
    select
    call $kernel_py.verify._reject
    local.tee $v
    local.get $pks
    i32.load
    i64.extend_i32_u
    i64.store offset=48
    local.get $v
    return
    end
    local.get $i
    i64.const 1
    i64.add
    local.tee $i
    local.get $%g11
    i64.lt_s
    br_if $L30
    end
    end
    i32.const 80
    call $alloc
    local.tee $%g12
    i32.const 1
    i32.store8 offset=0
    local.get $%g12
    i32.const 192
    i32.store offset=4
    local.get $%g12
    local.get $p
    i64.load offset=0
    i64.store offset=8
    local.get $%g12
    local.get $p
    i64.load offset=8
    i64.store offset=16
    local.get $%g12
    local.get $epoch
    i64.store offset=24
    local.get $%g12
    local.get $leader
    i64.load offset=8
    i64.store offset=32
    local.get $%g12
    local.get $horizon
    i64.store offset=40
    local.get $%g12
    local.get $pks
    i32.load
    i64.extend_i32_u
    i64.store offset=48
    local.get $%g12
    local.get $digests
    i32.store offset=56
    local.get $%g12
    local.get $rounds
    i32.store offset=60
    local.get $%g12
    local.get $offsets
    i32.store offset=64
    local.get $%g12
    local.get $tx_lengths
    i32.store offset=68
    local.get $%g12
    local.get $pending
    i32.store offset=72
    local.get $%g12
    local.get $p
    i32.load offset=28
    i32.store offset=76
    local.get $%g12
  )
  (func $kernel_py.verify._evidence (param $c i32) (param $p i32) (param $digests i32) (param $rounds i32) (param $horizon i64) (param $last_round i64) (param $pks i32) (param $msgs i32) (param $sigs i32) (result i32)
    (local $e i32) (local $error i32) (local $chain i32) (local $a i32) (local $anchor_digest i32) (local $pending i32) (local $leader i32) (local $m i64) (local $k i64) (local $%g1 i64)
    local.get $p
    i32.load offset=24
    local.set $e
    local.get $p
    i32.load offset=16
    i32.load
    i64.extend_i32_u
    local.set $m
    local.get $p
    i32.load offset=16
    local.get $m
    i64.const 1
    i64.sub
    call $%getl4_i32_load
    i32.load offset=0
    local.set $leader
    local.get $e
    i64.load offset=0
    i64.eqz
    if
    i32.const 2347
    i32.const 192
    global.set $%r1_i32
    return
    end
    local.get $e
    i64.load offset=0
    i64.const 1
    i64.eq
    if
    local.get $horizon
    local.get $last_round
    call $%add1_u64
    i64.gt_u
    if
    i32.const 2370
    i32.const 192
    global.set $%r1_i32
    return
    end
    local.get $m
    i64.const 1
    i64.sub
    local.set $%g1
    block $B1
    local.get $k
    local.get $%g1
    i64.ge_s
    br_if $B1
    loop $L2
    local.get $rounds
    local.get $k
    call $%getl8_i64_load
    local.get $last_round
    i64.gt_u
    if
    local.get $c
    local.get $rounds
    local.get $k
    call $%getl8_i64_load
    call $kernel_py.formats.dsn.leader_index
    local.get $p
    i32.load offset=16
    local.get $k
    call $%getl4_i32_load
    i32.load offset=0
    i64.load offset=0
    i64.eq
    if
    i32.const 2396
    i32.const 192
    global.set $%r1_i32
    return
    end
    end
    local.get $k
    i64.const 1
    i64.add
    local.tee $k
    local.get $%g1
    i64.lt_s
    br_if $L2
    end
    end
    local.get $c
    local.get $e
    i32.load offset=12
    local.get $leader
    local.get $digests
    local.get $m
    i64.const 1
    i64.sub
    call $%getl4_i32_load
    local.get $pks
    local.get $msgs
    local.get $sigs
    call $kernel_py.verify._support
    i32.const 192
    global.set $%r1_i32
    return
    end
    local.get $e
    i32.load offset=8
    i32.load offset=0
    local.set $a
    local.get $c
    local.get $a
    i64.load offset=8
    call $kernel_py.formats.dsn.leader_index
    local.get $a
    i64.load offset=0
    i64.ne
    if
    i32.const 2424
    i32.const 192
    global.set $%r1_i32
    return
    end
    local.get $c
    local.get $e
    local.get $last_round
    call $kernel_py.verify._step_chain
    global.get $%r1_i32
    local.set $chain
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
    local.get $chain
    i64.const 0
    call $%getl4_i32_load
    local.set $anchor_digest
    local.get $chain
    local.get $chain
    i32.load
    i64.extend_i32_u
    i64.const 1
    i64.sub
    call $%getl4_i32_load
    local.get $digests
    local.get $m
    i64.const 1
    i64.sub
    call $%getl4_i32_load
    call $bytes_eq
    i32.eqz
    if
    i32.const 2457
    i32.const 192
    global.set $%r1_i32
    return
    end
    local.get $c
    local.get $e
    i32.load offset=12
    local.get $a
    local.get $anchor_digest
    local.get $pks
    local.get $msgs
    local.get $sigs
    call $kernel_py.verify._support
    local.tee $error
    i32.load
    i32.eqz
    if
    local.get $anchor_digest
    local.get $digests
    local.get $m
    i64.const 1
    i64.sub
    call $%getl4_i32_load
    call $bytes_eq
    i32.eqz
    if
    local.get $c
    local.get $e
    i32.load offset=8
    local.get $anchor_digest
    local.get $pks
    local.get $msgs
    local.get $sigs
    call $kernel_py.verify._collect
    i32.eqz
    if
    i32.const 2489
    local.set $error
    end
    end
    end
    local.get $chain
    call $kernel_py.formats.dsn.concat
    local.set $pending
    local.get $error
    local.get $pending
    i32.const 0
    local.get $pending
    i32.load
    i64.extend_i32_u
    i64.const 32
    i64.sub
    call $%bound
    call $slice
    global.set $%r1_i32
  )
  (func $kernel_py.verify._step_chain (param $c i32) (param $e i32) (param $last_round i64) (result i32)
    (local $history i32) (local $rounds i32) (local $reach i32) (local $chain i32) (local $%t3 i32) (local $digests i32) (local $h i32) (local $%t1 i32) (local $%t2 i32) (local $parent i32) (local $%g1 i32) (local $%g3 i32) (local $%g6 i32) (local $k i64) (local $lo i64) (local $j i64) (local $q i64) (local $m i64) (local $level i64) (local $i i64) (local $%g5 i64) (local $%g7 i64) (local $%g8 i64) (local $lead i64) (local $parent_round i64) (local $%g2 i64)
    local.get $e
    i32.load offset=16
    local.set $history
    local.get $e
    i32.load offset=8
    i32.load offset=0
    local.set $%g1
    local.get $history
    local.get $%g1
    call $%append4
    local.get $history
    i32.load
    i64.extend_i32_u
    local.set $m
    call $%empty4
    local.set $chain
    call $%empty8
    local.set $rounds
    call $%empty4
    local.set $digests
    block $B1
    loop $L2
    local.get $%t1
    local.get $history
    i32.load
    i32.ge_u
    br_if $B1
    local.get $history
    i32.load offset=8
    local.get $%t1
    i32.const 2
    i32.shl
    i32.add
    i32.load
    local.set $h
    local.get $h
    i64.load offset=0
    local.get $c
    i32.load offset=16
    i32.load
    i64.extend_i32_u
    i64.ge_s
    if
    i32.const 3252
    local.get $chain
    global.set $%r1_i32
    return
    end
    local.get $h
    i64.load offset=8
    local.set $%g2
    local.get $rounds
    local.get $%g2
    call $%append8
    local.get $h
    call $kernel_py.formats.dsn.header_digest
    local.set $%g3
    local.get $digests
    local.get $%g3
    call $%append4
    local.get $%t1
    i32.const 1
    i32.add
    local.set $%t1
    br $L2
    end
    end
    local.get $m
    call $%count
    i32.const 8
    call $list_new
    local.tee $reach
    local.get $m
    i64.const 1
    i64.sub
    i64.const 2
    call $%setl8_i64_store
    local.get $m
    i64.const 1
    i64.sub
    local.set $j
    block $B4
    loop $L5
    local.get $j
    i64.const 0
    i64.ge_s
    i32.eqz
    br_if $B4
    local.get $j
    local.set $lo
    block $B6
    loop $L7
    local.get $lo
    i64.const 0
    i64.gt_s
    i32.eqz
    br_if $B6
    local.get $rounds
    local.get $lo
    call $%sub1_s64
    call $%getl8_i64_load
    local.get $rounds
    local.get $j
    call $%getl8_i64_load
    i64.eq
    i32.eqz
    br_if $B6
    local.get $lo
    call $%sub1_s64
    local.set $lo
    br $L7
    end
    end
    local.get $c
    local.get $rounds
    local.get $j
    call $%getl8_i64_load
    call $kernel_py.formats.dsn.leader_index
    local.set $lead
    local.get $lo
    local.set $k
    local.get $j
    call $%add1_s64
    local.set $%g5
    block $B8
    local.get $k
    local.get $%g5
    i64.ge_s
    br_if $B8
    loop $L9
    local.get $history
    local.get $k
    call $%getl4_i32_load
    i64.load offset=0
    local.get $lead
    i64.eq
    if
    local.get $reach
    local.get $k
    call $%getl8_i64_load
    i64.const 2
    i64.eq
    if
    local.get $digests
    local.get $k
    call $%getl4_i32_load
    local.set $%g6
    local.get $chain
    local.get $%g6
    call $%append4
    local.get $lo
    local.set $q
    local.get $j
    call $%add1_s64
    local.set $%g7
    block $B11
    local.get $q
    local.get $%g7
    i64.ge_s
    br_if $B11
    loop $L12
    local.get $q
    local.get $k
    i64.ne
    if
    local.get $reach
    local.get $q
    call $%getl8_i64_load
    i64.const 2
    i64.eq
    if
    local.get $reach
    local.get $q
    i64.const 1
    call $%setl8_i64_store
    end
    end
    local.get $q
    i64.const 1
    i64.add
    local.tee $q
    local.get $%g7
    i64.lt_s
    br_if $L12
    end
    end
    end
    end
    local.get $k
    i64.const 1
    i64.add
    local.tee $k
    local.get $%g5
    i64.lt_s
    br_if $L9
    end
    end
    local.get $lo
    local.set $k
    local.get $j
    call $%add1_s64
    local.set $%g8
    block $B14
    local.get $k
    local.get $%g8
    i64.ge_s
    br_if $B14
    loop $L15
    local.get $reach
    local.get $k
    call $%getl8_i64_load
    local.tee $level
    i64.eqz
    if
    i32.const 3252
    local.get $chain
    global.set $%r1_i32
    return
    end
    local.get $rounds
    local.get $k
    call $%getl8_i64_load
    call $%sub1_u64
    local.tee $parent_round
    local.get $last_round
    i64.gt_u
    if
    local.get $history
    local.get $k
    call $%getl4_i32_load
    i32.load offset=36
    local.set $%t2
    i32.const 0
    local.set $%t3
    block $B17
    loop $L18
    local.get $%t3
    local.get $%t2
    i32.load
    i32.ge_u
    br_if $B17
    local.get $%t2
    i32.load offset=8
    local.get $%t3
    i32.const 2
    i32.shl
    i32.add
    i32.load
    local.set $parent
    local.get $rounds
    local.get $digests
    local.get $lo
    local.get $parent_round
    local.get $parent
    call $kernel_py.verify._find
    local.tee $i
    i64.const 0
    i64.lt_s
    if
    i32.const 3283
    local.get $chain
    global.set $%r1_i32
    return
    end
    local.get $reach
    local.get $i
    call $%getl8_i64_load
    local.get $level
    i64.lt_s
    if
    local.get $reach
    local.get $i
    local.get $level
    call $%setl8_i64_store
    end
    local.get $%t3
    i32.const 1
    i32.add
    local.set $%t3
    br $L18
    end
    end
    end
    local.get $k
    i64.const 1
    i64.add
    local.tee $k
    local.get $%g8
    i64.lt_s
    br_if $L15
    end
    end
    local.get $lo
    call $%sub1_s64
    local.set $j
    br $L5
    end
    end
    i32.const 192
    local.get $chain
    global.set $%r1_i32
  )
