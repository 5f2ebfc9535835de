"""The governance contract (Michelson, run by pytezos' interpreter) and the exact inbox message its
TRANSFER_TOKENS produces for the rollup (FORMATS.md §5)."""

from __future__ import annotations

import pytest
from pytezos import ContractInterface
from pytezos.michelson.forge import forge_micheline

from pvm_host.inbox import transfer
from tezos_l1 import governance

ADMIN = "tz1Ke2h7sDdakHJQh8WX4Z372du1KChsksyU"  # all-zero hashes (debugger defaults)
ROLLUP = "sr163Lv22CdE8QagCwf48PWDTquk6isQwv57"
CONTRACT = "KT18amZmM5W7qDWVt2pH6uj7sCEd3kbzLrHT"
OTHER = "tz1N7tYGMGs3GGjeJAJKtbycAWcvoPNSUYgu"


@pytest.fixture(scope="module")
def contract() -> ContractInterface:
    return ContractInterface.from_file(str(governance.CONTRACT_PATH))


def test_admin_call_forwards_the_message(contract: ContractInterface) -> None:
    message = bytes(range(50))
    result = contract.default(rollup=ROLLUP, message=message.hex()).interpret(storage=ADMIN, sender=ADMIN)
    assert result.storage == ADMIN
    [op] = result.operations
    assert op["destination"] == ROLLUP and op["amount"] == "0"
    assert op["parameters"] == {"entrypoint": "default", "value": {"bytes": message.hex()}}
    # what the rollup receives is the binary Micheline of that value
    assert forge_micheline(op["parameters"]["value"]) == governance.transfer_payload(message)


def test_non_admin_and_tez_are_refused(contract: ContractInterface) -> None:
    call = contract.default(rollup=ROLLUP, message="00")
    with pytest.raises(Exception, match="sender is not the admin"):
        call.interpret(storage=ADMIN, sender=OTHER)
    with pytest.raises(Exception, match="no tez accepted"):
        call.with_amount(1).interpret(storage=ADMIN, sender=ADMIN)


def test_inbox_message_vector() -> None:
    msg = governance.inbox_message(b"\x01\x02", CONTRACT, ADMIN, ROLLUP)
    expected = ("0000"                       # internal message, Transfer
                + "0a" + "00000002" + "0102"  # Micheline bytes: tag 10 ‖ u32 length ‖ value
                + "00" * 20                   # sender: KT1 hash
                + "00" + "00" * 20            # source: ed25519 tag ‖ tz1 hash
                + "00" * 20)                  # destination: rollup hash
    assert msg.hex() == expected
    assert msg == transfer(bytes.fromhex("0a000000020102"), bytes(20), bytes(21), bytes(20))


def test_originate_and_call_contents() -> None:
    orig = governance.originate_content(ADMIN)
    assert [s["prim"] for s in orig["script"]["code"]] == ["parameter", "storage", "code"]
    assert orig["script"]["storage"] == {"string": ADMIN}
    call = governance.call_content(CONTRACT, ROLLUP, b"\xab")
    assert call["parameters"]["value"] == {"prim": "Pair", "args": [{"string": ROLLUP}, {"bytes": "ab"}]}


def test_kernel_registers_the_committee_sent_by_the_contract(contract: ContractInterface) -> None:
    """End to end: the contract's TRANSFER_TOKENS value, as the rollup receives it, makes the kernel
    (kernel_py/kernel.py, natively on the host) register the new committee — and only from this contract."""
    from kernel_py.formats import dsn as fmt
    from pvm_spec.b58 import encode
    from tests.kernel.builders import ROLLUP, Harness, make_committee

    kt1 = encode("KT1", bytes([0x42]) * 20)
    sr1 = encode("sr1", ROLLUP)
    h = Harness(make_committee(4, epoch=0).committee, [], governance=governance.contract_hash(kt1))
    h.run([])
    new = fmt.encode_committee(make_committee(4, epoch=1).committee)

    [op] = contract.default(rollup=sr1, message=new.hex()).interpret(storage=ADMIN, sender=ADMIN).operations
    received = transfer(forge_micheline(op["parameters"]["value"]), governance.contract_hash(kt1),
                        bytes(21), ROLLUP)
    assert received == governance.inbox_message(new, kt1, ADMIN, sr1)

    forged = governance.inbox_message(new, CONTRACT, ADMIN, sr1)  # same bytes from another contract
    h.run([forged])
    assert h.get("/dsn/committee/1") is None
    assert h.get("/rejections/last") == b"transfer not from the governance contract"

    h.run([received])
    assert h.get("/dsn/committee/1") == new


def test_publishers_message_and_the_kernel_replaces_the_whitelist(contract: ContractInterface) -> None:
    """The whitelist message (FORMATS.md §5.0) the contract forwards replaces ``/dal/publishers``."""
    from pvm_spec.b58 import encode
    from tests.kernel.builders import ROLLUP, Harness, make_committee

    message = governance.publishers_message([ADMIN, OTHER])
    assert message == bytes([0xFF]) * 8 + bytes(21) + bytes.fromhex("00") + encode_hash(OTHER)
    assert governance.publishers_message([]) == bytes([0xFF]) * 8
    with pytest.raises(ValueError, match="bad DAL publisher address 'KT1"):
        governance.publishers_message([CONTRACT])
    with pytest.raises(ValueError, match="at most 160"):
        governance.publishers_message([ADMIN] * 161)

    kt1 = encode("KT1", bytes([0x42]) * 20)
    sr1 = encode("sr1", ROLLUP)
    h = Harness(make_committee(4, epoch=0).committee, [], governance=governance.contract_hash(kt1))
    h.pvm.durable.set("/dal/publishers", bytes(21))
    [op] = contract.default(rollup=sr1, message=message.hex()).interpret(storage=ADMIN, sender=ADMIN).operations
    received = transfer(forge_micheline(op["parameters"]["value"]), governance.contract_hash(kt1), bytes(21), ROLLUP)
    h.run([governance.inbox_message(message, CONTRACT, ADMIN, sr1)])  # another contract: refused
    assert h.get("/dal/publishers") == bytes(21)
    h.run([received])
    assert h.get("/dal/publishers") == message[8:] and h.get("/rejections/count") == (1).to_bytes(8, "big")


def encode_hash(address: str) -> bytes:
    from pvm_spec.b58 import decode

    return decode(address, "tz1")
