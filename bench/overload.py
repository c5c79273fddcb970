"""Overload: 64 concurrent clients, some sending runaway queries.

Starts ``govkg serve`` (2 workers × 4 threads, ``--query-timeout`` 5 s) and runs CLIENTS
client processes for SECONDS: RUNAWAY of them send a cartesian-product query that cannot finish
before the timeout, the others the soak mix (named questions, SPARQL, validations; some answers
checked against the regulation). Printed: for well-formed requests, how many were answered,
errors and p50/p99; for runaway ones, how many got the timeout error (503 "timed out") and
anything else; and whether every gunicorn worker that existed at the start is still there at
the end (no worker lost or replaced) and ``/healthz`` answers.

    python bench/overload.py [--seconds 60] [--clients 64] [--runaway 4]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from http_bench import free_port, start, stop
from soak import _client, mix, percentile

BIN = Path(sys.executable).parent
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
TIMEOUT = 5.0


def runaway_requests() -> list[tuple]:
    path = "/sparql?" + urllib.parse.urlencode({"query": RUNAWAY})
    return [("runaway", "GET", path, None, {"Accept": "application/sparql-results+json"},
             None)]  # a 200 would be wrong too: it cannot finish in time


def workers(master: int) -> set[int]:
    """PIDs of the gunicorn master's children (the workers; the zygote is theirs)."""
    children = set()
    for task in Path(f"/proc/{master}/task").iterdir():
        text = (task / "children").read_text().split()
        children.update(int(pid) for pid in text)
    return children


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--runaway", type=int, default=4)
    args = parser.parse_args()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOVKG_")}
    server = start([str(BIN / "govkg"), "serve", "--port", str(port), "--no-access-log",
                    "--query-timeout", str(TIMEOUT)], f"http://127.0.0.1:{port}/healthz", env=env)
    try:
        time.sleep(1)
        before = workers(server.pid)
        good, bad = mix(), runaway_requests()
        end = time.time() + args.seconds
        jobs = [(port, bad if k < args.runaway else good, end, k) for k in range(args.clients)]
        with mp.get_context("spawn").Pool(args.clients) as pool:
            runs = pool.map(_client, jobs)
        after = workers(server.pid)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            healthy = response.status == 200
    finally:
        stop(server)
    records = [r for run in runs for r in run]
    wellformed = [r for r in records if r[1] != "runaway"]
    runaway = [r for r in records if r[1] == "runaway"]
    errors = [r[3] for r in wellformed if r[3]]
    answered = [r[2] for r in wellformed if not r[3]]
    timeouts = [r for r in runaway if r[3] and " 503 " in r[3] and "timed out" in r[3]]
    other = [r[3] or "200" for r in runaway if r not in timeouts]
    print(f"overload: {args.clients} clients ({args.runaway} runaway), {args.seconds:.0f} s, "
          f"query timeout {TIMEOUT:g} s, 2 workers x 4 threads")
    print(f"well-formed: {len(answered)} answered ({len(answered) / args.seconds:.0f}/s), "
          f"{len(errors)} errors" + (f" — first: {errors[0]}" if errors else ""))
    if answered:
        print(f"well-formed latency: p50 {percentile(answered, 0.5):.1f} ms, "
              f"p99 {percentile(answered, 0.99):.1f} ms, max {max(answered) * 1000:.0f} ms")
    rl = [r[2] for r in timeouts]
    print(f"runaway: {len(runaway)} sent, {len(timeouts)} stopped with 503 'timed out'"
          + (f" after {min(rl):.2f}-{max(rl):.2f} s" if rl else "")
          + (f"; other answers: {len(other)} — first: {other[0]}" if other else ""))
    print(f"workers: {sorted(before)} before, {sorted(after)} after — "
          f"{'none lost' if before == after else 'CHANGED'}; "
          f"/healthz {'200' if healthy else 'FAILED'}")
    return 0 if not errors and not other and before == after and healthy else 1


if __name__ == "__main__":
    sys.exit(main())
