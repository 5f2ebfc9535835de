"""`dsn sequencer run --mock-rollup --mock-consensus` as a real process, for tests that need its HTTP API."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dsn.sequencer.stack import stop_process, wait_http


@contextmanager
def mock_sequencer(base: Path, funded_pk_hex: str, amount: int) -> Iterator[str]:
    """Start the one-process sequencer in ``base`` with ``amount`` of the native asset for the key;
    yield its URL once ``/health`` answers; stop it afterwards."""
    log = open(base / "log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "dsn", "sequencer", "run", "--mock-rollup", "--mock-consensus",
                             "--port", "0", "--data-dir", str(base / "data"), "--fund", f"{funded_pk_hex}={amount}",
                             "--block-time", "0.2"], stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        url = None
        for _ in range(600):
            text = (base / "log").read_text()
            if "sequencer listening on " in text:
                url = text.split("sequencer listening on ")[1].split()[0]
                break
            assert proc.poll() is None, text
            time.sleep(0.1)
        assert url is not None
        wait_http(url + "/health", 30, proc)
        yield url
    finally:
        stop_process(proc)
        log.close()
