"""Node-to-node message bodies (FORMATS §6)."""

import pytest

from dsn import wire


def test_requests_carry_at_most_max_request_digests():
    most = b"d" * 32 * wire.MAX_REQUEST_DIGESTS
    assert len(wire.decode_digests(most)) == wire.MAX_REQUEST_DIGESTS
    with pytest.raises(ValueError, match="more than 1000 digests"):
        wire.decode_digests(most + b"d" * 32)


def test_blobs_roundtrip_and_strictness():
    for blobs in ([], [b""], [b"a", b"bc" * 100]):
        assert wire.decode_blobs(wire.encode_blobs(blobs)) == blobs
    good = wire.encode_blobs([b"xy"])
    for bad in (b"", good[:-1], good + b"\x00", b"\x00\x00\x00\x02" + good[4:]):
        with pytest.raises(ValueError):
            wire.decode_blobs(bad)


def test_fixed_size_bodies():
    assert wire.decode_vote(wire.encode_vote(b"d" * 32, b"s" * 64)) == (b"d" * 32, b"s" * 64)
    assert wire.decode_round(wire.encode_round(7)) == 7
    assert wire.decode_digests(b"a" * 32 + b"b" * 32) == [b"a" * 32, b"b" * 32]
    assert wire.decode_worker_batch(wire.encode_worker_batch(3, b"batch")) == (3, b"batch")
    for call, body in ((wire.decode_vote, b"x" * 95), (wire.decode_round, b"x" * 7),
                       (wire.decode_digests, b"x" * 33), (wire.decode_worker_batch, b"x" * 3)):
        with pytest.raises(ValueError):
            call(body)
