"""DSN test fixtures: network tests clean up their node processes even when pytest is terminated."""

import signal

import pytest


@pytest.fixture(autouse=True)
def sigterm_runs_cleanups():
    """Turn SIGTERM (e.g. from `timeout`) into KeyboardInterrupt while a test runs, so its
    ``finally`` blocks stop the node processes it started."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    yield
    signal.signal(signal.SIGTERM, previous)
