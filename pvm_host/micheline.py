"""Binary Micheline to the JSON form octez RPCs print (``{"int": "1"}``, ``{"prim": "Pair", "args": […]}``, …).

Binary tags (``src/lib_micheline/micheline_encoding.ml``): ``00`` Zarith int, ``01`` u32-length
string, ``02`` u32-length sequence, ``03``–``08`` prim with 0/1/2 arguments without/with
annotations, ``09`` prim with n arguments (u32-length arguments ‖ u32-length annotations), ``0a``
u32-length bytes. JSON: ``args`` and ``annots`` are left out when empty (``dft`` fields).
"""

from __future__ import annotations

from typing import Any

# src/proto_alpha/lib_protocol/michelson_v1_primitives.ml prim_encoding, in tag order
PRIMITIVES = (
    "parameter", "storage", "code", "False", "Elt", "Left", "None", "Pair", "Right", "Some", "True", "Unit",
    "PACK", "UNPACK", "BLAKE2B", "SHA256", "SHA512", "ABS", "ADD", "AMOUNT", "AND", "BALANCE", "CAR", "CDR",
    "CHECK_SIGNATURE", "COMPARE", "CONCAT", "CONS", "CREATE_ACCOUNT", "CREATE_CONTRACT", "IMPLICIT_ACCOUNT",
    "DIP", "DROP", "DUP", "EDIV", "EMPTY_MAP", "EMPTY_SET", "EQ", "EXEC", "FAILWITH", "GE", "GET", "GT",
    "HASH_KEY", "IF", "IF_CONS", "IF_LEFT", "IF_NONE", "INT", "LAMBDA", "LE", "LEFT", "LOOP", "LSL", "LSR",
    "LT", "MAP", "MEM", "MUL", "NEG", "NEQ", "NIL", "NONE", "NOT", "NOW", "OR", "PAIR", "PUSH", "RIGHT",
    "SIZE", "SOME", "SOURCE", "SENDER", "SELF", "STEPS_TO_QUOTA", "SUB", "SWAP", "TRANSFER_TOKENS",
    "SET_DELEGATE", "UNIT", "UPDATE", "XOR", "ITER", "LOOP_LEFT", "ADDRESS", "CONTRACT", "ISNAT", "CAST",
    "RENAME", "bool", "contract", "int", "key", "key_hash", "lambda", "list", "map", "big_map", "nat",
    "option", "or", "pair", "set", "signature", "string", "bytes", "mutez", "timestamp", "unit", "operation",
    "address", "SLICE", "DIG", "DUG", "EMPTY_BIG_MAP", "APPLY", "chain_id", "CHAIN_ID", "LEVEL",
    "SELF_ADDRESS", "never", "NEVER", "UNPAIR", "VOTING_POWER", "TOTAL_VOTING_POWER", "KECCAK", "SHA3",
    "PAIRING_CHECK", "bls12_381_g1", "bls12_381_g2", "bls12_381_fr", "sapling_state",
    "sapling_transaction_deprecated", "SAPLING_EMPTY_STATE", "SAPLING_VERIFY_UPDATE", "ticket",
    "TICKET_DEPRECATED", "READ_TICKET", "SPLIT_TICKET", "JOIN_TICKETS", "GET_AND_UPDATE", "chest", "chest_key",
    "OPEN_CHEST", "VIEW", "view", "constant", "SUB_MUTEZ", "tx_rollup_l2_address", "MIN_BLOCK_TIME",
    "sapling_transaction", "EMIT", "Lambda_rec", "LAMBDA_REC", "TICKET", "BYTES", "NAT", "Ticket",
    "IS_IMPLICIT_ACCOUNT", "INDEX_ADDRESS", "GET_ADDRESS_INDEX",
)


def _u32(data: bytes, pos: int) -> int:
    if pos + 4 > len(data):
        raise ValueError("truncated Micheline")
    return int.from_bytes(data[pos : pos + 4], "big")


def _zarith(data: bytes, pos: int) -> tuple[int, int]:
    """Signed Zarith integer at ``pos`` and the position after it."""
    value, shift, first = 0, 0, True
    while True:
        if pos >= len(data):
            raise ValueError("truncated Micheline integer")
        byte = data[pos]
        pos += 1
        if first:
            value, shift, sign, first = byte & 0x3F, 6, byte & 0x40, False
        else:
            value |= (byte & 0x7F) << shift
            shift += 7
        if not byte & 0x80:
            return (-value if sign else value), pos


def _prim(data: bytes, pos: int) -> str:
    if pos >= len(data) or data[pos] >= len(PRIMITIVES):
        raise ValueError("unknown Michelson primitive")
    return PRIMITIVES[data[pos]]


def _node(data: bytes, pos: int) -> tuple[Any, int]:
    if pos >= len(data):
        raise ValueError("truncated Micheline")
    tag, pos = data[pos], pos + 1
    if tag == 0:
        value, pos = _zarith(data, pos)
        return {"int": str(value)}, pos
    if tag in (1, 2, 10):
        size = _u32(data, pos)
        start, end = pos + 4, pos + 4 + size
        if end > len(data):
            raise ValueError("truncated Micheline")
        if tag == 1:
            return {"string": data[start:end].decode("utf-8")}, end
        if tag == 10:
            return {"bytes": data[start:end].hex()}, end
        items, at = [], start
        while at < end:
            item, at = _node(data, at)
            items.append(item)
        if at != end:
            raise ValueError("Micheline sequence length mismatch")
        return items, end
    if 3 <= tag <= 9:
        name = _prim(data, pos)
        pos += 1
        args: list[Any] = []
        if tag == 9:
            end = pos + 4 + _u32(data, pos)
            pos += 4
            while pos < end:
                arg, pos = _node(data, pos)
                args.append(arg)
            if pos != end:
                raise ValueError("Micheline arguments length mismatch")
        else:
            for _ in range((tag - 3) // 2):
                arg, pos = _node(data, pos)
                args.append(arg)
        annots: list[str] = []
        if tag % 2 == 0 or tag == 9:
            size = _u32(data, pos)
            text = data[pos + 4 : pos + 4 + size]
            if len(text) != size:
                raise ValueError("truncated Micheline annotations")
            pos += 4 + size
            annots = text.decode("utf-8").split(" ") if size else []
        out: dict[str, Any] = {"prim": name}
        if args:
            out["args"] = args
        if annots:
            out["annots"] = annots
        return out, pos
    raise ValueError(f"unknown Micheline tag {tag}")


def parse(data: bytes, pos: int = 0) -> tuple[Any, int]:
    """(JSON value, end position) of the binary Micheline node at ``pos``; ``ValueError`` if malformed."""
    try:
        return _node(data, pos)
    except UnicodeDecodeError as exc:
        raise ValueError("Micheline string is not UTF-8") from exc


def to_json(data: bytes) -> Any:
    """JSON of a whole binary Micheline expression; ``ValueError`` if malformed or followed by bytes."""
    value, end = parse(data)
    if end != len(data):
        raise ValueError("trailing bytes after Micheline expression")
    return value
