"""The Tezos WASM PVM host on wasmtime, the CPython host, replay, the local rollup node, L1 client."""
