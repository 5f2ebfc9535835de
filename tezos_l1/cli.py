"""``dsn rollup`` commands for Tezos networks: deploy, send, key, account, node-command, governance.

Heavy modules (pytezos) are imported inside the commands so ``dsn --help`` stays fast.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from pvm_host.cli_options import deprecated_alias

RPC_HELP = "Tezos L1 node RPC URL, e.g. http://127.0.0.1:8732."
KEY_HELP = "Key file written by `dsn rollup key generate`, or an edsk… secret key."
CONFIG_HELP = "Deployment record written by `dsn rollup deploy`."
GOVERNANCE_RECORD = Path(".dsn/governance.json")
T = TypeVar("T")


def _errors() -> tuple[type[BaseException], ...]:
    from tezos_l1.forge import ForgeError
    from tezos_l1.keys import KeyFileError
    from tezos_l1.operations import OperationFailed
    from tezos_l1.rpc import RpcError

    return (ForgeError, KeyFileError, OperationFailed, RpcError, FileExistsError, FileNotFoundError, ValueError)


def _run(action: Callable[[], T]) -> T:
    """Run a thunk, converting known failures to clean CLI errors."""
    try:
        return action()
    except _errors() as e:
        raise click.ClickException(str(e)) from e


@click.command("deploy")
@click.option("--rpc", required=True, help=RPC_HELP)
@click.option("--key", "key_spec", required=True, help=KEY_HELP)
@click.option("--kernel", "kernel_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default="build/kernel.wasm", show_default=True, help="The built kernel (`dsn kernel build`).")
@click.option("--force", is_flag=True, help="Replace an existing deployment record.")
@click.option("--config", "config_path", type=click.Path(path_type=Path), default=".dsn/rollup.json",
              show_default=True, help=CONFIG_HELP)
@click.option("--preimages-dir", type=click.Path(path_type=Path), default="build/preimages", show_default=True,
              help="Where the installer's preimage pages are written (if the kernel needs the installer).")
@click.option("--installer", "force_installer", is_flag=True, help="Use the installer even if the kernel fits.")
@click.option("--setup", "setup_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Setup file (installer format, `set` instructions) whose values the installer writes before "
                   "the kernel's first run, e.g. /setup/committee and /setup/governance.")
@click.option("--timeout", type=float, default=300.0, show_default=True, help="Seconds to wait for inclusion.")
def deploy_cmd(rpc: str, key_spec: str, kernel_path: Path, force: bool, config_path: Path, preimages_dir: Path,
               force_installer: bool, setup_file: Path | None, timeout: float) -> None:
    """Originate a wasm_2_0_0 rollup (parameter type `bytes`) with the built kernel."""
    from tezos_l1 import deploy, keys
    from tezos_l1.rpc import L1Client

    setup = _run(lambda: _setup_values(setup_file)) if setup_file else None
    record = _run(lambda: deploy.deploy(
        L1Client(rpc), keys.load(key_spec), kernel_path.read_bytes(), config_path=config_path,
        preimages_dir=preimages_dir, force=force, force_installer=force_installer, setup=setup, timeout=timeout,
        progress=click.echo))
    click.echo(f"rollup: {record.rollup}\norigination level: {record.origination_level}")


def _setup_values(path: Path) -> list[tuple[str, bytes]]:
    """``set`` instructions of a setup file (pvm_host/setup_file.py formats) as (path, value) pairs."""
    from pvm_host.setup_file import load_setup

    values = []
    for op, to, arg in load_setup(path):
        if op != "set" or not isinstance(arg, bytes):
            raise ValueError(f"{path}: only `set` instructions are supported at deployment (got {op} to {to})")
        values.append((to, arg))
    return values


def _read_messages(hexes: tuple[str, ...], file: Path | None) -> list[bytes]:
    items = list(hexes)
    if file is not None:
        for line in file.read_text().splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                items.append(line)
    out = []
    for i, h in enumerate(items):
        try:
            out.append(bytes.fromhex(h.removeprefix("0x")))
        except ValueError as e:
            raise click.BadParameter(f"message {i} is not hex: {h[:40]!r}") from e
    if not out:
        raise click.UsageError("no message: give --message HEX and/or --file PATH")
    return out


@click.command("send")
@click.option("--rpc", required=True, help=RPC_HELP)
@click.option("--key", "key_spec", required=True, help=KEY_HELP)
@click.option("--message", "-m", "hexes", multiple=True, help="External message payload in hex (repeatable).")
@click.option("--file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="File of hex payloads, one per line (blank lines and # comments skipped).")
@click.option("--framed", is_flag=True,
              help="Prefix each payload with 00 ‖ rollup address (the targeted frame of FORMATS.md §2).")
@click.option("--rollup", help="sr1… address for --framed (default: the deployment record's).")
@click.option("--config", "config_path", type=click.Path(path_type=Path), default=".dsn/rollup.json",
              show_default=True, help=CONFIG_HELP)
@click.option("--timeout", type=float, default=300.0, show_default=True, help="Seconds to wait for inclusion.")
def send_cmd(rpc: str, key_spec: str, hexes: tuple[str, ...], file: Path | None, framed: bool, rollup: str | None,
             config_path: Path, timeout: float) -> None:
    """Inject external inbox messages with smart_rollup_add_messages."""
    from tezos_l1 import config, keys, messages
    from tezos_l1.rpc import L1Client

    payloads = _read_messages(hexes, file)
    if framed:
        address = rollup or _run(lambda: config.load(config_path)).rollup
        payloads = _run(lambda: messages.frame(payloads, address))
    included = _run(lambda: messages.send_messages(L1Client(rpc), keys.load(key_spec), payloads, timeout=timeout,
                                                   progress=click.echo))
    for inc in included:
        click.echo(f"{inc.op_hash} included at level {inc.level}")


@click.group("key")
def key_group() -> None:
    """Operator keys (tz1, Ed25519)."""


@key_group.command("generate")
@click.option("--out", type=click.Path(path_type=Path), default=".dsn/operator.json", show_default=True,
              help="Key file to write (mode 600).")
@click.option("--force", is_flag=True, help="Overwrite an existing key file.")
def key_generate_cmd(out: Path, force: bool) -> None:
    """Generate a tz1 key and save it (secret included) with mode 600."""
    from tezos_l1 import keys

    key = keys.generate()
    _run(lambda: keys.save(key, out, force=force))
    click.echo(f"address: {key.address}\npublic key: {key.public_key}\nsaved to: {out}")


@click.command("account")
@click.option("--key", "key_spec", required=True, help=KEY_HELP)
@click.option("--rpc", help=RPC_HELP + " With it, also print balance, counter and reveal status.")
def account_cmd(key_spec: str, rpc: str | None) -> None:
    """Show an operator account's address (and balance from the node)."""
    from tezos_l1 import keys
    from tezos_l1.rpc import L1Client

    key = _run(lambda: keys.load(key_spec))
    click.echo(f"address: {key.address}\npublic key: {key.public_key}")
    if rpc:
        client = L1Client(rpc)
        balance = _run(lambda: client.balance(key.address))
        counter = _run(lambda: client.counter(key.address))
        revealed = _run(lambda: client.manager_key(key.address)) is not None
        click.echo(f"balance: {balance / 1e6:.6f} tez ({balance} mutez)\ncounter: {counter}\nrevealed: {revealed}")


@click.command("node-command")
@click.option("--config", "config_path", type=click.Path(path_type=Path), default=".dsn/rollup.json",
              show_default=True, help=CONFIG_HELP)
@click.option("--key", "key_spec", help=KEY_HELP + " Its address operates the node (default: the originator).")
@click.option("--data-dir", type=click.Path(path_type=Path), default=Path.home() / ".octez-smart-rollup-node",
              show_default=True, help="The rollup node's data directory.")
@click.option("--rpc-addr", default="127.0.0.1", show_default=True, help="Rollup node RPC address.")
@click.option("--rpc-port", type=int, default=8932, show_default=True, help="Rollup node RPC port.")
@click.option("--rpc", "endpoint", help="L1 node RPC URL (default: the one used to deploy).")
@deprecated_alias("--endpoint", "--rpc", "endpoint")
def node_command_cmd(config_path: Path, key_spec: str | None, data_dir: Path, rpc_addr: str, rpc_port: int,
                     endpoint: str | None) -> None:
    """Print the octez-smart-rollup-node command and the files to place for the deployed rollup."""
    from tezos_l1 import config, keys
    from tezos_l1.node_command import node_instructions

    record = _run(lambda: config.load(config_path))
    key_file = key_spec if key_spec and not key_spec.startswith("edsk") else None
    operator = _run(lambda: keys.load(key_spec)).address if key_spec else record.originator
    click.echo(node_instructions(record, operator, data_dir, rpc_addr, rpc_port, endpoint, key_file))


@click.group("governance")
def governance_group() -> None:
    """The governance contract that sends committees and DAL publisher whitelists to the rollup (FORMATS.md §5)."""


@governance_group.command("originate")
@click.option("--rpc", required=True, help=RPC_HELP)
@click.option("--key", "key_spec", required=True, help=KEY_HELP)
@click.option("--admin", help="tz1… allowed to call the contract (default: the key's address).")
@click.option("--out", type=click.Path(path_type=Path), default=GOVERNANCE_RECORD, show_default=True,
              help="Where to record the contract address.")
@click.option("--force", is_flag=True, help="Replace an existing record.")
@click.option("--timeout", type=float, default=300.0, show_default=True, help="Seconds to wait for inclusion.")
def governance_originate_cmd(rpc: str, key_spec: str, admin: str | None, out: Path, force: bool,
                             timeout: float) -> None:
    """Originate the governance contract; put its KT1 hash in the kernel setup (/setup/governance)."""
    from tezos_l1 import governance, keys, operations
    from tezos_l1.rpc import L1Client

    if out.exists() and not force:
        raise click.ClickException(f"{out} exists; pass --force to originate another contract")
    key = _run(lambda: keys.load(key_spec))
    included = _run(lambda: operations.send(L1Client(rpc), key, [governance.originate_content(admin or key.address)],
                                            timeout=timeout, progress=click.echo))
    contract = included.contents[-1]["metadata"]["operation_result"]["originated_contracts"][0]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"contract": contract, "admin": admin or key.address, "level": included.level}) + "\n")
    click.echo(f"governance contract: {contract}\n/setup/governance value (hex): {governance.contract_hash(contract).hex()}")


def _send_governance(rpc: str, key_spec: str, contract: str | None, rollup: str | None, config_path: Path,
                     message: bytes, timeout: float) -> None:
    """Call the governance contract so that it forwards ``message`` to the rollup."""
    from tezos_l1 import config, governance, keys, operations
    from tezos_l1.rpc import L1Client

    contract = contract or _run(lambda: json.loads(GOVERNANCE_RECORD.read_text()))["contract"]
    rollup = rollup or _run(lambda: config.load(config_path)).rollup
    key = _run(lambda: keys.load(key_spec))
    included = _run(lambda: operations.send(L1Client(rpc), key, [governance.call_content(contract, rollup, message)],
                                            timeout=timeout, progress=click.echo))
    click.echo(f"{included.op_hash} included at level {included.level}")


def _governance_call_options(command: Callable[..., None]) -> Callable[..., None]:
    for option in reversed([
        click.option("--rpc", required=True, help=RPC_HELP),
        click.option("--key", "key_spec", required=True, help=KEY_HELP + " Must be the contract's admin."),
        click.option("--contract", help="KT1… (default: from .dsn/governance.json)."),
        click.option("--rollup", help="sr1… (default: from the deployment record)."),
        click.option("--config", "config_path", type=click.Path(path_type=Path), default=".dsn/rollup.json",
                     show_default=True, help=CONFIG_HELP),
        click.option("--timeout", type=float, default=300.0, show_default=True, help="Seconds to wait for inclusion."),
    ]):
        command = option(command)
    return command


@governance_group.command("call")
@_governance_call_options
@click.option("--message", "message_hex", help="Governance message in hex (a committee, FORMATS.md §1.1).")
@click.option("--message-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Binary file holding the governance message.")
def governance_call_cmd(rpc: str, key_spec: str, contract: str | None, rollup: str | None, config_path: Path,
                        timeout: float, message_hex: str | None, message_file: Path | None) -> None:
    """Send a governance message (new committee) to the rollup through the contract."""
    if (message_hex is None) == (message_file is None):
        raise click.UsageError("give exactly one of --message HEX or --message-file PATH")
    message = message_file.read_bytes() if message_file else bytes.fromhex(message_hex or "")
    _send_governance(rpc, key_spec, contract, rollup, config_path, message, timeout)


@governance_group.command("publishers")
@_governance_call_options
@click.argument("publishers", nargs=-1, metavar="TZ1…")
def governance_publishers_cmd(rpc: str, key_spec: str, contract: str | None, rollup: str | None, config_path: Path,
                              timeout: float, publishers: tuple[str, ...]) -> None:
    """Replace the kernel's DAL publisher whitelist (/dal/publishers) by PUBLISHERS (none: import no
    DAL slot) through the contract (FORMATS.md §5.0)."""
    from tezos_l1 import governance

    message = _run(lambda: governance.publishers_message(list(publishers)))
    _send_governance(rpc, key_spec, contract, rollup, config_path, message, timeout)
