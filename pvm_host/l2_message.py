"""Batcher message ids as the octez rollup node computes them (``src/lib_smart_rollup/l2_message.ml``).

``id = scmsg…`` = base58check (prefix ``03 fa b3 f7 c4``) of the BLAKE2b-256 hash of the binary
``obj2 (opt "counter" z) (req "content" string)``: ``ff ‖ Zarith counter`` (``00`` without a
counter) then the u32 big-endian content length and the content. The batcher numbers messages
with a counter from 0 and puts it in the id unless ``drop_duplicate`` is set, so identical
contents get distinct ids.
"""

from __future__ import annotations

import hashlib

from pvm_spec import b58
from pvm_spec.michelson import zarith


def message_id(content: bytes, counter: int | None) -> str:
    """The ``scmsg…`` id of an injected message."""
    prefix = b"\xff" + zarith(counter) if counter is not None else b"\x00"
    encoded = prefix + len(content).to_bytes(4, "big") + content
    return b58.encode("scmsg", hashlib.blake2b(encoded, digest_size=32).digest())


def is_message_id(text: str) -> bool:
    """True if ``text`` is a well-formed ``scmsg…`` id (54 or 55 characters)."""
    if not 50 <= len(text) <= 60:
        return False
    try:
        b58.decode(text, "scmsg")
    except (ValueError, KeyError):
        return False
    return True
