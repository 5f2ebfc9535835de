"""The compiler: restricted Python (kernel_py) -> checked, typed IR -> WAT -> wasm."""
