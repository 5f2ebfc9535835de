"""Byzantine committee members as real processes (dsn.attacks) against real nodes on loopback:
a sync-request storm with one node down does not stop commits, and a member's unreferenced
batches leave the store."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest

from dsn.attacks import stored_batch_bytes
from dsn.client import Client
from dsn.config import CommitteeFile
from dsn.launcher import exit_with_parent_env, prepare, start_node, wait_listening
from dsn.sequencer.stack import free_port_base
from tests.dsn.test_network import FAST


class CommitClock:
    """Follows one node's export stream in a thread and records when each pre-block arrives."""

    def __init__(self, endpoint: str) -> None:
        self.times: list[float] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(endpoint,), daemon=True)
        self.thread.start()

    def _run(self, endpoint: str) -> None:
        while not self.stop.is_set():
            client = Client(endpoint)
            try:
                for _ in client.preblocks(0 if not self.times else len(self.times), timeout=5):
                    self.times.append(time.monotonic())
                    if self.stop.is_set():
                        return
            except Exception:  # deadline or node restart: follow again
                pass
            finally:
                client.close()

    def between(self, start: float, end: float) -> tuple[int, float]:
        """(commits, longest gap without a commit) in [start, end]."""
        inside = [t for t in self.times if start <= t <= end]
        points = [start] + inside + [end]
        return len(inside), max(b - a for a, b in zip(points, points[1:]))


def attack(args: list[str], timeout: float) -> str:
    out = subprocess.run([sys.executable, "-m", "dsn.attacks", *args], capture_output=True, text=True,
                         timeout=timeout, env=exit_with_parent_env())
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def cpu_seconds(pid: int) -> float:
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.mark.slow
def test_a_sync_storm_from_a_member_does_not_stop_commits_with_one_node_down(tmp_path):
    port_base = free_port_base(4, preferred=None)
    configs = prepare(tmp_path, 4, port_base=port_base, parameters=FAST)
    committee = CommitteeFile.from_json((tmp_path / "committee.json").read_text())
    # node 4 stays down; node 1 runs honestly while an attacker holding node 1's key storms 2 and 3
    procs = [start_node(configs[i], tmp_path / "logs" / f"node-{i + 1}.log", die_with_parent=True) for i in range(3)]
    clock = None
    try:
        for a in committee.authorities[:3]:
            assert wait_listening(a.host, [a.node_port, a.export_port, a.tx_port], 30)
        clock = CommitClock(f"127.0.0.1:{committee.authorities[1].export_port}")
        time.sleep(12)  # a DAG of a few hundred certificates: a sync reply from round 0 is a full one
        calm_start = time.monotonic() - 6
        storm_start = time.monotonic()
        cpu_before = [cpu_seconds(p.pid) for p in procs]
        line = attack(["sync-storm", "--config", str(configs[0]), "--target", "1", "--target", "2",
                       "--duration", "20"], timeout=60)
        storm_end = time.monotonic()
        cpu = [cpu_seconds(p.pid) - b for p, b in zip(procs, cpu_before)]
        calm = clock.between(calm_start, storm_start)
        storm = clock.between(storm_start, storm_end)
        print(f"\n{line}\ncalm: {calm[0]} commits in 6 s, longest gap {calm[1]:.2f} s; storm: {storm[0]} commits "
              f"in {storm_end - storm_start:.0f} s, longest gap {storm[1]:.2f} s; node CPU during the storm "
              f"(s): {', '.join(f'{c:.1f}' for c in cpu)}")
        frames = sum(int(part.split(" frames")[0].split(": ")[-1].replace(",", "")) for part in line.split("node index")[1:])
        assert frames > 20_000, line  # the storm did happen (over 260 KB of requests)
        assert storm[0] >= 10 and storm[1] < 5.0
        for p in procs:
            assert p.poll() is None  # every node still running
    finally:
        if clock is not None:
            clock.stop.set()
        for p in procs:
            p.kill()
            p.wait()


@pytest.mark.slow
def test_a_members_unreferenced_batches_leave_the_store(tmp_path):
    port_base = free_port_base(4, preferred=None)
    configs = prepare(tmp_path, 4, port_base=port_base, parameters=dict(FAST, unreferenced_batch_ttl_ms=10_000))
    committee = CommitteeFile.from_json((tmp_path / "committee.json").read_text())
    a = committee.authorities[1]
    proc = start_node(configs[1], tmp_path / "logs" / "node-2.log", die_with_parent=True)
    try:
        assert wait_listening(a.host, [a.node_port], 30)
        store = tmp_path / "db" / "node-2"
        # batches above the committee's size limit (kernel_py/formats/limits.py) are refused outright
        line = attack(["batches", "--config", str(configs[0]), "--target", "1", "--count", "2",
                       "--size", str(30 << 20)], timeout=60)
        assert "2 frames" in line, line
        time.sleep(2)
        assert stored_batch_bytes(store) == 0
        # batches within the limit are stored (and acknowledged), then expire when no certificate names them
        # (the TTL leaves a loaded machine time to see them stored before they go)
        line = attack(["batches", "--config", str(configs[0]), "--target", "1", "--count", "300",
                       "--size", "30000"], timeout=60)
        assert "300 frames" in line, line
        deadline = time.monotonic() + 10
        while stored_batch_bytes(store) < 300 * 30000 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert stored_batch_bytes(store) >= 300 * 30000
        deadline = time.monotonic() + 30
        while stored_batch_bytes(store) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert stored_batch_bytes(store) == 0  # no certificate named them: deleted after the 10 s TTL
        assert proc.poll() is None
    finally:
        proc.kill()
        proc.wait()
