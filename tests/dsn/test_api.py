"""The gRPC transaction API refuses transactions above the committee's size limit with
INVALID_ARGUMENT naming the limit, and splits a large SubmitTransactions call into batches within it."""

from __future__ import annotations

import asyncio

import grpc
import pytest

from dsn import codec
from dsn.api import SERVER_OPTIONS, serve, transactions_handler
from dsn.client import AsyncClient
from dsn.wire import Kind, decode_worker_batch
from kernel_py.formats.limits import size_limits
from tests.dsn.test_worker import make_worker


def test_submit_refuses_oversized_transactions_and_splits_large_calls(tmp_path) -> None:
    limits = size_limits(4, 50)

    async def run() -> None:
        w, store, net, _, _ = make_worker(tmp_path, limits)
        server = grpc.aio.server(options=SERVER_OPTIONS)
        await serve(transactions_handler(w), server)
        port = server.add_insecure_port("127.0.0.1:0")
        await server.start()
        client = AsyncClient(f"127.0.0.1:{port}")
        try:
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
        finally:
            await client.close()
            await server.stop(0)
            store.close()

    asyncio.run(run())
