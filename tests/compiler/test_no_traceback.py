"""Odd and refused programs never crash the compiler: they compile, or fail with a located
CompileError (never another exception)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kernel_wasm import CompileError, compile_file

HEAD = "from dataclasses import dataclass\nfrom kernel_py.intrinsics import u8, u32, u64, i32, abort, write_debug\n"

SNIPPETS = {
 'step': "def f(b: bytes) -> bytes:\n    return b[1:2:3]\n",
 'unpack_int': "def f(x: int) -> int:\n    a, b = 1\n    return a\n",
 'for_tuple': "def f(b: bytes) -> int:\n    for i, j in b:\n        pass\n    return 0\n",
 'attr_int': "def f(x: int) -> int:\n    return x.y\n",
 'undef_call': "def f(x: int) -> int:\n    return g(x)\n",
 'len_noarg': "def f(x: int) -> int:\n    return len()\n",
 'u8_noarg': "def f(x: int) -> u8:\n    return u8()\n",
 'ret_tuple_wrong': "def f(x: int) -> int:\n    return x, x\n",
 'class_plain': "class A:\n    x: int\ndef f(x: int) -> int:\n    return x\n",
 'method_int': "def f(x: int) -> int:\n    return x.bit_length()\n",
 'from_bytes_1arg': "def f(b: bytes) -> int:\n    return int.from_bytes(b)\n",
 'empty_list': "def f(x: int) -> int:\n    y = []\n    return x\n",
 'kwargs_call': "def g(a: int) -> int:\n    return a\ndef f(x: int) -> int:\n    return g(a=x)\n",
 'nested_list': "def f(n: int) -> int:\n    xs: list[list[int]] = [[1, 2], [3]]\n    return xs[1][0] + len(xs[0])\n",
 'while_true': "def f(n: int) -> int:\n    i = 0\n    while True:\n        i += 1\n        if i > n:\n            return i\n",
 'set_lit': "def f(x: int) -> int:\n    s = {1, 2}\n    return x\n",
 'print': "def f(x: int) -> int:\n    print(x)\n    return x\n",
 'not_bytes': "def f(b: bytes) -> bool:\n    return not b\n",
 'chain_call': "def g(x: int) -> int:\n    return x\ndef f(x: int) -> bool:\n    return 0 < g(x) < 10\n",
 'bytes_aug': "def f(b: bytes) -> bytes:\n    b += b'x'\n    return b\n",
 'bytes_mul': "def f(n: int) -> bytes:\n    return b'\\x00' * n\n",
 'is_none': "def f(x: int) -> bool:\n    return x is None\n",
 'ann_novalue': "def f(x: int) -> int:\n    y: int\n    y = x\n    return y\n",
 'del': "def f(x: int) -> int:\n    del x\n    return 0\n",
 'deco': "def d(f: int) -> int:\n    return f\n@d\ndef f(x: int) -> int:\n    return x\n",
 'async': "async def f(x: int) -> int:\n    return x\n",
 'yield': "def f(x: int) -> int:\n    yield x\n",
 'frozen': "@dataclass(frozen=True)\nclass P:\n    a: int\ndef f(x: int) -> int:\n    return P(x).a\n",
 'default_field': "@dataclass\nclass P:\n    a: int = 0\ndef f(x: int) -> int:\n    return x\n",
 'rec_args': "@dataclass\nclass P:\n    a: int\ndef f(x: int) -> int:\n    return P(x, x).a\n",
 'bad_import': "from kernel_py.nonexistent import zz\ndef f(x: int) -> int:\n    return x\n",
 'bad_intr': "from kernel_py.intrinsics import zz\ndef f(x: int) -> int:\n    return x\n",
 'tuple_expr': "def f(x: int) -> int:\n    t = (1, 2)\n    return x\n",
 'ellipsis': "def f(x: int) -> int:\n    ...\n    return x\n",
 'fstring': "def f(x: int) -> int:\n    abort(f'{x}')\n",
 'assert_f': "def f(x: int) -> int:\n    assert x, f'{x}'\n    return x\n",
 'func_value': "def f(x: int) -> int:\n    g = f\n    return x\n",
 'syntax': "def f(x: int) -> int:\n    return x if\n",
 'list_slice': "def f(xs: list[int]) -> list[int]:\n    return xs[1:]\n",
 'neg_index_const': "def f(b: bytes) -> u8:\n    return b[-1]\n",
 'big_literal': "def f(x: u64) -> u64:\n    return x + 2**70\n",
 'str_cmp': "def f(x: int) -> bool:\n    return 'a' == 'b'\n",
 'bool_arith': "def f(a: bool) -> int:\n    return a + 1\n",
 'record_eq': "@dataclass\nclass P:\n    a: int\ndef f(x: int) -> bool:\n    return P(x) == P(x)\n",
 'list_eq': "def f(x: int) -> bool:\n    return [x] == [x]\n",
 'shadow_const': "K: int = 3\ndef f(x: int) -> int:\n    K = x\n    return K\n",
 'const_assign_tab': "T: list[int] = [1]\ndef f(x: int) -> int:\n    T[0] = x\n    return x\n",
 'none_ret': "def f(x: int) -> None:\n    return None\n",
 'void_use': "def g(x: int) -> None:\n    pass\ndef f(x: int) -> int:\n    y = g(x)\n    return x\n",
 'ifexp_mixed': "def f(x: int) -> int:\n    return 1 if x else b'a'\n",
 'for_int': "def f(x: int) -> int:\n    for i in x:\n        pass\n    return 0\n",
 'range_float_step': "def f(x: int) -> int:\n    for i in range(0, x, x):\n        pass\n    return 0\n",
 'with': "def f(x: int) -> int:\n    with x:\n        pass\n    return x\n",
 'match': "def f(x: int) -> int:\n    match x:\n        case 1:\n            return 1\n    return 0\n",
 'walrus': "def f(x: int) -> int:\n    if (y := x):\n        return y\n    return 0\n",
 'starred': "def g(a: int) -> int:\n    return a\ndef f(x: list[int]) -> int:\n    return g(*x)\n",
 'dict_comp': "def f(x: int) -> int:\n    d = {i: i for i in range(3)}\n    return x\n",
 'toplevel_code': "X: int = 1\nX += 1\ndef f(x: int) -> int:\n    return x\n",
 'toplevel_call': "write_debug(b'x')\ndef f(x: int) -> int:\n    return x\n",
 'subscript_call': "def f(x: int) -> int:\n    return [x][0]\n",
 'mixed_u64_sign': "def f(a: u64, b: int) -> bool:\n    return a < b\n",
 'from_bytes_neg_ctx': "def f(b: bytes) -> i32:\n    v: i32 = int.from_bytes(b[0:4], 'big')\n    return v\n",
 'intrinsic_value': "def f(x: int) -> int:\n    g = abort\n    return x\n",
 'keyword_only': "def f(*, x: int) -> int:\n    return x\n",
 'global_read_mut': "T: list[int] = [1, 2]\ndef f(i: int) -> int:\n    return T[i] + len(T)\n",
 'unannot_list_const': "T = [1, 2]\ndef f(i: int) -> int:\n    return i\n",
 'bytearray_append': "def f(x: u8) -> bytes:\n    b = bytearray(0)\n    b.append(x)\n    return bytes(b)\n",
 'list_of_tuple': "def f(x: int) -> int:\n    xs: list[tuple[int, int]] = []\n    return x\n",
 'bool_from_int_ret': "def f(x: int) -> bool:\n    return x\n",
 'break_outside': "def f(x: int) -> int:\n    break\n",
 'lambda_default': "def f(x: int) -> int:\n    g = lambda: 1\n    return x\n",
}


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_compiles_or_reports(name: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.py"
    path.write_text(HEAD + SNIPPETS[name])
    try:
        compile_file(path, exports=["f"]).wasm
    except CompileError as exc:
        assert exc.line >= 1 and exc.col >= 1 and exc.hint, str(exc)
        assert str(exc).startswith(f"{exc.file}:{exc.line}:{exc.col}: error: ")
