"""Manager-operation pipeline: fill, simulate, estimate limits and fees, forge, sign, inject, await.

Estimates follow octez-client: gas = consumed + 100 units, storage = bytes burned + 20, fee =
100 mutez + 0.1 mutez per gas unit + 1 mutez per byte (the default mempool minimums) + a margin.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from pytezos.crypto.encoding import base58_encode

from pvm_host.progress import ProgressReport
from pvm_spec.origination import BRANCH_SIZE, SIGNATURE_SIZE
from tezos_l1.forge import check_operation_size, forge_content, forge_unsigned, operation_hash
from tezos_l1.keys import Key
from tezos_l1.rpc import L1Client, RpcError

GAS_MARGIN = 100  # gas units added to the simulated consumption
STORAGE_MARGIN = 20  # bytes added to the simulated burn
FEE_MARGIN = 100  # mutez added to the minimal fee of each content
MINIMAL_FEE = 100  # mutez
NANOTEZ_PER_GAS = 100
NANOTEZ_PER_BYTE = 1000
ZERO_SIGNATURE = base58_encode(bytes(64), b"sig").decode()

Progress = Callable[[str], None]


class OperationFailed(RuntimeError):
    """The node refused the operation, or it was not applied."""


@dataclass(frozen=True)
class Included:
    """An operation found applied in a block."""

    op_hash: str
    level: int
    contents: list[dict[str, Any]]  # with metadata, as the block RPC returns them


def _silent(_: str) -> None:
    pass


def _result(content: dict[str, Any]) -> dict[str, Any]:
    return content.get("metadata", {}).get("operation_result", {})


def _results(content: dict[str, Any]) -> list[dict[str, Any]]:
    """The content's own result, then those of the internal operations it emitted (which count
    against its gas and storage limits)."""
    internal = content.get("metadata", {}).get("internal_operation_results", [])
    return [_result(content)] + [i.get("result", {}) for i in internal]


def _check_applied(contents: list[dict[str, Any]], what: str) -> None:
    for c in contents:
        for res in _results(c):
            if res.get("status") != "applied":
                errors = res.get("errors") or c.get("metadata", {}).get("errors") or res
                raise OperationFailed(f"{what}: {c['kind']} {res.get('status', 'has no result')}: {errors}")


def burned_storage(result: dict[str, Any], origination_size: int) -> int:
    """Bytes an applied operation burns: new storage, plus allocations and originations."""
    used = int(result.get("paid_storage_size_diff", 0))
    if "size" in result:  # smart_rollup_originate reports the bytes it adds (≈ 6,524, origination_size included)
        used = max(used, int(result["size"]))
    used += origination_size * len(result.get("originated_contracts", []))
    if result.get("allocated_destination_contract"):
        used += origination_size
    return used


def minimal_fee(gas_limit: int, size: int) -> int:
    """The default mempool minimum for one content of ``size`` forged bytes."""
    return MINIMAL_FEE + math.ceil(gas_limit * NANOTEZ_PER_GAS / 1000) + math.ceil(size * NANOTEZ_PER_BYTE / 1000)


def prepare(client: L1Client, key: Key, contents: list[dict[str, Any]],
            constants: dict[str, Any]) -> tuple[str, str, list[dict[str, Any]]]:
    """Add source/counter (and a reveal when the account is unrevealed) with simulation limits.

    Returns ``(branch, chain_id, contents)``.
    """
    head = client.head_header()
    chain_id = client.chain_id()
    counter = client.counter(key.address)
    ops = list(contents)
    if client.manager_key(key.address) is None:
        ops.insert(0, {"kind": "reveal", "public_key": key.public_key})
    hard_gas = int(constants["hard_gas_limit_per_operation"])
    hard_gas = min(hard_gas, int(constants.get("hard_gas_limit_per_block", hard_gas * len(ops))) // len(ops))
    hard_storage = int(constants["hard_storage_limit_per_operation"])
    filled = []
    for i, op in enumerate(ops):
        filled.append({**op, "source": key.address, "fee": "0", "counter": str(counter + 1 + i),
                       "gas_limit": str(hard_gas), "storage_limit": str(hard_storage)})
    return head["hash"], chain_id, filled


def estimate(client: L1Client, branch: str, chain_id: str, contents: list[dict[str, Any]],
             origination_size: int) -> list[dict[str, Any]]:
    """Simulate with ``run_operation`` and return contents with gas, storage and fee set."""
    check_operation_size(forge_unsigned(branch, contents))
    simulated = client.run_operation(
        {"branch": branch, "contents": contents, "signature": ZERO_SIGNATURE}, chain_id)["contents"]
    _check_applied(simulated, "simulation")
    estimated = []
    for op, sim in zip(contents, simulated, strict=True):
        results = _results(sim)
        gas = math.ceil(sum(int(r.get("consumed_milligas", 0)) for r in results) / 1000) + GAS_MARGIN
        storage = sum(burned_storage(r, origination_size) for r in results)
        estimated.append({**op, "gas_limit": str(gas), "storage_limit": str(storage + STORAGE_MARGIN if storage else 0)})
    # The fee changes the content's size (Zarith), so iterate to a fixed point.
    for _ in range(8):
        changed = False
        for i, op in enumerate(estimated):
            size = len(forge_content(op)) + (BRANCH_SIZE + SIGNATURE_SIZE if i == 0 else 0)
            fee = minimal_fee(int(op["gas_limit"]), size) + FEE_MARGIN
            if int(op["fee"]) != fee:
                estimated[i] = {**op, "fee": str(fee)}
                changed = True
        if not changed:
            return estimated
    raise OperationFailed("fee estimation did not converge")


def wait_for_inclusion(client: L1Client, op_hash: str, from_level: int, timeout: float, poll: float,
                       progress: Progress = _silent) -> Included:
    """Scan manager operations of each new block from ``from_level`` until ``op_hash`` appears."""
    deadline = time.monotonic() + timeout
    next_level = from_level
    waiting = None
    if progress is not _silent:  # a spinner on a terminal, else a line every 10 s
        progress(f"waiting for {op_hash} to be included")
        waiting = ProgressReport("waiting for inclusion", every=10.0)
    with waiting or nullcontext():
        while True:
            head_level = int(client.head_header()["level"])
            while next_level <= head_level:
                for op in client.block_operations(next_level):
                    if op.get("hash") == op_hash:
                        _check_applied(op["contents"], f"operation {op_hash} in block {next_level}")
                        return Included(op_hash, next_level, op["contents"])
                next_level += 1
            if time.monotonic() > deadline:
                raise OperationFailed(f"operation {op_hash} not included after {timeout:.0f} s (head at {head_level})")
            if waiting is not None:
                waiting.status(f"head {head_level}, {next_level - from_level} block(s) scanned")
            time.sleep(poll)


def send(client: L1Client, key: Key, contents: list[dict[str, Any]], *, timeout: float = 300.0,
         poll: float = 2.0, cross_check: bool = True, progress: Progress = _silent) -> Included:
    """Run the whole pipeline for ``contents`` (without source/counter/limits) and return the inclusion."""
    progress(f"preparing {', '.join(c['kind'] for c in contents)} from {key.address}")
    constants = client.constants()
    branch, chain_id, filled = prepare(client, key, contents, constants)
    origination_size = int(constants.get("origination_size", 257))
    progress("simulating (run_operation) and estimating gas, storage and fees")
    final = estimate(client, branch, chain_id, filled, origination_size)
    unsigned = forge_unsigned(branch, final)
    check_operation_size(unsigned)
    if cross_check:
        remote = client.forge(branch, final)
        if remote != unsigned:
            raise OperationFailed("local forging differs from the node's helpers/forge/operations: "
                                  f"local {unsigned.hex()[:120]}… node {remote.hex()[:120]}…; refusing to sign")
    signed = unsigned + key.sign_operation(unsigned)
    expected_hash = operation_hash(signed)
    start_level = int(client.head_header()["level"]) + 1
    fees = sum(int(c["fee"]) for c in final)
    progress(f"injecting {len(signed)} bytes, fee {fees} mutez")
    try:
        op_hash = client.inject(signed)
    except RpcError as e:
        raise OperationFailed(f"injection refused: {e}") from e
    if op_hash != expected_hash:
        raise OperationFailed(f"node returned operation hash {op_hash}, expected {expected_hash}")
    return wait_for_inclusion(client, op_hash, start_level, timeout, poll, progress)
