"""Ed25519 signature verification (RFC 8032 §5.1.7) in the restricted subset: strict and cofactored.

Acceptance rule (single and batch identical; rationale in kernel_py/crypto/README.md):
- public key 32 bytes, signature 64 bytes, else False (never a trap);
- S < L (canonical scalar);
- A and R are canonical point encodings (y < p; x = 0 with the sign bit set is rejected) that decode
  to curve points, and neither has small order ([8]P = identity);
- cofactored equation [8]([S]B - [k]A - R) = identity with k = SHA-512(R || A || M) mod L.

``verify_each`` gives, per item, exactly what ``verify`` gives (except with probability about 2^-127 per
tested range): it checks [8]([sum z_i S_i]B - sum [z_i]R_i - sum [z_i k_i]A_i) = identity with 128-bit
coefficients z_i derived by BLAKE2b from all inputs, so they are deterministic in a kernel, and when that
fails finds the invalid items by bisection, reusing the per-item work (kernel_py/crypto/README.md).

Field elements: 10 signed limbs in radix 2^25.5 (26, 25, 26, ... bits) held in i64; products of limbs
of at most ~2^28 fit, so limb arithmetic uses wrapping intrinsics where the bounds are proven
(carried limbs are below 2^26 / 2^25, limb 1 up to 2^16 more; every input to _fe_mul/_fe_sq is a carried value
or a sum/difference of at most three of them, so |even limb| <= 1.5 * 2^27 and |odd limb| <= 1.5 * 2^26 up to
that slack, and the worst column sum, 280 * 2^54 < 2^62.2, leaves a factor 1.8 below 2^63). Curve arithmetic
follows ref10 (extended, completed, projective and cached forms); the double-scalar multiplication is a
variable-time Straus loop over width-5 NAFs, which is fine because verification uses public data only.
"""

from dataclasses import dataclass

from kernel_py.crypto.blake2b import blake2b
from kernel_py.crypto.sha512 import sha512
from kernel_py.intrinsics import (
    bits_i64,
    i64,
    sar_i64,
    store_read,
    store_write,
    truncate_u8,
    u32,
    u64,
    wrapping_add_i64,
    wrapping_mul_i64,
    wrapping_shl_i64,
    wrapping_sub_i64,
)
from kernel_py.text import to_hex

MASK25: int = 0x1FFFFFF
MASK26: int = 0x3FFFFFF
MASK28: int = 0xFFFFFFF
NAF_LEN: int = 256

# Group order L = 2^252 + 27742317777372353535851937790883648493, little-endian.
L_BYTES: bytes = b"\xed\xd3\xf5\x5c\x1a\x63\x12\x58\xd6\x9c\xf7\xa2\xde\xf9\xde\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x10"

# c = L - 2^252 (< 2^125) in 28-bit limbs; 2^252 is limb 9 of a 28-bit-limb scalar.
L_LOW: list[int] = [217437165, 19280293, 127719000, 262007343, 5342]

BATCH_DOMAIN: bytes = b"kernel-ed25519-batch-v1\x00"

# A failing batch is first split into ranges of about FIRST_RANGE items (at least two), then in halves.
FIRST_RANGE: int = 16

# Curve constant d = -121665/121666 and sqrt(-1), as limbs.
D: list[int] = [
    56195235, 13857412, 51736253, 6949390, 114729,
    24766616, 60832955, 30306712, 48412415, 21499315,
]
SQRT_M1: list[int] = [
    34513072, 25610706, 9377949, 3500415, 12389472,
    33281959, 41962654, 31548777, 326685, 11406482,
]

# (byte offset, shift) of each limb's 32-bit word in a 32-byte field element encoding.
FROMBYTES: bytes = b"\x00\x00\x03\x02\x06\x03\x09\x05\x0c\x06\x10\x00\x13\x01\x16\x03\x19\x04\x1c\x06"

# d/2: (d/2)((y + x)^2 - (y - x)^2) = 2dxy.
D_HALF: list[int] = [
    28097608, 23705922, 25868126, 20251911, 57364,
    29160524, 30416477, 31930572, 57760639, 27526873,
]

# Canonical little-endian encodings of y + x and y - x for B, 3B, 5B, ..., 15B (B the base point), 64 bytes
# per entry; _base_table derives each 2dxy (storing it too would cost 256 more bytes of kernel).
BASE_ODD_MULTIPLES: bytes = (
    b"\x85\x3b\x8c\xf5\xc6\x93\xbc\x2f\x19\x0e\x8c\xfb\xc6\x2d\x93\xcf\xc2\x42\x3d\x64\x98\x48\x0b\x27\x65\xba\xd4\x33\x3a\x9d\xcf\x07"
    b"\x3e\x91\x40\xd7\x05\x39\x10\x9d\xb3\xbe\x40\xd1\x05\x9f\x39\xfd\x09\x8a\x8f\x68\x34\x84\xc1\xa5\x67\x12\xf8\x98\x92\x2f\xfd\x44"
    b"\x30\x97\xee\x4c\xa8\xb0\x25\xaf\x8a\x4b\x86\xe8\x30\x84\x5a\x02\x32\x67\x01\x9f\x02\x50\x1b\xc1\xf4\xf8\x80\x9a\x1b\x4e\x16\x7a"
    b"\x65\xd2\xfc\xa4\xe8\x1f\x61\x56\x7d\xba\xc1\xe5\xfd\x53\xd3\x3b\xbd\xd6\x4b\x21\x1a\xf3\x31\x81\x62\xda\x5b\x55\x87\x15\xb9\x2a"
    b"\x33\xbb\xa5\x08\x44\xbc\x12\xa2\x02\xed\x5e\xc7\xc3\x48\x50\x8d\x44\xec\xbf\x5a\x0c\xeb\x1b\xdd\xeb\x06\xe2\x46\xf1\xcc\x45\x29"
    b"\xba\xd6\x47\xa4\xc3\x82\x91\x7f\xb7\x29\x27\x4b\xd1\x14\x00\xd5\x87\xa0\x64\xb8\x1c\xf1\x3c\xe3\xf3\x55\x1b\xeb\x73\x7e\x4a\x15"
    b"\xbf\xa3\x4e\x94\xd0\x5c\x1a\x6b\xd2\xc0\x9d\xb3\x3a\x35\x70\x74\x49\x2e\x54\x28\x82\x52\xb2\x71\x7e\x92\x3c\x28\x69\xea\x1b\x46"
    b"\xb1\x21\x32\xaa\x9a\x2c\x6f\xba\xa7\x23\xba\x3b\x53\x21\xa0\x6c\x3a\x2c\x19\x92\x4f\x76\xea\x9d\xe0\x17\x53\x2e\x5d\xdd\x6e\x1d"
    b"\x2f\x63\xa8\xa6\x8a\x67\x2e\x9b\xc5\x46\xbc\x51\x6f\x9e\x50\xa6\xb5\xf5\x86\xc6\xc9\x33\xb2\xce\x59\x7f\xdd\x8a\x33\xed\xb9\x34"
    b"\x64\x80\x9d\x03\x7e\x21\x6e\xf3\x9b\x41\x20\xf5\xb6\x81\xa0\x98\x44\xb0\x5e\xe7\x08\xc6\xcb\x96\x8f\x9c\xdc\xfa\x51\x5a\xc0\x49"
    b"\xde\x2a\x80\x8a\x84\x00\xbf\x2f\x27\x2e\x30\x02\xcf\xfe\xd9\xe5\x06\x34\x70\x17\x71\x84\x3e\x11\xaf\x8f\x6d\x54\xe2\xaa\x75\x42"
    b"\x48\x43\x86\x49\x02\x5b\x5f\x31\x81\x83\x08\x77\x69\xb3\xd6\x3e\x95\xeb\x8d\x6a\x55\x75\xa0\xa3\x7f\xc7\xd5\x29\x80\x59\xab\x18"
    b"\x6d\x7f\x00\xa2\x22\xc2\x70\xbf\xdb\xde\xbc\xb5\x9a\xb3\x84\xbf\x07\xba\x07\xfb\x12\x0e\x7a\x53\x41\xf2\x46\xc3\xee\xd7\x4f\x23"
    b"\x93\xbf\x7f\x32\x3b\x01\x6f\x50\x6b\x6f\x77\x9b\xc9\xeb\xfc\xae\x68\x59\xad\xaa\x32\xb2\x12\x9d\xa7\x24\x60\x17\x2d\x88\x67\x02"
    b"\xa0\xea\xcf\x13\x03\xcc\xce\x24\x6d\x24\x9c\x18\x8d\xc2\x48\x86\xd0\xd4\xf2\xc1\xfa\xbd\xbd\x2d\x2b\xe7\x2d\xf1\x17\x29\xe2\x61"
    b"\x0b\xcf\x8c\x46\x86\xcd\x0b\x04\xd6\x10\x99\x2a\xa4\x9b\x82\xd3\x92\x51\xb2\x07\x08\x30\x08\x75\xbf\x5e\xd0\x18\x42\xcd\xb5\x43"
)


@dataclass
class Point:
    """Four field elements whose meaning depends on the form a function names:
    extended (X:Y:Z:T) with x = X/Z, y = Y/Z, xy = T/Z; completed ((X:Z), (Y:T)); projective (X:Y:Z), t unused;
    cached (Y+X, Y-X, Z, 2dT); precomputed affine (y+x, y-x, z unused, 2dxy)."""

    x: list[int]
    y: list[int]
    z: list[int]
    t: list[int]


# ---------------------------------------------------------------------------------------------
# Field arithmetic mod p = 2^255 - 19
# ---------------------------------------------------------------------------------------------


def _fe_new() -> list[int]:
    return [0] * 10


def _fe_copy(h: list[int], f: list[int]) -> None:
    for i in range(10):
        h[i] = f[i]


def _fe_set_small(h: list[int], value: int) -> None:
    """h = value, for 0 <= value < 2^26."""
    h[0] = value
    for i in range(1, 10):
        h[i] = 0


def _fe_addsub(s: list[int], d: list[int], f: list[int], g: list[int]) -> None:
    """Hot: s = f + g and d = f - g, limb-wise (no carry; limbs of d may become negative). Any of the four may be
    the same list (both inputs are read first); a lone sum or difference passes a scratch element for the other."""
    f0 = f[0]
    f1 = f[1]
    f2 = f[2]
    f3 = f[3]
    f4 = f[4]
    f5 = f[5]
    f6 = f[6]
    f7 = f[7]
    f8 = f[8]
    f9 = f[9]
    g0 = g[0]
    g1 = g[1]
    g2 = g[2]
    g3 = g[3]
    g4 = g[4]
    g5 = g[5]
    g6 = g[6]
    g7 = g[7]
    g8 = g[8]
    g9 = g[9]
    s[0] = wrapping_add_i64(f0, g0)
    s[1] = wrapping_add_i64(f1, g1)
    s[2] = wrapping_add_i64(f2, g2)
    s[3] = wrapping_add_i64(f3, g3)
    s[4] = wrapping_add_i64(f4, g4)
    s[5] = wrapping_add_i64(f5, g5)
    s[6] = wrapping_add_i64(f6, g6)
    s[7] = wrapping_add_i64(f7, g7)
    s[8] = wrapping_add_i64(f8, g8)
    s[9] = wrapping_add_i64(f9, g9)
    d[0] = wrapping_sub_i64(f0, g0)
    d[1] = wrapping_sub_i64(f1, g1)
    d[2] = wrapping_sub_i64(f2, g2)
    d[3] = wrapping_sub_i64(f3, g3)
    d[4] = wrapping_sub_i64(f4, g4)
    d[5] = wrapping_sub_i64(f5, g5)
    d[6] = wrapping_sub_i64(f6, g6)
    d[7] = wrapping_sub_i64(f7, g7)
    d[8] = wrapping_sub_i64(f8, g8)
    d[9] = wrapping_sub_i64(f9, g9)


def _fe_carry_store(h: list[int], h0: int, h1: int, h2: int, h3: int, h4: int, h5: int, h6: int, h7: int, h8: int, h9: int) -> None:
    """Carry the column sums of a product into limbs (|h_i| < 2^63 in, carried limbs out) and store them in h."""
    c = sar_i64(h0, 26)
    h1 = wrapping_add_i64(h1, c)
    h0 = h0 & MASK26
    c = sar_i64(h4, 26)
    h5 = wrapping_add_i64(h5, c)
    h4 = h4 & MASK26
    c = sar_i64(h1, 25)
    h2 = wrapping_add_i64(h2, c)
    h1 = h1 & MASK25
    c = sar_i64(h5, 25)
    h6 = wrapping_add_i64(h6, c)
    h5 = h5 & MASK25
    c = sar_i64(h2, 26)
    h3 = wrapping_add_i64(h3, c)
    h2 = h2 & MASK26
    c = sar_i64(h6, 26)
    h7 = wrapping_add_i64(h7, c)
    h6 = h6 & MASK26
    c = sar_i64(h3, 25)
    h4 = wrapping_add_i64(h4, c)
    h3 = h3 & MASK25
    c = sar_i64(h7, 25)
    h8 = wrapping_add_i64(h8, c)
    h7 = h7 & MASK25
    c = sar_i64(h4, 26)
    h5 = wrapping_add_i64(h5, c)
    h4 = h4 & MASK26
    c = sar_i64(h8, 26)
    h9 = wrapping_add_i64(h9, c)
    h8 = h8 & MASK26
    c = sar_i64(h9, 25)
    h0 = wrapping_add_i64(h0, wrapping_mul_i64(c, 19))
    h9 = h9 & MASK25
    c = sar_i64(h0, 26)
    h1 = wrapping_add_i64(h1, c)
    h0 = h0 & MASK26
    h[0] = h0
    h[1] = h1
    h[2] = h2
    h[3] = h3
    h[4] = h4
    h[5] = h5
    h[6] = h6
    h[7] = h7
    h[8] = h8
    h[9] = h9


def _fe_mul(h: list[int], f: list[int], g: list[int]) -> None:
    """Hot: h = f * g (h may be f or g)."""
    f0 = f[0]
    f1 = f[1]
    f2 = f[2]
    f3 = f[3]
    f4 = f[4]
    f5 = f[5]
    f6 = f[6]
    f7 = f[7]
    f8 = f[8]
    f9 = f[9]
    g0 = g[0]
    g1 = g[1]
    g2 = g[2]
    g3 = g[3]
    g4 = g[4]
    g5 = g[5]
    g6 = g[6]
    g7 = g[7]
    g8 = g[8]
    g9 = g[9]
    g1_19 = wrapping_mul_i64(g1, 19)
    g2_19 = wrapping_mul_i64(g2, 19)
    g3_19 = wrapping_mul_i64(g3, 19)
    g4_19 = wrapping_mul_i64(g4, 19)
    g5_19 = wrapping_mul_i64(g5, 19)
    g6_19 = wrapping_mul_i64(g6, 19)
    g7_19 = wrapping_mul_i64(g7, 19)
    g8_19 = wrapping_mul_i64(g8, 19)
    g9_19 = wrapping_mul_i64(g9, 19)
    f1_2 = wrapping_add_i64(f1, f1)
    f3_2 = wrapping_add_i64(f3, f3)
    f5_2 = wrapping_add_i64(f5, f5)
    f7_2 = wrapping_add_i64(f7, f7)
    f9_2 = wrapping_add_i64(f9, f9)
    h0 = wrapping_mul_i64(f0, g0)
    h0 = wrapping_add_i64(h0, wrapping_mul_i64(f1_2, g9_19))
    h0 = wrapping_add_i64(h0, wrapping_mul_i64(f2, g8_19))
    h0 = wrapping_add_i64(h0, wrapping_mul_i64(f3_2, g7_19))
    h0 = wrapping_add_i64(h0, wrapping_mul_i64(f4, g6_19))
    h0 = wrapping_add_i64(h0, wrapping_mul_i64(f5_2, g5_19))
    h0 = wrapping_add_i64(h0, wrapping_mul_i64(f6, g4_19))
    h0 = wrapping_add_i64(h0, wrapping_mul_i64(f7_2, g3_19))
    h0 = wrapping_add_i64(h0, wrapping_mul_i64(f8, g2_19))
    h0 = wrapping_add_i64(h0, wrapping_mul_i64(f9_2, g1_19))
    h1 = wrapping_mul_i64(f0, g1)
    h1 = wrapping_add_i64(h1, wrapping_mul_i64(f1, g0))
    h1 = wrapping_add_i64(h1, wrapping_mul_i64(f2, g9_19))
    h1 = wrapping_add_i64(h1, wrapping_mul_i64(f3, g8_19))
    h1 = wrapping_add_i64(h1, wrapping_mul_i64(f4, g7_19))
    h1 = wrapping_add_i64(h1, wrapping_mul_i64(f5, g6_19))
    h1 = wrapping_add_i64(h1, wrapping_mul_i64(f6, g5_19))
    h1 = wrapping_add_i64(h1, wrapping_mul_i64(f7, g4_19))
    h1 = wrapping_add_i64(h1, wrapping_mul_i64(f8, g3_19))
    h1 = wrapping_add_i64(h1, wrapping_mul_i64(f9, g2_19))
    h2 = wrapping_mul_i64(f0, g2)
    h2 = wrapping_add_i64(h2, wrapping_mul_i64(f1_2, g1))
    h2 = wrapping_add_i64(h2, wrapping_mul_i64(f2, g0))
    h2 = wrapping_add_i64(h2, wrapping_mul_i64(f3_2, g9_19))
    h2 = wrapping_add_i64(h2, wrapping_mul_i64(f4, g8_19))
    h2 = wrapping_add_i64(h2, wrapping_mul_i64(f5_2, g7_19))
    h2 = wrapping_add_i64(h2, wrapping_mul_i64(f6, g6_19))
    h2 = wrapping_add_i64(h2, wrapping_mul_i64(f7_2, g5_19))
    h2 = wrapping_add_i64(h2, wrapping_mul_i64(f8, g4_19))
    h2 = wrapping_add_i64(h2, wrapping_mul_i64(f9_2, g3_19))
    h3 = wrapping_mul_i64(f0, g3)
    h3 = wrapping_add_i64(h3, wrapping_mul_i64(f1, g2))
    h3 = wrapping_add_i64(h3, wrapping_mul_i64(f2, g1))
    h3 = wrapping_add_i64(h3, wrapping_mul_i64(f3, g0))
    h3 = wrapping_add_i64(h3, wrapping_mul_i64(f4, g9_19))
    h3 = wrapping_add_i64(h3, wrapping_mul_i64(f5, g8_19))
    h3 = wrapping_add_i64(h3, wrapping_mul_i64(f6, g7_19))
    h3 = wrapping_add_i64(h3, wrapping_mul_i64(f7, g6_19))
    h3 = wrapping_add_i64(h3, wrapping_mul_i64(f8, g5_19))
    h3 = wrapping_add_i64(h3, wrapping_mul_i64(f9, g4_19))
    h4 = wrapping_mul_i64(f0, g4)
    h4 = wrapping_add_i64(h4, wrapping_mul_i64(f1_2, g3))
    h4 = wrapping_add_i64(h4, wrapping_mul_i64(f2, g2))
    h4 = wrapping_add_i64(h4, wrapping_mul_i64(f3_2, g1))
    h4 = wrapping_add_i64(h4, wrapping_mul_i64(f4, g0))
    h4 = wrapping_add_i64(h4, wrapping_mul_i64(f5_2, g9_19))
    h4 = wrapping_add_i64(h4, wrapping_mul_i64(f6, g8_19))
    h4 = wrapping_add_i64(h4, wrapping_mul_i64(f7_2, g7_19))
    h4 = wrapping_add_i64(h4, wrapping_mul_i64(f8, g6_19))
    h4 = wrapping_add_i64(h4, wrapping_mul_i64(f9_2, g5_19))
    h5 = wrapping_mul_i64(f0, g5)
    h5 = wrapping_add_i64(h5, wrapping_mul_i64(f1, g4))
    h5 = wrapping_add_i64(h5, wrapping_mul_i64(f2, g3))
    h5 = wrapping_add_i64(h5, wrapping_mul_i64(f3, g2))
    h5 = wrapping_add_i64(h5, wrapping_mul_i64(f4, g1))
    h5 = wrapping_add_i64(h5, wrapping_mul_i64(f5, g0))
    h5 = wrapping_add_i64(h5, wrapping_mul_i64(f6, g9_19))
    h5 = wrapping_add_i64(h5, wrapping_mul_i64(f7, g8_19))
    h5 = wrapping_add_i64(h5, wrapping_mul_i64(f8, g7_19))
    h5 = wrapping_add_i64(h5, wrapping_mul_i64(f9, g6_19))
    h6 = wrapping_mul_i64(f0, g6)
    h6 = wrapping_add_i64(h6, wrapping_mul_i64(f1_2, g5))
    h6 = wrapping_add_i64(h6, wrapping_mul_i64(f2, g4))
    h6 = wrapping_add_i64(h6, wrapping_mul_i64(f3_2, g3))
    h6 = wrapping_add_i64(h6, wrapping_mul_i64(f4, g2))
    h6 = wrapping_add_i64(h6, wrapping_mul_i64(f5_2, g1))
    h6 = wrapping_add_i64(h6, wrapping_mul_i64(f6, g0))
    h6 = wrapping_add_i64(h6, wrapping_mul_i64(f7_2, g9_19))
    h6 = wrapping_add_i64(h6, wrapping_mul_i64(f8, g8_19))
    h6 = wrapping_add_i64(h6, wrapping_mul_i64(f9_2, g7_19))
    h7 = wrapping_mul_i64(f0, g7)
    h7 = wrapping_add_i64(h7, wrapping_mul_i64(f1, g6))
    h7 = wrapping_add_i64(h7, wrapping_mul_i64(f2, g5))
    h7 = wrapping_add_i64(h7, wrapping_mul_i64(f3, g4))
    h7 = wrapping_add_i64(h7, wrapping_mul_i64(f4, g3))
    h7 = wrapping_add_i64(h7, wrapping_mul_i64(f5, g2))
    h7 = wrapping_add_i64(h7, wrapping_mul_i64(f6, g1))
    h7 = wrapping_add_i64(h7, wrapping_mul_i64(f7, g0))
    h7 = wrapping_add_i64(h7, wrapping_mul_i64(f8, g9_19))
    h7 = wrapping_add_i64(h7, wrapping_mul_i64(f9, g8_19))
    h8 = wrapping_mul_i64(f0, g8)
    h8 = wrapping_add_i64(h8, wrapping_mul_i64(f1_2, g7))
    h8 = wrapping_add_i64(h8, wrapping_mul_i64(f2, g6))
    h8 = wrapping_add_i64(h8, wrapping_mul_i64(f3_2, g5))
    h8 = wrapping_add_i64(h8, wrapping_mul_i64(f4, g4))
    h8 = wrapping_add_i64(h8, wrapping_mul_i64(f5_2, g3))
    h8 = wrapping_add_i64(h8, wrapping_mul_i64(f6, g2))
    h8 = wrapping_add_i64(h8, wrapping_mul_i64(f7_2, g1))
    h8 = wrapping_add_i64(h8, wrapping_mul_i64(f8, g0))
    h8 = wrapping_add_i64(h8, wrapping_mul_i64(f9_2, g9_19))
    h9 = wrapping_mul_i64(f0, g9)
    h9 = wrapping_add_i64(h9, wrapping_mul_i64(f1, g8))
    h9 = wrapping_add_i64(h9, wrapping_mul_i64(f2, g7))
    h9 = wrapping_add_i64(h9, wrapping_mul_i64(f3, g6))
    h9 = wrapping_add_i64(h9, wrapping_mul_i64(f4, g5))
    h9 = wrapping_add_i64(h9, wrapping_mul_i64(f5, g4))
    h9 = wrapping_add_i64(h9, wrapping_mul_i64(f6, g3))
    h9 = wrapping_add_i64(h9, wrapping_mul_i64(f7, g2))
    h9 = wrapping_add_i64(h9, wrapping_mul_i64(f8, g1))
    h9 = wrapping_add_i64(h9, wrapping_mul_i64(f9, g0))
    _fe_carry_store(h, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9)


def _fe_sq_times(h: list[int], f: list[int], n: int) -> None:
    """Hot: h = f^(2^n), n >= 1 (h may be f); the limbs stay in locals between squarings."""
    f0 = f[0]
    f1 = f[1]
    f2 = f[2]
    f3 = f[3]
    f4 = f[4]
    f5 = f[5]
    f6 = f[6]
    f7 = f[7]
    f8 = f[8]
    f9 = f[9]
    for _ in range(n):
        f0_2 = wrapping_add_i64(f0, f0)
        f1_2 = wrapping_add_i64(f1, f1)
        f2_2 = wrapping_add_i64(f2, f2)
        f3_2 = wrapping_add_i64(f3, f3)
        f4_2 = wrapping_add_i64(f4, f4)
        f5_2 = wrapping_add_i64(f5, f5)
        f7_2 = wrapping_add_i64(f7, f7)
        f6_19 = wrapping_mul_i64(f6, 19)
        f8_19 = wrapping_mul_i64(f8, 19)
        f5_38 = wrapping_mul_i64(f5, 38)
        f6_38 = wrapping_mul_i64(f6, 38)
        f7_38 = wrapping_mul_i64(f7, 38)
        f8_38 = wrapping_mul_i64(f8, 38)
        f9_38 = wrapping_mul_i64(f9, 38)
        h0 = wrapping_mul_i64(f0, f0)
        h0 = wrapping_add_i64(h0, wrapping_mul_i64(f1_2, f9_38))
        h0 = wrapping_add_i64(h0, wrapping_mul_i64(f2, f8_38))
        h0 = wrapping_add_i64(h0, wrapping_mul_i64(f3_2, f7_38))
        h0 = wrapping_add_i64(h0, wrapping_mul_i64(f4, f6_38))
        h0 = wrapping_add_i64(h0, wrapping_mul_i64(f5, f5_38))
        h1 = wrapping_mul_i64(f0_2, f1)
        h1 = wrapping_add_i64(h1, wrapping_mul_i64(f2, f9_38))
        h1 = wrapping_add_i64(h1, wrapping_mul_i64(f3, f8_38))
        h1 = wrapping_add_i64(h1, wrapping_mul_i64(f4, f7_38))
        h1 = wrapping_add_i64(h1, wrapping_mul_i64(f5, f6_38))
        h2 = wrapping_mul_i64(f0_2, f2)
        h2 = wrapping_add_i64(h2, wrapping_mul_i64(f1_2, f1))
        h2 = wrapping_add_i64(h2, wrapping_mul_i64(f3_2, f9_38))
        h2 = wrapping_add_i64(h2, wrapping_mul_i64(f4, f8_38))
        h2 = wrapping_add_i64(h2, wrapping_mul_i64(f5_2, f7_38))
        h2 = wrapping_add_i64(h2, wrapping_mul_i64(f6, f6_19))
        h3 = wrapping_mul_i64(f0_2, f3)
        h3 = wrapping_add_i64(h3, wrapping_mul_i64(f1_2, f2))
        h3 = wrapping_add_i64(h3, wrapping_mul_i64(f4, f9_38))
        h3 = wrapping_add_i64(h3, wrapping_mul_i64(f5, f8_38))
        h3 = wrapping_add_i64(h3, wrapping_mul_i64(f6, f7_38))
        h4 = wrapping_mul_i64(f0_2, f4)
        h4 = wrapping_add_i64(h4, wrapping_mul_i64(f1_2, f3_2))
        h4 = wrapping_add_i64(h4, wrapping_mul_i64(f2, f2))
        h4 = wrapping_add_i64(h4, wrapping_mul_i64(f5_2, f9_38))
        h4 = wrapping_add_i64(h4, wrapping_mul_i64(f6, f8_38))
        h4 = wrapping_add_i64(h4, wrapping_mul_i64(f7, f7_38))
        h5 = wrapping_mul_i64(f0_2, f5)
        h5 = wrapping_add_i64(h5, wrapping_mul_i64(f1_2, f4))
        h5 = wrapping_add_i64(h5, wrapping_mul_i64(f2_2, f3))
        h5 = wrapping_add_i64(h5, wrapping_mul_i64(f6, f9_38))
        h5 = wrapping_add_i64(h5, wrapping_mul_i64(f7, f8_38))
        h6 = wrapping_mul_i64(f0_2, f6)
        h6 = wrapping_add_i64(h6, wrapping_mul_i64(f1_2, f5_2))
        h6 = wrapping_add_i64(h6, wrapping_mul_i64(f2_2, f4))
        h6 = wrapping_add_i64(h6, wrapping_mul_i64(f3_2, f3))
        h6 = wrapping_add_i64(h6, wrapping_mul_i64(f7_2, f9_38))
        h6 = wrapping_add_i64(h6, wrapping_mul_i64(f8, f8_19))
        h7 = wrapping_mul_i64(f0_2, f7)
        h7 = wrapping_add_i64(h7, wrapping_mul_i64(f1_2, f6))
        h7 = wrapping_add_i64(h7, wrapping_mul_i64(f2_2, f5))
        h7 = wrapping_add_i64(h7, wrapping_mul_i64(f3_2, f4))
        h7 = wrapping_add_i64(h7, wrapping_mul_i64(f8, f9_38))
        h8 = wrapping_mul_i64(f0_2, f8)
        h8 = wrapping_add_i64(h8, wrapping_mul_i64(f1_2, f7_2))
        h8 = wrapping_add_i64(h8, wrapping_mul_i64(f2_2, f6))
        h8 = wrapping_add_i64(h8, wrapping_mul_i64(f3_2, f5_2))
        h8 = wrapping_add_i64(h8, wrapping_mul_i64(f4, f4))
        h8 = wrapping_add_i64(h8, wrapping_mul_i64(f9, f9_38))
        h9 = wrapping_mul_i64(f0_2, f9)
        h9 = wrapping_add_i64(h9, wrapping_mul_i64(f1_2, f8))
        h9 = wrapping_add_i64(h9, wrapping_mul_i64(f2_2, f7))
        h9 = wrapping_add_i64(h9, wrapping_mul_i64(f3_2, f6))
        h9 = wrapping_add_i64(h9, wrapping_mul_i64(f4_2, f5))
        c = sar_i64(h0, 26)
        h1 = wrapping_add_i64(h1, c)
        h0 = h0 & MASK26
        c = sar_i64(h4, 26)
        h5 = wrapping_add_i64(h5, c)
        h4 = h4 & MASK26
        c = sar_i64(h1, 25)
        h2 = wrapping_add_i64(h2, c)
        h1 = h1 & MASK25
        c = sar_i64(h5, 25)
        h6 = wrapping_add_i64(h6, c)
        h5 = h5 & MASK25
        c = sar_i64(h2, 26)
        h3 = wrapping_add_i64(h3, c)
        h2 = h2 & MASK26
        c = sar_i64(h6, 26)
        h7 = wrapping_add_i64(h7, c)
        h6 = h6 & MASK26
        c = sar_i64(h3, 25)
        h4 = wrapping_add_i64(h4, c)
        h3 = h3 & MASK25
        c = sar_i64(h7, 25)
        h8 = wrapping_add_i64(h8, c)
        h7 = h7 & MASK25
        c = sar_i64(h4, 26)
        h5 = wrapping_add_i64(h5, c)
        h4 = h4 & MASK26
        c = sar_i64(h8, 26)
        h9 = wrapping_add_i64(h9, c)
        h8 = h8 & MASK26
        c = sar_i64(h9, 25)
        h0 = wrapping_add_i64(h0, wrapping_mul_i64(c, 19))
        h9 = h9 & MASK25
        c = sar_i64(h0, 26)
        h1 = wrapping_add_i64(h1, c)
        h0 = h0 & MASK26
        f0 = h0
        f1 = h1
        f2 = h2
        f3 = h3
        f4 = h4
        f5 = h5
        f6 = h6
        f7 = h7
        f8 = h8
        f9 = h9
    h[0] = f0
    h[1] = f1
    h[2] = f2
    h[3] = f3
    h[4] = f4
    h[5] = f5
    h[6] = f6
    h[7] = f7
    h[8] = f8
    h[9] = f9


def _fe_sq(h: list[int], f: list[int]) -> None:
    """h = f^2 (h may be f)."""
    _fe_sq_times(h, f, 1)


def _fe_pow22523(h: list[int], z: list[int]) -> None:
    """h = z^((p - 5) / 8) = z^(2^252 - 3) (ref10 addition chain)."""
    t0 = _fe_new()
    t1 = _fe_new()
    t2 = _fe_new()
    _fe_sq(t0, z)
    _fe_sq_times(t1, t0, 2)
    _fe_mul(t1, z, t1)
    _fe_mul(t0, t0, t1)
    _fe_sq(t0, t0)
    _fe_mul(t0, t1, t0)
    _fe_sq_times(t1, t0, 5)
    _fe_mul(t0, t1, t0)
    _fe_sq_times(t1, t0, 10)
    _fe_mul(t1, t1, t0)
    _fe_sq_times(t2, t1, 20)
    _fe_mul(t1, t2, t1)
    _fe_sq_times(t1, t1, 10)
    _fe_mul(t0, t1, t0)
    _fe_sq_times(t1, t0, 50)
    _fe_mul(t1, t1, t0)
    _fe_sq_times(t2, t1, 100)
    _fe_mul(t1, t2, t1)
    _fe_sq_times(t1, t1, 50)
    _fe_mul(t0, t1, t0)
    _fe_sq_times(t0, t0, 2)
    _fe_mul(h, t0, z)


def _fe_frombytes(h: list[int], s: bytes) -> None:
    """Hot: limbs of the little-endian number s[0:32] with bit 255 ignored (not reduced mod p): limb i is
    (32-bit word at byte FROMBYTES[2i]) >> FROMBYTES[2i + 1], masked to its 26 or 25 bits."""
    for i in range(10):
        at = FROMBYTES[2 * i]
        w: u64 = int.from_bytes(s[at : at + 4], "little")
        h[i] = bits_i64((w >> FROMBYTES[2 * i + 1]) & ((1 << (26 - (i & 1))) - 1))


def _carry_pass(h: list[int]) -> None:
    """One sequential carry h0 -> h1 -> ... -> h9, folding the carry out of h9 into h0 (times 19)."""
    for i in range(9):
        width = 26 - (i & 1)
        c = sar_i64(h[i], width)
        h[i + 1] = wrapping_add_i64(h[i + 1], c)
        h[i] = h[i] & ((1 << width) - 1)
    c = sar_i64(h[9], 25)
    h[9] = h[9] & MASK25
    h[0] = wrapping_add_i64(h[0], wrapping_mul_i64(c, 19))


def _fe_canonical(h: list[int], f: list[int]) -> int:
    """h = the canonical limbs of f mod p (|limbs of f| < 2^28); returns their OR, 0 exactly when f = 0 mod p."""
    # Add 8p (limbs 8 (2^26 - 19), 8 (2^25 - 1), 8 (2^26 - 1), ...) so that every limb is non-negative.
    for i in range(10):
        h[i] = wrapping_add_i64(f[i], (1 << (29 - (i & 1))) - 8)
    h[0] = wrapping_sub_i64(h[0], 144)
    # Limbs are now positive; two passes leave 0 <= value < 2^255 + 2^26 with all limbs in range
    # except possibly h0 (then the others are zero).
    _carry_pass(h)
    _carry_pass(h)
    # q = floor((value + 19) / 2^255) is 1 exactly when value >= p; subtract q * p.
    q = sar_i64(wrapping_add_i64(h[0], 19), 26)
    for i in range(1, 10):
        q = sar_i64(wrapping_add_i64(h[i], q), 26 - (i & 1))
    h[0] = wrapping_add_i64(h[0], wrapping_mul_i64(q, 19))
    for i in range(9):
        width = 26 - (i & 1)
        h[i + 1] = wrapping_add_i64(h[i + 1], sar_i64(h[i], width))
        h[i] = h[i] & ((1 << width) - 1)
    h[9] = h[9] & MASK25
    bits = 0
    for i in range(10):
        bits = bits | h[i]
    return bits


def _fe_tobytes(f: list[int]) -> bytes:
    """Canonical 32-byte little-endian encoding of f mod p (|limbs of f| < 2^28)."""
    h = _fe_new()
    _fe_canonical(h, f)
    out = bytearray(32)
    acc: u64 = 0
    bits = 0
    pos = 0
    for i in range(10):
        acc = acc | (u64(h[i]) << bits)
        bits += 26 - (i & 1)
        while bits >= 8:
            out[pos] = truncate_u8(acc)
            acc = acc >> 8
            bits -= 8
            pos += 1
    out[31] = truncate_u8(acc)
    return bytes(out)


def _fe_is_zero(f: list[int]) -> bool:
    return _fe_canonical(_fe_new(), f) == 0


# ---------------------------------------------------------------------------------------------
# Curve arithmetic (twisted Edwards -x^2 + y^2 = 1 + d x^2 y^2), ref10 formulas
# ---------------------------------------------------------------------------------------------


def _point_new() -> Point:
    return Point(_fe_new(), _fe_new(), _fe_new(), _fe_new())


def _p1p1_to_p2(r: Point, p: Point) -> None:
    """Completed -> projective."""
    _fe_mul(r.x, p.x, p.t)
    _fe_mul(r.y, p.y, p.z)
    _fe_mul(r.z, p.z, p.t)


def _p1p1_to_p3(r: Point, p: Point) -> None:
    """Completed -> extended."""
    _fe_mul(r.x, p.x, p.t)
    _fe_mul(r.y, p.y, p.z)
    _fe_mul(r.z, p.z, p.t)
    _fe_mul(r.t, p.x, p.y)


def _p3_to_cached(r: Point, p: Point) -> None:
    _fe_addsub(r.x, r.y, p.y, p.x)
    # 2d as d + d (limbs below 2^27, within _fe_mul's bounds): 80 bytes of kernel less than a constant.
    _fe_addsub(r.t, r.z, D, D)
    _fe_mul(r.t, p.t, r.t)
    _fe_copy(r.z, p.z)


def _p2_dbl(r: Point, p: Point, t0: list[int]) -> None:
    """r (completed) = 2p, p projective (an extended point works too); t0 is scratch."""
    _fe_sq(r.x, p.x)
    _fe_sq(r.z, p.y)
    _fe_sq(r.t, p.z)
    _fe_addsub(r.t, t0, r.t, r.t)
    _fe_addsub(r.y, t0, p.x, p.y)
    _fe_sq(t0, r.y)
    _fe_addsub(r.y, r.z, r.z, r.x)
    _fe_addsub(t0, r.x, t0, r.y)
    _fe_addsub(t0, r.t, r.t, r.z)


def _add_point(r: Point, p: Point, q: Point, t0: list[int], negate: bool, affine: bool) -> None:
    """r (completed) = p + q, or p - q when ``negate``; p extended; q cached (``affine`` False) or
    precomputed affine with an implicit z of 1 (``affine`` True); t0 is scratch.

    Negating a cached/affine point swaps its (y + x, y - x) pair and the sign of its 2dt term.
    """
    _fe_addsub(r.x, r.y, p.y, p.x)
    if negate:
        _fe_mul(r.z, r.x, q.y)
        _fe_mul(r.y, r.y, q.x)
    else:
        _fe_mul(r.z, r.x, q.x)
        _fe_mul(r.y, r.y, q.y)
    _fe_mul(r.t, q.t, p.t)
    # r.x is free from here until the second _fe_addsub writes it.
    if affine:
        _fe_addsub(t0, r.x, p.z, p.z)
    else:
        _fe_mul(r.x, p.z, q.z)
        _fe_addsub(t0, r.x, r.x, r.x)
    _fe_addsub(r.y, r.x, r.z, r.y)
    if negate:
        _fe_addsub(r.t, r.z, t0, r.t)
    else:
        _fe_addsub(r.z, r.t, t0, r.t)


def _decode_checked(r: Point, s: bytes, hint: bytes) -> bool:
    """r (extended) = -P for the strict encoding s (32 bytes) of P; False when s is not canonical, no point, or
    a point of small order. A 32-byte ``hint`` (unauthenticated) is a candidate x: when v x^2 = u or -u it
    stands in for the exponentiation, otherwise it is ignored; either way the result is the same."""
    top = s[31] & 0x7F
    if top == 0x7F and s[0] >= 0xED:
        # y >= p exactly when bytes 1..30 are all 0xFF too.
        all_ff = True
        for i in range(1, 31):
            if s[i] != 0xFF:
                all_ff = False
        if all_ff:
            return False
    sign = s[31] >> 7
    u = _fe_new()
    v = _fe_new()
    v3 = _fe_new()
    vxx = _fe_new()
    check = _fe_new()
    _fe_frombytes(r.y, s)
    _fe_set_small(r.z, 1)
    _fe_sq(u, r.y)
    _fe_mul(v, u, D)
    _fe_addsub(check, u, u, r.z)
    _fe_addsub(v, check, v, r.z)
    hinted = len(hint) == 32
    if hinted:
        _fe_frombytes(r.x, hint)
    while True:
        if not hinted:
            _fe_sq(v3, v)
            _fe_mul(v3, v3, v)
            _fe_sq(r.x, v3)
            _fe_mul(r.x, r.x, v)
            _fe_mul(r.x, r.x, u)
            _fe_pow22523(r.x, r.x)
            _fe_mul(r.x, r.x, v3)
            _fe_mul(r.x, r.x, u)
        _fe_sq(vxx, r.x)
        _fe_mul(vxx, vxx, v)
        # r.t is scratch until x is known: vxx + u there, vxx - u in check.
        _fe_addsub(r.t, check, vxx, u)
        if not _fe_is_zero(check):
            if not _fe_is_zero(r.t):
                if not hinted:
                    return False
                # A hint that is no root only cost the test: take the exponentiation.
                hinted = False
                continue
            _fe_mul(r.x, r.x, SQRT_M1)
        break
    # check = the canonical limbs of x: x is 0 when they are, and its sign is the low bit.
    if _fe_canonical(check, r.x) == 0:
        if sign == 1:
            return False
    elif (check[0] & 1) == sign:
        # x has the sign of P: negate it to get -P.
        _fe_set_small(check, 0)
        _fe_addsub(vxx, r.x, check, r.x)
    _fe_mul(r.t, r.x, r.y)
    # [8]P is the identity exactly when y = 0 (order 4), y^2 = 1 (orders 1, 2) or d y^4 + 2 y^2 - 1 = 0 (order 8:
    # [2]P has y = 0); with u = y^2 - 1 and v = d y^2 + 1 that is y u ((u + 1) v + u) = 0. Those five y
    # (0, 1, p - 1 and the two of order 8) are first screened by their low 32 bits.
    low: u32 = int.from_bytes(s[0:4], "little")
    if low not in (0, 1, 0xFFFFFFEC, 0x8F95E826, 0x706A17C7):
        return True
    _fe_addsub(vxx, check, u, r.z)
    _fe_mul(vxx, vxx, v)
    _fe_addsub(vxx, check, vxx, u)
    _fe_mul(vxx, vxx, u)
    _fe_mul(vxx, vxx, r.y)
    return not _fe_is_zero(vxx)


def _is_small_multiple(p: Point) -> bool:
    """True when [8]p is the identity; p projective (an extended point works too), left unchanged."""
    t = _point_new()
    r = _point_new()
    t0 = _fe_new()
    _p2_dbl(t, p, t0)
    _p1p1_to_p2(r, t)
    _p2_dbl(t, r, t0)
    _p1p1_to_p2(r, t)
    _p2_dbl(t, r, t0)
    _p1p1_to_p2(r, t)
    _fe_addsub(r.t, t0, r.y, r.z)
    return _fe_is_zero(r.x) and _fe_is_zero(t0)


def _odd_multiples(tables: list[Point], at: int, p: Point) -> None:
    """tables[at + k] (cached) = (2k + 1)p for k = 0..7, p extended."""
    t = _point_new()
    twice = _point_new()
    u = _point_new()
    t0 = _fe_new()
    _p3_to_cached(tables[at], p)
    _p2_dbl(t, p, t0)
    _p1p1_to_p3(twice, t)
    for k in range(1, 8):
        _add_point(t, twice, tables[at + k - 1], t0, False, False)
        _p1p1_to_p3(u, t)
        _p3_to_cached(tables[at + k], u)


def _base_table() -> list[Point]:
    """B, 3B, ..., 15B in precomputed affine form (y + x, y - x, 2dxy), from BASE_ODD_MULTIPLES."""
    table: list[Point] = []
    t0 = _fe_new()
    for k in range(8):
        e = _point_new()
        _fe_frombytes(e.x, BASE_ODD_MULTIPLES[64 * k : 64 * k + 32])
        _fe_frombytes(e.y, BASE_ODD_MULTIPLES[64 * k + 32 : 64 * k + 64])
        _fe_sq(e.t, e.x)
        _fe_sq(t0, e.y)
        _fe_addsub(e.z, e.t, e.t, t0)
        _fe_mul(e.t, e.t, D_HALF)
        table.append(e)
    return table


# ---------------------------------------------------------------------------------------------
# Scalars
# ---------------------------------------------------------------------------------------------


def _scalar_is_canonical(s: bytes) -> bool:
    """s (32 bytes, little-endian) < L."""
    for i in range(31, -1, -1):
        if s[i] < L_BYTES[i]:
            return True
        if s[i] > L_BYTES[i]:
            return False
    return False


def _scalar_limbs() -> list[int]:
    """A zero scalar accumulator: 19 limbs of 28 bits (532 bits; limb 9 is the 2^252 position)."""
    return [0] * 19


def _limbs_from_bytes(x: list[int], b: bytes) -> None:
    """Hot: x[k] = bits 28k .. 28k + 27 of the little-endian b (len(b) <= 64); x has 19 zero limbs."""
    padded = b + bytes(3)
    for k in range(19):
        first = (28 * k) >> 3
        if first < len(b):
            w: u32 = int.from_bytes(padded[first : first + 4], "little")
            x[k] = (i64(w) >> ((28 * k) & 7)) & MASK28


def _carry28(x: list[int], count: int) -> None:
    """Floor carries through x[0 .. count - 1]: those limbs end in [0, 2^28); x[count - 1] keeps the rest (signed)."""
    for k in range(count - 1):
        x[k + 1] = wrapping_add_i64(x[k + 1], sar_i64(x[k], 28))
        x[k] = x[k] & MASK28


def _mul_add_limbs(acc: list[int], a: list[int], b: list[int]) -> None:
    """acc += a * b for 10-limb a, b (values < 2^280), then carry (acc's value must stay below 2^532)."""
    for i in range(10):
        ai = a[i]
        if ai != 0:
            for j in range(10):
                acc[i + j] = wrapping_add_i64(acc[i + j], wrapping_mul_i64(ai, b[j]))
    _carry28(acc, 19)


def _scalar_product(a: bytes, b: bytes) -> list[int]:
    """a * b (32-byte little-endian numbers, product < 2^381) as carried 28-bit limbs."""
    x = _scalar_limbs()
    y = _scalar_limbs()
    product = _scalar_limbs()
    _limbs_from_bytes(x, a)
    _limbs_from_bytes(y, b)
    _mul_add_limbs(product, x, y)
    return product


def _sub_multiple_of_l(x: list[int], t: int) -> None:
    """x -= t * L on limbs 0..9 (limb 9 is the 2^252 position, |t| <= 2^30), then carry them."""
    for j in range(5):
        x[j] = wrapping_sub_i64(x[j], wrapping_mul_i64(t, L_LOW[j]))
    x[9] = wrapping_sub_i64(x[9], t)
    _carry28(x, 10)


def _reduce_limbs(x: list[int]) -> bytes:
    """x mod L as 32 little-endian bytes; x = 19 carried limbs (non-negative value < 2^532), clobbered.

    Folds with 2^252 = -c (mod L), c = L - 2^252 < 2^125 (L_LOW), top limb first; rounded carries keep
    every folded limb below 2^30, so each product t * c_j stays below 2^58.
    """
    for i in range(18, 8, -1):
        t = x[i]
        x[i] = 0
        carry = 0
        for j in range(5):
            v = wrapping_add_i64(wrapping_sub_i64(x[i - 9 + j], wrapping_mul_i64(t, L_LOW[j])), carry)
            carry = sar_i64(wrapping_add_i64(v, 0x8000000), 28)
            x[i - 9 + j] = wrapping_sub_i64(v, wrapping_shl_i64(carry, 28))
        x[i - 4] = wrapping_add_i64(x[i - 4], carry)
    # |value| < 2^253 in limbs 0..8: carry into limb 9 (the 2^252 position) and fold it once more.
    _carry28(x, 10)
    _sub_multiple_of_l(x, x[9])
    # Now -2^127 < value < 2^252 + 2^127: add L if negative, then subtract L if still >= L.
    if x[9] < 0:
        _sub_multiple_of_l(x, -1)
    trial = _scalar_limbs()
    for j in range(10):
        trial[j] = x[j]
    _sub_multiple_of_l(trial, 1)
    if trial[9] >= 0:
        for j in range(10):
            x[j] = trial[j]
    out = bytearray(32)
    acc = 0
    bits = 0
    pos = 0
    for k in range(10):
        acc = acc | (x[k] << bits)
        bits += 28
        while bits >= 8 and pos < 32:
            out[pos] = truncate_u8(acc)
            acc = acc >> 8
            bits -= 8
            pos += 1
    return bytes(out)


def _reduce_hash(digest: bytes) -> bytes:
    """The 64-byte little-endian digest mod L."""
    x = _scalar_limbs()
    _limbs_from_bytes(x, digest)
    return _reduce_limbs(x)


def _wnaf(naf: list[int], at: int, stride: int, s: bytes) -> None:
    """Hot: width-5 NAF of the 256-bit little-endian s (< 2^255): digit i goes to naf[at + stride * i], which must be
    zero on entry (odd digits -15..15 where nonzero)."""
    end = 32
    while end > 0 and s[end - 1] == 0:
        end -= 1
    end = 8 * end
    pos = 0
    carry = 0
    while pos < NAF_LEN and (pos < end or carry != 0):
        byte = pos >> 3
        bits = i64(s[byte])
        if byte < 31:
            bits = bits | (i64(s[byte + 1]) << 8)
        window = carry + ((bits >> (pos & 7)) & 31)
        if (window & 1) == 0:
            pos += 1
        else:
            if window < 16:
                carry = 0
                naf[at + stride * pos] = window
            else:
                carry = 1
                naf[at + stride * pos] = window - 32
            pos += 5


# ---------------------------------------------------------------------------------------------
# Multi-scalar multiplication
# ---------------------------------------------------------------------------------------------


def _straus(acc: Point, slots: list[int], nafs: list[list[int]], tables: list[Point], base_naf: list[int]) -> None:
    """acc (completed) = [b]B + sum over k of [n_k]P_k: base_naf is b's NAF, nafs[k] n_k's, tables[8s:8s + 8] with
    s = slots[k] P_k's odd multiples."""
    base = _base_table()
    r = _point_new()
    u = _point_new()
    t0 = _fe_new()
    _fe_set_small(acc.x, 0)
    _fe_set_small(acc.y, 1)
    _fe_set_small(acc.z, 1)
    _fe_set_small(acc.t, 1)
    for i in range(NAF_LEN - 1, -1, -1):
        _p1p1_to_p2(r, acc)
        _p2_dbl(acc, r, t0)
        for k in range(len(slots)):
            digit = nafs[k][i]
            if digit != 0:
                _p1p1_to_p3(u, acc)
                _add_point(acc, u, tables[8 * slots[k] + (max(digit, 0 - digit) >> 1)], t0, digit < 0, False)
        digit = base_naf[i]
        if digit != 0:
            _p1p1_to_p3(u, acc)
            _add_point(acc, u, base[max(digit, 0 - digit) >> 1], t0, digit < 0, True)


def _sub_point(r: Point, p: Point, q: Point) -> None:
    """r (extended) = p - q for extended p and q (r may be p)."""
    cached = _point_new()
    t = _point_new()
    t0 = _fe_new()
    _p3_to_cached(cached, q)
    _add_point(t, p, cached, t0, True, False)
    _p1p1_to_p3(r, t)


@dataclass
class Batch:
    """The per-item work of a batch of n items, done once and shared by every subset sum: point slots (item j's
    -R_j at slot j, the t-th distinct key's -A at slot n + t) with their tables (8 per slot), the NAF of each z_j
    (a key's scalar differs per subset), each item's key slot and its products z_j S_j and z_j k_j (carried
    28-bit limbs), and its position in the caller's lists."""

    tables: list[Point]
    nafs: list[list[int]]
    key_of: list[int]
    zs: list[list[int]]
    zk: list[list[int]]
    index: list[int]


def _add_limbs(acc: list[int], x: list[int]) -> None:
    """acc += x limb-wise (19 limbs, no carry)."""
    for k in range(19):
        acc[k] = wrapping_add_i64(acc[k], x[k])


def _subset_sum(e: Point, b: Batch, lo: int, hi: int) -> None:
    """e (extended) = sum over the items lo <= j < hi of z_j([S_j]B + [k_j](-A_j) + (-R_j)), by one Straus
    multi-scalar multiplication (one term per item's R, one per key, one for B; a key's items are adjacent)."""
    slots: list[int] = []
    nafs: list[list[int]] = []
    base = _scalar_limbs()
    key_sum = _scalar_limbs()
    for j in range(lo, hi):
        slots.append(j)
        nafs.append(b.nafs[j])
        _add_limbs(base, b.zs[j])
        _add_limbs(key_sum, b.zk[j])
        t = b.key_of[j]
        if j == hi - 1 or b.key_of[j + 1] != t:
            naf = [0] * NAF_LEN
            _carry28(key_sum, 19)
            _wnaf(naf, 0, 1, _reduce_limbs(key_sum))
            key_sum = _scalar_limbs()
            slots.append(t)
            nafs.append(naf)
    _carry28(base, 19)
    base_naf = [0] * NAF_LEN
    _wnaf(base_naf, 0, 1, _reduce_limbs(base))
    acc = _point_new()
    _straus(acc, slots, nafs, b.tables, base_naf)
    _p1p1_to_p3(e, acc)


def _bisect(ok: list[bool], b: Batch, total: Point) -> None:
    """Set ok for every item from the sum of all of them (extended): a range whose sum e has [8]e = identity is
    all valid; otherwise, unless it is a single (invalid) item, it is split (the whole batch into ranges of about
    FIRST_RANGE items, then halves), each part's sum by one multi-scalar multiplication except the last, which
    is e minus the others. Ranges are kept in a queue (no recursion in the subset)."""
    los = [0]
    his = [len(b.index)]
    sums = [total]
    parts = max(2, len(b.index) // FIRST_RANGE)
    q = 0
    while q < len(los):
        lo = los[q]
        hi = his[q]
        rest = sums[q]
        q += 1
        if _is_small_multiple(rest):
            for j in range(lo, hi):
                ok[b.index[j]] = True
        elif hi - lo > 1:
            for p in range(parts):
                # Ranges are never empty: hi - lo >= 2 when halving, and the first split leaves >= 16 items a part.
                start = lo + (hi - lo) * p // parts
                stop = lo + (hi - lo) * (p + 1) // parts
                part = rest
                if p < parts - 1:
                    part = _point_new()
                    _subset_sum(part, b, start, stop)
                    _sub_point(rest, rest, part)
                los.append(start)
                his.append(stop)
                sums.append(part)
            parts = 2


def _check_combination(points: list[Point], scalars: list[bytes], base_scalar: bytes, last: Point) -> bool:
    """[8]([base_scalar]B + sum [scalars[j]]points[j] + last) = identity? Points extended, scalars < 2^253."""
    count = len(points)
    tables: list[Point] = []
    for _ in range(8 * count):
        tables.append(_point_new())
    nafs: list[list[int]] = []
    slots: list[int] = []
    for j in range(count):
        _odd_multiples(tables, 8 * j, points[j])
        nafs.append([0] * NAF_LEN)
        _wnaf(nafs[j], 0, 1, scalars[j])
        slots.append(j)
    base_naf = [0] * NAF_LEN
    _wnaf(base_naf, 0, 1, base_scalar)
    acc = _point_new()
    _straus(acc, slots, nafs, tables, base_naf)
    u = _point_new()
    cached = _point_new()
    t0 = _fe_new()
    _p1p1_to_p3(u, acc)
    _p3_to_cached(cached, last)
    _add_point(acc, u, cached, t0, False, False)
    _p1p1_to_p2(u, acc)
    return _is_small_multiple(u)


def _find_key(keys: list[bytes], public_key: bytes) -> int:
    """Index of public_key in keys, or -1."""
    for t in range(len(keys)):
        if keys[t] == public_key:
            return t
    return -1


def verify_each(public_keys: list[bytes], messages: list[bytes], signatures: list[bytes]) -> list[bool]:
    """Per item i, exactly ``verify(public_keys[i], messages[i], signatures[i])``, by one batch equation and, when it
    fails, bisection (module doc). The three lists must have one length (shorter ``messages`` or ``signatures`` trap)."""
    return verify_each_cached(b"", public_keys, messages, signatures, b"")


def verify_each_cached(cache: bytes, public_keys: list[bytes], messages: list[bytes], signatures: list[bytes],
                       hints: bytes) -> list[bool]:
    """``verify_each`` with a durable cache of decoded keys when ``cache`` (a storage path prefix) is not empty: a
    key's entry ``cache + hex(key)`` holds the canonical bytes of -A's x, read at the key's first use instead of
    decoding A, and written after the key's first valid signature (so only by a strict decoding here).
    ``hints[32 i : 32 i + 32]``, when present, is a candidate x of item i's R (see ``_decode_checked``): a wrong or
    missing hint costs time, never a different result."""
    n = len(public_keys)
    ok = [False] * n
    keys: list[bytes] = []
    cached: list[bool] = []
    key_points: list[Point] = []
    key_of: list[int] = []
    index: list[int] = []
    neg_rs: list[Point] = []
    challenges: list[bytes] = []
    seed = blake2b(BATCH_DOMAIN, 32)
    # Items 1-4 of the policy per signature; the items that fail them take no part in the equation.
    for i in range(n):
        public_key = public_keys[i]
        signature = signatures[i]
        if len(public_key) != 32 or len(signature) != 64 or not _scalar_is_canonical(signature[32:64]):
            continue
        slot = _find_key(keys, public_key)
        if slot < 0:
            neg_a = _point_new()
            x = b""
            if len(cache) > 0:
                x = store_read(cache + to_hex(public_key), 0, 33)
            if len(x) == 32:
                # y is the key itself (sign bit ignored); the cached x makes the decoding a multiplication.
                _fe_frombytes(neg_a.x, x)
                _fe_frombytes(neg_a.y, public_key)
                _fe_set_small(neg_a.z, 1)
                _fe_mul(neg_a.t, neg_a.x, neg_a.y)
            elif not _decode_checked(neg_a, public_key, b""):
                continue
            cached.append(len(x) == 32)
            keys.append(public_key)
            key_points.append(neg_a)
            slot = len(keys) - 1
        neg_r = _point_new()
        if not _decode_checked(neg_r, signature[0:32], hints[32 * i : 32 * i + 32]):
            continue
        key_of.append(slot)
        index.append(i)
        neg_rs.append(neg_r)
        # The digest binds R, A and M; with S it fixes the whole item. Chaining keeps memory linear.
        digest = sha512(signature[0:32] + public_key + messages[i])
        challenges.append(_reduce_hash(digest))
        seed = blake2b(seed + signature[32:64] + digest, 32)
    count = len(index)
    if count == 0:
        return ok
    # Batch position q holds the items in key order (keys by first use, each key's items in input order), so that
    # a range of the bisection has few distinct keys; z_q = 16 bytes of BLAKE2b-512(seed || u32 block) with the
    # low bit set, four per block.
    tables: list[Point] = []
    for _ in range(8 * (count + len(keys))):
        tables.append(_point_new())
    b = Batch(tables, [], [], [], [], [])
    order: list[int] = []
    for t in range(len(keys)):
        for j in range(count):
            if key_of[j] == t:
                order.append(j)
    stream = b""
    for q in range(count):
        j = order[q]
        b.key_of.append(count + key_of[j])
        b.index.append(index[j])
        if q % 4 == 0:
            stream = blake2b(seed + u32(q // 4).to_bytes(4, "little"), 64)
        at = 16 * (q % 4)
        z = bytearray(32)
        z[0:16] = stream[at : at + 16]
        z[0] = z[0] | 1
        b.zs.append(_scalar_product(z, signatures[index[j]][32:64]))
        b.zk.append(_scalar_product(z, challenges[j]))
        _odd_multiples(tables, 8 * q, neg_rs[j])
        naf = [0] * NAF_LEN
        _wnaf(naf, 0, 1, bytes(z))
        b.nafs.append(naf)
    for t in range(len(keys)):
        _odd_multiples(tables, 8 * (count + t), key_points[t])
    total = _point_new()
    _subset_sum(total, b, 0, count)
    _bisect(ok, b, total)
    if len(cache) > 0:
        for j in range(count):
            t = key_of[j]
            if ok[index[j]] and not cached[t]:
                store_write(cache + to_hex(keys[t]), 0, _fe_tobytes(key_points[t].x))
                cached[t] = True
    return ok


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def verify(public_key: bytes, message: bytes, signature: bytes) -> bool:
    """Strict, cofactored Ed25519 verification of ``signature`` on ``message`` under ``public_key``."""
    if len(public_key) != 32 or len(signature) != 64:
        return False
    r_bytes = signature[0:32]
    s_bytes = signature[32:64]
    if not _scalar_is_canonical(s_bytes):
        return False
    neg_a = _point_new()
    neg_r = _point_new()
    if not _decode_checked(neg_a, public_key, b"") or not _decode_checked(neg_r, r_bytes, b""):
        return False
    k = _reduce_hash(sha512(r_bytes + public_key + message))
    # [S]B + [k](-A) + (-R), times 8.
    points: list[Point] = [neg_a]
    scalars: list[bytes] = [k]
    return _check_combination(points, scalars, s_bytes, neg_r)


def verify_batch(public_keys: list[bytes], messages: list[bytes], signatures: list[bytes]) -> bool:
    """True exactly when ``verify(public_keys[i], messages[i], signatures[i])`` holds for every i (and the lists
    have one length)."""
    n = len(public_keys)
    return len(messages) == n and len(signatures) == n and all(x for x in verify_each(public_keys, messages, signatures))
