"""Multi-asset ledger and shared-sequencer messages: NodeKit SEQ Gen-1 action semantics.

Every action validates everything first and writes only when it succeeds, so a failed action
changes nothing. Each successful write is also returned as a log entry (``key ‖ u32 len ‖ value``,
an empty value for a deletion) that the block's state root commits to. Durable layout: FORMATS.md §4.
"""

from dataclasses import dataclass

from kernel_py.formats.tx import (
    ACTION_BURN_ASSET,
    ACTION_CREATE_ASSET,
    ACTION_MINT_ASSET,
    ACTION_MODIFY_ASSET,
    ACTION_SEQUENCER_MSG,
    ACTION_TRANSFER,
    ZERO32,
    UserTx,
)
from kernel_py.intrinsics import u64
from kernel_py.store import append_value, delete_value, has_value, read_u64, read_value, write_u64, write_value
from kernel_py.text import to_b64, to_decimal, to_hex

MAX_U64: u64 = 0xFFFFFFFFFFFFFFFF
MAX_METADATA: int = 256
MAX_CHAIN_ID: int = 64

BALANCE_PREFIX: bytes = b"/b/"
ASSET_PREFIX: bytes = b"/a/"
NONCE_PREFIX: bytes = b"/n/"
NATIVE_STEP: bytes = b"0"
SEQ_PREFIX: bytes = b"/seq/"

ERR_VALUE_ZERO: bytes = b"value is zero"
ERR_METADATA_TOO_LARGE: bytes = b"metadata is too large"
ERR_NATIVE_MINT: bytes = b"cannot mint native asset"
ERR_ASSET_MISSING: bytes = b"asset missing"
ERR_WARP_ASSET: bytes = b"warp asset"
ERR_WRONG_OWNER: bytes = b"wrong owner"
ERR_OVERFLOW: bytes = b"overflow"
ERR_UNDERFLOW: bytes = b"underflow"
ERR_CHAIN_ID_TOO_LARGE: bytes = b"chain id is too large"
ERR_UNKNOWN_ACTION: bytes = b"unknown action"


@dataclass
class Asset:
    """An asset record: ``u16 len ‖ metadata ‖ supply u64 ‖ owner (32) ‖ warp u8`` (NodeKit layout)."""

    exists: bool
    metadata: bytes
    supply: u64
    owner: bytes
    warp: bool


def asset_step(asset: bytes) -> bytes:
    """An asset id as a key step: ``0`` for the native asset (32 zero bytes), else its base64url."""
    if asset == ZERO32:
        return NATIVE_STEP
    return to_b64(asset)


def balance_key(owner: bytes, asset: bytes) -> bytes:
    """``/b/<owner b64>/<asset step>``."""
    return BALANCE_PREFIX + to_b64(owner) + b"/" + asset_step(asset)


def asset_key(asset: bytes) -> bytes:
    """``/a/<asset step>``."""
    return ASSET_PREFIX + asset_step(asset)


def nonce_key(account: bytes) -> bytes:
    """``/n/<account b64>``: the account's next nonce (absent = 0)."""
    return NONCE_PREFIX + to_b64(account)


def log_entry(key: bytes, value: bytes) -> bytes:
    """One state-root log entry."""
    return key + len(value).to_bytes(4, "big") + value


def set_u64(key: bytes, value: u64) -> bytes:
    """Store a balance or nonce at ``key`` (a zero balance deletes the key); returns the log entry."""
    if value == 0:
        delete_value(key)
        return log_entry(key, b"")
    write_u64(key, value)
    return log_entry(key, value.to_bytes(8, "big"))


def encode_asset(a: Asset) -> bytes:
    """The stored form of an asset record."""
    warp = b"\x00"
    if a.warp:
        warp = b"\x01"
    return len(a.metadata).to_bytes(2, "big") + a.metadata + a.supply.to_bytes(8, "big") + a.owner + warp


def decode_asset(v: bytes) -> Asset:
    """An asset record from its stored bytes; ``exists`` is False when malformed (or empty)."""
    missing = Asset(False, b"", 0, ZERO32, False)
    if len(v) < 43:
        return missing
    m: int = int.from_bytes(v[0:2], "big")
    if len(v) != 43 + m:
        return missing
    supply: u64 = int.from_bytes(v[2 + m:10 + m], "big")
    return Asset(True, v[2:2 + m], supply, v[10 + m:42 + m], v[42 + m] == 1)


def get_asset(asset: bytes) -> Asset:
    """The record of ``asset``; ``exists`` is False when absent or unreadable."""
    return decode_asset(read_value(asset_key(asset)))


def put_asset(asset: bytes, a: Asset) -> bytes:
    """Store an asset record; returns the log entry."""
    key = asset_key(asset)
    value = encode_asset(a)
    write_value(key, value)
    return log_entry(key, value)


def _balance_error(verb: bytes, owner: bytes, asset: bytes, bal: u64, amount: u64) -> bytes:
    return (b"invalid balance: could not " + verb + b" balance (asset=" + to_hex(asset) + b", bal=" + to_decimal(bal)
            + b", addr=" + to_hex(owner) + b", amount=" + to_decimal(amount) + b")")


def _transfer(actor: bytes, tx: UserTx) -> tuple[bytes, bytes]:
    if tx.value == 0:
        return ERR_VALUE_ZERO, b""
    from_key = balance_key(actor, tx.asset)
    from_bal = read_u64(from_key)
    if from_bal < tx.value:
        return _balance_error(b"subtract", actor, tx.asset, from_bal, tx.value), b""
    if tx.to == actor:
        return b"", b""
    to_key = balance_key(tx.to, tx.asset)
    to_bal = read_u64(to_key)
    if to_bal > MAX_U64 - tx.value:
        return _balance_error(b"add", tx.to, tx.asset, to_bal, tx.value), b""
    log = set_u64(from_key, from_bal - tx.value)
    log = log + set_u64(to_key, to_bal + tx.value)
    return b"", log


def _create_asset(actor: bytes, tx: UserTx, tx_id: bytes) -> tuple[bytes, bytes]:
    if len(tx.data) > MAX_METADATA:
        return ERR_METADATA_TOO_LARGE, b""
    return b"", put_asset(tx_id, Asset(True, tx.data, 0, actor, False))


def _owner_error(a: Asset, actor: bytes) -> bytes:
    """Why ``actor`` may not mint or modify asset ``a`` (NodeKit's order of checks), or b"" if it may."""
    if not a.exists:
        return ERR_ASSET_MISSING
    if a.warp:
        return ERR_WARP_ASSET
    if a.owner != actor:
        return ERR_WRONG_OWNER
    return b""


def _mint_asset(actor: bytes, tx: UserTx) -> tuple[bytes, bytes]:
    if tx.asset == ZERO32:
        return ERR_NATIVE_MINT, b""
    if tx.value == 0:
        return ERR_VALUE_ZERO, b""
    a = get_asset(tx.asset)
    error = _owner_error(a, actor)
    if len(error) > 0:
        return error, b""
    if a.supply > MAX_U64 - tx.value:
        return ERR_OVERFLOW, b""
    to_key = balance_key(tx.to, tx.asset)
    to_bal = read_u64(to_key)
    if to_bal > MAX_U64 - tx.value:
        return _balance_error(b"add", tx.to, tx.asset, to_bal, tx.value), b""
    a.supply = a.supply + tx.value
    log = put_asset(tx.asset, a)
    log = log + set_u64(to_key, to_bal + tx.value)
    return b"", log


def _burn_asset(actor: bytes, tx: UserTx) -> tuple[bytes, bytes]:
    if tx.value == 0:
        return ERR_VALUE_ZERO, b""
    key = balance_key(actor, tx.asset)
    bal = read_u64(key)
    if bal < tx.value:
        return _balance_error(b"subtract", actor, tx.asset, bal, tx.value), b""
    a = get_asset(tx.asset)
    if not a.exists:
        return ERR_ASSET_MISSING, b""
    if a.supply < tx.value:
        return ERR_UNDERFLOW, b""
    a.supply = a.supply - tx.value
    log = set_u64(key, bal - tx.value)
    log = log + put_asset(tx.asset, a)
    return b"", log


def _modify_asset(actor: bytes, tx: UserTx) -> tuple[bytes, bytes]:
    if tx.asset == ZERO32:
        return ERR_NATIVE_MINT, b""
    if len(tx.data) > MAX_METADATA:
        return ERR_METADATA_TOO_LARGE, b""
    a = get_asset(tx.asset)
    error = _owner_error(a, actor)
    if len(error) > 0:
        return error, b""
    a.metadata = tx.data
    a.owner = tx.to
    return b"", put_asset(tx.asset, a)


@dataclass
class SeqMessage:
    """A stored sequencer message (``/seq/<chain_id hex>/<n>``)."""

    ok: bool
    block: u64
    tx_id: bytes
    from_address: bytes
    data: bytes


def decode_seq_message(v: bytes) -> SeqMessage:
    """``block u64 ‖ tx_id (32) ‖ from (32) ‖ data``; ``ok`` is False when shorter than 72 bytes."""
    if len(v) < 72:
        return SeqMessage(False, 0, b"", b"", b"")
    block: u64 = int.from_bytes(v[0:8], "big")
    return SeqMessage(True, block, v[8:40], v[40:72], v[72:len(v)])


def chain_prefix(chain_id: bytes) -> bytes:
    """``/seq/<chain_id hex>``: the root of one rollup's ordered messages."""
    return SEQ_PREFIX + to_hex(chain_id)


def _sequencer_msg(tx: UserTx, tx_id: bytes, block: u64) -> tuple[bytes, bytes]:
    if len(tx.chain_id) > MAX_CHAIN_ID:
        return ERR_CHAIN_ID_TOO_LARGE, b""
    root = chain_prefix(tx.chain_id)
    count_key = root + b"/count"
    n = read_u64(count_key)
    entry = block.to_bytes(8, "big") + tx_id + tx.to + tx.data
    msg_key = root + b"/" + to_decimal(n)
    write_value(msg_key, entry)
    write_u64(count_key, n + 1)
    block_root = b"/blocks/" + to_decimal(block)
    block_key = block_root + root
    if not has_value(block_key):
        append_value(block_root + b"/seq_chains", len(root).to_bytes(1, "big") + root)
    append_value(block_key, n.to_bytes(8, "big"))
    return b"", log_entry(msg_key, entry) + log_entry(count_key, (n + 1).to_bytes(8, "big"))


def apply_action(actor: bytes, tx: UserTx, tx_id: bytes, block: u64) -> tuple[bytes, bytes]:
    """Execute ``tx``'s action for ``actor``: (error, log). ``error`` is empty on success;
    on failure nothing was written and ``log`` is empty."""
    kind = tx.action
    if kind == ACTION_TRANSFER:
        return _transfer(actor, tx)
    if kind == ACTION_CREATE_ASSET:
        return _create_asset(actor, tx, tx_id)
    if kind == ACTION_MINT_ASSET:
        return _mint_asset(actor, tx)
    if kind == ACTION_BURN_ASSET:
        return _burn_asset(actor, tx)
    if kind == ACTION_MODIFY_ASSET:
        return _modify_asset(actor, tx)
    if kind == ACTION_SEQUENCER_MSG:
        return _sequencer_msg(tx, tx_id, block)
    return ERR_UNKNOWN_ACTION, b""


def prune_messages(block_root: bytes) -> None:
    """Delete the ``/seq`` messages that the block ``block_root`` (``/blocks/<index>``) added,
    found through its ``seq_chains`` and ``seq/<chain_id hex>`` lists (the counts stay)."""
    chains = read_value(block_root + b"/seq_chains")
    i = 0
    while i < len(chains):
        end = i + 1 + int(chains[i])
        root = chains[i + 1:end]
        nums = read_value(block_root + root)
        for j in range(0, len(nums) // 8):
            n: u64 = int.from_bytes(nums[8 * j:8 * j + 8], "big")
            delete_value(root + b"/" + to_decimal(n))
        i = end
