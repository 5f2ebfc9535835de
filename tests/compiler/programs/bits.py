"""The wrapping and bit-level intrinsics."""

from kernel_py.intrinsics import (
    bits_i64,
    bits_u64,
    i32,
    lt_u64,
    mul_wide_u32,
    rotl_u32,
    rotl_u64,
    rotr_u32,
    rotr_u64,
    sar_i32,
    sar_i64,
    truncate_i32,
    truncate_u8,
    truncate_u32,
    u8,
    u32,
    u64,
    wrapping_add_i32,
    wrapping_add_i64,
    wrapping_add_u32,
    wrapping_add_u64,
    wrapping_mul_i32,
    wrapping_mul_i64,
    wrapping_mul_u32,
    wrapping_mul_u64,
    wrapping_shl_i64,
    wrapping_shl_u32,
    wrapping_shl_u64,
    wrapping_sub_i32,
    wrapping_sub_i64,
    wrapping_sub_u32,
    wrapping_sub_u64,
)


def wrap32(a: u32, b: u32, n: int) -> tuple[u32, u32, u32, u32, u32, u32]:
    return (wrapping_add_u32(a, b), wrapping_sub_u32(a, b), wrapping_mul_u32(a, b), wrapping_shl_u32(a, n),
            rotl_u32(a, n), rotr_u32(b, n))


def wrap64(a: u64, b: u64, n: int) -> tuple[u64, u64, u64, u64, u64, u64]:
    return (wrapping_add_u64(a, b), wrapping_sub_u64(a, b), wrapping_mul_u64(a, b), wrapping_shl_u64(a, n),
            rotl_u64(a, n), rotr_u64(b, n))


def wrap_signed(a: int, b: int, c: i32, d: i32, n: int) -> tuple[int, int, int, int, i32, i32, i32, i32]:
    return (wrapping_add_i64(a, b), wrapping_sub_i64(a, b), wrapping_mul_i64(a, b), wrapping_shl_i64(a, n),
            wrapping_add_i32(c, d), wrapping_sub_i32(c, d), wrapping_mul_i32(c, d), sar_i32(c, n))


def misc(a: u32, b: u32, x: int, y: u64) -> tuple[u64, u8, u32, i32, u64, int, int, bool, bool]:
    return (mul_wide_u32(a, b), truncate_u8(x), truncate_u32(x), truncate_i32(x), bits_u64(x), bits_i64(y),
            sar_i64(x, a), lt_u64(x, bits_i64(y)), lt_u64(y, u64(b)))
