"""Listening ports: binding with brief retries, and the OS's ephemeral port range."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Awaitable, Callable, TypeVar

log = logging.getLogger(__name__)

BIND_TIMEOUT_S = 10.0
BIND_RETRY_S = 0.5
T = TypeVar("T")


async def bind_with_retry(bind: Callable[[], Awaitable[T]], what: str, timeout: float = BIND_TIMEOUT_S) -> T:
    """Call ``bind`` until it succeeds; a port taken (e.g. by a lingering socket or an outgoing
    connection that got it as its ephemeral port) is retried for ``timeout`` seconds, then an
    ``OSError`` names the port."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    warned = False
    while True:
        try:
            return await bind()
        except OSError as e:
            if loop.time() >= deadline:
                raise OSError(f"cannot listen on {what}: {e.strerror or e} (still taken after {timeout:.0f} s; "
                              "another process or connection holds the port)") from None
            if not warned:
                log.warning("cannot listen on %s yet (%s); retrying for %.0f s", what, e.strerror or e, timeout)
                warned = True
            await asyncio.sleep(BIND_RETRY_S)


def ephemeral_range(path: Path = Path("/proc/sys/net/ipv4/ip_local_port_range")) -> tuple[int, int]:
    """The range the OS picks outgoing connections' local ports from (Linux default 32768–60999)."""
    try:
        low, high = path.read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999


def overlaps_ephemeral(ports: list[int]) -> list[int]:
    """The ``ports`` inside the ephemeral range (an outgoing connection may hold them)."""
    low, high = ephemeral_range()
    return [p for p in ports if low <= p <= high]
