  (func $kernel_py.formats.dsn.digest (param $data i32) (result i32)
    local.get $data
    i64.const 32
    call $kernel_py.crypto.blake2b.blake2b
  )
  (func $kernel_py.formats.dsn.read_u64 (param $r i32) (result i64)
    (local $p i64) (local $v i64)
    local.get $r
    i64.const 8
    call $kernel_py.formats.dsn._room
    i32.eqz
    if
    i64.const 0
    return
    end
    local.get $r
    i64.load offset=8
    local.set $p
    local.get $r
    i32.load offset=0
    local.get $p
    call $%bound
    i32.const 8
    call $%from_be
    local.set $v
    local.get $r
    local.get $p
    i64.const 8
    call $%add_s64
    i64.store offset=8
    local.get $v
  )
  (func $kernel_py.formats.dsn.read_count (param $r i32) (param $min_item_len i64) (result i64)
    (local $n i64)
    local.get $r
    call $kernel_py.formats.dsn.read_length
    local.tee $n
    local.get $min_item_len
    call $%mul_s64
    local.get $r
    i32.load offset=0
    i32.load
    i64.extend_i32_u
    local.get $r
    i64.load offset=8
    call $%sub_s64
    i64.gt_s
    if
    local.get $r
    i32.const 0
    i32.store8 offset=16
    i64.const 0
    return
    end
    local.get $n
  )
  (func $kernel_py.formats.dsn.concat (param $parts i32) (result i32)
    (local $p i32) (local $%t2 i32) (local $%t1 i32) (local $buf i32) (local $pos i64) (local $total i64) (local $end i64)
    block $B1
    loop $L2
    local.get $%t1
    local.get $parts
    i32.load
    i32.ge_u
    br_if $B1
    local.get $parts
    i32.load offset=8
    local.get $%t1
    i32.const 2
    i32.shl
    i32.add
    i32.load
    local.set $p
    local.get $total
    local.get $p
    i32.load
    i64.extend_i32_u
    call $%add_s64
    local.set $total
    local.get $%t1
    i32.const 1
    i32.add
    local.set $%t1
    br $L2
    end
    end
    local.get $total
    call $bytes_new64
    local.set $buf
    i64.const 0
    local.set $pos
    i32.const 0
    local.set $%t2
    block $B4
    loop $L5
    local.get $%t2
    local.get $parts
    i32.load
    i32.ge_u
    br_if $B4
    local.get $parts
    i32.load offset=8
    local.get $%t2
    i32.const 2
    i32.shl
    i32.add
    i32.load
    local.set $p
    local.get $pos
    local.get $p
    i32.load
    i64.extend_i32_u
    call $%add_s64
    local.set $end
    local.get $buf
    local.get $pos
    call $%bound
    local.get $end
    call $%bound
    local.get $p
    call $set_slice
    local.get $end
    local.set $pos
    local.get $%t2
    i32.const 1
    i32.add
    local.set $%t2
    br $L5
    end
    end
    local.get $buf
    call $bytes_copy
  )
  (func $kernel_py.formats.dsn.read_fixed (param $r i32) (param $n i64) (result i32)
    (local $p i64)
    local.get $r
    local.get $n
    call $kernel_py.formats.dsn._room
    i32.eqz
    if
    i32.const 192
    return
    end
    local.get $r
    i64.load offset=8
    local.set $p
    local.get $r
    local.get $p
    local.get $n
    call $%add_s64
    i64.store offset=8
    local.get $r
    i32.load offset=0
    local.get $p
    local.get $p
    local.get $n
    call $%add_s64
    call $%slice64
  )
  (func $kernel_py.formats.dsn.leader_index (param $c i32) (param $leader_round i64) (result i64)
    (local $%g2 i64) (local $%g3 i64)
    local.get $leader_round
    i64.const 2
    i64.lt_u
    if (result i32)
    i32.const 1
    else
    local.get $leader_round
    i64.const 1
    i64.and
    i64.eqz
    i32.eqz
    end
    if
    i64.const -1
    return
    end
    local.get $leader_round
    i64.const 1
    i64.shr_u
    local.set $%g2
    local.get $c
    i32.load offset=16
    i32.load
    i64.extend_i32_u
    local.tee $%g3
    i64.eqz
    if
    unreachable
    end
    local.get $%g2
    local.get $%g3
    i64.rem_u
    call $%cv_u64_int
  )
  (func $kernel_py.formats.dsn.header_digest (param $h i32) (result i32)
    local.get $h
    call $kernel_py.formats.dsn.encode_header
    call $kernel_py.formats.dsn.digest
  )
  (func $kernel_py.formats.dsn.u64_bytes (param $x i64) (result i32)
    local.get $x
    call $%bytes_be8
  )
  (func $kernel_py.formats.dsn._read_int (param $r i32) (param $n i64) (result i64)
    (local $p i64) (local $v i64)
    local.get $r
    local.get $n
    call $kernel_py.formats.dsn._room
    i32.eqz
    if
    i64.const 0
    return
    end
    local.get $r
    i64.load offset=8
    local.set $p
    local.get $r
    i32.load offset=0
    local.get $p
    local.get $p
    local.get $n
    call $%add_s64
    call $%slice64
    call $%from_be_all
    call $%cv_u64_int
    local.set $v
    local.get $r
    local.get $p
    local.get $n
    call $%add_s64
    i64.store offset=8
    local.get $v
  )
  (func $kernel_py.formats.dsn._room (param $r i32) (param $n i64) (result i32)
    local.get $r
    i32.load8_u offset=16
    i32.eqz
    if (result i32)
    i32.const 1
    else
    local.get $n
    local.get $r
    i32.load offset=0
    i32.load
    i64.extend_i32_u
    local.get $r
    i64.load offset=8
    call $%sub_s64
    i64.gt_s
    end
    if
    local.get $r
    i32.const 0
    i32.store8 offset=16
    i32.const 0
    return
    end
    i32.const 1
  )
  (func $kernel_py.formats.dsn._read_sorted (param $r i32) (param $signed i32) (result i32)
    (local $h i32) (local $out i32) (local $prev i32) (local $signers i32) (local $%g2 i32) (local $%g1 i32) (local $i i64) (local $min_len i64) (local $n i64)
    i64.const 34
    local.set $min_len
    local.get $signed
    if
    i64.const 38
    local.set $min_len
    end
    local.get $r
    local.get $min_len
    call $kernel_py.formats.dsn.read_count
    local.set $n
    call $%empty4
    local.set $out
    block $B1
    loop $L2
    local.get $i
    local.get $n
    i64.lt_s
    local.get $r
    i32.load8_u offset=16
    i32.and
    i32.eqz
    br_if $B1
    local.get $r
    call $kernel_py.formats.dsn.read_header
    local.set $h
    call $%empty4
    local.set $signers
    local.get $signed
    if
    local.get $r
    call $kernel_py.formats.dsn.read_signers
    local.set $signers
    end
    local.get $i
    i64.const 0
    i64.gt_s
    if
    local.get $out
    local.get $i
    call $%sub1_s64
    call $%getl4_i32_load
    i32.load offset=0
    local.set $prev
    local.get $h
    i64.load offset=8
    local.get $prev
    i64.load offset=8
    i64.lt_u
    local.get $h
    i64.load offset=8
    local.get $prev
    i64.load offset=8
    i64.eq
    local.get $h
    i64.load offset=0
    local.get $prev
    i64.load offset=0
    i64.le_s
    i32.and
    i32.or
    if
    local.get $r
    i32.const 0
    i32.store8 offset=16
    end
    end
    i32.const 8
    call $alloc
    local.tee $%g2
    local.get $h
    i32.store offset=0
    local.get $%g2
    local.get $signers
    i32.store offset=4
    local.get $%g2
    local.set $%g1
    local.get $out
    local.get $%g1
    call $%append4
    local.get $i
    call $%add1_s64
    local.set $i
    br $L2
    end
    end
    local.get $out
  )
  (func $kernel_py.formats.dsn.decode_committee (param $data i32) (result i32)
    (local $r i32) (local $c i32)
    local.get $data
    call $kernel_py.formats.dsn.new_reader
    local.tee $r
    call $kernel_py.formats.dsn.read_committee
    local.set $c
    local.get $r
    call $kernel_py.formats.dsn.reader_finished
    local.get $c
    global.set $%r1_i32
  )
  (func $kernel_py.formats.dsn.new_reader (param $data i32) (result i32)
    (local $%g1 i32)
    i32.const 17
    call $alloc
    local.tee $%g1
    local.get $data
    i32.store offset=0
    local.get $%g1
    i32.const 1
    i32.store8 offset=16
    local.get $%g1
  )
  (func $kernel_py.formats.dsn.reader_finished (param $r i32) (result i32)
    local.get $r
    i32.load8_u offset=16
    local.get $r
    i64.load offset=8
    local.get $r
    i32.load offset=0
    i32.load
    i64.extend_i32_u
    i64.eq
    i32.and
  )
  (func $kernel_py.formats.dsn._all_distinct (param $items i32) (result i32)
    (local $src i32) (local $dst i32) (local $%t1 i32) (local $x i32) (local $tmp i32) (local $%g1 i32) (local $%g2 i32) (local $%g3 i32) (local $%g4 i32) (local $i i64) (local $k i64) (local $j i64) (local $n i64) (local $width i64) (local $lo i64) (local $mid i64) (local $hi i64) (local $%t2 i64) (local $%g5 i64)
    local.get $items
    i32.load
    i64.extend_i32_u
    local.set $n
    call $%empty4
    local.set $src
    call $%empty4
    local.set $dst
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
    local.get $src
    local.get $x
    call $%append4
    local.get $dst
    local.get $x
    call $%append4
    local.get $%t1
    i32.const 1
    i32.add
    local.set $%t1
    br $L2
    end
    end
    i64.const 1
    local.set $width
    block $B4
    loop $L5
    local.get $width
    local.get $n
    i64.lt_s
    i32.eqz
    br_if $B4
    i64.const 0
    local.set $lo
    block $B6
    loop $L7
    local.get $lo
    local.get $n
    i64.lt_s
    i32.eqz
    br_if $B6
    local.get $lo
    local.get $width
    call $%add_s64
    local.tee $mid
    local.get $n
    i64.gt_s
    if
    local.get $n
    local.set $mid
    end
    local.get $mid
    local.get $width
    call $%add_s64
    local.tee $hi
    local.get $n
    i64.gt_s
    if
    local.get $n
    local.set $hi
    end
    local.get $lo
    local.set $i
    local.get $mid
    local.set $j
    local.get $lo
    local.set $k
    block $B8
    loop $L9
    local.get $k
    local.get $hi
    i64.lt_s
    i32.eqz
    br_if $B8
    local.get $i
    local.get $mid
    i64.lt_s
    local.get $j
    local.get $hi
    i64.lt_s
    i32.and
    if
    local.get $src
    local.get $i
    call $%getl4_i32_load
    local.get $src
    local.get $j
    call $%getl4_i32_load
    call $bytes_eq
    if
    i32.const 0
    return
    end
    local.get $src
    local.get $i
    call $%getl4_i32_load
    local.get $src
    local.get $j
    call $%getl4_i32_load
    call $bytes_cmp
    i32.const 0
    i32.lt_s
    if
    local.get $src
    local.get $i
    call $%getl4_i32_load
    local.set $%g1
    local.get $dst
    local.get $k
    local.get $%g1
    call $%setl4_i32_store
    local.get $i
    call $%add1_s64
    local.set $i
    else
    local.get $src
    local.get $j
    call $%getl4_i32_load
    local.set $%g2
    local.get $dst
    local.get $k
    local.get $%g2
    call $%setl4_i32_store
    local.get $j
    call $%add1_s64
    local.set $j
    end
    else
    local.get $i
    local.get $mid
    i64.lt_s
    if
    local.get $src
    local.get $i
    call $%getl4_i32_load
    local.set $%g3
    local.get $dst
    local.get $k
    local.get $%g3
    call $%setl4_i32_store
    local.get $i
    call $%add1_s64
    local.set $i
    else
    local.get $src
    local.get $j
    call $%getl4_i32_load
    local.set $%g4
    local.get $dst
    local.get $k
    local.get $%g4
    call $%setl4_i32_store
    local.get $j
    call $%add1_s64
    local.set $j
    end
    end
    local.get $k
    call $%add1_s64
    local.set $k
    br $L9
    end
    end
    local.get $hi
    local.set $lo
    br $L7
    end
    end
    local.get $src
    local.set $tmp
    local.get $dst
    local.set $src
    local.get $tmp
    local.set $dst
    local.get $width
    i64.const 2
    call $%mul_s64
    local.set $width
    br $L5
    end
    end
    i64.const 1
    local.set $%t2
    local.get $n
    local.set $%g5
    block $B10
    local.get $%t2
    local.get $%g5
    i64.ge_s
    br_if $B10
    loop $L11
    local.get $%t2
    local.set $k
    local.get $src
    local.get $k
    i64.const 1
    i64.sub
    call $%getl4_i32_load
    local.get $src
    local.get $k
    call $%getl4_i32_load
    call $bytes_eq
    if
    i32.const 0
    return
    end
    local.get $%t2
    i64.const 1
    i64.add
    local.tee $%t2
    local.get $%g5
    i64.lt_s
    br_if $L11
    end
    end
    i32.const 1
  )
  (func $kernel_py.formats.dsn.read_length (param $r i32) (result i64)
    local.get $r
    i64.const 4
    call $kernel_py.formats.dsn._read_int
  )
  (func $kernel_py.formats.dsn.count_bytes (param $n i64) (result i32)
    local.get $n
    i64.const 4294967295
    i64.gt_u
    if
    unreachable
    end
    local.get $n
    i32.const 4
    call $%bytes_be
  )
  (func $kernel_py.formats.dsn.read_header (param $r i32) (result i32)
    (local $%g4 i32) (local $parents i32) (local $payload i32) (local $digests i32) (local $d i32) (local $p i32) (local $%g3 i32) (local $w i32) (local $%g2 i32) (local $i i64) (local $author i64) (local $header_round i64) (local $epoch i64) (local $created_at i64) (local $n i64) (local $m i64)
    local.get $r
    call $kernel_py.formats.dsn.read_u16
    local.set $author
    local.get $r
    call $kernel_py.formats.dsn.read_u64
    local.set $header_round
    local.get $r
    call $kernel_py.formats.dsn.read_u64
    local.set $epoch
    local.get $r
    call $kernel_py.formats.dsn.read_u64
    local.set $created_at
    local.get $r
    i64.const 36
    call $kernel_py.formats.dsn.read_count
    local.tee $n
    i64.const 1000
    i64.gt_s
    if
    local.get $r
    i32.const 0
    i32.store8 offset=16
    end
    call $%empty4
    local.set $payload
    call $%empty4
    local.set $digests
    block $B1
    loop $L2
    local.get $i
    local.get $n
    i64.lt_s
    local.get $r
    i32.load8_u offset=16
    i32.and
    i32.eqz
    br_if $B1
    local.get $r
    i64.const 32
    call $kernel_py.formats.dsn.read_fixed
    local.set $d
    local.get $r
    i64.const 4
    call $kernel_py.formats.dsn._read_int
    call $%cv_int_u32
    i32.wrap_i64
    local.set $w
    i32.const 8
    call $alloc
    local.tee $%g3
    local.get $d
    i32.store offset=0
    local.get $%g3
    local.get $w
    i32.store offset=4
    local.get $%g3
    local.set $%g2
    local.get $payload
    local.get $%g2
    call $%append4
    local.get $digests
    local.get $d
    call $%append4
    local.get $i
    call $%add1_s64
    local.set $i
    br $L2
    end
    end
    local.get $r
    i32.load8_u offset=16
    if
    local.get $digests
    call $kernel_py.formats.dsn._all_distinct
    i32.eqz
    if
    local.get $r
    i32.const 0
    i32.store8 offset=16
    end
    end
    local.get $r
    i64.const 32
    call $kernel_py.formats.dsn.read_count
    local.set $m
    call $%empty4
    local.set $parents
    i64.const 0
    local.set $i
    block $B4
    loop $L5
    local.get $i
    local.get $m
    i64.lt_s
    local.get $r
    i32.load8_u offset=16
    i32.and
    i32.eqz
    br_if $B4
    local.get $r
    i64.const 32
    call $kernel_py.formats.dsn.read_fixed
    local.set $p
    local.get $i
    i64.const 0
    i64.gt_s
    if
    local.get $parents
    local.get $i
    call $%sub1_s64
    call $%getl4_i32_load
    local.get $p
    call $bytes_cmp
    i32.const 0
    i32.lt_s
    i32.eqz
    if
    local.get $r
    i32.const 0
    i32.store8 offset=16
    end
    end
    local.get $parents
    local.get $p
    call $%append4
    local.get $i
    call $%add1_s64
    local.set $i
    br $L5
    end
    end
    i32.const 40
    call $alloc
    local.tee $%g4
    local.get $author
    i64.store offset=0
    local.get $%g4
    local.get $header_round
    i64.store offset=8
    local.get $%g4
    local.get $epoch
    i64.store offset=16
    local.get $%g4
    local.get $created_at
    i64.store offset=24
    local.get $%g4
    local.get $payload
    i32.store offset=32
    local.get $%g4
    local.get $parents
    i32.store offset=36
    local.get $%g4
  )
  (func $kernel_py.formats.dsn.read_signers (param $r i32) (result i32)
    (local $signers i32) (local $%g2 i32) (local $sig i32) (local $%g1 i32) (local $i i64) (local $index i64) (local $n i64)
    local.get $r
    i64.const 66
    call $kernel_py.formats.dsn.read_count
    local.set $n
    call $%empty4
    local.set $signers
    block $B1
    loop $L2
    local.get $i
    local.get $n
    i64.lt_s
    local.get $r
    i32.load8_u offset=16
    i32.and
    i32.eqz
    br_if $B1
    local.get $r
    call $kernel_py.formats.dsn.read_u16
    local.set $index
    local.get $r
    i64.const 64
    call $kernel_py.formats.dsn.read_fixed
    local.set $sig
    local.get $i
    i64.const 0
    i64.gt_s
    if
    local.get $index
    local.get $signers
    local.get $i
    call $%sub1_s64
    call $%getl4_i32_load
    i64.load offset=0
    i64.le_s
    if
    local.get $r
    i32.const 0
    i32.store8 offset=16
    end
    end
    i32.const 12
    call $alloc
    local.tee $%g2
    local.get $index
    i64.store offset=0
    local.get $%g2
    local.get $sig
    i32.store offset=8
    local.get $%g2
    local.set $%g1
    local.get $signers
    local.get $%g1
    call $%append4
    local.get $i
    call $%add1_s64
    local.set $i
    br $L2
    end
    end
    local.get $signers
  )
  (func $kernel_py.formats.dsn.total_stake (param $c i32) (result i64)
    (local $%t2 i32) (local $%t1 i32) (local $a i32) (local $total i64)
    local.get $c
    i32.load offset=16
    local.set $%t1
    block $B1
    loop $L2
    local.get $%t2
    local.get $%t1
    i32.load
    i32.ge_u
    br_if $B1
    local.get $%t1
    i32.load offset=8
    local.get $%t2
    i32.const 2
    i32.shl
    i32.add
    i32.load
    local.set $a
    local.get $total
    local.get $a
    i64.load offset=8
    call $%add_u64
    local.set $total
    local.get $%t2
    i32.const 1
    i32.add
    local.set $%t2
    br $L2
    end
    end
    local.get $total
  )
  (func $kernel_py.formats.dsn.read_u16 (param $r i32) (result i64)
    local.get $r
    i64.const 2
    call $kernel_py.formats.dsn._read_int
  )
(func $%append1 (param $l i32) (param $x i32)
  (i32.store8 (call $list_slot (local.get $l) (i32.const 1)) (local.get $x)))
(func $%cv_int_u32 (param $x i64) (result i64)
  (if (i64.gt_u (local.get $x) (i64.const 4294967295)) (then unreachable))
  (local.get $x))
(func $%empty1 (result i32)
  (call $list_new (i32.const 0) (i32.const 1)))
(func $%mul_u64 (param $a i64) (param $b i64) (result i64) (local $r i64)
  (local.set $r (i64.mul (local.get $a) (local.get $b)))
  (if (i64.ne (local.get $a) (i64.const 0)) (then (if (i64.ne (i64.div_u (local.get $r) (local.get $a)) (local.get $b)) (then unreachable))))
  (local.get $r))
  (func $kernel_py.formats.dsn.read_committee (param $r i32) (result i32)
    (local $%g3 i32) (local $authorities i32) (local $keys i32) (local $pk i32) (local $%g2 i32) (local $%g1 i32) (local $stake i64) (local $n i64) (local $total i64) (local $i i64) (local $epoch i64) (local $gc_depth i64)
    local.get $r
    call $kernel_py.formats.dsn.read_u64
    local.set $epoch
    local.get $r
    call $kernel_py.formats.dsn.read_u64
    local.set $gc_depth
    local.get $r
    i64.const 40
    call $kernel_py.formats.dsn.read_count
    local.tee $n
    i64.eqz
    local.get $n
    i64.const 65536
    i64.gt_s
    i32.or
    if
    local.get $r
    i32.const 0
    i32.store8 offset=16
    end
    call $%empty4
    local.set $authorities
    call $%empty4
    local.set $keys
    block $B1
    loop $L2
    local.get $i
    local.get $n
    i64.lt_s
    local.get $r
    i32.load8_u offset=16
    i32.and
    i32.eqz
    br_if $B1
    local.get $r
    i64.const 32
    call $kernel_py.formats.dsn.read_fixed
    local.set $pk
    local.get $r
    call $kernel_py.formats.dsn.read_u64
    local.tee $stake
    i64.eqz
    if (result i32)
    i32.const 1
    else
    local.get $stake
    i64.const 4611686018427387904
    local.get $total
    call $%sub_u64
    i64.gt_u
    end
    if
    local.get $r
    i32.const 0
    i32.store8 offset=16
    else
    local.get $total
    local.get $stake
    call $%add_u64
    local.set $total
    end
    i32.const 16
    call $alloc
    local.tee $%g2
    local.get $pk
    i32.store offset=0
    local.get $%g2
    local.get $stake
    i64.store offset=8
    local.get $%g2
    local.set $%g1
    local.get $authorities
    local.get $%g1
    call $%append4
    local.get $keys
    local.get $pk
    call $%append4
    local.get $i
    call $%add1_s64
    local.set $i
    br $L2
    end
    end
    local.get $r
    i32.load8_u offset=16
    if
    local.get $keys
    call $kernel_py.formats.dsn._all_distinct
    i32.eqz
    if
    local.get $r
    i32.const 0
    i32.store8 offset=16
    end
    end
    i32.const 20
    call $alloc
    local.tee $%g3
    local.get $epoch
    i64.store offset=0
    local.get $%g3
    local.get $gc_depth
    i64.store offset=8
    local.get $%g3
    local.get $authorities
    i32.store offset=16
    local.get $%g3
  )
  (func $kernel_py.formats.dsn.genesis_digests (param $c i32) (result i32)
    (local $%g3 i32) (local $out i32) (local $%g2 i32) (local $i i64) (local $%g1 i64)
    call $%empty4
    local.set $out
    local.get $c
    i32.load offset=16
    i32.load
    i64.extend_i32_u
    local.set $%g1
    block $B1
    local.get $i
    local.get $%g1
    i64.ge_s
    br_if $B1
    loop $L2
    i32.const 40
    call $alloc
    local.tee $%g3
    local.get $i
    i64.store offset=0
    local.get $%g3
    local.get $c
    i64.load offset=0
    i64.store offset=16
    local.get $%g3
    call $%empty4
    i32.store offset=32
    local.get $%g3
    call $%empty4
    i32.store offset=36
    local.get $%g3
    call $kernel_py.formats.dsn.header_digest
    local.set $%g2
    local.get $out
    local.get $%g2
    call $%append4
    local.get $i
    i64.const 1
    i64.add
    local.tee $i
    local.get $%g1
    i64.lt_s
    br_if $L2
    end
    end
    local.get $out
  )
  (func $kernel_py.formats.dsn.read_preblock (param $r i32) (result i32)
    (local $%g2 i32) (local $certificates i32) (local $%t1 i32) (local $batches i32) (local $hints i32) (local $c i32) (local $evidence i32) (local $%g1 i32) (local $i i64) (local $expected_batches i64) (local $index i64) (local $commit_timestamp i64) (local $m i64)
    local.get $r
    call $kernel_py.formats.dsn.read_u64
    local.tee $index
    i64.eqz
    if
    local.get $r
    i32.const 0
    i32.store8 offset=16
    end
    local.get $r
    call $kernel_py.formats.dsn.read_u64
    local.set $commit_timestamp
    local.get $r
    i32.const 1
    call $kernel_py.formats.dsn._read_sorted
    local.tee $certificates
    i32.load
    i32.eqz
    if
    local.get $r
    i32.const 0
    i32.store8 offset=16
    end
    block $B1
    loop $L2
    local.get $%t1
    local.get $certificates
    i32.load
    i32.ge_u
    br_if $B1
    local.get $certificates
    i32.load offset=8
    local.get $%t1
    i32.const 2
    i32.shl
    i32.add
    i32.load
    local.set $c
    local.get $expected_batches
    local.get $c
    i32.load offset=0
    i32.load offset=32
    i32.load
    i64.extend_i32_u
    call $%add_s64
    local.set $expected_batches
    local.get $%t1
    i32.const 1
    i32.add
    local.set $%t1
    br $L2
    end
    end
    local.get $r
    i64.const 9
    call $kernel_py.formats.dsn.read_count
    local.tee $m
    local.get $expected_batches
    i64.ne
    if
    local.get $r
    i32.const 0
    i32.store8 offset=16
    end
    call $%empty4
    local.set $batches
    i64.const 0
    local.set $i
    block $B4
    loop $L5
    local.get $i
    local.get $m
    i64.lt_s
    local.get $r
    i32.load8_u offset=16
    i32.and
    i32.eqz
    br_if $B4
    local.get $r
    call $kernel_py.formats.dsn.read_batch
    local.set $%g1
    local.get $batches
    local.get $%g1
    call $%append4
    local.get $i
    call $%add1_s64
    local.set $i
    br $L5
    end
    end
    local.get $r
    call $kernel_py.formats.dsn.read_evidence
    local.set $evidence
    i32.const 192
    local.set $hints
    local.get $r
    i64.load offset=8
    local.get $r
    i32.load offset=0
    i32.load
    i64.extend_i32_u
    i64.lt_s
    if
    local.get $r
    i64.const 32
    local.get $r
    i64.const 32
    call $kernel_py.formats.dsn.read_count
    call $%mul_s64
    call $kernel_py.formats.dsn.read_fixed
    local.set $hints
    end
    i32.const 32
    call $alloc
    local.tee $%g2
    local.get $index
    i64.store offset=0
    local.get $%g2
    local.get $commit_timestamp
    i64.store offset=8
    local.get $%g2
    local.get $certificates
    i32.store offset=16
    local.get $%g2
    local.get $batches
    i32.store offset=20
    local.get $%g2
    local.get $evidence
    i32.store offset=24
    local.get $%g2
    local.get $hints
    i32.store offset=28
    local.get $%g2
  )
  (func $kernel_py.formats.dsn.encode_header (param $h i32) (result i32)
    (local $parts i32) (local $%t4 i32) (local $%g2 i32) (local $%t2 i32) (local $e i32) (local $%t1 i32) (local $%t3 i32) (local $p i32) (local $i36%x i32) (local $%g1 i32) (local $%g3 i32) (local $%g4 i32) (local $%g5 i32) (local $i35%x i64)
    i32.const 5
    i32.const 4
    call $list_new
    local.tee $%g1
    i32.load offset=8
    local.tee $%g2
    local.get $h
    i64.load offset=0
    local.set $i35%x
    local.get $i35%x
    i64.const 65535
    i64.gt_u
    if
    unreachable
    end
    local.get $i35%x
    i32.const 2
    call $%bytes_be
    i32.store offset=0
    local.get $%g2
    local.get $h
    i64.load offset=8
    call $kernel_py.formats.dsn.u64_bytes
    i32.store offset=4
    local.get $%g2
    local.get $h
    i64.load offset=16
    call $kernel_py.formats.dsn.u64_bytes
    i32.store offset=8
    local.get $%g2
    local.get $h
    i64.load offset=24
    call $kernel_py.formats.dsn.u64_bytes
    i32.store offset=12
    local.get $%g2
    local.get $h
    i32.load offset=32
    i32.load
    i64.extend_i32_u
    call $kernel_py.formats.dsn.count_bytes
    i32.store offset=16
    local.get $%g1
    local.set $parts
    local.get $h
    i32.load offset=32
    local.set $%t1
    block $B2
    loop $L3
    local.get $%t2
    local.get $%t1
    i32.load
    i32.ge_u
    br_if $B2
    local.get $%t1
    i32.load offset=8
    local.get $%t2
    i32.const 2
    i32.shl
    i32.add
    i32.load
    local.set $e
    local.get $e
    i32.load offset=0
    local.set $%g3
    local.get $parts
    local.get $%g3
    call $%append4
    local.get $e
    i32.load offset=4
    local.set $i36%x
    local.get $i36%x
    i64.extend_i32_u
    i32.const 4
    call $%bytes_be
    local.set $%g4
    local.get $parts
    local.get $%g4
    call $%append4
    local.get $%t2
    i32.const 1
    i32.add
    local.set $%t2
    br $L3
    end
    end
    local.get $h
    i32.load offset=36
    i32.load
    i64.extend_i32_u
    call $kernel_py.formats.dsn.count_bytes
    local.set $%g5
    local.get $parts
    local.get $%g5
    call $%append4
    local.get $h
    i32.load offset=36
    local.set $%t3
    i32.const 0
    local.set $%t4
    block $B6
    loop $L7
    local.get $%t4
    local.get $%t3
    i32.load
    i32.ge_u
    br_if $B6
    local.get $%t3
    i32.load offset=8
    local.get $%t4
    i32.const 2
    i32.shl
    i32.add
    i32.load
    local.set $p
    local.get $parts
    local.get $p
    call $%append4
    local.get $%t4
    i32.const 1
    i32.add
    local.set $%t4
    br $L7
    end
    end
    local.get $parts
    call $kernel_py.formats.dsn.concat
  )
  (func $kernel_py.formats.dsn.read_batch (param $r i32) (result i32)
    (local $txs i32) (local $%g1 i32) (local $%g2 i32) (local $i i64) (local $size i64) (local $n i64)
    local.get $r
    i64.const 5
    call $kernel_py.formats.dsn.read_count
    local.tee $n
    i64.eqz
    if
    local.get $r
    i32.const 0
    i32.store8 offset=16
    end
    call $%empty4
    local.set $txs
    block $B1
    loop $L2
    local.get $i
    local.get $n
    i64.lt_s
    local.get $r
    i32.load8_u offset=16
    i32.and
    i32.eqz
    br_if $B1
    local.get $r
    call $kernel_py.formats.dsn.read_length
    local.tee $size
    i64.eqz
    local.get $size
    i64.const 4000000
    i64.gt_s
    i32.or
    if
    local.get $r
    i32.const 0
    i32.store8 offset=16
    end
    local.get $r
    local.get $size
    call $kernel_py.formats.dsn.read_fixed
    local.set $%g1
    local.get $txs
    local.get $%g1
    call $%append4
    local.get $i
    call $%add1_s64
    local.set $i
    br $L2
    end
    end
    i32.const 4
    call $alloc
    local.tee $%g2
    local.get $txs
    i32.store offset=0
    local.get $%g2
  )
  (func $kernel_py.formats.dsn.read_evidence (param $r i32) (result i32)
    (local $%g5 i32) (local $%t2 i32) (local $anchor i32) (local $support i32) (local $history i32) (local $%t1 i32) (local $%g1 i32) (local $%g2 i32) (local $%g3 i32) (local $c i32) (local $i41%h i32) (local $i41%signers i32) (local $%g4 i32) (local $kind i64)
    local.get $r
    i64.const 1
    call $kernel_py.formats.dsn._read_int
    local.tee $kind
    i64.const 2
    i64.gt_s
    if
    local.get $r
    i32.const 0
    i32.store8 offset=16
    end
    i32.const 8
    call $alloc
    local.tee $%g1
    i32.const 40
    call $alloc
    local.tee $%g2
    call $%empty4
    i32.store offset=32
    local.get $%g2
    call $%empty4
    i32.store offset=36
    local.get $%g2
    i32.store offset=0
    local.get $%g1
    call $%empty4
    i32.store offset=4
    local.get $%g1
    local.set $anchor
    call $%empty4
    local.set $support
    call $%empty4
    local.set $history
    local.get $kind
    i64.const 2
    i64.eq
    if
    local.get $r
    call $kernel_py.formats.dsn.read_header
    local.set $i41%h
    local.get $r
    call $kernel_py.formats.dsn.read_signers
    local.set $i41%signers
    i32.const 8
    call $alloc
    local.tee $%g3
    local.get $i41%h
    i32.store offset=0
    local.get $%g3
    local.get $i41%signers
    i32.store offset=4
    local.get $%g3
    local.set $anchor
    end
    local.get $kind
    i64.eqz
    i32.eqz
    if
    local.get $r
    i32.const 1
    call $kernel_py.formats.dsn._read_sorted
    local.set $support
    end
    local.get $kind
    i64.const 2
    i64.eq
    if
    local.get $r
    i32.const 0
    call $kernel_py.formats.dsn._read_sorted
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
    local.set $c
    local.get $c
    i32.load offset=0
    local.set $%g4
    local.get $history
    local.get $%g4
    call $%append4
    local.get $%t2
    i32.const 1
    i32.add
    local.set $%t2
    br $L4
    end
    end
    end
    i32.const 20
    call $alloc
    local.tee $%g5
    local.get $kind
    i64.store offset=0
    local.get $%g5
    local.get $anchor
    i32.store offset=8
    local.get $%g5
    local.get $support
    i32.store offset=12
    local.get $%g5
    local.get $history
    i32.store offset=16
    local.get $%g5
  )
  (func $kernel_py.formats.dsn.signers_stake (param $c i32) (param $signers i32) (result i32)
    (local $s i32) (local $%t1 i32) (local $stake i64) (local $prev i64) (local $n i64)
    local.get $c
    i32.load offset=16
    i32.load
    i64.extend_i32_u
    local.set $n
    i64.const -1
    local.set $prev
    block $B1
    loop $L2
    local.get $%t1
    local.get $signers
    i32.load
    i32.ge_u
    br_if $B1
    local.get $signers
    i32.load offset=8
    local.get $%t1
    i32.const 2
    i32.shl
    i32.add
    i32.load
    local.set $s
    local.get $s
    i64.load offset=0
    local.get $prev
    i64.le_s
    local.get $s
    i64.load offset=0
    local.get $n
    i64.ge_s
    i32.or
    if
    i32.const 0
    i64.const 0
    global.set $%r1_i64
    return
    end
    local.get $stake
    local.get $c
    i32.load offset=16
    local.get $s
    i64.load offset=0
    call $%getl4_i32_load
    i64.load offset=8
    call $%add_u64
    local.set $stake
    local.get $s
    i64.load offset=0
    local.set $prev
    local.get $%t1
    i32.const 1
    i32.add
    local.set $%t1
    br $L2
    end
    end
    i32.const 1
    local.get $stake
    global.set $%r1_i64
  )
  (func $kernel_py.formats.dsn.quorum_threshold (param $c i32) (result i64)
    i64.const 2
    local.get $c
    call $kernel_py.formats.dsn.total_stake
    call $%mul_u64
    i64.const 3
    i64.div_u
    i64.const 1
    i64.add
  )
