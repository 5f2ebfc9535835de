"""IR optimisation passes (run in order, each one IR → IR)."""

from __future__ import annotations

from kernel_wasm.ir import nodes as ir


def optimize(prog: ir.Program) -> None:
    """Optimise ``prog`` in place."""
