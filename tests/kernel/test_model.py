"""Model-based check of the ledger: random action sequences applied by the kernel and by a plain
Python model of the NodeKit SEQ Gen-1 rules (FORMATS.md §4.2) give the same results and state."""

from __future__ import annotations

import random

import pytest

from kernel_py.formats import tx as txf
from kernel_py.ledger import asset_key, nonce_key
from pvm_host.native import NativeEngine
from tests.kernel.builders import NATIVE, Dag, Harness, make_committee, pk, signed_tx, submit, tx_id, user
from tests.kernel.doubles import checked_kernel_fast_crypto, fast_crypto

U64 = 2**64 - 1
KEYS = [user(10 + i) for i in range(4)]


class Model:
    def __init__(self, allocations: dict[bytes, int]) -> None:
        self.bal = {(owner, NATIVE): v for owner, v in allocations.items()}
        self.assets = {NATIVE: [b"TKN", sum(allocations.values()), NATIVE]}
        self.nonce: dict[bytes, int] = {}

    def sub_err(self, who: bytes, asset: bytes, bal: int, amount: int, verb: str = "subtract") -> bytes:
        return (f"invalid balance: could not {verb} balance (asset={asset.hex()}, bal={bal}, addr={who.hex()}, "
                f"amount={amount})").encode()

    def apply(self, actor: bytes, nonce: int, kind: str, args: tuple, tid: bytes, forged: bool) -> tuple[int, bytes]:
        zero_value = kind in ("transfer", "mint", "burn") and args[-1] == 0
        if zero_value or (kind in ("mint", "modify") and NATIVE in args[:2]):
            return 2, b"field is not populated"
        if forged:
            return 2, b"invalid signature"
        if nonce != self.nonce.get(actor, 0):
            return 2, f"invalid nonce: expected {self.nonce.get(actor, 0)}, got {nonce}".encode()
        self.nonce[actor] = nonce + 1
        get = lambda o, a: self.bal.get((o, a), 0)  # noqa: E731
        if kind == "transfer":
            to, asset, v = args
            if get(actor, asset) < v:
                return 1, self.sub_err(actor, asset, get(actor, asset), v)
            if to != actor:
                if get(to, asset) + v > U64:
                    return 1, self.sub_err(to, asset, get(to, asset), v, "add")
                self.bal[(actor, asset)] = get(actor, asset) - v
                self.bal[(to, asset)] = get(to, asset) + v
        elif kind == "create":
            (meta,) = args
            if len(meta) > 256:
                return 1, b"metadata is too large"
            self.assets[tid] = [meta, 0, actor]
        elif kind == "mint":
            to, asset, v = args
            if asset not in self.assets:
                return 1, b"asset missing"
            if self.assets[asset][2] != actor:
                return 1, b"wrong owner"
            if self.assets[asset][1] + v > U64:
                return 1, b"overflow"
            if get(to, asset) + v > U64:
                return 1, self.sub_err(to, asset, get(to, asset), v, "add")
            self.assets[asset][1] += v
            self.bal[(to, asset)] = get(to, asset) + v
        elif kind == "burn":
            asset, v = args
            if get(actor, asset) < v:
                return 1, self.sub_err(actor, asset, get(actor, asset), v)
            if asset not in self.assets:
                return 1, b"asset missing"
            self.bal[(actor, asset)] = get(actor, asset) - v
            self.assets[asset][1] -= v
        elif kind == "modify":
            asset, owner, meta = args
            if len(meta) > 256:
                return 1, b"metadata is too large"
            if asset not in self.assets:
                return 1, b"asset missing"
            if self.assets[asset][2] != actor:
                return 1, b"wrong owner"
            self.assets[asset][0], self.assets[asset][2] = meta, owner
        return 0, b""


def random_tx(rng: random.Random, model: Model) -> tuple[bytes, bytes, int, str, tuple, bool]:
    key = rng.choice(KEYS)
    actor = pk(key)
    nonce = model.nonce.get(actor, 0) + (0 if rng.random() < 0.9 else rng.choice([-1, 1, 5]))
    nonce = max(nonce, 0)
    assets = list(model.assets) + [bytes([7]) * 32]
    own = [a for a, rec in model.assets.items() if rec[2] == actor]
    asset = rng.choice(own) if own and rng.random() < 0.5 else rng.choice(assets)
    to = pk(rng.choice(KEYS))
    v = rng.choice([0, 1, 2, 3, 50, 50, 120, 999, 5000, U64])
    kind = rng.choice(["transfer", "transfer", "create", "mint", "burn", "modify"])
    if kind == "transfer":
        args, action = (to, asset, v), txf.action_transfer(to, asset, v)
    elif kind == "create":
        meta = rng.randbytes(rng.choice([0, 3, 3, 256, 257]))
        args, action = (meta,), txf.action_create_asset(meta)
    elif kind == "mint":
        args, action = (to, asset, v), txf.action_mint_asset(to, asset, v)
    elif kind == "burn":
        args, action = (asset, v), txf.action_burn_asset(asset, v)
    else:
        meta = rng.randbytes(rng.choice([1, 1, 300]))
        args, action = (asset, to, meta), txf.action_modify_asset(asset, to, meta)
    raw = signed_tx(key, nonce, action)
    forged = rng.random() < 0.05
    if forged:
        raw = raw[:-64] + bytes([raw[-64] ^ 4]) + raw[-63:]
    return raw, actor, nonce, kind, args, forged


@pytest.mark.parametrize("seed,checked", [(1, False), (2, False), (3, True)])
def test_kernel_matches_model(seed: int, checked: bool) -> None:
    """``checked``: the kernel runs under kernel_wasm.native, failing wherever compiled code would."""
    rng = random.Random(seed)
    allocations = {pk(k): 10_000 for k in KEYS[:3]}
    auth = make_committee()
    h = Harness(auth.committee, list(allocations.items()))
    if checked:
        h.engine = NativeEngine(checked_kernel_fast_crypto())
    model = Model(allocations)
    dag = Dag(auth)
    with fast_crypto():
        for _ in range(6):
            batch = [random_tx(rng, model) for _ in range(25)]
            expected = [model.apply(actor, nonce, kind, args, tx_id(raw), forged)
                        for raw, actor, nonce, kind, args, forged in batch]
            results = submit(h, dag, [raw for raw, *_ in batch])
            assert [(s, e) for _, s, e in results] == expected
    for (owner, asset), v in model.bal.items():
        assert h.balance(owner, asset) == v
    for asset, (meta, supply, owner) in model.assets.items():
        raw = h.get(asset_key(asset).decode())
        assert raw == len(meta).to_bytes(2, "big") + meta + supply.to_bytes(8, "big") + owner + b"\x00"
    for actor, n in model.nonce.items():
        assert h.u64(nonce_key(actor).decode()) == n
