"""x(R) hints for a posted pre-block (docs/FORMATS.md §1.5, kernel_py/crypto/README.md).

Per transaction the poster appends the x coordinate of its signature's R, with which the kernel checks
R's decoding (v x^2 = u: two multiplications) instead of computing a square root (a 2^252 exponentiation,
about 117 k fuel per transfer). Hints are not authenticated: a wrong one only costs the kernel that check.

A square root with Python integers costs about 100 µs here, so x is taken from one libsodium point
addition instead: for S = R + B (B the base point), y_S = (y_R y_B + x_R x_B) / (1 + d x_R x_B y_R y_B), which
is linear in x_R: x_R = (y_S - y_R y_B) / (x_B (1 + d y_R y_B y_S)). The denominators of a pre-block share
one inversion (Montgomery's trick); libsodium's addition (two point decodings and an encoding) is most of
the cost, about 13 µs per transaction on the session's machine.
"""

from __future__ import annotations

from nacl._sodium import ffi, lib

from kernel_py.formats.dsn import encode_hints
from kernel_py.formats.tx import SIG_TAIL

P = 2**255 - 19
D = -121665 * pow(121666, -1, P) % P
_MASK = (1 << 255) - 1
_BY = 4 * pow(5, -1, P) % P
_BX = 15112221349535400772501151409588531511454012693041857206046113283949847762202
_B = _BY.to_bytes(32, "little")
_DBY = D * _BY % P
ZERO_HINT = bytes(32)


def tx_hints(txs: list[bytes]) -> bytes:
    """32 bytes per transaction, in order: an x of its R (the 32 bytes that start its last 64, where a user
    transaction's signature sits, FORMATS.md §3), or zeros when it is shorter or R is no curve point."""
    out = ffi.new("unsigned char[]", 32)
    sums = ffi.buffer(out)
    nums: list[int] = []
    dens: list[int] = []
    for raw in txs:
        num, den = 0, 1
        if len(raw) >= SIG_TAIL and lib.crypto_core_ed25519_add(out, raw[-64:-32], _B) == 0:
            y = int.from_bytes(raw[-64:-32], "little") & _MASK
            s = int.from_bytes(sums, "little") & _MASK
            d = _BX * (1 + _DBY * y % P * s) % P
            if d:  # (else: the zero hint)
                num, den = (s - y * _BY) % P, d
        nums.append(num)
        dens.append(den)
    # One inversion for all: prefix products, then walk back.
    prefix = [1] * (len(dens) + 1)
    for i, den in enumerate(dens):
        prefix[i + 1] = prefix[i] * den % P
    inv = pow(prefix[-1], -1, P)
    xs = [ZERO_HINT] * len(dens)
    for i in range(len(dens) - 1, -1, -1):
        if nums[i]:
            xs[i] = (nums[i] * inv % P * prefix[i] % P).to_bytes(32, "little")
        inv = inv * dens[i] % P
    return b"".join(xs)


def with_hints(encoded: bytes, txs: list[bytes], max_bytes: int) -> bytes:
    """``encoded`` (a pre-block without hints, whose transactions are ``txs``) followed by the hints of as
    many of its first transactions as keep it within ``max_bytes`` (none when not even one fits)."""
    room = (max_bytes - len(encoded) - 4) // 32
    if room <= 0 or not txs:
        return encoded
    return encoded + encode_hints(tx_hints(txs[:room]))
