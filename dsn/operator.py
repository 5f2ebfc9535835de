"""Setting up a committee across operators: each runs :func:`init_node` on its machine (secret key,
node configuration, public descriptor), one collects the descriptors and runs :func:`assemble`.

Descriptors are the public part of a committee member, with exactly the fields of an authority in
``committee.json`` (:func:`dsn.config.parse_descriptor`). The assembled committee orders authorities
by public key, so every operator assembling the same descriptors gets the same file.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from nacl.signing import SigningKey

from dsn.config import AuthorityInfo, CommitteeFile, authority_json, parse_descriptor, write_key
from dsn.ports import overlaps_ephemeral

KEY_FILE = "node.key"
CONFIG_FILE = "node.json"
DESCRIPTOR_FILE = "descriptor.json"
COMMITTEE_FILE = "committee.json"
MAX_GOVERNANCE_AUTHORITIES = 100  # one governance inbox message (FORMATS §5.0)
MAX_SEED_EXPORT_AUTHORITIES = 256  # the seed's SubDag signers are one byte each (FORMATS §7)
_HOSTNAME = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def parse_ports(text: str) -> tuple[int, int, int]:
    """``NODE,EXPORT,TX`` or one ``BASE`` (= BASE, BASE+1, BASE+2) → three distinct ports in 1…65535."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) not in (1, 3) or not all(p.isdigit() for p in parts):
        raise ValueError(f"expected NODE,EXPORT,TX or BASE (integers), got {text!r}")
    ports = [int(p) for p in parts]
    if len(ports) == 1:
        ports = [ports[0], ports[0] + 1, ports[0] + 2]
    bad = [p for p in ports if not 1 <= p <= 65535]
    if bad:
        raise ValueError(f"ports must be in 1…65535, got {bad}")
    if len(set(ports)) != 3:
        raise ValueError(f"the node, export and transaction ports must differ, got {ports}")
    return ports[0], ports[1], ports[2]


def check_host(host: str) -> None:
    """Raise ``ValueError`` unless ``host`` is an IP address peers can dial or a DNS name."""
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        if not _HOSTNAME.match(host):
            raise ValueError(f"host {host!r} is neither an IP address nor a DNS name "
                             "(give the bare address: no scheme, no port)") from None
        return
    if ip.is_unspecified or ip.is_multicast:
        raise ValueError(f"host {host} is not an address peers can connect to (give this machine's address)")


def check_name(name: str) -> None:
    if not _NAME.match(name):
        raise ValueError(f"name {name!r}: use 1-64 letters, digits, '.', '_' or '-' (starting with a letter or digit)")


@dataclass(frozen=True)
class InitResult:
    directory: Path
    key: Path
    config: Path
    descriptor: Path
    authority: AuthorityInfo


def init_node(directory: Path, name: str, host: str, ports: tuple[int, int, int], stake: int = 1000,
              parameters: dict | None = None) -> InitResult:
    """Create ``directory`` (mode 700) with a fresh secret key (``node.key``, mode 600), the node
    configuration (``node.json``: committee ``committee.json`` of this folder, store ``db``) and the
    public descriptor (``descriptor.json``). Refuses a directory that already holds a key."""
    check_name(name)
    check_host(host)
    if stake <= 0:
        raise ValueError(f"stake must be > 0, got {stake}")
    directory = Path(directory)
    if (directory / KEY_FILE).exists():
        raise ValueError(f"{directory / KEY_FILE} exists: a node is already initialised there (keys are never replaced)")
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(directory, 0o700)
    key = SigningKey.generate()
    write_key(directory / KEY_FILE, key)
    config = {"committee": COMMITTEE_FILE, "secret_key": KEY_FILE, "store": "db"}
    if parameters:
        config["parameters"] = parameters
    (directory / CONFIG_FILE).write_text(json.dumps(config, indent=2) + "\n")
    authority = AuthorityInfo(name, bytes(key.verify_key), stake, host, *ports)
    (directory / DESCRIPTOR_FILE).write_text(json.dumps(authority_json(authority), indent=2) + "\n")
    return InitResult(directory, directory / KEY_FILE, directory / CONFIG_FILE, directory / DESCRIPTOR_FILE,
                      authority)


class AssemblyError(ValueError):
    """Every problem found in a set of descriptors, one per line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def assemble(descriptors: list[tuple[str, str]], epoch: int = 0, gc_depth: int = 50) -> tuple[CommitteeFile, list[str]]:
    """The committee of ``descriptors`` (``(source, JSON text)`` pairs), ordered by public key, and
    warnings. Raises :class:`AssemblyError` listing every problem: unreadable or malformed
    descriptors, bad keys, stakes, hosts or ports, repeated names, keys or addresses."""
    problems: list[str] = []
    members: list[tuple[str, AuthorityInfo]] = []
    for source, text in descriptors:
        try:
            a = parse_descriptor(text)
            check_name(a.name)
            check_host(a.host)
        except ValueError as e:
            problems.append(f"{source}: {e}")
            continue
        members.append((source, a))
    by_name: dict[str, str] = {}
    by_key: dict[bytes, str] = {}
    by_address: dict[tuple[str, int], str] = {}
    for source, a in members:
        for seen, value, what in ((by_name, a.name, f"name {a.name!r}"),
                                  (by_key, a.public_key, f"public key {a.public_key.hex()}")):
            if value in seen:
                problems.append(f"{source}: {what} is also in {seen[value]}")
            seen.setdefault(value, source)
        for port in (a.node_port, a.export_port, a.tx_port):
            if (a.host, port) in by_address and by_address[(a.host, port)] != source:
                problems.append(f"{source}: {a.host}:{port} is also used by {by_address[(a.host, port)]}")
            by_address.setdefault((a.host, port), source)
    loopback = [s for s, a in members if _is_loopback(a.host)]
    if loopback and len(loopback) < len(members):
        problems.append(f"{', '.join(loopback)}: a loopback host in a committee spread over machines "
                        "(peers elsewhere cannot reach it)")
    if not descriptors:
        problems.append("no descriptors given")
    total = sum(a.stake for _, a in members)
    if total >= 1 << 64:
        problems.append(f"total stake {total} exceeds 2^64−1 (the committee encoding's u64)")
    if epoch < 0 or gc_depth < 1:
        problems.append(f"epoch must be ≥ 0 and gc_depth ≥ 1, got {epoch} and {gc_depth}")
    if problems:
        raise AssemblyError(problems)
    authorities = sorted((a for _, a in members), key=lambda a: a.public_key)
    try:
        committee = CommitteeFile.from_json(CommitteeFile(epoch, gc_depth, authorities).to_json())
    except ValueError as e:  # the kernel's committee rules (e.g. a total stake over u64)
        raise AssemblyError([str(e)]) from None
    warnings = []
    n = len(authorities)
    if n < 4:
        warnings.append(f"{n} authorities tolerate no faulty or offline member (4 tolerate one)")
    if n > MAX_GOVERNANCE_AUTHORITIES:
        warnings.append(f"{n} authorities: a governance message carries at most {MAX_GOVERNANCE_AUTHORITIES}")
    if n > MAX_SEED_EXPORT_AUTHORITIES:
        warnings.append(f"{n} authorities: exporter.Exporter (the seed's format) serves at most "
                        f"{MAX_SEED_EXPORT_AUTHORITIES}; use dsn.v1.Exporter")
    inside = overlaps_ephemeral(sorted({p for a in authorities for p in (a.node_port, a.export_port, a.tx_port)}))
    if inside:
        warnings.append(f"ports {inside} lie in this machine's ephemeral port range; an outgoing connection "
                        "may hold them on a machine with the same range")
    return committee, warnings
