"""Ordering verification of a pre-block: rules 1–6 of design.md as refined in FORMATS.md §1.5.

:func:`verify_preblock` only reads durable storage (committees, committed certificates, the pending
list of a verified commit step), apart from filling the decoded-key cache ``/keys/`` with the committee's keys
(which changes no result); the caller records the verdict. On success it also returns what
applying the pre-block needs: the certificate digests to mark committed, the byte range of every
transaction, in order, and the new pending list. Cheap checks come first; every signature involved
(leader, anchor, support) is checked last, in one batch.
"""

from dataclasses import dataclass

from kernel_py.crypto.ed25519 import verify_each_cached
from kernel_py.formats.dsn import (
    EVIDENCE_CONTINUE,
    EVIDENCE_DIRECT,
    Certificate,
    Committee,
    Evidence,
    Header,
    PreBlock,
    certificate_structure_valid,
    concat,
    decode_committee,
    decode_preblock,
    digest,
    genesis_digests,
    header_digest,
    leader_index,
    validity_threshold,
    vote_message,
)
from kernel_py.intrinsics import store_value_size, u64
from kernel_py.store import read_value
from kernel_py.text import to_decimal, to_hex

COMMITTEE_PREFIX: bytes = b"/dsn/committee/"
CERT_ROOT: bytes = b"/dsn/cert"
LAST_LEADER: bytes = b"/dsn/last_leader"
PENDING: bytes = b"/dsn/pending"
# The decoded-key cache of every Ed25519 check (kernel_py/crypto/README.md), committee and transaction signers alike.
KEY_PREFIX: bytes = b"/keys/"


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
    pending: bytes
    hints: bytes


def _reject(error: bytes) -> Verdict:
    return Verdict(False, error, 0, 0, 0, 0, 0, 0, [], [], [], [], b"", b"")


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


def _find(rounds: list[u64], digests: list[bytes], before: int, parent_round: u64, d: bytes) -> int:
    """Index (< ``before``) of the entry of ``parent_round`` with digest ``d`` in lists sorted by
    round, else -1."""
    k = before - 1
    while k >= 0:
        r = rounds[k]
        if r < parent_round:
            return -1
        if r == parent_round and digests[k] == d:
            return k
        k = k - 1
    return -1


def _contains(items: list[bytes], d: bytes) -> bool:
    """Whether ``d`` is one of ``items``."""
    for x in items:
        if x == d:
            return True
    return False


def _collect(c: Committee, cert: Certificate, d: bytes, pks: list[bytes], msgs: list[bytes], sigs: list[bytes]) -> bool:
    """Queue the vote signatures of ``cert`` (digest ``d``) for one batch verification; False when the
    certificate is structurally invalid for ``c`` (§1.3: epoch, member author and signers, quorum stake)."""
    if not certificate_structure_valid(c, cert):
        return False
    msg = vote_message(d)
    for s in cert.signers:
        pks.append(c.authorities[s.index].public_key)
        msgs.append(msg)
        sigs.append(s.signature)
    return True


def _support(c: Committee, support: list[Certificate], target: Header, target_digest: bytes, pks: list[bytes],
             msgs: list[bytes], sigs: list[bytes]) -> bytes:
    """Check a support list for ``target`` (FORMATS §1.5), queueing its signatures; the error or b""."""
    stake: u64 = 0
    for cert in support:
        h = cert.header
        if h.round != target.round + 1 or not _contains(h.parents, target_digest):
            return b"support misses the leader"
        if not _collect(c, cert, header_digest(h), pks, msgs, sigs):
            return b"support not a valid certificate"
        stake = stake + c.authorities[h.author].stake
    if stake < validity_threshold(c):
        return b"support below validity"
    return b""


def _step_chain(c: Committee, e: Evidence, last_round: u64) -> tuple[bytes, list[bytes]]:
    """(error, chain) for a step proof: Bullshark's chain from the anchor down to ``last_round`` + 2,
    top-down (anchor first), computed over the anchor and its history, which must be exactly the
    anchor's causal history in (``last_round``, anchor round): every header reached from the anchor
    (so none outside those rounds) and every parent above ``last_round`` present. The anchor is
    walked as the last entry; ``reach`` is 1 for entries reached from the anchor, 2 for those also
    reached from the chain's lowest leader."""
    history = e.history
    history.append(e.anchor.header)
    m = len(history)
    chain: list[bytes] = []
    rounds: list[u64] = []
    digests: list[bytes] = []
    for h in history:
        if h.author >= len(c.authorities):  # (keeps every round's group, hence each lookup, within n)
            return b"history not from the anchor", chain
        rounds.append(h.round)
        digests.append(header_digest(h))
    reach: list[int] = [0] * m
    reach[m - 1] = 2
    j = m - 1
    while j >= 0:
        lo = j
        while lo > 0 and rounds[lo - 1] == rounds[j]:
            lo = lo - 1
        lead = leader_index(c, rounds[j])
        for k in range(lo, j + 1):
            if history[k].author == lead and reach[k] == 2:
                chain.append(digests[k])
                for q in range(lo, j + 1):
                    if q != k and reach[q] == 2:
                        reach[q] = 1
        for k in range(lo, j + 1):
            level = reach[k]
            if level == 0:
                return b"history not from the anchor", chain
            parent_round = rounds[k] - 1
            if parent_round > last_round:
                for parent in history[k].parents:
                    i = _find(rounds, digests, lo, parent_round, parent)
                    if i < 0:
                        return b"incomplete history", chain
                    if reach[i] < level:
                        reach[i] = level
        j = lo - 1
    return b"", chain


def _evidence(c: Committee, p: PreBlock, digests: list[bytes], rounds: list[u64], horizon: u64, last_round: u64,
              pks: list[bytes], msgs: list[bytes], sigs: list[bytes]) -> tuple[bytes, bytes]:
    """Rule 6 with an empty pending list (FORMATS §1.5): (error, new pending list), queueing the
    evidence's signatures."""
    e = p.evidence
    m = len(p.certificates)
    leader = p.certificates[m - 1].header
    if e.kind == EVIDENCE_CONTINUE:
        return b"no step to continue", b""
    if e.kind == EVIDENCE_DIRECT:
        if horizon > last_round + 1:
            return b"gap needs a step proof", b""
        for k in range(0, m - 1):
            if rounds[k] > last_round and leader_index(c, rounds[k]) == p.certificates[k].header.author:
                return b"merges an earlier leader", b""
        return _support(c, e.support, leader, digests[m - 1], pks, msgs, sigs), b""
    a = e.anchor.header
    if leader_index(c, a.round) != a.author:
        return b"anchor not a scheduled leader", b""
    error, chain = _step_chain(c, e, last_round)
    if len(error) > 0:
        return error, b""
    anchor_digest = chain[0]  # the anchor, reached and scheduled, always starts the chain
    if chain[len(chain) - 1] != digests[m - 1]:
        return b"leader not first in the step", b""
    error = _support(c, e.support, a, anchor_digest, pks, msgs, sigs)
    if len(error) == 0 and anchor_digest != digests[m - 1]:
        if not _collect(c, e.anchor, anchor_digest, pks, msgs, sigs):
            error = b"anchor not a valid certificate"
    pending = concat(chain)
    return error, pending[0:len(pending) - 32]


def verify_preblock(data: bytes, last_index: u64, last_timestamp: u64) -> Verdict:
    """Check the encoded pre-block ``data`` against the kernel's history (rules 1–6)."""
    ok, p = decode_preblock(data)
    if not ok:
        return _reject(b"malformed pre-block")
    # Rule 1: the next index.
    if p.index != last_index + 1:
        return _reject(b"unexpected pre-block index")
    m = len(p.certificates)
    leader_cert = p.certificates[m - 1]
    leader = leader_cert.header
    epoch = leader.epoch
    known, c = load_committee(epoch)
    if not known:
        return _reject(b"unknown epoch")
    n = len(c.authorities)
    last_round: u64 = 0
    last = read_value(LAST_LEADER)
    if len(last) == 16:
        last_epoch: u64 = int.from_bytes(last[0:8], "big")
        if last_epoch == epoch:
            last_round = int.from_bytes(last[8:16], "big")
        if epoch < last_epoch or (epoch == last_epoch and leader.round <= last_round):
            return _reject(b"leader not after the last committed leader")
    # Rule 2: the scheduled leader, signed by a quorum of its epoch's committee (signatures last).
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
    leader_digest = digests[m - 1]
    pks: list[bytes] = []
    msgs: list[bytes] = []
    sigs: list[bytes] = []
    if not _collect(c, leader_cert, leader_digest, pks, msgs, sigs):
        return _reject(b"leader certificate lacks a valid quorum")
    leader_sigs = len(pks)
    horizon: u64 = 1
    if leader.round > c.gc_depth and leader.round - c.gc_depth > 1:
        horizon = leader.round - c.gc_depth
    # Rule 6: the next leader of a verified step, or evidence that Bullshark commits it now.
    pending = read_value(PENDING)
    size = len(pending)
    if size > 0:
        if pending[size - 32:size] != leader_digest:
            return _reject(b"not the pending leader")
        pending = pending[0:size - 32]
    else:
        error, pending = _evidence(c, p, digests, rounds, horizon, last_round, pks, msgs, sigs)
        if len(error) > 0:
            return _reject(error)
    for k in range(0, m - 1):
        if rounds[k] >= leader.round:
            return _reject(b"certificate not below the leader round")
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
            return _reject(b"certificate below the gc horizon")
        if committed(h.round, digests[j]):
            return _reject(b"certificate already committed")
        parent_round = h.round - 1
        for parent in h.parents:
            k = _find(rounds, digests, j, parent_round, parent)
            if k >= 0:
                if reached[j]:
                    reached[k] = True
            elif parent_round == 0:
                if len(genesis) == 0:
                    genesis = genesis_digests(c)
                if not _contains(genesis, parent):
                    return _reject(b"unknown genesis parent")
            elif parent_round >= horizon and not committed(parent_round, parent):
                return _reject(b"missing parent certificate")
        j = j - 1
    for k in range(0, m):
        if not reached[k]:
            return _reject(b"certificate outside the leader's causal history")
    # Rule 5: every batch present, in order, matching its digest (batches follow the certificates).
    pos = 24
    for cert in p.certificates:
        h = cert.header
        pos = pos + 38 + 36 * len(h.payload) + 32 * len(h.parents) + 66 * len(cert.signers)
    offsets: list[int] = []
    tx_lengths: list[int] = []
    b = 0
    for cert in p.certificates:
        for entry in cert.header.payload:
            start = pos
            pos = pos + 4
            for tx in p.batches[b].transactions:
                offsets.append(pos + 4)
                tx_lengths.append(len(tx))
                pos = pos + 4 + len(tx)
            if digest(data[start:pos]) != entry.digest:
                return _reject(b"batch digest mismatch")
            b = b + 1
    expected_ts = last_timestamp
    if leader.created_at > expected_ts:
        expected_ts = leader.created_at
    if p.commit_timestamp != expected_ts:
        return _reject(b"wrong commit timestamp")
    # Signatures last: the leader's quorum (first) and the evidence's certificates, in one batch (their x(R) hints
    # follow the transactions', FORMATS §1.5).
    sig_ok = verify_each_cached(KEY_PREFIX, pks, msgs, sigs, p.hints[32 * len(offsets):])
    for i in range(len(pks)):
        if not sig_ok[i]:
            v = _reject(b"leader certificate lacks a valid quorum" if i < leader_sigs else b"evidence signatures invalid")
            v.signatures = len(pks)
            return v
    return Verdict(True, b"", p.index, p.commit_timestamp, epoch, leader.round, horizon, len(pks), digests, rounds,
                   offsets, tx_lengths, pending, p.hints)
