"""Test builders: a committee with keys, a Narwhal-style DAG producing committed pre-blocks,
signed user transactions, inbox messages and a native rollup harness."""

from __future__ import annotations

from dataclasses import dataclass, field

import nacl.signing

from dsn.sequencer.committee_keys import fixture_committee
from kernel_py.blocks import decode_results
from kernel_py.formats import dsn as fmt
from kernel_py.formats import inbox as ib
from kernel_py.formats import tx as txf
from kernel_py.formats.dsn import Authority, Batch, Certificate, Committee, Header, PayloadEntry, Signer
from kernel_py.genesis import encode_genesis
from kernel_py.ledger import balance_key
from pvm_host.inbox import external, transfer
from pvm_host.lifecycle import LevelReport, originate, run_level
from pvm_host.native import NativeEngine
from pvm_host.pvm import PvmState
from pvm_host.wasm_engine import WasmEngine

ROLLUP = bytes(range(1, 21))
GOVERNANCE = bytes([0xAA]) * 20
SOURCE = b"\x00" + bytes([0xBB]) * 20
NATIVE = bytes(32)


def signing_key(seed: int) -> nacl.signing.SigningKey:
    return nacl.signing.SigningKey(seed.to_bytes(32, "big"))


@dataclass
class Authorities:
    keys: list[nacl.signing.SigningKey]
    committee: Committee


def make_committee(n: int = 7, epoch: int = 0, gc_depth: int = 50, seed_base: int = 1000) -> Authorities:
    keys = [signing_key(seed_base + epoch * 100 + i) for i in range(n)]
    return Authorities(keys, Committee(epoch, gc_depth, [Authority(bytes(k.verify_key), 1) for k in keys]))


def fixture_authorities(n: int) -> Authorities:
    """The committed fixture network of ``n`` nodes (``fixtures/committee/<n>``: 4 or 7)."""
    committee, keys = fixture_committee(n)
    return Authorities(keys, committee)


@dataclass
class Dag:
    """Every authority proposes each round, with all previous-round certificates as parents."""

    auth: Authorities
    signers: int = 5
    round: int = 0
    last: list[bytes] = field(default_factory=list)
    prev: dict[int, bytes] = field(default_factory=dict)
    certs: dict[bytes, Certificate] = field(default_factory=dict)
    batches: dict[bytes, bytes] = field(default_factory=dict)
    committed: set[bytes] = field(default_factory=set)
    index: int = 0
    timestamp: int = 0
    last_leader: int = 0

    def __post_init__(self) -> None:
        self.last = sorted(fmt.genesis_digests(self.auth.committee))

    def sign(self, header: Header, signers: int | None = None) -> Certificate:
        d = fmt.header_digest(header)
        msg = fmt.vote_message(d)
        k = self.signers if signers is None else signers
        return Certificate(header, [Signer(i, self.auth.keys[i].sign(msg).signature) for i in range(k)])

    def advance(self, txs_by_author: dict[int, list[list[bytes]]] | None = None, created_at: int = 0,
                absent: tuple[int, ...] = (), links: dict[int, tuple[int, ...]] | None = None) -> list[Certificate]:
        """One round: each authority (but the ``absent`` ones) proposes a header referencing the given
        batches (lists of txs) and every certificate of the previous round, or for an author in
        ``links`` only those of the listed authors."""
        self.round += 1
        made = []
        for a in range(len(self.auth.keys)):
            if a in absent:
                continue
            parents = self.last if a not in (links or {}) else sorted(self.prev[x] for x in links[a])
            payload = []
            for txs in (txs_by_author or {}).get(a, []):
                enc = fmt.encode_batch(Batch(list(txs)))
                d = fmt.digest(enc)
                self.batches[d] = enc
                payload.append(PayloadEntry(d, 0))
            h = Header(a, self.round, self.auth.committee.epoch, created_at or self.round * 1000, payload,
                       list(parents))
            c = self.sign(h)
            self.certs[fmt.header_digest(h)] = c
            made.append(c)
        self.last = sorted(fmt.header_digest(c.header) for c in made)
        self.prev = {c.header.author: fmt.header_digest(c.header) for c in made}
        return made

    def leader(self, r: int) -> Certificate:
        """The scheduled leader certificate of (even) round ``r``."""
        n = len(self.auth.keys)
        return next(c for c in self.certs.values() if c.header.round == r and c.header.author == (r // 2) % n)

    def support(self, cert: Certificate) -> list[Certificate]:
        """Round r+1 certificates referencing ``cert``, by author: those of the DAG, else the ones
        :meth:`advance` will make without payload for authors 1, 2, … (enough for validity)."""
        d = fmt.header_digest(cert.header)
        r = cert.header.round + 1
        have = sorted((c for c in self.certs.values() if c.header.round == r and d in c.header.parents),
                      key=lambda c: c.header.author)
        if have:
            return have
        parents = sorted({d} | {fmt.header_digest(c.header) for c in self.certs.values() if c.header.round == r - 1})
        out, stake, a = [], 0, 1
        while stake < fmt.validity_threshold(self.auth.committee):
            out.append(self.sign(Header(a, r, self.auth.committee.epoch, r * 1000, [], parents)))
            stake += self.auth.committee.authorities[a].stake
            a += 1
        return out

    def history(self, anchor: Certificate) -> list[Header]:
        """Headers of ``anchor``'s causal history with rounds in (last committed leader round, anchor round)."""
        lo, seen, todo, out = self.last_leader, set(), list(anchor.header.parents), []
        while todo:
            d = todo.pop()
            if d in seen or d not in self.certs or self.certs[d].header.round <= lo:
                continue
            seen.add(d)
            out.append(self.certs[d].header)
            todo.extend(self.certs[d].header.parents)
        return sorted(out, key=lambda h: (h.round, h.author))

    def step_evidence(self, anchor: Certificate) -> bytes:
        """Kind 02 evidence: ``anchor``, its support and its history above the last committed leader."""
        return fmt.encode_evidence(fmt.Evidence(2, anchor, self.support(anchor), self.history(anchor)))

    def direct_evidence(self, leader: Certificate) -> bytes:
        """Kind 01 evidence: the leader's support."""
        return fmt.encode_evidence(fmt.Evidence(1, fmt.no_anchor(), self.support(leader), []))

    def preblock(self, leader: Certificate, evidence: bytes, commit: bool = True) -> bytes:
        """The pre-block of ``leader``'s uncommitted sub-DAG with ``evidence``; marks it committed
        unless ``commit`` is False (an attacker's post: the next index, nothing recorded)."""
        r = leader.header.round
        horizon = max(1, r - self.auth.committee.gc_depth)
        todo, seen = [fmt.header_digest(leader.header)], set()
        while todo:
            d = todo.pop()
            if d in seen or d in self.committed or d not in self.certs:
                continue
            c = self.certs[d]
            if c.header.round < horizon:
                continue
            seen.add(d)
            todo.extend(c.header.parents)
        certs = sorted((self.certs[d] for d in seen), key=lambda c: (c.header.round, c.header.author))
        index, timestamp = self.index + 1, max(self.timestamp, leader.header.created_at)
        if commit:
            self.committed |= seen
            self.index, self.timestamp, self.last_leader = index, timestamp, r
        batches = [self.batches[e.digest] for c in certs for e in c.header.payload]
        return fmt.encode_preblock_parts(index, timestamp, [fmt.encode_certificate(c) for c in certs], batches,
                                         evidence)

    def commit(self) -> bytes:
        """The pre-block committing the leader of the current (even) round directly: kind 01
        evidence, or kind 02 anchored at the leader itself when its GC horizon leaves a gap."""
        r = self.round
        assert r % 2 == 0 and r >= 2
        leader = self.leader(r)
        gap = max(1, r - self.auth.committee.gc_depth) > self.last_leader + 1
        return self.preblock(leader, self.step_evidence(leader) if gap else self.direct_evidence(leader))


BOOKKEEPING = ("/queue/", "/rejections/", "/kernel/env/", "/da/", "/keys/")


def state(h: Harness) -> dict[str, bytes]:
    """Durable state without queue, rejection, reboot and DA bookkeeping, nor the decoded-key cache (which the
    signature check of a pre-block rejected later may fill: it changes no result)."""
    return {k: v for k, v in h.snapshot().items() if not k.startswith(BOOKKEEPING)}


def assert_rejected(h: Harness, messages: list[bytes], error: bytes) -> None:
    """Posting ``messages`` is rejected with exactly ``error`` and changes nothing but bookkeeping."""
    before, count = state(h), h.u64("/rejections/count")
    h.run(messages)
    last = h.get("/rejections/last") or b""
    assert last.split(b": ", 1)[-1] == error, last
    assert h.u64("/rejections/count") == count + 1
    assert state(h) == before


def user(seed: int) -> nacl.signing.SigningKey:
    return signing_key(seed)


def pk(key: nacl.signing.SigningKey) -> bytes:
    return bytes(key.verify_key)


def signed_tx(key: nacl.signing.SigningKey, nonce: int, action: bytes, rollup: bytes = ROLLUP) -> bytes:
    body = txf.tx_body(rollup, nonce, action)
    return txf.assemble_tx(body, pk(key), key.sign(txf.signing_message(body)).signature)


def tx_id(raw: bytes) -> bytes:
    return fmt.digest(raw)


def ext(contents: bytes, rollup: bytes = ROLLUP) -> bytes:
    return external(ib.frame_external(rollup, contents))


def preblock_messages(data: bytes, index: int, rollup: bytes = ROLLUP) -> list[bytes]:
    """Page messages then the announcement, as the sequencer posts them."""
    pages = ib.build_pages(data)
    msgs = [ext(ib.page_contents(p), rollup) for p in pages]
    msgs.append(ext(ib.announcement_contents(index, fmt.digest(pages[-1])), rollup))
    return msgs


def governance_message(committee: Committee, sender: bytes = GOVERNANCE, rollup: bytes = ROLLUP) -> bytes:
    return transfer(ib.governance_payload(fmt.encode_committee(committee)), sender, SOURCE, rollup)


def genesis_bytes(allocations: list[tuple[bytes, int]]) -> bytes:
    return encode_genesis([owner for owner, _ in allocations], [amount for _, amount in allocations])


class Harness:
    """A rollup running kernel_py.kernel natively on the host's PVM model."""

    def __init__(self, committee: Committee, allocations: list[tuple[bytes, int]], governance: bytes = GOVERNANCE,
                 kernel: bytes | None = None):
        """``kernel``: a compiled kernel to run under wasmtime instead of kernel_py natively."""
        self.kernel = kernel
        self.pvm = PvmState(rollup_address=ROLLUP)
        originate(self.pvm, kernel)
        d = self.pvm.durable
        d.set("/setup/committee", fmt.encode_committee(committee))
        d.set("/setup/governance", governance)
        d.set("/setup/genesis", genesis_bytes(allocations))
        self.engine: NativeEngine | WasmEngine = NativeEngine("kernel_py.kernel") if kernel is None else WasmEngine()
        self.level = 0
        self.reports: list[LevelReport] = []

    def run(self, messages: list[bytes]) -> LevelReport:
        self.level += 1
        report = run_level(self.pvm, self.engine, self.level, messages)
        self.reports.append(report)
        assert not report.stuck, report.stuck
        assert all(o == "ok" for o in report.outcomes), report.outcomes
        return report

    def get(self, key: str) -> bytes | None:
        return self.pvm.durable.get(key)

    def u64(self, key: str) -> int:
        v = self.get(key)
        return 0 if v is None else int.from_bytes(v, "big")

    def balance(self, owner: bytes, asset: bytes = NATIVE) -> int:
        return self.u64(balance_key(owner, asset).decode())

    def results(self, index: int) -> list[tuple[bytes, int, bytes]]:
        ok, entries = decode_results(self.get(f"/blocks/{index}/results") or b"")
        assert ok
        return [(e.tx_id, e.status, e.error) for e in entries]

    def snapshot(self) -> dict[str, bytes]:
        return {k: v for k, v in self.pvm.durable.items() if not k.startswith(("/readonly", "/kernel/boot.wasm"))}


def next_preblock(dag: Dag, txs: list[bytes]) -> bytes:
    """Two DAG rounds carrying ``txs`` in one batch of authority 0, then the leader's pre-block."""
    dag.advance({0: [txs]} if txs else None)
    dag.advance()
    return dag.commit()


def submit(h: Harness, dag: Dag, txs: list[bytes]) -> list[tuple[bytes, int, bytes]]:
    """Order ``txs`` in the next pre-block, post it in one level, return its tx results."""
    pb = next_preblock(dag, txs)
    h.run(preblock_messages(pb, dag.index))
    return h.results(dag.index)
