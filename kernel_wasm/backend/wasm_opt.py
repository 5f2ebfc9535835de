"""Binaryen's optimiser (the pipeline of ``wasm-opt -Os -Os`` / ``-O3``) over a finished binary.

Binaryen comes from the ``icpp-binaryen`` wheel, which bundles ``libbinaryen.so`` (version 116; Linux
x86_64 and macOS) and is driven through its C API: read the binary, restrict the module to the
PVM-safe features, validate, optimise, validate again, write. The caller re-runs the PVM checks
(wasmtime validation, float ban, imports) on the result.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

from kernel_wasm.backend.binary import BackendError, keep_name_subsections, strip_names

# Features the PVM's decoder accepts and our binaries may use (wasm-opt's
# ``--mvp-features --enable-multivalue --enable-sign-ext --enable-mutable-globals``); nothing else, so the
# optimiser cannot introduce bulk-memory, SIMD or reference-type instructions.
FEATURES = ("MVP", "Multivalue", "SignExt", "MutableGlobals")
# profile -> (wasm-opt flags, optimize level, shrink level, pipeline runs, passes run first); measured in
# docs/LANGUAGE.md §12.2. size, on the kernel: each function's effects computed for the whole module first
# (exact: the subset has no call cycles), which lets later passes move or drop calls whose effects do not
# matter (-39 bytes); redundant-set elimination and local simplification without structure changes (-70);
# common subexpressions within a block reused through locals (-71, and fewer ticks); one inlining round
# (-13); then the -Os pipeline twice (the second run still finds ~30 bytes; a third finds none).
SIZE_FIRST = ("generate-global-effects", "simplify-locals-nostructure", "rse", "local-cse", "inlining-optimizing")
LEVELS = {"size": ("--generate-global-effects --simplify-locals-nostructure --rse --local-cse --inlining-optimizing"
                   " -Os -Os", 2, 1, 2, SIZE_FIRST),
          "speed": ("-O3", 3, 0, 1, ())}
WHEEL = "icpp-binaryen==116.0.1"
# name subsections passed to Binaryen 116: module and function names (it warns on label names and
# misreads the local names wat2wasm writes)
_KNOWN_NAMES = frozenset({0, 1})

_EXTRA_CDEF = "typedef uint32_t BinaryenFeatures;\n" + "".join(
    f"BinaryenFeatures BinaryenFeature{f}(void);\n" for f in FEATURES) + """
void BinaryenModuleSetFeatures(BinaryenModuleRef module, BinaryenFeatures features);
void BinaryenSetDebugInfo(bool on);
void BinaryenModuleRunPasses(BinaryenModuleRef module, const char** passes, uint32_t numPasses);
"""


_LOCK = threading.Lock()  # optimise/shrink levels and debug info are process-wide settings in Binaryen


class BinaryenMissing(Exception):
    """The wasm-opt pass was asked for but Binaryen cannot be loaded (a setup problem, not a compiler bug)."""


@lru_cache(maxsize=1)
def _binaryen() -> tuple[Any, Any, Any]:
    """The bundled library's (Module class, C API handle, cffi FFI), with the declarations this pass needs."""
    try:
        import icpp_binaryen
    except (ImportError, OSError) as exc:
        raise BinaryenMissing(
            f"the wasm-opt pass needs Binaryen, which is not available ({exc}); install it with "
            f"`pip install '{WHEEL}'` (`make setup` does, on Linux x86_64 and macOS) or build with "
            "--no-wasm-opt") from exc
    icpp_binaryen.ffi.cdef(_EXTRA_CDEF, override=True)  # idempotent: the ffi is shared
    return icpp_binaryen.Module, icpp_binaryen.lib, icpp_binaryen.ffi


def feature_mask() -> int:
    """The C API's bit set for :data:`FEATURES`."""
    _, lib, _ = _binaryen()
    mask = 0
    for f in FEATURES:
        mask |= getattr(lib, f"BinaryenFeature{f}")()
    return mask


def optimize(wasm: bytes, profile: str, names: bool) -> bytes:
    """``wasm`` after Binaryen's default pipeline for ``profile`` (``"size"`` or ``"speed"``) with the
    PVM-safe features only; ``names`` keeps the name section. Raises :class:`BinaryenMissing` when
    Binaryen is not installed and :class:`BackendError` when a module fails Binaryen's validation."""
    module_cls, lib, ffi = _binaryen()
    _, opt_level, shrink_level, runs, first = LEVELS[profile]
    wasm = keep_name_subsections(wasm, _KNOWN_NAMES) if names else strip_names(wasm)
    try:
        module = module_cls.read(wasm)
    except ValueError as exc:
        raise BackendError(f"wasm-opt: Binaryen could not read the module: {exc}") from exc
    with _LOCK, module:
        lib.BinaryenModuleSetFeatures(module.ref, feature_mask())
        if not module.validate():
            raise BackendError("wasm-opt: the compiler's module uses a feature outside "
                               f"{', '.join(FEATURES)} (Binaryen's validation failed; details above)")
        lib.BinaryenSetOptimizeLevel(opt_level)  # the passes run first see this profile's levels, not
        lib.BinaryenSetShrinkLevel(shrink_level)  # the last optimize() of this process (global state)
        if first:
            passes = [ffi.new("char[]", p.encode()) for p in first]
            lib.BinaryenModuleRunPasses(module.ref, ffi.new("const char*[]", passes), len(passes))
        for _ in range(runs):
            module.optimize(shrink_level, opt_level)
        if not module.validate():
            raise BackendError("wasm-opt: Binaryen's output failed its own validation")
        lib.BinaryenSetDebugInfo(names)
        try:
            return module.emit()
        finally:
            lib.BinaryenSetDebugInfo(False)
