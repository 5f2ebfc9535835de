"""Replay of ``octez-smart-rollup-wasm-debugger`` inputs files (spec §6.1) against a :class:`Rollup`.

Inputs file: a JSON array of inboxes (inbox ``i`` is level ``first_level + i``); each inbox is an array
of messages, each one of

- ``{"external": "<hex>"}`` — external message (the ``01`` tag is prepended);
- ``{"payload": "<Michelson>", "sender": "KT1…", "source": "tz1…", "destination": "sr1…"}`` — internal
  transfer; only ``payload`` is required (defaults: the debugger's zero addresses, destination = rollup);
- ``{"serialized": "<hex>"}`` or a bare ``"<hex>"`` string — an already serialized inbox message.

Replaying into a state directory is resumable: levels already completed there are skipped.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from pvm_host.inbox import external, transfer
from pvm_host.lifecycle import LevelReport
from pvm_host.rollup import Rollup
from pvm_spec import b58
from pvm_spec.constants import DEFAULT_SENDER, DEFAULT_SOURCE
from pvm_spec.michelson import to_micheline


def parse_message(entry: object, rollup_address: str, where: str = "") -> bytes:
    """One inputs-file message as serialized inbox bytes; ``ValueError`` names ``where`` on failure."""
    try:
        if isinstance(entry, str):
            return bytes.fromhex(entry)
        if not isinstance(entry, dict):
            raise ValueError("message must be an object or a hex string")
        if "external" in entry:
            return external(bytes.fromhex(entry["external"]))
        if "serialized" in entry:
            return bytes.fromhex(entry["serialized"])
        if "payload" in entry:
            return transfer(
                to_micheline(str(entry["payload"])),
                b58.contract_address(entry.get("sender", DEFAULT_SENDER)),
                b58.implicit_address(entry.get("source", DEFAULT_SOURCE)),
                b58.rollup_address(entry.get("destination", rollup_address)),
            )
        raise ValueError(f"unknown message kind {sorted(entry)}")
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{where}: {exc}") from exc


def load_inputs(path: Path, rollup_address: str) -> list[list[bytes]]:
    """All inboxes of an inputs file, serialized."""
    data = json.loads(path.read_text())
    if not isinstance(data, list) or not all(isinstance(inbox, list) for inbox in data):
        raise ValueError(f"{path}: expected a JSON array of inboxes (arrays of messages)")
    return [
        [parse_message(m, rollup_address, f"{path}: inbox {i} message {j}") for j, m in enumerate(inbox)]
        for i, inbox in enumerate(data)
    ]


def replay(rollup: Rollup, inboxes: list[list[bytes]], first_level: int) -> Iterator[LevelReport]:
    """Run every inbox not yet processed by ``rollup``; yields one report per level run."""
    start = max(0, rollup.next_level - first_level)
    for messages in inboxes[start:]:
        yield rollup.run_level(messages)


def format_bytes(data: bytes) -> str:
    """UTF-8 text as text, possibly over several lines (one trailing newline dropped, as SDK debug
    lines end with one), anything else as ``0x`` hex."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return "0x" + data.hex()
    text = text[:-1] if text.endswith("\n") else text
    printable = all(c.isprintable() or c in "\n\t" for c in text.replace("\r\n", "\n"))
    return text.replace("\r\n", "\n") if printable else "0x" + data.hex()


def format_report(report: LevelReport, messages: int) -> list[str]:
    """Human-readable lines for one level (debug output, ticks, outbox, status)."""
    status = f"stuck ({report.stuck})" if report.stuck else "running"
    lines = [
        f"level {report.level}: {messages} message(s), {report.boots} boot(s), {report.ticks} ticks"
        + (f" ({report.tick_model})" if report.tick_model else "") + ", "
        f"{report.seconds * 1000:.1f} ms, status {status}"
        + (", forced yield (too many reboots)" if report.forced_yield else "")
    ]
    lines += [f"  debug: {line}" for d in report.debug for line in format_bytes(d).split("\n")]
    lines += [f"  boot {i}: {o}" for i, o in enumerate(report.outcomes) if o != "ok"]
    lines += [f"  outbox[{i}]: {m.hex()}" for i, m in enumerate(report.outbox)]
    return lines
