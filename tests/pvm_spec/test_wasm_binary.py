"""The float ban applied at kernel load (spec §2.2)."""

import pytest
from wasmtime import wat2wasm

from pvm_spec.wasm_binary import find_float


def mod(body: str, extra: str = "") -> bytes:
    return wat2wasm(f'(module (memory 1) {extra} (func (export "f") {body}))')


@pytest.mark.parametrize("body,extra", [
    ("(local f64)", ""),
    ("(drop (f32.const 1))", ""),
    ("(drop (i32.trunc_sat_f32_s (f32.const 1)))", ""),
    ("(drop (i32.reinterpret_f32 (f32.const 0)))", ""),
    ("(drop (f64.load (i32.const 0)))", ""),
    ("(drop (f32x4.splat (f32.const 1)))", ""),
    ("(drop (f32x4.add (v128.const i32x4 0 0 0 0) (v128.const i32x4 0 0 0 0)))", ""),
    ("(drop (block (result f32) (f32.const 0)))", ""),
    ("", "(global f64 (f64.const 0))"),
    ("", "(type (func (param f32)))"),
])
def test_float_uses_are_found(body: str, extra: str) -> None:
    assert find_float(mod(body, extra)) is not None


def test_integer_code_passes() -> None:
    body = """
      (local i64 v128)
      (drop (i64.extend_i32_s (i32.wrap_i64 (i64.const 5))))
      (drop (i32x4.add (v128.const i32x4 1 2 3 4) (v128.const i32x4 0 0 0 0)))
      (drop (i8x16.extract_lane_u 3 (v128.const i64x2 0 0)))
      (memory.fill (i32.const 0) (i32.const 0) (i32.const 4))
      (memory.copy (i32.const 0) (i32.const 8) (i32.const 4))
      (drop (i32.extend8_s (i32.const 255)))
      (block $b (br_table $b $b (i32.const 0)))
      (drop (select (i32.const 1) (i32.const 2) (i32.const 0)))
      (if (i32.const 0) (then (drop (i32.load offset=4 (i32.const 0)))))
    """
    assert find_float(mod(body, '(data "f32.add f64")')) is None


def test_block_type_with_large_type_index() -> None:
    types = "".join(f"(type $t{i} (func (result i32) (result {'i32' if i < 69 else 'i64'})))" for i in range(70))
    body = "(drop (drop (block (type $t69) (result i32 i64) (i32.const 1) (i64.const 2))))"
    assert find_float(mod(body, types)) is None
    assert find_float(mod(body + "(drop (f32.const 0))", types)) is not None
