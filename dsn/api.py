"""External gRPC APIs (docs/FORMATS.md §7), served with generic handlers over our canonical bytes.

* ``dsn.Exporter/Export`` (server streaming, port 640N1): request ``from_id u64``; responses are
  encoded pre-blocks ``from_id + 1, from_id + 2, …`` (history, then live).
* ``dsn.Transactions/SubmitTransaction`` (unary, port 640N2): request = one raw transaction;
  response = the 32-byte digest of its batch, once the batch is acknowledged by a quorum.
* ``dsn.Transactions/SubmitTransactionStream`` (client streaming): requests = raw transactions;
  response = ``count u64`` of transactions accepted.
* ``dsn.Transactions/SubmitTransactions`` (unary): request = many transactions encoded as a batch
  (FORMATS §1.2); response = ``count u64``, once their batches are acknowledged by a quorum. The
  bulk path for load generators.
"""

from __future__ import annotations

import asyncio
import errno
import struct

import grpc

from dsn.export import PreBlockSource, PrunedError
from dsn.ports import BIND_TIMEOUT_S, bind_with_retry
from dsn.worker import Worker

EXPORT_SERVICE = "dsn.Exporter"
TX_SERVICE = "dsn.Transactions"
_U64 = struct.Struct(">Q")
# Pre-blocks grow with load and commit gaps: up to 1 GiB each way; one transaction batch in at most 64 MiB.
# No SO_REUSEPORT (gRPC's default on Linux): a second server on a taken port would silently share it.
SERVER_OPTIONS = [("grpc.max_receive_message_length", 64 << 20), ("grpc.max_send_message_length", 1 << 30),
                  ("grpc.so_reuseport", 0)]
CLIENT_OPTIONS = [("grpc.max_receive_message_length", 1 << 30), ("grpc.max_send_message_length", 64 << 20)]


def exporter_handler(source: PreBlockSource) -> grpc.GenericRpcHandler:
    async def export(request: bytes, context: grpc.aio.ServicerContext):
        if len(request) != 8:
            await context.abort(grpc.StatusCode.INVALID_ARGUMENT, "request must be from_id as u64")
        try:
            async for encoded in source.stream(_U64.unpack(request)[0]):
                yield encoded
        except PrunedError as e:
            await context.abort(grpc.StatusCode.OUT_OF_RANGE, str(e))
        except LookupError as e:  # a commit without stored evidence (a store older than the evidence table)
            await context.abort(grpc.StatusCode.FAILED_PRECONDITION, str(e))

    return grpc.method_handlers_generic_handler(EXPORT_SERVICE, {
        "Export": grpc.unary_stream_rpc_method_handler(export),
    })


def transactions_handler(worker: Worker) -> grpc.GenericRpcHandler:
    async def submit(request: bytes, context: grpc.aio.ServicerContext) -> bytes:
        try:
            done = worker.submit(request)
        except ValueError as e:
            await context.abort(grpc.StatusCode.INVALID_ARGUMENT, str(e))
        return await asyncio.shield(done)  # the batch's future is shared: a cancelled call must not cancel it

    async def submit_stream(requests, context: grpc.aio.ServicerContext) -> bytes:
        count = 0
        async for tx in requests:
            try:
                worker.submit(tx)
            except ValueError as e:
                await context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"transaction {count}: {e}")
            count += 1
        return _U64.pack(count)

    async def submit_many(request: bytes, context: grpc.aio.ServicerContext) -> bytes:
        try:
            done = worker.submit_encoded(request)
        except ValueError as e:
            await context.abort(grpc.StatusCode.INVALID_ARGUMENT, str(e))
        await asyncio.shield(done)  # back-pressure: answer once the batch is acknowledged by a quorum
        return _U64.pack(int.from_bytes(request[:4], "big"))

    return grpc.method_handlers_generic_handler(TX_SERVICE, {
        "SubmitTransaction": grpc.unary_unary_rpc_method_handler(submit),
        "SubmitTransactionStream": grpc.stream_unary_rpc_method_handler(submit_stream),
        "SubmitTransactions": grpc.unary_unary_rpc_method_handler(submit_many),
    })


async def start_server(handler: grpc.GenericRpcHandler, host: str, port: int,
                       bind_timeout: float = BIND_TIMEOUT_S) -> grpc.aio.Server:
    """Serve ``handler`` on ``host:port`` (a taken port is retried for ``bind_timeout`` s, see :mod:`dsn.ports`)."""

    async def bind() -> grpc.aio.Server:
        server = grpc.aio.server(options=SERVER_OPTIONS)
        server.add_generic_rpc_handlers((handler,))
        try:
            bound = server.add_insecure_port(f"{host}:{port}")
        except RuntimeError:  # grpcio ≥ 1.6x raises instead of returning 0
            bound = 0
        if bound == 0:
            raise OSError(errno.EADDRINUSE, "address in use or unavailable")
        await server.start()
        return server

    return await bind_with_retry(bind, f"{host}:{port} (gRPC)", bind_timeout)
