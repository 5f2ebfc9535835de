"""Signed user transactions (FORMATS.md §3) from kernel_py's encoders and a PyNaCl key."""

from __future__ import annotations

from nacl.signing import SigningKey

from kernel_py.formats import tx as txf

NATIVE_ASSET = bytes(32)


def sign_tx(key: SigningKey, rollup: bytes, nonce: int, action: bytes) -> bytes:
    """``body ‖ pk ‖ sig`` for ``action`` with ``nonce`` on ``rollup`` (20-byte address)."""
    body = txf.tx_body(rollup, nonce, action)
    return txf.assemble_tx(body, bytes(key.verify_key), key.sign(txf.signing_message(body)).signature)


def transfer(to: bytes, asset: bytes, value: int) -> bytes:
    return txf.action_transfer(to, asset, value)


def create_asset(metadata: bytes) -> bytes:
    return txf.action_create_asset(metadata)


def mint_asset(to: bytes, asset: bytes, value: int) -> bytes:
    return txf.action_mint_asset(to, asset, value)


def burn_asset(asset: bytes, value: int) -> bytes:
    return txf.action_burn_asset(asset, value)


def modify_asset(asset: bytes, owner: bytes, metadata: bytes) -> bytes:
    return txf.action_modify_asset(asset, owner, metadata)


def sequencer_msg(from_address: bytes, data: bytes, chain_id: bytes) -> bytes:
    return txf.action_sequencer_msg(from_address, data, chain_id)
