"""The rollup kernel, written in the restricted Python subset of docs/LANGUAGE.md.

Everything here runs unchanged in CPython and compiles to wasm with ``kernel_wasm``. Modules import
only each other and :mod:`kernel_py.intrinsics`.
"""
