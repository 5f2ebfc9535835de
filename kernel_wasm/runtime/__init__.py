"""Runs compiled modules under wasmtime (fuel metering, host imports, trap sites)."""
