"""The one ABI table: its shape, and that the compiler and the host both use it."""

from __future__ import annotations

from kernel_wasm.frontend.intrinsics import HOST, RAW_IMPORTS
from pvm_host.wasm_engine import SIGNATURES
from pvm_spec import constants
from pvm_spec.abi import HOST_MODULE, IMPORTS, link_error

ERROR_CODES = {v for k, v in vars(constants).items() if k.isupper() and isinstance(v, int) and -13 <= v <= -1}


def test_table_has_the_19_r5_imports_with_known_error_codes() -> None:
    assert len(IMPORTS) == 19 and not any(n.startswith("nds_") for n in IMPORTS)
    assert IMPORTS["store_list_size"].results == ("i64",) and IMPORTS["write_debug"].results == ()
    assert IMPORTS["store_get_nth_key"].params == ("i32", "i32", "i64", "i32", "i32")
    assert {f.since for f in IMPORTS.values()} == {0, 1, 2, 3}
    assert all(set(f.errors) <= ERROR_CODES for f in IMPORTS.values())
    assert IMPORTS["store_read"].max_bytes == constants.MAX_STORE_IO_SIZE == 2048


def test_compiler_and_host_derive_from_the_table() -> None:
    assert set(RAW_IMPORTS) == set(HOST) - {"input_level", "input_id"}
    for name, (params, results) in RAW_IMPORTS.items():
        assert (tuple(params), tuple(results)) == (IMPORTS[name].params, IMPORTS[name].results)
    assert set(SIGNATURES) == set(IMPORTS)
    for name, (params, results) in SIGNATURES.items():
        assert tuple(map(str, params)) == IMPORTS[name].params and tuple(map(str, results)) == IMPORTS[name].results


def test_link_errors() -> None:
    assert link_error(HOST_MODULE, "store_read", ["i32"] * 5, ["i32"]) is None
    assert link_error("env", "store_read") == "unknown module env"
    assert link_error(HOST_MODULE, "nds_store_read") == "unknown item smart_rollup_core.nds_store_read"
    assert link_error(HOST_MODULE, "write_debug", ["i32", "i32"], ["i32"]) == "type mismatch for write_debug"
