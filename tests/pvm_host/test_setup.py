"""Installer-style setup files: parsing (JSON, YAML) and application (set, move, reveal)."""

from pathlib import Path

import pytest

from pvm_host.pvm import MissingPreimage, PvmState, preimage_hash
from pvm_host.setup_file import apply_setup, load_setup


def _page(tag: int, body: bytes) -> bytes:
    return bytes([tag]) + len(body).to_bytes(4, "big") + body


def test_yaml_and_json_forms(tmp_path: Path) -> None:
    y = tmp_path / "s.yaml"
    y.write_text(
        "# setup\ninstructions:\n  - set:\n      value: 00ff\n      to: /a\n"
        "  - move: {from: /a, to: /b}\n  - reveal: 00" + "11" * 32 + "\n    to: /c\n"
    )
    j = tmp_path / "s.json"
    j.write_text('{"instructions": [{"set": {"value": "00ff", "to": "/a"}}, {"move": {"from": "/a", "to": "/b"}},'
                 ' {"reveal": "00' + "11" * 32 + '", "to": "/c"}]}')
    expected = [("set", "/a", b"\x00\xff"), ("move", "/b", "/a"), ("reveal", "/c", "00" + "11" * 32)]
    assert load_setup(y) == expected
    assert load_setup(j) == expected
    bad = tmp_path / "bad.yaml"
    bad.write_text("instructions:\n  - frobnicate: {to: /x}\n")
    with pytest.raises(ValueError, match="instruction 0"):
        load_setup(bad)


def test_apply_set_move_reveal(tmp_path: Path) -> None:
    leaves = [_page(0, b"hello "), _page(0, b"world")]
    for leaf in leaves:
        (tmp_path / preimage_hash(leaf).hex()).write_bytes(leaf)
    root = _page(1, b"".join(preimage_hash(leaf) for leaf in leaves))
    (tmp_path / preimage_hash(root).hex()).write_bytes(root)
    pvm = PvmState(preimages_dir=tmp_path)
    apply_setup(pvm, [("set", "/a/x", b"1"), ("move", "/b", "/a"), ("reveal", "/c", preimage_hash(root).hex())])
    assert dict(pvm.durable.items()) == {"/b/x": b"1", "/c": b"hello world"}
    with pytest.raises(MissingPreimage):
        apply_setup(pvm, [("reveal", "/d", "00" + "22" * 32)])
    with pytest.raises(ValueError, match="nothing at /zz"):
        apply_setup(pvm, [("move", "/y", "/zz")])


def test_yaml_scalars_stay_strings_and_bad_yaml_is_a_clear_error(tmp_path: Path) -> None:
    y = tmp_path / "s.yaml"
    y.write_text("instructions:\n  - set:\n      value: 0011\n      to: /n\n  - set: {value: '12', to: /m}\n")
    assert load_setup(y) == [("set", "/n", b"\x00\x11"), ("set", "/m", b"\x12")]
    y.write_text("instructions:\n  - set: {value: 00\n")
    with pytest.raises(ValueError, match="s.yaml"):
        load_setup(y)
    y.write_text("[1, 2]\n")
    with pytest.raises(ValueError, match="an 'instructions' list"):
        load_setup(y)
