  (func $kernel_py.crypto.sha512._compress (param $state i32) (param $w i32) (param $block i32) (param $off i64)
    (local $%g7 i32) (local $%g6 i32) (local $%g1 i32) (local $t i64) (local $a i64) (local $e i64) (local $b i64) (local $g i64) (local $c i64) (local $f i64) (local $x i64) (local $y i64) (local $d i64) (local $h i64) (local $t1 i64) (local $word i64) (local $s0 i64) (local $s1 i64) (local $majority i64) (local $%g2 i64) (local $%g3 i64) (local $%g4 i64) (local $%g5 i64)
    local.get $w
    i32.load
    i32.const 80
    i32.lt_u
    local.get $state
    i32.load
    i32.const 8
    i32.lt_u
    i32.or
    if
    i32.const 4820
    i32.const 15
    call $host.write_debug
    unreachable
    unreachable
    end
    loop $L2
    local.get $block
    local.get $off
    i64.const 8
    local.get $t
    i64.mul
    call $%add_s64
    call $%bound
    i32.const 8
    call $%from_be
    local.set $word
    local.get $w
    i32.load offset=8
    local.get $t
    i32.wrap_i64
    i32.const 3
    i32.shl
    i32.add
    local.get $word
    i64.store offset=0
    local.get $t
    i64.const 1
    i64.add
    local.tee $t
    i64.const 16
    i64.lt_s
    br_if $L2
    end
    i64.const 16
    local.set $t
    local.get $w
    i32.load offset=8
    local.set $%g1
    loop $L5
    local.get $t
    i64.const 15
    i64.sub
    local.set $%g2
    local.get $%g1
    local.get $%g2
    i32.wrap_i64
    i32.const 3
    i32.shl
    i32.add
    i64.load offset=0
    local.set $x
    local.get $t
    i64.const 2
    i64.sub
    local.set $%g3
    local.get $%g1
    local.get $%g3
    i32.wrap_i64
    i32.const 3
    i32.shl
    i32.add
    i64.load offset=0
    local.set $y
    local.get $x
    i64.const 1
    i64.rotr
    local.get $x
    i64.const 8
    i64.rotr
    i64.xor
    local.get $x
    i64.const 7
    i64.shr_u
    i64.xor
    local.set $s0
    local.get $y
    i64.const 19
    i64.rotr
    local.get $y
    i64.const 61
    i64.rotr
    i64.xor
    local.get $y
    i64.const 6
    i64.shr_u
    i64.xor
    local.set $s1
    local.get $%g1
    local.get $t
    i32.wrap_i64
    i32.const 3
    i32.shl
    i32.add
    local.get $t
    i64.const 16
    i64.sub
    local.set $%g4
    local.get $%g1
    local.get $%g4
    i32.wrap_i64
    i32.const 3
    i32.shl
    i32.add
    i64.load offset=0
    local.get $s0
    i64.add
    local.get $t
    i64.const 7
    i64.sub
    local.set $%g5
    local.get $%g1
    local.get $%g5
    i32.wrap_i64
    i32.const 3
    i32.shl
    i32.add
    i64.load offset=0
    local.get $s1
    i64.add
    i64.add
    i64.store offset=0
    local.get $t
    i64.const 1
    i64.add
    local.tee $t
    i64.const 80
    i64.lt_s
    br_if $L5
    end
    local.get $state
    i32.load offset=8
    local.tee $%g6
    i64.load offset=0
    local.set $a
    local.get $%g6
    i64.load offset=8
    local.set $b
    local.get $%g6
    i64.load offset=16
    local.set $c
    local.get $%g6
    i64.load offset=24
    local.set $d
    local.get $%g6
    i64.load offset=32
    local.set $e
    local.get $%g6
    i64.load offset=40
    local.set $f
    local.get $%g6
    i64.load offset=48
    local.set $g
    local.get $%g6
    i64.load offset=56
    local.set $h
    i64.const 0
    local.set $t
    loop $L8
    local.get $h
    local.get $e
    i64.const 14
    i64.rotr
    local.get $e
    i64.const 18
    i64.rotr
    i64.xor
    local.get $e
    i64.const 41
    i64.rotr
    i64.xor
    i64.add
    local.get $g
    local.get $e
    local.get $f
    local.get $g
    i64.xor
    i64.and
    i64.xor
    local.get $t
    i32.wrap_i64
    i32.const 3
    i32.shl
    i64.load offset=3312
    local.get $w
    i32.load offset=8
    local.get $t
    i32.wrap_i64
    i32.const 3
    i32.shl
    i32.add
    i64.load offset=0
    i64.add
    i64.add
    i64.add
    local.set $t1
    local.get $a
    local.get $b
    i64.and
    local.get $c
    local.get $a
    local.get $b
    i64.or
    i64.and
    i64.or
    local.set $majority
    local.get $g
    local.set $h
    local.get $f
    local.set $g
    local.get $e
    local.set $f
    local.get $d
    local.get $t1
    i64.add
    local.set $e
    local.get $c
    local.set $d
    local.get $b
    local.set $c
    local.get $a
    local.set $b
    local.get $t1
    local.get $a
    i64.const 28
    i64.rotr
    local.get $a
    i64.const 34
    i64.rotr
    i64.xor
    local.get $a
    i64.const 39
    i64.rotr
    i64.xor
    local.get $majority
    i64.add
    i64.add
    local.set $a
    local.get $t
    i64.const 1
    i64.add
    local.tee $t
    i64.const 80
    i64.lt_s
    br_if $L8
    end
    local.get $state
    i32.load offset=8
    local.tee $%g7
    local.get $%g7
    i64.load offset=0
    local.get $a
    i64.add
    i64.store offset=0
    local.get $%g7
    local.get $%g7
    i64.load offset=8
    local.get $b
    i64.add
    i64.store offset=8
    local.get $%g7
    local.get $%g7
    i64.load offset=16
    local.get $c
    i64.add
    i64.store offset=16
    local.get $%g7
    local.get $%g7
    i64.load offset=24
    local.get $d
    i64.add
    i64.store offset=24
    local.get $%g7
    local.get $%g7
    i64.load offset=32
    local.get $e
    i64.add
    i64.store offset=32
    local.get $%g7
    local.get $%g7
    i64.load offset=40
    local.get $f
    i64.add
    i64.store offset=40
    local.get $%g7
    local.get $%g7
    i64.load offset=48
    local.get $g
    i64.add
    i64.store offset=48
    local.get $%g7
    local.get $%g7
    i64.load offset=56
    local.get $h
    i64.add
    i64.store offset=56
  )
  (func $kernel_py.crypto.sha512.sha512 (param $data i32) (result i32)
    (local $state i32) (local $w i32) (local $tail i32) (local $out i32) (local $i i64) (local $n i64) (local $off i64) (local $full i64) (local $rest i64) (local $zeros i64) (local $high i64)
    i32.const 8
    i32.const 8
    call $list_new
    local.set $state
    loop $L2
    local.get $state
    i32.load offset=8
    local.get $i
    i32.wrap_i64
    i32.const 3
    i32.shl
    i32.add
    local.get $i
    i32.wrap_i64
    i32.const 3
    i32.shl
    i64.load offset=2200
    i64.store offset=0
    local.get $i
    i64.const 1
    i64.add
    local.tee $i
    i64.const 8
    i64.lt_s
    br_if $L2
    end
    i32.const 80
    i32.const 8
    call $list_new
    local.set $w
    local.get $data
    i32.load
    i64.extend_i32_u
    local.tee $n
    local.get $n
    i64.const 127
    i64.and
    i64.sub
    local.set $full
    i64.const 0
    local.set $off
    block $B4
    loop $L5
    local.get $off
    local.get $full
    i64.lt_s
    i32.eqz
    br_if $B4
    local.get $state
    local.get $w
    local.get $data
    local.get $off
    call $kernel_py.crypto.sha512._compress
    local.get $off
    i64.const 128
    call $%add_s64
    local.set $off
    br $L5
    end
    end
    local.get $n
    local.get $full
    i64.sub
    local.set $rest
    i64.const 111
    local.get $rest
    i64.sub
    local.set $zeros
    local.get $rest
    i64.const 112
    i64.ge_s
    if
    i64.const 239
    local.get $rest
    i64.sub
    local.set $zeros
    end
    local.get $n
    i64.const 61
    i64.shr_u
    local.set $high
    local.get $data
    local.get $full
    call $%bound
    local.get $n
    i32.wrap_i64
    call $slice
    i32.const 2976
    local.get $zeros
    call $bytes_new64
    call $%concat3
    local.get $high
    call $%bytes_be8
    local.get $n
    i64.const 3
    i64.shl
    call $%bytes_be8
    call $%concat3
    local.set $tail
    local.get $state
    local.get $w
    local.get $tail
    i64.const 0
    call $kernel_py.crypto.sha512._compress
    local.get $tail
    i32.load
    i32.const 256
    i32.eq
    if
    local.get $state
    local.get $w
    local.get $tail
    i64.const 128
    call $kernel_py.crypto.sha512._compress
    end
    i32.const 192
    local.set $out
    i64.const 0
    local.set $i
    loop $L7
    local.get $out
    local.get $state
    i32.load offset=8
    local.get $i
    i32.wrap_i64
    i32.const 3
    i32.shl
    i32.add
    i64.load offset=0
    call $%bytes_be8
    call $concat
    local.set $out
    local.get $i
    i64.const 1
    i64.add
    local.tee $i
    i64.const 8
    i64.lt_s
    br_if $L7
    end
    local.get $out
  )
