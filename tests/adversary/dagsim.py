"""A Narwhal DAG simulator with Byzantine authors, and `dsn/consensus.py` run over it as the oracle.

Every round, each author proposes a header whose parents are the previous-round certificates it
"received": certificates marked *late* reach an author only with a small probability (a leader's
often is late, so it gets little support and Bullshark commits it indirectly or skips it), and
parents are topped up to the quorum. Up to f Byzantine authors withhold their header in some rounds
(no certificate), or certify one that nobody receives (a withheld certificate: the attacker has it).
Every header is signed by all n authorities (votes seen on the wire); a certificate carries a random
quorum of them, so other quorums give re-signed copies. Each header carries one batch with one
unique transaction, so a block's transaction results name its certificates exactly.

The oracle inserts every certificate into :class:`dsn.consensus.Bullshark` in a random causal
(delivery) order; its sub-DAGs, as the sequencer would post them, are the honest pre-blocks.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from nacl.signing import SigningKey

from dsn import codec
from dsn.codec import Authority, Batch, Certificate, Committee, Header, PayloadEntry, Signer
from dsn.consensus import Bullshark, Cert, SubDag
from dsn.signing import sign_vote

KEYS = {n: [SigningKey(bytes([0xA0 + n, i + 1]) * 16) for i in range(n)] for n in (4, 7)}


@dataclass
class SimParams:
    """Shape of one simulated run."""

    n: int = 4
    rounds: int = 12
    gc_depth: int = 50
    byzantine: int = 0  # authors n-1, n-2, … (at most f)
    p_late: float = 0.15  # a certificate reaches only few authors of the next round
    p_late_leader: float = 0.5
    p_withhold: float = 0.2  # a Byzantine author skips a round
    p_hidden: float = 0.15  # a Byzantine certificate nobody receives
    p_hidden_leader: float = 0.6  # … when it is the round's scheduled leader (manufacturing a skip)
    p_batch: float = 0.8


@dataclass
class Dag:
    """All certificates of a run, with every authority's vote signature per header."""

    committee: Committee
    keys: list[SigningKey]
    byzantine: set[int]
    rounds: dict[int, dict[int, Cert]] = field(default_factory=dict)
    by_digest: dict[bytes, Cert] = field(default_factory=dict)
    votes: dict[bytes, list[bytes]] = field(default_factory=dict)
    batches: dict[bytes, bytes] = field(default_factory=dict)
    hidden: set[bytes] = field(default_factory=set)

    @property
    def n(self) -> int:
        return len(self.keys)

    @property
    def quorum_size(self) -> int:
        return 2 * self.n // 3 + 1

    @property
    def validity_size(self) -> int:
        return (self.n + 2) // 3

    def certify(self, header: Header, signers: list[int]) -> Cert:
        """A certificate of ``header`` signed by ``signers`` (their real votes)."""
        d = codec.header_digest(header)
        votes = self.votes.get(d) or [sign_vote(k, d) for k in self.keys]
        self.votes[d] = votes
        return Cert.of(Certificate(header, [Signer(i, votes[i]) for i in sorted(signers)]))

    def resign(self, cert: Cert, rng: random.Random) -> Cert:
        """The same header with another random quorum of signers."""
        return self.certify(cert.certificate.header, rng.sample(range(self.n), rng.randint(self.quorum_size, self.n)))

    def all_certs(self) -> list[Cert]:
        return [c for r in sorted(self.rounds) for _, c in sorted(self.rounds[r].items())]

    def leader(self, r: int) -> Cert | None:
        return self.rounds.get(r, {}).get(codec.leader_index(self.committee, r))

    def batches_of(self, certs: list[Cert]) -> list[bytes]:
        return [self.batches[e.digest] for c in certs for e in c.certificate.header.payload]


def build_dag(p: SimParams, rng: random.Random) -> Dag:
    keys = KEYS[p.n]
    committee = Committee(0, p.gc_depth, [Authority(bytes(k.verify_key), 1) for k in keys])
    f = (p.n - 1) // 3
    dag = Dag(committee, keys, set(range(p.n - min(p.byzantine, f), p.n)))
    prev = {a: d for a, d in enumerate(codec.genesis_digests(committee))}
    prev_time = {a: 0 for a in range(p.n)}
    late: set[int] = set()
    for r in range(1, p.rounds + 1):
        made: dict[int, Cert] = {}
        for a in range(p.n):
            if a in dag.byzantine and rng.random() < p.p_withhold:
                continue
            if r == 1:
                parents = list(prev)
            else:
                parents = [b for b in prev if a == b or rng.random() < (0.1 if b in late else 0.9)]
                rest = [b for b in prev if b not in parents]
                rng.shuffle(rest)
                rest.sort(key=lambda b: b not in late)  # top up with timely certificates first (popped last)
                while len(parents) < dag.quorum_size:
                    parents.append(rest.pop())
            payload = []
            if rng.random() < p.p_batch:
                batch = codec.encode_batch(Batch([f"sim tx {r}/{a}/{rng.getrandbits(32)}".encode()]))
                d = codec.digest(batch)
                dag.batches[d] = batch
                payload.append(PayloadEntry(d, 0))
            created = max(prev_time[b] for b in parents) + rng.randint(0, 40) if r > 1 else 1000 + rng.randint(0, 40)
            header = Header(a, r, 0, created, payload, sorted(prev[b] for b in parents))
            cert = dag.certify(header, rng.sample(range(p.n), rng.randint(dag.quorum_size, p.n)))
            made[a] = cert
            dag.by_digest[cert.digest] = cert
        dag.rounds[r] = made
        leader = codec.leader_index(committee, r)
        hidden = {a for a in made if a in dag.byzantine and len(made) > dag.quorum_size
                  and rng.random() < (p.p_hidden_leader if a == leader else p.p_hidden)}
        dag.hidden |= {made[a].digest for a in hidden}
        late = {a for a in made if rng.random() < (p.p_late_leader if a == leader else p.p_late)}
        prev = {a: c.digest for a, c in made.items() if a not in hidden}
        prev_time = {a: c.created_at for a, c in made.items()}
    return dag


def delivery_order(dag: Dag, rng: random.Random) -> list[Cert]:
    """Every certificate, in a random order with parents before children."""
    pending = dag.all_certs()
    delivered: set[bytes] = set(codec.genesis_digests(dag.committee))
    out: list[Cert] = []
    while pending:
        ready = [c for c in pending if all(p in delivered for p in c.parents)]
        c = rng.choice(ready)
        pending.remove(c)
        delivered.add(c.digest)
        out.append(c)
    return out


def run_oracle(dag: Dag, rng: random.Random) -> list[SubDag]:
    """The sub-DAGs `dsn/consensus.py` commits for one delivery order."""
    b = Bullshark(dag.committee)
    out: list[SubDag] = []
    for c in delivery_order(dag, rng):
        out.extend(b.insert(c))
    return out


def encode_subdag(dag: Dag, s: SubDag) -> bytes:
    """The honest pre-block of a sub-DAG, as the DSN exports it."""
    return codec.encode_preblock_fast(s.index, s.commit_timestamp, [c.encoded for c in s.certificates],
                                      dag.batches_of(s.certificates), s.evidence.encode())
