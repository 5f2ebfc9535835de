"""Installer-style setup files applied to a fresh rollup before its first level.

Accepted formats (the ``smart-rollup-installer`` setup file, spec §6.2), JSON::

    {"instructions": [{"set": {"value": "00ff", "to": "/config/x"}},
                      {"move": {"from": "/a", "to": "/b"}},
                      {"reveal": "00<64 hex>", "to": "/kernel/boot.wasm"}]}

or the same in YAML, as the installer writes it::

    instructions:
      - set:
          value: 00ff
          to: /config/x
      - move: {from: /a, to: /b}
      - reveal: 00<64 hex>
        to: /path

``set`` writes a value (hex), ``move`` moves a subtree, ``reveal`` rebuilds a DAC page tree
(``tag ‖ u32 BE length ‖ body``; tag 00 content, 01 list of 33-byte hashes) from the preimages
directory and writes the content. Instructions are tuples ``(op, to, arg)``: ``("set", path,
value_bytes)``, ``("move", path, from_path)``, ``("reveal", path, hash_hex)``.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from pvm_host.pvm import PvmState

Instruction = tuple[str, str, bytes | str]


def load_setup(path: Path) -> list[Instruction]:
    """Parse a JSON or YAML setup file; raises ``ValueError`` with the reason if malformed."""
    text = path.read_text()
    try:
        # BaseLoader keeps every scalar a string: hex such as 0011 must not become a number.
        data = json.loads(text) if text.lstrip().startswith("{") else yaml.load(text, Loader=yaml.BaseLoader)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: {exc}") from exc
    items = data.get("instructions") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ValueError(f"{path}: expected a mapping with an 'instructions' list")
    return [_instruction(item, i) for i, item in enumerate(items)]


def _instruction(item: object, index: int) -> Instruction:
    if not isinstance(item, dict):
        raise ValueError(f"instruction {index}: not a mapping")
    try:
        if "set" in item:
            body = item["set"]
            return ("set", str(body["to"]), bytes.fromhex(str(body["value"])))
        if "move" in item:
            body = item["move"]
            return ("move", str(body["to"]), str(body["from"]))
        if "reveal" in item:
            return ("reveal", str(item["to"]), str(item["reveal"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"instruction {index}: {exc}") from exc
    raise ValueError(f"instruction {index}: unknown kind {sorted(item)}")


def apply_setup(pvm: PvmState, instructions: list[Instruction]) -> None:
    """Apply instructions to the durable storage in order (PVM-side, may write anywhere)."""
    durable = pvm.durable
    for op, to, arg in instructions:
        if op == "set":
            assert isinstance(arg, bytes)
            durable.set(to, arg)
        elif op == "move":
            assert isinstance(arg, str)
            if not durable.copy_tree(arg, to):
                raise ValueError(f"move: nothing at {arg}")
            durable.remove(arg)
        elif op == "reveal":
            assert isinstance(arg, str)
            durable.set(to, reveal_pages(pvm, bytes.fromhex(arg)))
        else:
            raise ValueError(f"unknown setup instruction {op}")


def reveal_pages(pvm: PvmState, root: bytes) -> bytes:
    """Content of the DAC page tree rooted at ``root`` (depth first, in order)."""
    page = pvm.preimage(root)
    tag, size, body = page[0], int.from_bytes(page[1:5], "big"), page[5:]
    if len(body) != size:
        raise ValueError(f"page {root.hex()}: length field {size} != {len(body)}")
    if tag == 0:
        return body
    if tag == 1 and size % 33 == 0:
        return b"".join(reveal_pages(pvm, body[i : i + 33]) for i in range(0, size, 33))
    raise ValueError(f"page {root.hex()}: bad tag {tag}")
