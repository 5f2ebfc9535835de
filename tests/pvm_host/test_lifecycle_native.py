"""PVM lifecycle (inbox, reboots, stuck flags, persistence) with native kernel_py kernels."""

from pathlib import Path

from pvm_host.inbox import END_OF_LEVEL, START_OF_LEVEL, external, info_per_level
from pvm_host.rollup import Rollup
from pvm_spec.constants import STUCK_FLAG_KEY, TOO_MANY_REBOOT_KEY

KERNELS = Path(__file__).parent / "native_kernels"


def test_inbox_outbox_and_trap() -> None:
    r = Rollup.open(native=str(KERNELS / "counter.py"))
    rep = r.run_level([external(b"a"), external(b"b")])
    assert rep.debug == [b"external a", b"external b"]
    # outbox: level 0, ids 2 and 3 (SOL=0, IPL=1)
    assert rep.outbox == [bytes(8)[:7] + b"\x02a", bytes(7) + b"\x03b"]
    assert r.read("/count") == (5).to_bytes(8, "little")  # SOL, IPL, 2 externals, EOL
    rep = r.run_level([external(b"trap"), external(b"x")])
    assert rep.outcomes == ["trap: AssertionError: trap requested"]
    assert rep.dropped_inputs == 2  # "x" and EOL
    assert r.read(STUCK_FLAG_KEY) == b""
    assert r.read("/count") == (8).to_bytes(8, "little")  # no rollback of the write before the trap
    rep = r.run_level([])
    assert rep.outcomes == ["ok"]
    assert r.read(STUCK_FLAG_KEY) is None
    assert r.status == "running"


def test_reboot_counter_and_inputs_survive_reboots() -> None:
    r = Rollup.open(native=str(KERNELS / "rebooter.py"))
    r.pvm.durable.set("/loop", b"")
    rep = r.run_level([external(b"m")])
    assert rep.boots == 1001
    assert rep.forced_yield
    counters = [int.from_bytes(d[:4], "little") for d in rep.debug]
    assert counters == list(range(1000, -1, -1))
    assert [d[4:] for d in rep.debug[:5]] == [START_OF_LEVEL, info_per_level(0), b"\x01m", END_OF_LEVEL, b""]
    assert r.read(TOO_MANY_REBOOT_KEY) == b""
    r.pvm.durable.remove("/loop")
    rep = r.run_level([])
    assert rep.boots == 1 and not rep.forced_yield
    assert r.read(TOO_MANY_REBOOT_KEY) is None
    assert r.read("/readonly/kernel/env/reboot_counter") == (1001).to_bytes(4, "little")


def test_persistence_resumes(tmp_path: Path) -> None:
    r = Rollup.open(state_dir=tmp_path, native=str(KERNELS / "counter.py"))
    r.run_level([external(b"a")])
    r.run_level([external(b"b")])
    root = r.root_hash()
    r.close()
    r2 = Rollup.open(state_dir=tmp_path, native=str(KERNELS / "counter.py"))
    assert r2.next_level == 2
    assert r2.root_hash() == root
    assert r2.outbox_at(1) == [b"\x00\x00\x00\x01\x00\x00\x00\x02b"]
    r2.run_level([])
    assert r2.read("/count") == (11).to_bytes(8, "little")
    r2.close()


def test_one_writer_per_state_dir(tmp_path: Path) -> None:
    import subprocess
    import sys

    import pytest

    from pvm_host.storage import StateLocked

    r = Rollup.open(state_dir=tmp_path, native=str(KERNELS / "counter.py"))
    r.run_level([])
    with pytest.raises(StateLocked):
        Rollup.open(state_dir=tmp_path, native=str(KERNELS / "counter.py"))
    dsn = str(Path(sys.executable).parent / "dsn")
    shown = subprocess.run([dsn, "kernel", "show-key", "/count", "--data-dir", str(tmp_path)],
                           capture_output=True, text=True, timeout=60)
    assert shown.stdout == "0300000000000000\n"  # a read-only open works while the writer runs
    r.close()
    Rollup.open(state_dir=tmp_path, native=str(KERNELS / "counter.py")).close()


def test_native_state_needs_native_engine(tmp_path: Path) -> None:
    import pytest

    r = Rollup.open(state_dir=tmp_path, native=str(KERNELS / "counter.py"))
    r.run_level([])
    r.close()
    with pytest.raises(ValueError, match="native"):
        Rollup.open(state_dir=tmp_path)
    Rollup.open(state_dir=tmp_path, native=str(KERNELS / "counter.py")).close()


def test_native_abort_and_bad_modules(tmp_path: Path) -> None:
    import pytest

    from pvm_host.native import load_kernel_module

    k = tmp_path / "aborting.py"
    k.write_text(
        "from kernel_py.intrinsics import abort, store_write\n\n\n"
        "def kernel_run() -> None:\n"
        '    store_write(b"/before", 0, b"1")\n'
        '    abort("bad input")\n'
    )
    r = Rollup.open(native=str(k))
    rep = r.run_level([])
    assert rep.debug == [b"bad input"] and rep.outcomes == ["trap: abort: bad input"]
    assert r.read("/before") == b"1" and r.read(STUCK_FLAG_KEY) == b""
    empty = tmp_path / "empty.py"
    empty.write_text("X = 1\n")
    with pytest.raises(ImportError, match="no kernel_run"):
        load_kernel_module(str(empty))


def test_injection_queue_is_persisted_and_consumed_atomically(tmp_path: Path) -> None:
    r = Rollup.open(state_dir=tmp_path, native=str(KERNELS / "counter.py"))
    r.enqueue([b"a", b"b"])
    r.close()
    r = Rollup.open(state_dir=tmp_path, native=str(KERNELS / "counter.py"))
    assert r.queued() == [b"a", b"b"]
    r.enqueue([b"c"])
    rep = r.run_queued_level()
    assert rep.debug == [b"external a", b"external b", b"external c"]
    assert r.queued() == []
    r.close()
    r = Rollup.open(state_dir=tmp_path, native=str(KERNELS / "counter.py"))
    assert r.queued() == [] and r.next_level == 1
    r.enqueue([b"d"])
    assert r.run_queued_level().debug == [b"external d"]
    r.close()
