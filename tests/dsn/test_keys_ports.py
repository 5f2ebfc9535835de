"""Secret key files (mode 600 in a 700 directory, refused when others can read them), fresh keys by
default, and port binding (brief retries, a clear error, defaults outside the ephemeral range)."""

from __future__ import annotations

import asyncio
import os
import socket
import stat
import subprocess
import sys
import time

import pytest

from dsn import launcher, ports
from dsn.api import start_server, transactions_handler
from dsn.config import CommitteeFile, load_node_config


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_prepare_writes_private_keys_and_fresh_ones_by_default(tmp_path):
    base = tmp_path / "net"
    launcher.prepare(base, 4, port_base=20000)
    assert mode(base) == 0o700
    assert [mode(base / f"node-{n}.key") for n in range(1, 5)] == [0o600] * 4
    fixture = CommitteeFile.from_json((launcher.FIXTURES / "4" / "committee.json").read_text())
    fresh = CommitteeFile.from_json((base / "committee.json").read_text())
    assert not {a.public_key for a in fresh.authorities} & {a.public_key for a in fixture.authorities}
    assert load_node_config(base / "node-1.json").index == 0


def test_fixture_keys_only_on_request_and_still_written_private(tmp_path):
    base = tmp_path / "net"
    base.mkdir(mode=0o755)
    launcher.prepare(base, 4, port_base=20000, fixture_keys=True)
    fixture = CommitteeFile.from_json((launcher.FIXTURES / "4" / "committee.json").read_text())
    written = CommitteeFile.from_json((base / "committee.json").read_text())
    assert [a.public_key for a in written.authorities] == [a.public_key for a in fixture.authorities]
    assert mode(base) == 0o700 and mode(base / "node-2.key") == 0o600
    with pytest.raises(RuntimeError, match="no fixture keys for 5 nodes"):
        launcher.prepare(tmp_path / "five", 5, fixture_keys=True)


def test_a_key_file_readable_by_others_is_refused(tmp_path):
    launcher.prepare(tmp_path, 4, port_base=20000)
    key = tmp_path / "node-3.key"
    os.chmod(key, 0o644)
    with pytest.raises(ValueError, match=r"node-3.key is accessible by other users \(mode 644\); run chmod 600"):
        load_node_config(tmp_path / "node-3.json")
    os.chmod(key, 0o640)
    with pytest.raises(ValueError, match="mode 640"):
        load_node_config(tmp_path / "node-3.json")
    os.chmod(key, 0o600)
    assert load_node_config(tmp_path / "node-3.json").index == 2


@pytest.mark.slow
def test_node_run_refuses_a_readable_key_with_a_clear_error(tmp_path):
    launcher.prepare(tmp_path, 4, port_base=20000)
    os.chmod(tmp_path / "node-2.key", 0o644)
    out = subprocess.run([sys.executable, "-m", "dsn", "node", "run", "--config", str(tmp_path / "node-2.json")],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 1
    assert f"bad configuration {tmp_path / 'node-2.json'}: secret key {tmp_path / 'node-2.key'} is accessible by " \
           "other users (mode 644); run chmod 600" in out.stderr


def test_rewriting_a_world_readable_key_file_makes_it_private(tmp_path):
    (tmp_path / "node-1.key").write_text("old\n")
    os.chmod(tmp_path / "node-1.key", 0o666)
    launcher.prepare(tmp_path, 4, port_base=20000)
    assert mode(tmp_path / "node-1.key") == 0o600


def test_default_ports_lie_outside_the_ephemeral_range():
    low, high = ports.ephemeral_range()
    assert low <= high
    n7 = [launcher.DEFAULT_PORT_BASE + 10 * n + k for n in range(1, 8) for k in range(3)]
    assert ports.overlaps_ephemeral(n7) == []
    assert ports.overlaps_ephemeral([low, high + 1]) == [low]


def test_ephemeral_range_falls_back_to_the_linux_default(tmp_path):
    (tmp_path / "range").write_text("1024\t65535\n")
    assert ports.ephemeral_range(tmp_path / "range") == (1024, 65535)
    assert ports.ephemeral_range(tmp_path / "missing") == (32768, 60999)


def test_binding_retries_until_the_port_is_free_then_fails_clearly():
    async def main():
        holder = socket.socket()
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]

        def bind():
            return asyncio.start_server(lambda r, w: w.close(), "127.0.0.1", port)

        with pytest.raises(OSError, match=rf"cannot listen on 127.0.0.1:{port}: .*still taken after 1 s"):
            await ports.bind_with_retry(bind, f"127.0.0.1:{port}", timeout=1)
        asyncio.get_running_loop().call_later(0.6, holder.close)  # freed while retrying
        server = await ports.bind_with_retry(bind, f"127.0.0.1:{port}", timeout=5)
        assert server.sockets[0].getsockname()[1] == port
        server.close()
    asyncio.run(main())


def test_a_grpc_port_held_by_another_server_is_not_shared():
    async def main():
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        first = await start_server(transactions_handler(None), "127.0.0.1", port)
        try:
            with pytest.raises(OSError, match=rf"cannot listen on 127.0.0.1:{port} \(gRPC\): .* after 1 s"):
                await start_server(transactions_handler(None), "127.0.0.1", port, bind_timeout=1)
        finally:
            await first.stop(0)
    asyncio.run(main())


@pytest.mark.slow
def test_a_dsn_child_dies_with_its_parent_without_a_preexec_fn(tmp_path):
    # the parent (an intermediate process) starts `dsn listen` (runs until killed) and exits
    script = ("import subprocess, sys\n"
              "from dsn.launcher import exit_with_parent_env\n"
              "p = subprocess.Popen([sys.executable, '-m', 'dsn', 'listen', '--endpoint', '127.0.0.1:1'],"
              " env=exit_with_parent_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
              "print(p.pid, flush=True)\n"
              "import time; time.sleep(1)\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    child = int(out.stdout.split()[0])
    for _ in range(100):
        if not os.path.exists(f"/proc/{child}") or open(f"/proc/{child}/stat").read().split()[2] == "Z":
            break
        time.sleep(0.1)
    else:
        os.kill(child, 9)
        pytest.fail("the child outlived its parent")
    # started for a parent that is already gone: exits at once
    gone = subprocess.run([sys.executable, "-m", "dsn", "--help"], capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, **{launcher.PARENT_ENV: "1"}))
    assert gone.returncode == 1 and gone.stdout == ""
