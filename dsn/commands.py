"""The DSN's commands: ``net up``, ``net down``, ``node init``, ``node run``, ``committee assemble``,
``listen``, ``spam`` (registered in dsn/cli.py)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from pvm_host.cli_options import deprecated_alias


def _parse_params(values: tuple[str, ...]) -> dict:
    """``KEY=VALUE`` protocol parameters (checked against :class:`dsn.config.Parameters`)."""
    from dsn.config import Parameters

    out = {}
    for v in values:
        key, sep, value = v.partition("=")
        if not sep or not value.isdigit():
            raise click.BadParameter(f"expected KEY=INTEGER, got {v!r}", param_hint="--param")
        out[key] = int(value)
    try:
        Parameters.from_dict(out)
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--param")
    return out


@click.command("up")
@click.option("-n", "--nodes", default=7, show_default=True, help="Number of nodes.")
@click.option("--data-dir", "base_dir", default=".dsn", show_default=True, type=click.Path(path_type=Path),
              help="Directory for the committee, keys, stores, logs and pids.")
@deprecated_alias("--base-dir", "--data-dir", "base_dir")
@click.option("--port-base", default=64000, show_default=True,
              help="Node N listens on PORT_BASE + 10·N + 0 (nodes), 1 (export), 2 (transactions), 3 (metrics).")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE",
              help="Protocol parameter override for a new network (e.g. min_header_delay_ms=200).")
@click.option("--fixture-keys", is_flag=True,
              help="A new network uses the committed PUBLIC test keys of fixtures/committee/N (default: fresh keys).")
def net_up(nodes: int, base_dir: Path, port_base: int, params: tuple[str, ...], fixture_keys: bool) -> None:
    """Start a local network of node processes; returns once every node listens."""
    from dsn import launcher
    from dsn.ports import overlaps_ephemeral

    inside = overlaps_ephemeral([port_base + 10 * n + k for n in (1, nodes) for k in (0, 3)])
    if inside:
        click.echo(f"warning: ports {inside} lie in this machine's ephemeral port range; an outgoing "
                   "connection may hold them (pick a --port-base outside it)", err=True)
    click.echo(f"starting {nodes} nodes in {base_dir} ...", err=True)
    try:
        pids = launcher.up(base_dir, nodes, port_base, _parse_params(params) or None, fixture_keys=fixture_keys)
    except RuntimeError as e:
        raise click.ClickException(str(e))
    for n, pid in pids.items():
        click.echo(f"node{n}: pid {pid}")


@click.command("down")
@click.option("--data-dir", "base_dir", default=".dsn", show_default=True, type=click.Path(path_type=Path),
              help="Directory given to `dsn net up`.")
@deprecated_alias("--base-dir", "--data-dir", "base_dir")
def net_down(base_dir: Path) -> None:
    """Stop the processes started by `dsn net up` (by their recorded pids)."""
    from dsn import launcher

    pids = launcher.down(base_dir)
    click.echo(f"stopped {len(pids)} node(s)" + (f": {' '.join(map(str, pids))}" if pids else ""))


@click.command("run")
@click.option("--config", "config_path", required=True, type=click.Path(exists=True, path_type=Path),
              help="Node configuration (JSON: committee file, secret key file, store, parameters).")
@click.option("--committee", "committee_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Committee file to use instead of the configuration's (e.g. from `dsn committee assemble`).")
@click.option("--log-level", default="INFO", show_default=True, help="Python logging level.")
@click.option("--metrics-port", type=click.IntRange(0, 65535), default=None,
              help="Serve Prometheus /metrics on this port (0: any free port); overrides metrics_port of the config.")
@click.option("--metrics-host", default=None, help="Address for /metrics (default: the config's, else 127.0.0.1).")
def node_run(config_path: Path, committee_path: Path | None, log_level: str, metrics_port: int | None,
             metrics_host: str | None) -> None:
    """Run one node (primary + worker + consensus + gRPC APIs) until SIGTERM/SIGINT."""
    import asyncio
    import dataclasses
    import logging

    from dsn.config import load_node_config
    from dsn.node import run_node

    logging.basicConfig(level=log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        cfg = load_node_config(config_path, committee_path)
    except (OSError, ValueError, KeyError) as e:
        raise click.ClickException(f"bad configuration {config_path}: {e}")
    if metrics_port is not None:
        cfg = dataclasses.replace(cfg, metrics_port=metrics_port)
    if metrics_host is not None:
        cfg = dataclasses.replace(cfg, metrics_host=metrics_host)
    try:
        clean = asyncio.run(run_node(cfg))
    except OSError as e:
        raise click.ClickException(f"{cfg.me.name}: {e}")
    if not clean:
        raise click.ClickException(f"{cfg.me.name} stopped after an internal error (see the log above)")


@click.command("init")
@click.option("--name", required=True, help="This authority's name in the committee (e.g. acme-1).")
@click.option("--host", required=True, help="Address peers and clients reach this node at (IP or DNS name); "
              "the node also listens on it.")
@click.option("--ports", "ports_text", default="64010", show_default=True,
              help="NODE,EXPORT,TX ports, or one BASE for BASE, BASE+1, BASE+2.")
@click.option("--stake", default=1000, show_default=True, help="Voting stake (> 0).")
@deprecated_alias("--dir", "--data-dir", "directory")
@click.option("--data-dir", "directory", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Node folder for the key, configuration and store  [default: .dsn/NAME]")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE",
              help="Protocol parameter override in the node configuration (all members should agree).")
def node_init(name: str, host: str, ports_text: str, stake: int, directory: Path | None,
              params: tuple[str, ...]) -> None:
    """Create this operator's node: secret key (mode 600 in a 700 folder), node configuration and
    the public descriptor to send to whoever assembles the committee."""
    from dsn.operator import init_node, parse_ports
    from dsn.ports import overlaps_ephemeral

    try:
        ports = parse_ports(ports_text)
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--ports")
    try:
        result = init_node(directory or Path(".dsn") / name, name, host, ports, stake, _parse_params(params) or None)
    except (ValueError, OSError) as e:
        raise click.ClickException(str(e))
    inside = overlaps_ephemeral(list(ports))
    if inside:
        click.echo(f"warning: ports {inside} lie in this machine's ephemeral port range; an outgoing "
                   "connection may hold them (pick ports outside it)", err=True)
    click.echo(f"secret key   {result.key} (keep it here: never copy or send it)")
    click.echo(f"descriptor   {result.descriptor} (public: send it to the committee's assembler)")
    click.echo(f"public key   {result.authority.public_key.hex()}")
    click.echo(f"open ports   {ports[0]}/tcp (peers), {ports[1]}/tcp (export), {ports[2]}/tcp (transactions)")
    click.echo(f"then         put the assembled committee.json in {result.directory} and run "
               f"`dsn node run --config {result.config}`")


@click.group("committee")
def committee_group() -> None:
    """Assemble a committee from the operators' descriptors."""


@committee_group.command("assemble")
@click.argument("descriptors", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("committee.json"),
              show_default=True, help="Committee file to write (every node runs with the same one).")
@click.option("--epoch", default=0, show_default=True,
              help="Committee epoch: 0 for a new rollup; above the rollup's latest one for a governance change.")
@click.option("--gc-depth", default=50, show_default=True, help="Garbage-collection depth in rounds.")
@click.option("--force", is_flag=True, help="Replace an existing output file.")
def committee_assemble(descriptors: tuple[Path, ...], output: Path, epoch: int, gc_depth: int, force: bool) -> None:
    """Check the DESCRIPTORS (keys, stakes, hosts, ports, duplicates) and write the committee,
    ordered by public key; also writes its kernel encoding (FORMATS §1.1) next to it (.bin)."""
    from dsn import codec
    from dsn.operator import AssemblyError, assemble

    texts, problems = [], []
    for p in descriptors:
        try:
            texts.append((str(p), p.read_text()))
        except (OSError, UnicodeDecodeError) as e:
            problems.append(f"{p}: cannot read ({e})")
    if len(set(p.resolve() for p in descriptors)) != len(descriptors):
        problems.append("the same descriptor file is given twice")
    try:
        if problems:
            raise AssemblyError(problems)
        committee, warnings = assemble(texts, epoch, gc_depth)
    except AssemblyError as e:
        raise click.ClickException(f"{len(e.problems)} problem(s) in the descriptors:\n  " + "\n  ".join(e.problems))
    encoded_path = output.with_suffix(".bin")
    for path in (output, encoded_path):
        if path.exists() and not force:
            raise click.ClickException(f"{path} exists (pass --force to replace it)")
    for w in warnings:
        click.echo(f"warning: {w}", err=True)
    output.write_text(committee.to_json())
    encoded = codec.encode_committee(committee.committee())
    encoded_path.write_bytes(encoded)
    c = committee.committee()
    click.echo(f"wrote {output}: epoch {committee.epoch}, {len(committee.authorities)} authorities, total stake "
               f"{codec.total_stake(c)} (quorum {codec.quorum_threshold(c)}, validity {codec.validity_threshold(c)})")
    for i, a in enumerate(committee.authorities):
        click.echo(f"  {i}: {a.name} {a.host}:{a.node_port}/{a.export_port}/{a.tx_port} stake {a.stake} "
                   f"{a.public_key.hex()[:16]}…")
    click.echo(f"wrote {encoded_path}: the committee encoding for the rollup "
               f"(`dsn rollup governance call --message-file {encoded_path}`)")


@click.command("listen")
@click.option("--dsn-export", "endpoint", default="127.0.0.1:64011", show_default=True,
              help="DSN node's export API (host:port).")
@deprecated_alias("--endpoint", "--dsn-export", "endpoint")
@click.option("--from-id", default=0, show_default=True, help="Last pre-block already seen (exclusive start).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per pre-block.")
@click.option("--count", type=int, default=None, help="Stop after this many pre-blocks.")
@click.option("--empty/--no-empty", default=True, show_default=True, help="Also print pre-blocks without transactions.")
def listen(endpoint: str, from_id: int, as_json: bool, count: int | None, empty: bool) -> None:
    """Print index, transactions, bytes, average latency and rounds of each pre-block."""
    import grpc

    from dsn.client import Client
    from dsn.listen import preblock_stats

    seen = 0
    last = from_id
    while count is None or seen < count:
        client = Client(endpoint)
        try:
            for encoded in client.preblocks(last):
                stats = preblock_stats(encoded)
                last = stats.index
                seen += 1
                if empty or stats.num_txs:
                    click.echo(json.dumps(stats.as_dict()) if as_json else stats.line())
                    sys.stdout.flush()
                if count is not None and seen >= count:
                    break
        except grpc.RpcError as e:
            click.echo(f"export stream error ({e.code().name}); reconnecting in 1 s", err=True)
            time.sleep(1)
        finally:
            client.close()


@click.command("spam")
@click.option("--dsn", "endpoint", default="127.0.0.1:64012", show_default=True,
              help="DSN node's transaction API (host:port).")
@deprecated_alias("--endpoint", "--dsn", "endpoint")
@click.option("--sleep", "sleep_ms", type=float, default=None, help="Send one transaction every MS milliseconds.")
@click.option("--rate", type=float, default=None, help="Send about TPS transactions per second (in bulk).")
@click.option("--size", default=512, show_default=True, help="Transaction size in bytes (≥ 16).")
@click.option("--count", type=int, default=None, help="Stop after N transactions.")
@click.option("--duration", type=float, default=None, help="Stop after S seconds.")
def spam(endpoint: str, sleep_ms: float | None, rate: float | None, size: int, count: int | None,
         duration: float | None) -> None:
    """Send transactions prefixed with a 16-byte big-endian Unix-millisecond timestamp."""
    import grpc

    from dsn.client import Client
    from dsn.spam import spam as run_spam

    if (sleep_ms is None) == (rate is None):
        raise click.UsageError("give exactly one of --sleep and --rate")
    if size < 16:
        raise click.UsageError("--size must be at least 16")
    client = Client(endpoint)
    try:
        sent = run_spam(client, size, rate, sleep_ms, count, duration,
                        lambda n, t: click.echo(f"{n} transactions in {t:.0f} s ({n / t:.0f} tx/s)", err=True))
    except grpc.RpcError as e:
        raise click.ClickException(f"{endpoint}: {e.code().name}: {e.details()}")
    finally:
        client.close()
    click.echo(f"sent {sent} transactions")
