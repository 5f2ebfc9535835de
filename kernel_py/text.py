"""ASCII renderings used in durable keys and error messages: lowercase hex and decimal."""

from kernel_py.intrinsics import u64

HEX_DIGITS: bytes = b"0123456789abcdef"
DEC_DIGITS: bytes = b"0123456789"


def to_hex(data: bytes) -> bytes:
    """Lowercase hex of ``data`` (two ASCII bytes per input byte)."""
    out = bytearray(2 * len(data))
    i = 0
    for b in data:
        out[i] = HEX_DIGITS[b >> 4]
        out[i + 1] = HEX_DIGITS[b & 15]
        i = i + 2
    return bytes(out)


def to_decimal(value: u64) -> bytes:
    """Decimal ASCII of ``value`` without leading zeros ("0" for zero)."""
    if value == 0:
        return b"0"
    digits = bytearray(20)
    n = 0
    v = value
    while v > 0:
        digits[19 - n] = DEC_DIGITS[v % 10]
        v = v // 10
        n = n + 1
    return bytes(digits[20 - n:20])
