"""Pre-block statistics for ``dsn listen``: counts, sizes, latency from the spammer's timestamp prefix."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

from dsn import codec

TIMESTAMP_LEN = 16


@dataclass
class PreBlockStats:
    index: int
    leader_round: int
    first_round: int
    num_certificates: int
    num_batches: int
    num_txs: int
    bytes: int
    timed_txs: int
    avg_latency_ms: float | None
    commit_timestamp: int
    block_id: str

    @property
    def rounds(self) -> int:
        """Rounds spanned by the sub-DAG (leader round − first round + 1)."""
        return self.leader_round - self.first_round + 1

    def as_dict(self) -> dict:
        return dict(asdict(self), rounds=self.rounds)

    def line(self) -> str:
        latency = "-" if self.avg_latency_ms is None else f"{self.avg_latency_ms:.0f} ms"
        return (f"pre-block {self.index}: {self.num_txs} txs, {self.bytes} bytes, avg latency {latency}, "
                f"{self.num_certificates} certificates over {self.rounds} rounds (leader round {self.leader_round})")


def preblock_stats(encoded: bytes, received_ms: int | None = None) -> PreBlockStats:
    """Statistics of one encoded pre-block; latency counts transactions with a 16-byte timestamp prefix."""
    received_ms = int(time.time() * 1000) if received_ms is None else received_ms
    p = codec.decode_preblock(encoded)
    num_txs = size = timed = latency_sum = 0
    for b in p.batches:
        for tx in b.transactions:
            num_txs += 1
            size += len(tx)
            if len(tx) >= TIMESTAMP_LEN:
                timed += 1
                latency_sum += received_ms - int.from_bytes(tx[:TIMESTAMP_LEN], "big")
    certs = p.certificates
    return PreBlockStats(
        index=p.index,
        leader_round=certs[-1].header.round,
        first_round=certs[0].header.round,
        num_certificates=len(certs),
        num_batches=len(p.batches),
        num_txs=num_txs,
        bytes=size,
        timed_txs=timed,
        avg_latency_ms=(latency_sum / timed) if timed else None,
        commit_timestamp=p.commit_timestamp,
        block_id=codec.fmt.preblock_id(p).hex(),
    )
