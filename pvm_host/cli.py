"""``dsn kernel replay|show-key|ls`` and ``dsn rollup node``: the host's command-line entry points."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from pvm_host.cli_options import deprecated_alias
from pvm_host.durable import DurableTree, path_of
from pvm_host.lifecycle import LevelReport
from pvm_host.progress import ProgressReport
from pvm_host.pvm import MissingPreimage
from pvm_host.replay import format_report, load_inputs, replay
from pvm_host.rollup import Rollup
from pvm_host.setup_file import load_setup
from pvm_host.storage import StateLocked, StateStore
from pvm_spec.constants import DEFAULT_ROLLUP_ADDRESS, DEFAULT_TICK_BUDGET, KERNEL_KEY

if TYPE_CHECKING:
    from pvm_host.dal import PagesDir

F = TypeVar("F", bound=Callable[..., Any])


def data_dir_option(required: bool, help_text: str) -> Callable[[F], F]:
    """``--data-dir`` (the rollup state folder, parameter ``state_dir``); ``--state-dir`` still works."""

    def decorate(f: F) -> F:
        f = click.option("--data-dir", "state_dir", type=click.Path(file_okay=False, path_type=Path),
                         required=required, help=help_text)(f)
        return deprecated_alias("--state-dir", "--data-dir", "state_dir")(f)

    return decorate


STATE_DIR = data_dir_option(True, "Rollup state directory (LMDB).")


def _kernel_bytes(path: Path | None) -> bytes | None:
    """The kernel binary; ``.wat``/``.wast`` text is assembled first, as the octez debugger does."""
    if path is None:
        return None
    if path.suffix in (".wat", ".wast"):
        from wasmtime import WasmtimeError, wat2wasm

        try:
            return wat2wasm(path.read_text())
        except WasmtimeError as exc:
            raise ValueError(f"{path}: {exc}") from exc
    return path.read_bytes()


TICK_MODEL = click.option(
    "--tick-model", type=click.Choice(["reference", "fuel"]), default="reference", show_default=True,
    help="How ticks are counted: the reference PVM's small-step costs, or wasmtime fuel (faster, several times lower).")


REPLAY_OPTIONS = (
    click.option("--rollup", "rollup_address", default=DEFAULT_ROLLUP_ADDRESS, show_default=True,
                 help="Rollup address (sr1…): metadata and default transfer destination."),
    click.option("--preimages", type=click.Path(file_okay=False, path_type=Path),
                 help="Preimage directory (files named by 66-hex hash)."),
    click.option("--tick-budget", default=str(DEFAULT_TICK_BUDGET), show_default=True,
                 help="Ticks per kernel_run, e.g. 11e9 for pre-Paris protocols."),
    TICK_MODEL,
    click.option("--setup", "setup_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                 help="Installer-style setup file (JSON or YAML 'instructions') applied before the first level."),
    click.option("--origination-level", default=0, show_default=True, help="Origination level reported by reveal_metadata."),
    click.option("--first-level", type=int, help="Level of the first inbox (default: the origination level)."),
    click.option("--dal-pages-dir", type=click.Path(file_okay=False, path_type=Path),
                 help="DAL pages as the octez wasm debugger reads them: files <published_level>-<slot>-<page>, "
                      "used as is (a missing file reveals 0 bytes)."),
    click.option("--dal-parameters",
                 help="SLOTS,LAG,SLOT_SIZE,PAGE_SIZE answered to reveal 03 (default with --dal-pages-dir: "
                      "16,8,126944,3967, the Rust SDK mock host's)."),
)


def replay_options(f: F) -> F:
    """The options ``replay`` and ``profile`` share: the rollup's identity, budgets, setup, levels and DAL pages."""
    for option in reversed(REPLAY_OPTIONS):
        f = option(f)
    return f


def dal_pages(dal_pages_dir: Path | None, dal_parameters: str | None) -> PagesDir | None:
    """The DAL page source of ``--dal-pages-dir`` / ``--dal-parameters``, or None without them."""
    from pvm_host.dal import MOCK_PARAMETERS, DalParameters, PagesDir

    if dal_pages_dir is None and dal_parameters is None:
        return None
    params = DalParameters.parse(dal_parameters) if dal_parameters else MOCK_PARAMETERS
    return PagesDir(dal_pages_dir or Path("dal_pages"), params)


def _tick_budget(value: str) -> int:
    try:
        return int(float(value)) if "e" in value.lower() else int(value)
    except ValueError as exc:
        raise click.BadParameter(f"not a number: {value}") from exc


@click.command("replay")
@click.argument("inputs", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--kernel", "kernel_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Kernel .wasm (or .wat) installed at origination (ignored when the state dir already holds a rollup).")
@STATE_DIR
@click.option("--native", help="Run kernel_py source in CPython: a module name (kernel_py.kernel) or a .py path.")
@replay_options
def replay_cmd(
    inputs: Path,
    kernel_path: Path | None,
    state_dir: Path,
    rollup_address: str,
    preimages: Path | None,
    native: str | None,
    tick_budget: str,
    tick_model: str,
    setup_file: Path | None,
    origination_level: int,
    first_level: int | None,
    dal_pages_dir: Path | None,
    dal_parameters: str | None,
) -> None:
    """Replay an octez-smart-rollup-wasm-debugger INPUTS.json file level by level (resumable)."""
    try:
        dal = dal_pages(dal_pages_dir, dal_parameters)
        inboxes = load_inputs(inputs, rollup_address)
        setup = load_setup(setup_file) if setup_file else None
        rollup = Rollup.open(
            state_dir=state_dir,
            kernel=_kernel_bytes(kernel_path),
            native=native,
            rollup_address=rollup_address,
            origination_level=origination_level,
            first_level=first_level,
            preimages_dir=preimages,
            tick_budget=_tick_budget(tick_budget),
            tick_model=tick_model,
            setup=setup,
            dal=dal,
        )
    except (ValueError, ImportError, StateLocked) as exc:
        raise click.ClickException(str(exc)) from exc
    base = origination_level if first_level is None else first_level
    skipped = min(len(inboxes), max(0, rollup.next_level - base))
    if skipped:
        click.echo(f"resuming at level {rollup.next_level}: {skipped} inbox(es) already processed")
    if kernel_path is not None and rollup.read(KERNEL_KEY) != _kernel_bytes(kernel_path):
        click.echo(f"note: /kernel/boot.wasm in {state_dir} differs from {kernel_path}; the stored kernel runs")
    try:
        with ProgressReport("replaying", total=len(inboxes) - skipped, unit="levels") as progress:
            for i, report in enumerate(replay(rollup, inboxes, base)):
                for line in format_report(report, len(inboxes[skipped + i])):
                    click.echo(line)
                progress.advance()
    except MissingPreimage as exc:
        raise click.ClickException(f"{exc}: the level was not committed; add the file to --preimages and rerun")
    finally:
        click.echo(f"state root {rollup.root_hash().hex()}  next level {rollup.next_level}  status {rollup.status}")
        rollup.close()


def _key_path(key: str) -> tuple[str, ...]:
    """Durable path of a CLI key; ``/`` and the empty string mean the root."""
    return () if key in ("", "/") else path_of(key)


@contextmanager
def _read_tree(state_dir: Path) -> Iterator[DurableTree]:
    """The durable tree of a state dir, opened read-only; a bad key becomes a CLI error."""
    if not (state_dir / "pvm.lmdb").exists():
        raise click.ClickException(f"no rollup state in {state_dir}")
    store = StateStore(state_dir, readonly=True)
    try:
        yield store.load_durable()
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()


@click.command("show-key")
@click.argument("key")
@STATE_DIR
def show_key_cmd(key: str, state_dir: Path) -> None:
    """Print the value at KEY as hex (exit status 1 if there is no value)."""
    with _read_tree(state_dir) as tree:
        value = tree.get(_key_path(key))
    if value is None:
        click.echo(f"no value at {key}", err=True)
        sys.exit(1)
    click.echo(value.hex())


@click.command("ls")
@click.argument("key", default="")
@STATE_DIR
def ls_cmd(key: str, state_dir: Path) -> None:
    """List the subkeys of KEY (default: the root), one per line (exit status 1 if there is no such key)."""
    with _read_tree(state_dir) as tree:
        path = _key_path(key)
        exists = not path or tree.has_node(path)
        names = tree.subkeys(path)
    if not exists:
        click.echo(f"no key {key}", err=True)
        sys.exit(1)
    for name in names:
        click.echo(name)


@click.command("node")
@click.option("--block-time", type=float, help="Seconds between levels (default: the L1 profile's).")
@click.option("--l1-profile", type=click.Choice(["sandbox", "mainnet", "none"]), default="sandbox", show_default=True,
              help="Local L1: sandbox (1-s blocks, 32 DAL slots, lag 2), mainnet (6-s blocks, protocol 025 DAL), "
                   "or none (no L1 limits and no DAL: every queued message in the next level).")
@click.option("--dal-parameters", help="Override the profile's DAL parameters: SLOTS,LAG,SLOT_SIZE,PAGE_SIZE.")
@click.option("--batcher-keys", default=1, show_default=True,
              help="Batching keys: one smart_rollup_add_messages operation (≤ 32,768 B) per key per block.")
@click.option("--dal-unattested-rate", default=0.0, show_default=True,
              help="Probability that a published slot fails attestation (seeded by --dal-seed).")
@click.option("--dal-seed", default=0, show_default=True, help="Seed of the attestation draws.")
@click.option("--l1-accounts", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="JSON list of Ed25519 public keys (edpk…) whose operations must carry valid signatures.")
@data_dir_option(False, "Rollup state directory (LMDB); in memory when omitted.")
@click.option("--kernel", "kernel_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Kernel .wasm (or .wat) installed at origination (ignored when the state dir already holds a rollup).")
@click.option("--native", help="Run kernel_py source in CPython (module name or .py path) instead of wasm.")
@click.option("--port", default=8932, show_default=True, help="TCP port on 127.0.0.1 (0: any free port).")
@click.option("--rollup", "rollup_address", default=DEFAULT_ROLLUP_ADDRESS, show_default=True, help="Rollup address (sr1…).")
@click.option("--preimages", type=click.Path(file_okay=False, path_type=Path), help="Preimage directory.")
@click.option("--tick-budget", default=str(DEFAULT_TICK_BUDGET), show_default=True, help="Ticks per kernel_run.")
@TICK_MODEL
@click.option("--setup", "setup_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Installer-style setup file applied at origination.")
@click.option("--log-kernel-debug", is_flag=True, help="Print the kernel's debug output.")
@click.option("--metrics-port", type=click.IntRange(0, 65535), default=None,
              help="Also serve Prometheus /metrics on this port of 127.0.0.1 (it is always on the API port).")
def node_cmd(
    block_time: float | None,
    l1_profile: str,
    dal_parameters: str | None,
    batcher_keys: int,
    dal_unattested_rate: float,
    dal_seed: int,
    l1_accounts: Path | None,
    state_dir: Path | None,
    kernel_path: Path | None,
    native: str | None,
    port: int,
    rollup_address: str,
    preimages: Path | None,
    tick_budget: str,
    tick_model: str,
    setup_file: Path | None,
    log_kernel_debug: bool,
    metrics_port: int | None,
) -> None:
    """Run a local rollup node on 127.0.0.1: a level every block time, octez-style RPC.

    With an L1 profile it is also a local L1 (protocol limits, batcher, /injection/operation) and a
    local DAL node (octez DAL-node routes on the same port). The DAL commitments are not KZG: the
    commitment is a BLAKE2b-384 hash of the padded slot (sh1…) and the local L1 checks it against the
    stored slot, not a proof.
    """
    from pvm_host.l1_sim.setup import make_l1
    from pvm_host.rollup_node import RollupNode, serve

    try:
        l1 = make_l1(l1_profile, dal_parameters, batcher_keys, dal_unattested_rate, dal_seed, l1_accounts, block_time,
                     state_dir / "l1" if state_dir is not None else None)
        block_time = l1.profile.block_time if l1 is not None else (block_time or 1.0)
        rollup = Rollup.open(
            state_dir=state_dir,
            kernel=_kernel_bytes(kernel_path),
            native=native,
            rollup_address=rollup_address,
            preimages_dir=preimages,
            tick_budget=_tick_budget(tick_budget),
            tick_model=tick_model,
            setup=load_setup(setup_file) if setup_file else None,
        )
    except (ValueError, ImportError, StateLocked) as exc:
        raise click.ClickException(str(exc)) from exc

    def on_level(report: LevelReport, messages: int) -> None:
        lines = format_report(report, messages)
        if node.last_block is not None:
            lines.append("  " + node.last_block.line())
        if not log_kernel_debug:
            lines = [line for line in lines if not line.startswith("  debug: ")]
        click.echo("\n".join(lines), nl=True)

    def on_ready(bound: int) -> None:
        click.echo(f"rollup node {rollup.address} listening on http://127.0.0.1:{bound} "
                   f"(level {rollup.next_level}, block time {block_time}s"
                   + (f", L1 profile {l1.profile.name}, {l1.batcher_keys} batcher key(s), DAL "
                      f"{l1.profile.dal.number_of_slots} slots of {l1.profile.dal.slot_size} B, "
                      f"lag {l1.profile.dal.attestation_lag}" if l1 is not None else "") + ")", nl=True)

    node = RollupNode(rollup, block_time, on_level, l1=l1)
    try:
        failure = serve(node, port, on_ready, metrics_port)
    finally:
        rollup.close()
    if failure:
        raise click.ClickException(failure)


@click.command("inspect")
@click.argument("wasm", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--disasm", is_flag=True, help="Append the WAT disassembly (WABT wasm2wat).")
def inspect_cmd(wasm: Path, as_json: bool, disasm: bool) -> None:
    """Show a kernel's sections, imports, exports and custom sections, and check it like the PVM does
    (decode with the float ban, link against smart_rollup_core, memory export, kernel_run).

    Exit status 0 if the PVM would run it, 2 if it would not, 1 if WASM is not a wasm binary.
    """
    from pvm_host.kernel_inspect import NotWasm, disassemble, inspect_kernel, render

    try:
        info = inspect_kernel(wasm.read_bytes())
    except NotWasm as exc:
        raise click.ClickException(f"{wasm}: {exc}") from exc
    if as_json:
        click.echo(json.dumps(info.to_json(), indent=2))
    else:
        click.echo("\n".join(render(info, str(wasm))))
    if disasm:
        try:
            click.echo(disassemble(wasm), nl=False)
        except (ValueError, FileNotFoundError) as exc:
            raise click.ClickException(str(exc)) from exc
    if info.pvm_error:
        sys.exit(2)
