"""The arena allocator fails cleanly (kind ``memory``) when the 4 GiB address space is exhausted,
instead of wrapping around and handing out memory that overlaps earlier allocations."""

from __future__ import annotations

from pathlib import Path

import pytest

from kernel_wasm import KernelTrap, compile_file

PROGRAM = '''
def grow(n: int) -> int:
    total = 0
    for i in range(n):
        b = bytes(536870912)
        total += len(b)
    return total
'''


@pytest.mark.parametrize("optimize", ["speed", "size"])
def test_arena_exhaustion_is_a_memory_failure(tmp_path: Path, optimize: str) -> None:
    source = tmp_path / "grow.py"
    source.write_text(PROGRAM)
    m = compile_file(source, exports=["grow"], optimize=optimize)
    assert m.call("grow", 3) == 3 * 536870912
    with pytest.raises(KernelTrap) as failure:
        m.call("grow", 9)  # 4.5 GiB of zeroed bytes cannot fit a 4 GiB wasm32 memory
    assert failure.value.kind == "memory"
