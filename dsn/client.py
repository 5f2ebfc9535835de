"""Python clients of a DSN node's gRPC APIs (docs/FORMATS.md §7): submit transactions, follow pre-blocks.

Endpoints are ``host:port`` (an ``http://`` prefix is accepted): the transaction API of node N is on
port 640N2, its pre-block export on 640N1.
"""

from __future__ import annotations

import struct
from typing import AsyncIterator, Iterable, Iterator

import grpc

from dsn import codec
from dsn.api import CLIENT_OPTIONS, EXPORT_SERVICE, TX_SERVICE

_U64 = struct.Struct(">Q")


def target(endpoint: str) -> str:
    """``http://host:port`` or ``host:port`` → ``host:port``."""
    for prefix in ("http://", "grpc://"):
        if endpoint.startswith(prefix):
            endpoint = endpoint[len(prefix):]
    return endpoint.rstrip("/")


class Client:
    """Blocking client."""

    def __init__(self, endpoint: str) -> None:
        self.channel = grpc.insecure_channel(target(endpoint), options=CLIENT_OPTIONS)
        self._submit = self.channel.unary_unary(f"/{TX_SERVICE}/SubmitTransaction")
        self._submit_many = self.channel.unary_unary(f"/{TX_SERVICE}/SubmitTransactions")
        self._submit_stream = self.channel.stream_unary(f"/{TX_SERVICE}/SubmitTransactionStream")
        self._export = self.channel.unary_stream(f"/{EXPORT_SERVICE}/Export")

    def close(self) -> None:
        self.channel.close()

    def submit(self, tx: bytes, timeout: float | None = 30) -> bytes:
        """Submit one transaction; returns its batch digest once a quorum holds the batch."""
        return self._submit(tx, timeout=timeout)

    def submit_many(self, txs: list[bytes], timeout: float | None = 30) -> int:
        """Submit transactions in one message; returns how many were accepted."""
        return _U64.unpack(self._submit_many(codec.encode_batch_fast(txs), timeout=timeout))[0]

    def submit_stream(self, txs: Iterable[bytes]) -> int:
        return _U64.unpack(self._submit_stream(iter(txs)))[0]

    def preblocks(self, from_id: int, timeout: float | None = None) -> Iterator[bytes]:
        """Encoded pre-blocks ``from_id + 1, …`` (decode with :func:`dsn.codec.decode_preblock`);
        the stream ends with ``grpc.RpcError`` (DEADLINE_EXCEEDED) after ``timeout`` seconds."""
        return self._export(_U64.pack(from_id), timeout=timeout)


class AsyncClient:
    """asyncio client (grpc.aio)."""

    def __init__(self, endpoint: str) -> None:
        self.channel = grpc.aio.insecure_channel(target(endpoint), options=CLIENT_OPTIONS)
        self._submit = self.channel.unary_unary(f"/{TX_SERVICE}/SubmitTransaction")
        self._submit_many = self.channel.unary_unary(f"/{TX_SERVICE}/SubmitTransactions")
        self._export = self.channel.unary_stream(f"/{EXPORT_SERVICE}/Export")

    async def close(self) -> None:
        await self.channel.close()

    async def submit(self, tx: bytes, timeout: float | None = 30) -> bytes:
        return await self._submit(tx, timeout=timeout)

    async def submit_many(self, txs: list[bytes], timeout: float | None = 30) -> int:
        return _U64.unpack(await self._submit_many(codec.encode_batch_fast(txs), timeout=timeout))[0]

    async def preblocks(self, from_id: int) -> AsyncIterator[bytes]:
        async for encoded in self._export(_U64.pack(from_id)):
            yield encoded
