"""A local network: generate or copy a committee, start one ``dsn node run`` process per node, stop them."""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from nacl.signing import SigningKey

from dsn.config import CommitteeFile, local_committee, read_key, write_network

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "committee"
DEFAULT_PORT_BASE = 64000
PIDS_FILE = "pids"
PARENT_ENV = "DSN_EXIT_WITH_PARENT"  # pid of the process a child must not outlive


def network_keys(n: int, fixture_keys: bool = False) -> list[SigningKey]:
    """Fresh keys, or with ``fixture_keys`` the committed (public) test keys of ``fixtures/committee/N``."""
    if not fixture_keys:
        return [SigningKey.generate() for _ in range(n)]
    fixture = FIXTURES / str(n)
    if not (fixture / "committee.json").exists():
        raise RuntimeError(f"no fixture keys for {n} nodes (there are: "
                           f"{', '.join(sorted(p.name for p in FIXTURES.iterdir()))})")
    return [read_key(fixture / f"node-{i}.key") for i in range(1, n + 1)]


def prepare(base_dir: Path, n: int, port_base: int = DEFAULT_PORT_BASE, parameters: dict | None = None,
            gc_depth: int = 50, fixture_keys: bool = False, limits: dict | None = None) -> list[Path]:
    """Write the committee, keys (fresh unless ``fixture_keys``; mode 600 in a 700 directory) and node
    configurations of an ``n``-node local network."""
    keys = network_keys(n, fixture_keys)
    committee = local_committee(keys, port_base=port_base, gc_depth=gc_depth)
    return write_network(base_dir, committee, keys, parameters, limits)


def exit_with_parent() -> None:
    """In the child before exec: SIGKILL when the parent process dies (Linux prctl PR_SET_PDEATHSIG).
    As a ``preexec_fn`` it can hang the child if the parent runs threads (gRPC): for ``python -m dsn``
    children prefer :func:`exit_with_parent_env`."""
    ctypes.CDLL(None).prctl(1, signal.SIGKILL)


def exit_with_parent_env() -> dict[str, str]:
    """The environment for a ``python -m dsn …`` child that must not outlive this process: the child
    calls :func:`exit_with_parent_from_env` after exec, so no code runs between fork and exec."""
    return dict(os.environ, **{PARENT_ENV: str(os.getpid())})


def exit_with_parent_from_env() -> None:
    """In a process started with :func:`exit_with_parent_env`: SIGKILL when the parent dies, and exit
    at once if it died already."""
    parent = os.environ.pop(PARENT_ENV, None)
    if parent is None or sys.platform != "linux":
        return
    ctypes.CDLL(None).prctl(1, signal.SIGKILL)
    if os.getppid() != int(parent):
        os._exit(1)


def start_node(config: Path, log_path: Path, die_with_parent: bool = False) -> subprocess.Popen:
    """Start ``dsn node run --config CONFIG`` in its own session, logging to ``log_path``; with
    ``die_with_parent`` (tests, benchmarks) it cannot outlive the process that started it."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:
        return subprocess.Popen([sys.executable, "-m", "dsn", "node", "run", "--config", str(config)],
                                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True, env=exit_with_parent_env() if die_with_parent else None)


def wait_listening(host: str, ports: list[int], timeout: float, process: subprocess.Popen | None = None) -> bool:
    """Whether every port accepts connections within ``timeout`` (and ``process`` is still running)."""
    deadline = time.monotonic() + timeout
    pending = list(ports)
    while pending and time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            return False
        try:
            with socket.create_connection((host, pending[0]), timeout=0.5):
                pending.pop(0)
        except OSError:
            time.sleep(0.1)
    return not pending


def read_pids(base_dir: Path) -> dict[int, int]:
    path = base_dir / PIDS_FILE
    if not path.exists():
        return {}
    out = {}
    for line in path.read_text().split("\n"):
        if line.strip():
            n, pid = line.split()
            out[int(n)] = int(pid)
    return out


def is_our_node(pid: int) -> bool:
    """Whether ``pid`` is alive and a ``dsn node run`` process (pids can be reused)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return b"node" in cmdline and b"run" in cmdline and b"dsn" in cmdline


def up(base_dir: Path, n: int, port_base: int, parameters: dict | None, timeout: float = 90,
       die_with_parent: bool = False, fixture_keys: bool = False) -> dict[int, int]:
    """Start the network (reusing ``base_dir``'s committee and stores if present); return node → pid.

    A new network gets fresh keys unless ``fixture_keys``. With ``die_with_parent`` the nodes cannot
    outlive the calling process (demo, tests)."""
    running = {k: p for k, p in read_pids(base_dir).items() if is_our_node(p)}
    if running:
        raise RuntimeError(f"a network is already running from {base_dir} (pids {sorted(running.values())})")
    committee_path = base_dir / "committee.json"
    if committee_path.exists():
        committee = CommitteeFile.from_json(committee_path.read_text())
        if len(committee.authorities) != n:
            raise RuntimeError(f"{base_dir} holds a {len(committee.authorities)}-node network; "
                               f"remove it or pass -n {len(committee.authorities)}")
        configs = [base_dir / f"node-{i}.json" for i in range(1, n + 1)]
    else:
        configs = prepare(base_dir, n, port_base, parameters, fixture_keys=fixture_keys)
        committee = CommitteeFile.from_json(committee_path.read_text())
    procs = {i: start_node(cfg, base_dir / "logs" / f"node-{i}.log", die_with_parent)
             for i, cfg in enumerate(configs, start=1)}
    pids = {i: p.pid for i, p in procs.items()}
    (base_dir / PIDS_FILE).write_text("".join(f"{i} {p}\n" for i, p in pids.items()))
    for i, a in enumerate(committee.authorities, start=1):
        if not wait_listening(a.host, [a.node_port, a.export_port, a.tx_port], timeout, procs[i]):
            down(base_dir)
            raise RuntimeError(f"{a.name} did not come up (network stopped); see {base_dir / 'logs'}")
    return pids


def down(base_dir: Path, timeout: float = 10) -> list[int]:
    """Stop exactly the processes recorded by :func:`up` (SIGTERM, then SIGKILL); return their pids."""
    pids = [p for p in read_pids(base_dir).values() if is_our_node(p)]
    for p in pids:
        os.kill(p, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(is_our_node(p) for p in pids):
        time.sleep(0.1)
    for p in pids:
        if is_our_node(p):
            os.kill(p, signal.SIGKILL)
    (base_dir / PIDS_FILE).unlink(missing_ok=True)
    return pids
