"""The ``dsn`` command line: one root group; each part of the product owns its commands, listed here.

Commands are loaded lazily: the tables below name each command's module and attribute and carry its
one-line help, so ``dsn --help`` imports nothing heavy and ``dsn kernel build`` imports only the
compiler (``tests/test_cli_root.py`` checks the tables against the commands). Every option can also
come from the environment: ``DSN_<COMMAND PATH>_<LONG FLAG>``, e.g. ``DSN_ROLLUP_NODE_PORT=8932``
(:func:`bind_envvars`, applied when a command is loaded).
"""

from __future__ import annotations

import importlib

import click

ENV_PREFIX = "DSN"

# group -> command name -> ("module:attribute", one-line help shown by the group's --help)
LAZY: dict[str, dict[str, tuple[str, str]]] = {
    "dsn": {
        "committee": ("dsn.commands:committee_group", "Assemble a committee from the operators' descriptors."),
        "demo": ("dsn.demo:demo_cmd",
                 "Build the kernel, start rollup node + DSN + sequencer, send transactions, show them applied, stop."),
        "listen": ("dsn.commands:listen",
                   "Print index, transactions, bytes, average latency and rounds of each pre-block."),
        "sequencer": ("dsn.sequencer.cli:sequencer_group",
                      "Run the sequencer node (public HTTP API, DSN submission, rollup DA)."),
        "spam": ("dsn.commands:spam", "Send transactions prefixed with a 16-byte big-endian Unix-millisecond timestamp."),
        "token": ("dsn.token.cli:token_group",
                  "Keys, assets, transfers and sequencer messages on the rollup ledger (token-cli parity)."),
    },
    "kernel": {
        "build": ("kernel_wasm.cli:build_cmd",
                  "Build the PVM kernel (default SOURCE: kernel_py/kernel.py) and print a size report."),
        "compile": ("kernel_wasm.cli:compile_cmd",
                    "Compile a kernel_py SOURCE file and output one stage: ast, ir, wat (before wasm-opt) or wasm."),
        "disasm": ("kernel_wasm.cli:disasm_cmd",
                   "Disassemble a WASM binary (e.g. build/kernel.wasm, an originated boot sector) to WAT with "
                   "WABT's wasm2wat."),
        "inspect": ("pvm_host.cli:inspect_cmd",
                    "Show a kernel's sections, imports, exports and custom sections, and check it like the PVM does "
                    "(decode with the float ban, link against smart_rollup_core, memory export, kernel_run)."),
        "ls": ("pvm_host.cli:ls_cmd",
               "List the subkeys of KEY (default: the root), one per line (exit status 1 if there is no such key)."),
        "profile": ("pvm_host.profile_cli:profile_cmd",
                    "Replay INPUTS.json with per-function tick accounting; print a top-N table, write flame graphs."),
        "replay": ("pvm_host.cli:replay_cmd",
                   "Replay an octez-smart-rollup-wasm-debugger INPUTS.json file level by level (resumable)."),
        "show-key": ("pvm_host.cli:show_key_cmd", "Print the value at KEY as hex (exit status 1 if there is no value)."),
    },
    "rollup": {
        "account": ("tezos_l1.cli:account_cmd", "Show an operator account's address (and balance from the node)."),
        "deploy": ("tezos_l1.cli:deploy_cmd",
                   "Originate a wasm_2_0_0 rollup (parameter type `bytes`) with the built kernel."),
        "governance": ("tezos_l1.cli:governance_group",
                       "The governance contract that sends committees and DAL publisher whitelists to the rollup "
                       "(FORMATS.md §5)."),
        "key": ("tezos_l1.cli:key_group", "Operator keys (tz1, Ed25519)."),
        "node": ("pvm_host.cli:node_cmd",
                 "Run a local rollup node on 127.0.0.1: a level every block time, octez-style RPC."),
        "node-command": ("tezos_l1.cli:node_command_cmd",
                         "Print the octez-smart-rollup-node command and the files to place for the deployed rollup."),
        "send": ("tezos_l1.cli:send_cmd", "Inject external inbox messages with smart_rollup_add_messages."),
    },
    "net": {
        "down": ("dsn.commands:net_down", "Stop the processes started by `dsn net up` (by their recorded pids)."),
        "up": ("dsn.commands:net_up", "Start a local network of node processes; returns once every node listens."),
    },
    "node": {
        "init": ("dsn.commands:node_init",
                 "Create this operator's node: secret key (mode 600 in a 700 folder), node configuration and the "
                 "public descriptor to send to whoever assembles the committee."),
        "run": ("dsn.commands:node_run",
                "Run one node (primary + worker + consensus + gRPC APIs) until SIGTERM/SIGINT."),
    },
}


def bind_envvars(command: click.Command, prefix: str) -> None:
    """Give every option of ``command`` (and of its subcommands) the variable ``PREFIX_<LONG FLAG>``,
    named after the flag users type (``--config`` → ``…_CONFIG``) rather than click's parameter name."""
    for param in command.params:
        if isinstance(param, click.Option) and param.envvar is None:
            flags = [f for f in param.opts if f.startswith("--")]
            if flags:
                param.envvar = f"{prefix}_{max(flags, key=len)[2:].upper().replace('-', '_')}"
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            bind_envvars(sub, f"{prefix}_{name.upper().replace('-', '_')}")


class LazyGroup(click.Group):
    """A group whose commands of ``LAZY[table]`` are imported only when used."""

    def __init__(self, *args: object, table: str = "dsn", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.table = table
        self.lazy = LAZY[table]

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in self.lazy:
            module, attribute = self.lazy[name][0].split(":")
            command = getattr(importlib.import_module(module), attribute)
            prefix = ENV_PREFIX if self.table == "dsn" else f"{ENV_PREFIX}_{self.table.upper()}"
            bind_envvars(command, f"{prefix}_{name.upper().replace('-', '_')}")
            self.add_command(command, name)
        return super().get_command(ctx, name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from the table's help lines: listing commands imports none of them."""
        rows = []
        for name in self.list_commands(ctx):
            loaded = self.commands.get(name)
            if loaded is not None and name not in self.lazy:
                rows.append((name, loaded.get_short_help_str(formatter.width)))
            else:
                rows.append((name, self.lazy[name][1]))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=LazyGroup, table="dsn", context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="dsn-rollup")
def main() -> None:
    """Tezos smart-rollup kernels in restricted Python, fed by a Narwhal + Bullshark sequencer network.

    Every option can also be set in the environment as DSN_<COMMAND PATH>_<OPTION>, e.g.
    DSN_ROLLUP_NODE_PORT=8932 for `dsn rollup node --port`.
    """


@main.group(cls=LazyGroup, table="kernel")
def kernel() -> None:
    """Compile, build, replay and inspect rollup kernels."""


@main.group(cls=LazyGroup, table="rollup")
def rollup() -> None:
    """Run a local rollup node; deploy to and feed a Tezos network."""


@main.group(cls=LazyGroup, table="net")
def net() -> None:
    """Start and stop a local DSN network."""


@main.group(cls=LazyGroup, table="node")
def node() -> None:
    """Set up and run one DSN node."""
