"""Start-up of ``govkg serve``: seconds from launch to a 200 from ``/healthz``.

Target (issue 5): the full graph loaded and the service ready in ≤ 2 s. Measured for the
default persistent Oxigraph store twice — a first start into an empty directory (loads the
packaged data) and a restart on the same directory (re-uses it) — and for the in-memory rdflib
store. Baseline from the same run: the same interpreter importing govkg and exiting, so the
ratio shows what serving adds on top of Python's own start-up on this machine.

    python bench/startup_bench.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

GOVKG = shutil.which("govkg") or str(Path(sys.executable).with_name("govkg"))
LIMIT = 60.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def time_to_ready(*args: str) -> float:
    """Launch ``govkg serve`` and return the seconds until /healthz answers 200 (bounded)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOVKG_")}
    started = time.monotonic()
    process = subprocess.Popen(
        [GOVKG, "serve", "--host", "127.0.0.1", "--port", str(port), "--no-access-log", *args],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, start_new_session=True,
    )
    try:
        while time.monotonic() - started < LIMIT:
            if process.poll() is not None:
                raise SystemExit(f"govkg serve exited with {process.returncode}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                    if r.status == 200:
                        return time.monotonic() - started
            except OSError:
                time.sleep(0.01)
        raise SystemExit(f"not ready within {LIMIT} s")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)


def import_baseline() -> float:
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", "import govkg.app"], check=True, timeout=LIMIT)
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    names = ("baseline: import govkg.app", "oxigraph, first start", "oxigraph, restart",
             "memory (rdflib)")
    results: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(rounds):
        results["baseline: import govkg.app"].append(import_baseline())
        with tempfile.TemporaryDirectory() as folder:
            store = f"oxigraph:{folder}/store"
            results["oxigraph, first start"].append(time_to_ready("--store", store))
            results["oxigraph, restart"].append(time_to_ready("--store", store))
        results["memory (rdflib)"].append(time_to_ready("--store", "memory"))
    baseline = statistics.median(results["baseline: import govkg.app"])
    print(f"{'start-up to /healthz 200':32} {'median s':>9} {'max s':>7} {'× baseline':>11}")
    for name, times in results.items():
        median = statistics.median(times)
        print(f"{name:32} {median:9.2f} {max(times):7.2f} {median / baseline:11.1f}")
    print("target: ≤ 2 s for the embedded default (oxigraph)")


if __name__ == "__main__":
    main()
