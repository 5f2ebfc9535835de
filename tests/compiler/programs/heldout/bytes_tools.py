"""Bytes utilities: xor, reverse, compare in constant time, big-endian integers, padding."""


def xor_bytes(a: bytes, b: bytes) -> bytes:
    return bytes([x ^ y for x, y in zip(a, b)])


def reverse_bytes(data: bytes) -> bytes:
    out = bytearray(len(data))
    for i in range(len(data)):
        out[len(data) - 1 - i] = data[i]
    return bytes(out)


def constant_time_eq(a: bytes, b: bytes) -> bool:
    if len(a) != len(b):
        return False
    diff = 0
    for x, y in zip(a, b):
        diff |= x ^ y
    return diff == 0


def be_u32(data: bytes, offset: int) -> int:
    return int.from_bytes(data[offset:offset + 4], "big")


def put_be_u32(value: int) -> bytes:
    return value.to_bytes(4, "big")


def pkcs7_pad(data: bytes, block: int) -> bytes:
    n = block - len(data) % block
    return data + bytes([n] * n)


def count_byte(data: bytes, value: int) -> int:
    count = 0
    for b in data:
        if b == value:
            count += 1
    return count


def is_ascii_digit_string(data: bytes) -> bool:
    return len(data) > 0 and all(0x30 <= c <= 0x39 for c in data)


def parse_decimal(data: bytes) -> int:
    n = 0
    for c in data:
        n = n * 10 + (c - 0x30)
    return n
