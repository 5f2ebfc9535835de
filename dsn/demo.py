"""``dsn demo`` (``make demo``): the whole system on this machine, end to end.

Builds the kernel (compiled to wasm; the native kernel if the compiler cannot, said loudly), starts
a local rollup node (setup: the DSN committee and a genesis allocation for the demo keys), an
N-node DSN and the sequencer; creates an asset, mints it, sends a burst of signed transfers and
sequencer messages, shows them applied by the kernel (balances checked against a local model,
heights, submission-to-application latency), then stops everything it started.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from pathlib import Path

import click
from nacl.signing import SigningKey
from rich.console import Console
from rich.table import Table

from dsn.sequencer.kernel_choice import choose_kernel
from dsn.sequencer.stack import LocalStack, free_port_base
from dsn.token import txbuild
from dsn.token.client import SequencerClient
from pvm_host.cli_options import deprecated_alias

NATIVE = bytes(32)
GENESIS = 1_000_000_000
DEMO_NAMES = ["alice", "bob", "carol", "dave"]


def demo_key(name: str) -> SigningKey:
    """Deterministic demo keys (public test keys: never hold value with them)."""
    return SigningKey(name.encode().ljust(32, b"\x00"))


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


class Ledger:
    """The expected native/asset balances, to check the kernel's."""

    def __init__(self) -> None:
        self.balances: dict[tuple[bytes, bytes], int] = {}

    def add(self, owner: bytes, asset: bytes, amount: int) -> None:
        self.balances[(owner, asset)] = self.balances.get((owner, asset), 0) + amount


def run_demo(console: Console, nodes: int, base_dir: Path, burst: int, messages: int, native: bool,
             prometheus: bool = False) -> bool:
    """Run the demo in ``base_dir`` (with ``prometheus``, a real Prometheus scraping every service);
    True when every check passed."""
    keys = {n: demo_key(n) for n in DEMO_NAMES}
    pks = {n: bytes(k.verify_key) for n, k in keys.items()}
    t0 = time.monotonic()
    with console.status("building the kernel (kernel_py → wasm) ..."):
        kernel = choose_kernel(prefer_native=native, out=base_dir / "kernel.wasm")
    if kernel.wasm is None and not native:
        console.print(f"[bold red]WARNING: the wasm kernel could not be built: {kernel.note}\n"
                      f"         FALLING BACK TO THE NATIVE kernel_py KERNEL (CPython).[/]")
    else:
        console.print(f"[green]✓[/] kernel: {kernel.note}")
    stack = LocalStack(base_dir, nodes=nodes, dsn_port_base=free_port_base(nodes),
                       say=lambda m: console.print(f"[green]✓[/] {m}"))
    try:
        with console.status("starting the rollup node ..."):
            stack.start_rollup(kernel, [(pks["alice"], GENESIS), (pks["bob"], GENESIS)])
        with console.status(f"starting {nodes} DSN nodes ..."):
            stack.start_dsn()
        with console.status("starting the sequencer ..."):
            stack.start_sequencer()
        console.print(f"  logs in {base_dir / 'logs'}; API at {stack.sequencer_url} (try `dsn token --sequencer "
                      f"{stack.sequencer_url} watch` while it runs)")
        prometheus_url = _start_prometheus(console, stack) if prometheus else None
        ok = _scenario(console, SequencerClient(stack.sequencer_url), keys, pks, burst, messages, t0)
        if prometheus_url is not None:
            _show_prometheus(console, prometheus_url)
        return ok
    finally:
        with console.status("stopping everything the demo started ..."):
            stack.stop()
        console.print(f"[green]✓[/] stopped the sequencer, {nodes} DSN nodes and the rollup node")


def _scenario(console: Console, client: SequencerClient, keys: dict[str, SigningKey], pks: dict[str, bytes],
              burst: int, messages: int, t0: float) -> bool:
    rollup = bytes.fromhex(client.health()["rollup_address"])
    ledger = Ledger()
    ledger.add(pks["alice"], NATIVE, GENESIS)
    ledger.add(pks["bob"], NATIVE, GENESIS)
    nonces = {n: 0 for n in keys}

    def sign(name: str, action: bytes) -> bytes:
        tx = txbuild.sign_tx(keys[name], rollup, nonces[name], action)
        nonces[name] += 1
        return tx

    with console.status("alice creates an asset ..."):
        created = client.wait_tx(client.broadcast(sign("alice", txbuild.create_asset(b"DEMO GOLD"))))
    asset = bytes.fromhex(created["tx_id"])
    console.print(f"[green]✓[/] create-asset: {created['status']} in block {created['block']}, asset {asset.hex()[:16]}…")
    with console.status("alice mints 1,000,000 to bob ..."):
        minted = client.wait_tx(client.broadcast(sign("alice", txbuild.mint_asset(pks["bob"], asset, 1_000_000))))
    ledger.add(pks["bob"], asset, 1_000_000)
    console.print(f"[green]✓[/] mint-asset: {minted['status']} in block {minted['block']}")

    rng = random.Random(7)
    txs, chain = [], b"demo-chain"
    for i in range(burst):
        sender = rng.choice(["alice", "bob"])
        to = rng.choice([n for n in DEMO_NAMES if n != sender])
        asset_id = asset if sender == "bob" and i % 3 == 0 else NATIVE
        amount = rng.randrange(1, 1000)
        txs.append(sign(sender, txbuild.transfer(pks[to], asset_id, amount)))
        ledger.add(pks[sender], asset_id, -amount)
        ledger.add(pks[to], asset_id, amount)
    for i in range(messages):
        txs.append(sign("carol", txbuild.sequencer_msg(pks["carol"], f"message {i}".encode(), chain)))
    head_before = client.head()
    sent_at = time.time()
    ids = []
    for i in range(0, len(txs), 100):
        ids += [r["tx_id"] for r in client.broadcast_many(txs[i:i + 100])]
    submit_s = time.time() - sent_at
    console.print(f"[green]✓[/] submitted a burst of {burst} transfers and {messages} sequencer messages "
                  f"in {submit_s:.2f} s")
    pending = set(ids)
    results: dict[str, dict] = {}
    with console.status("") as status:
        deadline = time.monotonic() + 180
        while pending and time.monotonic() < deadline:
            for tx_id in list(pending):
                r = client.tx(tx_id)
                if r is not None and r.get("status") in ("applied", "failed", "rejected"):
                    results[tx_id] = r
                    pending.discard(tx_id)
            head = client.head()
            status.update(f"waiting for the kernel: {len(results)}/{len(ids)} applied, kernel at block {head['index']}, "
                          f"rollup level {head['rollup_level']}")
            time.sleep(0.3)
    applied_s = max((r["applied_ms"] for r in results.values()), default=0) / 1000 - sent_at
    head = client.head()
    ok = not pending and all(r["status"] == "applied" for r in results.values())
    latencies = [r["latency_ms"] for r in results.values() if "latency_ms" in r]
    commits = [r["commit_latency_ms"] for r in results.values() if "commit_latency_ms" in r]
    blocks = sorted({r["block"] for r in results.values()})

    summary = Table(title="applied by the kernel", show_header=False)
    summary.add_row("transactions applied", f"{sum(r['status'] == 'applied' for r in results.values())} / {len(ids)}")
    summary.add_row("kernel blocks", f"{head_before['index']} → {head['index']} (burst in blocks {blocks[0] if blocks else '-'}"
                    f"…{blocks[-1] if blocks else '-'})")
    summary.add_row("rollup level", str(head["rollup_level"]))
    summary.add_row("state root", str(head["root"]))
    summary.add_row("kernel rejections", str(head["rejections"]))
    mode = head.get("sequencer", {}).get("mode", {})
    summary.add_row("DA path", {"dal": "DAL slots (Dal_attested_slots → reveal)", "inbox": "L1 inbox messages"}.get(
        mode.get("da", ""), str(mode.get("da", "?"))))
    if commits:
        summary.add_row("submission → DSN commit (pre-confirmation)",
                        f"p50 {_percentile(commits, 50):.0f} ms, p95 {_percentile(commits, 95):.0f} ms, "
                        f"max {max(commits):.0f} ms")
    if latencies:
        summary.add_row("submission → applied by the kernel",
                        f"p50 {_percentile(latencies, 50):.0f} ms, p95 {_percentile(latencies, 95):.0f} ms, "
                        f"max {max(latencies):.0f} ms (mean {statistics.mean(latencies):.0f} ms)")
        summary.add_row("throughput", f"{len(ids) / max(applied_s, 1e-3):.0f} tx/s (burst submitted → last applied in "
                        f"{applied_s:.2f} s)")
    console.print(summary)

    per_block = Table(title="kernel blocks of the burst")
    for col in ("block", "txs", "applied", "leader round", "state root"):
        per_block.add_column(col)
    for index in blocks:
        block = client.block(index) or {}
        per_block.add_row(str(index), str(block.get("tx_count", "?")),
                          str(sum(r["status"] == "applied" for r in block.get("results", []))),
                          str(block.get("leader_round", "?")), str(block.get("root", "?"))[:24] + "…")
    console.print(per_block)

    balances = Table(title="balances (kernel vs expected)")
    for col in ("account", "asset", "kernel", "expected", ""):
        balances.add_column(col)
    for name in DEMO_NAMES:
        account = client.account(pks[name])
        for asset_id, label in ((NATIVE, "TKN"), (asset, "DEMO GOLD")):
            got = account["balances"].get(asset_id.hex(), 0)
            want = ledger.balances.get((pks[name], asset_id), 0)
            ok &= got == want
            balances.add_row(name, label, f"{got:,}", f"{want:,}", "[green]✓[/]" if got == want else "[red]✗[/]")
    console.print(balances)
    msgs = client.messages(chain, 0, 1000)
    ok &= msgs["count"] == messages
    console.print(f"{'[green]✓[/]' if msgs['count'] == messages else '[red]✗[/]'} sequencer messages for chain "
                  f"{chain.decode()!r}: {msgs['count']} (last: {bytes.fromhex(msgs['messages'][-1]['data']).decode() if msgs['messages'] else '-'})")
    console.print(f"total demo time {time.monotonic() - t0:.1f} s")
    return ok


def _start_prometheus(console: Console, stack: LocalStack) -> str:
    from dsn.prometheus import start_prometheus, wait_all_up

    with console.status("starting Prometheus ..."):
        url = start_prometheus(stack)
        wait_all_up(url, stack.nodes + 2)
    console.print(f"[green]✓[/] Prometheus on {url} scrapes the sequencer, the rollup node and {stack.nodes} DSN nodes "
                  f"every second (try {url}/graph while it runs)")
    return url


def _show_prometheus(console: Console, url: str) -> None:
    from dsn.prometheus import query

    time.sleep(2)  # a scrape after the last results
    table = Table(title=f"read back from Prometheus ({url})")
    table.add_column("PromQL")
    table.add_column("value", justify="right")
    for expr in ["sum(dsn_commits_total)", "max(dsn_round)", "sum(dsn_transactions_received_total)",
                 "sequencer_preblocks_posted_total", "sequencer_posted_transactions_total",
                 "sum(sequencer_http_requests_total)", "rollup_node_level", "rollup_node_inbox_messages_total",
                 "histogram_quantile(0.5, sum by (le) (rate(dsn_commit_latency_seconds_bucket[1m])))"]:
        result = query(url, expr)
        table.add_row(expr, ", ".join(f"{float(r['value'][1]):,.3g}" for r in result) or "-")
    console.print(table)


@click.command("demo")
@click.option("--nodes", default=4, show_default=True, type=click.Choice(["4", "7"]), help="DSN committee size.")
@deprecated_alias("--base-dir", "--data-dir", "base_dir")
@click.option("--data-dir", "base_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Working directory (default: a fresh temporary directory, removed afterwards).")
@click.option("--burst", default=500, show_default=True, help="Signed transfers in the burst.")
@click.option("--messages", default=20, show_default=True, help="Sequencer messages in the burst.")
@click.option("--native", is_flag=True, help="Run kernel_py natively instead of compiling it to wasm.")
@click.option("--prometheus", is_flag=True,
              help="Also run a real Prometheus scraping every service (needs the prometheus binary).")
def demo_cmd(nodes: str, base_dir: Path | None, burst: int, messages: int, native: bool, prometheus: bool) -> None:
    """Build the kernel, start rollup node + DSN + sequencer, send transactions, show them applied, stop."""
    console = Console()
    console.rule("DSN rollup demo")
    if base_dir is None:
        with tempfile.TemporaryDirectory(prefix="dsn-demo-") as tmp:
            ok = run_demo(console, int(nodes), Path(tmp), burst, messages, native, prometheus)
    else:
        base_dir.mkdir(parents=True, exist_ok=True)
        ok = run_demo(console, int(nodes), base_dir, burst, messages, native, prometheus)
    console.rule("[green]demo passed[/]" if ok else "[red]demo FAILED[/]")
    if not ok:
        raise SystemExit(1)
