"""``dsn kernel profile``: replay an inputs file under the tick profiler (:mod:`pvm_host.profiler`)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click

from pvm_host.cli import _kernel_bytes, _tick_budget, dal_pages, data_dir_option, replay_options
from pvm_host.profiler import FunctionRow, Profile, ProfileError, ProfilingEngine
from pvm_host.pvm import MissingPreimage
from pvm_host.replay import format_report, load_inputs, replay
from pvm_host.rollup import Rollup
from pvm_host.setup_file import load_setup
from pvm_host.storage import StateLocked


class BadInput(click.ClickException):
    """A bad argument (kernel, inputs, options): message and exit status 2, no traceback."""

    exit_code = 2


def top_table(profile: Profile, top: int) -> object:
    """The ``top`` functions by inclusive ticks as a rich table."""
    from rich.markup import escape
    from rich.table import Table

    total = profile.total or 1
    table = Table(title=f"top {top} functions by inclusive ticks ({profile.tick_model} model, {profile.total:,} ticks)")
    for name, justify in (("function", "left"), ("calls", "right"), ("self", "right"), ("self %", "right"),
                          ("host-call ticks", "right"), ("inclusive", "right"), ("incl %", "right")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    rows: list[FunctionRow] = profile.functions()[:top]
    for row in rows:
        table.add_row(escape(row.name + (" (host)" if row.host else "")), f"{row.calls:,}", f"{row.self_ticks:,}",
                      f"{100 * row.self_ticks / total:.1f}", f"{row.host_ticks:,}", f"{row.inclusive:,}",
                      f"{100 * row.inclusive / total:.1f}")
    return table


@click.command("profile")
@click.argument("inputs", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--kernel", "kernel_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True,
              help="Kernel .wasm (or .wat) to profile (any kernel; names come from its name section).")
@data_dir_option(False, "Rollup state directory (LMDB; default: in memory). Levels already there are skipped.")
@replay_options
@click.option("--top", default=20, show_default=True, type=click.IntRange(min=1), help="Rows of the function table.")
@click.option("--collapsed", type=click.Path(dir_okay=False, path_type=Path),
              help="Write collapsed stacks (flamegraph.pl input: 'a;b;c ticks' per line) to this file.")
@click.option("--speedscope", type=click.Path(dir_okay=False, path_type=Path),
              help="Write a speedscope JSON profile (https://www.speedscope.app) to this file.")
def profile_cmd(
    inputs: Path,
    kernel_path: Path,
    state_dir: Path | None,
    rollup_address: str,
    preimages: Path | None,
    tick_budget: str,
    tick_model: str,
    setup_file: Path | None,
    origination_level: int,
    first_level: int | None,
    dal_pages_dir: Path | None,
    dal_parameters: str | None,
    top: int,
    collapsed: Path | None,
    speedscope: Path | None,
) -> None:
    """Replay INPUTS.json with per-function tick accounting; print a top-N table, write flame graphs."""
    budget = _tick_budget(tick_budget)
    engine = ProfilingEngine(tick_budget=budget, tick_model=tick_model)
    try:
        dal = dal_pages(dal_pages_dir, dal_parameters)
        kernel = _kernel_bytes(kernel_path)
        assert kernel is not None
        loaded = engine.load(kernel)
        error = loaded.error or ("" if loaded.has_kernel_run else "no kernel_run: [] -> [] export")
        if error:
            raise BadInput(f"{kernel_path}: not a kernel the PVM can run: {error}")
        try:
            inboxes = load_inputs(inputs, rollup_address)
        except ValueError as exc:
            raise BadInput(f"{inputs}: {exc}" if str(inputs) not in str(exc) else str(exc)) from exc
        setup = load_setup(setup_file) if setup_file else None
        rollup = Rollup.open(state_dir=state_dir, kernel=kernel, rollup_address=rollup_address,
                             origination_level=origination_level, first_level=first_level, preimages_dir=preimages,
                             tick_budget=budget, tick_model=tick_model, setup=setup, dal=dal)
    except ProfileError as exc:
        raise BadInput(f"{kernel_path}: {exc}") from exc
    except (ValueError, StateLocked) as exc:
        raise BadInput(str(exc)) from exc
    rollup.engine = engine
    base = origination_level if first_level is None else first_level
    skipped = min(len(inboxes), max(0, rollup.next_level - base))
    if skipped:
        click.echo(f"resuming at level {rollup.next_level}: {skipped} inbox(es) already processed")
    replayed = 0
    try:
        for i, report in enumerate(replay(rollup, inboxes, base)):
            for line in format_report(report, len(inboxes[skipped + i])):
                click.echo(line)
            replayed += report.ticks
    except ProfileError as exc:
        raise BadInput(f"{kernel_path}: {exc}") from exc
    except MissingPreimage as exc:
        raise click.ClickException(f"{exc}: the level was not committed; add the file to --preimages and rerun")
    finally:
        rollup.close()
    profile = engine.profile
    from rich.console import Console

    Console(width=max(120, shutil.get_terminal_size().columns)).print(top_table(profile, top))
    click.echo(f"profile total {profile.total:,} ticks ({tick_model}); levels replayed {replayed:,} ticks")
    if collapsed is not None:
        collapsed.write_text(profile.collapsed())
        click.echo(f"collapsed stacks written to {collapsed}")
    if speedscope is not None:
        speedscope.write_text(json.dumps(profile.speedscope(f"{kernel_path.name} on {inputs.name}")))
        click.echo(f"speedscope profile written to {speedscope}")
