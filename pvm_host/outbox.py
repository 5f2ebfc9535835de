"""Outbox message encodings (spec §4): what a kernel passes to ``write_output``.

- ``00`` atomic transaction batch: ``u32 byte-length ‖ transaction*``, each transaction =
  ``Micheline parameters ‖ destination (01 ‖ KT1 hash (20) ‖ 00) ‖ u32 len ‖ entrypoint``;
- ``01`` typed batch: the same with ``‖ Micheline parameters type`` after the parameters;
- ``02`` whitelist update: ``00`` (make public) or ``ff ‖ u32 byte-length ‖ 21-byte pkh*``.

:func:`decode` parses these back (Micheline values are delimited with :func:`micheline_length`);
:func:`to_json` gives the octez rollup-node JSON of a message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pvm_host import micheline
from pvm_spec import b58

_IMPLICIT = ("tz1", "tz2", "tz3", "tz4")  # curve tag of a 21-byte public key hash


@dataclass
class Transaction:
    destination: str  # KT1…
    entrypoint: str
    parameters: bytes  # binary Micheline
    parameters_type: bytes | None = None  # typed batches only


def _u32(n: int) -> bytes:
    return n.to_bytes(4, "big")


def _transaction(tx: Transaction, typed: bool) -> bytes:
    out = tx.parameters
    if typed:
        if tx.parameters_type is None:
            raise ValueError("typed batch transactions need parameters_type")
        out += tx.parameters_type
    entry = tx.entrypoint.encode("ascii")
    return out + b"\x01" + b58.contract_address(tx.destination) + b"\x00" + _u32(len(entry)) + entry


def atomic_batch(transactions: list[Transaction], typed: bool = False) -> bytes:
    """An (untyped or typed) atomic transaction batch outbox message."""
    body = b"".join(_transaction(tx, typed) for tx in transactions)
    return (b"\x01" if typed else b"\x00") + _u32(len(body)) + body


def whitelist_update(pkhs: list[bytes] | None) -> bytes:
    """Whitelist update: ``None`` makes the rollup public; else a non-empty list of 21-byte pkhs."""
    if pkhs is None:
        return b"\x02\x00"
    if not pkhs or any(len(p) != 21 for p in pkhs):
        raise ValueError("a whitelist is a non-empty list of 21-byte public key hashes")
    body = b"".join(pkhs)
    return b"\x02\xff" + _u32(len(body)) + body


def micheline_length(data: bytes, pos: int = 0) -> int:
    """Length of the binary Micheline node starting at ``pos``; ``ValueError`` if truncated."""
    tag = data[pos]
    if tag == 0:
        end = pos + 1
        while data[end] & 0x80:
            end += 1
        return end + 1 - pos
    if tag in (1, 2, 10):
        return 5 + int.from_bytes(data[pos + 1 : pos + 5], "big")
    if tag in (3, 4, 5, 6, 7, 8):
        end = pos + 2
        for _ in range((tag - 3) // 2):
            end += micheline_length(data, end)
        if tag % 2 == 0:  # with annotations
            end += 4 + int.from_bytes(data[end : end + 4], "big")
        return end - pos
    if tag == 9:
        args = int.from_bytes(data[pos + 2 : pos + 6], "big")
        annots_at = pos + 6 + args
        return 6 + args + 4 + int.from_bytes(data[annots_at : annots_at + 4], "big")
    raise ValueError(f"unknown Micheline tag {tag}")


def decode(message: bytes) -> tuple[str, list[Transaction] | list[bytes] | None]:
    """(kind, content) of an outbox message; raises ``ValueError`` if malformed."""
    try:
        tag = message[0]
        if tag in (0, 1):
            if len(message) < 5:
                raise ValueError("truncated batch length")
            size = int.from_bytes(message[1:5], "big")
            body = message[5:]
            if len(body) != size:
                raise ValueError("batch length mismatch")
            txs: list[Transaction] = []
            pos = 0
            while pos < size:
                n = micheline_length(body, pos)
                params = body[pos : pos + n]
                pos += n
                ptype = None
                if tag == 1:
                    n = micheline_length(body, pos)
                    ptype = body[pos : pos + n]
                    pos += n
                if body[pos] != 1 or body[pos + 21] != 0:
                    raise ValueError("destination is not an originated contract")
                dest = b58.encode("KT1", body[pos + 1 : pos + 21])
                elen = int.from_bytes(body[pos + 22 : pos + 26], "big")
                entry = body[pos + 26 : pos + 26 + elen].decode("ascii")
                pos += 26 + elen
                txs.append(Transaction(dest, entry, params, ptype))
            if pos != size:
                raise ValueError("trailing bytes in batch")
            return ("atomic_transaction_batch_typed" if tag == 1 else "atomic_transaction_batch", txs)
        if tag == 2:
            if message[1:] == b"\x00":
                return ("whitelist_update", None)
            body = message[6:]
            if message[1] != 0xFF or len(body) != int.from_bytes(message[2:6], "big") or len(body) % 21:
                raise ValueError("bad whitelist update")
            return ("whitelist_update", [body[i : i + 21] for i in range(0, len(body), 21)])
    except IndexError as exc:
        raise ValueError("truncated outbox message") from exc
    raise ValueError(f"unknown outbox message tag {message[:1].hex()}")


def _pkh(raw: bytes) -> str:
    if raw[0] >= len(_IMPLICIT):
        raise ValueError(f"unknown public key hash tag {raw[0]}")
    return b58.encode(_IMPLICIT[raw[0]], raw[1:])


def to_json(message: bytes) -> dict[str, Any]:
    """The octez JSON of an outbox message (``Sc_rollup_outbox_message_repr.encoding``,
    ``src/proto_alpha/lib_protocol/sc_rollup_outbox_message_repr.ml``)::

        {"transactions": [{"parameters": <Micheline JSON>, "destination": "KT1…", "entrypoint": "e"}],
         "kind": "untyped"}
        {"transactions": [{"parameters": …, "parameters_ty": …, "destination": …}], "kind": "typed"}
        {"whitelist": ["tz1…", …], "kind": "whitelist_update"}     # no "whitelist": made public

    ``entrypoint`` is left out when it is ``default`` (a ``dft`` field). Raises ``ValueError`` for
    anything the protocol would not decode; the rollup node skips those messages.
    """
    kind, content = decode(message)
    if kind == "whitelist_update":
        out: dict[str, Any] = {}
        if content is not None:
            out["whitelist"] = [_pkh(p) for p in content]  # type: ignore[arg-type]
        return {**out, "kind": "whitelist_update"}
    typed = kind == "atomic_transaction_batch_typed"
    txs = []
    for tx in content or []:
        assert isinstance(tx, Transaction)
        item: dict[str, Any] = {"parameters": micheline.to_json(tx.parameters)}
        if typed:
            item["parameters_ty"] = micheline.to_json(tx.parameters_type or b"")
        item["destination"] = tx.destination
        if tx.entrypoint != "default":
            item["entrypoint"] = tx.entrypoint
        txs.append(item)
    return {"transactions": txs, "kind": "typed" if typed else "untyped"}
