"""Test vectors and strict-decoding rules of kernel_py.formats.dsn (docs/FORMATS.md §1)."""

import hashlib
import struct

import pytest

from dsn import codec
from kernel_py.formats import dsn as fmt
from kernel_py.formats.dsn import (
    Authority,
    Batch,
    Certificate,
    Committee,
    Evidence,
    Header,
    PayloadEntry,
    PreBlock,
    Signer,
)


def b2b(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=32).digest()


def committee(n: int) -> Committee:
    return Committee(0, 50, [Authority(bytes([i]) * 32, 1000) for i in range(n)])


def d(i: int) -> bytes:
    return bytes([i]) * 32


HEADER = Header(2, 7, 0, 1_700_000_000_123, [PayloadEntry(d(0xAA), 0), PayloadEntry(d(0x11), 3)], [d(1), d(2), d(9)])
SIGNERS = [Signer(0, b"\x01" * 64), Signer(1, b"\x02" * 64), Signer(3, b"\x03" * 64)]
BATCH = Batch([b"hello", b"x" * 3])


def test_committee_vector_and_thresholds():
    c = committee(4)
    enc = fmt.encode_committee(c)
    expected = struct.pack(">QQI", 0, 50, 4) + b"".join(bytes([i]) * 32 + struct.pack(">Q", 1000) for i in range(4))
    assert enc == expected
    assert fmt.decode_committee(enc) == (True, c)
    assert (fmt.quorum_threshold(c), fmt.validity_threshold(c)) == (2667, 1334)
    c7 = committee(7)
    assert (fmt.total_stake(c7), fmt.quorum_threshold(c7), fmt.validity_threshold(c7)) == (7000, 4667, 2334)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda e: e + b"\x00",  # trailing byte
        lambda e: e[:-1],  # short
        lambda e: e[:16] + struct.pack(">I", 5) + e[20:],  # count past the end
        lambda e: e[:16] + struct.pack(">I", 0),  # empty committee
        lambda e: e[:20 + 32] + struct.pack(">Q", 0) + e[20 + 40:],  # zero stake
        lambda e: e[:20] + e[20:60] + e[20:60] + e[100:],  # repeated key
        lambda e: e[:20 + 32] + struct.pack(">Q", 1 << 62) + e[20 + 40:],  # total stake out of range
    ],
)
def test_committee_rejects(mutate):
    assert fmt.decode_committee(mutate(fmt.encode_committee(committee(4))))[0] is False


def test_leader_schedule():
    c = committee(4)
    assert [fmt.leader_index(c, r) for r in range(0, 12)] == [-1, -1, 1, -1, 2, -1, 3, -1, 0, -1, 1, -1]
    assert fmt.leader_index(committee(7), 14) == 0


def test_batch_vector_and_digest():
    enc = fmt.encode_batch(BATCH)
    assert enc == bytes.fromhex("00000002" "00000005" "68656c6c6f" "00000003" "787878")
    assert fmt.batch_digest(BATCH) == b2b(enc) == codec.batch_digest(BATCH)
    assert fmt.batch_digest(BATCH).hex() == "b5056ac3ada03a5ce76a02d5e696cc1827cc6d2c5917673dbd4fe7bb427b602e"
    assert fmt.decode_batch(enc) == (True, BATCH)
    # the digest commits to transaction boundaries
    assert fmt.batch_digest(Batch([b"hellox", b"xx"])) != fmt.batch_digest(BATCH)


@pytest.mark.parametrize(
    "data",
    [
        bytes.fromhex("00000000"),  # empty batch
        bytes.fromhex("00000001" "00000000"),  # empty transaction
        bytes.fromhex("00000001" "00000003" "6162"),  # length past the end
        bytes.fromhex("00000001" "00000001" "61" "00"),  # trailing byte
        bytes.fromhex("ffffffff" "00000001" "61"),  # count past the end
        bytes.fromhex("00000001") + struct.pack(">I", 4_000_001) + b"a" * 4_000_001,  # transaction too long
    ],
)
def test_batch_rejects(data):
    assert fmt.decode_batch(data)[0] is False
    with pytest.raises(ValueError):
        codec.decode_batch(data)


def test_header_vector_and_digest():
    enc = fmt.encode_header(HEADER)
    expected = (
        struct.pack(">HQQQI", 2, 7, 0, 1_700_000_000_123, 2)
        + d(0xAA) + struct.pack(">I", 0) + d(0x11) + struct.pack(">I", 3)
        + struct.pack(">I", 3) + d(1) + d(2) + d(9)
    )
    assert enc == expected
    assert fmt.decode_header(enc) == (True, HEADER)
    assert fmt.header_digest(HEADER) == b2b(enc) == codec.header_digest(HEADER)
    assert fmt.header_digest(HEADER).hex() == "00e843d1d7daebd4ef7539354411195101c4b9ee172c994297bcc8c025085db3"


def _header_bytes(payload: list, parents: list) -> bytes:
    return fmt.encode_header(Header(0, 1, 0, 0, payload, parents))


@pytest.mark.parametrize(
    "data",
    [
        _header_bytes([], [d(2), d(1)]),  # unsorted parents
        _header_bytes([], [d(1), d(1)]),  # repeated parent
        _header_bytes([PayloadEntry(d(5), 0), PayloadEntry(d(3), 0), PayloadEntry(d(5), 1)], []),  # repeated batch
        _header_bytes([PayloadEntry(d(i % 256) + b"", 0) for i in range(1001)], []),  # too many batches
        _header_bytes([], [d(1)])[:-1],  # short
        _header_bytes([], [d(1)]) + b"\x00",  # trailing
    ],
)
def test_header_rejects(data):
    assert fmt.decode_header(data)[0] is False


def test_many_distinct_payload_entries_accepted():
    h = Header(0, 1, 0, 0, [PayloadEntry(i.to_bytes(32, "big"), 0) for i in range(1000)], [])
    assert fmt.decode_header(fmt.encode_header(h)) == (True, h)


def test_certificate_vector_and_structure():
    cert = Certificate(HEADER, SIGNERS)
    enc = fmt.encode_certificate(cert)
    assert enc == fmt.encode_header(HEADER) + struct.pack(">I", 3) + b"".join(
        struct.pack(">H", s.index) + s.signature for s in SIGNERS
    )
    assert fmt.decode_certificate(enc) == (True, cert)
    c = committee(4)
    assert fmt.certificate_structure_valid(c, cert)
    assert not fmt.certificate_structure_valid(c, Certificate(HEADER, SIGNERS[:2]))  # below quorum
    assert not fmt.certificate_structure_valid(c, Certificate(HEADER, [SIGNERS[0], SIGNERS[0], SIGNERS[1]]))
    assert not fmt.certificate_structure_valid(c, Certificate(Header(2, 7, 1, 0, [], []), SIGNERS))  # epoch
    assert not fmt.certificate_structure_valid(c, Certificate(Header(4, 7, 0, 0, [], []), SIGNERS))  # author
    assert not fmt.certificate_structure_valid(c, Certificate(HEADER, SIGNERS[:2] + [Signer(4, b"\0" * 64)]))
    assert fmt.signers_stake(c, SIGNERS) == (True, 3000)


@pytest.mark.parametrize(
    "signers",
    [[SIGNERS[1], SIGNERS[0]], [SIGNERS[0], SIGNERS[0]]],
)
def test_certificate_rejects_unsorted_or_repeated_signers(signers):
    assert fmt.decode_certificate(fmt.encode_certificate(Certificate(HEADER, signers)))[0] is False


def test_vote_message():
    assert fmt.vote_message(d(7)) == b"dsn-vote-v1\x00" + d(7)


def test_genesis_digests():
    c = committee(4)
    g = fmt.genesis_digests(c)
    assert g == codec.genesis_digests(c)
    assert g[0] == b2b(struct.pack(">HQQQII", 0, 0, 0, 0, 0, 0))
    assert g[0].hex() == "cf077d276686ba64c0404b9eb2d15556782113c5a1985f262b70f9964d3bbd7f"
    assert len(set(g)) == 4


def _preblock(evidence: Evidence | None = None) -> PreBlock:
    h1 = Header(0, 1, 0, 10, [PayloadEntry(fmt.batch_digest(BATCH), 0)], [d(1)])
    h2 = Header(1, 2, 0, 20, [], [fmt.header_digest(h1)])
    support = Certificate(Header(2, 3, 0, 30, [], [fmt.header_digest(h2)]), SIGNERS)
    e = evidence or Evidence(fmt.EVIDENCE_DIRECT, fmt.no_anchor(), [support], [])
    return PreBlock(1, 20, [Certificate(h1, SIGNERS), Certificate(h2, SIGNERS)], [BATCH], e, b"")


def test_preblock_vector_and_block_id():
    p = _preblock()
    enc = fmt.encode_preblock(p)
    certs = [fmt.encode_certificate(c) for c in p.certificates]
    support = fmt.encode_certificate(p.evidence.support[0])
    evidence = b"\x01" + struct.pack(">I", 1) + support
    assert fmt.encode_evidence(p.evidence) == codec.encode_evidence_fast(1, b"", [support], []) == evidence
    assert enc == (struct.pack(">QQI", 1, 20, 2) + b"".join(certs) + struct.pack(">I", 1) + fmt.encode_batch(BATCH)
                   + evidence)
    assert fmt.decode_preblock(enc) == (True, p)
    assert codec.decode_preblock(enc) == p
    assert fmt.preblock_id(p) == struct.pack(">Q", 1) + fmt.header_digest(p.certificates[1].header)
    assert fmt.encode_preblock_parts(1, 20, certs, [fmt.encode_batch(BATCH)], evidence) == enc
    assert codec.encode_preblock_fast(1, 20, certs, [fmt.encode_batch(BATCH)], evidence) == enc


def test_evidence_kinds_encode_like_the_kernel_and_decode():
    p = _preblock()
    h1, h2 = (c.header for c in p.certificates)
    anchor, support = p.certificates[1], p.evidence.support
    step = Evidence(fmt.EVIDENCE_STEP, anchor, support, [h1])
    cont = Evidence(fmt.EVIDENCE_CONTINUE, fmt.no_anchor(), [], [])
    enc_support = [fmt.encode_certificate(c) for c in support]
    assert fmt.encode_evidence(step) == codec.encode_evidence_fast(
        2, fmt.encode_certificate(anchor), enc_support, [fmt.encode_header(h1)])
    assert fmt.encode_evidence(cont) == codec.encode_evidence_fast(0, b"", [], []) == b"\x00"
    for e in (step, cont):
        assert fmt.decode_preblock(fmt.encode_preblock(_preblock(e))) == (True, _preblock(e))
    # history out of (round, author) order, or an unknown kind: malformed
    unsorted = fmt.encode_preblock(_preblock(Evidence(fmt.EVIDENCE_STEP, anchor, support, [h2, h1])))
    assert fmt.decode_preblock(unsorted)[0] is False
    assert fmt.decode_preblock(fmt.encode_preblock(_preblock(cont))[:-1] + b"\x03")[0] is False


def test_preblock_rejects():
    p = _preblock()
    e = p.evidence
    bad_index = PreBlock(0, p.commit_timestamp, p.certificates, p.batches, e, b"")
    swapped = PreBlock(1, 20, [p.certificates[1], p.certificates[0]], p.batches, e, b"")
    missing_batch = PreBlock(1, 20, p.certificates, [], e, b"")
    extra_batch = PreBlock(1, 20, p.certificates, [BATCH, BATCH], e, b"")
    no_certs = PreBlock(1, 20, [], [], e, b"")
    for bad in (bad_index, swapped, missing_batch, extra_batch, no_certs):
        assert fmt.decode_preblock(fmt.encode_preblock(bad))[0] is False
    enc = fmt.encode_preblock(p)
    assert fmt.decode_preblock(enc + b"\x00")[0] is False
    assert fmt.decode_preblock(enc[:-1])[0] is False


def test_preblock_hints_section():
    """Optional trailing ``list<32-byte x>``: absent, empty or any count decode; a short or overlong section does not."""
    p = _preblock()
    enc = fmt.encode_preblock(p)
    hints = bytes(range(32)) + bytes(32) + b"\xff" * 32
    hinted = PreBlock(p.index, p.commit_timestamp, p.certificates, p.batches, p.evidence, hints)
    assert fmt.encode_hints(b"") == b""
    assert fmt.encode_preblock(hinted) == enc + struct.pack(">I", 3) + hints
    assert fmt.decode_preblock(fmt.encode_preblock(hinted)) == (True, hinted)
    assert codec.decode_preblock(enc + fmt.encode_hints(hints[:32])).hints == hints[:32]
    assert fmt.decode_preblock(enc + struct.pack(">I", 0)) == (True, p)
    for bad in (struct.pack(">I", 2) + hints[:32], struct.pack(">I", 1) + hints[:31], struct.pack(">I", 1) + hints[:33],
                b"\x00\x00\x00"):
        assert fmt.decode_preblock(enc + bad)[0] is False
