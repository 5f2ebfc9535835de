"""``scripts/bench_* --json``: stdout is one JSON summary with the documented keys (the text summary
goes to stderr), and ``scripts/plot`` turns a summary into a PNG."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"name", "group", "value", "unit", "reference", "ratio"}


def run_script(name: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / name), *args], capture_output=True, text=True,
                          input=stdin, timeout=600, cwd=ROOT)


def summary(name: str, *args: str) -> dict:
    proc = run_script(name, *args, "--json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)  # nothing else on stdout
    assert set(doc) == {"benchmark", "version", "unix_time", "params", "metrics"}
    assert (doc["benchmark"], doc["version"]) == (name, 1)
    for m in doc["metrics"]:
        assert set(m) == KEYS
        assert isinstance(m["value"], (int, float)) and m["value"] > 0
        assert (m["reference"] is None) == (m["ratio"] is None)
    return doc


def test_bench_host_json() -> None:
    doc = summary("bench_host", "--calls", "500", "--levels", "3", "--messages", "2")
    assert doc["params"] == {"calls": 500, "levels": 3, "messages": 2}
    assert [(m["name"], m["group"], m["unit"], m["reference"]) for m in doc["metrics"]] == [
        *[(n, "host call", "us/call", "no-op wasmtime-py Func")
          for n in ("store_read (64 B)", "store_write (64 B)", "read_input (100 B)")],
        *[(n, "replay", "levels/s", "wasm echo, in memory")
          for n in ("wasm echo, in memory", "wasm echo, in memory, fuel ticks", "wasm echo, LMDB state dir",
                    "native counter, in memory")],
        ("reference: no-op wasmtime-py Func", "host call", "us/call", None),
        ("reference: no-op wasm export call", "host call", "us/call", "no-op wasmtime-py Func"),
    ]
    assert doc["metrics"][3]["ratio"] == 1.0  # the replay reference against itself


def test_bench_crypto_json() -> None:
    doc = summary("bench_crypto", "--no-wasm", "--min-time", "0.001")
    names = [m["name"] for m in doc["metrics"]]
    ops = ["blake2b-256 1 KiB", "blake2b-256 32 B", "sha512 1 KiB", "ed25519 verify (32 B msg)", "ed25519 batch of 8"]
    assert names == [f"{op} {impl}" for op in ops for impl in ("native", "CPython")]  # no wasm: no fuel rows
    assert all(m["reference"] == "native" for m in doc["metrics"] if m["name"].endswith("CPython"))


def test_bench_admission_json() -> None:
    doc = summary("bench_admission", "--txs", "40", "--rounds", "2", "--preblock-txs", "16", "--request-txs", "10")
    assert doc["params"] == {"txs": 40, "rounds": 2, "preblock_txs": 16, "request_txs": 10, "process_txs": 0,
                             "rate": 5000.0}
    assert [(m["name"], m["group"], m["unit"], m["reference"]) for m in doc["metrics"]] == [
        *[(n, "signature check", "us/tx", "libsodium crypto_sign_open")
          for n in ("pynacl VerifyKey", "libsodium crypto_sign_open", "openssl + kernel encoding checks")],
        *[(n, "stage", "us/tx", None) for n in (
            "admission (hex, decode, address, signature, id)", "custody: hold (records, fsync'd store write)",
            "following the committed pre-block (decode, ordered)",
                "x(R) hints of the pre-block (gmpy2 square roots)", "DA pages of the pre-block (inbox)",
            "kernel results (decode, custody decisions, store)")],
        ("stages, sum", "stage", "us/tx", "libsodium crypto_sign_open")]
    assert doc["metrics"][1]["ratio"] == 1.0  # the reference against itself


@pytest.mark.slow
def test_bench_admission_process_json() -> None:
    """A real sequencer process between the stand-in DSN and rollup nodes records every result."""
    doc = summary("bench_admission", "--txs", "40", "--rounds", "1", "--process", "600", "--rate", "600")
    by_name = {m["name"]: m for m in doc["metrics"]}
    assert by_name["sequencer process"]["reference"] == "libsodium crypto_sign_open"
    # the whole process's CPU includes its admission checks' (read from its /metrics)
    assert by_name["sequencer process"]["value"] > by_name["sequencer process, admission checks"]["value"] > 0


@pytest.mark.slow
def test_loadtest_pipeline_json() -> None:
    """A short pipeline run: everything applied, per-process CPU figures for every process."""
    proc = run_script("loadtest", "--pipeline", "--da", "inbox", "--rate", "100", "--duration", "3", "--json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert (doc["benchmark"], doc["params"]["rate"], doc["params"]["senders"]) == ("loadtest", 100.0, 4)
    by_name = {m["name"]: m for m in doc["metrics"]}
    assert [by_name[n]["value"] for n in ("applied", "lost", "refused", "not acknowledged")] == [300, 0, 0, 0]
    processes = ["rollup node", "sequencer", "DSN node 1", "DSN node 2", "DSN node 3", "DSN node 4", "load generator"]
    assert [m["name"] for m in doc["metrics"] if m["group"] == "cpu per applied transfer"] == [
        f"CPU {p}" for p in processes]
    assert all(by_name[f"CPU {p}"]["value"] > 0 for p in processes)
    assert by_name["submission → applied p99"]["value"] >= by_name["submission → applied p50"]["value"] > 0


@pytest.mark.slow
def test_bench_kernel_json() -> None:
    doc = summary("bench_kernel", "--transfers", "20", "--senders", "4", "--repeat", "1")
    by_name = {m["name"]: m for m in doc["metrics"]}
    assert list(by_name) == ["kernel size", "empty level (boot only)", "verify, 4 nodes, direct", "verify, 4 nodes, 2-step",
                             "verify, 7 nodes, direct", "verify, 7 nodes, 2-step", "per signed transfer",
                             "per signed transfer, cold keys",
                             "largest kernel_run, 50e12 (Paris on)", "largest kernel_run, 11e9 (pre-Paris)",
                             "replay throughput", "replay throughput, fuel ticks", "kernel per transfer",
                             *[f"per transfer, {c} ({model} model, {nodes} nodes, {senders} senders{cold})"
                               for model in ("reference", "fuel") for nodes in (4, 7) for senders in (50, 1000)
                               for cold in (("", ", cold keys") if nodes == 7 else ("",))
                               for c in ("signatures", "hashing", "storage and host calls", "ledger", "other",
                                         "total")],
                             "per transfer, issue 19 target (fuel model, 7 nodes, 1000 senders)"]
    assert doc["params"]["tick_model"] == "reference"
    for where in ("reference model, 4 nodes, 50 senders", "fuel model, 7 nodes, 1000 senders"):
        parts = [m for m in doc["metrics"] if m["name"].endswith(f"({where})") and m["reference"] == "total per transfer"]
        total = by_name[f"per transfer, total ({where})"]["value"]
        assert len(parts) == 5 and abs(sum(m["value"] for m in parts) - total) <= 5  # rounded parts add up
    assert by_name["per transfer, total (reference model, 7 nodes, 50 senders)"]["value"] != by_name[
        "per transfer, total (fuel model, 7 nodes, 50 senders)"]["value"]
    assert by_name["largest kernel_run, 11e9 (pre-Paris)"]["ratio"] < 1
    assert by_name["kernel size"]["value"] <= 32_000 and by_name["kernel size"]["unit"] == "bytes"


@pytest.mark.slow
def test_bench_rollup_node_json() -> None:
    doc = summary("bench_rollup_node", "--transfers", "20", "--senders", "4", "--repeat", "1", "--calls", "200")
    assert doc["params"] == {"transfers": 20, "senders": 4, "repeat": 1, "calls": 200, "tick_model": "reference"}
    calls = ["store_read (8 B)", "store_write (8 B)", "store_value_size", "store_delete_value", "read_input (100 B)",
             "no-op (write_debug of 0 B)"]
    per_transfer = ["kernel_run", "host-call glue", "wasm", "LMDB commit", "state root"]
    assert [(m["name"], m["group"], m["unit"]) for m in doc["metrics"]] == [
        *[(n, "host call", "us/call") for n in calls], ("calls per transfer", "host calls", "calls"),
        ("CPU per applied transfer", "cpu", "us"), ("CPU per applied transfer, median level", "cpu", "us"),
        *[(f"{n} per transfer", "cpu", "us") for n in per_transfer]]
    assert {m["reference"] for m in doc["metrics"][-5:]} == {"CPU per applied transfer"}
    calls_in_level = doc["metrics"][len(calls)]["value"] * 20  # whole calls counted over the 20-transfer level
    assert calls_in_level >= 20 and abs(calls_in_level - round(calls_in_level)) < 0.03


def png_size(path: Path) -> tuple[int, int]:
    raw = path.read_bytes()
    assert raw[:8] == b"\x89PNG\r\n\x1a\n" and raw[12:16] == b"IHDR"
    return struct.unpack(">II", raw[16:24])


SAMPLE = {"benchmark": "bench_sample", "version": 1, "unix_time": 0, "params": {"n": 1}, "metrics": [
    {"name": "a", "group": "time", "value": 2.5, "unit": "us", "reference": None, "ratio": None},
    {"name": "b", "group": "time", "value": 5.0, "unit": "us", "reference": "a", "ratio": 2.0},
    {"name": "c", "group": "size", "value": 31000, "unit": "bytes", "reference": "budget", "ratio": 0.97}]}


def test_plot_writes_a_png(tmp_path: Path) -> None:
    source = tmp_path / "sample.json"
    source.write_text(json.dumps(SAMPLE))
    proc = run_script("plot", str(source), "-o", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(tmp_path / "out" / "bench_sample.png")
    width, height = png_size(tmp_path / "out" / "bench_sample.png")
    assert width == 990 and height > 300  # 9 inches at 110 dpi; three panels (two groups, ratios)
    proc = run_script("plot", "-", "-o", str(tmp_path / "stdin"), stdin=json.dumps(SAMPLE))
    assert proc.returncode == 0 and (tmp_path / "stdin" / "bench_sample.png").exists()


def test_plot_refuses_what_is_not_a_summary(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    proc = run_script("plot", str(bad), "-o", str(tmp_path))
    assert proc.returncode == 1 and f"plot: {bad} is not JSON" in proc.stderr
    bad.write_text(json.dumps({"benchmark": "x", "metrics": [{"name": "a"}]}))
    proc = run_script("plot", str(bad), "-o", str(tmp_path))
    assert proc.returncode == 1 and "every metric needs name, group, value, unit, reference, ratio" in proc.stderr
    assert not list(tmp_path.glob("*.png"))


def _with(doc: dict, commit: str, **values: float) -> dict:
    """A copy of ``doc`` with the named metrics' values replaced and a commit."""
    out = json.loads(json.dumps(doc)) | {"commit": commit}
    for m in out["metrics"]:
        m["value"] = values.get(m["name"], m["value"])
    return out


def test_plot_before_after(tmp_path: Path) -> None:
    before = _with(SAMPLE, "34936a8aaaa") | {"load_average": 1.5}
    before["metrics"].append({"name": "gone", "group": "time", "value": 1.0, "unit": "us", "reference": None,
                              "ratio": None})
    after = _with(SAMPLE, "15fcfd0bbbb", a=1.25, c=31500)
    (tmp_path / "old.json").write_text(json.dumps(before))
    (tmp_path / "new.json").write_text(json.dumps(after))
    out = tmp_path / "charts"
    proc = run_script("plot", "--before", str(tmp_path / "old.json"), str(tmp_path / "new.json"), "-o", str(out),
                      "--table", str(out / "table.md"))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == [str(out / "new.png"), str(out / "table.md")]
    width, height = png_size(out / "new.png")
    assert width == 1100 and height > 400  # 10 inches at 110 dpi; two groups and the ratios
    assert (out / "table.md").read_text() == "\n".join([
        "### new", "",
        "| metric | unit | before (34936a8, load 1.5) | after (15fcfd0) | after / before |", "|---|---|--:|--:|--:|",
        "| a | us | 2.5 | 1.25 | 0.5x |", "| b | us | 5 | 5 | 1x |", "| c | bytes | 31,000 | 31,500 | 1.02x |",
        "| gone | us | 1 | — | — |", ""])


def test_plot_before_after_needs_one_before_per_summary(tmp_path: Path) -> None:
    source = tmp_path / "s.json"
    source.write_text(json.dumps(SAMPLE))
    proc = run_script("plot", "--before", str(source), str(source), str(source), "-o", str(tmp_path))
    assert proc.returncode == 2 and "1 --before summaries for 2 after summaries" in proc.stderr
    proc = run_script("plot", str(source), "--table", str(tmp_path / "t.md"), "-o", str(tmp_path))
    assert proc.returncode == 2 and "--table needs --before" in proc.stderr
    other = tmp_path / "other.json"
    other.write_text(json.dumps(SAMPLE | {"metrics": [SAMPLE["metrics"][0] | {"name": "z"}]}))
    proc = run_script("plot", "--before", str(other), str(source), "-o", str(tmp_path))
    assert proc.returncode == 1 and "share no metric" in proc.stderr
    assert not list(tmp_path.glob("*.png"))


def test_bench_charts_redraws_and_writes_the_table(tmp_path: Path) -> None:
    """``scripts/bench_charts --plot-only``: charts for the runs with both sides, the headline and full tables."""
    def kernel(commit: str, ticks: int) -> dict:
        return {"benchmark": "bench_kernel", "version": 1, "unix_time": 0, "params": {"tick_model": "fuel"},
                "commit": commit, "metrics": [{"name": "per signed transfer", "group": "ticks", "value": ticks,
                                               "unit": "ticks", "reference": "target", "ratio": ticks / 3e6}]}
    out = tmp_path / "issue19"
    for label, commit, ticks in (("before", "34936a8", 1_000_000), ("after", "abcdef0", 500_000)):
        (out / label).mkdir(parents=True)
        (out / label / "bench_kernel-fuel.json").write_text(json.dumps(kernel(commit, ticks)))
    (out / "before" / "bench_crypto.json").write_text(json.dumps(SAMPLE))  # no 'after': left out
    proc = run_script("bench_charts", "--plot-only", "--out", str(out), "--readme", str(tmp_path / "README.md"))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == [str(out / "bench_kernel-fuel.png"), str(tmp_path / "README.md")]
    readme = (tmp_path / "README.md").read_text()
    assert "| ticks per transfer, fuel model, 7 nodes, 50 senders | 1,000,000 | 500,000 | 0.5x |  |" in readme
    assert "- [bench_kernel-fuel](issue19/bench_kernel-fuel.png)" in readme and "bench_crypto" not in readme
    assert "| per signed transfer | ticks | 1,000,000 | 500,000 | 0.5x |" in readme
    assert png_size(out / "bench_kernel-fuel.png")[0] == 1100


@pytest.mark.slow
def test_bench_compiler_json() -> None:
    doc = summary("bench_compiler")
    names = [m["name"] for m in doc["metrics"]]
    micro = ["blake2b_256(1 KiB)", "sha512(1 KiB)", "ed25519 verify"]
    assert names == ["compile whole kernel_py tree", "kernel (speed)", "kernel (size)",
                     *[f"{label} ({p}){suffix}" for label in micro for p in ("speed", "size") for suffix in ("", " wasm")]]
    assert {m["unit"] for m in doc["metrics"] if m["name"].startswith("kernel (")} == {"bytes"}


@pytest.mark.slow
def test_bench_dsn_json() -> None:
    proc = subprocess.run([str(ROOT / "scripts" / "bench_dsn"), "--rate", "400", "--duration", "3", "--json"],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert (doc["benchmark"], doc["params"]["rate"], doc["params"]["nodes"]) == ("bench_dsn", 400, 4)
    assert [(m["name"], m["group"], m["unit"]) for m in doc["metrics"][:6]] == [
        ("consensus TPS", "throughput", "tx/s"), ("consensus BPS", "byte rate", "B/s"),
        ("consensus latency", "latency", "ms"), ("end-to-end TPS", "throughput", "tx/s"),
        ("end-to-end BPS", "byte rate", "B/s"), ("end-to-end latency", "latency", "ms")]
    assert all(set(m) == KEYS and m["reference"] == "Rust Narwhal sample" for m in doc["metrics"][:6])
    assert [(m["name"], m["group"]) for m in doc["metrics"][6:10]] == [
        ("consensus latency p50", "latency"), ("consensus latency p95", "latency"),
        ("submit to commit p50", "latency"), ("submit to commit p95", "latency")]
    assert [m["name"] for m in doc["metrics"][10:]] == [
        *[f"CPU node {i}" for i in range(1, 5)], *[f"CPU generator {g}" for g in range(4)], "CPU listener (this process)"]
    assert {m["group"] for m in doc["metrics"][10:]} == {"CPU time"}
