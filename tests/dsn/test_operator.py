"""Multi-operator setup without running nodes: `dsn node init` files and modes, descriptor parsing,
`dsn committee assemble` output and its errors, `dsn node run` without a committee."""

from __future__ import annotations

import json
import stat

import pytest
from click.testing import CliRunner
from nacl.signing import SigningKey

from dsn import codec
from dsn.cli import main
from dsn.config import AuthorityInfo, CommitteeFile, authority_json, parse_descriptor, read_key
from dsn.operator import AssemblyError, assemble, parse_ports


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


def descriptor(name: str, host: str = "10.0.0.1", port: int = 64010, stake: int = 1000, seed: int = 7) -> str:
    key = SigningKey(bytes([seed]) * 32).verify_key
    return json.dumps(authority_json(AuthorityInfo(name, bytes(key), stake, host, port, port + 1, port + 2)))


def test_node_init_writes_private_key_config_and_public_descriptor(tmp_path):
    d = tmp_path / "acme"
    r = cli("node", "init", "--name", "acme-1", "--host", "node1.acme.example", "--ports", "7000,7001,7005",
            "--stake", "5", "--data-dir", str(d), "--param", "max_batch_delay_ms=50")
    assert r.exit_code == 0, r.output
    assert stat.S_IMODE(d.stat().st_mode) == 0o700
    assert stat.S_IMODE((d / "node.key").stat().st_mode) == 0o600
    key = read_key(d / "node.key")
    desc = json.loads((d / "descriptor.json").read_text())
    assert desc == {"name": "acme-1", "public_key": bytes(key.verify_key).hex(), "stake": 5,
                    "host": "node1.acme.example", "node_port": 7000, "export_port": 7001, "tx_port": 7005}
    assert json.loads((d / "node.json").read_text()) == {
        "committee": "committee.json", "secret_key": "node.key", "store": "db", "parameters": {"max_batch_delay_ms": 50}}
    assert bytes(key).hex() not in (d / "descriptor.json").read_text() + r.output
    again = cli("node", "init", "--name", "acme-1", "--host", "10.0.0.1", "--data-dir", str(d))
    assert again.exit_code == 1 and "already initialised there (keys are never replaced)" in again.output
    assert read_key(d / "node.key") == key


@pytest.mark.parametrize("args, message", [
    (["--ports", "7000,7000,7001"], "the node, export and transaction ports must differ"),
    (["--ports", "65534"], "ports must be in 1…65535, got [65536]"),
    (["--ports", "a,b"], "expected NODE,EXPORT,TX or BASE"),
    (["--host", "http://x:80"], "is neither an IP address nor a DNS name"),
    (["--host", "0.0.0.0"], "is not an address peers can connect to"),
    (["--name", "a b"], "name 'a b': use 1-64 letters"),
    (["--stake", "0"], "stake must be > 0"),
])
def test_node_init_refuses_bad_input(tmp_path, args, message):
    base = {"--name": "n1", "--host": "10.0.0.1", "--ports": "7000", "--stake": "1"}
    base.update(dict(zip(args[::2], args[1::2])))
    r = cli("node", "init", *[x for kv in base.items() for x in kv], "--data-dir", str(tmp_path / "n"))
    assert r.exit_code != 0 and message in r.output
    assert not (tmp_path / "n" / "node.key").exists()


def test_parse_ports():
    assert parse_ports("64010") == (64010, 64011, 64012)
    assert parse_ports(" 1, 2 ,3") == (1, 2, 3)


@pytest.mark.parametrize("change, message", [
    ({"public_key": "00" * 32}, "is not an Ed25519 public key"),
    ({"public_key": "zz"}, "is not an Ed25519 public key"),
    ({"stake": 0}, "stake must be in 1…2^64−1, got 0"),
    ({"stake": "1000"}, "stake must be a JSON integer, got '1000'"),
    ({"node_port": True}, "node_port must be a JSON integer, got True"),
    ({"tx_port": 70000}, "ports must be in 1…65535"),
    ({"tx_port": 64010}, "node_port, export_port and tx_port must differ"),
    ({"tx-port": 1}, "unknown fields: tx-port"),
])
def test_parse_descriptor_refuses(change, message):
    raw = json.loads(descriptor("a"))
    raw.update(change)
    with pytest.raises(ValueError, match=None) as e:
        parse_descriptor(json.dumps(raw))
    assert message in str(e.value)


def test_parse_descriptor_missing_fields_and_not_json():
    with pytest.raises(ValueError) as e:
        parse_descriptor('{"name": "a"}')
    assert str(e.value) == "missing fields: public_key, stake, host, node_port, export_port, tx_port"
    with pytest.raises(ValueError) as e:
        parse_descriptor("[1]")
    assert str(e.value) == "not a JSON object"


def test_assemble_orders_by_key_and_writes_json_and_encoding(tmp_path):
    paths = []
    for i, name in enumerate(["c", "a", "d", "b"]):
        p = tmp_path / f"{name}.json"
        p.write_text(descriptor(name, host=f"10.0.0.{i + 1}", seed=10 + i))
        paths.append(str(p))
    out = tmp_path / "out" / "committee.json"
    out.parent.mkdir()
    r = cli("committee", "assemble", *paths, "-o", str(out), "--epoch", "3", "--gc-depth", "20")
    assert r.exit_code == 0, r.output
    c = CommitteeFile.from_json(out.read_text())
    assert (c.epoch, c.gc_depth) == (3, 20)
    assert [a.public_key for a in c.authorities] == sorted(a.public_key for a in c.authorities)
    assert sorted(a.name for a in c.authorities) == ["a", "b", "c", "d"]
    assert (tmp_path / "out" / "committee.bin").read_bytes() == codec.encode_committee(c.committee())
    assert "4 authorities, total stake 4000 (quorum 2667, validity 1334)" in r.output
    # the same descriptors in another order give the same committee; an existing output needs --force
    again = cli("committee", "assemble", *reversed(paths), "-o", str(out))
    assert again.exit_code == 1 and "exists (pass --force" in again.output
    forced = cli("committee", "assemble", *reversed(paths), "-o", str(out), "--epoch", "3", "--gc-depth", "20", "--force")
    assert forced.exit_code == 0 and CommitteeFile.from_json(out.read_text()) == c


def test_assemble_lists_every_problem(tmp_path):
    texts = [
        ("a.json", descriptor("a", seed=1)),
        ("b.json", descriptor("a", seed=2)),                         # same name as a.json
        ("c.json", descriptor("c", seed=1, host="10.0.0.2")),        # same key as a.json
        ("d.json", descriptor("d", seed=4, port=64011)),             # 10.0.0.1:64011, 64012 also a.json's
        ("e.json", "{"),
        ("f.json", descriptor("f", seed=6, host="127.0.0.1")),       # loopback among other hosts
    ]
    with pytest.raises(AssemblyError) as e:
        assemble(texts)
    key1 = bytes(SigningKey(bytes([1]) * 32).verify_key).hex()
    assert e.value.problems == [
        "e.json: not JSON (Expecting property name enclosed in double quotes: line 1 column 2 (char 1))",
        "b.json: name 'a' is also in a.json",
        "b.json: 10.0.0.1:64010 is also used by a.json",
        "b.json: 10.0.0.1:64011 is also used by a.json",
        "b.json: 10.0.0.1:64012 is also used by a.json",
        f"c.json: public key {key1} is also in a.json",
        "d.json: 10.0.0.1:64011 is also used by a.json",
        "d.json: 10.0.0.1:64012 is also used by a.json",
        "f.json: a loopback host in a committee spread over machines (peers elsewhere cannot reach it)",
    ]


def test_assemble_cli_errors_and_warnings(tmp_path):
    one = tmp_path / "one.json"
    one.write_text(descriptor("one", seed=1))
    r = cli("committee", "assemble", str(one), str(one), str(tmp_path / "missing.json"), "-o", str(tmp_path / "c.json"))
    assert r.exit_code == 1
    assert "2 problem(s) in the descriptors:" in r.output
    assert "missing.json: cannot read" in r.output and "the same descriptor file is given twice" in r.output
    assert not (tmp_path / "c.json").exists()
    big = tmp_path / "big.json"
    big.write_text(descriptor("big", seed=2, stake=(1 << 64) - 1, host="10.0.0.2"))
    r = cli("committee", "assemble", str(one), str(big), "-o", str(tmp_path / "c.json"))
    assert r.exit_code == 1 and f"total stake {(1 << 64) + 999} exceeds 2^64−1" in r.output
    r = cli("committee", "assemble", str(one), "-o", str(tmp_path / "c.json"))
    assert r.exit_code == 0 and "warning: 1 authorities tolerate no faulty or offline member" in r.output


def test_node_run_without_committee_says_what_to_do(tmp_path):
    d = tmp_path / "n"
    assert cli("node", "init", "--name", "n", "--host", "10.0.0.1", "--data-dir", str(d)).exit_code == 0
    r = cli("node", "run", "--config", str(d / "node.json"))
    assert r.exit_code == 1
    assert f"no committee file {d / 'committee.json'}: assemble it from every member's descriptor" in r.output
