"""``dsn sequencer run``."""

from __future__ import annotations

import asyncio
import logging
import signal
from pathlib import Path

import click

from dsn.launcher import FIXTURES
from pvm_host.cli_options import deprecated_alias


@click.group("sequencer")
def sequencer_group() -> None:
    """Run the sequencer node (public HTTP API, DSN submission, rollup DA)."""


@sequencer_group.command("run")
@click.option("--host", default="127.0.0.1", show_default=True, help="HTTP API bind address.")
@click.option("--port", default=8080, show_default=True, help="HTTP API port (0: any free port).")
@click.option("--data-dir", default=".sequencer", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="Injection log, mock consensus and mock rollup state.")
@click.option("--rollup-node", "rollup_url", default="http://127.0.0.1:8932", show_default=True,
              help="Rollup node RPC URL (octez or `dsn rollup node`).")
@deprecated_alias("--rollup", "--rollup-node", "rollup_url")
@click.option("--dsn", "dsn_tx", multiple=True, default=["127.0.0.1:64012"], show_default=True,
              help="DSN transaction API(s): senders are spread over them, the next after a failure (repeatable).")
@click.option("--dsn-export", multiple=True, default=["127.0.0.1:64011"], show_default=True,
              help="DSN pre-block export API(s); the next one is used after a stream error (repeatable).")
@click.option("--committee-dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=FIXTURES / "4", show_default=True,
              help="Committee (committee.json, node-N.key) for --mock-consensus and the --mock-rollup setup.")
@click.option("--mock-rollup", is_flag=True, help="Run the kernel in-process (no rollup node).")
@click.option("--mock-consensus", is_flag=True, help="Sign pre-blocks locally with the committee keys (no DSN).")
@click.option("--kernel", "kernel_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="--mock-rollup: the .wasm kernel (default: compile kernel_py, else run it natively).")
@click.option("--native", is_flag=True, help="--mock-rollup: run kernel_py in CPython instead of wasm.")
@click.option("--fund", multiple=True, metavar="PK=AMOUNT", help="--mock-rollup: genesis allocation (repeatable).")
@click.option("--block-time", default=0.5, show_default=True, help="--mock-rollup: seconds between levels.")
@click.option("--max-lag", default=64, show_default=True, help="Pre-blocks posted ahead of the kernel at most.")
@click.option("--hints/--no-hints", default=True, show_default=True,
              help="Append x(R) hints to the posted pre-blocks: 32 bytes per transaction that spare the kernel a "
                   "square root per signature (FORMATS.md §1.5), about 16 µs of CPU each here.")
@click.option("--resubmit-after", default=5.0, show_default=True,
              help="Seconds of DSN commits without a held transaction before it is submitted again.")
@click.option("--da", type=click.Choice(["auto", "dal", "inbox"]), default="auto", show_default=True,
              help="How pre-blocks reach the rollup: DAL slots, the L1 inbox, or auto (the DAL when "
                   "GET <dal-node>/protocol_parameters answers, else the inbox).")
@click.option("--dal-node", help="DAL node RPC (octez-dal-node run --operator-profiles=<slots>); default: the "
                                 "rollup node's URL (`dsn rollup node` serves a local DAL node there).")
@deprecated_alias("--l1-endpoint", "--rpc", "l1_endpoint")
@click.option("--rpc", "l1_endpoint", help="L1 node RPC for POST /injection/operation; default: the rollup node's URL "
                                    "(the local L1 of `dsn rollup node`).")
@click.option("--dal-slots", default="0", show_default=True, metavar="I,J,…",
              help="Slot indices to publish in (one slot each per L1 block); the kernel's /dal/slots must list them.")
@click.option("--publisher-key", "publisher_keys", multiple=True, metavar="FILE|edsk…",
              help="Key that signs dal_publish_commitment (its tz1 must be in the kernel's /dal/publishers); "
                   "repeatable: one manager operation per key and L1 block, the slots split among the keys in "
                   "contiguous runs. Default: <data-dir>/dal-publisher.key, created on first use.")
@click.option("--metrics-port", type=click.IntRange(0, 65535), default=None,
              help="Also serve Prometheus /metrics on this port of 127.0.0.1 (it is always on the API port).")
@click.option("--log-level", default="INFO", show_default=True, help="Python logging level.")
def run_cmd(host: str, port: int, data_dir: Path, rollup_url: str, dsn_tx: tuple[str, ...], dsn_export: tuple[str, ...],
            committee_dir: Path, mock_rollup: bool, mock_consensus: bool, kernel_path: Path | None, native: bool,
            fund: tuple[str, ...], block_time: float, max_lag: int, hints: bool, resubmit_after: float, da: str,
            dal_node: str | None, l1_endpoint: str | None, dal_slots: str, publisher_keys: tuple[str, ...],
            metrics_port: int | None,
            log_level: str) -> None:
    """Serve the public API and post committed pre-blocks to the rollup until SIGINT/SIGTERM."""
    from dsn.sequencer.kernel_choice import choose_kernel
    from dsn.sequencer.service import SequencerConfig, run_sequencer
    from dsn.sequencer.setup_file import parse_allocation

    logging.basicConfig(level=log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        genesis = [parse_allocation(f) for f in fund]
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--fund")
    try:
        slots = [int(s) for s in dal_slots.split(",") if s.strip()]
    except ValueError:
        raise click.BadParameter(f"expected comma-separated slot indices, got {dal_slots!r}", param_hint="--dal-slots")
    kernel = None
    if mock_rollup:
        kernel = choose_kernel(native, kernel_path)
        if kernel.native is not None and not native:
            click.secho(f"WARNING: running the NATIVE kernel: {kernel.note}", fg="red", bold=True, err=True)
        else:
            click.echo(f"kernel: {kernel.note}", err=True)
    cfg = SequencerConfig(data_dir=data_dir, host=host, port=port, rollup_url=rollup_url, dsn_tx=list(dsn_tx),
                          dsn_export=list(dsn_export), committee_dir=committee_dir, mock_rollup=mock_rollup,
                          mock_consensus=mock_consensus, kernel=kernel, genesis=genesis, block_time=block_time,
                          max_lag=max_lag, hints=hints, resubmit_after=resubmit_after, da=da, dal_node=dal_node,
                          l1_endpoint=l1_endpoint, dal_slots=slots, publisher_keys=list(publisher_keys),
                          metrics_port=metrics_port)

    async def main() -> None:
        task = asyncio.current_task()
        assert task is not None
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, task.cancel)
        try:
            await run_sequencer(cfg, lambda bound: click.echo(f"sequencer listening on http://{host}:{bound}", err=True))
        except asyncio.CancelledError:
            click.echo("sequencer stopped", err=True)

    from pvm_host.rollup_client import RollupRpcError

    try:
        asyncio.run(main())
    except (TimeoutError, RuntimeError, ValueError, OSError, RollupRpcError) as exc:
        raise click.ClickException(f"{type(exc).__name__}: {exc}")


@sequencer_group.command("setup-file")
@click.option("--committee-dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=FIXTURES / "4", show_default=True, help="Directory holding the DSN's committee.json.")
@click.option("--fund", multiple=True, metavar="PK=AMOUNT", help="Genesis allocation of the native asset (repeatable).")
@click.option("--dal-publisher", multiple=True, metavar="TZ1",
              help="Address whose DAL slots the kernel imports (/dal/publishers; repeatable).")
@click.option("--dal-slots", default="0", show_default=True, metavar="I,J,…",
              help="With --dal-publisher: the slot indices the kernel imports (/dal/slots).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("setup.json"),
              show_default=True, help="Setup file to write (for `dsn rollup node --setup`).")
def setup_file_cmd(committee_dir: Path, fund: tuple[str, ...], dal_publisher: tuple[str, ...], dal_slots: str,
                   output: Path) -> None:
    """Write the rollup setup file: the DSN committee (/setup/committee) and genesis allocations (/setup/genesis)."""
    from dsn.config import CommitteeFile
    from dsn.sequencer.setup_file import parse_allocation, write_setup_file

    try:
        genesis = [parse_allocation(f) for f in fund]
        committee = CommitteeFile.from_json((committee_dir / "committee.json").read_text())
        slots = [int(s) for s in dal_slots.split(",") if s.strip()]
        write_setup_file(output, committee.committee(), genesis, list(dal_publisher), slots)
    except (ValueError, OSError) as exc:
        raise click.ClickException(str(exc))
    click.echo(f"wrote {output}: committee of {len(committee.authorities)} (epoch {committee.epoch}), "
               f"{len(genesis)} genesis allocation(s)")
