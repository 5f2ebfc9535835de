"""The operator commands end to end (click runner) against the fake L1 node."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from pytezos.michelson.forge import forge_address

from dsn.cli import main
from pvm_spec.b58 import rollup_address
from tests.deploy.l1_fake import Account, FakeL1, ServerThread, parse_operation
from tests.deploy.test_deploy_flow import wasm_of_size
from tezos_l1.forge import forge_unsigned
from tezos_l1.keys import load


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    fake = FakeL1(remote_forge=forge_unsigned)
    with ServerThread(fake) as server:
        yield fake, server.url


def invoke(*args: str) -> str:
    result = CliRunner().invoke(main, ["rollup", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_operator_commands(env, tmp_path: Path) -> None:
    fake, url = env
    out = invoke("key", "generate")
    key_file = tmp_path / ".dsn" / "operator.json"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = load(str(key_file))
    assert f"address: {key.address}" in out and key.address.startswith("tz1")
    fake.accounts[key.address] = Account(balance=12_345_678)

    out = invoke("account", "--key", str(key_file), "--rpc", url)
    assert "balance: 12.345678 tez (12345678 mutez)" in out and "revealed: False" in out

    Path("build").mkdir()
    Path("build/kernel.wasm").write_bytes(wasm_of_size(5000))
    out = invoke("deploy", "--rpc", url, "--key", str(key_file))
    record = json.loads(Path(".dsn/rollup.json").read_text())
    assert f"rollup: {record['rollup']}" in out and "origination level: 101" in out

    again = CliRunner().invoke(main, ["rollup", "deploy", "--rpc", url, "--key", str(key_file)])
    assert again.exit_code == 1 and "pass --force" in again.output

    out = invoke("node-command", "--data-dir", "/srv/rollup")
    assert (f"octez-smart-rollup-node --endpoint {url} run operator for {record['rollup']} with operators "
            f"{key.address} --data-dir /srv/rollup --rpc-addr 127.0.0.1 --rpc-port 8932 --log-kernel-debug") in out
    assert "no preimages to place" in out

    Path("setup.json").write_text(json.dumps({"instructions": [{"set": {"value": "42" * 20, "to": "/setup/governance"}}]}))
    out = invoke("deploy", "--rpc", url, "--key", str(key_file), "--force", "--setup", "setup.json")
    assert "originating the installer" in out and "1 setup values" in out
    assert json.loads(Path(".dsn/rollup.json").read_text())["setup_paths"] == ["/setup/governance"]
    out = invoke("node-command", "--data-dir", "/srv/rollup")
    assert "mkdir -p /srv/rollup/wasm_2_0_0 && cp build/preimages/* /srv/rollup/wasm_2_0_0/" in out
    record = json.loads(Path(".dsn/rollup.json").read_text())
    Path("bad.json").write_text(json.dumps({"instructions": [{"move": {"from": "/a", "to": "/b"}}]}))
    bad = CliRunner().invoke(main, ["rollup", "deploy", "--rpc", url, "--key", str(key_file), "--force",
                                    "--setup", "bad.json"])
    assert bad.exit_code == 1 and "only `set` instructions" in bad.output

    Path("msgs.txt").write_text("# two payloads\n0102\n\nff\n")
    out = invoke("send", "--rpc", url, "--key", str(key_file), "--file", "msgs.txt", "-m", "abcd", "--framed")
    _, contents, _ = parse_operation(fake.injected[-1])
    address = rollup_address(record["rollup"])  # the host's own base58 decoder
    assert contents[0]["kind"] == "smart_rollup_add_messages"
    assert contents[0]["message"] == [("00" + address.hex() + p) for p in ("abcd", "0102", "ff")]
    assert "included at level 103" in out  # 101: first deploy, 102: redeploy with setup

    out = invoke("governance", "originate", "--rpc", url, "--key", str(key_file))
    contract = json.loads(Path(".dsn/governance.json").read_text())["contract"]
    assert f"governance contract: {contract}" in out
    out = invoke("governance", "call", "--rpc", url, "--key", str(key_file), "--message", "c0ffee")
    _, contents, _ = parse_operation(fake.injected[-1])
    assert contents[0]["kind"] == "transaction" and contents[0]["destination"] == contract
    assert contents[0]["entrypoint"] == 0  # default
    # call 2,104,555 + internal transfer 1,000,321 milligas = 3,105 gas (rounded up) + 100 margin
    assert int(contents[0]["gas_limit"]) == 3_105 + 100
    value = bytes.fromhex(contents[0]["value_bytes"])
    # Pair "sr1…" 0xc0ffee: prim 2 args (07), Pair (07), string (01 ‖ u32 len ‖ 36 chars), bytes (0a ‖ u32 len ‖ 3)
    assert value == (b"\x07\x07" + b"\x01" + (36).to_bytes(4, "big") + record["rollup"].encode()
                     + b"\x0a" + (3).to_bytes(4, "big") + b"\xc0\xff\xee")

    publisher = load(str(key_file)).address
    out = invoke("governance", "publishers", "--rpc", url, "--key", str(key_file), publisher)
    _, contents, _ = parse_operation(fake.injected[-1])
    assert contents[0]["destination"] == contract and "included at level" in out
    whitelist = bytes([0xFF]) * 8 + forge_address(publisher, tz_only=True)  # FORMATS.md §5.0
    assert bytes.fromhex(contents[0]["value_bytes"]).endswith(b"\x0a" + (29).to_bytes(4, "big") + whitelist)
    bad = CliRunner().invoke(main, ["rollup", "governance", "publishers", "--rpc", url, "--key", str(key_file), contract])
    assert bad.exit_code == 1 and "bad DAL publisher address" in bad.output


def test_installer_node_command(tmp_path: Path) -> None:
    from tezos_l1.config import Deployment
    from tezos_l1.node_command import node_instructions

    rec = Deployment("sr1X", 7, "oo", "http://l1:8732", "tz1A", "00", 100_000, 3_000, True, "build/preimages", "bytes")
    text = node_instructions(rec, "tz1B", Path("/d d"), endpoint=None, key_file=".dsn/operator.json")
    assert "mkdir -p '/d d'/wasm_2_0_0 && cp build/preimages/* '/d d'/wasm_2_0_0/" in text
    assert "octez-smart-rollup-node --endpoint http://l1:8732 run operator for sr1X with operators tz1B" in text
