"""User transactions (docs/FORMATS.md §3): strict decoder for the kernel, encoders for clients.

``user_tx = body ‖ signer pk (32) ‖ sig (64)``, ``body = version ‖ rollup (20) ‖ nonce u64 ‖ action``;
the signature is Ed25519 over ``"dsn-tx-v1" ‖ 00 ‖ body``. Actions keep NodeKit SEQ Gen-1 wire
layouts and its parse-time "required" checks (non-zero values, keys and ids; non-empty payloads);
size limits (metadata ≤ 256, chain id ≤ 64) are execution-time checks in :mod:`kernel_py.ledger`.
Signing happens outside kernel_py: build the body, sign :func:`signing_message`, then
:func:`assemble_tx`.
"""

from dataclasses import dataclass

from kernel_py.intrinsics import u8, u64

TX_VERSION: u8 = 1
TX_DOMAIN: bytes = b"dsn-tx-v1\x00"
MAX_TX_SIZE: int = 65536
SIG_TAIL: int = 96
MIN_TX_SIZE: int = 126
ZERO32: bytes = bytes(32)

ACTION_TRANSFER: u8 = 0
ACTION_CREATE_ASSET: u8 = 1
ACTION_MINT_ASSET: u8 = 2
ACTION_BURN_ASSET: u8 = 3
ACTION_MODIFY_ASSET: u8 = 4
ACTION_SEQUENCER_MSG: u8 = 7

ERR_ENCODING: bytes = b"invalid transaction encoding"
ERR_VERSION: bytes = b"unsupported transaction version"
ERR_TOO_LARGE: bytes = b"transaction is too large"
ERR_NOT_POPULATED: bytes = b"field is not populated"
ERR_UNKNOWN_ACTION: bytes = b"unknown action"


@dataclass
class UserTx:
    """A decoded user transaction. ``error`` is empty when ``ok``.

    Field use per action: ``to`` = recipient (transfer, mint), new owner (modify) or from
    address (sequencer_msg); ``data`` = metadata (create, modify) or message data (sequencer_msg).
    """

    ok: bool
    error: bytes
    rollup: bytes
    nonce: u64
    action: u8
    to: bytes
    asset: bytes
    value: u64
    data: bytes
    chain_id: bytes
    signer: bytes
    sig: bytes
    body: bytes


def _bad(error: bytes) -> UserTx:
    return UserTx(False, error, b"", 0, 0, b"", b"", 0, b"", b"", b"", b"", b"")


def _read_bytes(b: bytes, pos: int, end: int) -> int:
    """Length of the ``u32 len ‖ bytes`` field at ``pos`` if it fits before ``end``, else -1."""
    if pos + 4 > end:
        return -1
    n: int = int.from_bytes(b[pos:pos + 4], "big")
    if n > end - pos - 4:
        return -1
    return n


def _bytes_to_end(b: bytes, pos: int, end: int) -> bool:
    """Whether a ``u32 len ‖ bytes`` field at ``pos`` ends exactly at ``end``."""
    m = _read_bytes(b, pos, end)
    return m >= 0 and pos + 4 + m == end


def decode_tx(raw: bytes) -> UserTx:
    """Decode ``raw`` strictly; ``ok`` is False (with the reason) on any malformation.

    The rollup address, nonce and signature are checked by the kernel, not here. Offsets are
    literal: the action starts at byte 30.
    """
    n = len(raw)
    if n > MAX_TX_SIZE:
        return _bad(ERR_TOO_LARGE)
    if n < MIN_TX_SIZE:
        return _bad(ERR_ENCODING)
    end = n - SIG_TAIL
    if raw[0] != TX_VERSION:
        return _bad(ERR_VERSION)
    tx = UserTx(True, b"", raw[1:21], 0, raw[29], b"", b"", 0, b"", b"", raw[end:end + 32], raw[end + 32:n],
                raw[0:end])
    nonce: u64 = int.from_bytes(raw[21:29], "big")
    tx.nonce = nonce
    kind = tx.action
    ok = True
    if kind == ACTION_TRANSFER or kind == ACTION_MINT_ASSET:
        ok = end == 102
        tx.to = raw[30:62]
        tx.asset = raw[62:94]
        value: u64 = int.from_bytes(raw[94:102], "big")
        tx.value = value
    elif kind == ACTION_CREATE_ASSET:
        ok = _bytes_to_end(raw, 30, end)
        tx.data = raw[34:end]
    elif kind == ACTION_BURN_ASSET:
        ok = end == 70
        tx.asset = raw[30:62]
        burn: u64 = int.from_bytes(raw[62:70], "big")
        tx.value = burn
    elif kind == ACTION_MODIFY_ASSET:
        ok = end >= 98 and _bytes_to_end(raw, 94, end)
        tx.asset = raw[30:62]
        tx.to = raw[62:94]
        tx.data = raw[98:end]
    elif kind == ACTION_SEQUENCER_MSG:
        d = _read_bytes(raw, 62, end)
        ok = d >= 0 and _bytes_to_end(raw, 66 + d, end)
        tx.to = raw[30:62]
        if ok:
            tx.data = raw[66:66 + d]
            tx.chain_id = raw[70 + d:end]
    else:
        return _bad(ERR_UNKNOWN_ACTION)
    if not ok:
        return _bad(ERR_ENCODING)
    if _missing_required(tx):
        return _bad(ERR_NOT_POPULATED)
    return tx


def _missing_required(tx: UserTx) -> bool:
    """NodeKit's parse-time "required" fields: non-zero values, mint recipient and assets,
    non-empty sequencer payloads."""
    kind = tx.action
    if kind == ACTION_TRANSFER or kind == ACTION_BURN_ASSET:
        return tx.value == 0
    if kind == ACTION_MINT_ASSET:
        return tx.value == 0 or tx.to == ZERO32 or tx.asset == ZERO32
    if kind == ACTION_MODIFY_ASSET:
        return tx.asset == ZERO32
    if kind == ACTION_SEQUENCER_MSG:
        return len(tx.data) == 0 or len(tx.chain_id) == 0
    return False


# ---------------------------------------------------------------------------------------------
# Encoders (clients: token CLI, sequencer, tests)
# ---------------------------------------------------------------------------------------------


def _len_bytes(data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + data


def action_transfer(to: bytes, asset: bytes, value: u64) -> bytes:
    """Transfer ``value`` of ``asset`` (32 zero bytes = native) to public key ``to``."""
    return b"\x00" + to + asset + value.to_bytes(8, "big")


def action_create_asset(metadata: bytes) -> bytes:
    """Create an asset owned by the signer; its id is the transaction's tx_id."""
    return b"\x01" + _len_bytes(metadata)


def action_mint_asset(to: bytes, asset: bytes, value: u64) -> bytes:
    """Mint ``value`` of ``asset`` (owner only) to ``to``."""
    return b"\x02" + to + asset + value.to_bytes(8, "big")


def action_burn_asset(asset: bytes, value: u64) -> bytes:
    """Burn ``value`` of the signer's ``asset``."""
    return b"\x03" + asset + value.to_bytes(8, "big")


def action_modify_asset(asset: bytes, owner: bytes, metadata: bytes) -> bytes:
    """Replace ``asset``'s owner and metadata (owner only)."""
    return b"\x04" + asset + owner + _len_bytes(metadata)


def action_sequencer_msg(from_address: bytes, data: bytes, chain_id: bytes) -> bytes:
    """A shared-sequencer message for rollup ``chain_id`` (NodeKit wire order: from, data, chain_id)."""
    return b"\x07" + from_address + _len_bytes(data) + _len_bytes(chain_id)


def tx_body(rollup: bytes, nonce: u64, action: bytes) -> bytes:
    """The signed part of a transaction."""
    return b"\x01" + rollup + nonce.to_bytes(8, "big") + action


def signing_message(body: bytes) -> bytes:
    """The exact bytes the signer's Ed25519 key signs."""
    return TX_DOMAIN + body


def assemble_tx(body: bytes, signer: bytes, sig: bytes) -> bytes:
    """``body ‖ signer ‖ sig``: the bytes submitted to the sequencer."""
    return body + signer + sig
