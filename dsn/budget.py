"""Header payload caps that keep every committed sub-DAG within the kernel's pre-block (dsn/README.md,
"Size limits").

The static limit (:func:`kernel_py.formats.limits.size_limits`) shares the pre-block's payload room
``B`` equally among the ``n · (gc_depth + 1)`` certificates a sub-DAG may hold: safe without any
other rule, but only 36.9 kB per header for 4 nodes at gc_depth 50, while a sub-DAG normally holds
about two rounds. When that share is below ``B / (4n)`` the DSN uses two caps instead:

* a header whose causal history shows the latest leader before it committed (that leader, of the
  highest even round ≤ ``r − 2``, with validity stake of support among the next round's
  certificates of the history: then every honest node commits it) may carry up to ``B / (4n)``
  (**fresh**); any other header up to a quarter of the static share (**idle**);
* a leader's header gets an honest vote only if its causal history down to its GC horizon, less what
  the voter has committed, carries at most ``B`` bytes with its own payload — this alone makes a
  committed sub-DAG fit: the voter's commits all precede the leader's, so the sub-DAG is a subset
  of what it counted.

The caps keep commits going: a fresh header of round ρ in a leader's sub-DAG has ρ ≤ lr + 3 (lr:
the previous committed leader's round), so once headers turn idle after a pause of commits, a
leader's history holds at most ``3n`` fresh headers (``3B / 4``) besides stragglers, and the idle
ones of the whole window hold at most ``B / 4``.
"""

from __future__ import annotations

from dataclasses import dataclass

from kernel_py.formats.limits import SizeLimits, max_certificates, size_limits

FRESH_SHARES_PER_AUTHOR = 4  # B / (4n): 3n fresh headers fill 3/4 of the room
IDLE_FRACTION = 4  # idle headers: 1/4 of the static share, so a window of them fills the last quarter


@dataclass(frozen=True)
class PayloadBudget:
    """``room``: payload bytes a sub-DAG may carry; ``fresh_cap``/``idle_cap``: a header's payload
    with/without a visible recent commit (equal when the static share is large enough: then
    ``dynamic`` is false and no leader check is needed)."""

    static: SizeLimits
    room: int
    fresh_cap: int
    idle_cap: int

    @property
    def dynamic(self) -> bool:
        return self.fresh_cap != self.idle_cap

    @property
    def limits(self) -> SizeLimits:
        """Limits for the worker: batches up to the fresh cap; transactions as the static limits
        (the sequencer's), so any transaction fits an idle header too."""
        s = self.static
        return SizeLimits(s.max_tx, max(s.max_batch, self.fresh_cap), self.fresh_cap, s.max_header_batches)


def payload_budget(n: int, gc_depth: int) -> PayloadBudget:
    """The caps for a committee of ``n`` authorities with GC depth ``gc_depth``."""
    static = size_limits(n, gc_depth)
    room = static.max_header_payload * max_certificates(n, gc_depth)
    fresh = room // (FRESH_SHARES_PER_AUTHOR * n)
    if fresh <= static.max_header_payload:
        return PayloadBudget(static, room, static.max_header_payload, static.max_header_payload)
    return PayloadBudget(static, room, fresh, static.max_header_payload // IDLE_FRACTION)
