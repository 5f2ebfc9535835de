"""A real Prometheus server scraping a :class:`~dsn.sequencer.stack.LocalStack` (``dsn demo --prometheus``).

Needs the ``prometheus`` binary (Debian: ``apt-get install prometheus``; optional, nothing else uses
it). It runs as a child of the stack (stopped with it), listens on loopback, keeps its data in
``<base>/prometheus`` and scrapes every second: job ``sequencer``, job ``rollup_node`` and job
``dsn`` (one target per node, on its metrics port).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import urllib.parse
import urllib.request

from dsn.config import METRICS_PORT_OFFSET
from dsn.sequencer.stack import LocalStack, free_port, wait_http


def scrape_config(stack: LocalStack) -> str:
    """``prometheus.yml`` for the stack's services (JSON is valid YAML)."""
    dsn = [f"127.0.0.1:{a.node_port + METRICS_PORT_OFFSET}" for a in stack.committee().authorities]
    jobs = [("sequencer", [f"127.0.0.1:{stack.sequencer_port}"]), ("rollup_node", [f"127.0.0.1:{stack.rollup_port}"]),
            ("dsn", dsn)]
    return json.dumps({
        "global": {"scrape_interval": "1s", "evaluation_interval": "5s"},
        "scrape_configs": [{"job_name": job, "static_configs": [{"targets": targets}]} for job, targets in jobs],
    }, indent=2) + "\n"


def start_prometheus(stack: LocalStack, port: int = 0) -> str:
    """Start Prometheus for ``stack`` (registered as its process ``prometheus``); return its URL.
    Raises ``RuntimeError`` when the binary is missing or it does not come up."""
    binary = shutil.which("prometheus")
    if binary is None:
        raise RuntimeError("the prometheus binary is not installed (Debian: apt-get install prometheus)")
    config = stack.base_dir / "prometheus.yml"
    config.write_text(scrape_config(stack))
    port = port or free_port()
    log_path = stack.base_dir / "logs" / "prometheus.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:
        proc = subprocess.Popen([binary, f"--config.file={config}", f"--storage.tsdb.path={stack.base_dir / 'prometheus'}",
                                 f"--web.listen-address=127.0.0.1:{port}"], stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    stack.procs["prometheus"] = proc
    url = f"http://127.0.0.1:{port}"
    wait_http(url + "/-/ready", 60, proc)
    return url


def query(url: str, expr: str) -> list[dict]:
    """The result vector of an instant PromQL query."""
    with urllib.request.urlopen(f"{url}/api/v1/query?query={urllib.parse.quote(expr)}", timeout=10) as resp:
        body = json.load(resp)
    if body.get("status") != "success":
        raise RuntimeError(f"query {expr!r} failed: {body}")
    return list(body["data"]["result"])


def wait_all_up(url: str, targets: int, timeout: float = 30.0) -> None:
    """Wait until ``targets`` targets were scraped successfully (``up == 1``)."""
    deadline = time.monotonic() + timeout
    while True:
        up = [r for r in query(url, "up") if r["value"][1] == "1"]
        if len(up) >= targets:
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {len(up)} of {targets} targets up after {timeout:.0f} s (see {url}/targets)")
        time.sleep(0.5)
