"""External inbox messages through ``smart_rollup_add_messages``, packed into as few operations as fit."""

from __future__ import annotations

from pytezos.michelson.forge import forge_address

from pvm_spec.constants import MAX_EXTERNAL_PAYLOAD
from pvm_spec.origination import MAX_OPERATION_SIZE
from tezos_l1 import operations
from tezos_l1.keys import Key
from tezos_l1.rpc import L1Client

# Room kept in each operation for branch, signature, header, a possible reveal and the list prefix.
OPERATION_OVERHEAD = 300


def frame(payloads: list[bytes], rollup: str) -> list[bytes]:
    """Targeted frame ``00 ‖ rollup address (20) ‖ contents`` (FORMATS.md §2) around each payload."""
    address = forge_address(rollup)[1:21]
    return [b"\x00" + address + p for p in payloads]


def pack(payloads: list[bytes]) -> list[list[bytes]]:
    """Split payloads into groups that each fit one operation, keeping their order."""
    groups: list[list[bytes]] = []
    size = MAX_OPERATION_SIZE
    for i, p in enumerate(payloads):
        if len(p) > MAX_EXTERNAL_PAYLOAD:
            raise ValueError(f"message {i} has {len(p)} bytes; the limit is {MAX_EXTERNAL_PAYLOAD}")
        if not groups or size + 4 + len(p) > MAX_OPERATION_SIZE - OPERATION_OVERHEAD:
            groups.append([])
            size = 0
        groups[-1].append(p)
        size += 4 + len(p)
    return groups


def send_messages(client: L1Client, key: Key, payloads: list[bytes], *, timeout: float = 300.0,
                  poll: float = 2.0, progress: operations.Progress = operations._silent) -> list[operations.Included]:
    """Inject every payload as one External message, in order; one operation per packed group."""
    included = []
    groups = pack(payloads)
    for n, group in enumerate(groups, 1):
        progress(f"operation {n}/{len(groups)}: {len(group)} messages, {sum(map(len, group))} bytes")
        content = {"kind": "smart_rollup_add_messages", "message": [p.hex() for p in group]}
        included.append(operations.send(client, key, [content], timeout=timeout, poll=poll, progress=progress))
    return included
