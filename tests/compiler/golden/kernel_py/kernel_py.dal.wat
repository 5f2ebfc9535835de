  (func $kernel_py.dal.attested_entries (param $body i32) (param $level i64) (result i32)
    (local $out i32) (local $table i32) (local $slots i32) (local $keep i32) (local $more i32) (local $b i32) (local $pkh i32) (local $%g3 i32) (local $pos i64) (local $i i64) (local $p i64) (local $s i64) (local $index i64) (local $width i64) (local $%g2 i64)
    block $%trap
    i32.const 192
    local.set $out
    i32.const 597
    call $kernel_py.store.read_value
    local.set $table
    i32.const 616
    call $kernel_py.store.read_value
    i32.const 0
    i32.const 32
    call $slice
    local.set $slots
    i64.const 16
    local.set $pos
    block $B1
    loop $L2
    local.get $pos
    i64.const 21
    call $%add_s64
    local.get $body
    i32.load
    i64.extend_i32_u
    i64.lt_s
    i32.eqz
    br_if $B1
    local.get $body
    local.get $pos
    local.get $pos
    i64.const 21
    call $%add_s64
    call $%slice64
    local.set $pkh
    i32.const 0
    local.set $keep
    i64.const 0
    local.set $p
    block $B3
    loop $L4
    local.get $p
    i64.const 21
    call $%add_s64
    local.get $table
    i32.load
    i64.extend_i32_u
    i64.le_s
    i32.eqz
    br_if $B3
    local.get $table
    local.get $p
    local.get $p
    i64.const 21
    call $%add_s64
    call $%slice64
    local.get $pkh
    call $bytes_eq
    if
    i32.const 1
    local.set $keep
    end
    local.get $p
    i64.const 21
    call $%add_s64
    local.set $p
    br $L4
    end
    end
    local.get $pos
    i64.const 21
    call $%add_s64
    local.set $pos
    i64.const 0
    local.set $index
    i64.const 6
    local.set $width
    i32.const 1
    local.set $more
    block $B5
    loop $L6
    local.get $more
    local.get $pos
    local.get $body
    i32.load
    i64.extend_i32_u
    i64.lt_s
    i32.and
    i32.eqz
    br_if $B5
    local.get $body
    local.get $pos
    call $%getb1_i32_load8_u
    local.set $b
    local.get $pos
    call $%add1_s64
    local.set $pos
    local.get $b
    i32.const 128
    i32.ge_u
    local.set $more
    i64.const 0
    local.set $i
    local.get $width
    local.set $%g2
    block $B7
    local.get $i
    local.get $%g2
    i64.ge_s
    br_if $B7
    loop $L8
    local.get $index
    local.get $i
    call $%add_s64
    local.set $s
    local.get $keep
    if
    local.get $i
    i64.const 8
    i64.ge_u
    br_if $%trap
    local.get $b
    local.get $i
    i32.wrap_i64
    i32.shr_u
    i32.const 1
    i32.and
    i32.const 1
    i32.eq
    if
    local.get $s
    i64.const 3
    i64.shr_s
    local.get $slots
    i32.load
    i64.extend_i32_u
    i64.lt_s
    if
    local.get $slots
    local.get $s
    i64.const 3
    i64.shr_s
    call $%getb1_i32_load8_u
    local.get $s
    i64.const 7
    i64.and
    i32.wrap_i64
    i32.shr_u
    i32.const 1
    i32.and
    i32.const 1
    i32.eq
    if
    local.get $out
    local.get $body
    i32.const 0
    i32.const 4
    call $slice
    local.get $s
    i64.const 255
    i64.gt_u
    br_if $%trap
    i32.const 1
    call $bytes_new
    local.tee $%g3
    local.get $s
    i64.store8 offset=4
    local.get $%g3
    call $%concat3
    local.get $body
    i32.const 6
    i32.const 12
    call $slice
    local.get $level
    i64.const 4294967295
    i64.gt_u
    br_if $%trap
    local.get $level
    i32.const 4
    call $%bytes_be
    call $%concat3
    local.set $out
    end
    end
    end
    end
    local.get $i
    i64.const 1
    i64.add
    local.tee $i
    local.get $%g2
    i64.lt_s
    br_if $L8
    end
    end
    local.get $index
    local.get $width
    call $%add_s64
    local.set $index
    i64.const 7
    local.set $width
    br $L6
    end
    end
    br $L2
    end
    end
    local.get $out
    return
    unreachable
    end
    unreachable
  )
  (func $kernel_py.dal.read_slot (param $entry i32) (result i32)
    (local $%g5 i32) (local $%g6 i32) (local $parts i32) (local $%g3 i32) (local $got i32) (local $%g4 i32) (local $page_size i64) (local $page i64) (local $%g2 i64) (local $pages i64) (local $%g1 i64)
    local.get $entry
    i64.const 9
    call $sat32
    i32.const 2
    call $%from_be
    local.set $page_size
    local.get $entry
    i64.const 5
    call $sat32
    i32.const 4
    call $%from_be
    local.get $page_size
    i64.const 1
    local.get $page_size
    i64.const 1
    i64.gt_s
    select
    i64.div_u
    local.tee $%g1
    i64.const 128
    local.get $%g1
    i64.const 128
    i64.lt_s
    select
    local.set $pages
    call $%empty4
    local.set $parts
    local.get $pages
    local.set $%g2
    block $B1
    local.get $page
    local.get $%g2
    i64.ge_s
    br_if $B1
    loop $L2
    i32.const 630
    local.get $entry
    i32.const 0
    i32.const 5
    call $slice
    local.get $page
    i32.const 2
    call $%bytes_be
    call $%concat3
    local.set $%g3
    i32.const 4096
    local.set $%g4
    i32.const 4108
    call $alloc
    local.set $%g5
    local.get $%g3
    i32.const 4
    i32.add
    local.get $%g3
    i32.load
    local.get $%g5
    i32.const 4
    i32.add
    local.get $%g4
    call $host.reveal
    local.tee $%g6
    i32.const 0
    i32.lt_s
    if
    i32.const 0
    local.set $%g6
    end
    local.get $%g5
    local.get $%g6
    i32.store
    local.get $%g5
    local.get $%g6
    i32.add
    i32.const 11
    i32.add
    i32.const -8
    i32.and
    global.set $hp
    local.get $%g5
    local.tee $got
    i32.load
    i64.extend_i32_u
    local.get $page_size
    i64.ne
    if
    i32.const 192
    return
    end
    local.get $parts
    local.get $got
    call $%append4
    local.get $page
    i64.const 1
    i64.add
    local.tee $page
    local.get $%g2
    i64.lt_s
    br_if $L2
    end
    end
    local.get $parts
    call $kernel_py.formats.dsn.concat
  )
  (func $kernel_py.dal.set_publishers (param $message i32) (result i32)
    (local $table i32)
    local.get $message
    i32.const 8
    local.get $message
    i32.load
    i64.extend_i32_u
    i32.wrap_i64
    call $slice
    local.tee $table
    i32.load
    i64.extend_i32_u
    i64.const 21
    i64.rem_u
    i64.eqz
    i32.eqz
    local.get $table
    i32.load
    i32.const 3360
    i32.gt_u
    i32.or
    if
    i32.const 1194
    return
    end
    i32.const 597
    local.get $table
    call $kernel_py.store.write_value
    i32.const 192
  )
