"""The rollup kernel's entry point: ``kernel_run`` reads the inbox, verifies and applies pre-blocks.

Each run first reads up to ``MAX_INPUTS_PER_RUN`` inputs (cheap: pages are stored, announcements
and direct transactions are queued, governance committees registered), then spends a bounded work
budget on the queue: ``MAX_WORK_PER_RUN`` units of about one batch-verified signature each (a
transaction is one unit, signatures batch-verified ``TX_CHUNK`` at a time, an invalid one costs
``BAD_SIGNATURE_WORK`` more for its bisection; a pre-block verification costs the signatures it checks
plus one unit per ``PAGES_PER_UNIT`` pages). Chunk and budget keep the worst run (the last chunk all
invalid signatures) within the pre-Paris 11e9 ticks (kernel_py/crypto/README.md). Whatever is left is
resumed after a reboot (``/kernel/env/reboot``) or at the next level, so no input can exhaust a run.
"""

from kernel_py.blocks import (
    LAST_INDEX,
    LAST_TIMESTAMP,
    apply_chunk,
    apply_direct,
    job_active,
    save_job_data,
    start_job,
)
from kernel_py.da import PAGE_TTL, reassemble, release_pages, store_page, sweep_pages
from kernel_py.dal import DAL_ATTESTED, ENTRY_LEN, PUBLISHERS_UPDATE, attested_entries, read_slot, set_publishers
from kernel_py.formats.inbox import (
    KIND_ANNOUNCEMENT,
    KIND_GOVERNANCE,
    KIND_INVALID,
    KIND_PAGE,
    KIND_USER_TX,
    InboxMessage,
    parse_contents,
    parse_message,
)
from kernel_py.genesis import GOVERNANCE, initialize, initialized, register_committee
from kernel_py.intrinsics import (
    input_level,
    read_input,
    reveal_metadata,
    store_write,
    u64,
    wrapping_sub_u64,
    write_debug,
)
from kernel_py.store import delete_value, has_value, read_u64, read_value, write_u64, write_value
from kernel_py.text import to_decimal
from kernel_py.verify import verify_preblock

MAX_INPUTS_PER_RUN: int = 4000
MAX_WORK_PER_RUN: int = 800
TX_CHUNK: int = 256
PAGES_PER_UNIT: int = 3
DAL_SLOT_WORK: int = 250

REBOOT: bytes = b"/kernel/env/reboot"
QUEUE_HEAD: bytes = b"/queue/head"
QUEUE_TAIL: bytes = b"/queue/tail"
REJECTION_COUNT: bytes = b"/rejections/count"
REJECTION_LAST: bytes = b"/rejections/last"
ITEM_ANNOUNCEMENT: int = 2
ITEM_USER_TX: int = 3
ITEM_DAL_SLOT: int = 4


def record_rejection(error: bytes) -> None:
    """Count a rejected input and keep its reason at ``/rejections/last`` (plus a debug line)."""
    write_u64(REJECTION_COUNT, read_u64(REJECTION_COUNT) + 1)
    write_value(REJECTION_LAST, error)
    write_debug(b"rejected: " + error)


def queue_key(n: u64) -> bytes:
    """``/queue/<n>``: a queued announcement (``02 ‖ index ‖ root``), direct tx (``03 ‖ tx``) or DAL
    slot to import (``04 ‖ entry``, kernel_py.dal)."""
    return b"/queue/" + to_decimal(n)


def enqueue(item: bytes) -> None:
    tail = read_u64(QUEUE_TAIL)
    write_value(queue_key(tail), item)
    write_u64(QUEUE_TAIL, tail + 1)


def queue_empty() -> bool:
    return read_u64(QUEUE_HEAD) == read_u64(QUEUE_TAIL)


def dequeue() -> bytes:
    head = read_u64(QUEUE_HEAD)
    item = read_value(queue_key(head))
    delete_value(queue_key(head))
    write_u64(QUEUE_HEAD, head + 1)
    return item


def handle_governance(sender: bytes, message: bytes) -> None:
    """A governance message (FORMATS.md §5.0): a DAL publisher whitelist or a committee."""
    if not has_value(GOVERNANCE) or read_value(GOVERNANCE) != sender:
        record_rejection(b"transfer not from the governance contract")
        return
    if message[0:8] == PUBLISHERS_UPDATE:
        error = set_publishers(message)
    else:
        error = register_committee(message)
    if len(error) > 0:
        record_rejection(error)


def read_inputs(address: bytes) -> bool:
    """Read up to ``MAX_INPUTS_PER_RUN`` inputs; True when the level's inbox is exhausted."""
    for i in range(0, MAX_INPUTS_PER_RUN):
        raw = read_input()
        if len(raw) == 0:
            return True
        level = u64(input_level())
        if i == 0:
            sweep_pages(wrapping_sub_u64(level, PAGE_TTL))  # below PAGE_TTL: a level with no list
        msg = parse_message(raw, address)
        if msg.kind == KIND_GOVERNANCE:
            handle_governance(msg.sender, msg.payload)
        elif raw[0:2] == DAL_ATTESTED:
            entries = attested_entries(raw[2:len(raw)], level)
            for p in range(0, len(entries), ENTRY_LEN):
                enqueue(b"\x04" + entries[p:p + ENTRY_LEN])
        else:
            handle_contents(msg, level)
    return False


def handle_contents(msg: InboxMessage, level: u64) -> None:
    """Pages are stored, announcements and direct transactions queued, invalid contents counted."""
    if msg.kind == KIND_PAGE:
        store_page(msg.payload, level)
    elif msg.kind == KIND_ANNOUNCEMENT:
        enqueue(b"\x02" + msg.index.to_bytes(8, "big") + msg.root)
    elif msg.kind == KIND_USER_TX:
        enqueue(b"\x03" + msg.payload)
    elif msg.kind == KIND_INVALID:
        record_rejection(msg.payload)


def process_announcement(index: u64, root: bytes) -> tuple[int, bytes]:
    """Reassemble, verify and (when valid) open the job of an announced pre-block; returns the work
    it took, in units of about one signature check (``PAGES_PER_UNIT`` pages read and hashed count
    as one), and the bytes of the job it opened (unused when it opened none). Pages are released only
    by an accepted pre-block: a bogus announcement cannot remove pages that an honest one still needs."""
    error, data, used = reassemble(root)
    work = 1 + len(used) // PAGES_PER_UNIT
    if len(error) == 0:
        v = verify_preblock(data, read_u64(LAST_INDEX), read_u64(LAST_TIMESTAMP))
        work = work + v.signatures
        error = v.error
        if v.ok and v.index != index:
            error = b"announced index differs"
    if len(error) > 0:
        record_rejection(b"pre-block " + to_decimal(index) + b": " + error)
        return work, data  # (no job: unused)
    release_pages(used)
    start_job(v, data)
    return work, data


def do_work(address: bytes) -> None:
    """Spend this run's work budget (``MAX_WORK_PER_RUN`` units ≈ signature checks) on the open
    job and the queue, in order. The bytes of a job opened in this run stay in memory (``job_data``) and are
    written only if the run ends before the job does."""
    job_data = b""
    budget = MAX_WORK_PER_RUN
    while budget > 0:
        if job_active():
            budget = budget - apply_chunk(address, min(TX_CHUNK, budget), job_data)
        elif queue_empty():
            break
        else:
            item = dequeue()
            if item[0] == ITEM_ANNOUNCEMENT:
                index: u64 = int.from_bytes(item[1:9], "big")
                work, job_data = process_announcement(index, item[9:41])
                budget = budget - work
            elif item[0] == ITEM_DAL_SLOT:
                data = read_slot(item[1:len(item)])
                level: u64 = int.from_bytes(item[12:16], "big")
                pos = 0
                while pos + 2 <= len(data):
                    n: int = int.from_bytes(data[pos:pos + 2], "big")
                    if n == 0 or pos + 2 + n > len(data):
                        break
                    handle_contents(parse_contents(data[pos + 2:pos + 2 + n]), level)
                    pos = pos + 2 + n
                budget = budget - DAL_SLOT_WORK
            else:
                apply_direct(item[1:len(item)], address)
                budget = budget - 1
    save_job_data(job_data)


def kernel_run() -> None:
    """Entry point called by the PVM at every (re)boot."""
    address = reveal_metadata()[0:20]
    if not initialized():
        initialize()
    exhausted = read_inputs(address)
    do_work(address)
    if not exhausted or job_active() or not queue_empty():
        store_write(REBOOT, 0, b"\x00")
