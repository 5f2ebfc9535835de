"""ASCII renderings used in durable keys and error messages: base64url, lowercase hex and decimal."""

from kernel_py.intrinsics import u64

HEX_DIGITS: bytes = b"0123456789abcdef"
B64_DIGITS: bytes = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def to_b64(data: bytes) -> bytes:
    """Unpadded base64url of 32 bytes (RFC 4648 §5: 43 characters), the densest key step."""
    padded = bytearray(33)
    padded[0:32] = data
    out = bytearray(43)
    for j in range(0, 43):
        p = 6 * j
        i = p >> 3
        w = padded[i] << 8 | padded[i + 1]
        out[j] = B64_DIGITS[(w >> (10 - (p & 7))) & 63]
    return bytes(out)


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
        digits[19 - n] = B64_DIGITS[52 + v % 10]  # ("0"-"9")
        v = v // 10
        n = n + 1
    return bytes(digits[20 - n:20])
