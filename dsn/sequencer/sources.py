"""Pre-block sources of the DA task and transaction sinks: the DSN (gRPC) or the local mock committee."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import AsyncIterator, Protocol

import grpc

from dsn.client import AsyncClient
from dsn.sequencer.mock_consensus import MockConsensus
from kernel_py.formats.limits import kernel_preblock_budget

log = logging.getLogger("dsn.sequencer")


class SubmitError(Exception):
    """A DSN node (or every node) did not accept the transactions."""


class PreBlockSource(Protocol):
    nodes: int

    async def submit(self, txs: list[bytes], node: int) -> None:
        """Hand transactions to node ``node`` (0 ≤ node < ``nodes``); returns once it holds them (a
        quorum stored their batch), else raises :class:`SubmitError`."""

    def stream(self, after: int) -> AsyncIterator[bytes]:
        """Encoded pre-blocks ``after + 1, after + 2, …`` (forever)."""

    async def fetch(self, index: int) -> bytes | None:
        """One encoded pre-block if available."""

    async def close(self) -> None: ...


class DsnSource:
    """A DSN reached through nodes' transaction APIs (the submitter picks one per call) and export APIs (the next one after
    a stream error; every honest node exports the same pre-blocks)."""

    def __init__(self, tx_endpoints: list[str], export_endpoints: list[str], timeout: float = 30.0) -> None:
        if not tx_endpoints or not export_endpoints:
            raise ValueError("at least one DSN transaction endpoint and one export endpoint are needed")
        self.clients = [AsyncClient(e) for e in tx_endpoints]
        self.endpoints = tx_endpoints
        self.export_endpoints = export_endpoints
        self.export_turn = 0
        self.timeout = timeout
        self.nodes = len(self.clients)

    @property
    def export_endpoint(self) -> str:
        return self.export_endpoints[self.export_turn % len(self.export_endpoints)]

    async def submit(self, txs: list[bytes], node: int) -> None:
        try:
            accepted = await self.clients[node].submit_many(txs, timeout=self.timeout)
        except grpc.RpcError as exc:
            raise SubmitError(f"{self.endpoints[node]}: {exc.code().name}") from None
        if accepted != len(txs):
            raise SubmitError(f"{self.endpoints[node]} accepted {accepted} of {len(txs)} transactions")

    async def stream(self, after: int) -> AsyncIterator[bytes]:
        last = after
        while True:
            client = AsyncClient(self.export_endpoint)
            try:
                async for encoded in client.preblocks(last):
                    last += 1
                    yield encoded
            except grpc.RpcError as exc:
                failed = self.export_endpoint
                self.export_turn += 1
                log.warning("DSN export stream from %s: %s; reconnecting to %s in 1 s", failed, exc.code().name,
                            self.export_endpoint)
                await asyncio.sleep(1)
            finally:
                await client.close()

    async def fetch(self, index: int) -> bytes | None:
        client = AsyncClient(self.export_endpoint)
        try:
            async with asyncio.timeout(5):
                async for encoded in client.preblocks(index - 1):
                    return encoded
        except (grpc.RpcError, TimeoutError):
            return None
        finally:
            await client.close()
        return None

    async def close(self) -> None:
        for c in self.clients:
            await c.close()


class MockSource:
    """``--mock-consensus``: a local committee commits the pending transactions every ``interval`` seconds,
    at most ``max_txs`` transactions and ``max_bytes`` transaction bytes per pre-block (half the kernel's
    pre-block limit: the rest is far more than the certificates and evidence of a mock pre-block)."""

    def __init__(self, consensus: MockConsensus, interval: float = 0.2, max_txs: int = 20_000,
                 max_bytes: int = kernel_preblock_budget() // 2) -> None:
        self.consensus = consensus
        self.interval = interval
        self.max_txs = max_txs
        self.max_bytes = max_bytes
        self.pool: list[bytes] = []
        self.wake = asyncio.Event()
        self.nodes = 1

    async def submit(self, txs: list[bytes], node: int = 0) -> None:
        self.pool.extend(txs)
        self.wake.set()

    async def stream(self, after: int) -> AsyncIterator[bytes]:
        index = after
        while True:
            while index < self.consensus.index:
                index += 1
                stored = self.consensus.preblock(index)
                if stored is None:
                    raise RuntimeError(f"mock consensus lost pre-block {index} (run it with a data directory)")
                yield stored
            await self.wake.wait()
            await asyncio.sleep(self.interval)
            self.wake.clear()
            while self.pool:
                take, size = 0, 0
                while take < min(len(self.pool), self.max_txs) and (take == 0 or size + len(self.pool[take]) <= self.max_bytes):
                    size += len(self.pool[take])
                    take += 1
                txs, self.pool = self.pool[:take], self.pool[take:]
                encoded = await asyncio.to_thread(self.consensus.commit, txs, int(time.time() * 1000))
                index += 1
                yield encoded

    async def fetch(self, index: int) -> bytes | None:
        return self.consensus.preblock(index)

    async def close(self) -> None:
        return None
