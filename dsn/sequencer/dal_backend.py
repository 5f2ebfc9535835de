"""Posting through the DAL (``dsn sequencer run --da dal``): a rollup backend whose ``inject`` sends
the framed contents through DAL slots instead of the rollup inbox.

Once per L1 block, as soon as it sees the block (the L1 head, ``GET /chains/main/blocks/head/header``,
polled every ``poll`` seconds; not the rollup's level, which moves only once the kernel has run the
level: when that takes longer than a block interval the next block is built as soon as the level ends,
and publishing at each rollup level then always missed the next block and published in every other
block at best), :class:`DalBackend` packs the queued contents (pages and announcements, in order)
into records (FORMATS.md §2.2, :mod:`dsn.sequencer.dal_slots`) filling at most one slot per
configured index, posts the slots to the DAL node (``POST /slots``, concurrently; full slots are
posted ahead, between blocks, so a publication mostly injects), and publishes
their commitments in signed operations of ``dal_publish_commitment`` contents through
``POST /injection/operation`` on the L1 endpoint. The protocol allows **one manager operation per
source per block**, so the slot indices are split into contiguous runs, one per publisher key
(``keys``; every key's tz1 must be in the kernel's ``/dal/publishers``): each key publishes its run's
slots in one operation per level. The kernel reads one level's attested slots publisher by publisher
in the ``Dal_attested_slots`` message's order (ascending 21-byte public key hash on the local L1),
then by index, so the keys take the runs in that order: contents posted in one level are then read in
posting order. With one key, all slots go in one operation (a batch of publish contents, which the
local L1 accepts; several keys avoid relying on batching and keep each operation small).

It then finds the level P that included each header: the first L1 block from the level it was
injected at whose manager operations (``GET /chains/main/blocks/P/operations/3``) hold an applied
``dal_publish_commitment`` of the same source, slot index **and commitment** (an index alone could be
an earlier publication of the same index, or another publisher's), and asks
``GET /levels/P/slots/i/status`` once the L1 head has reached P + lag (the slots' requests at once,
again only while the answer is still ``waiting_attestation``):

- ``attested``: done once the rollup has processed level P + lag (the kernel imported it);
- ``unattested`` (or the header never appeared within ``publish_timeout`` levels, or it was published
  before contents posted ahead of it in the kernel's reading order — lower level, or same level and
  lower index): the slot and every slot posted after it are posted again at a later level, in order.

Two rules keep honest operation free of kernel rejections (``/rejections/count``). A new level's slots
are published only once every slot in flight has its header found (with several keys, one key's
operation can miss a block; publishing on would let the next level's slots be read before it).
And before packing, the pre-blocks at the queue's front that the kernel already applied (announcement
index ≤ ``/dsn/last_index``) are dropped, so a re-post never sends the kernel a copy it would refuse.
Pages are content-addressed and a pre-block's announcement always follows its pages, so a re-posted
pre-block is applied once.

``pending()`` counts queued contents and slots not yet done, so the DA task's resynchronisation
(:mod:`dsn.sequencer.da_task`) waits for them; what it re-posts after a loss goes through here again.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from dataclasses import dataclass
from typing import Any

from pytezos.michelson.forge import forge_address

from dsn.sequencer.dal_slots import RECORD_HEADER
from dsn.sequencer.rollup_backend import RollupBackend
from dsn.sequencer.state import KernelState
from pvm_host.http_json import HttpJsonError, request_json
from pvm_host.rollup_client import RollupRpcError
from tezos_l1.forge import forge_unsigned
from tezos_l1.keys import Key

log = logging.getLogger("dsn.sequencer.dal")

ZERO_BRANCH = "BLockGenesisGenesisGenesisGenesisGenesisf79b5d1CoW2"  # base58 of 32 zero bytes
PUBLISH_GAS = 1_160
PUBLISH_FEE = 100 + 116 + 200  # octez minimal fee: 100 µꜩ + 0.1 µꜩ/gas + 1 µꜩ/byte (≈ 180 B)


class DalError(Exception):
    """The DAL node or the L1 refused a request (``status``: HTTP status, None = unreachable)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class DalParams:
    """What the sequencer needs of ``GET /protocol_parameters``."""

    number_of_slots: int
    attestation_lag: int
    slot_size: int
    page_size: int

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> "DalParams":
        crypto = raw["cryptobox_parameters"]
        return cls(int(raw["number_of_slots"]), int(raw["attestation_lag"]), int(crypto["slot_size"]),
                   int(crypto["page_size"]))


_BYTE_TEXT = [str(b).encode() for b in range(256)]


def slot_body(data: bytes) -> bytes:
    """Octez's JSON form of slot bytes: a string when they are UTF-8, else compact
    ``{"invalid_utf8_string":[b0,…]}`` (≤ 4 characters per byte; built by joining per-byte texts,
    ~6× faster than ``json.dumps`` of the list for a 380,832-byte slot)."""
    try:
        return json.dumps(data.decode("utf-8")).encode()
    except UnicodeDecodeError:
        return b'{"invalid_utf8_string":[' + b",".join([_BYTE_TEXT[b] for b in data]) + b"]}"


class DalRpc:
    """The octez DAL-node and L1 shell RPCs the poster uses (blocking; called in threads)."""

    def __init__(self, dal_url: str, l1_url: str, timeout: float = 30.0) -> None:
        self.dal_url = dal_url.rstrip("/")
        self.l1_url = l1_url.rstrip("/")
        self.timeout = timeout

    def _call(self, url: str, method: str = "GET", body: Any = None) -> Any:
        try:
            return request_json(url, method, body, self.timeout)
        except HttpJsonError as exc:
            raise DalError(f"{method} {url}: {exc.detail if exc.kind == 'unreachable' else exc}", exc.status) from exc

    def parameters(self) -> DalParams:
        return DalParams.from_json(self._call(self.dal_url + "/protocol_parameters"))

    def post_slot(self, data: bytes, index: int) -> tuple[str, str]:
        """``POST /slots``: (commitment ``sh…``, proof hex) of ``data`` zero-padded to a slot."""
        url = f"{self.dal_url}/slots?slot_index={index}"
        req = urllib.request.Request(url, data=slot_body(data), method="POST")
        req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                answer = json.loads(resp.read())
        except urllib.error.HTTPError as exc:
            raise DalError(f"POST {url}: HTTP {exc.code}: {exc.read()[:300]!r}", exc.code) from exc
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise DalError(f"POST {url}: {exc}") from exc
        return str(answer["commitment"]), str(answer["commitment_proof"])

    def publications(self, level: int) -> list[tuple[str, int, str]]:
        """(source, slot index, commitment) of each ``dal_publish_commitment`` block ``level`` applied
        (its manager operations; a content whose ``metadata`` says another status than ``applied``, e.g.
        a duplicate index, is left out). A block the L1 does not have is a DalError with status 404."""
        ops = self._call(f"{self.l1_url}/chains/main/blocks/{level}/operations/3")
        out: list[tuple[str, int, str]] = []
        try:
            for op in ops:
                for c in op["contents"]:
                    result = c.get("metadata", {}).get("operation_result", {}).get("status", "applied")
                    if c["kind"] == "dal_publish_commitment" and result == "applied":
                        header = c["slot_header"]
                        out.append((str(c["source"]), int(header["slot_index"]), str(header["commitment"])))
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise DalError(f"block {level}: unexpected operations JSON ({type(exc).__name__}: {exc})") from exc
        return out

    def status(self, level: int, index: int) -> str:
        """``attested`` | ``waiting_attestation`` | ``unattested`` | ``unpublished``."""
        answer = self._call(f"{self.dal_url}/levels/{level}/slots/{index}/status")
        return str(answer["kind"]) if isinstance(answer, dict) else str(answer)

    def inject(self, signed: bytes) -> str:
        return str(self._call(self.l1_url + "/injection/operation", "POST", signed.hex()))

    def branch(self) -> str:
        """The L1 head's hash (octez), or the zero branch when the endpoint has no such route (local L1)."""
        try:
            return str(self._call(self.l1_url + "/chains/main/blocks/head/hash"))
        except DalError as exc:
            if exc.status == 404:
                return ZERO_BRANCH
            raise

    def head_level(self) -> int | None:
        """The L1 head's level (``…/blocks/head/header``), None when the endpoint has no such route."""
        try:
            return int(self._call(self.l1_url + "/chains/main/blocks/head/header")["level"])
        except DalError as exc:
            if exc.status == 404:
                return None
            raise
        except (KeyError, TypeError, ValueError) as exc:
            raise DalError(f"the L1 head's header has no level ({type(exc).__name__}: {exc})") from exc

    def revealed(self, pkh: str) -> bool | None:
        """Whether the source's key is revealed on L1 (``…/manager_key`` not null), None if unknown."""
        path = f"/chains/main/blocks/head/context/contracts/{urllib.parse.quote(pkh)}/manager_key"
        try:
            return self._call(self.l1_url + path) is not None
        except DalError as exc:
            if exc.status == 404:
                return None
            raise

    def counter(self, pkh: str) -> int | None:
        """The source's L1 counter (octez), or None when the endpoint does not know it (local L1)."""
        path = f"/chains/main/blocks/head/context/contracts/{urllib.parse.quote(pkh)}/counter"
        try:
            return int(self._call(self.l1_url + path))
        except DalError as exc:
            if exc.status == 404:
                return None
            raise


@dataclass
class PostedSlot:
    """A slot whose commitment ``sh…`` was injected by ``source`` at L1 level ``injected_at``."""

    index: int
    contents: list[bytes]
    injected_at: int
    source: str
    commitment: str
    published: int | None = None
    status: str = "waiting_attestation"  # the DAL node's last answer (asked once the lag has passed)


@dataclass
class ReadySlot:
    """A full slot posted to the DAL node ahead of the next publication (``commitment`` ``sh…``, ``proof`` hex)."""

    contents: list[bytes]
    data: bytes
    commitment: str
    proof: str


@dataclass
class DalStats:
    slots: int = 0
    bytes: int = 0
    operations: int = 0
    reposted: int = 0
    attested: int = 0
    refused: int = 0
    dropped: int = 0  # queued pre-blocks not posted because the kernel had already applied them
    blocks: int = 0  # L1 blocks seen
    publications: int = 0  # L1 blocks in which the poster published (at most one publication per block)
    held: int = 0  # publications put off because a header in flight was not found yet
    post_seconds: float = 0.0  # spent building and posting slots to the DAL node at publication time
    preposted: int = 0  # full slots posted to the DAL node ahead of their publication
    publish_seconds: float = 0.0  # spent publishing (posting slots, then injecting the operations)
    follow_seconds: float = 0.0  # spent following the slots in flight (headers, attestation statuses)


def pack(queue: deque[bytes], slot_size: int, slots: int, full_only: bool = False) -> list[list[bytes]]:
    """Take contents from the front of ``queue`` into at most ``slots`` slots of records (a record
    never spans two slots). With ``full_only``, only slots the queue's next record would not fit in:
    a last slot the queue does not fill stays in the queue."""
    out: list[list[bytes]] = []
    while queue and len(out) < slots:
        used, taken = 0, []
        while queue and used + RECORD_HEADER + len(queue[0]) <= slot_size:
            used += RECORD_HEADER + len(queue[0])
            taken.append(queue.popleft())
        if not taken:
            raise ValueError(f"a {len(queue[0])}-byte contents does not fit a {slot_size}-byte slot")
        if full_only and not queue:
            queue.extendleft(reversed(taken))
            break
        out.append(taken)
    return out


def slot_data(records: list[bytes]) -> bytes:
    """A slot's bytes: its records ``u16 BE length ‖ contents``, in order (the DAL node pads them)."""
    return b"".join(len(c).to_bytes(RECORD_HEADER, "big") + c for c in records)


def publisher_hash(key: Key) -> bytes:
    """The 21-byte public key hash (curve tag ‖ 20 bytes) by which ``Dal_attested_slots`` orders publishers."""
    return forge_address(key.address, tz_only=True)


@dataclass
class Publisher:
    """A publisher key, the slot indices it publishes, and what the poster knows of its L1 account."""

    key: Key
    slots: list[int]
    counter: int | None = None  # None: (re)read from the L1 before the next operation
    revealed: bool = False


def split_slots(slots: list[int], keys: int) -> list[list[int]]:
    """Contiguous runs of the sorted ``slots``, one per key (the first runs one longer when uneven)."""
    if keys < 1:
        raise ValueError("the DAL poster needs at least one publisher key")
    if keys > len(slots):
        raise ValueError(f"{keys} publisher keys for {len(slots)} slot indices: give at most one key per slot")
    base, extra = divmod(len(slots), keys)
    runs, start = [], 0
    for k in range(keys):
        end = start + base + (1 if k < extra else 0)
        runs.append(slots[start:end])
        start = end
    return runs


class DalBackend:
    """A :class:`RollupBackend` (reads go to ``inner``) whose injections travel through the DAL."""

    def __init__(self, inner: RollupBackend, rpc: DalRpc, keys: Key | list[Key], slots: list[int], params: DalParams,
                 poll: float = 0.2, publish_timeout: int = 5) -> None:
        if not slots:
            raise ValueError("--da dal needs at least one slot index")
        bad = [i for i in slots if not 0 <= i < params.number_of_slots]
        if bad:
            raise ValueError(f"slot indices {bad} are outside 0 … {params.number_of_slots - 1}")
        key_list = sorted([keys] if isinstance(keys, Key) else keys, key=publisher_hash)  # the kernel's order
        if len({k.address for k in key_list}) != len(key_list):
            raise ValueError("the DAL publisher keys must be distinct (one manager operation per source per block)")
        self.inner = inner
        self.address = inner.address
        self.rpc = rpc
        self.slots = sorted(set(slots))
        self.publishers = [Publisher(k, run) for k, run in zip(key_list, split_slots(self.slots, len(key_list)))]
        self.params = params
        self.poll = poll
        self.publish_timeout = publish_timeout
        self.queue: deque[bytes] = deque()
        self.in_flight: list[PostedSlot] = []
        self.ready: list[ReadySlot] = []  # full slots already posted, published next (the k-th at slots[k])
        self.rank = {index: r for r, index in enumerate(self.slots)}  # the kernel's reading order in a level
        self.blocks: dict[int, frozenset[tuple[str, int, str]]] = {}  # level -> its publications (past levels)
        self.state = KernelState(inner)
        self.stats = DalStats()
        self.task: asyncio.Task[None] | None = None
        self._held_at = -1  # the last L1 head at which a publication was held back

    # ---- RollupBackend ------------------------------------------------------------------------

    async def value(self, key: str) -> bytes | None:
        return await self.inner.value(key)

    async def subkeys(self, key: str) -> list[str]:
        return await self.inner.subkeys(key)

    async def level(self) -> int:
        return await self.inner.level()

    async def inject(self, frames: list[bytes]) -> None:
        """Queue the contents of external payloads ``00 ‖ address ‖ contents`` for the DAL."""
        prefix = b"\x00" + self.address
        for frame in frames:
            if not frame.startswith(prefix) or len(frame) == len(prefix):
                raise ValueError("a DAL record must be an external payload addressed to this rollup")
            self.queue.append(frame[len(prefix):])

    async def pending(self) -> int:
        return len(self.queue) + len(self.ready) + len(self.in_flight) + await self.inner.pending()

    async def close(self, drain: float = 8.0) -> None:
        """Stop posting; first, for up to ``drain`` seconds, publish what is queued and wait for the
        slots in flight (a graceful stop then leaves nothing to post again at restart)."""
        if self.task is not None:
            self.task.cancel()
            await asyncio.gather(self.task, return_exceptions=True)
        try:
            await asyncio.wait_for(self.run(until_idle=True), drain)
        except (asyncio.TimeoutError, DalError, RollupRpcError, OSError) as exc:
            log.warning("DAL: stopping with %d contents queued and %d slots in flight (%s)", len(self.queue),
                        len(self.in_flight), type(exc).__name__)
        await self.inner.close()

    # ---- posting ------------------------------------------------------------------------------

    def start(self) -> None:
        self.task = asyncio.create_task(self.run())

    async def run(self, until_idle: bool = False) -> None:
        """Follow the slots in flight whenever the L1 head or the rollup's level moves, and publish what
        is queued once per L1 block, as soon as the block is seen (forever, or ``until_idle``: until
        nothing is queued or in flight).

        The clock is the L1 head (``…/blocks/head/header``; the rollup's level when the endpoint has no
        such route), not the rollup's level: a rollup node sees a block only once its kernel has run the
        level, and when that takes longer than a block interval the next block is built as soon as the
        level ends, so a publication made at each rollup level always missed the next block, found its
        header a level later and published in every other block at best."""
        last_level, last_head, published_at = -1, -1, -1
        while not (until_idle and not self.queue and not self.ready and not self.in_flight):
            try:
                level = await self.inner.level()
                head = await asyncio.to_thread(self.rpc.head_level)
                head = level if head is None else max(head, level)
                if level < last_level and self.in_flight:  # a new chain (the node restarted with a fresh state)
                    self._repost(0, f"the L1 level went back from {last_level} to {level}")
                    published_at = -1
                moved = head >= 0 and (level, head) != (last_level, last_head)  # -1: the node has no block yet
                if moved:
                    if head != last_head:
                        self.stats.blocks += 1
                    last_level, last_head = level, head
                    await self.follow(level, head, ask=False)  # headers first: publishing waits for them
                if (self.queue or self.ready) and head >= 0 and head != published_at and await self.publish(head):
                    published_at = head
                if moved:
                    await self.follow(level, head)  # then the attestation statuses
                if not until_idle:
                    await self.prepare()
            except (DalError, RollupRpcError) as exc:  # the DAL node, L1 or rollup node is restarting
                log.warning("DAL: %s; retrying", exc)
                await asyncio.sleep(max(self.poll, 0.5))
            await asyncio.sleep(self.poll)

    async def publish(self, level: int) -> bool:
        """Post up to one slot per index (all concurrently), then inject each publisher's operation, in
        slot order; ``level`` is the L1 head the operations are injected at. From the first operation
        that fails on, the slots go back to the queue's front. Nothing is published while a slot in
        flight has no header found yet (``stats.held``), and the queue's leading pre-blocks that the
        kernel already applied are dropped first. Returns whether operations were injected or refused
        (False: held back, or nothing left to post)."""
        if any(slot.published is None for slot in self.in_flight):
            if self._held_at != level:
                self._held_at = level
                self.stats.held += 1
            return False
        applied = await self.state.last_index()
        if any(c[:1] == b"\x02" and int.from_bytes(c[1:9], "big") <= applied for r in self.ready for c in r.contents):
            self._unready()  # (only after a re-post) the kernel has some of them: drop those from the queue
        await self.drop_applied(applied)
        ready, self.ready = self.ready, []
        rest = pack(self.queue, self.params.slot_size, len(self.slots) - len(ready))
        if not ready and not rest:
            return False
        started = time.monotonic()
        batch = [r.contents for r in ready] + rest
        datas = [r.data for r in ready] + [slot_data(records) for records in rest]
        indices = self.slots[:len(batch)]
        try:
            posted = await self._post_slots(datas[len(ready):], indices[len(ready):])
            branch = await asyncio.to_thread(self.rpc.branch)
        except DalError:
            self._requeue(batch)
            raise
        headers = [(r.commitment, r.proof) for r in ready] + posted
        self.stats.post_seconds += time.monotonic() - started
        n = 0
        for pub in self.publishers:
            take = len([i for i in pub.slots if i in indices])
            if take == 0:
                break
            try:
                await self._inject(pub, branch, indices[n:n + take], headers[n:n + take])
            except DalError as exc:
                self._requeue(batch[n:])
                if exc.status is not None and 400 <= exc.status < 500:
                    self.stats.refused += 1
                    pub.counter = None
                    log.warning("DAL: publication by %s refused at level %d (%s); retrying at the next level",
                                pub.key.address, level, exc)
                    return True
                raise
            for k in range(n, n + take):
                self.in_flight.append(PostedSlot(indices[k], batch[k], level, pub.key.address, headers[k][0]))
                self.stats.bytes += len(datas[k])
            self.stats.slots += take
            self.stats.operations += 1
            n += take
        self.stats.publications += 1
        self.stats.publish_seconds += time.monotonic() - started
        log.debug("DAL: level %d: published %d slot(s) %s", level, len(batch), indices)
        return True

    async def _inject(self, pub: Publisher, branch: str, indices: list[int], headers: list[tuple[str, str]]) -> None:
        """One signed operation of ``pub``: its reveal if needed, then one publish content per slot."""
        if pub.counter is None:  # (re)read after a refusal: the L1 is the authority
            pub.counter = await asyncio.to_thread(self.rpc.counter, pub.key.address) or 0
            known = await asyncio.to_thread(self.rpc.revealed, pub.key.address)
            pub.revealed = pub.revealed if known is None else known
        header = {"source": pub.key.address, "fee": str(PUBLISH_FEE), "gas_limit": str(PUBLISH_GAS), "storage_limit": "0"}
        contents: list[dict[str, Any]] = []
        if not pub.revealed:
            contents.append({"kind": "reveal", **header, "counter": str(pub.counter + 1), "gas_limit": "1000",
                             "public_key": pub.key.public_key})
        for index, (commitment, proof) in zip(indices, headers):
            contents.append({"kind": "dal_publish_commitment", **header, "counter": str(pub.counter + len(contents) + 1),
                             "slot_header": {"slot_index": index, "commitment": commitment, "commitment_proof": proof}})
        unsigned = forge_unsigned(branch, contents)
        await asyncio.to_thread(self.rpc.inject, unsigned + pub.key.sign_operation(unsigned))
        pub.counter += len(contents)
        pub.revealed = True

    async def prepare(self) -> None:
        """Post the queue's full slots to the DAL node ahead of the next publication (at most one per
        slot index, concurrently), so a publication mostly injects: posting every slot when a block
        is seen took 0.4–0.6 s under load and made the operation miss the next block. A slot is full
        when the queue's next record would not fit in it; the rest waits for the publication."""
        batch = pack(self.queue, self.params.slot_size, len(self.slots) - len(self.ready), full_only=True)
        if not batch:
            return
        datas = [slot_data(records) for records in batch]
        try:
            headers = await self._post_slots(datas, self.slots[len(self.ready):len(self.ready) + len(batch)])
        except DalError:
            self._requeue(batch)
            raise
        self.ready += [ReadySlot(records, d, c, p) for records, d, (c, p) in zip(batch, datas, headers)]
        self.stats.preposted += len(batch)

    async def _post_slots(self, datas: list[bytes], indices: list[int]) -> list[tuple[str, str]]:
        """Post each slot's bytes to the DAL node for its index, concurrently: their (commitment, proof)."""
        return list(await asyncio.gather(*(asyncio.to_thread(self.rpc.post_slot, d, i) for d, i in zip(datas, indices))))

    def _unready(self) -> None:
        """Put the slots posted ahead back at the front of the queue (their contents are packed again)."""
        self._requeue([r.contents for r in self.ready])
        self.ready = []

    async def drop_applied(self, applied: int | None = None) -> int:
        """Drop the queue's leading pre-blocks (pages, then an announcement) whose index is at most the
        kernel's ``/dsn/last_index`` (``applied``, read when not given): the kernel would refuse them.
        Returns how many were dropped."""
        if applied is None:
            applied = await self.state.last_index()
        dropped = 0
        while True:
            pages = 0
            while pages < len(self.queue) and self.queue[pages][:1] == b"\x01":
                pages += 1
            if pages == len(self.queue) or self.queue[pages][:1] != b"\x02" \
                    or int.from_bytes(self.queue[pages][1:9], "big") > applied:
                self.stats.dropped += dropped
                return dropped
            for _ in range(pages + 1):
                self.queue.popleft()
            dropped += 1

    def _requeue(self, batch: list[list[bytes]]) -> None:
        """Put slots that were not published back at the front of the queue, in order."""
        for records in reversed(batch):
            self.queue.extendleft(reversed(records))

    async def _publications(self, level: int, head: int,
                            seen: dict[int, frozenset[tuple[str, int, str]]]) -> frozenset[tuple[str, int, str]]:
        """The publications of block ``level`` (kept once ``level`` is below the ``head`` level, and in
        ``seen`` for the caller's pass)."""
        found = self.blocks.get(level, seen.get(level))
        if found is None:
            try:
                found = frozenset(await asyncio.to_thread(self.rpc.publications, level))
            except DalError as exc:
                if exc.status != 404:
                    raise
                found = frozenset()  # not made yet, or no longer kept: the header is not found there
            seen[level] = found
            if level < head:
                self.blocks[level] = found
        return found

    async def _published_level(self, slot: PostedSlot, head: int,
                               seen: dict[int, frozenset[tuple[str, int, str]]]) -> int | None:
        """The first level from ``slot.injected_at`` to ``head`` whose block applied the slot's header
        (same source, index and commitment), or None."""
        for candidate in range(max(slot.injected_at, 0), head + 1):
            if (slot.source, slot.index, slot.commitment) in await self._publications(candidate, head, seen):
                return candidate
        return None

    async def follow(self, level: int, head: int | None = None, ask: bool = True) -> None:
        """Settle the slots in flight, in posting order: find their published level in the blocks up to
        the L1 ``head`` (default ``level``; one block read per block while a header is not found yet),
        then (``ask``) their attestation (one status request per slot once ``head`` reaches its
        published level plus the lag, all at once); a slot is done once attested and the rollup's
        ``level`` has reached that level (the kernel imported it). Without ``ask`` the statuses already
        known are used: the poster finds the headers and publishes before it asks (the requests took
        0.1–0.3 s under load, and the publication must make the next block).

        The kernel reads attested slots level by level, and within a level in publisher-then-index
        order (the slot order here), so contents must never be read before contents posted ahead of
        them: when several publisher keys' operations land in different blocks, a later key's slots
        would be read first and their announcements refused (``unexpected pre-block index``). Such a
        slot is posted again with everything after it, and a slot is done only once every slot posted
        before it is."""
        started = time.monotonic()
        head = level if head is None else head
        lag = self.params.attestation_lag
        seen: dict[int, frozenset[tuple[str, int, str]]] = {}  # blocks read during this call (the head's too)
        for slot in self.in_flight:
            if slot.published is None:
                slot.published = await self._published_level(slot, head, seen)
        asking = [slot for slot in self.in_flight if ask and slot.published is not None
                  and slot.status != "attested" and head >= slot.published + lag]
        answers = await asyncio.gather(*(asyncio.to_thread(self.rpc.status, s.published, s.index) for s in asking))
        for slot, status in zip(asking, answers):
            slot.status = status
        done = 0
        highest = (-1, -1)  # the latest (published level, reading rank) of the slots before this one
        for n, slot in enumerate(self.in_flight):
            if slot.published is None:
                if head > slot.injected_at + self.publish_timeout:
                    self._repost(n, f"its header did not appear within {self.publish_timeout} levels")
                    break
                highest = max(highest, (head + 1, -1))  # it can only be published after anything known now
                continue
            order = (slot.published, self.rank[slot.index])
            if order < highest:
                self._repost(n, f"slot {slot.index} was published at level {slot.published}, to be read before "
                                f"contents posted ahead of it (level {highest[0]})")
                break
            highest = order
            if slot.status == "unattested":
                self._repost(n, f"slot {slot.index} of level {slot.published} was not attested")
                break
            if slot.status == "attested" and level >= slot.published + lag and done == n:
                done = n + 1
        self.stats.attested += done
        self.in_flight = self.in_flight[done:]
        searching = [s.injected_at for s in self.in_flight if s.published is None]
        oldest = min(searching, default=head)
        self.blocks = {p: ops for p, ops in self.blocks.items() if p >= oldest}
        self.stats.follow_seconds += time.monotonic() - started

    def _repost(self, n: int, why: str) -> None:
        """Post slot ``n`` of the slots in flight and every later one again, before the queue."""
        again = self.in_flight[n:]
        self.in_flight = self.in_flight[:n]
        self._unready()  # the slots posted ahead come after those posted again
        for slot in reversed(again):
            self.queue.extendleft(reversed(slot.contents))
        self.stats.reposted += len(again)
        log.warning("DAL: %s; posting %d slot(s) again", why, len(again))


async def probe_dal(dal_url: str, timeout: float = 5.0) -> DalParams | None:
    """The DAL parameters when ``dal_url`` answers ``GET /protocol_parameters``, else None."""
    try:
        return await asyncio.to_thread(DalRpc(dal_url, dal_url, timeout).parameters)
    except (DalError, KeyError, TypeError, ValueError):
        return None
