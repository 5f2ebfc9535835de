"""Ordering verification of a pre-block: rules 1–5 of design.md as refined in FORMATS.md §1.5.

:func:`verify_preblock` only reads durable storage (committees, committed certificates); the
caller records the verdict. On success it also returns what applying the pre-block needs: the
certificate digests to mark committed and the byte range of every transaction, in order.
"""

from dataclasses import dataclass

from kernel_py.crypto.ed25519 import verify_batch
from kernel_py.formats.dsn import (
    Committee,
    PreBlock,
    certificate_structure_valid,
    decode_committee,
    decode_preblock,
    digest,
    genesis_digests,
    header_digest,
    leader_index,
    vote_message,
)
from kernel_py.intrinsics import store_value_size, u64
from kernel_py.store import read_value
from kernel_py.text import to_decimal, to_hex

COMMITTEE_PREFIX: bytes = b"/dsn/committee/"
CERT_ROOT: bytes = b"/dsn/cert"
LAST_LEADER: bytes = b"/dsn/last_leader"


@dataclass
class Verdict:
    """``ok`` with the pre-block's facts, or the ``error`` that rejected it."""

    ok: bool
    error: bytes
    index: u64
    commit_timestamp: u64
    epoch: u64
    leader_round: u64
    horizon: u64
    signatures: int
    cert_digests: list[bytes]
    cert_rounds: list[u64]
    tx_offsets: list[int]
    tx_lengths: list[int]


def _reject(error: bytes) -> Verdict:
    return Verdict(False, error, 0, 0, 0, 0, 0, 0, [], [], [], [])


def _reject_signed(error: bytes, signatures: int) -> Verdict:
    """A rejection after ``signatures`` leader signatures were checked (for work accounting)."""
    v = _reject(error)
    v.signatures = signatures
    return v


def committee_key(epoch: u64) -> bytes:
    """``/dsn/committee/<epoch>``: the committee encoding (FORMATS.md §1.1) of an epoch."""
    return COMMITTEE_PREFIX + to_decimal(epoch)


def load_committee(epoch: u64) -> tuple[bool, Committee]:
    """The committee of ``epoch``; not ok when none is registered."""
    raw = read_value(committee_key(epoch))
    if len(raw) == 0:
        return False, Committee(0, 0, [])
    return decode_committee(raw)


def round_key(cert_round: u64) -> bytes:
    """``/dsn/cert/<round>``: the committed certificates of one round (current epoch)."""
    return CERT_ROOT + b"/" + to_decimal(cert_round)


def cert_key(cert_round: u64, cert_digest: bytes) -> bytes:
    """``/dsn/cert/<round>/<digest hex>``: present (empty value) once the certificate is committed."""
    return round_key(cert_round) + b"/" + to_hex(cert_digest)


def committed(cert_round: u64, cert_digest: bytes) -> bool:
    """Whether the certificate of ``cert_round`` with this digest was committed in this epoch."""
    return store_value_size(cert_key(cert_round, cert_digest)) >= 0


def _batch_ranges(p: PreBlock, total: int) -> tuple[list[int], list[int]]:
    """Start offset and length of every encoded batch in the pre-block's bytes (they end it)."""
    lengths: list[int] = []
    size = 0
    for b in p.batches:
        n = 4
        for tx in b.transactions:
            n = n + 4 + len(tx)
        lengths.append(n)
        size = size + n
    starts: list[int] = []
    pos = total - size
    for n in lengths:
        starts.append(pos)
        pos = pos + n
    return starts, lengths


def _find_in_round(p: PreBlock, digests: list[bytes], before: int, parent_round: u64, d: bytes) -> int:
    """Index (< ``before``) of the certificate of ``parent_round`` with digest ``d``, else -1."""
    k = before - 1
    while k >= 0:
        r = p.certificates[k].header.round
        if r < parent_round:
            return -1
        if r == parent_round and digests[k] == d:
            return k
        k = k - 1
    return -1


def _leader_signed(c: Committee, p: PreBlock, leader_digest: bytes) -> bool:
    leader = p.certificates[len(p.certificates) - 1]
    if not certificate_structure_valid(c, leader):
        return False
    msg = vote_message(leader_digest)
    pks: list[bytes] = []
    msgs: list[bytes] = []
    sigs: list[bytes] = []
    for s in leader.signers:
        pks.append(c.authorities[s.index].public_key)
        msgs.append(msg)
        sigs.append(s.signature)
    return verify_batch(pks, msgs, sigs)


def verify_preblock(data: bytes, last_index: u64, last_timestamp: u64) -> Verdict:
    """Check the encoded pre-block ``data`` against the kernel's history (rules 1–5)."""
    ok, p = decode_preblock(data)
    if not ok:
        return _reject(b"malformed pre-block")
    # Rule 1: the next index.
    if p.index != last_index + 1:
        return _reject(b"unexpected pre-block index")
    m = len(p.certificates)
    leader = p.certificates[m - 1].header
    epoch = leader.epoch
    known, c = load_committee(epoch)
    if not known:
        return _reject(b"unknown epoch")
    n = len(c.authorities)
    last = read_value(LAST_LEADER)
    if len(last) == 16:
        last_epoch: u64 = int.from_bytes(last[0:8], "big")
        last_round: u64 = int.from_bytes(last[8:16], "big")
        if epoch < last_epoch or (epoch == last_epoch and leader.round <= last_round):
            return _reject(b"leader not after the last committed leader")
    # Rule 2: the scheduled leader, signed by a quorum of its epoch's committee.
    if leader_index(c, leader.round) != leader.author:
        return _reject(b"not the scheduled leader")
    digests: list[bytes] = []
    rounds: list[u64] = []
    for cert in p.certificates:
        h = cert.header
        if h.epoch != epoch:
            return _reject(b"certificate from another epoch")
        if h.author >= n:
            return _reject(b"unknown certificate author")
        digests.append(header_digest(h))
        rounds.append(h.round)
    signatures = len(p.certificates[m - 1].signers)
    if not _leader_signed(c, p, digests[m - 1]):
        return _reject_signed(b"leader certificate lacks a valid quorum", signatures)
    horizon: u64 = 1
    if leader.round > c.gc_depth and leader.round - c.gc_depth > 1:
        horizon = leader.round - c.gc_depth
    for k in range(0, m - 1):
        if rounds[k] >= leader.round:
            return _reject_signed(b"certificate not below the leader round", signatures)
    # Rules 3 and 4, from the leader down (parents always sit at lower indexes): every certificate
    # is within the horizon, new, and reached from the leader; every parent is present, committed,
    # genesis, or below the horizon.
    genesis: list[bytes] = []
    reached: list[bool] = [False] * m
    reached[m - 1] = True
    j = m - 1
    while j >= 0:
        h = p.certificates[j].header
        if h.round < horizon:
            return _reject_signed(b"certificate below the gc horizon", signatures)
        if committed(h.round, digests[j]):
            return _reject_signed(b"certificate already committed", signatures)
        parent_round = h.round - 1
        for parent in h.parents:
            k = _find_in_round(p, digests, j, parent_round, parent)
            if k >= 0:
                if reached[j]:
                    reached[k] = True
            elif parent_round == 0:
                if len(genesis) == 0:
                    genesis = genesis_digests(c)
                found = False
                for g in genesis:
                    if g == parent:
                        found = True
                if not found:
                    return _reject_signed(b"unknown genesis parent", signatures)
            elif parent_round >= horizon and not committed(parent_round, parent):
                return _reject_signed(b"missing parent certificate", signatures)
        j = j - 1
    for k in range(0, m):
        if not reached[k]:
            return _reject_signed(b"certificate outside the leader's causal history", signatures)
    # Rule 5: every batch present, in order, matching its digest.
    starts, lengths = _batch_ranges(p, len(data))
    b = 0
    for cert in p.certificates:
        for entry in cert.header.payload:
            if digest(data[starts[b]:starts[b] + lengths[b]]) != entry.digest:
                return _reject_signed(b"batch digest mismatch", signatures)
            b = b + 1
    expected_ts = last_timestamp
    if leader.created_at > expected_ts:
        expected_ts = leader.created_at
    if p.commit_timestamp != expected_ts:
        return _reject_signed(b"wrong commit timestamp", signatures)
    offsets: list[int] = []
    tx_lengths: list[int] = []
    for i in range(0, len(p.batches)):
        pos = starts[i] + 4
        for tx in p.batches[i].transactions:
            offsets.append(pos + 4)
            tx_lengths.append(len(tx))
            pos = pos + 4 + len(tx)
    return Verdict(True, b"", p.index, p.commit_timestamp, epoch, leader.round, horizon, signatures, digests, rounds,
                   offsets, tx_lengths)

