"""The intrinsic table: every name of ``kernel_py.intrinsics`` and how it is typed and lowered."""

from __future__ import annotations

from kernel_wasm.ir.types import BOOL, BYTES, I32, I64, NONE, U8, U32, U64, IntType, Type
from pvm_spec.abi import IMPORTS

# name -> (parameter types, result type, wasm op); "any" = any integer type (converted to the op's width)
WRAPPING: dict[str, tuple[list[object], Type, str]] = {}
for _t, _w in ((U32, "i32"), (I32, "i32"), (U64, "i64"), (I64, "i64")):
    _s = _t.name if _t is not I64 else "i64"
    for _op in ("add", "sub", "mul"):
        WRAPPING[f"wrapping_{_op}_{_s}"] = ([_t, _t], _t, f"{_w}.{_op}")
WRAPPING["wrapping_shl_u32"] = ([U32, "any"], U32, "i32.shl")
WRAPPING["wrapping_shl_u64"] = ([U64, "any"], U64, "i64.shl")
WRAPPING["wrapping_shl_i64"] = ([I64, "any"], I64, "i64.shl")
WRAPPING["rotl_u32"] = ([U32, "any"], U32, "i32.rotl")
WRAPPING["rotr_u32"] = ([U32, "any"], U32, "i32.rotr")
WRAPPING["rotl_u64"] = ([U64, "any"], U64, "i64.rotl")
WRAPPING["rotr_u64"] = ([U64, "any"], U64, "i64.rotr")
WRAPPING["sar_i64"] = ([I64, "any"], I64, "i64.shr_s")
WRAPPING["sar_i32"] = ([I32, "any"], I32, "i32.shr_s")

CONVERSIONS: dict[str, IntType] = {"u8": U8, "u32": U32, "u64": U64, "i32": I32, "i64": I64}

# truncate_* / bits_*: wrapping reinterpretation of any integer
TRUNCATIONS: dict[str, IntType] = {
    "truncate_u8": U8, "truncate_u32": U32, "truncate_i32": I32, "bits_u64": U64, "bits_i64": I64,
}

# host intrinsics: name -> (parameter kinds, result type). "bytes" = a bytes-like value, "int" = any integer.
HOST: dict[str, tuple[list[str], Type]] = {
    "read_input": ([], BYTES),
    "input_level": ([], I64),
    "input_id": ([], I64),
    "write_output": (["bytes"], I64),
    "write_debug": (["bytes"], NONE),
    "store_has": (["bytes"], I64),
    "store_exists": (["bytes"], I64),
    "store_delete": (["bytes"], I64),
    "store_delete_value": (["bytes"], I64),
    "store_copy": (["bytes", "bytes"], I64),
    "store_move": (["bytes", "bytes"], I64),
    "store_value_size": (["bytes"], I64),
    "store_list_size": (["bytes"], I64),
    "store_read": (["bytes", "int", "int"], BYTES),
    "store_write": (["bytes", "int", "bytes"], I64),
    "store_create": (["bytes", "int"], I64),
    "reveal_preimage": (["bytes", "int"], BYTES),
    "reveal_metadata": ([], BYTES),
    "reveal": (["bytes", "int"], BYTES),
}

# raw smart_rollup_core import signatures of the host intrinsics that are imports (pvm_spec.abi)
RAW_IMPORTS: dict[str, tuple[list[str], list[str]]] = {
    name: (list(IMPORTS[name].params), list(IMPORTS[name].results)) for name in HOST if name in IMPORTS
}

OTHER = {"abort", "mul_wide_u32", "lt_u64", "KernelFailure", "Host", "install_host"}

ALL_NAMES = set(WRAPPING) | set(CONVERSIONS) | set(TRUNCATIONS) | set(HOST) | OTHER

__all__ = ["ALL_NAMES", "BOOL", "CONVERSIONS", "HOST", "RAW_IMPORTS", "TRUNCATIONS", "WRAPPING"]
