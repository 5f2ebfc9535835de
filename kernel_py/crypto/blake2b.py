"""BLAKE2b (RFC 7693) in the restricted subset, unkeyed, digest sizes 1..64.

The 16-word working vector is held in scalars and the eight G mixes of a round are written out, so
both compiler profiles keep it in wasm locals; the 12 rounds are a loop over the constant SIGMA table
(unrolled for speed, a compact loop for size). Word arithmetic wraps modulo 2^64 by definition of the hash.
"""

from kernel_py.intrinsics import abort, rotr_u64, u32, u64, wrapping_add_u64

# RFC 7693 §2.6: the initialisation vector (equal to SHA-512's).
IV: list[u64] = [
    0x6A09E667F3BCC908, 0xBB67AE8584CAA73B, 0x3C6EF372FE94F82B, 0xA54FF53A5F1D36F1,
    0x510E527FADE682D1, 0x9B05688C2B3E6C1F, 0x1F83D9ABFB41BD6B, 0x5BE0CD19137E2179,
]

# RFC 7693 §2.7: message word permutations, one row of 16 per round (rounds 10 and 11 reuse rows 0, 1).
SIGMA: bytes = (
    b"\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f"
    b"\x0e\x0a\x04\x08\x09\x0f\x0d\x06\x01\x0c\x00\x02\x0b\x07\x05\x03"
    b"\x0b\x08\x0c\x00\x05\x02\x0f\x0d\x0a\x0e\x03\x06\x07\x01\x09\x04"
    b"\x07\x09\x03\x01\x0d\x0c\x0b\x0e\x02\x06\x05\x0a\x04\x00\x0f\x08"
    b"\x09\x00\x05\x07\x02\x04\x0a\x0f\x0e\x01\x0b\x0c\x06\x08\x03\x0d"
    b"\x02\x0c\x06\x0a\x00\x0b\x08\x03\x04\x0d\x07\x05\x0f\x0e\x01\x09"
    b"\x0c\x05\x01\x0f\x0e\x0d\x04\x0a\x00\x07\x06\x03\x09\x02\x08\x0b"
    b"\x0d\x0b\x07\x0e\x0c\x01\x03\x09\x05\x00\x0f\x04\x08\x06\x02\x0a"
    b"\x06\x0f\x0e\x09\x0b\x03\x00\x08\x0c\x02\x0d\x07\x01\x04\x0a\x05"
    b"\x0a\x02\x08\x04\x07\x06\x01\x05\x0f\x0b\x09\x0e\x03\x0c\x0d\x00"
)

ALL_ONES: u64 = 0xFFFFFFFFFFFFFFFF


def _load_block(m: list[u64], data: bytes, off: int) -> None:
    """Hot: Read the 16 little-endian words of ``data[off:off + 128]`` into ``m``."""
    for i in range(16):
        m[i] = int.from_bytes(data[off + 8 * i : off + 8 * i + 8], "little")


def _compress(h: list[u64], m: list[u64], counter: u64, last: bool) -> None:
    """RFC 7693 §3.2 function F: mix the block ``m`` (16 words) into ``h``; ``counter`` = bytes hashed so far.

    The working vector lives in 16 scalars and the eight G mixes of a round are written out (columns,
    then diagonals), so both profiles keep it in wasm locals; only the message word order comes from
    the SIGMA table. The speed profile also unrolls the 12 rounds (the indexes become constants)."""
    if len(h) != 8 or len(m) != 16:
        abort("hash: bad state")
    v0 = h[0]
    v1 = h[1]
    v2 = h[2]
    v3 = h[3]
    v4 = h[4]
    v5 = h[5]
    v6 = h[6]
    v7 = h[7]
    v8 = IV[0]
    v9 = IV[1]
    v10 = IV[2]
    v11 = IV[3]
    v12 = IV[4] ^ counter
    v13 = IV[5]
    v14 = IV[6]
    v15 = IV[7]
    if last:
        v14 = v14 ^ ALL_ONES
    for r in range(12):
        s = u32(r % 10) * 16
        # columns
        v0 = wrapping_add_u64(wrapping_add_u64(v0, v4), m[SIGMA[s]])
        v12 = rotr_u64(v12 ^ v0, 32)
        v8 = wrapping_add_u64(v8, v12)
        v4 = rotr_u64(v4 ^ v8, 24)
        v0 = wrapping_add_u64(wrapping_add_u64(v0, v4), m[SIGMA[s + 1]])
        v12 = rotr_u64(v12 ^ v0, 16)
        v8 = wrapping_add_u64(v8, v12)
        v4 = rotr_u64(v4 ^ v8, 63)
        v1 = wrapping_add_u64(wrapping_add_u64(v1, v5), m[SIGMA[s + 2]])
        v13 = rotr_u64(v13 ^ v1, 32)
        v9 = wrapping_add_u64(v9, v13)
        v5 = rotr_u64(v5 ^ v9, 24)
        v1 = wrapping_add_u64(wrapping_add_u64(v1, v5), m[SIGMA[s + 3]])
        v13 = rotr_u64(v13 ^ v1, 16)
        v9 = wrapping_add_u64(v9, v13)
        v5 = rotr_u64(v5 ^ v9, 63)
        v2 = wrapping_add_u64(wrapping_add_u64(v2, v6), m[SIGMA[s + 4]])
        v14 = rotr_u64(v14 ^ v2, 32)
        v10 = wrapping_add_u64(v10, v14)
        v6 = rotr_u64(v6 ^ v10, 24)
        v2 = wrapping_add_u64(wrapping_add_u64(v2, v6), m[SIGMA[s + 5]])
        v14 = rotr_u64(v14 ^ v2, 16)
        v10 = wrapping_add_u64(v10, v14)
        v6 = rotr_u64(v6 ^ v10, 63)
        v3 = wrapping_add_u64(wrapping_add_u64(v3, v7), m[SIGMA[s + 6]])
        v15 = rotr_u64(v15 ^ v3, 32)
        v11 = wrapping_add_u64(v11, v15)
        v7 = rotr_u64(v7 ^ v11, 24)
        v3 = wrapping_add_u64(wrapping_add_u64(v3, v7), m[SIGMA[s + 7]])
        v15 = rotr_u64(v15 ^ v3, 16)
        v11 = wrapping_add_u64(v11, v15)
        v7 = rotr_u64(v7 ^ v11, 63)
        # diagonals
        v0 = wrapping_add_u64(wrapping_add_u64(v0, v5), m[SIGMA[s + 8]])
        v15 = rotr_u64(v15 ^ v0, 32)
        v10 = wrapping_add_u64(v10, v15)
        v5 = rotr_u64(v5 ^ v10, 24)
        v0 = wrapping_add_u64(wrapping_add_u64(v0, v5), m[SIGMA[s + 9]])
        v15 = rotr_u64(v15 ^ v0, 16)
        v10 = wrapping_add_u64(v10, v15)
        v5 = rotr_u64(v5 ^ v10, 63)
        v1 = wrapping_add_u64(wrapping_add_u64(v1, v6), m[SIGMA[s + 10]])
        v12 = rotr_u64(v12 ^ v1, 32)
        v11 = wrapping_add_u64(v11, v12)
        v6 = rotr_u64(v6 ^ v11, 24)
        v1 = wrapping_add_u64(wrapping_add_u64(v1, v6), m[SIGMA[s + 11]])
        v12 = rotr_u64(v12 ^ v1, 16)
        v11 = wrapping_add_u64(v11, v12)
        v6 = rotr_u64(v6 ^ v11, 63)
        v2 = wrapping_add_u64(wrapping_add_u64(v2, v7), m[SIGMA[s + 12]])
        v13 = rotr_u64(v13 ^ v2, 32)
        v8 = wrapping_add_u64(v8, v13)
        v7 = rotr_u64(v7 ^ v8, 24)
        v2 = wrapping_add_u64(wrapping_add_u64(v2, v7), m[SIGMA[s + 13]])
        v13 = rotr_u64(v13 ^ v2, 16)
        v8 = wrapping_add_u64(v8, v13)
        v7 = rotr_u64(v7 ^ v8, 63)
        v3 = wrapping_add_u64(wrapping_add_u64(v3, v4), m[SIGMA[s + 14]])
        v14 = rotr_u64(v14 ^ v3, 32)
        v9 = wrapping_add_u64(v9, v14)
        v4 = rotr_u64(v4 ^ v9, 24)
        v3 = wrapping_add_u64(wrapping_add_u64(v3, v4), m[SIGMA[s + 15]])
        v14 = rotr_u64(v14 ^ v3, 16)
        v9 = wrapping_add_u64(v9, v14)
        v4 = rotr_u64(v4 ^ v9, 63)
    h[0] = h[0] ^ v0 ^ v8
    h[1] = h[1] ^ v1 ^ v9
    h[2] = h[2] ^ v2 ^ v10
    h[3] = h[3] ^ v3 ^ v11
    h[4] = h[4] ^ v4 ^ v12
    h[5] = h[5] ^ v5 ^ v13
    h[6] = h[6] ^ v6 ^ v14
    h[7] = h[7] ^ v7 ^ v15


def blake2b(data: bytes, digest_size: int) -> bytes:
    """BLAKE2b digest of ``data`` with ``digest_size`` bytes (1..64), no key."""
    if digest_size < 1 or digest_size > 64:
        abort("blake2b: bad size")
    # h[0] mixes in the parameter block: digest length, key length 0, fanout 1, depth 1 (RFC 7693 §3.3).
    h: list[u64] = [IV[0] ^ 0x01010000 ^ u64(digest_size), IV[1], IV[2], IV[3], IV[4], IV[5], IV[6], IV[7]]
    m: list[u64] = [0] * 16
    n = len(data)
    off = 0
    while n - off > 128:
        _load_block(m, data, off)
        off += 128
        _compress(h, m, u64(off), False)
    if n - off == 128:
        _load_block(m, data, off)
    else:  # a short final block, zero-padded
        last = bytearray(128)
        last[0 : n - off] = data[off:n]
        _load_block(m, last, 0)
    _compress(h, m, u64(n), True)
    out = bytearray(64)
    for i in range(8):
        out[8 * i : 8 * i + 8] = h[i].to_bytes(8, "little")
    return bytes(out[0:digest_size])


def blake2b_256(data: bytes) -> bytes:
    """BLAKE2b-256 (32-byte digest), the project's digest."""
    return blake2b(data, 32)
