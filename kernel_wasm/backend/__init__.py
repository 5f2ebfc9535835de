"""Back end: WAT to wasm, validation and the PVM checks (no floats, smart_rollup_core imports only)."""
