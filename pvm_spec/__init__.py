"""The Tezos WASM PVM's definition: host ABI, constants, wasm binary rules, origination budget."""
