"""The IR optimiser: the list of passes, in order, each in its own module under
:mod:`kernel_wasm.ir.passes`. Every pass keeps the program's observable behaviour, failures included."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from kernel_wasm.ir import nodes as ir
from kernel_wasm.ir.passes.fold import DataView, fold_block
from kernel_wasm.ir.passes.inline import INLINE_MAX_NODES, inline_small
from kernel_wasm.ir.passes.scalarize import scalarize
from kernel_wasm.ir.passes.unroll import unroll_block


@dataclass(frozen=True)
class Options:
    """``unroll=False``: no loop unrolling; ``inline_tiny=False``: inline only functions with a single
    call site (both for smaller code)."""

    unroll: bool = True
    inline_tiny: bool = True


def _inline(prog: ir.Program, data: DataView, opts: Options) -> None:
    inline_small(prog, INLINE_MAX_NODES if opts.inline_tiny else 0)


def _fold(prog: ir.Program, data: DataView, opts: Options) -> None:
    for f in prog.funcs.values():
        f.body = fold_block(f.body, data, {})


def _unroll(prog: ir.Program, data: DataView, opts: Options) -> None:
    if opts.unroll:
        for f in prog.funcs.values():
            f.body = fold_block(unroll_block(f.body), data, {})  # unrolled counters become constants


def _scalarize(prog: ir.Program, data: DataView, opts: Options) -> None:
    for f in prog.funcs.values():
        scalarize(f)


# (name, pass) in the order they run; each takes the whole program
PASSES: list[tuple[str, Callable[[ir.Program, DataView, Options], None]]] = [
    ("inline", _inline),  # passes.inline: small and single-call-site functions
    ("fold", _fold),  # passes.fold: constant propagation and folding
    ("unroll", _unroll),  # passes.unroll: constant-trip loops (then folded again)
    ("scalarize", _scalarize),  # passes.scalarize: small constant-indexed local lists -> locals
]


def optimize(prog: ir.Program, unroll: bool = True, inline_tiny: bool = True) -> None:
    """Run :data:`PASSES` over ``prog`` in place."""
    data = DataView(prog)
    opts = Options(unroll, inline_tiny)
    for _, run in PASSES:
        run(prog, data, opts)


__all__ = ["PASSES", "DataView", "optimize"]
