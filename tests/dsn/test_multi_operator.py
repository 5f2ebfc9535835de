"""A committee set up the multi-operator way, run on loopback: four operators each `dsn node init`
in their own folder, one `dsn committee assemble`s their public descriptors, each starts `dsn node
run` with the result; the network commits and exports a submitted transaction."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys

import pytest

from dsn import codec
from dsn.client import Client
from dsn.config import CommitteeFile
from dsn.launcher import exit_with_parent_env, wait_listening
from dsn.sequencer.stack import free_port_base
from tests.dsn.preblock_rules import PreBlockChecker


def dsn(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dsn", *args], capture_output=True, text=True, timeout=60)


@pytest.mark.slow
def test_four_operators_assemble_a_committee_and_commit(tmp_path):
    base = free_port_base(4, preferred=None)
    operators = [tmp_path / f"operator-{i}" for i in range(1, 5)]
    assembler = tmp_path / "assembler"
    assembler.mkdir()
    for i, folder in enumerate(operators, start=1):
        init = dsn("node", "init", "--name", f"op{i}", "--host", "127.0.0.1", "--ports", str(base + 10 * i),
                   "--data-dir", str(folder / "node"), "--param", "min_header_delay_ms=100", "--param", "max_header_delay_ms=300")
        assert init.returncode == 0, init.stderr
        shutil.copy(folder / "node" / "descriptor.json", assembler / f"op{i}.json")  # only public files travel
    assemble = dsn("committee", "assemble", *sorted(str(p) for p in assembler.glob("op*.json")),
                   "-o", str(assembler / "committee.json"))
    assert assemble.returncode == 0, assemble.stderr
    committee = CommitteeFile.from_json((assembler / "committee.json").read_text())
    assert sorted(a.name for a in committee.authorities) == ["op1", "op2", "op3", "op4"]
    keys = {json.loads((f / "node" / "descriptor.json").read_text())["public_key"] for f in operators}
    assert {a.public_key.hex() for a in committee.authorities} == keys

    procs = []
    try:
        for i, folder in enumerate(operators, start=1):
            config = folder / "node" / "node.json"
            if i % 2:  # half copy the committee next to their configuration, half point at it
                shutil.copy(assembler / "committee.json", folder / "node" / "committee.json")
                args = ["--config", str(config)]
            else:
                args = ["--config", str(config), "--committee", str(assembler / "committee.json")]
            log = open(folder / "node.log", "wb")
            procs.append(subprocess.Popen([sys.executable, "-m", "dsn", "node", "run", *args], stdout=log,
                                          stderr=subprocess.STDOUT, env=exit_with_parent_env()))
            log.close()
        by_name = {a.name: a for a in committee.authorities}
        for i, p in enumerate(procs, start=1):
            a = by_name[f"op{i}"]
            assert wait_listening(a.host, [a.node_port, a.export_port, a.tx_port], 60, p), \
                (operators[i - 1] / "node.log").read_text()[-2000:]
        tx = b"submitted to op1, exported by op3"
        digest = Client(f"127.0.0.1:{by_name['op1'].tx_port}").submit(tx, timeout=60)
        assert len(digest) == 32
        checker = PreBlockChecker(committee.committee())
        seen = 0
        for encoded in Client(f"127.0.0.1:{by_name['op3'].export_port}").preblocks(0, timeout=90):
            checker.check(encoded)  # the kernel's rules, with the assembled committee
            seen += 1
            if any(tx in b.transactions for b in codec.decode_preblock(encoded).batches):
                break
        assert seen >= 1 and checker.last_index == seen
        assert all(p.poll() is None for p in procs)
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            p.wait(timeout=30)
        for folder in operators:  # shown by pytest only if the test fails
            log = folder / "node.log"
            print(f"--- {log}\n{log.read_text()[-3000:] if log.exists() else '(none)'}")
    assert [p.returncode for p in procs] == [0, 0, 0, 0]
