"""The LMDB store: tables, round-ordered certificate reads, commits, and map growth."""

from dsn.store import EvidenceRef, Store


def test_tables_and_queries(tmp_path):
    s = Store(tmp_path / "db", map_size=1 << 20)
    for r in (1, 2, 3):
        for a in (2, 0, 1):
            s.put_certificate(bytes([r, a]) * 16, r, a, f"cert {r}/{a}".encode())
    assert s.highest_round() == 3
    assert s.certificates_after(1, 100) == [f"cert {r}/{a}".encode() for r in (2, 3) for a in (0, 1, 2)]
    assert s.certificates_after(0, 2) == [b"cert 1/0", b"cert 1/1", b"cert 1/2"]  # whole rounds
    assert s.last_vote(4) is None
    s.put_vote(4, 9, b"v" * 32)
    assert s.last_vote(4) == (9, b"v" * 32)
    s.put_proposed(5, b"header 5")
    assert (s.get_proposed(5), s.last_proposed_round()) == (b"header 5", 5)
    step = EvidenceRef(2, b"A" * 32, [b"s" * 32, b"t" * 32], [b"h" * 32])
    s.put_commit(1, 1234, 2, [b"a" * 32, b"b" * 32], step)
    assert s.get_commit(1) == (1234, 2, [b"a" * 32, b"b" * 32])
    assert s.get_evidence(1) == step and s.get_evidence(2) is None
    s.put_commit(2, 1235, 4, [b"c" * 32], EvidenceRef(1, support=[b"u" * 32]))
    s.put_commit(3, 1236, 6, [b"d" * 32], EvidenceRef(0))
    assert s.get_evidence(2) == EvidenceRef(1, b"", [b"u" * 32], []) and s.get_evidence(3) == EvidenceRef(0)
    assert s.last_commit_index() == 3 and s.is_committed(b"b" * 32) and not s.is_committed(b"e" * 32)
    s.put_queued(b"q" * 32, 0)
    s.put_queued(b"r" * 32, 0)
    s.put_queued(b"p" * 32, 0)
    s.delete_queued([b"q" * 32])
    assert s.queued() == [(b"r" * 32, 0), (b"p" * 32, 0)]  # in the order they were queued
    s.put_batch(b"B" * 32, b"x" * 300_000)
    assert (s.batch_size(b"B" * 32), s.has_batch(b"B" * 32)) == (300_000, True)
    assert (s.batch_size(b"C" * 32), s.has_batch(b"C" * 32)) == (None, False)
    s.close()


def test_map_grows_when_full_and_data_survives_reopening(tmp_path):
    s = Store(tmp_path / "db", map_size=1 << 20)
    blobs = {bytes([i]) * 32: bytes([i]) * 200_000 for i in range(20)}  # 4 MB into a 1 MiB map
    for d, b in blobs.items():
        s.put_batch(d, b)
    assert s.env.info()["map_size"] > 1 << 20
    s.close()
    s = Store(tmp_path / "db", map_size=1 << 20)
    assert all(s.get_batch(d) == b for d, b in blobs.items())
    s.close()
