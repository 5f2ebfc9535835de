"""Groups concurrent submissions into one DSN call (``SubmitTransactions``) per short window, each call
at most ``max_txs`` transactions and ``max_bytes`` bytes (below the DSN's 64 MiB request limit)."""

from __future__ import annotations

import asyncio

from dsn.sequencer.sources import PreBlockSource


class Submitter:
    """``await submit(txs)`` returns once the source accepted them (or raises its error)."""

    def __init__(self, source: PreBlockSource, window: float = 0.01, max_txs: int = 2000,
                 max_bytes: int = 32 << 20) -> None:
        self.source = source
        self.window = window
        self.max_txs = max_txs
        self.max_bytes = max_bytes
        self.pending: list[tuple[list[bytes], asyncio.Future[None]]] = []
        self.flusher: asyncio.Task[None] | None = None

    async def submit(self, txs: list[bytes]) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.pending.append((txs, future))
        if self.flusher is None or self.flusher.done():
            self.flusher = asyncio.create_task(self._flush())
        await future

    async def _flush(self) -> None:
        await asyncio.sleep(self.window)
        while self.pending:
            group, size, nbytes = [], 0, 0
            while self.pending and (not group or (size + len(self.pending[0][0]) <= self.max_txs and
                                                  nbytes + sum(map(len, self.pending[0][0])) <= self.max_bytes)):
                item = self.pending.pop(0)
                group.append(item)
                size += len(item[0])
                nbytes += sum(map(len, item[0]))
            try:
                await self.source.submit([tx for txs, _ in group for tx in txs])
            except Exception as exc:  # every waiter of the group gets the error
                for _, f in group:
                    if not f.done():
                        f.set_exception(exc)
            else:
                for _, f in group:
                    if not f.done():
                        f.set_result(None)
