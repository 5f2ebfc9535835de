"""tezos_l1.forge against Taquito's local forger (@taquito/local-forging), byte for byte.

Taquito is installed by ``make setup`` (``npm ci`` in tests/deploy/taquito); the test fails, with the
command to run, when it is missing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pytezos.crypto.encoding import base58_encode
from pytezos.michelson.forge import forge_address

from tezos_l1.forge import commitment_b58, forge_unsigned
from tezos_l1.keys import Key

TAQUITO = Path(__file__).parent / "taquito"
BRANCH = base58_encode(bytes(range(32)), b"B").decode()
SOURCE = Key(bytes(32)).address
HEADER = {"source": SOURCE, "fee": "1000", "counter": "5", "gas_limit": "2000", "storage_limit": "0"}
TEZT_COMMITMENT = "sh1zFuLSsa59HwTh84ZvxceyJzrAJsbr6ZMYjfpUhoy72faAmiZZscjhtmwaCjhrPCwR8iaeah"


def taquito_forge(ops: list[dict[str, Any]]) -> list[str]:
    if shutil.which("node") is None or not (TAQUITO / "node_modules" / "@taquito" / "local-forging").is_dir():
        pytest.fail(f"Taquito is not installed: run `npm ci --prefix {TAQUITO}` (make setup does)")
    done = subprocess.run(["node", str(TAQUITO / "forge.js")], input=json.dumps(ops), capture_output=True,
                          text=True, timeout=60, check=True)
    return json.loads(done.stdout)


def dal(slot_index: int, commitment: str, proof: str, **header: str) -> dict[str, Any]:
    return {"kind": "dal_publish_commitment", **HEADER, **header,
            "slot_header": {"slot_index": slot_index, "commitment": commitment, "commitment_proof": proof}}


CASES = [
    [dal(3, TEZT_COMMITMENT, "ab" * 96)],
    [dal(0, commitment_b58(bytes(48)), "00" * 96, fee="0", counter="0", gas_limit="0")],
    [dal(159, commitment_b58(bytes(range(48))), bytes(range(96)).hex(), fee="123456789", counter="987654321",
         gas_limit="1160", storage_limit="300")],
    [dal(255, commitment_b58(b"\xff" * 48), "ff" * 96)],
    [{"kind": "smart_rollup_add_messages", **HEADER, "message": ["0102", "ff", "00" * 4095]}],
    [{"kind": "smart_rollup_originate", **HEADER, "pvm_kind": "wasm_2_0_0", "kernel": "0061736d01000000",
      "parameters_ty": {"prim": "bytes"}}],
    [{"kind": "reveal", **HEADER, "public_key": Key(bytes(32)).public_key},
     {"kind": "transaction", **HEADER, "counter": "6", "amount": "1000000", "destination": SOURCE},
     dal(7, TEZT_COMMITMENT, "cd" * 96, counter="7")],
]


def test_forge_matches_taquito() -> None:
    expected = taquito_forge([{"branch": BRANCH, "contents": contents} for contents in CASES])
    assert [forge_unsigned(BRANCH, contents).hex() for contents in CASES] == expected
    # the DAL content itself: e6 ‖ header ‖ slot index ‖ 48-byte commitment ‖ 96-byte proof
    first = bytes.fromhex(expected[0])[32:]
    pkh = forge_address(SOURCE, tz_only=True)
    assert first[:29] == b"\xe6" + pkh + bytes.fromhex("e807" "05" "d00f" "00" "03")
    assert len(first) == 29 + 48 + 96
