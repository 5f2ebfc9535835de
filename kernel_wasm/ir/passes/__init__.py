"""IR optimisation passes, one per module; :mod:`kernel_wasm.ir.optimize` lists them in order."""
