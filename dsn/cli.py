"""The ``dsn`` command line: one root group; each part of the product registers its commands here."""

from __future__ import annotations

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="dsn-rollup")
def main() -> None:
    """Tezos smart-rollup kernels in restricted Python, fed by a Narwhal + Bullshark sequencer network."""


@main.group()
def kernel() -> None:
    """Compile, build, replay and inspect rollup kernels."""


@main.group()
def rollup() -> None:
    """Run a local rollup node; deploy to and feed a Tezos network."""


@main.group()
def net() -> None:
    """Start and stop a local DSN network."""


@main.group()
def node() -> None:
    """Run one DSN node."""


# Command registration: each package owns its commands; add one line per command here.
from tezos_l1.cli import account_cmd, deploy_cmd, governance_group, key_group, node_command_cmd, send_cmd  # noqa: E402

rollup.add_command(deploy_cmd)
rollup.add_command(send_cmd)
rollup.add_command(key_group)
rollup.add_command(account_cmd)
rollup.add_command(node_command_cmd)
rollup.add_command(governance_group)
from dsn.commands import listen, net_down, net_up, node_run, spam  # noqa: E402

net.add_command(net_up)
net.add_command(net_down)
node.add_command(node_run)
main.add_command(listen)
main.add_command(spam)
from pvm_host.cli import inspect_cmd, ls_cmd, node_cmd, replay_cmd, show_key_cmd  # noqa: E402

kernel.add_command(replay_cmd)
kernel.add_command(show_key_cmd)
kernel.add_command(ls_cmd)
kernel.add_command(inspect_cmd)
rollup.add_command(node_cmd)
from dsn.sequencer.cli import sequencer_group  # noqa: E402

main.add_command(sequencer_group)
from kernel_wasm.cli import build_cmd, compile_cmd, disasm_cmd  # noqa: E402

kernel.add_command(compile_cmd)
kernel.add_command(build_cmd)
kernel.add_command(disasm_cmd)
from dsn.token.cli import token_group  # noqa: E402

main.add_command(token_group)
from dsn.demo import demo_cmd  # noqa: E402

main.add_command(demo_cmd)
