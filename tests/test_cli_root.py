"""The ``dsn`` root command: lazy loading keeps ``dsn --help`` cheap, the lazy tables match the
commands they name, and options come from ``DSN_…`` environment variables."""

from __future__ import annotations

import importlib
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from dsn.cli import LAZY, main


@pytest.mark.parametrize("table,name", [(t, n) for t, cmds in LAZY.items() for n in cmds])
def test_each_lazy_entry_names_its_command_with_its_own_help(table, name):
    module, attribute = LAZY[table][name][0].split(":")
    command = getattr(importlib.import_module(module), attribute)
    assert isinstance(command, click.Command) and command.name == name
    assert command.get_short_help_str(200) == LAZY[table][name][1]


def test_help_lists_every_command_without_importing_them():
    code = ("import sys; from click.testing import CliRunner; from dsn.cli import main; "
            "r = CliRunner().invoke(main, ['--help']); print(r.output); "
            "print(sorted(m for m in ('wasmtime', 'grpc', 'aiohttp', 'pytezos', 'kernel_wasm', 'pvm_host') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    for name in ("demo", "kernel", "listen", "net", "node", "rollup", "sequencer", "spam", "token"):
        assert f"  {name} " in out
    assert out.rstrip().endswith("[]")  # none of the heavy packages was imported


def test_group_help_and_commands_resolve_lazily():
    runner = CliRunner()
    out = runner.invoke(main, ["kernel", "--help"]).output
    assert "show-key" in out and "Print the value at KEY as hex" in out
    result = runner.invoke(main, ["kernel", "build", "--help"])
    assert result.exit_code == 0 and "Usage: main kernel build" in result.output
    assert runner.invoke(main, ["kernel", "nope"]).exit_code == 2


def test_options_come_from_the_environment(tmp_path):
    runner = CliRunner()
    missing = tmp_path / "missing.json"
    result = runner.invoke(main, ["node", "run"], env={"DSN_NODE_RUN_CONFIG": str(missing)})
    assert result.exit_code == 2 and "missing.json" in result.output


def test_every_option_has_its_flag_named_variable():
    from dsn.cli import LazyGroup

    runner = CliRunner()
    for table, cmds in LAZY.items():
        group = main if table == "dsn" else main.commands[table]
        assert isinstance(group, LazyGroup)
        for name in cmds:
            command = group.get_command(click.Context(group), name)
            prefix = "DSN" if table == "dsn" else f"DSN_{table.upper()}"
            for param in command.params:
                if isinstance(param, click.Option) and any(f.startswith("--") for f in param.opts):
                    assert param.envvar.startswith(f"{prefix}_{name.upper().replace('-', '_')}_"), param.envvar
    assert main.commands["rollup"].get_command(None, "node").params[0].envvar.startswith("DSN_ROLLUP_NODE_")
    assert runner.invoke(main, ["--help"]).exit_code == 0


def test_renamed_flags_keep_their_old_spelling_with_a_note(tmp_path):
    runner = CliRunner()
    new = runner.invoke(main, ["net", "down", "--data-dir", str(tmp_path)])
    old = runner.invoke(main, ["net", "down", "--base-dir", str(tmp_path)])
    assert new.output == "stopped 0 node(s)\n"
    assert old.exit_code == 0 and old.output == "warning: --base-dir is deprecated; use --data-dir\nstopped 0 node(s)\n"
    record = tmp_path / "none.json"
    via_old = runner.invoke(main, ["rollup", "node-command", "--endpoint", "http://x", "--config", str(record)])
    assert via_old.output.startswith("warning: --endpoint is deprecated; use --rpc\nError: no deployment record")
    for args, old, new in ((["net", "up"], "--base-dir", "--data-dir"), (["sequencer", "run"], "--l1-endpoint", "--rpc"),
                           (["sequencer", "run"], "--rollup ", "--rollup-node"), (["listen"], "--endpoint", "--dsn-export"),
                           (["spam"], "--endpoint", "--dsn"), (["node", "init"], "--dir ", "--data-dir")):
        shown = runner.invoke(main, [*args, "--help"]).output
        assert old not in shown and new in shown, (args, old)


def test_the_environment_sets_a_renamed_flag_by_its_new_name(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["net", "down"], env={"DSN_NET_DOWN_DATA_DIR": str(tmp_path)})
    assert result.exit_code == 0 and result.output == "stopped 0 node(s)\n"
