"""The dashboard in a real headless Chromium against `dsn sequencer run --mock-rollup --mock-consensus`:
the page loads without console errors and its numbers, DAG and balances follow the running system."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from nacl.signing import SigningKey

from dsn.token import txbuild
from dsn.token.client import SequencerClient
from tests.dashboard.cdp import Browser, find_chromium
from tests.sequencer.mock_process import mock_sequencer

pytestmark = pytest.mark.slow

ALICE = SigningKey(bytes([0xA1]) * 32)
ALICE_PK = bytes(ALICE.verify_key).hex()
BOB = bytes(SigningKey(bytes([0xB0]) * 32).verify_key)
NATIVE = bytes(32)
FUNDS = 1_000_000
TRANSFERS = 60


@pytest.fixture(scope="module")
def sequencer(tmp_path_factory: pytest.TempPathFactory):
    with mock_sequencer(tmp_path_factory.mktemp("dash-seq"), ALICE_PK, FUNDS) as url:
        yield url


def send_transfers(url: str, done: threading.Event) -> None:
    """TRANSFERS transfers of 1 from Alice to Bob, a few per second, each waited for."""
    client = SequencerClient(url)
    rollup = bytes.fromhex(client.head()["sequencer"]["rollup_address"])
    for nonce in range(TRANSFERS):
        client.broadcast(txbuild.sign_tx(ALICE, rollup, nonce, txbuild.transfer(BOB, NATIVE, 1)))
        time.sleep(0.1)
    done.set()


async def watch_dashboard(url: str, binary: str) -> None:
    async with Browser(binary) as page:
        await page.goto(url + "/dashboard")
        await page.wait_for("document.getElementById('status').classList.contains('live')", 30)
        start_results = int(await page.evaluate("document.getElementById('v-results').textContent"))
        done = threading.Event()
        sender = threading.Thread(target=send_transfers, args=(url, done), daemon=True)
        sender.start()
        # live numbers: the kernel's result count grows while the page stays open (no reload)
        await page.wait_for(f"Number(document.getElementById('v-results').textContent) >= {start_results + 10}", 60)
        await page.wait_for("document.querySelectorAll('#dag circle.leader').length > 0", 30)
        await page.wait_for("document.querySelectorAll('#preblocks tbody tr').length > 0", 10)
        await page.wait_for("document.querySelectorAll('#chart-tps path').length > 0", 30)
        await asyncio.to_thread(done.wait, 120)
        client = SequencerClient(url)
        last = await asyncio.to_thread(client.account, BOB)
        deadline = time.monotonic() + 60
        while last["balances"].get(NATIVE.hex()) != TRANSFERS and time.monotonic() < deadline:
            await asyncio.sleep(0.5)
            last = await asyncio.to_thread(client.account, BOB)
        assert last["balances"][NATIVE.hex()] == TRANSFERS
        head = await asyncio.to_thread(client.head)
        # the page catches up with the kernel's head and shows every result
        await page.wait_for(f"Number(document.getElementById('v-index').textContent) >= {head['index']}", 15)
        await page.wait_for(f"Number(document.getElementById('v-results').textContent) >= {start_results + TRANSFERS}", 15)
        # the next balance scan (every 15 s) shows Alice and Bob with the exact amounts
        top = await page.wait_for(
            "(() => { const t = document.querySelector('#balances table'); "
            f"return t && t.textContent.includes('total {FUNDS}') && t.textContent.includes('{TRANSFERS}') "
            "? t.textContent : null; })()", 40)
        assert "2 holders" in top
        assert f"{FUNDS - TRANSFERS}" in top
        leaders = await page.evaluate("document.querySelectorAll('#dag circle.leader').length")
        rows = await page.evaluate("document.querySelectorAll('#preblocks tbody tr').length")
        assert leaders == rows  # one ringed leader per pre-block listed
        assert page.errors == []


def test_dashboard_live_in_chromium(sequencer: str) -> None:
    binary = find_chromium()
    if binary is None:
        pytest.skip("chromium is not installed and could not be (`make browser` apt-get installs Debian's chromium)")
    asyncio.run(watch_dashboard(sequencer, binary))
