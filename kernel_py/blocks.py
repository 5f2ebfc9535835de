"""Applying accepted pre-blocks: transaction results, per-block state roots, resumable jobs.

An accepted pre-block becomes the *job* under ``/job``: the byte range of each transaction, a cursor and
its bytes, which stay in memory while the run that accepted it applies it and are written only when the
job outlasts that run (:func:`save_job_data`). :func:`apply_chunk` applies the next transactions (signatures
verified as one batch per chunk) and persists cursor, results and the running state-root accumulator, so
the work spreads over as many kernel runs as needed. Layout and root definition: FORMATS.md §4.
"""

from dataclasses import dataclass

from kernel_py.crypto.ed25519 import verify_each_cached
from kernel_py.formats.dsn import block_id, concat, digest
from kernel_py.formats.tx import TX_DOMAIN, UserTx, decode_tx
from kernel_py.genesis import HEAD, STATE_ROOT
from kernel_py.intrinsics import store_write, u64, wrapping_sub_u64
from kernel_py.ledger import MAX_U64, apply_action, nonce_key, prune_messages, set_u64
from kernel_py.store import (
    append_value,
    delete_tree,
    has_value,
    read_range,
    read_u64,
    read_value,
    value_size,
    write_u64,
    write_value,
)
from kernel_py.text import to_decimal
from kernel_py.verify import CERT_ROOT, KEY_PREFIX, LAST_LEADER, PENDING, Verdict, cert_key, round_key

JOB_INDEX: bytes = b"/job/index"
JOB_DATA: bytes = b"/job/data"
JOB_TXS: bytes = b"/job/txs"
JOB_CURSOR: bytes = b"/job/cursor"
JOB_ACC: bytes = b"/job/acc"
JOB_HINTS: bytes = b"/job/hints"
JOB_ROOT: bytes = b"/job"
LAST_INDEX: bytes = b"/dsn/last_index"
LAST_TIMESTAMP: bytes = b"/dsn/last_timestamp"
CERT_ROUNDS: bytes = b"/dsn/cert_rounds"
KEEP_BLOCKS: bytes = b"/setup/keep"

STATUS_APPLIED: int = 0
STATUS_FAILED: int = 1
STATUS_REJECTED: int = 2

ERR_WRONG_ROLLUP: bytes = b"wrong rollup address"
ERR_SIGNATURE: bytes = b"invalid signature"
# Extra work units for a transaction whose signature fails: finding it by bisection costs up to ~2.5 more batch
# items (all invalid, distinct keys; kernel_py/crypto/README.md).
BAD_SIGNATURE_WORK: int = 3


def block_key(index: u64, leaf: bytes) -> bytes:
    """``/blocks/<index>/<leaf>``."""
    return b"/blocks/" + to_decimal(index) + b"/" + leaf


def job_active() -> bool:
    """True while an accepted pre-block still has transactions to apply."""
    return has_value(JOB_INDEX)


def result_entry(tx_id: bytes, status: int, error: bytes) -> bytes:
    """``tx_id (32) ‖ status u8 ‖ u16 len ‖ error``."""
    return tx_id + status.to_bytes(1, "big") + len(error).to_bytes(2, "big") + error


@dataclass
class TxResult:
    """One entry of ``/blocks/<index>/results`` or ``/blocks/<index>/direct``."""

    tx_id: bytes
    status: int
    error: bytes


def decode_results(raw: bytes) -> tuple[bool, list[TxResult]]:
    """All result entries of a results value; not ok when an entry is truncated."""
    out: list[TxResult] = []
    p = 0
    n = len(raw)
    while p < n:
        if n - p < 35:
            return False, out
        m: int = int.from_bytes(raw[p + 33:p + 35], "big")
        if m > n - p - 35:
            return False, out
        out.append(TxResult(raw[p:p + 32], int(raw[p + 32]), raw[p + 35:p + 35 + m]))
        p = p + 35 + m
    return True, out


def _execute(raw: bytes, tx: UserTx, sig_ok: bool, address: bytes, block: u64) -> tuple[bytes, bytes]:
    """Apply one decoded transaction whose signature check gave ``sig_ok``: (result entry, state log)."""
    tx_id = digest(raw)
    if not tx.ok:
        return result_entry(tx_id, STATUS_REJECTED, tx.error), b""
    if tx.rollup != address:
        return result_entry(tx_id, STATUS_REJECTED, ERR_WRONG_ROLLUP), b""
    if not sig_ok:
        return result_entry(tx_id, STATUS_REJECTED, ERR_SIGNATURE), b""
    key = nonce_key(tx.signer)
    expected = read_u64(key)
    if tx.nonce != expected or expected == MAX_U64:
        err = b"invalid nonce: expected " + to_decimal(expected) + b", got " + to_decimal(tx.nonce)
        return result_entry(tx_id, STATUS_REJECTED, err), b""
    log = set_u64(key, expected + 1)
    error, action_log = apply_action(tx.signer, tx, tx_id, block)
    if len(error) > 0:
        return result_entry(tx_id, STATUS_FAILED, error), log
    return result_entry(tx_id, STATUS_APPLIED, b""), log + action_log


def signatures_ok(txs: list[UserTx], address: bytes, hints: bytes) -> list[bool]:
    """Per transaction: whether it decoded for rollup ``address`` and its signature verifies (one batch
    equation for the list; invalid signatures are found by bisection, kernel_py/crypto/README.md). Signers'
    decoded keys are cached under ``/keys/``; ``hints`` holds the transactions' x(R) hints, 32 bytes each (or
    fewer: FORMATS.md §1.5). Another rollup's or an undecodable transaction takes an empty key, which
    ``verify_each_cached`` refuses before any other work."""
    pks: list[bytes] = []
    msgs: list[bytes] = []
    sigs: list[bytes] = []
    for tx in txs:
        pk = b""
        if tx.ok and tx.rollup == address:
            pk = tx.signer
        pks.append(pk)
        msgs.append(TX_DOMAIN + tx.body)
        sigs.append(tx.sig)
    return verify_each_cached(KEY_PREFIX, pks, msgs, sigs, hints)


def record_committed(v: Verdict) -> None:
    """Mark the pre-block's certificates committed and prune what no later pre-block can refer
    to: rounds below its GC horizon, and every round of an earlier epoch (leaders only move forward)."""
    rounds_raw = read_value(CERT_ROUNDS)
    last = read_value(LAST_LEADER)
    if len(last) == 16 and last[0:8] != v.epoch.to_bytes(8, "big"):
        delete_tree(CERT_ROOT)
        rounds_raw = b""
    kept: list[u64] = []
    for i in range(0, len(rounds_raw) // 8):
        r: u64 = int.from_bytes(rounds_raw[8 * i:8 * i + 8], "big")
        if r < v.horizon:
            delete_tree(round_key(r))
        else:
            kept.append(r)
    for k in range(0, len(v.cert_digests)):
        r2 = v.cert_rounds[k]
        store_write(cert_key(r2, v.cert_digests[k]), 0, b"")
        known = False
        for x in kept:
            if x == r2:
                known = True
        if not known:
            kept.append(r2)
    parts: list[bytes] = []
    for r3 in kept:
        parts.append(r3.to_bytes(8, "big"))
    write_value(CERT_ROUNDS, concat(parts))


def start_job(v: Verdict, data: bytes) -> None:
    """Record an accepted pre-block (committed certificates, index, timestamp, pending list) and
    open its job. The block is identified by ``block_id`` (index and leader digest, FORMATS §1.5)."""
    leader = v.cert_digests[len(v.cert_digests) - 1]
    record_committed(v)
    write_value(LAST_LEADER, v.epoch.to_bytes(8, "big") + v.leader_round.to_bytes(8, "big"))
    write_value(PENDING, v.pending)
    write_u64(LAST_INDEX, v.index)
    write_u64(LAST_TIMESTAMP, v.commit_timestamp)
    ranges: list[bytes] = []
    for i in range(0, len(v.tx_offsets)):
        ranges.append(v.tx_offsets[i].to_bytes(4, "big") + v.tx_lengths[i].to_bytes(4, "big"))
    write_value(JOB_TXS, concat(ranges))
    write_value(JOB_HINTS, v.hints)
    write_u64(JOB_CURSOR, 0)
    info = (leader + v.commit_timestamp.to_bytes(8, "big") + v.epoch.to_bytes(8, "big")
            + v.leader_round.to_bytes(8, "big") + len(v.tx_offsets).to_bytes(4, "big"))
    write_value(block_key(v.index, b"info"), info)
    write_value(block_key(v.index, b"results"), b"")
    write_value(JOB_ACC, digest(read_value(STATE_ROOT) + block_id(v.index, leader)))
    write_u64(JOB_INDEX, v.index)


def save_job_data(data: bytes) -> None:
    """Write the bytes of the open job (the run that accepted it ends before the job does)."""
    if job_active() and len(data) > 0:
        write_value(JOB_DATA, data)


def apply_chunk(address: bytes, limit: int, data: bytes) -> int:
    """Apply up to ``limit`` transactions of the open job, whose bytes are ``data`` (b"": ``/job/data``);
    returns the work it took: one unit per transaction plus ``BAD_SIGNATURE_WORK`` per transaction whose
    signature did not verify (or that was not checked). Closes the job (block root, head) after its last
    transaction."""
    index = read_u64(JOB_INDEX)
    cursor = int(read_u64(JOB_CURSOR))
    count = value_size(JOB_TXS) // 8
    if count < cursor:
        count = cursor
    end = cursor + limit
    if end > count:
        end = count
    raws: list[bytes] = []
    txs: list[UserTx] = []
    if end > cursor:
        k = end - cursor
        ranges = read_range(JOB_TXS, 8 * cursor, 8 * k)
        first: int = int.from_bytes(ranges[0:4], "big")
        last: int = int.from_bytes(ranges[8 * k - 8:8 * k - 4], "big")
        last_len: int = int.from_bytes(ranges[8 * k - 4:8 * k], "big")
        region = data
        if len(data) == 0:
            region = read_range(JOB_DATA, first, last + last_len - first)
        else:
            first = 0
        for i in range(0, k):
            off: int = int.from_bytes(ranges[8 * i:8 * i + 4], "big")
            n: int = int.from_bytes(ranges[8 * i + 4:8 * i + 8], "big")
            raw = region[off - first:off - first + n]
            raws.append(raw)
            txs.append(decode_tx(raw))
    sig_ok = signatures_ok(txs, address, read_range(JOB_HINTS, 32 * cursor, 32 * (end - cursor)))
    work = end - cursor
    acc = read_value(JOB_ACC)
    results: list[bytes] = []
    for i in range(0, len(raws)):
        if not sig_ok[i]:
            work = work + BAD_SIGNATURE_WORK
        entry, log = _execute(raws[i], txs[i], sig_ok[i], address, index)
        results.append(entry)
        acc = digest(acc + entry + log)
    append_value(block_key(index, b"results"), concat(results))
    write_value(JOB_ACC, acc)
    write_u64(JOB_CURSOR, u64(end))
    if end == count:
        write_value(block_key(index, b"root"), acc)
        write_value(STATE_ROOT, acc)
        write_value(HEAD, index.to_bytes(8, "big") + acc)
        delete_tree(JOB_ROOT)
        keep = read_u64(KEEP_BLOCKS)
        if keep > 0:  # (index <= keep names no block)
            old = b"/blocks/" + to_decimal(wrapping_sub_u64(index, keep))
            prune_messages(old)
            delete_tree(old)
    return work


def apply_direct(raw: bytes, address: bytes) -> None:
    """Apply a transaction sent straight to the kernel (outside any pre-block): its result is
    appended to ``/blocks/<last index>/direct`` (pruned with that block); unless it was rejected, the
    state root advances over it."""
    tx = decode_tx(raw)
    sig_ok = signatures_ok([tx], address, b"")
    last = read_u64(LAST_INDEX)
    entry, log = _execute(raw, tx, sig_ok[0], address, last)
    append_value(block_key(last, b"direct"), entry)
    if entry[32] != STATUS_REJECTED:
        write_value(STATE_ROOT, digest(read_value(STATE_ROOT) + entry + log))
