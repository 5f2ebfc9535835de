"""Tezos L1 client: operation forging, node RPC, keys, rollup deployment and operator commands."""
