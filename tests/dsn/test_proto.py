"""The committed generated gRPC code matches dsn/proto/*.proto, and pre-blocks map to the seed's SubDag."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from dsn import codec
from dsn.api import EXPORT_SERVICE, SEED_EXPORT_SERVICE, SEED_TX_SERVICE, TX_SERVICE, bytes_message, subdag
from dsn.consensus import Bullshark
from dsn.proto import build, dsn_pb2, exporter_pb2, narwhal_pb2
from tests.dsn.dag import DagBuilder


def test_generated_code_is_up_to_date():
    with tempfile.TemporaryDirectory() as tmp:
        fresh = build.generate(Path(tmp))
        assert [f.name for f in fresh] == ["dsn_pb2.py", "dsn_pb2_grpc.py", "exporter_pb2.py",
                                           "exporter_pb2_grpc.py", "narwhal_pb2.py", "narwhal_pb2_grpc.py"]
        stale = [f.name for f in fresh if f.read_bytes() != (build.PROTO_DIR / f.name).read_bytes()]
    assert stale == [], f"run scripts/gen_proto: {stale} differ from dsn/proto/*.proto"


def test_service_names_and_seed_field_numbers():
    assert (SEED_EXPORT_SERVICE, SEED_TX_SERVICE, EXPORT_SERVICE, TX_SERVICE) == \
        ("exporter.Exporter", "narwhal.Transactions", "dsn.v1.Exporter", "dsn.v1.Transactions")
    fields = {m.name: {f.name: f.number for f in m.fields} for m in exporter_pb2.DESCRIPTOR.message_types_by_name.values()}
    assert fields["SubDag"] == {"id": 1, "leader": 2, "certificates": 3, "payloads": 4}
    assert fields["Certificate"] == {"header": 1, "signature": 2, "signers": 3}
    assert fields["Header"] == {"author": 1, "round": 2, "epoch": 3, "created_at": 4, "payload_info": 5,
                                "system_messages": 6, "parents": 7}
    assert fields["BatchInfo"] == {"digest": 1, "worker_id": 2, "created_at": 3}
    assert fields["ExportRequest"] == {"from_id": 1}
    export = exporter_pb2.DESCRIPTOR.services_by_name["Exporter"].methods_by_name["Export"]
    assert (export.input_type.name, export.output_type.name, export.server_streaming) == ("ExportRequest", "SubDag", True)
    tx = narwhal_pb2.DESCRIPTOR.services_by_name["Transactions"].methods_by_name
    assert sorted(tx) == ["SubmitTransaction", "SubmitTransactionStream"]
    assert tx["SubmitTransactionStream"].client_streaming and not tx["SubmitTransaction"].client_streaming
    assert narwhal_pb2.Transaction(transaction=b"ab").SerializeToString() == b"\x0a\x02ab"


def test_subdag_of_a_preblock():
    d = DagBuilder(4)
    b = Bullshark(d.committee)
    out = []
    for c in d.full_round(1) + d.full_round(2) + d.full_round(3):
        out.extend(b.insert(c))
    assert [s.index for s in out] == [1]
    encoded = d.preblock(out[0])
    pb = codec.decode_preblock(encoded)
    sd = exporter_pb2.SubDag.FromString(subdag(encoded).SerializeToString())
    assert sd.id == 1
    assert [(c.header.round, c.header.author) for c in sd.certificates] == [(1, 0), (1, 1), (1, 2), (1, 3), (2, 1)]
    assert sd.leader == sd.certificates[-1]
    for c, ours in zip(sd.certificates, pb.certificates):
        h = ours.header
        assert (c.header.epoch, c.header.created_at) == (0, h.created_at)
        assert list(c.header.parents) == h.parents == sorted(h.parents)
        assert [(i.digest, i.worker_id, i.created_at) for i in c.header.payload_info] == \
            [(p.digest, p.worker_id, 0) for p in h.payload]
        assert c.signers == bytes([0, 1, 2])
        assert c.signature == b"".join(s.signature for s in ours.signers) and len(c.signature) == 3 * 64
        assert list(c.header.system_messages) == []
    assert [[list(b.transactions) for b in p.batches] for p in sd.payloads] == \
        [[[b"tx 0/1"]], [[b"tx 1/1"]], [[b"tx 2/1"]], [[b"tx 3/1"]], [[b"tx 1/2"]]]


def test_bytes_message_is_the_protobuf_wire_form():
    for n in (0, 1, 127, 128, 300, 16_383, 16_384, 1 << 21, (1 << 21) + 5):
        data = bytes(range(256)) * (n // 256) + bytes(n % 256)
        assert bytes_message(data) == dsn_pb2.PreBlock(preblock=data).SerializeToString() == \
            dsn_pb2.TransactionBatch(batch=data).SerializeToString()
        assert dsn_pb2.PreBlock.FromString(bytes_message(data)).preblock == data


def test_subdag_refuses_signer_indexes_above_255():
    d = DagBuilder(4)
    b = Bullshark(d.committee)
    out = []
    for c in d.full_round(1) + d.full_round(2) + d.full_round(3):
        out.extend(b.insert(c))
    pb = codec.decode_preblock(d.preblock(out[0]))
    pb.certificates[0].signers[-1].index = 300
    with pytest.raises(ValueError) as e:
        subdag(codec.encode_preblock(pb))
    assert str(e.value) == "signer index 300: the seed's signers field holds one byte per signer"
