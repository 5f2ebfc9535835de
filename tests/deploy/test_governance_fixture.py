"""fixtures/tezos/governance_inputs.json: a governance transfer in the octez wasm-debugger inputs
format (usable with `octez-smart-rollup-wasm-debugger --inputs` and `dsn kernel replay`). Its bytes are
exactly what the governance contract delivers, and replaying it registers the committee."""

from __future__ import annotations

import json
from pathlib import Path

from kernel_py.formats import dsn as fmt
from pvm_host.replay import load_inputs
from pvm_host.rollup import Rollup
from pvm_spec.b58 import encode
from tests.kernel.builders import ROLLUP, make_committee
from tezos_l1 import governance

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "tezos" / "governance_inputs.json"
KT1 = encode("KT1", bytes([0x42]) * 20)
SR1 = encode("sr1", ROLLUP)


def test_fixture_is_the_contracts_message_and_the_kernel_accepts_it() -> None:
    committee = fmt.encode_committee(make_committee(4, epoch=1).committee)
    entry = json.loads(FIXTURE.read_text())[0][0]
    assert (entry["sender"], entry["destination"]) == (KT1, SR1)
    [[message]] = load_inputs(FIXTURE, SR1)
    assert message == governance.inbox_message(committee, KT1, entry["source"], SR1)

    setup = [("set", "/setup/committee", fmt.encode_committee(make_committee(4, epoch=0).committee)),
             ("set", "/setup/governance", governance.contract_hash(KT1))]
    rollup = Rollup.open(native="kernel_py.kernel", rollup_address=SR1, setup=setup)
    report = rollup.run_level([message])
    assert report.outcomes == ["ok"] and not report.stuck
    assert rollup.read("/dsn/committee/1") == committee
