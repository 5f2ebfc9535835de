"""The sequencer posts through the DAL of the local L1 (``--da dal``) and the kernel applies what it
imports: a pre-block larger than one slot; slots that miss attestation are posted again, and nothing
is lost or applied twice. Rollup node (native kernel, real L1 limits and DAL node) on loopback."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import AsyncIterator, Iterator

import pytest

from dsn.sequencer.da import InjectionLog
from dsn.sequencer.da_task import DaTask
from dsn.sequencer.dal_backend import DalBackend, DalRpc, probe_dal
from dsn.sequencer.dal_slots import slot_bitmap
from dsn.sequencer.rollup_backend import RemoteRollup
from kernel_py.formats import dsn as fmt
from kernel_py.formats import tx as txf
from kernel_py.ledger import balance_key
from pvm_host.dal import DalParameters
from pvm_host.l1_sim.chain import L1Profile, LocalL1
from pvm_host.l1_sim.dal_node import DalNode
from pvm_host.l1_sim.operations import public_key_hash
from pvm_host.rollup import Rollup
from pvm_host.rollup_node import RollupNode, serve
from tests.kernel.builders import NATIVE, Dag, genesis_bytes, make_committee, next_preblock, pk, signed_tx, user
from tests.kernel.doubles import fast_crypto
from tezos_l1.keys import Key

pytestmark = pytest.mark.slow

PARAMS = DalParameters(8, 2, 4 * 3967, 3967)  # 15,868-byte slots: a few pages each
SLOTS = [1, 2, 3, 5]
PUBLISHER = Key(bytes([9]) * 32)
ALICE, BOB = user(1), user(2)


class ListSource:
    """Pre-blocks given in advance (the DA task's :class:`PreBlockSource`)."""

    nodes = 1

    def __init__(self, preblocks: list[bytes]) -> None:
        self.preblocks = preblocks

    async def stream(self, after: int) -> AsyncIterator[bytes]:
        for pb in self.preblocks[after:]:
            yield pb
        await asyncio.Event().wait()

    async def fetch(self, index: int) -> bytes | None:
        return self.preblocks[index - 1] if 0 < index <= len(self.preblocks) else None

    async def submit(self, txs: list[bytes], node: int) -> None:
        raise NotImplementedError

    async def close(self) -> None:
        return None


class Node:
    def __init__(self, dal: DalNode, dag: Dag) -> None:
        publisher = public_key_hash(b"\x00" + PUBLISHER.public_key_bytes)
        setup: list[tuple[str, str, bytes | str]] = [
            ("set", "/setup/committee", fmt.encode_committee(dag.auth.committee)),
            ("set", "/setup/genesis", genesis_bytes([(pk(ALICE), 10**9)])),
            ("set", "/dal/publishers", b"\x00" * 21 + publisher),
            ("set", "/dal/slots", slot_bitmap(SLOTS)),
        ]
        self.rollup = Rollup.open(native="kernel_py.kernel", setup=setup)
        self.node = RollupNode(self.rollup, 0.15, l1=LocalL1(L1Profile("t", 0.15, PARAMS), dal))
        ready = threading.Event()
        self.url = ""

        def on_ready(port: int) -> None:
            self.url = f"http://127.0.0.1:{port}"
            self.loop = asyncio.get_running_loop()
            ready.set()

        self.thread = threading.Thread(target=serve, args=(self.node, 0, on_ready), daemon=True)
        self.thread.start()
        assert ready.wait(10)

    def stop(self) -> None:
        assert self.node.stopped is not None
        self.loop.call_soon_threadsafe(self.node.stopped.set)
        self.thread.join(10)


@pytest.fixture
def world() -> Iterator[tuple[Node, Dag]]:
    with fast_crypto():
        dag = Dag(make_committee())
        node = Node(DalNode(PARAMS, unattested_rate=1.0, seed=1), dag)
        try:
            yield node, dag
        finally:
            node.stop()


def transfers(node: Node, nonce: int, n: int, value: int) -> list[bytes]:
    rollup = node.rollup.pvm.rollup_address
    return [signed_tx(ALICE, nonce + i, txf.action_transfer(pk(BOB), NATIVE, value), rollup) for i in range(n)]


async def post(node: Node, preblocks: list[bytes], tmp: str) -> DalBackend:
    """Run the DA task over a DAL backend until the kernel applied every pre-block; the DAL node
    refuses to attest until the first re-posting."""
    params = await probe_dal(node.url)
    assert params is not None and (params.slot_size, params.attestation_lag) == (PARAMS.slot_size, 2)
    remote = RemoteRollup(node.url)
    await remote.connect()
    backend = DalBackend(remote, DalRpc(node.url, node.url), PUBLISHER, SLOTS, params, poll=0.05)
    backend.start()
    task = DaTask(ListSource(preblocks), backend, InjectionLog.load(__import__("pathlib").Path(tmp) / "log.json"),
                  poll=0.05, stall_timeout=30.0, settle_timeout=60.0)
    runner = asyncio.create_task(task.run())
    deadline = time.monotonic() + 120
    try:
        while node.rollup.read("/dsn/last_index") != len(preblocks).to_bytes(8, "big"):
            assert time.monotonic() < deadline, f"kernel at {node.rollup.read('/dsn/last_index')}"
            if backend.stats.reposted and node.node.l1 is not None:
                node.node.l1.dal.unattested_rate = 0.0  # attest from now on
            await asyncio.sleep(0.1)
    finally:
        runner.cancel()
        await asyncio.gather(runner, return_exceptions=True)
        await backend.close()
    return backend


def test_preblocks_through_the_dal_with_reposting(world: tuple[Node, Dag], tmp_path) -> None:
    node, dag = world
    big = [os.urandom(3000) for _ in range(8)]  # foreign txs: rejected, but carried (24 KB > one slot)
    preblocks = [next_preblock(dag, transfers(node, 0, 3, 2) + big),
                 next_preblock(dag, transfers(node, 3, 2, 5)),
                 next_preblock(dag, transfers(node, 5, 1, 7))]
    assert len(preblocks[0]) > PARAMS.slot_size
    backend = asyncio.run(post(node, preblocks, str(tmp_path)))
    read = node.rollup.read
    assert read("/dsn/last_index") == (3).to_bytes(8, "big")
    assert read(balance_key(pk(BOB), NATIVE).decode()) == (3 * 2 + 2 * 5 + 7).to_bytes(8, "big")
    s = backend.stats
    print("DAL stats:", s, "rejections:", read("/rejections/count"), read("/rejections/last"))
    assert s.reposted >= 1 and s.attested >= 2 and s.slots >= s.attested + 1
    assert read("/blocks/4/results") is None  # nothing past the three pre-blocks
    time.sleep(1.0)  # later levels change nothing: no pre-block applied twice
    assert read(balance_key(pk(BOB), NATIVE).decode()) == (23).to_bytes(8, "big")
