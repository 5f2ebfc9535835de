"""Byte encodings: LEB128 varints, hex, run-length, zigzag."""


def encode_varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out += bytes([byte | 0x80])
        else:
            out += bytes([byte])
            return bytes(out)


def decode_varint(data: bytes) -> tuple[int, int]:
    result = 0
    shift = 0
    for i in range(len(data)):
        b = data[i]
        result |= (b & 0x7F) << shift
        if b & 0x80 == 0:
            return result, i + 1
        shift += 7
        if shift > 56:
            return -1, 0
    return -1, 0


HEX = b"0123456789abcdef"


def to_hex(data: bytes) -> bytes:
    out = bytearray(2 * len(data))
    for i, b in enumerate(data):
        out[2 * i] = HEX[b >> 4]
        out[2 * i + 1] = HEX[b & 15]
    return bytes(out)


def rle(data: bytes) -> bytes:
    parts: list[bytes] = []
    i = 0
    while i < len(data):
        j = i
        while j < len(data) and data[j] == data[i] and j - i < 255:
            j += 1
        parts.append(bytes([j - i, data[i]]))
        i = j
    return b"".join(parts)


def unrle(data: bytes) -> bytes:
    out = b""
    for i in range(0, len(data) - 1, 2):
        out += expand(data[i], data[i + 1])
    return out


def expand(count: int, value: int) -> bytes:
    buf = bytearray(count)
    for k in range(count):
        buf[k] = value
    return bytes(buf)


def zigzag(n: int) -> int:
    if n >= 0:
        return 2 * n
    return -2 * n - 1
