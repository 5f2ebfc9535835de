"""Conformance of the smart_rollup_core host functions (revision 2.0.0-r5) with hand-written WAT kernels.

Expected values come from shared/spec/tezos-pvm.md §1.2–1.5 and §3–5.
"""

from pathlib import Path

from pvm_host.durable import DurableTree
from pvm_host.inbox import END_OF_LEVEL, START_OF_LEVEL, external, info_per_level
from pvm_host.pvm import preimage_hash
from pvm_host.rollup import Rollup
from tests.pvm_host.wat import ints, kernel

KEY_A = {100: b"/a"}


def run(body: str, data: dict[int, bytes] | None = None, messages: list[bytes] | None = None, **kw: object) -> tuple[Rollup, list[int]]:
    rollup = Rollup.open(kernel=kernel(body, data), **kw)  # type: ignore[arg-type]
    report = rollup.run_level(messages or [])
    assert report.outcomes == ["ok"], report.outcomes
    return rollup, ints(report.debug)


def test_read_input_info_and_payloads() -> None:
    body = """
      (local $n i32)
      (loop $next
        (local.set $n (call $read_input (i32.const 16) (i32.const 64) (i32.const 4096)))
        (if (i32.gt_s (local.get $n) (i32.const 0)) (then
          (call $dbg (i32.load (i32.const 16)))
          (call $dbg (i32.load (i32.const 20)))
          (call $write_debug (i32.const 64) (local.get $n))
          (br $next))))
      (call $dbg (local.get $n))
    """
    rollup = Rollup.open(kernel=kernel(body), first_level=7)
    rep = rollup.run_level([external(b"hi")], timestamp=1_700_000_000, predecessor=bytes(range(32)))
    d = rep.debug
    expected_msgs = [START_OF_LEVEL, info_per_level(1_700_000_000, bytes(range(32))), b"\x01hi", END_OF_LEVEL]
    assert d[2::3] == expected_msgs
    assert ints(d[0::3][:4]) == [7, 7, 7, 7]
    assert ints(d[1::3][:4]) == [0, 1, 2, 3]
    assert ints(d[-1:]) == [0]
    assert expected_msgs[1].hex() == "0003" + "000000006553f100" + bytes(range(32)).hex()


def test_read_input_truncates_and_strict_bounds() -> None:
    # memory is 1 page = 65536 bytes; a 16-byte buffer ending exactly at the end is refused (-6)
    body = """
      (call $dbg (call $read_input (i32.const 16) (i32.const 65520) (i32.const 16)))
      (call $dbg (call $read_input (i32.const 16) (i32.const 65519) (i32.const 16)))
      (call $dbg (call $read_input (i32.const 65528) (i32.const 64) (i32.const 16)))
      (call $dbg (call $read_input (i32.const 16) (i32.const 64) (i32.const 1)))
      (call $write_debug (i32.const 64) (i32.const 1))
      (call $dbg (call $read_input (i32.const 16) (i32.const 64) (i32.const 4096)))
      (call $write_debug (i32.const 64) (i32.const 2))
    """
    rollup = Rollup.open(kernel=kernel(body))
    rep = rollup.run_level([])
    assert ints(rep.debug[:4]) == [-6, 2, -6, 1]  # SOL read at 65519; IPL truncated to 1 byte
    assert rep.debug[4] == b"\x00"
    assert ints(rep.debug[5:6]) == [2] and rep.debug[6] == END_OF_LEVEL


def test_write_output_limits() -> None:
    body = """
      (local $i i32)
      (call $dbg (call $write_output (i32.const 100) (i32.const 4097)))
      (call $dbg (call $write_output (i32.const 100) (i32.const 4096)))
      (call $dbg (call $write_output (i32.const 65530) (i32.const 100)))
      (loop $l
        (drop (call $write_output (i32.const 100) (i32.const 2)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (i32.const 99))))
      (call $dbg (call $write_output (i32.const 100) (i32.const 2)))
    """
    rollup, out = run(body, data={100: b"ok"})
    assert out == [-7, 0, -6, -11]
    box = rollup.outbox_at(0)
    assert len(box) == 100 and box[0] == b"ok" + bytes(4094) and box[1] == b"ok"


def test_store_has_list_size_exists_nth_key() -> None:
    data = {100: b"/a", 110: b"/a/b", 120: b"/a/c", 130: b"/zz", 200: b"v"}
    body = """
      (call $dbg (call $store_has (i32.const 100) (i32.const 2)))
      (drop (call $store_write (i32.const 100) (i32.const 2) (i32.const 0) (i32.const 200) (i32.const 1)))
      (call $dbg (call $store_has (i32.const 100) (i32.const 2)))
      (drop (call $store_write (i32.const 110) (i32.const 4) (i32.const 0) (i32.const 200) (i32.const 1)))
      (drop (call $store_write (i32.const 120) (i32.const 4) (i32.const 0) (i32.const 200) (i32.const 1)))
      (call $dbg (call $store_has (i32.const 100) (i32.const 2)))
      (call $dbg64 (call $store_list_size (i32.const 100) (i32.const 2)))
      (drop (call $store_delete_value (i32.const 100) (i32.const 2)))
      (call $dbg (call $store_has (i32.const 100) (i32.const 2)))
      (call $dbg64 (call $store_list_size (i32.const 100) (i32.const 2)))
      (call $dbg (call $store_exists (i32.const 100) (i32.const 2)))
      (call $dbg (call $store_exists (i32.const 130) (i32.const 3)))
      (call $dbg (call $store_get_nth_key (i32.const 100) (i32.const 2) (i64.const 1) (i32.const 300) (i32.const 10)))
      (call $write_debug (i32.const 300) (i32.const 1))
      (call $dbg (call $store_get_nth_key (i32.const 100) (i32.const 2) (i64.const 2) (i32.const 300) (i32.const 10)))
    """
    _, out = run(body, data=data)
    assert out[:9] == [0, 1, 3, 3, 2, 2, 1, 0, 1]
    assert out[9] == ord("c") and out[10] == -12


def test_store_read_write_create_value_size() -> None:
    data = {100: b"/a", 110: b"/e", 120: b"/n", 200: b"hello"}
    body = """
      (call $dbg (call $store_read (i32.const 100) (i32.const 2) (i32.const 0) (i32.const 300) (i32.const 10)))
      (call $dbg (call $store_write (i32.const 100) (i32.const 2) (i32.const 1) (i32.const 200) (i32.const 5)))
      (call $dbg (call $store_write (i32.const 100) (i32.const 2) (i32.const 0) (i32.const 200) (i32.const 5)))
      (call $dbg (call $store_write (i32.const 100) (i32.const 2) (i32.const 6) (i32.const 200) (i32.const 1)))
      (call $dbg (call $store_write (i32.const 100) (i32.const 2) (i32.const 5) (i32.const 200) (i32.const 2049)))
      (call $dbg (call $store_write (i32.const 100) (i32.const 2) (i32.const 3) (i32.const 200) (i32.const 5)))
      (call $dbg (call $store_value_size (i32.const 100) (i32.const 2)))
      (call $dbg (call $store_read (i32.const 100) (i32.const 2) (i32.const 2) (i32.const 300) (i32.const 100)))
      (call $write_debug (i32.const 300) (i32.const 6))
      (call $dbg (call $store_read (i32.const 100) (i32.const 2) (i32.const 8) (i32.const 300) (i32.const 1)))
      (call $dbg (call $store_read (i32.const 100) (i32.const 2) (i32.const 0) (i32.const 300) (i32.const 2049)))
      (call $dbg (call $store_read (i32.const 100) (i32.const 2) (i32.const 0) (i32.const 65528) (i32.const 8)))
      (call $dbg (call $store_create (i32.const 110) (i32.const 2) (i32.const 0)))
      (call $dbg (call $store_read (i32.const 110) (i32.const 2) (i32.const 0) (i32.const 300) (i32.const 8)))
      (call $dbg (call $store_create (i32.const 110) (i32.const 2) (i32.const 4)))
      (call $dbg (call $store_create (i32.const 100) (i32.const 3) (i32.const -1)))
      (call $dbg (call $store_create (i32.const 120) (i32.const 2) (i32.const -1)))
      (call $dbg (call $store_value_size (i32.const 110) (i32.const 2)))
      (call $dbg (call $store_value_size (i32.const 120) (i32.const 2)))
    """
    rollup = Rollup.open(kernel=kernel(body, data))
    rep = rollup.run_level([])
    out = ints(rep.debug[:8]) + [None] + ints(rep.debug[9:])
    # -3 no value; -4 offset 1 on a missing value; 0; -4 past end; -7 chunk; 0 (grows to 8); size 8
    assert out[:8] == [-3, -4, 0, -4, -7, 0, 8, 6]
    assert rep.debug[8] == b"lhello"  # "hel" + "hello" = "helhello"; from offset 2
    # -4 read at end; -7 read chunk; 8 bytes ending exactly at memory end is fine (non-strict)
    assert out[9:12] == [-4, -7, 8]
    # create empty; read empty → -4; create existing → -13; bad key "/a\0" -2 precedes the size check;
    # negative size → -5
    assert out[12:17] == [0, -4, -13, -2, -5]
    assert out[17:] == [0, -3]
    assert rollup.read("/a") == b"helhello"


def test_key_errors_and_readonly() -> None:
    long_key = b"/" + b"k" * 240  # 241 bytes
    data = {100: b"/a", 400: long_key, 700: b"/a//b", 720: b"/readonly/x", 740: b"/kernel/boot.wasm", 200: b"v"}
    body = """
      (call $dbg (call $store_write (i32.const 400) (i32.const 241) (i32.const 0) (i32.const 200) (i32.const 1)))
      (call $dbg (call $store_write (i32.const 400) (i32.const 240) (i32.const 0) (i32.const 200) (i32.const 1)))
      (call $dbg (call $store_has (i32.const 700) (i32.const 5)))
      (call $dbg (call $store_write (i32.const 720) (i32.const 11) (i32.const 0) (i32.const 200) (i32.const 1)))
      (call $dbg (call $store_delete (i32.const 720) (i32.const 9)))
      (call $dbg (call $store_copy (i32.const 740) (i32.const 17) (i32.const 720) (i32.const 11)))
      (call $dbg (call $store_move (i32.const 720) (i32.const 11) (i32.const 100) (i32.const 2)))
      (call $dbg (call $store_has (i32.const 65530) (i32.const 10)))
      (call $dbg (call $store_copy (i32.const 720) (i32.const 11) (i32.const 100) (i32.const 2)))
    """
    rollup, out = run(body, data=data)
    assert out == [-1, 0, -2, -9, -9, -9, -9, -6, -10]
    assert rollup.read(long_key[:240].decode()) == b"v"


def test_copy_move_delete_and_hash() -> None:
    data = {100: b"/a", 110: b"/a/b", 120: b"/c", 130: b"/d", 200: b"v"}
    body = """
      (drop (call $store_write (i32.const 100) (i32.const 2) (i32.const 0) (i32.const 200) (i32.const 1)))
      (drop (call $store_write (i32.const 110) (i32.const 4) (i32.const 0) (i32.const 200) (i32.const 1)))
      (call $dbg (call $store_copy (i32.const 100) (i32.const 2) (i32.const 120) (i32.const 2)))
      (call $dbg (call $store_move (i32.const 120) (i32.const 2) (i32.const 130) (i32.const 2)))
      (call $dbg (call $store_has (i32.const 120) (i32.const 2)))
      (call $dbg (call $store_has (i32.const 130) (i32.const 2)))
      (call $dbg (call $store_get_hash (i32.const 130) (i32.const 2) (i32.const 300) (i32.const 64)))
      (call $write_debug (i32.const 300) (i32.const 32))
      (call $dbg (call $store_delete (i32.const 100) (i32.const 2)))
      (call $dbg (call $store_delete (i32.const 100) (i32.const 2)))
      (call $dbg (call $store_has (i32.const 110) (i32.const 4)))
    """
    rollup = Rollup.open(kernel=kernel(body, data))
    rep = rollup.run_level([])
    assert ints(rep.debug[:5]) == [0, 0, 0, 3, 32]
    expected = DurableTree()
    expected.set("/d", b"v")
    expected.set("/d/b", b"v")
    assert rep.debug[5] == expected.subtree_hash("/d")
    assert ints(rep.debug[6:]) == [0, 0, 0]
    assert dict(rollup.pvm.durable.items("/d")) == {"/d": b"v", "/d/b": b"v"}


def test_reveal_preimage_metadata_generic(tmp_path: Path) -> None:
    blob = b"some preimage"
    h = preimage_hash(blob)
    (tmp_path / h.hex()).write_bytes(blob)
    data = {100: h, 200: b"\x00" + h, 240: b"\x01", 250: b"\x07junk"}
    body = """
      (call $dbg (call $reveal_preimage (i32.const 100) (i32.const 33) (i32.const 1000) (i32.const 4096)))
      (call $write_debug (i32.const 1000) (i32.const 13))
      (call $dbg (call $reveal_preimage (i32.const 100) (i32.const 33) (i32.const 1000) (i32.const 4)))
      (call $dbg (call $reveal_metadata (i32.const 1000) (i32.const 4096)))
      (call $write_debug (i32.const 1000) (i32.const 24))
      (call $dbg (call $reveal (i32.const 200) (i32.const 34) (i32.const 1000) (i32.const 4096)))
      (call $dbg (call $reveal (i32.const 240) (i32.const 1) (i32.const 1000) (i32.const 4096)))
      (call $dbg (call $reveal (i32.const 250) (i32.const 5) (i32.const 1000) (i32.const 4096)))
      (call $dbg (call $reveal_preimage (i32.const 101) (i32.const 32) (i32.const 1000) (i32.const 4096)))
    """
    addr = "sr1RYurGZtN8KNSpkMcCt9CgWeUaNkzsAfXf"
    rollup = Rollup.open(kernel=kernel(body, data), preimages_dir=tmp_path, rollup_address=addr, origination_level=0x01020304)
    rep = rollup.run_level([])
    assert ints(rep.debug[:1]) == [13] and rep.debug[1] == blob
    assert ints(rep.debug[2:4]) == [4, 24]
    assert rep.debug[4] == rollup.pvm.rollup_address + bytes([1, 2, 3, 4])
    assert ints(rep.debug[5:]) == [13, 24, 0, 0]


def test_write_debug_out_of_bounds_is_ignored() -> None:
    body = """
      (call $write_debug (i32.const 65534) (i32.const 10))
      (call $write_debug (i32.const 70000) (i32.const 10))
      (call $dbg (i32.const 5))
    """
    rollup = Rollup.open(kernel=kernel(body, {65534: b"xy"}))
    rep = rollup.run_level([])
    assert rep.debug == [b"xy", b"\x05\x00\x00\x00"]


def test_host_calls_see_memory_grown_between_calls() -> None:
    # the host keeps a view of linear memory across calls: after memory.grow, accesses to the new
    # page work (store_write from it, store_read and read_input into it, write_debug up to its end)
    # and the bounds move to the new end, within one kernel_run and again in the next boot
    body = """
      (call $dbg (call $store_write (i32.const 100) (i32.const 2) (i32.const 0) (i32.const 200) (i32.const 3)))
      (call $dbg (call $store_read (i32.const 100) (i32.const 2) (i32.const 0) (i32.const 70000) (i32.const 3)))
      (call $dbg (memory.grow (i32.const 1)))
      (i32.store (i32.const 131068) (i32.const 0x64636261))
      (call $dbg (call $store_write (i32.const 100) (i32.const 2) (i32.const 3) (i32.const 131068) (i32.const 4)))
      (call $dbg (call $store_read (i32.const 100) (i32.const 2) (i32.const 0) (i32.const 70000) (i32.const 7)))
      (call $write_debug (i32.const 70000) (i32.const 7))
      (call $dbg (call $store_read (i32.const 100) (i32.const 2) (i32.const 0) (i32.const 131070) (i32.const 7)))
      (call $dbg (call $read_input (i32.const 131060) (i32.const 131000) (i32.const 16)))
      (call $write_debug (i32.const 131066) (i32.const 100))
    """
    rollup = Rollup.open(kernel=kernel(body, {**KEY_A, 200: b"xyz"}))
    for _ in range(2):
        rep = rollup.run_level([])
        assert ints(rep.debug[:5]) == [0, -6, 1, 0, 7]  # 70000 is outside the first page
        assert rep.debug[5] == b"xyzabcd"
        assert ints(rep.debug[6:8]) == [-6, 2]  # 7 bytes at 131070 pass the end; SOL (2 bytes) fits
        assert rep.debug[8] == b"\x00\x00abcd"  # from 131066 to the end of the 2 pages (6 bytes)
        assert rollup.read("/a") == b"xyzabcd"
