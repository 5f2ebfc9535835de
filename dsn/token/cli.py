"""``dsn token``: token-cli parity over the sequencer HTTP API (dsn/sequencer/README.md §token CLI)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import click
from nacl.signing import SigningKey

from dsn.token import txbuild
from dsn.token.client import DEFAULT_SEQUENCER, SequencerClient, SequencerError
from dsn.token.keystore import DEFAULT_KEYSTORE, Keystore, KeystoreError, read_key_file

NATIVE_HEX = "00" * 32


@dataclass
class Ctx:
    sequencer: str
    keystore_path: Path
    wait: float

    def client(self) -> SequencerClient:
        return SequencerClient(self.sequencer)

    def keystore(self) -> Keystore:
        return Keystore.open(self.keystore_path)


def _hex32(value: str, what: str) -> bytes:
    try:
        raw = bytes.fromhex(value)
    except ValueError:
        raise click.BadParameter(f"{what} is not hex") from None
    if len(raw) != 32:
        raise click.BadParameter(f"{what} must be 32 bytes (64 hex digits)")
    return raw


def _asset(value: str) -> bytes:
    return bytes(32) if value.lower() in ("tkn", "native", "") else _hex32(value, "asset id")


def _recipient(ctx: Ctx, value: str) -> bytes:
    """A public key in hex, or the name of a keystore key."""
    try:
        return _hex32(value, "recipient")
    except click.BadParameter:
        try:
            return bytes(ctx.keystore().get(value)[1].verify_key)
        except KeystoreError:
            raise click.BadParameter(f"{value!r} is neither a 32-byte hex public key nor a keystore key") from None


def _errors(fn):
    """Turn client and keystore errors into clean CLI errors."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (SequencerError, KeystoreError) as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper


@click.group("token")
@click.option("--sequencer", default=lambda: os.environ.get("DSN_SEQUENCER", DEFAULT_SEQUENCER),
              show_default=f"$DSN_SEQUENCER or {DEFAULT_SEQUENCER}", help="Sequencer HTTP API.")
@click.option("--keystore", "keystore_path", type=click.Path(dir_okay=False, path_type=Path),
              default=lambda: os.environ.get("DSN_KEYSTORE", str(DEFAULT_KEYSTORE)),
              show_default=f"$DSN_KEYSTORE or {DEFAULT_KEYSTORE}", help="Keystore file (mode 600).")
@click.option("--wait", default=60.0, show_default=True, help="Seconds to wait for a transaction's result.")
@click.pass_context
def token_group(ctx: click.Context, sequencer: str, keystore_path: Path, wait: float) -> None:
    """Keys, assets, transfers and sequencer messages on the rollup ledger (token-cli parity)."""
    ctx.obj = Ctx(sequencer, keystore_path, wait)
    click.echo(f"keystore: {keystore_path}", err=True)


@token_group.group("key")
def key_group() -> None:
    """Generate, import, list keys and show balances."""


@key_group.command("generate")
@click.option("--name", help="Name of the key (default: first 8 hex digits of its public key).")
@click.pass_obj
@_errors
def key_generate(ctx: Ctx, name: str | None) -> None:
    """Create a new Ed25519 key, store it and make it the default."""
    ks = ctx.keystore()
    seed = bytes(SigningKey.generate())
    name = ks.add(seed, name)
    ks.save()
    click.echo(f"created address {bytes(SigningKey(seed).verify_key).hex()} ({name})")


@key_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--name", help="Name of the key.")
@click.pass_obj
@_errors
def key_import(ctx: Ctx, path: Path, name: str | None) -> None:
    """Import a key file (64-byte private key, 32-byte seed, or either in hex) and make it the default."""
    ks = ctx.keystore()
    seed = read_key_file(path)
    name = ks.add(seed, name)
    ks.save()
    click.echo(f"imported address {bytes(SigningKey(seed).verify_key).hex()} ({name})")


@key_group.command("set")
@click.argument("name")
@click.pass_obj
@_errors
def key_set(ctx: Ctx, name: str) -> None:
    """Make key NAME (or public-key prefix) the default."""
    ks = ctx.keystore()
    ks.default, key = ks.get(name)
    ks.save()
    click.echo(f"default key {ks.default}: {bytes(key.verify_key).hex()}")


@key_group.command("list")
@click.option("--balances/--no-balances", default=True, show_default=True, help="Ask the sequencer for TKN balances.")
@click.pass_obj
@_errors
def key_list(ctx: Ctx, balances: bool) -> None:
    """List stored keys (default marked with *) and their native balances."""
    ks = ctx.keystore()
    if not ks.keys:
        click.echo("no keys")
        return
    client = ctx.client() if balances else None
    for name, seed in ks.keys.items():
        pk = bytes(SigningKey(seed).verify_key)
        line = f"{'*' if name == ks.default else ' '} {name:10} {pk.hex()}"
        if client is not None:
            account = client.account(pk)
            line += f"  balance: {account['balances'].get(NATIVE_HEX, 0)} TKN  nonce: {account['nonce']}"
        click.echo(line)


@key_group.command("balance")
@click.option("--asset", default="TKN", show_default=True, help="Asset id (hex) or TKN for the native asset.")
@click.option("--key", "key_name", help="Key name or public-key prefix (default key if omitted).")
@click.option("--address", help="Any public key (hex) instead of a stored key.")
@click.pass_obj
@_errors
def key_balance(ctx: Ctx, asset: str, key_name: str | None, address: str | None) -> None:
    """Show an asset's metadata, supply and the balance of a key."""
    pk = _hex32(address, "address") if address else bytes(ctx.keystore().get(key_name)[1].verify_key)
    asset_id = _asset(asset)
    client = ctx.client()
    info = client.asset(asset_id)
    click.echo(f"uri: {client.url}")
    if info is None:
        raise click.ClickException(f"asset {asset_id.hex()} does not exist")
    click.echo(f"asset: {asset_id.hex()} metadata: {info['metadata']} supply: {info['supply']} "
               f"owner: {info['owner']} warp: {info['warp']}")
    balance = client.account(pk)["balances"].get(asset_id.hex(), 0)
    click.echo(f"address: {pk.hex()} balance: {balance}")


def _send(ctx: Ctx, key_name: str | None, action: bytes, wait: bool) -> dict:
    """Sign ``action`` with the next nonce, broadcast it, and (by default) wait for and print the result."""
    _, key = ctx.keystore().get(key_name)
    client = ctx.client()
    rollup = bytes.fromhex(client.health()["rollup_address"])
    nonce = client.account(bytes(key.verify_key))["next_nonce"]
    tx_id = client.broadcast(txbuild.sign_tx(key, rollup, nonce, action))
    if not wait:
        click.echo(f"submitted txID: {tx_id}")
        return {"tx_id": tx_id, "status": "pending"}
    result = client.wait_tx(tx_id, ctx.wait)
    if result["status"] == "applied":
        click.echo(f"✅ txID: {tx_id} (block {result['block']}, {result.get('latency_ms', '?')} ms)")
    else:
        click.echo(f"⚠️ txID: {tx_id} {result['status']}: {result['error']}")
    return result


KEY_OPTION = click.option("--key", "key_name", help="Signing key name or public-key prefix (default key if omitted).")
WAIT_OPTION = click.option("--wait/--no-wait", "wait", default=True, show_default=True,
                           help="Wait for the kernel's result.")


@token_group.command("create-asset")
@click.option("--metadata", required=True, help="Asset metadata (text, ≤ 256 bytes).")
@KEY_OPTION
@WAIT_OPTION
@click.pass_obj
@_errors
def create_asset_cmd(ctx: Ctx, metadata: str, key_name: str | None, wait: bool) -> None:
    """Create an asset owned by the key; the printed txID is the asset id."""
    _send(ctx, key_name, txbuild.create_asset(metadata.encode()), wait)


@token_group.command("mint-asset")
@click.option("--asset", required=True, help="Asset id (hex).")
@click.option("--to", "to", required=True, help="Recipient public key (hex) or keystore key name.")
@click.option("--amount", required=True, type=click.IntRange(1, 2**64 - 1), help="Amount to mint.")
@KEY_OPTION
@WAIT_OPTION
@click.pass_obj
@_errors
def mint_asset_cmd(ctx: Ctx, asset: str, to: str, amount: int, key_name: str | None, wait: bool) -> None:
    """Mint an asset you own to a recipient (refused locally if absent or not yours)."""
    asset_id = _hex32(asset, "asset id")
    info = ctx.client().asset(asset_id)
    signer = bytes(ctx.keystore().get(key_name)[1].verify_key)
    if info is None:
        raise click.ClickException(f"asset {asset} does not exist")
    if info["warp"]:
        raise click.ClickException("cannot mint a warp asset")
    if info["owner"] != signer.hex():
        raise click.ClickException(f"the asset is owned by {info['owner']}, not {signer.hex()}")
    _send(ctx, key_name, txbuild.mint_asset(_recipient(ctx, to), asset_id, amount), wait)


@token_group.command("burn-asset")
@click.option("--asset", required=True, help="Asset id (hex) or TKN.")
@click.option("--amount", required=True, type=click.IntRange(1, 2**64 - 1), help="Amount to burn.")
@KEY_OPTION
@WAIT_OPTION
@click.pass_obj
@_errors
def burn_asset_cmd(ctx: Ctx, asset: str, amount: int, key_name: str | None, wait: bool) -> None:
    """Burn some of your balance of an asset."""
    _send(ctx, key_name, txbuild.burn_asset(_asset(asset), amount), wait)


@token_group.command("modify-asset")
@click.option("--asset", required=True, help="Asset id (hex).")
@click.option("--owner", required=True, help="New owner public key (hex), keystore key name, or 'none' to revoke.")
@click.option("--metadata", required=True, help="New metadata (text, ≤ 256 bytes).")
@KEY_OPTION
@WAIT_OPTION
@click.pass_obj
@_errors
def modify_asset_cmd(ctx: Ctx, asset: str, owner: str, metadata: str, key_name: str | None, wait: bool) -> None:
    """Replace an asset's owner and metadata (owner only)."""
    new_owner = bytes(32) if owner.lower() == "none" else _recipient(ctx, owner)
    _send(ctx, key_name, txbuild.modify_asset(_hex32(asset, "asset id"), new_owner, metadata.encode()), wait)


@token_group.command("transfer")
@click.option("--to", "to", required=True, help="Recipient public key (hex) or keystore key name.")
@click.option("--amount", required=True, type=click.IntRange(1, 2**64 - 1), help="Amount.")
@click.option("--asset", default="TKN", show_default=True, help="Asset id (hex) or TKN.")
@KEY_OPTION
@WAIT_OPTION
@click.pass_obj
@_errors
def transfer_cmd(ctx: Ctx, to: str, amount: int, asset: str, key_name: str | None, wait: bool) -> None:
    """Transfer an asset to a recipient."""
    _send(ctx, key_name, txbuild.transfer(_recipient(ctx, to), _asset(asset), amount), wait)


@token_group.command("sequencer-msg")
@click.option("--chain-id", required=True, help="Destination chain id (text; 0x… for hex), 1-64 bytes.")
@click.option("--data", default="0x000102", show_default=True, help="Message data (text; 0x… for hex).")
@click.option("--from", "from_address", help="FromAddress (hex public key; default: the signing key).")
@KEY_OPTION
@WAIT_OPTION
@click.pass_obj
@_errors
def sequencer_msg_cmd(ctx: Ctx, chain_id: str, data: str, from_address: str | None, key_name: str | None,
                      wait: bool) -> None:
    """Post a shared-sequencer message for another chain (readable at GET /chains/{chain_id}/messages)."""
    def parse(value: str) -> bytes:
        return bytes.fromhex(value[2:]) if value.startswith("0x") else value.encode()

    sender = _hex32(from_address, "from address") if from_address else bytes(ctx.keystore().get(key_name)[1].verify_key)
    _send(ctx, key_name, txbuild.sequencer_msg(sender, parse(data), parse(chain_id)), wait)


@token_group.command("watch")
@click.option("--hide-txs", is_flag=True, help="Only print block lines.")
@click.option("--from", "start", type=int, help="First block to print (default: the next one).")
@click.option("--count", type=int, help="Stop after this many blocks.")
@click.option("--poll", default=0.5, show_default=True, help="Seconds between head polls.")
@click.pass_obj
@_errors
def watch_cmd(ctx: Ctx, hide_txs: bool, start: int | None, count: int | None, poll: float) -> None:
    """Follow applied blocks: height, txs, state root, TPS; per tx status, id, actor and summary."""
    from dsn.token.watch import watch

    watch(ctx.client(), start, count, poll, hide_txs, click.echo)


@token_group.command("spam")
@click.option("--accounts", default=10, show_default=True, help="Accounts funded from the default key.")
@click.option("--rate", default=100.0, show_default=True, help="Transfers per second, in total.")
@click.option("--duration", default=10.0, show_default=True, help="Seconds of load.")
@click.option("--fund", default=1000, show_default=True, help="Native amount given to each account.")
@KEY_OPTION
@click.pass_obj
@_errors
def spam_cmd(ctx: Ctx, accounts: int, rate: float, duration: float, fund: int, key_name: str | None) -> None:
    """Fund N accounts, send 1-unit transfers between them at a rate, then return the funds."""
    from dsn.token.spam import spam

    _, root = ctx.keystore().get(key_name)
    spam(ctx.client(), root, accounts, rate, duration, fund, click.echo)
