"""`dsn sequencer setup-file`: a setup file the rollup node loads, with the committee and genesis bytes."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from dsn.cli import main
from dsn.sequencer.committee_keys import fixture_committee
from kernel_py.formats.dsn import encode_committee
from pvm_host.setup_file import load_setup


def test_setup_file_round_trips_through_the_host_loader(tmp_path: Path) -> None:
    out = tmp_path / "setup.json"
    pk = "ab" * 32
    result = CliRunner().invoke(main, ["sequencer", "setup-file", "--fund", f"{pk}=5", "-o", str(out)])
    assert result.exit_code == 0, result.output
    committee, _ = fixture_committee(4)
    assert load_setup(out) == [("set", "/setup/committee", encode_committee(committee)),
                               ("set", "/setup/genesis", bytes.fromhex(pk) + (5).to_bytes(8, "big"))]


def test_setup_file_rejects_bad_allocations(tmp_path: Path) -> None:
    for bad in ("ab=5", "zz=1", f"{'ab' * 32}", f"{'ab' * 32}=x"):
        result = CliRunner().invoke(main, ["sequencer", "setup-file", "--fund", bad, "-o", str(tmp_path / "s.json")])
        assert result.exit_code == 1 and "Error" in result.output, (bad, result.output)
    assert not (tmp_path / "s.json").exists()
