"""Searching and splitting bytes the way one would in Python without the library helpers."""


def find(haystack: bytes, needle: bytes) -> int:
    n = len(needle)
    for i in range(len(haystack) - n + 1):
        if haystack[i:i + n] == needle:
            return i
    return -1


def count_words(text: bytes) -> int:
    words = 0
    in_word = False
    for c in text:
        if c in (0x20, 0x0A, 0x09):
            in_word = False
        elif not in_word:
            in_word = True
            words += 1
    return words


def split_on(data: bytes, sep: int) -> list[bytes]:
    parts: list[bytes] = []
    start = 0
    for i, c in enumerate(data):
        if c == sep:
            parts.append(data[start:i])
            start = i + 1
    parts.append(data[start:])
    return parts


def to_upper(data: bytes) -> bytes:
    out = bytearray(data)
    for i in range(len(out)):
        if 0x61 <= out[i] <= 0x7A:
            out[i] -= 0x20
    return bytes(out)


def is_palindrome(data: bytes) -> bool:
    i = 0
    j = len(data) - 1
    while i < j:
        if data[i] != data[j]:
            return False
        i += 1
        j -= 1
    return True


BASE64 = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def base64_encode(data: bytes) -> bytes:
    out = bytearray()
    for i in range(0, len(data) - 2, 3):
        n = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2]
        out += bytes([BASE64[(n >> 18) & 63], BASE64[(n >> 12) & 63], BASE64[(n >> 6) & 63], BASE64[n & 63]])
    rest = len(data) % 3
    if rest == 1:
        n = data[len(data) - 1] << 16
        out += bytes([BASE64[(n >> 18) & 63], BASE64[(n >> 12) & 63]]) + b"=="
    elif rest == 2:
        n = (data[len(data) - 2] << 16) | (data[len(data) - 1] << 8)
        out += bytes([BASE64[(n >> 18) & 63], BASE64[(n >> 12) & 63], BASE64[(n >> 6) & 63]]) + b"="
    return bytes(out)
