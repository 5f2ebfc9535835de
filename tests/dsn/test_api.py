"""The gRPC transaction API refuses transactions above the committee's size limit with
INVALID_ARGUMENT naming the limit, and splits a large SubmitTransactions call into batches within it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import grpc
import pytest

from dsn import codec
from dsn.api import MAX_SUBMIT_BYTES, SERVER_OPTIONS, serve, transactions_handler
from dsn.client import AsyncClient
from dsn.wire import Kind, decode_worker_batch
from kernel_py.formats.limits import size_limits
from tests.dsn.test_worker import make_worker


@contextlib.asynccontextmanager
async def served_worker(*args: Any, **kwargs: Any) -> AsyncIterator[tuple[Any, Any, AsyncClient]]:
    """A worker (``make_worker(*args, **kwargs)``) behind the gRPC transaction API on a free loopback port:
    ``(worker, its network double, a client)``; the client, server and store are closed on exit."""
    w, store, net, _, _ = make_worker(*args, **kwargs)
    server = grpc.aio.server(options=SERVER_OPTIONS)
    await serve(transactions_handler(w), server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    client = AsyncClient(f"127.0.0.1:{port}")
    try:
        yield w, net, client
    finally:
        await client.close()
        await server.stop(0)
        store.close()


def test_submit_refuses_oversized_transactions_and_splits_large_calls(tmp_path) -> None:
    limits = size_limits(4, 50)

    async def run() -> None:
        async with served_worker(tmp_path, limits) as (w, net, client):
            with pytest.raises(grpc.aio.AioRpcError) as one:
                await client.submit(b"x" * (limits.max_tx + 1))
            assert one.value.code() == grpc.StatusCode.INVALID_ARGUMENT
            assert one.value.details() == (f"transaction of {limits.max_tx + 1} bytes: the limit for this committee "
                                           f"is 1 to {limits.max_tx} bytes (max_tx)")
            with pytest.raises(grpc.aio.AioRpcError) as many:
                await client.submit_many([b"ok", b"y" * 65_000], timeout=5)
            assert many.value.code() == grpc.StatusCode.INVALID_ARGUMENT
            assert net.sent == []  # nothing of a refused call was queued
            # 10 transactions at the limit: one batch each (no acknowledgements here, so only sealing is seen)
            call = asyncio.ensure_future(client.submit_many([bytes([i]) * limits.max_tx for i in range(10)]))
            for _ in range(100):
                if len(net.of_kind(Kind.BATCH)) >= 10:
                    break
                await asyncio.sleep(0.05)
            sealed = [decode_worker_batch(b)[1] for _, b in net.of_kind(Kind.BATCH)]
            assert [len(codec.decode_batch(b).transactions) for b in sealed] == [1] * 10
            assert all(len(b) == limits.max_batch for b in sealed)
            call.cancel()

    asyncio.run(run())


def test_batched_submit_refuses_malformed_and_oversized_requests_and_keeps_serving(tmp_path) -> None:
    """SubmitTransactions: a request above MAX_SUBMIT_BYTES or not a strict batch encoding gets
    INVALID_ARGUMENT with a clear message and queues nothing; the next good request is served."""
    async def run() -> None:
        async with served_worker(tmp_path, size_limits(4, 2), batch_size=1) as (w, net, client):
            good = codec.encode_batch_fast([b"a" * 10, b"b" * 20])
            cases = {
                b"\x00": "malformed batch",  # not even a count
                b"\x00\x00\x00\x00": "malformed batch",  # zero transactions
                good[:-1]: "malformed batch",  # truncated
                good + b"x": "malformed batch",  # trailing byte
                b"\x00\x00\x00\x01\x00\x00\x00\x00": "malformed batch",  # an empty transaction
                b"\x00\x00\x00\x02" + good[4:18]: "malformed batch",  # count above the entries present
            }
            for request, message in cases.items():
                with pytest.raises(grpc.aio.AioRpcError) as e:
                    await client.submit_encoded(request, timeout=5)
                assert (e.value.code(), e.value.details()) == (grpc.StatusCode.INVALID_ARGUMENT, message)
            big = MAX_SUBMIT_BYTES + 1
            with pytest.raises(grpc.aio.AioRpcError) as e:
                await client.submit_encoded(b"\x00" * big, timeout=5)
            assert e.value.code() == grpc.StatusCode.INVALID_ARGUMENT
            assert e.value.details() == (f"request of {big} bytes: at most {MAX_SUBMIT_BYTES} bytes of encoded "
                                         "transactions per call (split it)")
            assert net.sent == [] and w.count == 0  # nothing of a refused request was queued
            call = asyncio.ensure_future(client.submit_encoded(good, timeout=5))
            for _ in range(100):
                if net.of_kind(Kind.BATCH):
                    break
                await asyncio.sleep(0.02)
            [(_, body)] = net.of_kind(Kind.BATCH)
            assert decode_worker_batch(body)[1] == good  # served, entries appended as they are
            digest = codec.digest(good)
            w.handle(1, Kind.BATCH_ACK, digest)
            w.handle(2, Kind.BATCH_ACK, digest)
            assert await call == 2

    asyncio.run(run())


def test_submits_wait_while_the_header_queue_is_full(tmp_path) -> None:
    """Back-pressure: while the primary reports a full header queue a submit is neither queued nor
    answered; once there is room it goes through."""
    async def run() -> None:
        async with served_worker(tmp_path, batch_size=1) as (w, net, client):
            w.set_backlog(True)
            call = asyncio.ensure_future(client.submit_many([b"held"], timeout=10))
            await asyncio.sleep(0.3)
            assert not call.done() and net.sent == []
            w.set_backlog(False)
            for _ in range(100):
                if net.of_kind(Kind.BATCH):
                    break
                await asyncio.sleep(0.02)
            [(_, body)] = net.of_kind(Kind.BATCH)
            encoded = decode_worker_batch(body)[1]
            assert codec.decode_batch(encoded).transactions == [b"held"]
            for peer in (1, 2):
                w.handle(peer, Kind.BATCH_ACK, codec.digest(encoded))
            assert await call == 1

    asyncio.run(run())
