  (func $kernel_py.da.page_key (param $page_hash i32) (result i32)
    i32.const 1049
    local.get $page_hash
    call $kernel_py.text.to_hex
    call $concat
  )
  (func $kernel_py.da.ref_key (param $page_hash i32) (result i32)
    i32.const 1062
    local.get $page_hash
    call $kernel_py.text.to_hex
    call $concat
  )
  (func $kernel_py.da.sweep_pages (param $old i64)
    (local $hashes i32) (local $key i32) (local $h i32) (local $p i64) (local $%g1 i64)
    i32.const 488
    local.get $old
    call $kernel_py.text.to_decimal
    call $concat
    local.tee $key
    call $kernel_py.store.read_value
    local.set $hashes
    local.get $hashes
    i32.load
    i64.extend_i32_u
    local.set $%g1
    block $B1
    local.get $p
    local.get $%g1
    i64.ge_s
    br_if $B1
    loop $L2
    local.get $hashes
    local.get $p
    i32.wrap_i64
    local.get $p
    i64.const 32
    i64.add
    call $sat32
    call $slice
    local.tee $h
    call $kernel_py.da.page_key
    call $kernel_py.store.delete_value
    local.get $h
    call $kernel_py.da.ref_key
    call $kernel_py.store.delete_value
    local.get $p
    i64.const 32
    i64.add
    local.tee $p
    local.get $%g1
    i64.lt_s
    br_if $L2
    end
    end
    local.get $key
    call $kernel_py.store.delete_value
  )
  (func $kernel_py.da.reassemble (param $root i32) (result i32)
    (local $used i32) (local $page i32) (local $root_page i32) (local $stack_pos i32) (local $%g5 i32) (local $pieces i32) (local $stack_pages i32) (local $node i32) (local $child i32) (local $%g1 i32) (local $%g4 i32) (local $%g6 i32) (local $%g9 i32) (local $depth i64) (local $top i64) (local $pos i64) (local $total i64) (local $%g8 i64)
    i32.const 1
    i32.const 4
    call $list_new
    local.tee $%g1
    i32.load offset=8
    local.get $root
    i32.store offset=0
    local.get $%g1
    local.set $used
    call $%empty4
    local.set $pieces
    local.get $root
    call $kernel_py.da.page_key
    call $kernel_py.store.read_value
    local.tee $root_page
    i32.load
    i32.eqz
    if
    i32.const 1494
    i32.const 192
    local.get $used
    global.set $%r2_i32
    global.set $%r1_i32
    return
    end
    local.get $root_page
    i64.const 0
    call $%getb1_i32_load8_u
    i32.eqz
    if
    i32.const 192
    local.get $root_page
    i32.const 1
    local.get $root_page
    i32.load
    i64.extend_i32_u
    i32.wrap_i64
    call $slice
    local.get $used
    global.set $%r2_i32
    global.set $%r1_i32
    return
    end
    i32.const 4
    i32.const 4
    call $list_new
    local.tee $%g4
    i32.load offset=8
    local.tee $%g5
    local.get $root_page
    i32.store offset=0
    local.get $%g5
    i32.const 192
    i32.store offset=4
    local.get $%g5
    i32.const 192
    i32.store offset=8
    local.get $%g5
    i32.const 192
    i32.store offset=12
    local.get $%g4
    local.set $stack_pages
    i32.const 4
    i32.const 8
    call $list_new
    local.tee $%g6
    i32.load offset=8
    i64.const 1
    i64.store offset=0
    local.get $%g6
    local.set $stack_pos
    i64.const 1
    local.set $depth
    block $B1
    loop $L2
    local.get $depth
    i64.const 0
    i64.gt_s
    i32.eqz
    br_if $B1
    local.get $depth
    call $%sub1_s64
    local.set $top
    local.get $stack_pages
    local.get $top
    call $%getl4_i32_load
    local.set $node
    local.get $stack_pos
    local.get $top
    call $%getl8_i64_load
    local.tee $pos
    local.get $node
    i32.load
    i64.extend_i32_u
    i64.ge_s
    if
    local.get $depth
    call $%sub1_s64
    local.set $depth
    br $L2
    end
    local.get $pos
    i64.const 32
    call $%add_s64
    local.set $%g8
    local.get $stack_pos
    local.get $top
    local.get $%g8
    call $%setl8_i64_store
    local.get $node
    local.get $pos
    local.get $pos
    i64.const 32
    call $%add_s64
    call $%slice64
    local.set $child
    local.get $used
    local.get $child
    call $%append4
    local.get $used
    i32.load
    i32.const 4096
    i32.gt_u
    if
    i32.const 1510
    i32.const 192
    local.get $used
    global.set $%r2_i32
    global.set $%r1_i32
    return
    end
    local.get $child
    call $kernel_py.da.page_key
    call $kernel_py.store.read_value
    local.tee $page
    i32.load
    i32.eqz
    if
    i32.const 1494
    i32.const 192
    local.get $used
    global.set $%r2_i32
    global.set $%r1_i32
    return
    end
    local.get $page
    i64.const 0
    call $%getb1_i32_load8_u
    i32.eqz
    if
    local.get $total
    local.get $page
    i32.load
    i64.extend_i32_u
    call $%add_s64
    call $%sub1_s64
    local.tee $total
    i64.const 8388608
    i64.gt_s
    if
    i32.const 1528
    i32.const 192
    local.get $used
    global.set $%r2_i32
    global.set $%r1_i32
    return
    end
    local.get $page
    i32.const 1
    local.get $page
    i32.load
    i64.extend_i32_u
    i32.wrap_i64
    call $slice
    local.set $%g9
    local.get $pieces
    local.get $%g9
    call $%append4
    else
    local.get $depth
    i64.const 4
    i64.ge_s
    if
    i32.const 1551
    i32.const 192
    local.get $used
    global.set $%r2_i32
    global.set $%r1_i32
    return
    else
    local.get $stack_pages
    local.get $depth
    local.get $page
    call $%setl4_i32_store
    local.get $stack_pos
    local.get $depth
    i64.const 1
    call $%setl8_i64_store
    local.get $depth
    call $%add1_s64
    local.set $depth
    end
    end
    br $L2
    end
    end
    i32.const 192
    local.get $pieces
    call $kernel_py.formats.dsn.concat
    local.get $used
    global.set $%r2_i32
    global.set $%r1_i32
  )
  (func $kernel_py.da.release_pages (param $hashes i32)
    (local $%t1 i32) (local $h i32) (local $key i32) (local $n i64)
    block $B1
    loop $L2
    local.get $%t1
    local.get $hashes
    i32.load
    i32.ge_u
    br_if $B1
    local.get $hashes
    i32.load offset=8
    local.get $%t1
    i32.const 2
    i32.shl
    i32.add
    i32.load
    local.set $h
    local.get $h
    call $kernel_py.da.ref_key
    local.tee $key
    call $kernel_py.store.read_u64
    local.tee $n
    i64.const 1
    i64.le_u
    if
    local.get $h
    call $kernel_py.da.page_key
    call $kernel_py.store.delete_value
    local.get $key
    call $kernel_py.store.delete_value
    else
    local.get $key
    local.get $n
    call $%sub1_u64
    call $kernel_py.store.write_u64
    end
    local.get $%t1
    i32.const 1
    i32.add
    local.set $%t1
    br $L2
    end
    end
  )
