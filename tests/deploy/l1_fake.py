"""A fake Tezos L1 node RPC (aiohttp on 127.0.0.1) for the deploy tests.

It decodes injected operations with its own parser, written from the protocol's binary layout
(independent of tezos_l1/forge.py), verifies the Ed25519 signature, counters, fees, limits and the
32 KiB size limit exactly as a mempool would, and includes accepted operations in the next block,
which is baked when the head is next asked for.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
from dataclasses import dataclass, field
from typing import Any

import nacl.exceptions
import nacl.signing
from aiohttp import web
from pytezos.crypto.encoding import base58_decode, base58_encode

CHAIN_ID = base58_encode(b"\x01\x02\x03\x04", b"Net").decode()
PROTOCOL = base58_encode(bytes(32), b"P").decode()
CONSTANTS = {"hard_gas_limit_per_operation": "1040000", "hard_gas_limit_per_block": "1386666",
             "hard_storage_limit_per_operation": "60000", "origination_size": 257,
             "smart_rollup_origination_size": 6314}
GAS = {"reveal": 171_000, "smart_rollup_originate": 2_748_269, "smart_rollup_add_messages": 1_002_473,
       "transaction": 2_104_555, "origination": 1_405_887, "internal_transfer": 1_000_321}  # milligas charged per kind
PVM_KINDS = {1: "wasm_2_0_0"}


class Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def take(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise ValueError("truncated operation")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def u8(self) -> int:
        return self.take(1)[0]

    def u32(self) -> int:
        return int.from_bytes(self.take(4), "big")

    def nat(self) -> int:
        value, shift = 0, 0
        while True:
            b = self.u8()
            value |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                return value


def parse_pkh(r: Reader) -> str:
    tag = r.u8()
    assert tag == 0, "only tz1 sources in this fake"
    return base58_encode(r.take(20), b"tz1").decode()


def parse_content(r: Reader) -> dict[str, Any]:
    """One manager content, decoded from the binary layout of operation_repr.ml."""
    tag = r.u8()
    c: dict[str, Any] = {"source": parse_pkh(r), "fee": str(r.nat()), "counter": str(r.nat()),
                         "gas_limit": str(r.nat()), "storage_limit": str(r.nat())}
    if tag == 107:
        assert r.u8() == 0, "ed25519 public key expected"
        c.update(kind="reveal", public_key=base58_encode(r.take(32), b"edpk").decode())
        assert r.u8() == 0, "no proof expected"
    elif tag == 200:
        kind = PVM_KINDS[r.u8()]
        kernel = r.take(r.u32())
        ty = r.take(r.u32())
        assert ty == bytes([0x03, 105]), "parameters_ty must be the bytes type"
        has_whitelist = r.u8()
        assert has_whitelist == 0
        c.update(kind="smart_rollup_originate", pvm_kind=kind, kernel=kernel.hex(), parameters_ty={"prim": "bytes"})
    elif tag == 201:
        body = Reader(r.take(r.u32()))
        msgs = []
        while body.pos < len(body.data):
            msgs.append(body.take(body.u32()).hex())
        c.update(kind="smart_rollup_add_messages", message=msgs)
    elif tag == 109:
        c.update(kind="origination", balance=str(r.nat()))
        assert r.u8() == 0, "no delegate"
        c["script_bytes"] = (r.take(r.u32()).hex(), r.take(r.u32()).hex())
    elif tag == 108:
        c.update(kind="transaction", amount=str(r.nat()))
        dest_tag = r.u8()
        assert dest_tag == 1, "contract destination expected"
        c["destination"] = base58_encode(r.take(20), b"KT1").decode()
        r.take(1)
        if r.u8() == 0xFF:
            ep = r.u8()
            c["entrypoint"] = r.take(r.u8()).decode() if ep == 0xFF else ep
            c["value_bytes"] = r.take(r.u32()).hex()
    else:
        raise ValueError(f"unexpected content tag {tag}")
    return c


def parse_operation(data: bytes) -> tuple[bytes, list[dict[str, Any]], bytes]:
    """``(branch, contents, signature)`` of a signed operation."""
    r = Reader(data[:-64])
    branch = r.take(32)
    contents = []
    while r.pos < len(r.data):
        contents.append(parse_content(r))
    return branch, contents, data[-64:]


@dataclass
class Account:
    balance: int
    counter: int = 0
    manager_key: str | None = None


@dataclass
class FakeL1:
    """Chain state + the aiohttp app serving it."""

    accounts: dict[str, Account] = field(default_factory=dict)
    level: int = 100
    blocks: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    mempool: list[dict[str, Any]] = field(default_factory=list)
    injected: list[bytes] = field(default_factory=list)
    simulations: int = 0
    forge_override: str | None = None  # hex returned by helpers/forge, to test the cross-check
    remote_forge: Any = None  # callable(branch, contents) -> bytes
    simulation_error: str | None = None  # when set, the last simulated content fails with this error id

    def block_hash(self, level: int) -> str:
        return base58_encode(hashlib.blake2b(level.to_bytes(4, "big"), digest_size=32).digest(), b"B").decode()

    # --- semantics --------------------------------------------------------------------------

    def result(self, c: dict[str, Any], op_seed: bytes, index: int) -> dict[str, Any]:
        res: dict[str, Any] = {"status": "applied", "consumed_milligas": str(GAS[c["kind"]])}
        if c["kind"] == "smart_rollup_originate":
            address = hashlib.blake2b(op_seed + bytes([index]), digest_size=20).digest()
            res.update(address=base58_encode(address, b"sr1").decode(),
                       genesis_commitment_hash=base58_encode(bytes(32), b"src1").decode(),
                       size=str(CONSTANTS["smart_rollup_origination_size"] + 210))  # 6,524 as octez reports
        elif c["kind"] == "origination":
            kt1 = hashlib.blake2b(op_seed + bytes([index]), digest_size=20).digest()
            res.update(originated_contracts=[base58_encode(kt1, b"KT1").decode()], paid_storage_size_diff="380")
        return res

    def internal_results(self, c: dict[str, Any]) -> list[dict[str, Any]]:
        """A contract call emits one internal transfer (the governance contract's TRANSFER_TOKENS)."""
        if c["kind"] != "transaction":
            return []
        return [{"kind": "transaction", "source": c["destination"], "nonce": 0, "amount": "0",
                 "result": {"status": "applied", "consumed_milligas": str(GAS["internal_transfer"])}}]

    def check_and_apply(self, contents: list[dict[str, Any]], op_seed: bytes,
                        sizes: list[int] | None) -> list[dict[str, Any]]:
        """Results of ``contents``; with ``sizes`` (bytes charged per content) also check limits and fees."""
        out = []
        source = contents[0]["source"]
        acct = self.accounts.get(source)
        if acct is None:
            raise ValueError(f"unknown account {source}")
        revealed = acct.manager_key
        for i, c in enumerate(contents):
            if c["source"] != source or int(c["counter"]) != acct.counter + 1 + i:
                raise ValueError(f"counter_in_the_future_or_past: {c['counter']}")
            if c["kind"] == "reveal":
                revealed = c["public_key"]
            elif revealed is None:
                raise ValueError("unrevealed_key")
            res = self.result(c, op_seed, i)
            internal = self.internal_results(c)
            gas = -(-(int(res["consumed_milligas"]) + sum(int(x["result"]["consumed_milligas"]) for x in internal)) // 1000)
            if sizes is not None:
                if int(c["gas_limit"]) < gas:
                    raise ValueError(f"gas_exhausted: limit {c['gas_limit']} < {gas}")
                burn = int(res.get("size", res.get("paid_storage_size_diff", 0)))
                burn += CONSTANTS["origination_size"] * len(res.get("originated_contracts", []))
                if int(c["storage_limit"]) < burn:
                    raise ValueError(f"storage_exhausted: limit {c['storage_limit']} < {burn}")
                minimal = 100 + -(-int(c["gas_limit"]) // 10) + sizes[i]
                if int(c["fee"]) < minimal:
                    raise ValueError(f"fees_too_low: {c['fee']} < {minimal}")
            meta: dict[str, Any] = {"operation_result": res}
            if internal:
                meta["internal_operation_results"] = internal
            out.append({**c, "metadata": meta})
        return out

    # --- HTTP handlers ----------------------------------------------------------------------

    async def header(self, request: web.Request) -> web.Response:
        if self.mempool:  # bake the next block with everything pending
            self.level += 1
            self.blocks[self.level] = self.mempool
            self.mempool = []
        return web.json_response({"level": self.level, "hash": self.block_hash(self.level), "protocol": PROTOCOL})

    async def chain_id(self, request: web.Request) -> web.Response:
        return web.json_response(CHAIN_ID)

    async def constants(self, request: web.Request) -> web.Response:
        return web.json_response(CONSTANTS)

    def _account(self, request: web.Request) -> Account:
        acct = self.accounts.get(request.match_info["address"])
        if acct is None:
            raise web.HTTPNotFound()
        return acct

    async def counter(self, request: web.Request) -> web.Response:
        return web.json_response(str(self._account(request).counter))

    async def balance(self, request: web.Request) -> web.Response:
        return web.json_response(str(self._account(request).balance))

    async def manager_key(self, request: web.Request) -> web.Response:
        return web.json_response(self._account(request).manager_key)

    async def forge(self, request: web.Request) -> web.Response:
        body = await request.json()
        if self.forge_override is not None:
            return web.json_response(self.forge_override)
        return web.json_response(self.remote_forge(body["branch"], body["contents"]).hex())

    async def run_operation(self, request: web.Request) -> web.Response:
        body = await request.json()
        op = body["operation"]
        assert body["chain_id"] == CHAIN_ID
        self.simulations += 1
        try:
            contents = self.check_and_apply(op["contents"], b"sim", None)
        except ValueError as e:
            return web.json_response([{"kind": "temporary", "id": str(e)}], status=500)
        if self.simulation_error is not None:
            contents[-1]["metadata"]["operation_result"] = {"status": "failed",
                                                            "errors": [{"id": self.simulation_error}]}
        return web.json_response({"contents": contents})

    async def inject(self, request: web.Request) -> web.Response:
        raw = bytes.fromhex(await request.json())
        try:
            if len(raw) > 32768:
                raise ValueError("oversized operation")
            branch, contents, sig = parse_operation(raw)
            if base58_encode(branch, b"B").decode() not in {self.block_hash(lv) for lv in range(self.level - 5, self.level + 1)}:
                raise ValueError("unknown branch")
            pk = next((c["public_key"] for c in contents if c["kind"] == "reveal"), None) or \
                self.accounts[contents[0]["source"]].manager_key
            digest = hashlib.blake2b(b"\x03" + raw[:-64], digest_size=32).digest()
            nacl.signing.VerifyKey(base58_decode(pk.encode())).verify(digest, sig)
            applied = self.check_and_apply(contents, raw, self._content_sizes(raw[:-64]))
        except (ValueError, nacl.exceptions.BadSignatureError, KeyError, AssertionError) as e:
            return web.json_response([{"kind": "permanent", "id": f"validation: {e}"}], status=500)
        op_hash = base58_encode(hashlib.blake2b(raw, digest_size=32).digest(), b"o").decode()
        acct = self.accounts[contents[0]["source"]]
        acct.counter += len(contents)
        for c in contents:
            acct.balance -= int(c["fee"])
            if c["kind"] == "reveal":
                acct.manager_key = c["public_key"]
        self.injected.append(raw)
        self.mempool.append({"hash": op_hash, "branch": base58_encode(branch, b"B").decode(),
                             "contents": applied, "signature": base58_encode(sig, b"sig").decode()})
        return web.json_response(op_hash)

    def _content_sizes(self, unsigned: bytes) -> list[int]:
        """Each content's bytes, the first one charged for branch and signature as well."""
        r = Reader(unsigned)
        r.take(32)
        sizes = []
        while r.pos < len(r.data):
            start = r.pos
            parse_content(r)
            sizes.append(r.pos - start + (96 if not sizes else 0))
        return sizes

    async def operations(self, request: web.Request) -> web.Response:
        level = int(request.match_info["level"])
        return web.json_response(self.blocks.get(level, []))

    def app(self) -> web.Application:
        app = web.Application()
        c = "/chains/main"
        app.router.add_get(f"{c}/blocks/head/header", self.header)
        app.router.add_get(f"{c}/chain_id", self.chain_id)
        app.router.add_get(f"{c}/blocks/head/context/constants", self.constants)
        app.router.add_get(f"{c}/blocks/head/context/contracts/{{address}}/counter", self.counter)
        app.router.add_get(f"{c}/blocks/head/context/contracts/{{address}}/balance", self.balance)
        app.router.add_get(f"{c}/blocks/head/context/contracts/{{address}}/manager_key", self.manager_key)
        app.router.add_post(f"{c}/blocks/head/helpers/forge/operations", self.forge)
        app.router.add_post(f"{c}/blocks/head/helpers/scripts/run_operation", self.run_operation)
        app.router.add_get(f"{c}/blocks/{{level}}/operations/3", self.operations)
        app.router.add_post("/injection/operation", self.inject)
        return app


class ServerThread:
    """Runs a FakeL1 app on 127.0.0.1 (ephemeral port) in a background thread."""

    def __init__(self, fake: FakeL1) -> None:
        self.fake = fake
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.runner: web.AppRunner | None = None
        self.url = ""

    def __enter__(self) -> ServerThread:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(10)
        return self

    async def _start(self) -> None:
        self.runner = web.AppRunner(self.fake.app())
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"

    def __exit__(self, *exc: object) -> None:
        assert self.runner is not None
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()
