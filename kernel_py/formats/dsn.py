"""DSN byte formats (docs/FORMATS.md §1): committee, batch, header, certificate, pre-block, evidence.

Encoders build the canonical bytes. Decoders are strict and never raise: ``read_*`` consume from a
:class:`Reader` and clear its ``ok`` flag on any defect (short input, bad length, unsorted or
repeated set members, out-of-range values); ``decode_*`` read a whole buffer and return
``(ok, value)``, rejecting trailing bytes. The value returned with ``ok = False`` is meaningless.
"""

from dataclasses import dataclass

from kernel_py.crypto.blake2b import blake2b
from kernel_py.intrinsics import u32, u64

DIGEST_LEN: int = 32
PK_LEN: int = 32
SIG_LEN: int = 64
HINT_LEN: int = 32  # an x(R) hint (§1.5)
MAX_TX_LEN: int = 4000000
MAX_HEADER_BATCHES: int = 1000
MAX_AUTHORITIES: int = 65536
MAX_TOTAL_STAKE: u64 = 4611686018427387904
VOTE_DOMAIN: bytes = b"dsn-vote-v1"

# Smallest encodings, used to reject list counts that cannot fit in the remaining input.
MIN_AUTHORITY_LEN: int = 40
MIN_PAYLOAD_ENTRY_LEN: int = 36
MIN_SIGNER_LEN: int = 66
MIN_TX_ENTRY_LEN: int = 5
MIN_CERTIFICATE_LEN: int = 38
MIN_BATCH_LEN: int = 9
MIN_HEADER_LEN: int = 34

# Evidence kinds (§1.5).
EVIDENCE_CONTINUE: int = 0
EVIDENCE_DIRECT: int = 1
EVIDENCE_STEP: int = 2


# ---------------------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------------------


@dataclass
class Reader:
    """Decoding cursor: ``data[pos:]`` is unread; ``ok`` turns False at the first defect."""

    data: bytes
    pos: int
    ok: bool


@dataclass
class Authority:
    public_key: bytes
    stake: u64


@dataclass
class Committee:
    epoch: u64
    gc_depth: u64
    authorities: list[Authority]


@dataclass
class Batch:
    transactions: list[bytes]


@dataclass
class PayloadEntry:
    digest: bytes
    worker_id: u32


@dataclass
class Header:
    author: int
    round: u64
    epoch: u64
    created_at: u64
    payload: list[PayloadEntry]
    parents: list[bytes]


@dataclass
class Signer:
    index: int
    signature: bytes


@dataclass
class Certificate:
    header: Header
    signers: list[Signer]


@dataclass
class Evidence:
    """Why the leader is committed (§1.5): ``kind`` 0 (continue a verified step), 1 (direct:
    ``support`` of the leader) or 2 (step proof: ``anchor``, its ``support`` and ``history``).
    ``anchor`` is meaningful for kind 2 only, ``support`` for kinds 1 and 2, ``history`` for kind 2."""

    kind: int
    anchor: Certificate
    support: list[Certificate]
    history: list[Header]


@dataclass
class PreBlock:
    index: u64
    commit_timestamp: u64
    certificates: list[Certificate]
    batches: list[Batch]
    evidence: Evidence
    hints: bytes


# ---------------------------------------------------------------------------------------------
# Reading primitives
# ---------------------------------------------------------------------------------------------


def new_reader(data: bytes) -> Reader:
    """A reader at the start of ``data``."""
    return Reader(data, 0, True)


def reader_finished(r: Reader) -> bool:
    """True when every read succeeded and no byte is left over."""
    return r.ok and r.pos == len(r.data)


def _room(r: Reader, n: int) -> bool:
    """Whether ``n`` more bytes can be read; clears ``ok`` otherwise."""
    if not r.ok or n > len(r.data) - r.pos:
        r.ok = False
        return False
    return True


def _read_int(r: Reader, n: int) -> int:
    """A big-endian unsigned integer of ``n`` ≤ 4 bytes."""
    if not _room(r, n):
        return 0
    p = r.pos
    v: int = int.from_bytes(r.data[p:p + n], "big")
    r.pos = p + n
    return v


def read_u16(r: Reader) -> int:
    return _read_int(r, 2)


def read_u32(r: Reader) -> u32:
    return u32(_read_int(r, 4))


def read_length(r: Reader) -> int:
    """A ``u32`` length or count, as ``int``."""
    return _read_int(r, 4)


def read_u64(r: Reader) -> u64:
    if not _room(r, 8):
        return 0
    p = r.pos
    v: u64 = int.from_bytes(r.data[p:p + 8], "big")
    r.pos = p + 8
    return v


def read_fixed(r: Reader, n: int) -> bytes:
    """The next ``n`` bytes (b"" and not ok when fewer remain)."""
    if not _room(r, n):
        return b""
    p = r.pos
    r.pos = p + n
    return r.data[p:p + n]


def read_count(r: Reader, min_item_len: int) -> int:
    """A ``u32`` list count whose items (each at least ``min_item_len`` bytes) fit in the input."""
    n = read_length(r)
    if n * min_item_len > len(r.data) - r.pos:
        r.ok = False
        return 0
    return n


def _all_distinct(items: list[bytes]) -> bool:
    """True when no two items are equal (bottom-up merge sort, O(n log n) comparisons)."""
    n = len(items)
    src: list[bytes] = []
    dst: list[bytes] = []
    for x in items:
        src.append(x)
        dst.append(x)
    width = 1
    while width < n:
        lo = 0
        while lo < n:
            mid = lo + width
            if mid > n:
                mid = n
            hi = mid + width
            if hi > n:
                hi = n
            i = lo
            j = mid
            k = lo
            while k < hi:
                if i < mid and j < hi:
                    if src[i] == src[j]:
                        return False
                    if src[i] < src[j]:
                        dst[k] = src[i]
                        i = i + 1
                    else:
                        dst[k] = src[j]
                        j = j + 1
                elif i < mid:
                    dst[k] = src[i]
                    i = i + 1
                else:
                    dst[k] = src[j]
                    j = j + 1
                k = k + 1
            lo = hi
        tmp = src
        src = dst
        dst = tmp
        width = width * 2
    for k in range(1, n):
        if src[k - 1] == src[k]:
            return False
    return True


# ---------------------------------------------------------------------------------------------
# Writing primitives
# ---------------------------------------------------------------------------------------------


def concat(parts: list[bytes]) -> bytes:
    """The parts joined, copied once into a buffer of the total size."""
    total = 0
    for p in parts:
        total = total + len(p)
    buf = bytearray(total)
    pos = 0
    for p in parts:
        end = pos + len(p)
        buf[pos:end] = p
        pos = end
    return bytes(buf)


def u16_bytes(x: int) -> bytes:
    return x.to_bytes(2, "big")


def u32_bytes(x: u32) -> bytes:
    return x.to_bytes(4, "big")


def count_bytes(n: int) -> bytes:
    """A length or list count as ``u32``."""
    return n.to_bytes(4, "big")


def u64_bytes(x: u64) -> bytes:
    return x.to_bytes(8, "big")


# ---------------------------------------------------------------------------------------------
# Committee (§1.1), thresholds, leader schedule (§1.4)
# ---------------------------------------------------------------------------------------------


def encode_committee(c: Committee) -> bytes:
    parts: list[bytes] = [u64_bytes(c.epoch), u64_bytes(c.gc_depth), count_bytes(len(c.authorities))]
    for a in c.authorities:
        parts.append(a.public_key)
        parts.append(u64_bytes(a.stake))
    return concat(parts)


def read_committee(r: Reader) -> Committee:
    """A committee: ≥ 1 authority, stakes > 0 with a total ≤ 2^62, distinct keys."""
    epoch = read_u64(r)
    gc_depth = read_u64(r)
    n = read_count(r, MIN_AUTHORITY_LEN)
    if n == 0 or n > MAX_AUTHORITIES:
        r.ok = False
    authorities: list[Authority] = []
    keys: list[bytes] = []
    total: u64 = 0
    i = 0
    while i < n and r.ok:
        pk = read_fixed(r, PK_LEN)
        stake = read_u64(r)
        if stake == 0 or stake > MAX_TOTAL_STAKE - total:
            r.ok = False
        else:
            total = total + stake
        authorities.append(Authority(pk, stake))
        keys.append(pk)
        i = i + 1
    if r.ok and not _all_distinct(keys):
        r.ok = False
    return Committee(epoch, gc_depth, authorities)


def decode_committee(data: bytes) -> tuple[bool, Committee]:
    r = new_reader(data)
    c = read_committee(r)
    return reader_finished(r), c


def total_stake(c: Committee) -> u64:
    total: u64 = 0
    for a in c.authorities:
        total = total + a.stake
    return total


def quorum_threshold(c: Committee) -> u64:
    """``2·total/3 + 1``: 2f+1 authorities for n = 3f+1 equal stakes."""
    return 2 * total_stake(c) // 3 + 1


def validity_threshold(c: Committee) -> u64:
    """``(total + 2)/3``: f+1 authorities for n = 3f+1 equal stakes."""
    return (total_stake(c) + 2) // 3


def leader_index(c: Committee, leader_round: u64) -> int:
    """Index of the leader of ``leader_round``: ``(r/2) mod n`` for even r ≥ 2, else -1."""
    if leader_round < 2 or leader_round % 2 != 0:
        return -1
    return int((leader_round // 2) % u64(len(c.authorities)))


# ---------------------------------------------------------------------------------------------
# Batch (§1.2)
# ---------------------------------------------------------------------------------------------


def encode_batch(b: Batch) -> bytes:
    parts: list[bytes] = [count_bytes(len(b.transactions))]
    for tx in b.transactions:
        parts.append(count_bytes(len(tx)))
        parts.append(tx)
    return concat(parts)


def read_batch(r: Reader) -> Batch:
    """A batch: ≥ 1 transaction, each of 1 … 4,000,000 bytes."""
    n = read_count(r, MIN_TX_ENTRY_LEN)
    if n == 0:
        r.ok = False
    txs: list[bytes] = []
    i = 0
    while i < n and r.ok:
        size = read_length(r)
        if size == 0 or size > MAX_TX_LEN:
            r.ok = False
        txs.append(read_fixed(r, size))
        i = i + 1
    return Batch(txs)


def decode_batch(data: bytes) -> tuple[bool, Batch]:
    r = new_reader(data)
    b = read_batch(r)
    return reader_finished(r), b


# ---------------------------------------------------------------------------------------------
# Header, certificate (§1.3)
# ---------------------------------------------------------------------------------------------


def encode_header(h: Header) -> bytes:
    parts: list[bytes] = [
        u16_bytes(h.author),
        u64_bytes(h.round),
        u64_bytes(h.epoch),
        u64_bytes(h.created_at),
        count_bytes(len(h.payload)),
    ]
    for e in h.payload:
        parts.append(e.digest)
        parts.append(u32_bytes(e.worker_id))
    parts.append(count_bytes(len(h.parents)))
    for p in h.parents:
        parts.append(p)
    return concat(parts)


def read_header(r: Reader) -> Header:
    """A header: ≤ 1000 payload entries with distinct digests, parents strictly ascending."""
    author = read_u16(r)
    header_round = read_u64(r)
    epoch = read_u64(r)
    created_at = read_u64(r)
    n = read_count(r, MIN_PAYLOAD_ENTRY_LEN)
    if n > MAX_HEADER_BATCHES:
        r.ok = False
    payload: list[PayloadEntry] = []
    digests: list[bytes] = []
    i = 0
    while i < n and r.ok:
        d = read_fixed(r, DIGEST_LEN)
        w = read_u32(r)
        payload.append(PayloadEntry(d, w))
        digests.append(d)
        i = i + 1
    if r.ok and not _all_distinct(digests):
        r.ok = False
    m = read_count(r, DIGEST_LEN)
    parents: list[bytes] = []
    i = 0
    while i < m and r.ok:
        p = read_fixed(r, DIGEST_LEN)
        if i > 0 and not parents[i - 1] < p:
            r.ok = False
        parents.append(p)
        i = i + 1
    return Header(author, header_round, epoch, created_at, payload, parents)


def decode_header(data: bytes) -> tuple[bool, Header]:
    r = new_reader(data)
    h = read_header(r)
    return reader_finished(r), h


def encode_signers(signers: list[Signer]) -> bytes:
    parts: list[bytes] = [count_bytes(len(signers))]
    for s in signers:
        parts.append(u16_bytes(s.index))
        parts.append(s.signature)
    return concat(parts)


def read_signers(r: Reader) -> list[Signer]:
    """A signer list, strictly ascending by index."""
    n = read_count(r, MIN_SIGNER_LEN)
    signers: list[Signer] = []
    i = 0
    while i < n and r.ok:
        index = read_u16(r)
        sig = read_fixed(r, SIG_LEN)
        if i > 0 and index <= signers[i - 1].index:
            r.ok = False
        signers.append(Signer(index, sig))
        i = i + 1
    return signers


def encode_certificate(c: Certificate) -> bytes:
    return encode_header(c.header) + encode_signers(c.signers)


def read_certificate(r: Reader) -> Certificate:
    h = read_header(r)
    signers = read_signers(r)
    return Certificate(h, signers)


def decode_certificate(data: bytes) -> tuple[bool, Certificate]:
    r = new_reader(data)
    c = read_certificate(r)
    return reader_finished(r), c


def signers_stake(c: Committee, signers: list[Signer]) -> tuple[bool, u64]:
    """Total stake of ``signers``; not ok if an index is not a member or the list is not strictly ascending."""
    n = len(c.authorities)
    stake: u64 = 0
    prev = -1
    for s in signers:
        if s.index <= prev or s.index >= n:
            return False, 0
        stake = stake + c.authorities[s.index].stake
        prev = s.index
    return True, stake


def certificate_structure_valid(c: Committee, cert: Certificate) -> bool:
    """Every rule of a valid certificate except the signature checks (see :func:`vote_message`):
    epoch equals the committee's, author and signers are members, signers strictly ascending, and
    their stake reaches the quorum."""
    if cert.header.epoch != c.epoch or cert.header.author >= len(c.authorities):
        return False
    ok, stake = signers_stake(c, cert.signers)
    return ok and stake >= quorum_threshold(c)


def vote_message(header_digest: bytes) -> bytes:
    """The bytes an authority signs to vote for a header: ``"dsn-vote-v1" ‖ 00 ‖ header_digest``."""
    return VOTE_DOMAIN + b"\x00" + header_digest


# ---------------------------------------------------------------------------------------------
# Pre-block (§1.5)
# ---------------------------------------------------------------------------------------------


def encode_preblock_parts(index: u64, commit_timestamp: u64, certificates: list[bytes], batches: list[bytes],
                          evidence: bytes) -> bytes:
    """A pre-block from already encoded certificates, batches and evidence (the definition of the layout)."""
    parts: list[bytes] = [u64_bytes(index), u64_bytes(commit_timestamp), count_bytes(len(certificates))]
    for c in certificates:
        parts.append(c)
    parts.append(count_bytes(len(batches)))
    for b in batches:
        parts.append(b)
    parts.append(evidence)
    return concat(parts)


def no_anchor() -> Certificate:
    """The placeholder ``anchor`` of kind 0 and 1 evidence (never encoded)."""
    return Certificate(Header(0, 0, 0, 0, [], []), [])


def encode_evidence(e: Evidence) -> bytes:
    """``00`` | ``01 ‖ list<certificate> support``
    | ``02 ‖ anchor ‖ list<certificate> support ‖ list<header> history``."""
    parts: list[bytes] = [e.kind.to_bytes(1, "big")]
    if e.kind == EVIDENCE_STEP:
        parts.append(encode_certificate(e.anchor))
    if e.kind != EVIDENCE_CONTINUE:
        parts.append(count_bytes(len(e.support)))
        for c in e.support:
            parts.append(encode_certificate(c))
    if e.kind == EVIDENCE_STEP:
        parts.append(count_bytes(len(e.history)))
        for h in e.history:
            parts.append(encode_header(h))
    return concat(parts)


def encode_hints(hints: bytes) -> bytes:
    """The optional trailing section of x(R) hints (§1.5), ``list<32-byte x>``, from their concatenation:
    b"" (no section) when there are none."""
    if len(hints) == 0:
        return b""
    return count_bytes(len(hints) // HINT_LEN) + hints


def encode_preblock(p: PreBlock) -> bytes:
    certificates: list[bytes] = []
    for c in p.certificates:
        certificates.append(encode_certificate(c))
    batches: list[bytes] = []
    for b in p.batches:
        batches.append(encode_batch(b))
    return (encode_preblock_parts(p.index, p.commit_timestamp, certificates, batches, encode_evidence(p.evidence))
            + encode_hints(p.hints))


def _read_sorted(r: Reader, signed: bool) -> list[Certificate]:
    """A ``list<certificate>`` (``signed``) or ``list<header>`` (signer lists left empty), strictly
    ascending by ``(round, author)``."""
    min_len = MIN_HEADER_LEN
    if signed:
        min_len = MIN_CERTIFICATE_LEN
    n = read_count(r, min_len)
    out: list[Certificate] = []
    i = 0
    while i < n and r.ok:
        h = read_header(r)
        signers: list[Signer] = []
        if signed:
            signers = read_signers(r)
        if i > 0:
            prev = out[i - 1].header
            if h.round < prev.round or (h.round == prev.round and h.author <= prev.author):
                r.ok = False
        out.append(Certificate(h, signers))
        i = i + 1
    return out


def read_evidence(r: Reader) -> Evidence:
    """Evidence (§1.5): kind 0, 1 or 2; support and history strictly ascending by ``(round, author)``."""
    kind = _read_int(r, 1)
    if kind > EVIDENCE_STEP:
        r.ok = False
    anchor = no_anchor()
    support: list[Certificate] = []
    history: list[Header] = []
    if kind == EVIDENCE_STEP:
        anchor = read_certificate(r)
    if kind != EVIDENCE_CONTINUE:
        support = _read_sorted(r, True)
    if kind == EVIDENCE_STEP:
        for c in _read_sorted(r, False):
            history.append(c.header)
    return Evidence(kind, anchor, support, history)


def read_preblock(r: Reader) -> PreBlock:
    """A pre-block: index ≥ 1, ≥ 1 certificate, certificates strictly ascending by (round, author),
    exactly one batch per payload entry of its certificates, then evidence (:func:`read_evidence`), then
    optionally the hints (``list<32-byte x>``; ``hints`` is their concatenation, b"" when absent).
    Digests are not checked here."""
    index = read_u64(r)
    if index == 0:
        r.ok = False
    commit_timestamp = read_u64(r)
    certificates = _read_sorted(r, True)
    if len(certificates) == 0:
        r.ok = False
    expected_batches = 0
    for c in certificates:
        expected_batches = expected_batches + len(c.header.payload)
    m = read_count(r, MIN_BATCH_LEN)
    if m != expected_batches:
        r.ok = False
    batches: list[Batch] = []
    i = 0
    while i < m and r.ok:
        batches.append(read_batch(r))
        i = i + 1
    evidence = read_evidence(r)
    hints = b""
    if r.pos < len(r.data):
        hints = read_fixed(r, HINT_LEN * read_count(r, HINT_LEN))
    return PreBlock(index, commit_timestamp, certificates, batches, evidence, hints)


def decode_preblock(data: bytes) -> tuple[bool, PreBlock]:
    r = new_reader(data)
    p = read_preblock(r)
    return reader_finished(r), p


# ---------------------------------------------------------------------------------------------
# Digests and genesis
# ---------------------------------------------------------------------------------------------


def digest(data: bytes) -> bytes:
    """BLAKE2b-256."""
    return blake2b(data, DIGEST_LEN)


def batch_digest(b: Batch) -> bytes:
    return digest(encode_batch(b))


def header_digest(h: Header) -> bytes:
    """Also the certificate digest."""
    return digest(encode_header(h))


def block_id(index: u64, leader_digest: bytes) -> bytes:
    """A block's identity (§1.5): ``index u64 ‖ leader certificate digest``. Unlike the pre-block's
    bytes it does not change with the (unsigned) signer lists of non-leader certificates or the
    evidence."""
    return u64_bytes(index) + leader_digest


def preblock_id(p: PreBlock) -> bytes:
    """:func:`block_id` of a decoded pre-block."""
    return block_id(p.index, header_digest(p.certificates[len(p.certificates) - 1].header))


def genesis_header(c: Committee, author: int) -> Header:
    """The header of authority ``author``'s genesis certificate (round 0, no payload, no parents)."""
    return Header(author, 0, c.epoch, 0, [], [])


def genesis_digests(c: Committee) -> list[bytes]:
    """Digests of the genesis certificates, by authority index."""
    out: list[bytes] = []
    for i in range(0, len(c.authorities)):
        out.append(header_digest(genesis_header(c, i)))
    return out
