"""Forged bytes of smart-rollup operations against vectors derived by hand from the protocol encoding.

Source of the layouts: tezos/tezos-mirror ``src/proto_alpha/lib_protocol/operation_repr.ml``, as
published in ``contrib/kaitai-struct-files/alpha__operation__unsigned.ksy``:

- manager content = tag u8 ‖ source public_key_hash (tag u8: 0 = ed25519, then 20 bytes) ‖ fee ‖
  counter ‖ gas_limit ‖ storage_limit, the last four as Zarith naturals (``n``: 7 bits per byte,
  little-endian groups, high bit = more);
- smart_rollup_originate (tag 200 = 0xc8) = … ‖ pvm_kind u8 (arith 0, wasm_2_0_0 1, riscv 2) ‖ kernel
  (``bytes_dyn_uint30``: u32 BE length ‖ bytes) ‖ parameters_ty (u32 BE length ‖ binary Micheline) ‖
  whitelist option (bool ``00``/``ff``, then u32 BE length ‖ public_key_hash*);
- smart_rollup_add_messages (tag 201 = 0xc9) = … ‖ message (u32 BE byte length of the list ‖
  (u32 BE length ‖ bytes)*);
- binary Micheline prim without args or annots = ``03`` ‖ prim code (``bytes`` = 105 = 0x69).
- operation = branch (32 bytes) ‖ contents*; signed = ‖ 64-byte signature over BLAKE2b-256(``03`` ‖
  unsigned); operation hash = base58 ``o`` of BLAKE2b-256(signed).

The addresses use all-zero hashes, whose base58 forms the wasm debugger documents as defaults
(tz1Ke2h7sDdakHJQh8WX4Z372du1KChsksyU, sr163Lv22CdE8QagCwf48PWDTquk6isQwv57).
"""

from __future__ import annotations

import hashlib

import nacl.signing
import pytest
from pytezos.crypto.encoding import base58_encode
from pytezos.michelson.forge import forge_nat
from pytezos.operation.forge import forge_operation as pytezos_forge

from tezos_l1.forge import (
    ForgeError,
    check_operation_size,
    commitment_b58,
    commitment_bytes,
    forge_content,
    forge_manager_header,
    forge_unsigned,
    operation_hash,
)
from tezos_l1.keys import Key

ZERO_TZ1 = "tz1Ke2h7sDdakHJQh8WX4Z372du1KChsksyU"
ZERO_SOURCE = "00" + "00" * 20  # public_key_hash: ed25519 tag 00 ‖ 20 zero bytes
HEADER = {"source": ZERO_TZ1, "fee": "1000", "counter": "5", "gas_limit": "2000", "storage_limit": "7000"}
# Zarith: 1000 = 0b111_1101000 -> e8 07; 5 -> 05; 2000 = 0b1111_1010000 -> d0 0f; 7000 = 54*128+88 -> d8 36
HEADER_HEX = ZERO_SOURCE + "e807" + "05" + "d00f" + "d836"
WASM8 = "0061736d01000000"  # "\0asm" + version 1: the smallest valid wasm module


def test_zarith_naturals() -> None:
    # Same varint as LEB128 (e.g. 300 = ac 02, the protobuf docs' example).
    assert [forge_nat(n).hex() for n in (0, 127, 128, 300, 1000, 2000, 7000)] == \
        ["00", "7f", "8001", "ac02", "e807", "d00f", "d836"]


def test_manager_header() -> None:
    assert forge_manager_header(HEADER).hex() == HEADER_HEX


def test_originate_vector() -> None:
    content = {"kind": "smart_rollup_originate", **HEADER, "pvm_kind": "wasm_2_0_0", "kernel": WASM8,
               "parameters_ty": {"prim": "bytes"}}
    expected = ("c8" + HEADER_HEX + "01"            # tag 200, header, wasm_2_0_0
                + "00000008" + WASM8                 # kernel
                + "00000002" + "0369"                # parameters_ty = bytes
                + "00")                              # no whitelist
    assert forge_content(content).hex() == expected


def test_originate_with_whitelist_vector() -> None:
    content = {"kind": "smart_rollup_originate", **HEADER, "pvm_kind": "wasm_2_0_0", "kernel": WASM8,
               "parameters_ty": {"prim": "pair", "args": [{"prim": "bytes"}, {"prim": "nat"}]},
               "whitelist": [ZERO_TZ1]}
    expected = ("c8" + HEADER_HEX + "01" + "00000008" + WASM8
                + "00000006" + "07" + "65" + "0369" + "0362"   # 6 bytes: prim 2 args (07) pair=101, bytes=105, nat=98
                + "ff" + "00000015" + ZERO_SOURCE)             # Some whitelist: 21 bytes
    assert forge_content(content).hex() == expected


def test_add_messages_vector_and_pytezos_agree() -> None:
    content = {"kind": "smart_rollup_add_messages", **HEADER, "storage_limit": "0", "message": ["0102", "ff"]}
    expected = ("c9" + ZERO_SOURCE + "e807" + "05" + "d00f" + "00"
                + "0000000b" + "00000002" + "0102" + "00000001" + "ff")
    assert forge_content(content).hex() == expected
    assert pytezos_forge(content).hex() == expected  # pytezos' own add_messages forging agrees


def test_envelope_matches_pytezos_transaction_and_reveal() -> None:
    header = forge_manager_header(HEADER)
    tx = {"kind": "transaction", **HEADER, "amount": "1", "destination": ZERO_TZ1}
    reveal = {"kind": "reveal", **HEADER, "public_key": Key(bytes(32)).public_key}
    assert pytezos_forge(tx)[:1 + len(header)] == bytes([108]) + header
    assert pytezos_forge(reveal)[:1 + len(header)] == bytes([107]) + header
    assert forge_content(tx) == pytezos_forge(tx)  # other kinds are delegated to pytezos


def test_operation_group_hash_and_signature() -> None:
    branch = base58_encode(bytes(32), b"B").decode()
    content = {"kind": "smart_rollup_add_messages", **HEADER, "message": ["00"]}
    unsigned = forge_unsigned(branch, [content])
    assert unsigned == bytes(32) + forge_content(content)
    # RFC 8032 test 1 key
    key = Key(bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"))
    assert key.public_key_bytes.hex() == "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
    sig = key.sign_operation(unsigned)
    digest = hashlib.blake2b(b"\x03" + unsigned, digest_size=32).digest()
    nacl.signing.VerifyKey(key.public_key_bytes).verify(digest, sig)
    signed = unsigned + sig
    assert operation_hash(signed) == base58_encode(hashlib.blake2b(signed, digest_size=32).digest(), b"o").decode()
    assert operation_hash(signed).startswith("o") and len(operation_hash(signed)) == 51


def test_limits_are_refused() -> None:
    base = {"kind": "smart_rollup_add_messages", **HEADER}
    assert len(forge_content({**base, "message": ["00" * 4095]})) > 4095
    with pytest.raises(ForgeError, match="4096 bytes; the limit is 4095"):
        forge_content({**base, "message": ["00" * 4096]})
    with pytest.raises(ForgeError, match="at least one message"):
        forge_content({**base, "message": []})
    with pytest.raises(ForgeError, match="empty whitelist"):
        forge_content({"kind": "smart_rollup_originate", **HEADER, "pvm_kind": "wasm_2_0_0", "kernel": WASM8,
                       "parameters_ty": {"prim": "bytes"}, "whitelist": []})
    with pytest.raises(ForgeError, match="unknown pvm_kind"):
        forge_content({"kind": "smart_rollup_originate", **HEADER, "pvm_kind": "wasm_3", "kernel": WASM8,
                       "parameters_ty": {"prim": "bytes"}})
    check_operation_size(bytes(32768 - 64))
    with pytest.raises(ForgeError, match="32769 bytes signed"):
        check_operation_size(bytes(32768 - 63))


def test_dal_publish_commitment_vector() -> None:
    # tag 230 = e6 ‖ header ‖ slot_index u8 ‖ commitment 48 B ‖ proof 96 B (dal_operations_repr.ml)
    commitment = commitment_b58(bytes(range(48)))
    assert commitment.startswith("sh") and len(commitment) == 74 and commitment_bytes(commitment) == bytes(range(48))
    content = {"kind": "dal_publish_commitment", **HEADER,
               "slot_header": {"slot_index": 5, "commitment": commitment, "commitment_proof": "ee" * 96}}
    assert forge_content(content).hex() == "e6" + HEADER_HEX + "05" + bytes(range(48)).hex() + "ee" * 96
    with pytest.raises(ForgeError, match="commitment_proof has 95 bytes"):
        forge_content({**content, "slot_header": {**content["slot_header"], "commitment_proof": "ee" * 95}})
    with pytest.raises(ForgeError, match="does not fit a u8"):
        forge_content({**content, "slot_header": {**content["slot_header"], "slot_index": 256}})
    with pytest.raises(ForgeError, match="not a DAL commitment"):
        commitment_bytes(base58_encode(bytes(32), b"B").decode())
