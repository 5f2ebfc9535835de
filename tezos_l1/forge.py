"""Binary forging of L1 manager operations, including the smart-rollup ones pytezos lacks.

Layouts follow the protocol's ``operation_repr.ml`` encodings (see tests/deploy/test_forge.py for the
field-by-field derivation). Operation contents are the JSON dicts the node RPC uses (numbers as
strings), so the same dict is forged locally, simulated and injected.
"""

from __future__ import annotations

import hashlib
from typing import Any

import base58
from pytezos.crypto.encoding import base58_encode
from pytezos.michelson.forge import forge_address, forge_array, forge_base58, forge_micheline, forge_nat
from pytezos.operation.forge import forge_operation as pytezos_forge_operation

from pvm_spec.constants import MAX_EXTERNAL_PAYLOAD
from pvm_spec.origination import MAX_OPERATION_SIZE, SIGNATURE_SIZE

SMART_ROLLUP_ORIGINATE_TAG = 200
SMART_ROLLUP_ADD_MESSAGES_TAG = 201
DAL_PUBLISH_COMMITMENT_TAG = 230
SLOT_HEADER_PREFIX = b"\x02\x74\xb4"  # b58check prefix of a DAL commitment (``sh1…``, 74 characters)
COMMITMENT_SIZE = 48  # compressed BLS12-381 G1 point
COMMITMENT_PROOF_SIZE = 96  # compressed G2 point
PVM_KINDS = {"arith": 0, "wasm_2_0_0": 1, "riscv": 2}


class ForgeError(ValueError):
    """An operation cannot be encoded (bad field, over a protocol limit)."""


def forge_manager_header(content: dict[str, Any]) -> bytes:
    """``source (21-byte public_key_hash) ‖ fee ‖ counter ‖ gas_limit ‖ storage_limit`` (Zarith naturals)."""
    return (
        forge_address(content["source"], tz_only=True)
        + forge_nat(int(content["fee"]))
        + forge_nat(int(content["counter"]))
        + forge_nat(int(content["gas_limit"]))
        + forge_nat(int(content["storage_limit"]))
    )


def forge_smart_rollup_originate(content: dict[str, Any]) -> bytes:
    """Tag 200: header ‖ pvm_kind u8 ‖ kernel (u32 len) ‖ parameters_ty (u32 len, binary Micheline)
    ‖ whitelist option (``00`` none, ``ff`` ‖ u32 len ‖ public_key_hash*)."""
    kind = content["pvm_kind"]
    if kind not in PVM_KINDS:
        raise ForgeError(f"unknown pvm_kind {kind!r}; expected one of {sorted(PVM_KINDS)}")
    res = bytes([SMART_ROLLUP_ORIGINATE_TAG]) + forge_manager_header(content)
    res += bytes([PVM_KINDS[kind]])
    res += forge_array(bytes.fromhex(content["kernel"]))
    res += forge_array(forge_micheline(content["parameters_ty"]))
    whitelist = content.get("whitelist")
    if whitelist is None:
        res += b"\x00"
    else:
        if not whitelist:
            raise ForgeError("an empty whitelist is rejected by the protocol; omit it for a public rollup")
        res += b"\xff" + forge_array(b"".join(forge_address(pkh, tz_only=True) for pkh in whitelist))
    return res


def forge_smart_rollup_add_messages(content: dict[str, Any]) -> bytes:
    """Tag 201: header ‖ u32 byte length ‖ (u32 len ‖ message)* — messages are hex strings."""
    messages = content["message"]
    if not messages:
        raise ForgeError("smart_rollup_add_messages needs at least one message")
    encoded = []
    for i, hex_msg in enumerate(messages):
        raw = bytes.fromhex(hex_msg)
        if len(raw) > MAX_EXTERNAL_PAYLOAD:
            raise ForgeError(f"message {i} has {len(raw)} bytes; the limit is {MAX_EXTERNAL_PAYLOAD}")
        encoded.append(forge_array(raw))
    return bytes([SMART_ROLLUP_ADD_MESSAGES_TAG]) + forge_manager_header(content) + forge_array(b"".join(encoded))


def commitment_b58(raw: bytes) -> str:
    """``sh1…`` form of a 48-byte DAL commitment."""
    if len(raw) != COMMITMENT_SIZE:
        raise ForgeError(f"a DAL commitment has {COMMITMENT_SIZE} bytes, not {len(raw)}")
    return base58.b58encode_check(SLOT_HEADER_PREFIX + raw).decode()


def commitment_bytes(b58: str) -> bytes:
    """The 48 bytes of an ``sh1…`` DAL commitment."""
    try:
        raw = base58.b58decode_check(b58)
    except ValueError as exc:
        raise ForgeError(f"bad DAL commitment {b58!r}: {exc}") from None
    if raw[:3] != SLOT_HEADER_PREFIX or len(raw) != 3 + COMMITMENT_SIZE:
        raise ForgeError(f"{b58!r} is not a DAL commitment (sh1…, {COMMITMENT_SIZE} bytes)")
    return raw[3:]


def forge_dal_publish_commitment(content: dict[str, Any]) -> bytes:
    """Tag 230: header ‖ slot_index u8 ‖ commitment (48 B) ‖ commitment_proof (96 B), no length prefixes."""
    header = content["slot_header"]
    index = int(header["slot_index"])
    if not 0 <= index <= 255:
        raise ForgeError(f"slot_index {index} does not fit a u8")
    proof = bytes.fromhex(header["commitment_proof"])
    if len(proof) != COMMITMENT_PROOF_SIZE:
        raise ForgeError(f"commitment_proof has {len(proof)} bytes; it must have {COMMITMENT_PROOF_SIZE}")
    return (bytes([DAL_PUBLISH_COMMITMENT_TAG]) + forge_manager_header(content) + bytes([index])
            + commitment_bytes(header["commitment"]) + proof)


_OWN_FORGERS = {
    "smart_rollup_originate": forge_smart_rollup_originate,
    "smart_rollup_add_messages": forge_smart_rollup_add_messages,
    "dal_publish_commitment": forge_dal_publish_commitment,
}


def forge_content(content: dict[str, Any]) -> bytes:
    """Forge one operation content; smart-rollup kinds here, the others (reveal, transaction,
    origination) with pytezos."""
    own = _OWN_FORGERS.get(content["kind"])
    return own(content) if own else pytezos_forge_operation(content)


def forge_unsigned(branch: str, contents: list[dict[str, Any]]) -> bytes:
    """Unsigned operation: ``branch (32-byte block hash) ‖ contents*``."""
    return forge_base58(branch) + b"".join(forge_content(c) for c in contents)


def check_operation_size(unsigned: bytes) -> None:
    """Refuse an operation that, once signed, exceeds the protocol's 32,768-byte limit."""
    size = len(unsigned) + SIGNATURE_SIZE
    if size > MAX_OPERATION_SIZE:
        raise ForgeError(f"operation is {size} bytes signed; the protocol limit is {MAX_OPERATION_SIZE}")


def operation_hash(signed: bytes) -> str:
    """Base58 ``o…`` hash of a signed operation (BLAKE2b-256 of its bytes)."""
    return base58_encode(hashlib.blake2b(signed, digest_size=32).digest(), b"o").decode()
