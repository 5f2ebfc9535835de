"""External gRPC APIs (docs/FORMATS.md §7), generated from ``dsn/proto/*.proto``.

Export port (640N1):

* ``exporter.Exporter/Export`` — the seed's API: ``ExportRequest{from_id}`` → stream of ``SubDag``
  ``from_id + 1, from_id + 2, …`` (history, then live), each built from our pre-block by :func:`subdag`.
* ``dsn.v1.Exporter/Export`` — the same stream as our encoded pre-blocks (``PreBlock{preblock}``,
  FORMATS §1.5, evidence included): what the sequencer posts.

Transaction port (640N2):

* ``narwhal.Transactions/SubmitTransaction`` / ``SubmitTransactionStream`` — the seed's API: raw
  transactions, ``Empty`` once a quorum acknowledged their batches.
* ``dsn.v1.Transactions/SubmitTransaction`` — one transaction → its batch digest, once acknowledged.
* ``dsn.v1.Transactions/SubmitTransactions`` — many transactions encoded as a batch (FORMATS §1.2,
  at most :data:`MAX_SUBMIT_BYTES`) → their count, once their batches are acknowledged: the bulk
  path for load generators.

Every submit waits first while the node's queue of batches for headers is full
(``max_queued_headers``): under overload clients are slowed to the rate headers carry.

Both ports also serve server reflection and the standard health service (``grpc.health.v1.Health``).
"""

from __future__ import annotations

import asyncio
import errno
from dataclasses import dataclass, field
from typing import Callable

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from dsn import codec
from dsn.export import PreBlockSource, PrunedError
from dsn.ports import BIND_TIMEOUT_S, bind_with_retry
from dsn.proto import dsn_pb2, dsn_pb2_grpc, exporter_pb2, exporter_pb2_grpc, narwhal_pb2, narwhal_pb2_grpc
from dsn.worker import Worker
from kernel_py.formats.dsn import Certificate

# Pre-blocks grow with load and commit gaps: up to 1 GiB each way; one transaction batch in at most 64 MiB.
# No SO_REUSEPORT (gRPC's default on Linux): a second server on a taken port would silently share it.
SERVER_OPTIONS = [("grpc.max_receive_message_length", 64 << 20), ("grpc.max_send_message_length", 1 << 30),
                  ("grpc.so_reuseport", 0)]
CLIENT_OPTIONS = [("grpc.max_receive_message_length", 1 << 30), ("grpc.max_send_message_length", 64 << 20)]
MAX_SUBMIT_BYTES = 8 << 20  # one SubmitTransactions request (encoded batch) at most


def _service_name(module, service: str) -> str:
    return module.DESCRIPTOR.services_by_name[service].full_name


SEED_EXPORT_SERVICE = _service_name(exporter_pb2, "Exporter")      # exporter.Exporter
SEED_TX_SERVICE = _service_name(narwhal_pb2, "Transactions")       # narwhal.Transactions
EXPORT_SERVICE = _service_name(dsn_pb2, "Exporter")                # dsn.v1.Exporter
TX_SERVICE = _service_name(dsn_pb2, "Transactions")                # dsn.v1.Transactions


def bytes_message(data: bytes) -> bytes:
    """The wire form of a message whose only field is ``bytes`` field 1 (``dsn.v1.PreBlock``,
    ``dsn.v1.TransactionBatch``): ``0a ‖ varint length ‖ data``, as ``SerializeToString`` gives it but
    without its cost on large values (≈ 3 ms per MiB)."""
    if not data:
        return b""  # proto3 leaves a default value out
    n, varint = len(data), bytearray()
    while n >= 0x80:
        varint.append(n & 0x7F | 0x80)
        n >>= 7
    varint.append(n)
    return b"\x0a" + bytes(varint) + data


@dataclass
class Services:
    """The gRPC services of one port: their full names and how to add each to a server."""

    names: list[str] = field(default_factory=list)
    adders: list[Callable[[grpc.aio.Server], None]] = field(default_factory=list)

    def add(self, name: str, adder: Callable[[grpc.aio.Server], None]) -> None:
        self.names.append(name)
        self.adders.append(adder)


def _seed_certificate(c: Certificate) -> exporter_pb2.Certificate:
    h = c.header
    if c.signers and c.signers[-1].index > 255:
        raise ValueError(f"signer index {c.signers[-1].index}: the seed's signers field holds one byte per signer")
    header = exporter_pb2.Header(
        author=h.author, round=h.round, epoch=h.epoch, created_at=h.created_at,
        payload_info=[exporter_pb2.BatchInfo(digest=p.digest, worker_id=p.worker_id) for p in h.payload],
        parents=h.parents)
    return exporter_pb2.Certificate(header=header, signature=b"".join(s.signature for s in c.signers),
                                    signers=bytes(s.index for s in c.signers))


def subdag(encoded: bytes) -> exporter_pb2.SubDag:
    """The seed's ``SubDag`` of an encoded pre-block: ``id`` = index, ``certificates`` in commit order
    (the leader last, also in ``leader``), ``payloads[i]`` = the batches of ``certificates[i]`` in
    payload order. Lost on the way: the commit timestamp and the evidence. ``signers`` holds one byte
    per signer, so committees above 256 members raise ``ValueError``."""
    pb = codec.decode_preblock(encoded)
    certificates = [_seed_certificate(c) for c in pb.certificates]
    batches = iter(pb.batches)
    payloads = [exporter_pb2.Payload(batches=[exporter_pb2.Batch(transactions=next(batches).transactions)
                                              for _ in c.header.payload])
                for c in pb.certificates]
    return exporter_pb2.SubDag(id=pb.index, leader=certificates[-1], certificates=certificates, payloads=payloads)


async def _stream(source: PreBlockSource, from_id: int, context: grpc.aio.ServicerContext):
    try:
        async for encoded in source.stream(from_id):
            yield encoded
    except PrunedError as e:
        await context.abort(grpc.StatusCode.OUT_OF_RANGE, str(e))
    except LookupError as e:  # a commit without stored evidence (a store older than the evidence table)
        await context.abort(grpc.StatusCode.FAILED_PRECONDITION, str(e))


class _SeedExporter(exporter_pb2_grpc.ExporterServicer):
    def __init__(self, source: PreBlockSource) -> None:
        self.source = source

    async def Export(self, request: exporter_pb2.ExportRequest, context: grpc.aio.ServicerContext):
        async for encoded in _stream(self.source, request.from_id, context):
            try:  # decoding a large pre-block takes a while: keep the node's event loop free meanwhile
                message = await asyncio.to_thread(subdag, encoded)
            except ValueError as e:
                await context.abort(grpc.StatusCode.FAILED_PRECONDITION,
                                    f"pre-block not expressible as a SubDag ({e}): use {EXPORT_SERVICE}/Export")
            yield message


def _export_handler(source: PreBlockSource) -> grpc.GenericRpcHandler:
    """``dsn.v1.Exporter`` with responses framed by :func:`bytes_message` (pre-blocks reach 8 MiB)."""

    async def export(request: dsn_pb2.ExportRequest, context: grpc.aio.ServicerContext):
        async for encoded in _stream(source, request.from_id, context):
            yield encoded

    return grpc.method_handlers_generic_handler(EXPORT_SERVICE, {
        "Export": grpc.unary_stream_rpc_method_handler(export, request_deserializer=dsn_pb2.ExportRequest.FromString,
                                                       response_serializer=bytes_message),
    })


async def _submit(worker: Worker, tx: bytes, context: grpc.aio.ServicerContext) -> bytes:
    await worker.admit()
    try:
        done = worker.submit(tx)
    except ValueError as e:
        await context.abort(grpc.StatusCode.INVALID_ARGUMENT, str(e))
    return await asyncio.shield(done)  # the batch's future is shared: a cancelled call must not cancel it


class _SeedTransactions(narwhal_pb2_grpc.TransactionsServicer):
    def __init__(self, worker: Worker) -> None:
        self.worker = worker

    async def SubmitTransaction(self, request: narwhal_pb2.Transaction,
                                context: grpc.aio.ServicerContext) -> narwhal_pb2.Empty:
        await _submit(self.worker, request.transaction, context)
        return narwhal_pb2.Empty()

    async def SubmitTransactionStream(self, requests, context: grpc.aio.ServicerContext) -> narwhal_pb2.Empty:
        pending: set[asyncio.Future] = set()
        count = 0
        async for request in requests:
            await self.worker.admit()
            try:
                pending.add(self.worker.submit(request.transaction))
            except ValueError as e:
                await context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"transaction {count}: {e}")
            count += 1
        if pending:
            await asyncio.shield(asyncio.gather(*pending))
        return narwhal_pb2.Empty()


class _Transactions(dsn_pb2_grpc.TransactionsServicer):
    def __init__(self, worker: Worker) -> None:
        self.worker = worker

    async def SubmitTransaction(self, request: dsn_pb2.Transaction,
                                context: grpc.aio.ServicerContext) -> dsn_pb2.Submitted:
        return dsn_pb2.Submitted(batch_digest=await _submit(self.worker, request.transaction, context))

    async def SubmitTransactions(self, request: dsn_pb2.TransactionBatch,
                                 context: grpc.aio.ServicerContext) -> dsn_pb2.Accepted:
        if len(request.batch) > MAX_SUBMIT_BYTES:
            await context.abort(grpc.StatusCode.INVALID_ARGUMENT,
                                f"request of {len(request.batch)} bytes: at most {MAX_SUBMIT_BYTES} bytes of "
                                "encoded transactions per call (split it)")
        await self.worker.admit()
        try:
            done = self.worker.submit_encoded(request.batch)
        except ValueError as e:
            await context.abort(grpc.StatusCode.INVALID_ARGUMENT, str(e))
        await asyncio.shield(done)  # back-pressure: answer once the batch is acknowledged by a quorum
        return dsn_pb2.Accepted(count=int.from_bytes(request.batch[:4], "big"))


def exporter_handler(source: PreBlockSource) -> Services:
    """The export port's services: ``exporter.Exporter`` (seed) and ``dsn.v1.Exporter``."""
    services = Services()
    services.add(SEED_EXPORT_SERVICE,
                 lambda s: exporter_pb2_grpc.add_ExporterServicer_to_server(_SeedExporter(source), s))
    services.add(EXPORT_SERVICE, lambda s: s.add_generic_rpc_handlers((_export_handler(source),)))
    return services


def transactions_handler(worker: Worker) -> Services:
    """The transaction port's services: ``narwhal.Transactions`` (seed) and ``dsn.v1.Transactions``."""
    services = Services()
    services.add(SEED_TX_SERVICE,
                 lambda s: narwhal_pb2_grpc.add_TransactionsServicer_to_server(_SeedTransactions(worker), s))
    services.add(TX_SERVICE, lambda s: dsn_pb2_grpc.add_TransactionsServicer_to_server(_Transactions(worker), s))
    return services


async def serve(services: Services, server: grpc.aio.Server) -> None:
    """Add ``services``, the health service (each of them and the server as a whole SERVING) and
    server reflection to a not yet started ``server``."""
    for add in services.adders:
        add(server)
    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    for name in ["", *services.names]:
        await health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    reflection.enable_server_reflection([*services.names, health.SERVICE_NAME, reflection.SERVICE_NAME], server)


async def start_server(services: Services, host: str, port: int,
                       bind_timeout: float = BIND_TIMEOUT_S) -> grpc.aio.Server:
    """Serve ``services`` on ``host:port`` (a taken port is retried for ``bind_timeout`` s, see :mod:`dsn.ports`)."""

    async def bind() -> grpc.aio.Server:
        server = grpc.aio.server(options=SERVER_OPTIONS)
        await serve(services, server)
        try:
            bound = server.add_insecure_port(f"{host}:{port}")
        except RuntimeError:  # grpcio ≥ 1.6x raises instead of returning 0
            bound = 0
        if bound == 0:
            raise OSError(errno.EADDRINUSE, "address in use or unavailable")
        await server.start()
        return server

    return await bind_with_retry(bind, f"{host}:{port} (gRPC)", bind_timeout)
