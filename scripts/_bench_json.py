"""``--json`` for the benchmark scripts: the human summary moves to stderr and one JSON object is
printed on stdout at the end (read by ``scripts/plot``).

Shape (``version`` 1)::

    {"benchmark": "bench_host", "version": 1, "unix_time": 1796395526,
     "params": {...the script's options...},
     "metrics": [{"name": "store_read (64 B)", "group": "host call", "value": 1.9, "unit": "us/call",
                  "reference": "no-op wasmtime-py Func", "ratio": 1.42}, ...]}

``reference`` and ``ratio`` (value / reference value, measured in the same run or published) are null
when a metric has none.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any, TextIO

KEYS = ("name", "group", "value", "unit", "reference", "ratio")


class JsonReport:
    """Collects metrics; :meth:`emit` prints them as JSON on the stdout the script started with."""

    def __init__(self, benchmark: str, enabled: bool, params: dict[str, Any] | None = None) -> None:
        self.benchmark = benchmark
        self.enabled = enabled
        self.params = params or {}
        self.metrics: list[dict[str, Any]] = []
        self.out: TextIO = sys.stdout
        if enabled:
            sys.stdout = sys.stderr  # the human summary still shows, but stdout carries only the JSON

    def add(self, name: str, group: str, value: float, unit: str, reference: str | None = None,
            ratio: float | None = None) -> None:
        self.metrics.append({"name": name, "group": group, "value": value, "unit": unit, "reference": reference,
                             "ratio": None if ratio is None else round(ratio, 4)})

    def emit(self) -> None:
        if not self.enabled:
            return
        sys.stdout.flush()
        doc = {"benchmark": self.benchmark, "version": 1, "unix_time": int(time.time()), "params": self.params,
               "metrics": self.metrics}
        self.out.write(json.dumps(doc, indent=1) + "\n")
        self.out.flush()
