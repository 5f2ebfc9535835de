"""Python clients of a DSN node's gRPC APIs (docs/FORMATS.md §7): submit transactions, follow pre-blocks.

Endpoints are ``host:port`` (an ``http://`` prefix is accepted): the transaction API of node N is on
port 640N2, its pre-block export on 640N1. These clients use the ``dsn.v1`` services (our canonical
encodings); ``submit_stream`` uses the seed's ``narwhal.Transactions/SubmitTransactionStream``.
"""

from __future__ import annotations

from typing import AsyncIterator, Iterable, Iterator

import grpc

from dsn import codec
from dsn.api import CLIENT_OPTIONS, TX_SERVICE, bytes_message
from dsn.proto import dsn_pb2, dsn_pb2_grpc, narwhal_pb2, narwhal_pb2_grpc


def target(endpoint: str) -> str:
    """``http://host:port`` or ``host:port`` → ``host:port``."""
    for prefix in ("http://", "grpc://"):
        if endpoint.startswith(prefix):
            endpoint = endpoint[len(prefix):]
    return endpoint.rstrip("/")


def _submit_many(channel):
    """``dsn.v1.Transactions/SubmitTransactions`` taking the encoded batch (framed without protobuf's copy cost)."""
    return channel.unary_unary(f"/{TX_SERVICE}/SubmitTransactions", request_serializer=bytes_message,
                               response_deserializer=dsn_pb2.Accepted.FromString)


class Client:
    """Blocking client."""

    def __init__(self, endpoint: str) -> None:
        self.channel = grpc.insecure_channel(target(endpoint), options=CLIENT_OPTIONS)
        self._tx = dsn_pb2_grpc.TransactionsStub(self.channel)
        self._submit_many = _submit_many(self.channel)
        self._seed_tx = narwhal_pb2_grpc.TransactionsStub(self.channel)
        self._export = dsn_pb2_grpc.ExporterStub(self.channel)

    def close(self) -> None:
        self.channel.close()

    def submit(self, tx: bytes, timeout: float | None = 30) -> bytes:
        """Submit one transaction; returns its batch digest once a quorum holds the batch."""
        return self._tx.SubmitTransaction(dsn_pb2.Transaction(transaction=tx), timeout=timeout).batch_digest

    def submit_many(self, txs: list[bytes], timeout: float | None = 30) -> int:
        """Submit transactions in one message; returns how many were accepted."""
        return self.submit_encoded(codec.encode_batch_fast(txs), timeout=timeout)

    def submit_encoded(self, batch: bytes, timeout: float | None = 30) -> int:
        """Submit transactions already encoded as a batch (FORMATS §1.2, at most
        :data:`dsn.api.MAX_SUBMIT_BYTES`); returns how many were accepted."""
        return self._submit_many(batch, timeout=timeout).count

    def submit_stream(self, txs: Iterable[bytes], timeout: float | None = 30) -> int:
        """Submit transactions one message each on one stream; returns how many were sent, once a
        quorum holds their batches."""
        sent = 0

        def messages() -> Iterator[narwhal_pb2.Transaction]:
            nonlocal sent
            for tx in txs:
                sent += 1
                yield narwhal_pb2.Transaction(transaction=tx)

        self._seed_tx.SubmitTransactionStream(messages(), timeout=timeout)
        return sent

    def preblocks(self, from_id: int, timeout: float | None = None) -> Iterator[bytes]:
        """Encoded pre-blocks ``from_id + 1, …`` (decode with :func:`dsn.codec.decode_preblock`);
        the stream ends with ``grpc.RpcError`` (DEADLINE_EXCEEDED) after ``timeout`` seconds."""
        for message in self._export.Export(dsn_pb2.ExportRequest(from_id=from_id), timeout=timeout):
            yield message.preblock


class AsyncClient:
    """asyncio client (grpc.aio)."""

    def __init__(self, endpoint: str) -> None:
        self.channel = grpc.aio.insecure_channel(target(endpoint), options=CLIENT_OPTIONS)
        self._tx = dsn_pb2_grpc.TransactionsStub(self.channel)
        self._submit_many = _submit_many(self.channel)
        self._export = dsn_pb2_grpc.ExporterStub(self.channel)

    async def close(self) -> None:
        await self.channel.close()

    async def submit(self, tx: bytes, timeout: float | None = 30) -> bytes:
        return (await self._tx.SubmitTransaction(dsn_pb2.Transaction(transaction=tx), timeout=timeout)).batch_digest

    async def submit_many(self, txs: list[bytes], timeout: float | None = 30) -> int:
        return await self.submit_encoded(codec.encode_batch_fast(txs), timeout=timeout)

    async def submit_encoded(self, batch: bytes, timeout: float | None = 30) -> int:
        """Submit transactions already encoded as a batch (FORMATS §1.2); returns how many were accepted."""
        return (await self._submit_many(batch, timeout=timeout)).count

    async def preblocks(self, from_id: int) -> AsyncIterator[bytes]:
        async for message in self._export.Export(dsn_pb2.ExportRequest(from_id=from_id)):
            yield message.preblock
