"""x(R) hints for a posted pre-block (docs/FORMATS.md §1.5, kernel_py/crypto/README.md).

Per transaction the poster appends the x coordinate of its signature's R, with which the kernel checks
R's decoding (v x^2 = u: two multiplications) instead of computing a square root (a 2^252 exponentiation,
about 117 k fuel per transfer). Hints are not authenticated: a wrong one only costs the kernel that check.

A square root with Python integers costs about 100 µs here, so x is taken from one libsodium point
addition instead: for S = R + B (B the base point), y_S = (y_R y_B + x_R x_B) / (1 + d x_R x_B y_R y_B), which
is linear in x_R: x_R = (y_S - y_R y_B) / (x_B (1 + d y_R y_B y_S)). The denominators of a pre-block share
one inversion (Montgomery's trick); libsodium's addition (two point decodings and an encoding) is most of
the cost, about 13 µs per transaction on the session's machine. The committee signatures the kernel verifies get hints
too, after the transactions'.
"""

from __future__ import annotations

from nacl._sodium import ffi, lib

from dsn.codec import header_digest
from kernel_py.formats.dsn import EVIDENCE_CONTINUE, EVIDENCE_STEP, PreBlock, encode_hints
from kernel_py.formats.tx import SIG_TAIL

P = 2**255 - 19
D = -121665 * pow(121666, -1, P) % P
_MASK = (1 << 255) - 1
_BY = 4 * pow(5, -1, P) % P
_BX = 15112221349535400772501151409588531511454012693041857206046113283949847762202
_B = _BY.to_bytes(32, "little")
_DBY = D * _BY % P
ZERO_HINT = bytes(32)


def r_hints(rs: list[bytes]) -> bytes:
    """32 bytes per entry of ``rs``, in order: an x of the point R it encodes (32 bytes), or zeros when it is no
    point (or not 32 bytes)."""
    out = ffi.new("unsigned char[]", 32)
    sums = ffi.buffer(out)
    nums: list[int] = []
    dens: list[int] = []
    for r in rs:
        num, den = 0, 1
        if len(r) == 32 and lib.crypto_core_ed25519_add(out, r, _B) == 0:
            y = int.from_bytes(r, "little") & _MASK
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


def tx_hints(txs: list[bytes]) -> bytes:
    """:func:`r_hints` of each transaction's R: the 32 bytes that start its last 64, where a user transaction's
    signature sits (FORMATS.md §3); zeros for one shorter than a signature and a key."""
    return r_hints([raw[-64:-32] if len(raw) >= SIG_TAIL else b"" for raw in txs])


def verified_signatures(p: PreBlock) -> list[bytes]:
    """The committee signatures the kernel verifies for ``p`` when it reads the evidence, in its order
    (``kernel_py.verify``): the leader's signers, then the support certificates' and, for a step proof whose
    anchor is not the leader, the anchor's."""
    leader = p.certificates[-1]
    certs = [leader]
    e = p.evidence
    if e.kind != EVIDENCE_CONTINUE:
        certs += e.support
    if e.kind == EVIDENCE_STEP and header_digest(e.anchor.header) != header_digest(leader.header):
        certs.append(e.anchor)
    return [s.signature for c in certs for s in c.signers]


def with_hints(encoded: bytes, p: PreBlock, max_bytes: int) -> bytes:
    """``encoded`` (the pre-block ``p``, without hints) followed by the hints of its transactions and then of
    the committee signatures the kernel verifies (:func:`verified_signatures`), as many of them, in that order,
    as keep it within ``max_bytes`` (none when not even one fits)."""
    txs = [tx for b in p.batches for tx in b.transactions]
    rs = [raw[-64:-32] if len(raw) >= SIG_TAIL else b"" for raw in txs]
    rs += [sig[:32] for sig in verified_signatures(p)]
    room = (max_bytes - len(encoded) - 4) // 32
    if room <= 0 or not rs:
        return encoded
    return encoded + encode_hints(r_hints(rs[:room]))
