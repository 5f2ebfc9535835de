"""The honest local L1 of the local rollup node: protocol limits, batcher, DAL node, operations."""
