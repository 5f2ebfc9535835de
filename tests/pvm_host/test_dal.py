"""DAL in the PVM host: reveal 02/03 bytes, validity rules, Dal_attested_slots (dal.md test vector)."""

import json
from pathlib import Path

import pytest

from pvm_host.dal import (
    MAINNET_PARAMETERS,
    MOCK_PARAMETERS,
    DalParameters,
    DalView,
    PagesDir,
    attested_slots_messages,
    decode_page_request,
    page_id_valid,
)
from pvm_host.inbox import external
from pvm_host.pvm import PvmState
from pvm_host.rollup import Rollup
from pvm_spec import b58
from pvm_spec.michelson import zarith

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "replay"
SMALL = DalParameters(4, 2, 4 * 3967, 3967)


class Slots:
    def __init__(self, slots: dict[tuple[int, int], bytes]) -> None:
        self.slots = slots

    def attested_slot(self, published_level: int, slot_index: int) -> bytes | None:
        return self.slots.get((published_level, slot_index))


def slot_bytes(seed: int, params: DalParameters = SMALL) -> bytes:
    return bytes((seed + i * 7) % 251 for i in range(params.slot_size))


def test_parameters_answer_mainnet_bytes() -> None:
    assert MAINNET_PARAMETERS.encode().hex() == (
        "00000000000000a0" "0000000000000005" "000000000005cfa0" "0000000000000f7f")
    assert MAINNET_PARAMETERS.pages_per_slot == 96
    assert DalParameters.parse("160,5,380832,3967") == MAINNET_PARAMETERS
    for bad in ("160,5,380832", "a,5,1,1", "16,8,1000,3967", "16,0,3967,3967", "16,8,8192,4097"):
        with pytest.raises(ValueError):
            DalParameters.parse(bad)


def test_page_request_decoding() -> None:
    assert decode_page_request(bytes.fromhex("02000003e8030005")) == (1000, 3, 5)
    assert decode_page_request(bytes.fromhex("02ffffffff03ffff")) == (-1, 3, -1)
    assert decode_page_request(bytes.fromhex("02000003e80300")) is None  # short
    assert decode_page_request(bytes.fromhex("02000003e803000500")) is None  # trailing byte
    assert decode_page_request(bytes.fromhex("04000003e8030005")) is None


def test_page_validity_rules() -> None:
    p = SMALL  # lag 2, 4 pages, 4 slots
    assert page_id_valid(p, 10, 3, 3, origination_level=0, current_level=12)
    assert not page_id_valid(p, 10, 3, 3, 0, 11)  # too recent: P + lag > I
    assert page_id_valid(p, 10, 3, 3, 0, 12 + 241_920)
    assert not page_id_valid(p, 10, 3, 3, 0, 13 + 241_920)  # outside the import window
    assert not page_id_valid(p, 10, 4, 0, 0, 12)  # slot index out of range
    assert not page_id_valid(p, 10, 0, 4, 0, 12)  # page index out of range
    assert not page_id_valid(p, 10, 0, -1, 0, 12)
    assert not page_id_valid(p, 10, 0, 0, 10, 12)  # P must be after the origination level
    assert not page_id_valid(p, 10, 0, 0, 0, 12, activation_level=11)


def test_reveal_pages_and_parameters_through_pvm_state() -> None:
    content = slot_bytes(1)
    pvm = PvmState(origination_level=3, dal=DalView(SMALL, Slots({(10, 1): content})))
    pvm.load_inbox(12, [])
    page2 = bytes.fromhex("020000000a010002")  # P 10, slot 1, page 2
    assert pvm.reveal(page2, 4096) == content[2 * 3967:3 * 3967]
    assert pvm.reveal(page2, 100) == content[2 * 3967:2 * 3967 + 100]  # truncated to max_bytes
    assert pvm.reveal(bytes.fromhex("020000000a020002"), 4096) == b""  # unattested slot
    assert pvm.reveal(bytes.fromhex("020000000a01000200"), 4096) == b""  # undecodable
    assert pvm.reveal(b"\x03", 4096) == SMALL.encode()
    assert pvm.reveal(b"\x03\x00", 4096) == b""
    assert pvm.reveal(b"\x03", 7) == SMALL.encode()[:7]
    pvm.load_inbox(11, [])  # P + lag > I
    assert pvm.reveal(page2, 4096) == b""
    assert PvmState().reveal(b"\x03", 4096) == b""  # an L1 without a DAL


def test_zarith_z_of_slot_bitsets() -> None:
    assert zarith(1 << 4) == b"\x10"
    assert zarith(1 << 6) == b"\x80\x01"
    assert zarith(0) == b"\x00"
    assert zarith(-1) == b"\x41"
    assert zarith((1 << 160) - 1)[-1] < 0x80


def test_dal_attested_slots_matches_the_sdk_vector() -> None:
    # the vector's page size (4,096) does not divide its slot size, so DalParameters refuses it:
    # the encoder only reads these three fields
    pkh = b58.implicit_address("tz1KqTpEZ7Yob7QbPE4Hy4Wo8fHG8LhKxZSx")

    class Vector:  # only the fields the encoder reads
        number_of_slots, slot_size, page_size = 16, 126_944, 4_096

    messages = attested_slots_messages(8, Vector, {pkh: {4}})  # type: ignore[arg-type]
    assert [m.hex() for m in messages] == [
        "0005" "00000008" "0010" "0001efe0" "1000" "00000016" "00" "02298c03ed7d454a101eb7022bc95f7e5f41ac78" "10"]


def test_dal_attested_slots_split_and_order() -> None:
    publishers = {bytes([0]) + i.to_bytes(20, "big"): {0, 6} for i in range(200)}  # 23 B each: 177 + 23
    messages = attested_slots_messages(7, MAINNET_PARAMETERS, publishers)
    assert len(messages) == 2 and all(len(m) <= 4096 for m in messages)
    entries = b"".join(m[18:] for m in messages)
    assert entries == b"".join(p + b"\x81\x01" for p in sorted(publishers))  # bits 0 and 6 = 65: 0x80|1, then 1
    assert [len(m) for m in messages] == [18 + 177 * 23, 18 + 23 * 23]
    assert all(m[:18] == bytes.fromhex("0005" "00000007" "00a0" "0005cfa0" "0f7f") + (len(m) - 18).to_bytes(4, "big")
               for m in messages)
    assert attested_slots_messages(7, MAINNET_PARAMETERS, {}) == []


def test_pages_dir(tmp_path: Path) -> None:
    (tmp_path / "20-2-3").write_bytes(b"any bytes, as the debugger reads them")
    pages = PagesDir(tmp_path, SMALL)
    assert pages.page(bytes.fromhex("0200000014020003"), 0, 0) == b"any bytes, as the debugger reads them"
    assert pages.page(bytes.fromhex("0200000014020002"), 0, 0) == b""
    assert pages.page(bytes.fromhex("020000001402000300"), 0, 0) == b""
    assert PagesDir(tmp_path).params == MOCK_PARAMETERS


def test_dal_reveal_kernel_on_the_wasm_host() -> None:
    """The reference scenario of tezos-mirror's echo_dal_reveal_pages / _parameters kernels with our own
    WAT kernel: parameters answer the 32 bytes; page (15, 1, 2) reveals 0 bytes until P + lag, then
    the full page every level."""
    content = slot_bytes(9)
    view = DalView(SMALL, Slots({(15, 1): content}))
    rollup = Rollup.open(kernel=(FIXTURES / "dal_reveal.wasm").read_bytes(), first_level=14, dal=view)
    request = external(bytes.fromhex("020000000f010002"))
    lengths = [int.from_bytes(rollup.run_level([request]).debug[0], "little") for _ in range(5)]  # levels 14-18
    assert lengths == [0, 0, 0, 3967, 3967]
    assert rollup.read("/dal/parameters") == SMALL.encode()
    assert rollup.read("/dal/pages") == content[2 * 3967:3 * 3967] * 2


def test_replay_cli_dal_options(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from dsn.cli import main

    pages = tmp_path / "pages"
    pages.mkdir()
    page = bytes(range(256)) * 15 + bytes(127)  # 3,967 bytes
    (pages / "15-1-2").write_bytes(page)
    inputs = tmp_path / "inputs.json"
    attested = "0005" "0000000f" "0004" "00003dfc" "0f7f" "00000016" + "00" + "11" * 20 + "02"
    inputs.write_text(json.dumps([[{"external": "020000000f010002"}, {"serialized": attested}],
                                  [{"external": "020000000f010001"}]]))
    state = tmp_path / "st"
    result = CliRunner().invoke(main, ["kernel", "replay", str(inputs), "--kernel", str(FIXTURES / "dal_reveal.wasm"),
                                       "--data-dir", str(state), "--dal-pages-dir", str(pages),
                                       "--dal-parameters", "4,2,15868,3967"])
    assert result.exit_code == 0, result.output
    assert f"  debug: 0x{(3967).to_bytes(4, 'little').hex()}" in result.output
    assert f"  debug: 0x{attested}" in result.output
    assert "  debug: 0x00000000" in result.output  # page 1: no file
    shown = CliRunner().invoke(main, ["kernel", "show-key", "/dal/pages", "--data-dir", str(state)])
    assert shown.output.strip() == page.hex()
    shown = CliRunner().invoke(main, ["kernel", "show-key", "/dal/parameters", "--data-dir", str(state)])
    assert shown.output.strip() == DalParameters(4, 2, 15868, 3967).encode().hex()
    bad = CliRunner().invoke(main, ["kernel", "replay", str(inputs), "--data-dir", str(tmp_path / "b"),
                                    "--kernel", str(FIXTURES / "dal_reveal.wasm"), "--dal-parameters", "4,2"])
    assert bad.exit_code != 0 and "SLOTS,LAG,SLOT_SIZE,PAGE_SIZE" in bad.output
