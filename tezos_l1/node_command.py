"""The exact ``octez-smart-rollup-node`` invocation (and files to place) for a deployed rollup."""

from __future__ import annotations

import shlex
from pathlib import Path

from tezos_l1.config import Deployment


def node_instructions(record: Deployment, operator: str, data_dir: Path, rpc_addr: str = "127.0.0.1",
                      rpc_port: int = 8932, endpoint: str | None = None, key_file: str | None = None) -> str:
    """Shell lines: import the operator key, place the preimages, run the node in operator mode
    (publishes commitments and batches ``/local/batcher/injection`` messages with ``operator``)."""
    data = shlex.quote(str(data_dir))
    lines = [f"# rollup {record.rollup}, originated at level {record.origination_level} by {record.originator}"]
    lines.append("# 1. the operator key must be in the octez-client wallet the node reads:")
    secret = f"$(python3 -c 'import json;print(json.load(open({key_file!r}))[\"secret_key\"])')" if key_file \
        else "<edsk… secret key of " + operator + ">"
    lines.append(f"octez-client import secret key dsn-operator unencrypted:{secret}")
    if record.installer:
        pre = shlex.quote(str(record.preimages_dir))
        lines.append("# 2. the installer reveals the kernel from these preimage pages; the node stops if one is missing:")
        lines.append(f"mkdir -p {data}/wasm_2_0_0 && cp {pre}/* {data}/wasm_2_0_0/")
    else:
        lines.append("# 2. the kernel was originated directly: no preimages to place")
    lines.append("# 3. run the node:")
    cmd = ["octez-smart-rollup-node", "--endpoint", endpoint or record.rpc, "run", "operator", "for",
           record.rollup, "with", "operators", operator, "--data-dir", str(data_dir), "--rpc-addr", rpc_addr,
           "--rpc-port", str(rpc_port), "--log-kernel-debug"]
    lines.append(shlex.join(cmd))
    return "\n".join(lines)
