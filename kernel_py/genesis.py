"""First-run initialisation from the setup keys, and committee registration (setup and governance).

Setup keys (written before the first run, e.g. by an installer ``set`` instruction):
``/setup/committee`` (committee encoding, FORMATS.md §1.1), ``/setup/governance`` (20-byte KT1
hash of the governance contract, optional), ``/setup/genesis`` (``(pk ‖ amount u64)*`` native
allocations, optional). See FORMATS.md §4–5.
"""

from kernel_py.formats.dsn import decode_committee, digest
from kernel_py.formats.tx import ZERO32
from kernel_py.intrinsics import u64, write_debug
from kernel_py.ledger import MAX_U64, Asset, balance_key, put_asset, set_u64
from kernel_py.store import has_value, read_u64, read_value, write_u64, write_value
from kernel_py.verify import committee_key

SETUP_COMMITTEE: bytes = b"/setup/committee"
SETUP_GOVERNANCE: bytes = b"/setup/governance"
SETUP_GENESIS: bytes = b"/setup/genesis"
GOVERNANCE: bytes = b"/dsn/governance"
MAX_EPOCH: bytes = b"/dsn/max_epoch"
STATE_ROOT: bytes = b"/state/root"
HEAD: bytes = b"/head"
NATIVE_METADATA: bytes = b"TKN"
ALLOCATION_LEN: int = 40


def encode_genesis(owners: list[bytes], amounts: list[u64]) -> bytes:
    """The ``/setup/genesis`` value: ``(pk ‖ amount u64)*`` for parallel lists of owners and amounts."""
    out = b""
    for i in range(0, len(owners)):
        out = out + owners[i] + amounts[i].to_bytes(8, "big")
    return out


def initialized() -> bool:
    """True once :func:`initialize` has run."""
    return has_value(STATE_ROOT)


def register_committee(raw: bytes) -> bytes:
    """Register a committee for its epoch: it must decode and its epoch must be above every
    registered one. Returns an error (empty on success)."""
    ok, c = decode_committee(raw)
    if not ok:
        return b"malformed committee"
    if has_value(MAX_EPOCH) and c.epoch <= read_u64(MAX_EPOCH):
        return b"committee epoch is not above the latest one"
    write_value(committee_key(c.epoch), raw)
    write_u64(MAX_EPOCH, c.epoch)
    return b""


def _genesis() -> bytes:
    """Credit the genesis allocations and create the native asset record; returns the initial root.

    The root is chained over one log entry at a time, so memory stays linear in the number of
    allocations (a concatenated log would be quadratic and exhaust the arena for large setups).
    """
    raw = read_value(SETUP_GENESIS)
    if len(raw) % ALLOCATION_LEN != 0:
        write_debug(b"setup: malformed /setup/genesis ignored")
        raw = b""
    n = len(raw) // ALLOCATION_LEN
    total: u64 = 0
    for i in range(0, n):
        amount: u64 = int.from_bytes(raw[40 * i + 32:40 * i + 40], "big")
        if amount > MAX_U64 - total:
            write_debug(b"setup: genesis supply overflows; allocations ignored")
            n = 0
            break
        total = total + amount
    supply: u64 = 0
    acc = ZERO32
    for i in range(0, n):
        owner = raw[40 * i:40 * i + 32]
        amount2: u64 = int.from_bytes(raw[40 * i + 32:40 * i + 40], "big")
        supply = supply + amount2
        key = balance_key(owner, ZERO32)
        acc = digest(acc + set_u64(key, read_u64(key) + amount2))
    return digest(acc + put_asset(ZERO32, Asset(True, NATIVE_METADATA, supply, ZERO32, False)))


def initialize() -> None:
    """Read the setup keys once: committee, governance contract, genesis; set the initial root."""
    error = register_committee(read_value(SETUP_COMMITTEE))
    if len(error) > 0:
        write_debug(b"setup: no valid /setup/committee: " + error)
    gov = read_value(SETUP_GOVERNANCE)
    if len(gov) == 20:
        write_value(GOVERNANCE, gov)
    root = _genesis()
    write_value(STATE_ROOT, root)
    write_value(HEAD, bytes(8) + root)
