"""The two optimisation profiles: ``size`` gives smaller code with the same results as ``speed``."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from nacl.signing import SigningKey

from kernel_wasm import KernelTrap, compile_file
from kernel_wasm.phases import Compilation

ROOT = Path(__file__).parents[2]
CRYPTO = ROOT / "kernel_py" / "crypto"


def test_unknown_profile_is_refused() -> None:
    with pytest.raises(ValueError, match="optimize must be one of speed, size"):
        Compilation(CRYPTO / "blake2b.py", ["blake2b_256"], optimize="fast")


@pytest.mark.parametrize("name,exports", [("blake2b", ["blake2b_256"]), ("sha512", ["sha512"]),
                                          ("ed25519", ["verify"])])
def test_size_profile_is_smaller(name: str, exports: list[str]) -> None:
    speed = Compilation(CRYPTO / f"{name}.py", exports, names=False, optimize="speed").wasm
    size = Compilation(CRYPTO / f"{name}.py", exports, names=False, optimize="size").wasm
    assert len(size) < len(speed)


def test_size_profile_crypto_agrees_with_references() -> None:
    b2 = compile_file(CRYPTO / "blake2b.py", exports=["blake2b"], optimize="size")
    sha = compile_file(CRYPTO / "sha512.py", exports=["sha512"], optimize="size")
    for n in (0, 1, 127, 128, 129, 300):
        data = bytes((7 * i + n) & 0xFF for i in range(n))
        for digest in (1, 20, 32, 64):
            assert b2.call("blake2b", data, digest) == hashlib.blake2b(data, digest_size=digest).digest()
        assert sha.call("sha512", data) == hashlib.sha512(data).digest()
    ed = compile_file(CRYPTO / "ed25519.py", exports=["verify"], optimize="size")
    key = SigningKey(bytes(range(32)))
    sig = key.sign(b"size profile").signature
    assert ed.call("verify", bytes(key.verify_key), b"size profile", sig) is True
    assert ed.call("verify", bytes(key.verify_key), b"size profilE", sig) is False


def test_kernel_build_defaults_to_size() -> None:
    from click.testing import CliRunner

    from kernel_wasm.cli import build_cmd
    result = CliRunner().invoke(build_cmd, ["-o", "/dev/null"])
    assert result.exit_code == 0, result.output
    assert "(optimize=size)" in result.output


def test_only_indexed_32_bit_tables_are_narrowed() -> None:
    from kernel_wasm.codegen.tables import narrow_tables
    comp = Compilation(ROOT / "tests" / "compiler" / "programs" / "lists.py", ["table", "narrow"])
    narrowed = narrow_tables(comp.ir)
    assert [op for op, _ in narrowed.values()] == ["i64.load32_s"]
    assert [values for _, values in narrowed.values()] == [[-5, 7, 2147483647, -2147483648]]
    m = compile_file(ROOT / "tests" / "compiler" / "programs" / "lists.py", exports=["narrow"])
    assert m.call("narrow", 2) == (2147483647, 14, 9)


def test_size_report_accounts_for_every_byte() -> None:
    from kernel_wasm.backend.sizes import size_report
    comp = Compilation(CRYPTO / "blake2b.py", ["blake2b_256"], names=True, optimize="size")
    report = size_report(comp.wasm)
    assert sum(report.sections.values()) + 8 == report.total == len(comp.wasm)
    code_header = report.sections[10] - sum(report.functions.values())
    assert 0 < code_header <= 6  # section id, size and function count
    assert report.functions["kernel_py.crypto.blake2b._compress"] > 500
    assert set(report.by_group()) == {"kernel_py.crypto.blake2b", "runtime"}


def test_small_local_lists_become_locals_after_unrolling() -> None:
    lists = ROOT / "tests" / "compiler" / "programs" / "lists.py"
    speed = Compilation(lists, ["vector", "edit"], optimize="speed").ir.funcs
    assert {"v%0", "v%3"} <= set(speed["tests.compiler.programs.lists.vector"].locals)
    assert not any("%" in n for n in speed["tests.compiler.programs.lists.edit"].locals)  # a parameter stays
    size = Compilation(lists, ["vector"], optimize="size").ir.funcs  # not unrolled: stays a list
    assert "v%0" not in size["tests.compiler.programs.lists.vector"].locals
    assert compile_file(lists, exports=["vector"]).call("vector", 5, 2) == 2 + 5 * 6 - 2 * 3 + 4


HOT = '''
from kernel_py.intrinsics import wrapping_add_u64, u64


def plain(xs: list[u64]) -> u64:
    """The sum of the first three items."""
    return wrapping_add_u64(wrapping_add_u64(xs[0], xs[1]), xs[2])


def hot(xs: list[u64]) -> u64:
    """Hot: the sum of the first three items."""
    return wrapping_add_u64(wrapping_add_u64(xs[0], xs[1]), xs[2])
'''


def _func_wat(wat: str, name: str) -> str:
    start = wat.index(f"(func ${name} ")
    return wat[start:wat.index("\n  )", start)]


def test_hot_docstring_inlines_checks_in_the_size_profile(tmp_path: Path) -> None:
    src = tmp_path / "hot.py"
    src.write_text(HOT)
    m = compile_file(src, exports=["plain", "hot"], optimize="size")
    plain, hot = _func_wat(m.wat, "hot.plain"), _func_wat(m.wat, "hot.hot")
    assert plain.count("call $%getl8_i64_load") == 3  # the shared routine, as elsewhere in the size profile
    assert "call $%" not in hot and hot.count("i64.load offset=") == 3  # bounds tests and loads inline, as in speed
    for name in ("plain", "hot"):
        assert m.call(name, [1, 2, 3]) == 6
        with pytest.raises(KernelTrap) as failure:
            m.call(name, [1, 2])
        assert failure.value.kind == "bounds"


LISTS = '''
from kernel_py.intrinsics import u64


def build(n: int) -> list[int]:
    """[] then n appends of 64-bit items and of flags; the flags' count is the last item."""
    out: list[int] = []
    flags: list[bool] = []
    for i in range(n):
        out.append(i * 3)
        flags.append(i % 2 == 0)
    out.append(len(flags))
    return out


def words(n: int) -> list[u64]:
    """n appends of unsigned 64-bit words to a fresh list."""
    out: list[u64] = []
    for i in range(n):
        out.append(u64(i) << u64(60))
    return out
'''


def test_size_profile_builds_empty_lists_and_appends_through_shared_routines(tmp_path: Path) -> None:
    src = tmp_path / "lists.py"
    src.write_text(LISTS)
    size = compile_file(src, exports=["build", "words"], optimize="size")
    speed = compile_file(src, exports=["build", "words"], optimize="speed")
    build = _func_wat(size.wat, "lists.build")
    assert build.count("call $%empty8") == 1 and build.count("call $%empty1") == 1
    assert build.count("call $%append8") == 2 and build.count("call $%append1") == 1
    assert "call $list_slot" not in build and "call $list_slot" in _func_wat(speed.wat, "lists.build")
    for m in (size, speed):
        assert m.call("build", 0) == [0]
        assert m.call("build", 5) == [0, 3, 6, 9, 12, 5]
        assert m.call("words", 3) == [0, 1 << 60, 2 << 60]
