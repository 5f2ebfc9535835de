  (func $kernel_py.store.write_value (param $key i32) (param $data i32)
    local.get $key
    i32.const 4
    i32.add
    local.get $key
    i32.load
    call $host.store_delete_value
    i64.extend_i32_s
    drop
    local.get $data
    i32.load
    i32.eqz
    if
    local.get $key
    i32.const 4
    i32.add
    local.get $key
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
    return
    end
    local.get $key
    i64.const 0
    local.get $data
    call $kernel_py.store.write_at
  )

(func $list_new (param $n i32) (param $esz i32) (result i32) (local $p i32)
  (if (i32.gt_u (local.get $n) (i32.const 0x8000000)) (then (call $fail (i32.const 0))))
  (local.set $p (call $alloc (i32.add (i32.mul (local.get $n) (local.get $esz)) (i32.const 16))))
  (i32.store (local.get $p) (local.get $n))
  (i32.store offset=4 (local.get $p) (local.get $n))
  (i32.store offset=8 (local.get $p) (i32.add (local.get $p) (i32.const 16)))
  (local.get $p))
(func $%mul_s64 (param $a i64) (param $b i64) (result i64) (local $r i64)
  (local.set $r (i64.mul (local.get $a) (local.get $b)))
  (if (i32.and (i64.eq (local.get $a) (i64.const -1)) (i64.eq (local.get $b) (i64.const -9223372036854775808))) (then unreachable))
  (if (i64.ne (local.get $a) (i64.const 0)) (then (if (i64.ne (i64.div_s (local.get $r) (local.get $a)) (local.get $b)) (then unreachable))))
  (local.get $r))
(func $%setl8_i64_store (param $s i32) (param $i i64) (param $x i64)
  (if (i64.ge_u (local.get $i) (i64.extend_i32_u (i32.load (local.get $s)))) (then unreachable))
  (i32.add (i32.load offset=8 (local.get $s)) (i32.shl (i32.wrap_i64 (local.get $i)) (i32.const 3)))
  (local.get $x)
  i64.store offset=0)
  (func $kernel_py.store.read_value (param $key i32) (result i32)
    local.get $key
    i64.const 0
    local.get $key
    call $kernel_py.store.value_size
    call $kernel_py.store.read_range
  )
  (func $kernel_py.store.read_u64 (param $key i32) (result i64)
    (local $%g3 i32) (local $%g4 i32) (local $v i32) (local $%g2 i32) (local $%g1 i32)
    i32.const 9
    local.set $%g2
    i32.const 2060
    call $alloc
    local.set $%g3
    local.get $key
    i32.const 4
    i32.add
    local.get $key
    i32.load
    local.get $%g1
    local.get $%g3
    i32.const 4
    i32.add
    local.get $%g2
    call $host.store_read
    local.tee $%g4
    i32.const 0
    i32.lt_s
    if
    i32.const 0
    local.set $%g4
    end
    local.get $%g3
    local.get $%g4
    i32.store
    local.get $%g3
    local.get $%g4
    i32.add
    i32.const 11
    i32.add
    i32.const -8
    i32.and
    global.set $hp
    local.get $%g3
    local.tee $v
    i32.load
    i32.const 8
    i32.ne
    if
    i64.const 0
    return
    end
    local.get $v
    call $%from_be_all
  )
  (func $kernel_py.store.write_u64 (param $key i32) (param $value i64)
    (local $%g1 i32)
    local.get $key
    i32.const 4
    i32.add
    local.get $key
    i32.load
    i32.const 0
    local.get $value
    call $%bytes_be8
    local.tee $%g1
    i32.const 4
    i32.add
    local.get $%g1
    i32.load
    call $host.store_write
    i64.extend_i32_s
    drop
  )
(func $%bytes_be (param $x i64) (param $n i32) (result i32) (local $p i32) (local $q i32)
  (local.set $p (call $bytes_new (local.get $n)))
  (local.set $q (i32.add (local.get $p) (local.get $n)))
  (block $done (loop $l
    (br_if $done (i32.le_u (local.get $q) (local.get $p)))
    (i64.store8 offset=3 (local.get $q) (local.get $x))
    (local.set $x (i64.shr_u (local.get $x) (i64.const 8)))
    (local.set $q (i32.sub (local.get $q) (i32.const 1)))
    (br $l)))
  (local.get $p))
  (func $kernel_py.store.delete_value (param $key i32)
    local.get $key
    i32.const 4
    i32.add
    local.get $key
    i32.load
    call $host.store_delete_value
    i64.extend_i32_s
    drop
  )
  (func $kernel_py.store.has_value (param $key i32) (result i32)
    local.get $key
    i32.const 4
    i32.add
    local.get $key
    i32.load
    call $host.store_value_size
    i64.extend_i32_s
    i64.const 0
    i64.ge_s
  )
  (func $kernel_py.store.append_value (param $key i32) (param $data i32)
    (local $size i64)
    local.get $key
    call $kernel_py.store.value_size
    local.tee $size
    i64.const 0
    i64.lt_s
    if
    i64.const 0
    local.set $size
    local.get $data
    i32.load
    i32.eqz
    if
    local.get $key
    i32.const 4
    i32.add
    local.get $key
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
    return
    end
    end
    local.get $key
    local.get $size
    local.get $data
    call $kernel_py.store.write_at
  )
  (func $kernel_py.store.read_range (param $key i32) (param $offset i64) (param $length i64) (result i32)
    (local $%g3 i32) (local $%g4 i32) (local $out i32) (local $part i32) (local $%g1 i32) (local $%g2 i32) (local $done i64) (local $want i64) (local $%g5 i64)
    local.get $length
    i64.const 0
    i64.le_s
    if
    i32.const 192
    return
    end
    local.get $length
    call $bytes_new64
    local.set $out
    block $B1
    loop $L2
    local.get $done
    local.get $length
    i64.lt_s
    i32.eqz
    br_if $B1
    local.get $length
    local.get $done
    call $%sub_s64
    local.tee $want
    i64.const 2048
    i64.gt_s
    if
    i64.const 2048
    local.set $want
    end
    local.get $offset
    local.get $done
    call $%add_s64
    call $sat32
    local.set $%g1
    local.get $want
    call $sat32
    local.set $%g2
    i32.const 2060
    call $alloc
    local.set $%g3
    local.get $key
    i32.const 4
    i32.add
    local.get $key
    i32.load
    local.get $%g1
    local.get $%g3
    i32.const 4
    i32.add
    local.get $%g2
    call $host.store_read
    local.tee $%g4
    i32.const 0
    i32.lt_s
    if
    i32.const 0
    local.set $%g4
    end
    local.get $%g3
    local.get $%g4
    i32.store
    local.get $%g3
    local.get $%g4
    i32.add
    i32.const 11
    i32.add
    i32.const -8
    i32.and
    global.set $hp
    local.get $%g3
    local.tee $part
    i32.load
    i64.extend_i32_u
    local.get $want
    i64.ne
    if
    i32.const 192
    return
    end
    local.get $done
    local.get $want
    call $%add_s64
    local.set $%g5
    local.get $out
    local.get $done
    call $%bound
    local.get $%g5
    call $%bound
    local.get $part
    call $set_slice
    local.get $done
    local.get $want
    call $%add_s64
    local.set $done
    br $L2
    end
    end
    local.get $out
    call $bytes_copy
  )
  (func $kernel_py.store.delete_tree (param $key i32)
    local.get $key
    i32.const 4
    i32.add
    local.get $key
    i32.load
    call $host.store_delete
    i64.extend_i32_s
    drop
  )
  (func $kernel_py.store.value_size (param $key i32) (result i64)
    local.get $key
    i32.const 4
    i32.add
    local.get $key
    i32.load
    call $host.store_value_size
    i64.extend_i32_s
  )
  (func $kernel_py.store.write_at (param $key i32) (param $offset i64) (param $data i32)
    (local $%g1 i32) (local $done i64) (local $n i64) (local $end i64)
    local.get $data
    i32.load
    i64.extend_i32_u
    local.set $n
    block $B1
    loop $L2
    local.get $done
    local.get $n
    i64.lt_s
    i32.eqz
    br_if $B1
    local.get $done
    i64.const 2048
    call $%add_s64
    local.tee $end
    local.get $n
    i64.gt_s
    if
    local.get $n
    local.set $end
    end
    local.get $key
    i32.const 4
    i32.add
    local.get $key
    i32.load
    local.get $offset
    local.get $done
    call $%add_s64
    call $sat32
    local.get $data
    local.get $done
    local.get $end
    call $%slice64
    local.tee $%g1
    i32.const 4
    i32.add
    local.get $%g1
    i32.load
    call $host.store_write
    i64.extend_i32_s
    drop
    local.get $end
    local.set $done
    br $L2
    end
    end
  )
