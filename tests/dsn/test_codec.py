"""The service-side fast paths of dsn.codec give exactly the kernel functions' results."""

import hashlib
import random

import pytest

from dsn import codec
from kernel_py.crypto.blake2b import blake2b_256
from kernel_py.formats import dsn as fmt
from kernel_py.formats.dsn import Batch


def random_txs(rng: random.Random) -> list[bytes]:
    return [rng.randbytes(rng.choice([1, 2, 16, 100, 600])) for _ in range(rng.randint(1, 40))]


def test_encode_batch_fast_matches_kernel_encoder():
    rng = random.Random(1)
    for _ in range(200):
        txs = random_txs(rng)
        assert codec.encode_batch_fast(txs) == fmt.encode_batch(Batch(txs))


def test_check_batch_agrees_with_kernel_decoder_on_valid_and_mutated_input():
    rng = random.Random(2)
    cases = [b"", b"\x00\x00\x00\x00", b"\x00\x00\x00\x01\x00\x00\x00\x00", b"\xff\xff\xff\xff\x00"]
    for _ in range(300):
        enc = bytearray(fmt.encode_batch(Batch(random_txs(rng))))
        cases.append(bytes(enc))
        cases.append(bytes(enc[:-1]))
        cases.append(bytes(enc) + b"\x00")
        mutated = bytearray(enc)
        mutated[rng.randrange(min(12, len(enc)))] ^= 1 << rng.randrange(8)  # a count or length field
        cases.append(bytes(mutated))
    for data in cases:
        ok, batch = fmt.decode_batch(data)
        if ok:
            codec.check_batch(data)
        else:
            with pytest.raises(ValueError):
                codec.check_batch(data)


def test_encode_preblock_fast_matches_kernel_encoder():
    certs = [b"c1" * 20, b"c2" * 30]
    batches = [fmt.encode_batch(Batch([b"x"])), fmt.encode_batch(Batch([b"yy", b"z"]))]
    evidence = codec.encode_evidence_fast(2, b"a" * 40, [b"s" * 40], [b"h" * 34])
    assert codec.encode_preblock_fast(3, 99, certs, batches, evidence) == \
        fmt.encode_preblock_parts(3, 99, certs, batches, evidence)


def test_digest_is_the_kernels_blake2b_256_of_bytes_and_of_views():
    rng = random.Random(7)
    for n in (0, 1, 127, 128, 129, 4097, 500_001):
        data = rng.randbytes(n)
        assert codec.digest(data) == codec.digest(memoryview(b"x" + data)[1:]) == hashlib.blake2b(data, digest_size=32).digest()
        if n <= 4097:  # the kernel's own BLAKE2b (pure Python: slow on 500 kB)
            assert codec.digest(data) == blake2b_256(data)
