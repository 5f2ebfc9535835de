"""Committee fixtures: the local network's committee file and authority keys (``fixtures/committee/N``)."""

from __future__ import annotations

from pathlib import Path

from nacl.signing import SigningKey

from dsn.codec import Committee
from dsn.config import CommitteeFile, read_key
from dsn.launcher import FIXTURES


def load_committee_dir(directory: Path) -> tuple[CommitteeFile, list[SigningKey]]:
    """``committee.json`` and the ``node-N.key`` files of a network directory (keys in committee order)."""
    committee = CommitteeFile.from_json((directory / "committee.json").read_text())
    keys = [read_key(directory / f"node-{n}.key") for n in range(1, len(committee.authorities) + 1)]
    if [bytes(k.verify_key) for k in keys] != [a.public_key for a in committee.authorities]:
        raise ValueError(f"{directory}: node-N.key files do not match committee.json")
    return committee, keys


def fixture_committee(nodes: int) -> tuple[Committee, list[SigningKey]]:
    """The committed fixture network of ``nodes`` nodes (4 or 7)."""
    committee, keys = load_committee_dir(FIXTURES / str(nodes))
    return committee.committee(), keys
