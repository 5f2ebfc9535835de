"""`dsn token` end to end against `dsn sequencer run --mock-rollup --mock-consensus` (one process,
kernel in the host): keys, asset lifecycle, transfers, sequencer messages and watch, with exact output."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from nacl.signing import SigningKey

from dsn.cli import main
from dsn.token.client import SequencerClient
from tests.sequencer.mock_process import mock_sequencer

pytestmark = pytest.mark.slow

ALICE_SEED = bytes([0xA1]) * 32
ALICE = bytes(SigningKey(ALICE_SEED).verify_key).hex()
NATIVE = "00" * 32


@pytest.fixture(scope="module")
def sequencer(tmp_path_factory: pytest.TempPathFactory):
    with mock_sequencer(tmp_path_factory.mktemp("mock-seq"), ALICE, 1_000_000) as url:
        yield url


def tok(url: str, keystore: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["token", "--sequencer", url, "--keystore", str(keystore), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_token_cli_flow(sequencer: str, tmp_path: Path) -> None:
    ks = tmp_path / "keys.json"
    (tmp_path / "alice.key").write_bytes(ALICE_SEED + bytes.fromhex(ALICE))
    assert f"imported address {ALICE} (alice)" in tok(sequencer, ks, "key", "import", str(tmp_path / "alice.key"),
                                                      "--name", "alice")
    bob = tok(sequencer, ks, "key", "generate", "--name", "bob").split("created address ")[1].split()[0]
    tok(sequencer, ks, "key", "set", "alice")

    out = tok(sequencer, ks, "transfer", "--to", "bob", "--amount", "250")
    assert "✅ txID: " in out
    asset = tok(sequencer, ks, "create-asset", "--metadata", "GOLD").split("✅ txID: ")[1].split()[0]
    tok(sequencer, ks, "mint-asset", "--asset", asset, "--to", bob, "--amount", "70")
    tok(sequencer, ks, "burn-asset", "--asset", asset, "--amount", "5", "--key", "bob")
    failed = tok(sequencer, ks, "transfer", "--asset", asset, "--to", "alice", "--amount", "100", "--key", "bob")
    assert "⚠️ txID: " in failed and f"failed: invalid balance: could not subtract balance (asset={asset}, bal=65" in failed
    tok(sequencer, ks, "modify-asset", "--asset", asset, "--owner", "bob", "--metadata", "SILVER")
    tok(sequencer, ks, "sequencer-msg", "--chain-id", "chain-x", "--data", "0x0a0b")

    listing = tok(sequencer, ks, "key", "list")
    assert f"* alice      {ALICE}  balance: {1_000_000 - 250} TKN  nonce: 5" in listing
    assert f"  bob        {bob}  balance: 250 TKN  nonce: 2" in listing
    balance = tok(sequencer, ks, "key", "balance", "--asset", asset, "--key", "bob")
    assert f"metadata: SILVER supply: 65 owner: {bob} warp: False" in balance
    assert f"address: {bob} balance: 65" in balance

    watch = tok(sequencer, ks, "watch", "--from", "1", "--count", "7", "--poll", "0.1").splitlines()
    blocks = [line for line in watch if line.startswith("height:")]
    assert [b.split()[0] for b in blocks] == [f"height:{i}" for i in range(1, 8)]
    assert all(" txs:1 root:" in b for b in blocks)
    txs = [line for line in watch if line.startswith(("✅", "⚠️"))]
    assert txs[0].endswith(f"actor: {ALICE} summary (transfer): [250 TKN -> {bob}]")
    assert txs[1].endswith(f"summary (create_asset): [assetID: {asset} metadata: GOLD]")
    assert txs[3].endswith(f"actor: {bob} summary (burn_asset): [5 {asset} -> 🔥]")
    assert txs[4].startswith("⚠️") and "summary (transfer): [failed: invalid balance" in txs[4]
    assert txs[6].endswith("summary (sequencer_msg): [chain: " + b"chain-x".hex() + " data: 0a0b]")


def test_token_cli_errors_are_clean(sequencer: str, tmp_path: Path) -> None:
    ks = tmp_path / "keys.json"
    result = CliRunner().invoke(main, ["token", "--sequencer", sequencer, "--keystore", str(ks), "transfer",
                                       "--to", "ab", "--amount", "1"])
    assert result.exit_code != 0 and "neither a 32-byte hex public key nor a keystore key" in result.output
    result = CliRunner().invoke(main, ["token", "--sequencer", "http://127.0.0.1:1", "--keystore", str(ks),
                                       "key", "generate"])
    assert result.exit_code == 0
    result = CliRunner().invoke(main, ["token", "--sequencer", "http://127.0.0.1:1", "--keystore", str(ks),
                                       "key", "list"])
    assert result.exit_code == 1 and "cannot reach the sequencer at http://127.0.0.1:1" in result.output


def test_token_spam_funds_loads_and_returns_everything(sequencer: str, tmp_path: Path) -> None:
    ks = tmp_path / "keys.json"
    (tmp_path / "alice.key").write_bytes(ALICE_SEED)
    tok(sequencer, ks, "key", "import", str(tmp_path / "alice.key"))
    before = SequencerClient(sequencer).account(bytes.fromhex(ALICE))["balances"][NATIVE]
    out = tok(sequencer, ks, "spam", "--accounts", "3", "--rate", "20", "--duration", "2", "--fund", "100")
    assert "funding 3 accounts with 100 each ..." in out
    assert out.rstrip().endswith("returned funds: 300")
    assert SequencerClient(sequencer).account(bytes.fromhex(ALICE))["balances"][NATIVE] == before
