"""Minimal JSON client for the Tezos L1 node RPC (the endpoints the deploy flow needs)."""

from __future__ import annotations

from typing import Any

from pvm_host.http_json import HttpJsonError, request_json

CHAIN = "/chains/main"


class RpcError(RuntimeError):
    """The node answered with an error, or could not be reached."""


class L1Client:
    """Blocking JSON-over-HTTP calls to an octez node at ``base_url`` (e.g. ``http://127.0.0.1:8732``)."""

    def __init__(self, base_url: str, timeout: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        try:
            return request_json(self.base_url + path, method, body, self.timeout)
        except HttpJsonError as e:
            reason = f"cannot reach {self.base_url}: {e.detail}" if e.kind == "unreachable" else str(e)
            raise RpcError(f"{method} {path}: {reason}") from e

    def get(self, path: str) -> Any:
        return self._call("GET", path)

    def post(self, path: str, body: Any) -> Any:
        return self._call("POST", path, body)

    # --- reads --------------------------------------------------------------------------------

    def chain_id(self) -> str:
        return self.get(f"{CHAIN}/chain_id")

    def head_header(self) -> dict[str, Any]:
        """``{"level", "hash", "protocol", ...}`` of the current head."""
        return self.get(f"{CHAIN}/blocks/head/header")

    def constants(self) -> dict[str, Any]:
        return self.get(f"{CHAIN}/blocks/head/context/constants")

    def counter(self, address: str) -> int:
        return int(self.get(f"{CHAIN}/blocks/head/context/contracts/{address}/counter"))

    def balance(self, address: str) -> int:
        """Balance in mutez."""
        return int(self.get(f"{CHAIN}/blocks/head/context/contracts/{address}/balance"))

    def manager_key(self, address: str) -> str | None:
        """The revealed public key, or None while the account is unrevealed."""
        return self.get(f"{CHAIN}/blocks/head/context/contracts/{address}/manager_key")

    def block_operations(self, level: int, validation_pass: int = 3) -> list[dict[str, Any]]:
        """Operations of one validation pass of a block (3 = manager operations)."""
        return self.get(f"{CHAIN}/blocks/{level}/operations/{validation_pass}")

    # --- helpers and injection ----------------------------------------------------------------

    def forge(self, branch: str, contents: list[dict[str, Any]]) -> bytes:
        """The node's own forging of an operation (used to cross-check local forging)."""
        return bytes.fromhex(self.post(f"{CHAIN}/blocks/head/helpers/forge/operations",
                                       {"branch": branch, "contents": contents}))

    def run_operation(self, operation: dict[str, Any], chain_id: str) -> dict[str, Any]:
        """Simulate an operation (signature not checked) and return it with metadata."""
        return self.post(f"{CHAIN}/blocks/head/helpers/scripts/run_operation",
                         {"operation": operation, "chain_id": chain_id})

    def inject(self, signed: bytes) -> str:
        """Inject signed operation bytes; returns the operation hash."""
        return self.post("/injection/operation", signed.hex())
