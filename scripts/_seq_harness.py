"""A real ``dsn sequencer run`` process between a stand-in DSN node and a stand-in rollup node, both
served from this process (``scripts/bench_admission --process``), so the sequencer's CPU per
transaction can be read from ``/proc`` without the DSN's or the kernel's work in the way.

* The DSN node serves the real gRPC services (``dsn.api``): ``SubmitTransactions`` acknowledges at
  once, ``Export`` streams pre-blocks of a fixed number of the submitted transactions, signed by
  the fixture committee (:class:`MockConsensus`: certificates and evidence as a DSN commits them).
* The rollup node answers the sequencer's RPCs (rollup address, level, durable values, batcher
  injection and queue) and applies an announced pre-block at once: every transaction ``applied``
  (result entries, ``/head``, ``/dsn/last_index`` as the kernel writes them).
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import grpc
from aiohttp import ClientSession, ClientTimeout, web

from dsn import codec
from dsn.api import Services, exporter_handler, serve, transactions_handler
from dsn.launcher import FIXTURES
from dsn.sequencer.committee_keys import fixture_committee
from dsn.sequencer.mock_consensus import MockConsensus
from dsn.sequencer.stack import free_port
from kernel_py.blocks import STATUS_APPLIED, result_entry
from kernel_py.formats.tx import decode_tx
from pvm_spec import b58

ROLLUP = bytes(range(20))


def cpu_seconds(pid: int, kind: str = "both") -> float:
    """User + system (``kind`` ``both``), ``user`` or ``system`` CPU seconds of process ``pid`` (all its
    threads, not its children)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    user, system = int(fields[11]), int(fields[12])
    return {"both": user + system, "user": user, "system": system}[kind] / os.sysconf("SC_CLK_TCK")


def thread_cpu(pid: int) -> dict[str, float]:
    """CPU seconds of the threads of ``pid`` by thread name (the event loop is the process's name)."""
    out: dict[str, float] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            name = (task / "comm").read_text().strip()
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        name = name.rstrip("0123456789_")
        out[name] = out.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return out


def context_switches(pid: int) -> int:
    """Voluntary + involuntary context switches of every thread of ``pid``."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            lines = (task / "status").read_text().splitlines()
        except OSError:
            continue
        total += sum(int(line.split()[1]) for line in lines if line.endswith("ctxt_switches") or "ctxt_switches:" in line)
    return total


class StandInDsn:
    """The worker and pre-block source behind :func:`dsn.api.transactions_handler` and ``exporter_handler``."""

    def __init__(self, preblock_txs: int, preblock_ms: int = 200) -> None:
        committee, keys = fixture_committee(4)
        self.consensus = MockConsensus(keys, committee)
        self.preblock_txs = preblock_txs
        self.preblock_ms = preblock_ms
        self.pool: list[bytes] = []
        self.preblocks: list[bytes] = []
        self.grew = asyncio.Event()
        self.submitted = 0

    async def admit(self) -> None:
        return None

    def submit_encoded(self, batch: bytes) -> asyncio.Future[None]:
        txs = codec.decode_batch(batch).transactions
        self.pool.extend(txs)
        self.submitted += len(txs)
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        done.set_result(None)
        return done

    async def commit_loop(self) -> None:
        """Commit ``preblock_txs`` at a time as soon as they are submitted, fewer after ``preblock_ms``."""
        last = time.monotonic()
        while True:
            await asyncio.sleep(0.005)
            while len(self.pool) >= self.preblock_txs or (self.pool and time.monotonic() - last > self.preblock_ms / 1000):
                txs, self.pool = self.pool[:self.preblock_txs], self.pool[self.preblock_txs:]
                self.preblocks.append(self.consensus.commit(txs, int(time.time() * 1000)))
                self.grew.set()
                last = time.monotonic()

    async def stream(self, after: int) -> AsyncIterator[bytes]:
        index = after
        while True:
            while index < len(self.preblocks):
                index += 1
                yield self.preblocks[index - 1]
            self.grew.clear()
            await self.grew.wait()


class StandInRollup:
    """The rollup node RPCs the sequencer uses; an announced pre-block is applied when injected."""

    def __init__(self, dsn: StandInDsn) -> None:
        self.dsn = dsn
        self.values: dict[str, bytes] = {}
        self.started = time.monotonic()
        self.applied = 0
        app = web.Application(client_max_size=64 << 20)
        app.router.add_get("/global/smart_rollup_address", self._address)
        app.router.add_get("/global/block/head/level", self._level)
        app.router.add_get("/global/block/head/durable/wasm_2_0_0/value", self._value)
        app.router.add_get("/global/block/head/durable/wasm_2_0_0/subkeys", self._subkeys)
        app.router.add_post("/local/batcher/injection", self._inject)
        app.router.add_get("/local/batcher/queue", self._queue)
        self.app = app

    async def _address(self, _request: web.Request) -> web.Response:
        return web.json_response(b58.encode("sr1", ROLLUP))

    async def _level(self, _request: web.Request) -> web.Response:
        return web.json_response(int((time.monotonic() - self.started) / 0.5))

    async def _value(self, request: web.Request) -> web.Response:
        value = self.values.get(request.query["key"])
        if value is None:
            return web.Response(status=500, text="absent")
        return web.json_response(value.hex())

    async def _subkeys(self, _request: web.Request) -> web.Response:
        return web.json_response([])

    async def _queue(self, _request: web.Request) -> web.Response:
        return web.json_response([])

    async def _inject(self, request: web.Request) -> web.Response:
        frames = [bytes.fromhex(m) for m in await request.json()]
        for frame in frames:
            contents = frame[21:]
            if contents[:1] == b"\x02":  # an announcement: apply its pre-block
                self._apply(int.from_bytes(contents[1:9], "big"))
        return web.json_response([str(i) for i in range(len(frames))])

    def _apply(self, index: int) -> None:
        pb = codec.decode_preblock(self.dsn.preblocks[index - 1])
        txs = [tx for b in pb.batches for tx in b.transactions]
        self.values[f"/blocks/{index}/results"] = b"".join(result_entry(codec.digest(tx), STATUS_APPLIED, b"")
                                                            for tx in txs)
        self.values["/head"] = index.to_bytes(8, "big") + bytes(32)
        self.values["/dsn/last_index"] = index.to_bytes(8, "big")
        self.applied += len(txs)


async def _serve_rollup(rollup: StandInRollup) -> tuple[web.AppRunner, int]:
    runner = web.AppRunner(rollup.app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]


async def _serve_dsn(dsn: StandInDsn) -> tuple[grpc.aio.Server, int]:
    services = Services()
    for part in (transactions_handler(dsn), exporter_handler(dsn)):  # type: ignore[arg-type]
        services.adders += part.adders
        services.names += part.names
    server = grpc.aio.server(options=[("grpc.max_receive_message_length", 64 << 20),
                                      ("grpc.max_send_message_length", 64 << 20)])
    await serve(services, server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    return server, port


async def _wait_http(session: ClientSession, url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"the sequencer exited with {proc.returncode}")
        try:
            async with session.get(url) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")
        await asyncio.sleep(0.2)


async def run_process(txs: list[bytes], rate: float, preblock_txs: int, senders: int = 4,
                      profile: str | None = None, code: Path | None = None) -> dict[str, Any]:
    """Offer ``txs`` (hex in ``{"txs": […]}`` requests, each sender's transactions on one of ``senders``
    connections in nonce order) at ``rate`` tx/s to a real sequencer process (``preblock_txs`` per
    committed pre-block) and wait until it holds none (every result recorded). Returns the sequencer's
    CPU seconds over that window (``threads``: by thread name; ``admission_cpu_s``: of its admission
    checks, from its ``/metrics``, 0 for a sequencer without that counter), its idle CPU rate before it, the
    window's length, the transaction and pre-block counts. ``profile``: a py-spy raw profile of the
    sequencer over the window (threads on CPU, not idle ones). ``code``: run the sequencer from this
    checkout instead (its first ``PYTHONPATH`` entry), e.g. an earlier commit to compare with."""
    dsn = StandInDsn(preblock_txs)
    rollup = StandInRollup(dsn)
    runner, rollup_port = await _serve_rollup(rollup)
    server, dsn_port = await _serve_dsn(dsn)
    committer = asyncio.create_task(dsn.commit_loop())
    with tempfile.TemporaryDirectory(prefix="bench-admission-") as tmp:
        port = free_port()
        cmd = [sys.executable, "-m", "dsn", "sequencer", "run", "--data-dir", str(Path(tmp) / "sequencer"),
               "--rollup-node", f"http://127.0.0.1:{rollup_port}", "--committee-dir", str(FIXTURES / "4"),
               "--dsn", f"127.0.0.1:{dsn_port}", "--dsn-export", f"127.0.0.1:{dsn_port}", "--da", "inbox",
               "--port", str(port), "--log-level", "WARNING"]
        env = dict(os.environ)
        if code is not None:
            env["PYTHONPATH"] = os.pathsep.join([str(code), env.get("PYTHONPATH", "")])
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, env=env, cwd=code)  # -m puts the cwd first
        spy: subprocess.Popen | None = None
        try:
            async with ClientSession(timeout=ClientTimeout(total=120)) as session:
                base = f"http://127.0.0.1:{port}"
                await _wait_http(session, base + "/health", proc)
                await asyncio.sleep(1.0)
                idle0, t_idle = cpu_seconds(proc.pid), time.monotonic()
                await asyncio.sleep(2.0)
                idle_rate = (cpu_seconds(proc.pid) - idle0) / (time.monotonic() - t_idle)
                if profile is not None:
                    spy = subprocess.Popen([str(Path(sys.executable).parent / "py-spy"), "record", "--nonblocking", "--rate",
                                            "500", "--format", "raw", "-o", profile, "--pid", str(proc.pid)],
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                    await asyncio.sleep(1.0)
                cpu0, t0, threads0 = cpu_seconds(proc.pid), time.monotonic(), thread_cpu(proc.pid)
                system0, switches0 = cpu_seconds(proc.pid, "system"), context_switches(proc.pid)
                requests = await _offer(session, base + "/broadcast", txs, rate, senders)
                while True:
                    async with session.get(base + "/health") as resp:
                        health = await resp.json()
                    if health["held"] == 0 and rollup.applied >= len(txs):
                        break
                    if time.monotonic() - t0 > 120 + len(txs) / rate:
                        raise TimeoutError(f"the sequencer still holds {health['held']} transactions")
                    await asyncio.sleep(0.05)
                cpu, window = cpu_seconds(proc.pid) - cpu0, time.monotonic() - t0
                async with session.get(base + "/metrics") as resp:
                    metrics = await resp.text()
                checking = sum(float(line.split()[1]) for line in metrics.splitlines()
                               if line.startswith("sequencer_admission_cpu_seconds_total "))
                system = cpu_seconds(proc.pid, "system") - system0
                switches = context_switches(proc.pid) - switches0
                threads = {k: v - threads0.get(k, 0.0) for k, v in thread_cpu(proc.pid).items()}
        finally:
            if spy is not None:
                spy.send_signal(2)
                spy.wait(30)
            proc.terminate()
            proc.wait(30)
            committer.cancel()
            await server.stop(None)
            await runner.cleanup()
    return {"cpu_s": cpu, "idle_cpu_rate": idle_rate, "window_s": window, "txs": len(txs),
            "preblocks": len(dsn.preblocks), "threads": threads, "system_s": system,
            "requests": requests, "context_switches": switches, "admission_cpu_s": checking}


async def _offer(session: ClientSession, url: str, txs: list[bytes], rate: float, senders: int) -> int:
    """Offer ``txs`` at ``rate``: every 20 ms the due ones go to their sender's lane (by signer, like
    ``scripts/loadtest``); each lane posts what queued while its previous request was out. Returns the
    number of requests."""
    lanes: list[list[str]] = [[] for _ in range(senders)]
    wake = [asyncio.Event() for _ in range(senders)]
    finished = False
    requests = 0

    async def lane(n: int) -> None:
        nonlocal requests
        while True:
            await wake[n].wait()
            wake[n].clear()
            while lanes[n]:
                batch, lanes[n][:] = lanes[n][:5000], lanes[n][5000:]
                requests += 1
                async with session.post(url, data=json.dumps({"txs": batch}),
                                        headers={"Content-Type": "application/json"}) as resp:
                    body = await resp.json()
                if resp.status != 200 or body["accepted"] != len(batch):
                    raise RuntimeError(f"broadcast answered {resp.status}: {str(body)[:200]}")
            if finished:
                return

    hexes = [(decode_tx(tx).signer[0] % senders, tx.hex()) for tx in txs]
    tasks = [asyncio.create_task(lane(n)) for n in range(senders)]
    t0, issued = time.monotonic(), 0
    while issued < len(hexes):
        due = min(len(hexes), int((time.monotonic() - t0) * rate) + 1)
        for n, text in hexes[issued:due]:
            lanes[n].append(text)
        issued = due
        for w in wake:
            w.set()
        await asyncio.sleep(0.02)
    finished = True
    for w in wake:
        w.set()
    await asyncio.gather(*tasks)
    return requests
