  (func $kernel_py.formats.inbox._msg (param $kind i64) (param $payload i32) (result i32)
    (local $%g1 i32)
    i32.const 32
    call $alloc
    local.tee $%g1
    local.get $kind
    i64.store offset=0
    local.get $%g1
    local.get $payload
    i32.store offset=8
    local.get $%g1
    i32.const 192
    i32.store offset=24
    local.get $%g1
    i32.const 192
    i32.store offset=28
    local.get $%g1
  )
(func $%sub1_s64 (param $a i64) (result i64)
  (if (i64.eq (i64.rotl (local.get $a) (i64.const 1)) (i64.const 1)) (then unreachable))
  (i64.sub (local.get $a) (i64.const 1)))
  (func $kernel_py.formats.inbox.parse_contents (param $contents i32) (result i32)
    (local $%g4 i32) (local $page i32) (local $tag i32) (local $i12%n i64) (local $i12%children i64) (local $index i64) (local $%g2 i64) (local $%g3 i64)
    block $%trap
    local.get $contents
    i32.load
    i32.eqz
    if
    i64.const 8
    i32.const 849
    call $kernel_py.formats.inbox._msg
    return
    end
    local.get $contents
    i64.const 0
    call $%getb1_i32_load8_u
    local.tee $tag
    i32.const 1
    i32.eq
    if
    local.get $contents
    i32.const 1
    local.get $contents
    i32.load
    i64.extend_i32_u
    i32.wrap_i64
    call $slice
    local.set $page
    block $I1 (result i32)
    local.get $page
    i32.load
    i64.extend_i32_u
    local.tee $i12%n
    i64.eqz
    local.get $i12%n
    i64.const 4073
    i64.gt_s
    i32.or
    if
    i32.const 0
    br $I1
    end
    local.get $page
    i64.const 0
    call $%getb1_i32_load8_u
    i32.eqz
    if
    i32.const 1
    br $I1
    end
    local.get $page
    i64.const 0
    call $%getb1_i32_load8_u
    i32.const 1
    i32.ne
    if
    i32.const 0
    br $I1
    end
    local.get $i12%n
    i64.const 1
    i64.sub
    local.tee $%g2
    i64.const 0
    i64.lt_s
    br_if $%trap
    local.get $%g2
    i64.const 5
    i64.shr_u
    local.set $i12%children
    local.get $i12%n
    i64.const 1
    i64.sub
    local.tee $%g3
    i64.const 0
    i64.lt_s
    br_if $%trap
    local.get $%g3
    i64.const 31
    i64.and
    i64.eqz
    local.get $i12%children
    i64.const 1
    i64.ge_s
    i32.and
    local.get $i12%children
    i64.const 127
    i64.le_s
    i32.and
    end
    i32.eqz
    if
    i64.const 8
    i32.const 867
    call $kernel_py.formats.inbox._msg
    return
    end
    i64.const 5
    local.get $page
    call $kernel_py.formats.inbox._msg
    return
    end
    local.get $tag
    i32.const 2
    i32.eq
    if
    local.get $contents
    i32.load
    i32.const 41
    i32.ne
    if
    i64.const 8
    i32.const 885
    call $kernel_py.formats.inbox._msg
    return
    end
    local.get $contents
    i32.const 5
    i32.add
    i32.const 8
    call $%load_be
    local.set $index
    i32.const 32
    call $alloc
    local.tee $%g4
    i64.const 6
    i64.store offset=0
    local.get $%g4
    i32.const 192
    i32.store offset=8
    local.get $%g4
    local.get $index
    i64.store offset=16
    local.get $%g4
    local.get $contents
    i32.const 9
    i32.const 41
    call $slice
    i32.store offset=24
    local.get $%g4
    i32.const 192
    i32.store offset=28
    local.get $%g4
    return
    end
    local.get $tag
    i32.const 3
    i32.eq
    if
    i64.const 7
    local.get $contents
    i32.const 1
    local.get $contents
    i32.load
    i64.extend_i32_u
    i32.wrap_i64
    call $slice
    call $kernel_py.formats.inbox._msg
    return
    end
    i64.const 8
    i32.const 911
    call $kernel_py.formats.inbox._msg
    return
    unreachable
    end
    unreachable
  )
  (func $kernel_py.formats.inbox._parse_transfer (param $raw i32) (param $address i32) (result i32)
    (local $%g1 i32) (local $end i64) (local $n i64) (local $length i64)
    local.get $raw
    i32.load
    i64.extend_i32_u
    local.tee $n
    i64.const 63
    i64.lt_s
    if
    i64.const 8
    i32.const 1074
    call $kernel_py.formats.inbox._msg
    return
    end
    local.get $raw
    local.get $n
    i64.const 20
    i64.sub
    call $%bound
    local.get $n
    i32.wrap_i64
    call $slice
    local.get $address
    call $bytes_eq
    i32.eqz
    if
    i64.const 0
    i32.const 192
    call $kernel_py.formats.inbox._msg
    return
    end
    local.get $n
    i64.const 61
    i64.sub
    local.tee $end
    i64.const 7
    i64.lt_s
    if (result i32)
    i32.const 1
    else
    local.get $raw
    i32.load8_u offset=6
    i32.const 10
    i32.ne
    end
    if
    i64.const 8
    i32.const 1096
    call $kernel_py.formats.inbox._msg
    return
    end
    local.get $raw
    i32.const 7
    i32.add
    i32.const 4
    call $%load_be
    local.set $length
    i64.const 7
    local.get $length
    i64.add
    local.get $end
    i64.ne
    if
    i64.const 8
    i32.const 1096
    call $kernel_py.formats.inbox._msg
    return
    end
    i32.const 32
    call $alloc
    local.tee $%g1
    i64.const 4
    i64.store offset=0
    local.get $%g1
    local.get $raw
    i32.const 7
    local.get $end
    call $%bound
    call $slice
    i32.store offset=8
    local.get $%g1
    i32.const 192
    i32.store offset=24
    local.get $%g1
    local.get $raw
    local.get $end
    local.get $end
    i64.const 20
    i64.add
    call $%slice64
    i32.store offset=28
    local.get $%g1
  )
