"""Committee files, node configurations, protocol parameters and authority keys.

A *committee file* (JSON) lists the authorities in committee order (index = position) with their
Ed25519 public key, stake and network addresses; a *node configuration* (JSON) names the committee
file, the node's secret key file, its store directory and optional parameter overrides. Relative
paths are resolved against the configuration file's directory.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from nacl.signing import SigningKey

from dsn.codec import Authority, Committee, decode_committee, encode_committee
from dsn.ratelimit import Limits


@dataclass(frozen=True)
class Parameters:
    """Protocol timings and sizes (defaults of spec §2.1; milliseconds and bytes)."""

    header_num_of_batches_threshold: int = 32
    max_header_num_of_batches: int = 1000
    max_header_delay_ms: int = 1000
    min_header_delay_ms: int = 500
    batch_size: int = 500_000
    max_batch_delay_ms: int = 100
    sync_retry_delay_ms: int = 1000
    unreferenced_batch_ttl_ms: int = 60_000  # a peer's batch no certificate names is deleted after this
    unreferenced_bytes_per_peer: int = 256 << 20  # past this, a peer's new batches are refused (not acked)
    retain_commits: int = 0  # > 0: older sub-DAGs and certificates are deleted (dsn.retention); 0: keep all
    retention_period_ms: int = 5000  # how often the retention pass runs
    max_queued_headers: int = 4  # client submits wait while own batches queued for headers exceed this many full headers

    @classmethod
    def from_dict(cls, raw: dict) -> "Parameters":
        known = {f.name for f in fields(cls)}
        unknown = set(raw) - known
        if unknown:
            raise ValueError(f"unknown parameters: {', '.join(sorted(unknown))}")
        return cls(**{k: int(v) for k, v in raw.items()})


@dataclass(frozen=True)
class AuthorityInfo:
    """One committee member: key, stake and where it listens."""

    name: str
    public_key: bytes
    stake: int
    host: str
    node_port: int
    export_port: int
    tx_port: int


@dataclass(frozen=True)
class CommitteeFile:
    epoch: int
    gc_depth: int
    authorities: list[AuthorityInfo] = field(default_factory=list)

    def committee(self) -> Committee:
        """The committee record of docs/FORMATS.md §1.1."""
        return Committee(self.epoch, self.gc_depth, [Authority(a.public_key, a.stake) for a in self.authorities])

    def index_of(self, public_key: bytes) -> int:
        for i, a in enumerate(self.authorities):
            if a.public_key == public_key:
                return i
        raise ValueError("this key is not a member of the committee")

    def to_json(self) -> str:
        out = {
            "epoch": self.epoch,
            "gc_depth": self.gc_depth,
            "authorities": [dict(asdict(a), public_key=a.public_key.hex()) for a in self.authorities],
        }
        return json.dumps(out, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> "CommitteeFile":
        raw = json.loads(text)
        authorities = [
            AuthorityInfo(
                name=str(a["name"]),
                public_key=bytes.fromhex(a["public_key"]),
                stake=int(a["stake"]),
                host=str(a["host"]),
                node_port=int(a["node_port"]),
                export_port=int(a["export_port"]),
                tx_port=int(a["tx_port"]),
            )
            for a in raw["authorities"]
        ]
        c = cls(int(raw["epoch"]), int(raw["gc_depth"]), authorities)
        try:
            decode_committee(encode_committee(c.committee()))  # the kernel's rules for committees
        except ValueError:
            raise ValueError("invalid committee (stakes must be > 0, keys distinct and 32 bytes)") from None
        return c


@dataclass(frozen=True)
class NodeConfig:
    committee: CommitteeFile
    signing_key: SigningKey
    index: int
    store_dir: Path
    parameters: Parameters
    limits: Limits = field(default_factory=Limits)
    metrics_port: int | None = None  # Prometheus /metrics (None: not served; 0: any free port)
    metrics_host: str = "127.0.0.1"

    @property
    def me(self) -> AuthorityInfo:
        return self.committee.authorities[self.index]


def read_key(path: Path) -> SigningKey:
    """An Ed25519 secret key file: the 32-byte seed in hex."""
    return SigningKey(bytes.fromhex(path.read_text().strip()))


def check_private(path: Path) -> None:
    """Raise ``ValueError`` if the key file ``path`` is readable or writable by group or others."""
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise ValueError(f"secret key {path} is accessible by other users (mode {mode:o}); run chmod 600 {path}")


def write_key(path: Path, key: SigningKey) -> None:
    """Write a secret key file with mode 600 (also when it existed with a wider mode)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        os.fchmod(f.fileno(), 0o600)
        f.write(bytes(key).hex() + "\n")


def load_node_config(path: Path, committee_path: Path | None = None) -> NodeConfig:
    """Read a node configuration and everything it refers to (``committee_path`` replaces its committee file)."""
    path = Path(path)
    raw = json.loads(path.read_text())
    base = path.parent
    committee_path = committee_path or base / raw["committee"]
    if not committee_path.exists():
        raise ValueError(f"no committee file {committee_path}: assemble it from every member's descriptor "
                         "(`dsn committee assemble`) and put it there, or pass --committee")
    committee = CommitteeFile.from_json(committee_path.read_text())
    check_private(base / raw["secret_key"])
    key = read_key(base / raw["secret_key"])
    index = committee.index_of(bytes(key.verify_key))
    params = Parameters.from_dict(raw.get("parameters", {}))
    limits = Limits.from_dict(raw.get("limits", {}))
    metrics_port = raw.get("metrics_port")
    return NodeConfig(committee, key, index, base / raw["store"], params, limits,
                      None if metrics_port is None else int(metrics_port), str(raw.get("metrics_host", "127.0.0.1")))


def local_committee(keys: list[SigningKey], host: str = "127.0.0.1", port_base: int = 64000,
                    epoch: int = 0, gc_depth: int = 50) -> CommitteeFile:
    """A committee on one host; node N (1-based) listens on ``port_base + 10·N + {0, 1, 2}``."""
    return CommitteeFile(epoch, gc_depth, [
        AuthorityInfo(f"node{n}", bytes(k.verify_key), 1000, host,
                      port_base + 10 * n, port_base + 10 * n + 1, port_base + 10 * n + 2)
        for n, k in enumerate(keys, start=1)
    ])


METRICS_PORT_OFFSET = 3  # local networks: node N's metrics on port_base + 10·N + 3


def write_network(directory: Path, committee: CommitteeFile, keys: list[SigningKey],
                  parameters: dict | None = None, limits: dict | None = None) -> list[Path]:
    """Write ``committee.json``, ``node-N.key`` (mode 600) and ``node-N.json`` (store ``db/node-N``,
    metrics on the node port + 3) in ``directory`` (mode 700); return the configs."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(directory, 0o700)
    (directory / "committee.json").write_text(committee.to_json())
    configs = []
    for n, key in enumerate(keys, start=1):
        write_key(directory / f"node-{n}.key", key)
        cfg = {"committee": "committee.json", "secret_key": f"node-{n}.key", "store": f"db/node-{n}",
               "metrics_port": committee.authorities[n - 1].node_port + METRICS_PORT_OFFSET}
        if parameters:
            cfg["parameters"] = parameters
        if limits:
            cfg["limits"] = limits
        p = directory / f"node-{n}.json"
        p.write_text(json.dumps(cfg, indent=2) + "\n")
        configs.append(p)
    return configs


def authority_json(a: AuthorityInfo) -> dict:
    """An authority as in ``committee.json``; also the public *descriptor* an operator publishes
    (``dsn node init``)."""
    return dict(asdict(a), public_key=a.public_key.hex())


_DESCRIPTOR_FIELDS = {"name": str, "public_key": str, "stake": int, "host": str,
                      "node_port": int, "export_port": int, "tx_port": int}


def parse_descriptor(text: str) -> AuthorityInfo:
    """Strictly parse a descriptor (see :func:`authority_json`): exactly its fields with their JSON
    types, a valid Ed25519 public key, stake in 1…2⁶⁴−1, three distinct ports in 1…65535.
    Raises ``ValueError`` naming the first defect."""
    from nacl.bindings import crypto_core_ed25519_is_valid_point

    try:
        raw = json.loads(text)
    except json.JSONDecodeError as e:
        raise ValueError(f"not JSON ({e})") from None
    if not isinstance(raw, dict):
        raise ValueError("not a JSON object")
    missing = [k for k in _DESCRIPTOR_FIELDS if k not in raw]
    unknown = sorted(set(raw) - set(_DESCRIPTOR_FIELDS))
    if missing or unknown:
        raise ValueError("; ".join(filter(None, [missing and f"missing fields: {', '.join(missing)}",
                                                 unknown and f"unknown fields: {', '.join(unknown)}"])))
    for k, t in _DESCRIPTOR_FIELDS.items():
        if not isinstance(raw[k], t) or isinstance(raw[k], bool):
            raise ValueError(f"{k} must be a JSON {'integer' if t is int else 'string'}, got {raw[k]!r}")
    try:
        key = bytes.fromhex(raw["public_key"])
    except ValueError:
        key = b""
    if len(key) != 32 or not crypto_core_ed25519_is_valid_point(key):
        raise ValueError(f"public_key {raw['public_key']!r} is not an Ed25519 public key (64 hex digits)")
    if not 1 <= raw["stake"] < 1 << 64:
        raise ValueError(f"stake must be in 1…2^64−1, got {raw['stake']}")
    ports = [raw["node_port"], raw["export_port"], raw["tx_port"]]
    if not all(1 <= p <= 65535 for p in ports):
        raise ValueError(f"ports must be in 1…65535, got {ports}")
    if len(set(ports)) != 3:
        raise ValueError(f"node_port, export_port and tx_port must differ, got {ports}")
    return AuthorityInfo(raw["name"], key, raw["stake"], raw["host"], *ports)
