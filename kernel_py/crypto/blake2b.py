"""BLAKE2b (RFC 7693) in the restricted subset, unkeyed, digest sizes 1..64.

The rounds and the eight G mixes of a round are loops over constant tables (SIGMA, MIX): compiled
for speed they unroll and the 16-word working vector lives in wasm locals; compiled for size they
stay loops. Word arithmetic wraps modulo 2^64 by definition of the hash.
"""

from kernel_py.intrinsics import abort, rotr_u64, u64, wrapping_add_u64

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

# RFC 7693 §3.2: the working-vector indexes (a, b, c, d) of the eight G mixes of a round (columns, then diagonals).
MIX: bytes = (
    b"\x00\x04\x08\x0c\x01\x05\x09\x0d\x02\x06\x0a\x0e\x03\x07\x0b\x0f"
    b"\x00\x05\x0a\x0f\x01\x06\x0b\x0c\x02\x07\x08\x0d\x03\x04\x09\x0e"
)

ALL_ONES: u64 = 0xFFFFFFFFFFFFFFFF


def _load_block(m: list[u64], data: bytes, off: int) -> None:
    """Read the 16 little-endian words of ``data[off:off + 128]`` into ``m``."""
    for i in range(16):
        m[i] = int.from_bytes(data[off + 8 * i : off + 8 * i + 8], "little")


def _compress(h: list[u64], m: list[u64], counter: u64, last: bool) -> None:
    """RFC 7693 §3.2 function F: mix the block ``m`` into ``h``; ``counter`` = bytes hashed so far.

    The rounds are loops over constant tables: the speed profile unrolls them and keeps the working
    vector ``v`` in 16 wasm locals (its indexes become constants); the size profile keeps the loops."""
    v: list[u64] = [h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7],
                    IV[0], IV[1], IV[2], IV[3], IV[4] ^ counter, IV[5], IV[6], IV[7]]
    if last:
        v[14] = v[14] ^ ALL_ONES
    for r in range(12):
        s = (r % 10) * 16
        for g in range(8):
            a = MIX[4 * g]
            b = MIX[4 * g + 1]
            c = MIX[4 * g + 2]
            d = MIX[4 * g + 3]
            v[a] = wrapping_add_u64(wrapping_add_u64(v[a], v[b]), m[SIGMA[s + 2 * g]])
            v[d] = rotr_u64(v[d] ^ v[a], 32)
            v[c] = wrapping_add_u64(v[c], v[d])
            v[b] = rotr_u64(v[b] ^ v[c], 24)
            v[a] = wrapping_add_u64(wrapping_add_u64(v[a], v[b]), m[SIGMA[s + 2 * g + 1]])
            v[d] = rotr_u64(v[d] ^ v[a], 16)
            v[c] = wrapping_add_u64(v[c], v[d])
            v[b] = rotr_u64(v[b] ^ v[c], 63)
    h[0] = h[0] ^ v[0] ^ v[8]
    h[1] = h[1] ^ v[1] ^ v[9]
    h[2] = h[2] ^ v[2] ^ v[10]
    h[3] = h[3] ^ v[3] ^ v[11]
    h[4] = h[4] ^ v[4] ^ v[12]
    h[5] = h[5] ^ v[5] ^ v[13]
    h[6] = h[6] ^ v[6] ^ v[14]
    h[7] = h[7] ^ v[7] ^ v[15]


def blake2b(data: bytes, digest_size: int) -> bytes:
    """BLAKE2b digest of ``data`` with ``digest_size`` bytes (1..64), no key."""
    if digest_size < 1 or digest_size > 64:
        abort("blake2b digest size must be 1..64")
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
