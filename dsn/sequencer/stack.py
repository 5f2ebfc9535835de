"""A whole local system as real processes: rollup node, DSN network and sequencer (for ``dsn demo``,
the end-to-end tests and ``scripts/loadtest --pipeline``). Everything started is stopped by pid, and
also dies with the process that started it (Linux PR_SET_PDEATHSIG)."""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from dsn import launcher
from dsn.config import CommitteeFile
from dsn.sequencer.kernel_choice import KernelChoice
from dsn.sequencer.setup_file import write_setup_file
from tezos_l1 import keys


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _port_base_free(base: int, nodes: int) -> bool:
    for n in range(1, nodes + 1):
        for k in range(4):  # node, export, transactions, metrics
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", base + 10 * n + k))
                except OSError:
                    return False
    return True


def free_port_base(nodes: int, preferred: int | None = launcher.DEFAULT_PORT_BASE) -> int:
    """A DSN port base whose node ports are all free now: ``preferred`` if possible (the default base
    is the documented one), else a random one below the ephemeral port range."""
    if preferred is not None and _port_base_free(preferred, nodes):
        return preferred
    rng = random.Random()
    for _ in range(100):
        base = rng.randrange(20000, 32000, 100)
        if _port_base_free(base, nodes):
            return base
    raise RuntimeError("no free port range for the DSN")


def wait_http(url: str, timeout: float, proc: subprocess.Popen | None = None) -> None:
    """Wait until ``url`` answers 200, the process dies (RuntimeError) or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process {proc.pid} exited with {proc.returncode} before {url} answered")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")
        time.sleep(0.2)


def stop_process(proc: subprocess.Popen, timeout: float = 10.0) -> None:
    """SIGTERM, then SIGKILL after ``timeout``; only this pid."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@dataclass
class LocalStack:
    """Start with :meth:`start_rollup`, :meth:`start_dsn`, :meth:`start_sequencer`; :meth:`stop` stops all."""

    base_dir: Path
    nodes: int = 4
    dsn_port_base: int = 64000
    rollup_port: int = 0
    sequencer_port: int = 0
    dsn_params: dict = field(default_factory=lambda: {"min_header_delay_ms": 50, "max_header_delay_ms": 200,
                                                      "max_batch_delay_ms": 20})
    say: Callable[[str], None] = lambda _msg: None
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    dsn_started: bool = False
    rollup_args: list[str] = field(default_factory=list)
    da: str = "dal"  # how the sequencer posts: "dal" (slots of the rollup node's local DAL) or "inbox"
    l1_profile: str = "sandbox"  # the rollup node's local L1 (`dsn rollup node --l1-profile`)
    dal_slots: list[int] = field(default_factory=lambda: [0, 1, 2, 3])
    batcher_keys: int = 1  # the rollup node's batching keys: one add_messages operation (≤ 32,768 B) each per block
    dal_publishers: int = 1  # the sequencer's DAL publisher keys: one dal_publish_commitment operation each per block

    @property
    def publisher_keys(self) -> list[Path]:
        """The sequencer's DAL publisher keys (created with the setup file that whitelists them)."""
        return [self.base_dir / f"dal-publisher{'' if n == 0 else f'-{n + 1}'}.key" for n in range(self.dal_publishers)]

    @property
    def dsn_dir(self) -> Path:
        return self.base_dir / "dsn"

    @property
    def rollup_url(self) -> str:
        return f"http://127.0.0.1:{self.rollup_port}"

    @property
    def sequencer_url(self) -> str:
        return f"http://127.0.0.1:{self.sequencer_port}"

    def committee(self) -> CommitteeFile:
        """The DSN committee (written on first use)."""
        path = self.dsn_dir / "committee.json"
        if not path.exists():
            launcher.prepare(self.dsn_dir, self.nodes, self.dsn_port_base, self.dsn_params)
        return CommitteeFile.from_json(path.read_text())

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen:
        log_path = self.base_dir / "logs" / f"{name}.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(log_path, "ab") as log:
            proc = subprocess.Popen([sys.executable, "-m", "dsn", *args], stdout=log, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, start_new_session=True,
                                    preexec_fn=launcher.exit_with_parent if sys.platform == "linux" else None)
        self.procs[name] = proc
        return proc

    def start_rollup(self, kernel: KernelChoice, allocations: list[tuple[bytes, int]],
                     block_time: float | None = None) -> None:
        """Start the rollup node; ``block_time`` None = the L1 profile's (sandbox: 1 s, the shortest octez
        allows: ``minimal_block_delay`` is a whole number of seconds)."""
        publishers = []
        if self.da == "dal":
            for path in self.publisher_keys:
                if not path.exists():
                    keys.save(keys.generate(), path)
            publishers = [keys.load(str(path)).address for path in self.publisher_keys]
        setup = write_setup_file(self.base_dir / "setup.json", self.committee().committee(), allocations,
                                 publishers, self.dal_slots)
        args = ["rollup", "node", "--setup", str(setup), "--l1-profile", self.l1_profile,
                "--batcher-keys", str(self.batcher_keys)]
        if kernel.wasm is not None:
            kernel_path = self.base_dir / "kernel.wasm"
            kernel_path.write_bytes(kernel.wasm)
            args += ["--kernel", str(kernel_path)]
        else:
            args += ["--native", str(kernel.native)]
        self.rollup_port = self.rollup_port or free_port()
        self.rollup_args = args + ["--port", str(self.rollup_port)]
        self.restart_rollup(block_time)
        self.say(f"rollup node pid {self.procs['rollup'].pid} on {self.rollup_url} ({kernel.label} kernel)")

    def restart_rollup(self, block_time: float | None, state_dir: Path | None = None) -> None:
        """(Re)start the rollup node on its port, with its state directory (default ``rollup``)."""
        state_dir = state_dir or self.base_dir / "rollup"
        timing = [] if block_time is None else ["--block-time", str(block_time)]
        proc = self._spawn("rollup", self.rollup_args + timing + ["--data-dir", str(state_dir)])
        wait_http(self.rollup_url + "/health", 60, proc)

    def kill_rollup(self) -> None:
        """SIGKILL the rollup node (a crash)."""
        proc = self.procs.pop("rollup")
        proc.kill()
        proc.wait()

    def start_dsn(self) -> None:
        committee = self.committee()
        self.dsn_started = True
        pids = launcher.up(self.dsn_dir, len(committee.authorities), self.dsn_port_base, self.dsn_params,
                           die_with_parent=True)
        self.say(f"DSN: {len(pids)} nodes, pids {' '.join(map(str, pids.values()))}")

    def start_sequencer(self, extra: list[str] | None = None) -> subprocess.Popen:
        committee = self.committee()
        args = ["sequencer", "run", "--data-dir", str(self.base_dir / "sequencer"), "--rollup-node", self.rollup_url,
                "--committee-dir", str(self.dsn_dir)]
        for a in committee.authorities:
            args += ["--dsn", f"127.0.0.1:{a.tx_port}", "--dsn-export", f"127.0.0.1:{a.export_port}"]
        args += ["--da", self.da]
        if self.da == "dal":
            args += ["--dal-slots", ",".join(map(str, self.dal_slots))]
            for path in self.publisher_keys:
                args += ["--publisher-key", str(path)]
        self.sequencer_port = self.sequencer_port or free_port()
        proc = self._spawn("sequencer", args + ["--port", str(self.sequencer_port), *(extra or [])])
        wait_http(self.sequencer_url + "/health", 60, proc)
        self.say(f"sequencer pid {proc.pid} on {self.sequencer_url}")
        return proc

    def kill_dsn_node(self, n: int) -> int:
        """SIGKILL DSN node ``n`` (1-based; a crash); returns its pid."""
        proc = self.procs.pop(f"dsn-{n}", None)
        if proc is not None:  # restarted by this stack: reap it
            proc.kill()
            proc.wait()
            return proc.pid
        pid = launcher.read_pids(self.dsn_dir)[n]
        if launcher.is_our_node(pid):
            os.kill(pid, signal.SIGKILL)
        return pid

    def restart_dsn_node(self, n: int) -> None:
        """Start DSN node ``n`` again (its store kept) and wait until it listens."""
        a = self.committee().authorities[n - 1]
        proc = launcher.start_node(self.dsn_dir / f"node-{n}.json", self.dsn_dir / "logs" / f"node-{n}.log",
                                   die_with_parent=True)
        self.procs[f"dsn-{n}"] = proc
        pids = launcher.read_pids(self.dsn_dir)
        pids[n] = proc.pid
        (self.dsn_dir / launcher.PIDS_FILE).write_text("".join(f"{i} {p}\n" for i, p in sorted(pids.items())))
        if not launcher.wait_listening(a.host, [a.node_port, a.export_port, a.tx_port], 60, proc):
            raise RuntimeError(f"DSN node {n} did not come back; see {self.dsn_dir / 'logs'}")

    def kill_sequencer(self) -> None:
        """SIGKILL the sequencer (a crash)."""
        proc = self.procs.pop("sequencer")
        proc.kill()
        proc.wait()

    def stop_sequencer(self) -> None:
        proc = self.procs.pop("sequencer", None)
        if proc is not None:
            stop_process(proc)

    def stop(self) -> None:
        """Stop every process this stack started (sequencer, DSN nodes, rollup node)."""
        self.stop_sequencer()
        if self.dsn_started:
            launcher.down(self.dsn_dir)
            self.dsn_started = False
        for name in list(self.procs):
            stop_process(self.procs.pop(name))

    def pids(self) -> list[int]:
        return [p.pid for p in self.procs.values() if p.poll() is None] + [
            p for p in launcher.read_pids(self.dsn_dir).values() if launcher.is_our_node(p)]

