"""Admission checks of submitted transactions: what the kernel would reject is refused before the DSN.

Size (the DSN's per-transaction limit), decoding (FORMATS.md §3), rollup address and signature are
checked; nonces and balances are not
(they depend on the order the DSN decides).
"""

from __future__ import annotations

import hashlib
from typing import NamedTuple

from dsn.sequencer.sigcheck import verify
from kernel_py.formats.tx import UserTx, decode_tx, signing_message


class TxRejected(ValueError):
    """The transaction would be rejected by the kernel; the message says why."""


class NotHex(TxRejected):
    """The submitted text is not hex (a malformed request rather than a bad transaction)."""


class TxTooLarge(TxRejected):
    """The transaction is above the DSN's size limit (``kernel_py.formats.limits``)."""


class Admitted(NamedTuple):
    """A transaction that passed admission, with its id and decoded form."""

    raw: bytes
    tx_id: bytes
    tx: UserTx


def tx_id(raw: bytes) -> bytes:
    """BLAKE2b-256 of the transaction bytes."""
    return hashlib.blake2b(raw, digest_size=32).digest()


def parse_hex(text: str) -> bytes:
    """Hex (optionally ``0x``-prefixed, surrounding whitespace ignored) to bytes; :class:`TxRejected` if not hex."""
    text = text.strip()
    if text.startswith(("0x", "0X")):
        text = text[2:]
    try:
        return bytes.fromhex(text)
    except ValueError:
        raise NotHex("transaction is not hex") from None


def admit(raw: bytes, rollup: bytes, max_tx: int) -> Admitted:
    """Check ``raw`` (at most ``max_tx`` bytes) for the rollup whose 20-byte address is ``rollup``;
    raises :class:`TxRejected`."""
    if not raw:
        raise TxRejected("empty transaction")
    if len(raw) > max_tx:
        raise TxTooLarge(f"transaction of {len(raw)} bytes is above the DSN's limit of {max_tx} bytes (max_tx)")
    tx = decode_tx(raw)
    if not tx.ok:
        raise TxRejected(tx.error.decode())
    if tx.rollup != rollup:
        raise TxRejected("wrong rollup address")
    if not verify(tx.signer, signing_message(tx.body), tx.sig):
        raise TxRejected("invalid signature")
    return Admitted(raw, tx_id(raw), tx)
