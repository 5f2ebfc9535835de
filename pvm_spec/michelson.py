"""Michelson data expressions (text) to binary Micheline, as carried by internal transfer messages.

Supported: integers (``int``/``nat``/``mutez``), strings, bytes (``0x…``), ``Unit``, ``True``,
``False``, ``None``, ``Some x``, ``Pair a b`` (and ``Pair a b c …`` kept as an n-ary prim, as the
octez parser does), ``Left x``, ``Right x``, ``Elt k v``, sequences ``{ a ; b }``, parentheses.
Annotations are not accepted in data.

Binary form (``Data_encoding`` Micheline, spec §3.2): ``00`` Zarith int, ``01`` u32-length string,
``02`` u32-length sequence, ``03``/``05``/``07`` prim with 0/1/2 arguments and no annotations,
``09`` prim with n arguments (u32-length arguments ‖ u32 annotation length 0), ``0a`` u32-length bytes.
"""

from __future__ import annotations

import re

PRIMS = {"False": 3, "Elt": 4, "Left": 5, "None": 6, "Pair": 7, "Right": 8, "Some": 9, "True": 10, "Unit": 11}
_TOKEN = re.compile(
    r'\s*(?:(?P<bytes>0x[0-9a-fA-F]*)|(?P<int>-?\d+)|(?P<str>"(?:[^"\\]|\\.)*")|(?P<prim>[A-Za-z_][A-Za-z0-9_]*)|(?P<punct>[(){};]))'
)


def zarith(n: int) -> bytes:
    """Signed Zarith encoding (6 value bits + sign in the first byte, then 7 bits per byte)."""
    sign = 0x40 if n < 0 else 0
    n = abs(n)
    out = bytearray([sign | (n & 0x3F)])
    n >>= 6
    while n:
        out[-1] |= 0x80
        out.append(n & 0x7F)
        n >>= 7
    return bytes(out)


def _u32(n: int) -> bytes:
    return n.to_bytes(4, "big")


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise ValueError(f"cannot parse Michelson at {text[pos:pos + 20]!r}")
        kind = m.lastgroup
        assert kind is not None
        tokens.append((kind, m.group(kind)))
        pos = m.end()
    return tokens


def _string(literal: str) -> bytes:
    body = literal[1:-1]
    out = re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t", "r": "\r", "b": "\b"}.get(m.group(1), m.group(1)), body)
    return out.encode("utf-8")


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.pos = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        tok = self.peek()
        if tok is None:
            raise ValueError("unexpected end of Michelson expression")
        self.pos += 1
        return tok

    def expect(self, punct: str) -> None:
        if self.take() != ("punct", punct):
            raise ValueError(f"expected {punct!r}")

    def expr(self) -> bytes:
        """An expression where a primitive may take arguments."""
        tok = self.peek()
        if tok is not None and tok[0] == "prim":
            self.take()
            args: list[bytes] = []
            while (nxt := self.peek()) is not None and nxt not in (("punct", ")"), ("punct", "}"), ("punct", ";")):
                args.append(self.atom())
            return _prim(tok[1], args)
        return self.atom()

    def atom(self) -> bytes:
        kind, value = self.take()
        if kind == "int":
            return b"\x00" + zarith(int(value))
        if kind == "bytes":
            raw = bytes.fromhex(value[2:])
            return b"\x0a" + _u32(len(raw)) + raw
        if kind == "str":
            raw = _string(value)
            return b"\x01" + _u32(len(raw)) + raw
        if kind == "prim":
            return _prim(value, [])
        if value == "(":
            inner = self.expr()
            self.expect(")")
            return inner
        if value == "{":
            items: list[bytes] = []
            while self.peek() != ("punct", "}"):
                items.append(self.expr())
                if self.peek() == ("punct", ";"):
                    self.take()
            self.expect("}")
            body = b"".join(items)
            return b"\x02" + _u32(len(body)) + body
        raise ValueError(f"unexpected {value!r}")


def _prim(name: str, args: list[bytes]) -> bytes:
    code = PRIMS.get(name)
    if code is None:
        raise ValueError(f"unsupported Michelson primitive {name!r}")
    if len(args) == 0:
        return bytes([3, code])
    if len(args) == 1:
        return bytes([5, code]) + args[0]
    if len(args) == 2:
        return bytes([7, code]) + args[0] + args[1]
    body = b"".join(args)
    return bytes([9, code]) + _u32(len(body)) + body + _u32(0)


def to_micheline(text: str) -> bytes:
    """Binary Micheline of a Michelson data expression; raises ``ValueError`` if unsupported."""
    parser = _Parser(text)
    out = parser.expr()
    if parser.peek() is not None:
        raise ValueError(f"trailing tokens after Michelson expression: {parser.peek()}")
    return out
