"""A running 4-node DSN called the way other tools call it: through the generated stubs of the seed's
services (exporter.Exporter, narwhal.Transactions), the health service, and a client that learns the
API from server reflection alone."""

from __future__ import annotations

import subprocess
import sys

import grpc
import pytest
from google.protobuf import descriptor_pool, message_factory
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import ProtoReflectionDescriptorDatabase

from dsn.api import subdag
from dsn.client import Client
from dsn.proto import exporter_pb2, exporter_pb2_grpc, narwhal_pb2, narwhal_pb2_grpc
from dsn.sequencer.stack import free_port_base

TXS = [b"seed stub: one", b"seed stub: two", b"seed stub: three", b"seed stub: four"]


def dsn(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dsn", *args], capture_output=True, text=True, timeout=60)


def subdags_until(stream, txs: list[bytes]) -> list[exporter_pb2.SubDag]:
    """Sub-DAGs from a stream until every transaction of ``txs`` was seen."""
    out, missing = [], set(txs)
    for sd in stream:
        out.append(sd)
        missing -= {tx for p in sd.payloads for b in p.batches for tx in b.transactions}
        if not missing:
            return out
    raise AssertionError(f"stream ended with {len(missing)} transactions missing")


def reflected_services(channel: grpc.Channel) -> tuple[list[str], descriptor_pool.DescriptorPool]:
    db = ProtoReflectionDescriptorDatabase(channel)
    return sorted(db.get_services()), descriptor_pool.DescriptorPool(db)


def reflected_export(channel: grpc.Channel, from_id: int):
    """Call exporter.Exporter/Export with message classes built from reflected descriptors only."""
    _, pool = reflected_services(channel)
    method = pool.FindServiceByName("exporter.Exporter").methods_by_name["Export"]
    request_cls = message_factory.GetMessageClass(method.input_type)
    response_cls = message_factory.GetMessageClass(method.output_type)
    assert response_cls is not exporter_pb2.SubDag  # built from the server's answer, not our module
    call = channel.unary_stream("/exporter.Exporter/Export", request_serializer=request_cls.SerializeToString,
                                response_deserializer=response_cls.FromString)
    return call(request_cls(from_id=from_id), timeout=60)


@pytest.mark.slow
def test_seed_stubs_health_and_reflection(tmp_path):
    base = tmp_path / "net"
    port_base = free_port_base(4, preferred=None)
    up = dsn("net", "up", "-n", "4", "--data-dir", str(base), "--port-base", str(port_base),
             "--param", "min_header_delay_ms=100", "--param", "max_header_delay_ms=300")
    assert up.returncode == 0, up.stderr
    export = grpc.insecure_channel(f"127.0.0.1:{port_base + 11}")
    txs = grpc.insecure_channel(f"127.0.0.1:{port_base + 22}")
    try:
        grpc.channel_ready_future(txs).result(timeout=30)
        seed_tx = narwhal_pb2_grpc.TransactionsStub(txs)
        assert seed_tx.SubmitTransaction(narwhal_pb2.Transaction(transaction=TXS[0]), timeout=30) == narwhal_pb2.Empty()
        assert seed_tx.SubmitTransactionStream(iter([narwhal_pb2.Transaction(transaction=t) for t in TXS[1:]]),
                                               timeout=30) == narwhal_pb2.Empty()
        with pytest.raises(grpc.RpcError) as empty:
            seed_tx.SubmitTransaction(narwhal_pb2.Transaction(), timeout=30)
        assert empty.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert "transaction of 0 bytes" in empty.value.details()

        # the seed's Export: SubDags equal to our pre-blocks mapped by dsn.api.subdag
        stubbed = subdags_until(exporter_pb2_grpc.ExporterStub(export).Export(
            exporter_pb2.ExportRequest(from_id=0), timeout=60), TXS)
        assert [sd.id for sd in stubbed] == list(range(1, len(stubbed) + 1))
        ours = Client(f"127.0.0.1:{port_base + 11}").preblocks(0, timeout=60)
        assert [subdag(next(ours)) for _ in stubbed] == stubbed
        assert all(sd.leader == sd.certificates[-1] for sd in stubbed)

        # health: each served service and the server as a whole
        for channel, names in ((export, ["", "exporter.Exporter", "dsn.v1.Exporter"]),
                               (txs, ["", "narwhal.Transactions", "dsn.v1.Transactions"])):
            health = health_pb2_grpc.HealthStub(channel)
            for name in names:
                assert health.Check(health_pb2.HealthCheckRequest(service=name), timeout=10).status == \
                    health_pb2.HealthCheckResponse.SERVING
            with pytest.raises(grpc.RpcError) as unknown:
                health.Check(health_pb2.HealthCheckRequest(service="exporter.Nothing"), timeout=10)
            assert unknown.value.code() == grpc.StatusCode.NOT_FOUND

        # reflection: what grpcurl sees, and a call built from it alone
        common = ["grpc.health.v1.Health", "grpc.reflection.v1alpha.ServerReflection"]
        assert reflected_services(export)[0] == sorted(["dsn.v1.Exporter", "exporter.Exporter", *common])
        assert reflected_services(txs)[0] == sorted(["dsn.v1.Transactions", "narwhal.Transactions", *common])
        reflected = subdags_until(reflected_export(export, 0), TXS)
        assert [r.SerializeToString(deterministic=True) for r in reflected] == \
            [s.SerializeToString(deterministic=True) for s in stubbed]
        _, pool = reflected_services(txs)
        submit = pool.FindServiceByName("narwhal.Transactions").methods_by_name["SubmitTransaction"]
        assert (submit.input_type.full_name, submit.output_type.full_name) == ("narwhal.Transaction", "narwhal.Empty")
        assert [f.name for f in submit.input_type.fields] == ["transaction"]
    finally:
        export.close()
        txs.close()
        down = dsn("net", "down", "--data-dir", str(base))
    assert down.returncode == 0, down.stderr
