"""Host intrinsics through a Python host on both sides, kernel mode (PVM contract), the Python API."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kernel_py import intrinsics
from kernel_wasm import KernelTrap, compile_file, native
from kernel_wasm.backend.binary import inspect
from tests.compiler.differential import PROGRAMS, Pair
from tests.compiler.fakehost import FakeHost

HOSTIO = PROGRAMS / "hostio.py"


@pytest.fixture(scope="module")
def hostio() -> Pair:
    return Pair("hostio", ["bump", "storage", "cleanup", "reveal"])


@pytest.fixture(scope="module")
def kernel() -> bytes:
    return compile_file(HOSTIO).wasm


def run_both(pair: Pair, func: str, args: tuple, setup) -> tuple:
    py_host, wasm_host = FakeHost(), FakeHost()
    setup(py_host)
    setup(wasm_host)
    intrinsics.install_host(py_host)
    expected = getattr(pair.py, func)(*args)
    got = pair.wasm.call(func, *args, host=wasm_host)
    assert got == expected
    assert wasm_host.state() == py_host.state()
    return got


@settings(max_examples=40, deadline=None)
@given(key=st.sampled_from([b"/a", b"/b/c", b"/counter"]), by=st.integers(0, 1000), start=st.integers(0, 1 << 40))
def test_storage_read_write(hostio: Pair, key: bytes, by: int, start: int) -> None:
    got = run_both(hostio, "bump", (key, by), lambda h: h.store.__setitem__(key, start.to_bytes(8, "little")))
    assert got == start + by


def test_storage_calls(hostio: Pair) -> None:
    def setup(h: FakeHost) -> None:
        h.store[b"/k"] = b"value"
        h.store[b"/k/child"] = b"x"
    got = run_both(hostio, "storage", (b"/k", b"/copy"), setup)
    assert got == (3, 1, 0, 3, 0, 0, 0, b"value")
    run_both(hostio, "cleanup", (b"/k",), setup)


def test_reveal(hostio: Pair) -> None:
    h33 = bytes(33)
    got = run_both(hostio, "reveal", (h33,), lambda h: h.preimages.__setitem__(h33, b"page" * 100))
    assert got == (b"page" * 100, bytes(range(20)) + (1234).to_bytes(4, "big"))


def test_kernel_mode_module_shape(kernel: bytes) -> None:
    facts = inspect(kernel)
    assert {m for m, _ in facts.imports} == {"smart_rollup_core"}
    assert sorted(facts.exports) == [("kernel_run", 0), ("memory", 2)]
    assert facts.memories == 1


@settings(max_examples=25, deadline=None)
@given(msgs=st.lists(st.binary(min_size=1, max_size=64), max_size=6))
def test_kernel_run_matches_cpython(msgs: list[bytes]) -> None:
    inbox = [(7, i, m) for i, m in enumerate(msgs)]
    py_host, wasm_host = FakeHost(inbox), FakeHost(inbox)
    intrinsics.install_host(py_host)
    native.load(HOSTIO).kernel_run()
    compiled = compile_file(HOSTIO)
    compiled.call("kernel_run", host=wasm_host)
    compiled.call("kernel_run", host=wasm_host)  # a second run starts from fresh memory
    assert wasm_host.outbox == py_host.outbox and wasm_host.store == py_host.store
    assert wasm_host.debug == py_host.debug
    assert len(wasm_host.debug) == len(msgs)


def test_trap_names_source_line(tmp_path: Path) -> None:
    src = tmp_path / "prog.py"
    src.write_text("from kernel_py.intrinsics import u32\n\n\ndef inc(x: u32) -> u32:\n    return x + 1\n")
    m = compile_file(src, exports=["inc"])
    assert m.call("inc", 41) == 42
    with pytest.raises(KernelTrap) as info:
        m.call("inc", 0xFFFF_FFFF)
    assert info.value.kind == "overflow"
    assert (info.value.file, info.value.line) == (str(src), 5)
    assert f"{src}:5: overflow" in str(info.value)
    assert m.fuel_used > 0


def test_fuel_is_deterministic() -> None:
    m = compile_file(PROGRAMS / "control.py", exports=["collatz"])
    m.call("collatz", 27, 1000)
    first = m.fuel_used
    m.call("collatz", 27, 1000)
    assert m.fuel_used == first > 100


def test_cross_module_imports(tmp_path: Path) -> None:
    pkg = tmp_path / "kernel_py"
    (pkg / "util").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "util" / "__init__.py").write_text("")
    (pkg / "util" / "mathx.py").write_text(
        "from dataclasses import dataclass\n\nSCALE: int = 10\n\n\n@dataclass\nclass Pair:\n    a: int\n    b: int\n\n\n"
        "def scaled(x: int) -> int:\n    return x * SCALE\n")
    (pkg / "main.py").write_text(
        "from kernel_py.util import mathx\nfrom kernel_py.util.mathx import Pair, scaled\n\n\n"
        "def run(x: int) -> int:\n    p = Pair(scaled(x), mathx.scaled(2))\n    return p.a + p.b + mathx.SCALE\n")
    m = compile_file(pkg / "main.py", exports=["run"])
    assert m.call("run", 3) == 30 + 20 + 10
    assert native.load(pkg / "main.py").run(3) == 60


def test_debug_build_names_failing_line(tmp_path: Path) -> None:
    from kernel_wasm import CompiledModule
    from kernel_wasm.phases import Compilation

    src = tmp_path / "k.py"
    src.write_text("from kernel_py.intrinsics import read_input\n\n\ndef kernel_run() -> None:\n"
                   "    m = read_input()\n    x = m[0] + 250\n    assert x > 0, \"never\"\n")
    debug = CompiledModule(Compilation(src, None, kernel=True, compact=False, site_messages=True))
    host = FakeHost([(1, 0, b"\x09")])
    with pytest.raises(KernelTrap):
        debug.call("kernel_run", host=host)
    assert host.debug == [f"{src}:6: overflow".encode()]
    small = CompiledModule(Compilation(src, None, kernel=True, compact=True, small=True))
    host = FakeHost([(1, 0, b"\x09")])
    with pytest.raises(KernelTrap) as info:
        small.call("kernel_run", host=host)
    assert info.value.kind == "trap" and host.debug == []  # compact checks do not record a site
    assert len(small.wasm) < len(debug.wasm)



def test_debug_kernel_heap_starts_above_the_site_messages(tmp_path: Path) -> None:
    """A --sites kernel resets its heap above the message table: fresh bytes are zero, messages intact."""
    from kernel_wasm import CompiledModule
    from kernel_wasm.phases import Compilation

    src = tmp_path / "k.py"
    src.write_text("from kernel_py.intrinsics import read_input, write_output\n\n\ndef kernel_run() -> None:\n"
                   "    m = read_input()\n    write_output(bytes(m[0]))\n    assert m[0] < 40, \"too long\"\n")
    debug = CompiledModule(Compilation(src, None, kernel=True, compact=False, site_messages=True))
    host = FakeHost([(1, 0, b"\x28")])
    with pytest.raises(KernelTrap):
        debug.call("kernel_run", host=host)
    assert host.outbox == [bytes(40)] and host.debug == [f"{src}:7: assert: too long".encode()]


def test_compact_helpers_trap_without_a_site_argument(tmp_path: Path) -> None:
    from kernel_wasm import CompiledModule
    from kernel_wasm.phases import Compilation

    src = tmp_path / "k.py"
    src.write_text("from kernel_py.intrinsics import read_input, write_output\n\n\ndef kernel_run() -> None:\n"
                   "    m = read_input()\n    b = bytes(m[0] - 5)\n"
                   "    write_output(int.from_bytes(m[1:len(m)], \"big\").to_bytes(8, \"big\") + b)\n")
    debug = CompiledModule(Compilation(src, None, kernel=True, compact=False, site_messages=True))
    small = CompiledModule(Compilation(src, None, kernel=True, compact=True, small=True))
    for name in ("bytes_new64", "from_bytes"):
        assert f"(func ${name} " in small.wat and f"(func ${name} " in debug.wat
        assert "$site" not in _func(small.wat, name) and "$site" in _func(debug.wat, name)
    ok = b"\x07" + bytes(8) + b"\x01"  # 2 zero bytes, then the 9-byte number 1
    for m in (debug, small):
        host = FakeHost([(1, 0, ok)])
        m.call("kernel_run", host=host)
        assert host.outbox == [(1).to_bytes(8, "big") + bytes(2)]
    for message, line in ((b"\x04\x01", 6), (b"\x05\x01" + bytes(8), 7)):  # bytes(-1); a 9-byte number >= 2^64
        host = FakeHost([(1, 0, message)])
        with pytest.raises(KernelTrap):
            debug.call("kernel_run", host=host)
        assert host.debug == [f"{src}:{line}: overflow".encode()]
        host = FakeHost([(1, 0, message)])
        with pytest.raises(KernelTrap) as info:
            small.call("kernel_run", host=host)
        assert info.value.kind == "trap" and host.debug == []


def _func(wat: str, name: str) -> str:
    start = wat.index(f"(func ${name} ")
    return wat[start:wat.index("\n(func", start + 1) if "\n(func" in wat[start + 1:] else len(wat)]
