"""SHA-512 (FIPS 180-4 §6.4) in the restricted subset.

The eight working variables live in scalars (wasm locals); the message schedule is a 80-word list
filled once per block. All word arithmetic wraps modulo 2^64 by definition of the hash.
"""

from kernel_py.intrinsics import abort, rotr_u64, u64, wrapping_add_u64, wrapping_shl_u64

# First 64 bits of the fractional parts of the square roots of the first 8 primes (FIPS 180-4 §5.3.5).
IV: list[u64] = [
    0x6A09E667F3BCC908, 0xBB67AE8584CAA73B, 0x3C6EF372FE94F82B, 0xA54FF53A5F1D36F1,
    0x510E527FADE682D1, 0x9B05688C2B3E6C1F, 0x1F83D9ABFB41BD6B, 0x5BE0CD19137E2179,
]

# First 64 bits of the fractional parts of the cube roots of the first 80 primes (FIPS 180-4 §4.2.3).
K: list[u64] = [
    0x428A2F98D728AE22, 0x7137449123EF65CD, 0xB5C0FBCFEC4D3B2F, 0xE9B5DBA58189DBBC,
    0x3956C25BF348B538, 0x59F111F1B605D019, 0x923F82A4AF194F9B, 0xAB1C5ED5DA6D8118,
    0xD807AA98A3030242, 0x12835B0145706FBE, 0x243185BE4EE4B28C, 0x550C7DC3D5FFB4E2,
    0x72BE5D74F27B896F, 0x80DEB1FE3B1696B1, 0x9BDC06A725C71235, 0xC19BF174CF692694,
    0xE49B69C19EF14AD2, 0xEFBE4786384F25E3, 0x0FC19DC68B8CD5B5, 0x240CA1CC77AC9C65,
    0x2DE92C6F592B0275, 0x4A7484AA6EA6E483, 0x5CB0A9DCBD41FBD4, 0x76F988DA831153B5,
    0x983E5152EE66DFAB, 0xA831C66D2DB43210, 0xB00327C898FB213F, 0xBF597FC7BEEF0EE4,
    0xC6E00BF33DA88FC2, 0xD5A79147930AA725, 0x06CA6351E003826F, 0x142929670A0E6E70,
    0x27B70A8546D22FFC, 0x2E1B21385C26C926, 0x4D2C6DFC5AC42AED, 0x53380D139D95B3DF,
    0x650A73548BAF63DE, 0x766A0ABB3C77B2A8, 0x81C2C92E47EDAEE6, 0x92722C851482353B,
    0xA2BFE8A14CF10364, 0xA81A664BBC423001, 0xC24B8B70D0F89791, 0xC76C51A30654BE30,
    0xD192E819D6EF5218, 0xD69906245565A910, 0xF40E35855771202A, 0x106AA07032BBD1B8,
    0x19A4C116B8D2D0C8, 0x1E376C085141AB53, 0x2748774CDF8EEB99, 0x34B0BCB5E19B48A8,
    0x391C0CB3C5C95A63, 0x4ED8AA4AE3418ACB, 0x5B9CCA4F7763E373, 0x682E6FF3D6B2B8A3,
    0x748F82EE5DEFB2FC, 0x78A5636F43172F60, 0x84C87814A1F0AB72, 0x8CC702081A6439EC,
    0x90BEFFFA23631E28, 0xA4506CEBDE82BDE9, 0xBEF9A3F7B2C67915, 0xC67178F2E372532B,
    0xCA273ECEEA26619C, 0xD186B8C721C0C207, 0xEADA7DD6CDE0EB1E, 0xF57D4F7FEE6ED178,
    0x06F067AA72176FBA, 0x0A637DC5A2C898A6, 0x113F9804BEF90DAE, 0x1B710B35131C471B,
    0x28DB77F523047D84, 0x32CAAB7B40C72493, 0x3C9EBE0A15C9BEBC, 0x431D67C49C100D4C,
    0x4CC5D4BECB3E42B6, 0x597F299CFC657E2A, 0x5FCB6FAB3AD6FAEC, 0x6C44198C4A475817,
]


def _compress(state: list[u64], w: list[u64], block: bytes, off: int) -> None:
    """Absorb the 128-byte block at ``block[off:off + 128]`` into ``state``; ``w`` is scratch (80 words)."""
    if len(w) < 80 or len(state) < 8:
        abort("hash: bad state")
    for t in range(16):
        word: u64 = int.from_bytes(block[off + 8 * t : off + 8 * t + 8], "big")
        w[t] = word
    for t in range(16, 80):
        x = w[t - 15]
        y = w[t - 2]
        s0 = rotr_u64(x, 1) ^ rotr_u64(x, 8) ^ (x >> 7)
        s1 = rotr_u64(y, 19) ^ rotr_u64(y, 61) ^ (y >> 6)
        w[t] = wrapping_add_u64(wrapping_add_u64(w[t - 16], s0), wrapping_add_u64(w[t - 7], s1))
    a = state[0]
    b = state[1]
    c = state[2]
    d = state[3]
    e = state[4]
    f = state[5]
    g = state[6]
    h = state[7]
    for t in range(80):
        big_s1 = rotr_u64(e, 14) ^ rotr_u64(e, 18) ^ rotr_u64(e, 41)
        choose = g ^ (e & (f ^ g))
        t1 = wrapping_add_u64(wrapping_add_u64(h, big_s1), wrapping_add_u64(choose, wrapping_add_u64(K[t], w[t])))
        big_s0 = rotr_u64(a, 28) ^ rotr_u64(a, 34) ^ rotr_u64(a, 39)
        majority = (a & b) | (c & (a | b))
        h = g
        g = f
        f = e
        e = wrapping_add_u64(d, t1)
        d = c
        c = b
        b = a
        a = wrapping_add_u64(t1, wrapping_add_u64(big_s0, majority))
    state[0] = wrapping_add_u64(state[0], a)
    state[1] = wrapping_add_u64(state[1], b)
    state[2] = wrapping_add_u64(state[2], c)
    state[3] = wrapping_add_u64(state[3], d)
    state[4] = wrapping_add_u64(state[4], e)
    state[5] = wrapping_add_u64(state[5], f)
    state[6] = wrapping_add_u64(state[6], g)
    state[7] = wrapping_add_u64(state[7], h)


def sha512(data: bytes) -> bytes:
    """SHA-512 digest (64 bytes) of ``data``."""
    state: list[u64] = [0] * 8
    for i in range(8):
        state[i] = IV[i]
    w: list[u64] = [0] * 80
    n = len(data)
    full = n - n % 128
    off = 0
    while off < full:
        _compress(state, w, data, off)
        off += 128
    # Padding: 0x80, zeros, then the 128-bit big-endian bit length (its high 64 bits are n >> 61).
    rest = n - full
    zeros = 111 - rest
    if rest >= 112:
        zeros = 239 - rest
    high = u64(n) >> 61
    tail = data[full:n] + b"\x80" + bytes(zeros) + high.to_bytes(8, "big") + wrapping_shl_u64(u64(n), 3).to_bytes(8, "big")
    _compress(state, w, tail, 0)
    if len(tail) == 256:
        _compress(state, w, tail, 128)
    out = b""
    for i in range(8):
        out = out + state[i].to_bytes(8, "big")
    return out
