"""x(R) hints for a posted pre-block (docs/FORMATS.md §1.5, kernel_py/crypto/README.md).

Per transaction the poster appends the x coordinate of its signature's R, with which the kernel checks
R's decoding (v x^2 = u: two multiplications) instead of computing a square root (a 2^252 exponentiation,
about 117 k fuel per transfer). Hints are not authenticated: a wrong one only costs the kernel that check.

x is R's square root computed as RFC 8032 §5.1.3 does, x = u v^3 (u v^7)^((p-5)/8) (times sqrt(-1) when
v x^2 = -u), with GMP's modular exponentiation (gmpy2): about 12 µs of CPU per transaction on the session's
machine, against about 17 µs for the same x taken from a libsodium point addition and about 100 µs with
Python's own ``pow``. The committee signatures the kernel verifies get hints too, after the transactions'.
"""

from __future__ import annotations

from gmpy2 import mpz, powmod

from dsn.codec import header_digest
from kernel_py.formats.dsn import EVIDENCE_CONTINUE, EVIDENCE_STEP, PreBlock, encode_hints
from kernel_py.formats.tx import SIG_TAIL

P = 2**255 - 19
_P = mpz(P)
_D = mpz(-121665 * pow(121666, -1, P) % P)
_SQRT_M1 = powmod(mpz(2), (_P - 1) // 4, _P)
_EXP = (_P - 5) // 8
_MASK = (1 << 255) - 1
ZERO_HINT = bytes(32)


def r_hint(r: bytes) -> bytes:
    """An x of the point R that ``r`` encodes, 32 bytes little-endian (either sign: the kernel takes the sign
    from R), or zeros when ``r`` is no point (not 32 bytes, y >= p, or no square root) or x = 0."""
    if len(r) != 32:
        return ZERO_HINT
    y = mpz(int.from_bytes(r, "little") & _MASK)
    if y >= _P:
        return ZERO_HINT
    y2 = y * y % _P
    u, v = (y2 - 1) % _P, (_D * y2 + 1) % _P
    v3 = v * v % _P * v % _P
    x = u * v3 % _P * powmod(u * v3 % _P * v3 % _P * v % _P, _EXP, _P) % _P
    vx2 = v * x % _P * x % _P
    if vx2 != u:
        if vx2 != (_P - u) % _P:
            return ZERO_HINT
        x = x * _SQRT_M1 % _P
    return int(x).to_bytes(32, "little")


def r_hints(rs: list[bytes]) -> bytes:
    """:func:`r_hint` of every entry of ``rs``, concatenated in order."""
    return b"".join(map(r_hint, rs))


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
