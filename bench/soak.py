"""Soak test: does govkg keep answering, correctly and in bounded memory, under steady load?

Starts ``govkg serve`` (gunicorn, default settings: 2 workers × 4 threads, persistent
Oxigraph store) on a free loopback port, then runs CLIENTS client processes, each with one
keep-alive connection, for SECONDS over a mix of: every named question (``/api/queries/…``),
raw SPARQL queries (``/sparql``, GET and POST) and record validations (``POST /check``, the
validation page). Some answers are checked against the regulation's text on every request
(69 articles; article 59 has two paragraphs; the example minutes signed by the executive
vice-mayor break article 51).

Printed: requests served, errors (any non-2xx or a wrong answer), p50/p99 per time window, and
the resident memory (sum of RSS over the server's process group) after a warm-up at full load
(``--warmup``, 30 s) and at the end.

    python bench/soak.py [--seconds 600] [--clients 8] [--window 60]

Exit status 1 if there was any error or memory grew by 10% or more.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.parse
from http.client import HTTPConnection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from govkg.web.check import EXAMPLE
from http_bench import free_port, start, stop, workload

BIN = Path(sys.executable).parent
ARTICLE = "http://publications.europa.eu/resource/authority/subdivision/ARTICLE"
COUNT = ("PREFIX eli: <http://data.europa.eu/eli/ontology#> SELECT (COUNT(?a) AS ?n) "
         f"WHERE {{ ?a eli:type_subdivision <{ARTICLE}> }}")
PARTS_59 = ("PREFIX eli: <http://data.europa.eu/eli/ontology#> SELECT ?p WHERE "
            "{ ?p eli:is_part_of <https://w3id.org/govkg/yueqing/eli/lzf/2022/11/art_59> }")


def _count_is_69(body: bytes) -> bool:
    return json.loads(body)["results"]["bindings"][0]["n"]["value"] == "69"


def _two_paragraphs(body: bytes) -> bool:
    return len(json.loads(body)["results"]["bindings"]) == 2


def _finds_article_51(body: bytes) -> bool:
    return "第五十一条" in body.decode()


def mix() -> list[tuple]:
    """(kind, method, path, body, headers, check) — check is None or a function of the body."""
    json_accept = {"Accept": "application/sparql-results+json"}
    queries, paths = workload()
    requests: list[tuple] = [("question", "GET", p, None, json_accept, None) for p in paths]
    for text in queries[:: max(1, len(queries) // 12)]:
        requests.append(("sparql", "POST", "/sparql", text.encode(),
                         {"Content-Type": "application/sparql-query", **json_accept}, None))
    for text, check in ((COUNT, _count_is_69), (PARTS_59, _two_paragraphs)):
        for _ in range(3):
            requests.append(("sparql", "GET", "/sparql?" + urllib.parse.urlencode(
                {"query": text}), None, json_accept, check))
    form = urllib.parse.urlencode({"records": EXAMPLE, "format": "turtle"}).encode()
    for _ in range(max(1, len(requests) // 10)):
        requests.append(("validate", "POST", "/check", form,
                         {"Content-Type": "application/x-www-form-urlencoded"},
                         _finds_article_51))
    return requests


def _client(args) -> list[tuple[float, str, float, str | None]]:
    """Run the mix until ``end``: (start time, kind, seconds, error or None) per request."""
    port, requests, end, seed = args
    rng = random.Random(seed)
    conn = HTTPConnection("127.0.0.1", port, timeout=30)
    out = []
    while (now := time.time()) < end:
        kind, method, path, body, headers, check = rng.choice(requests)
        error = None
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            if response.status != 200:
                error = f"{path[:60]}: {response.status} {data[:120]!r}"
            elif check is not None and not check(data):
                error = f"{path[:60]}: wrong answer"
        except OSError as exc:
            error = f"{path[:60]}: {exc!r}"
            conn.close()
            conn = HTTPConnection("127.0.0.1", port, timeout=30)
        out.append((now, kind, time.time() - now, error))
    conn.close()
    return out


def rss_kib(pgid: int) -> int:
    """Resident memory of every process in the server's process group, in KiB."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            fields = stat[stat.rindex(")") + 2:].split()
            if int(fields[2]) != pgid:  # field 5 of stat: process group
                continue
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except (OSError, ValueError):
            continue
    return total


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--window", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=30,
                        help="seconds of full load before the starting memory is read")
    args = parser.parse_args()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOVKG_")}
    server = start([str(BIN / "govkg"), "serve", "--port", str(port), "--no-access-log"],
                   f"http://127.0.0.1:{port}/healthz", env=env)
    try:
        requests = mix()
        with mp.get_context("spawn").Pool(args.clients) as pool:
            # warm-up at full load: executors, caches and allocator arenas settle first
            warm_end = time.time() + args.warmup
            pool.map(_client, [(port, requests, warm_end, k) for k in range(args.clients)])
            rss_start = rss_kib(server.pid)
            began = time.time()
            end = began + args.seconds
            runs = pool.map(_client, [(port, requests, end, 100 + k)
                                      for k in range(args.clients)])
        rss_end = rss_kib(server.pid)
        healthy = subprocess.run(["curl", "-sf", f"http://127.0.0.1:{port}/healthz"],
                                 capture_output=True).returncode == 0
    finally:
        stop(server)
    records = sorted(r for run in runs for r in run)
    errors = [r[3] for r in records if r[3]]
    kinds = {k: sum(1 for r in records if r[1] == k) for k in ("question", "sparql", "validate")}
    print(f"soak: {args.clients} clients, {args.seconds:.0f} s, {len(requests)} distinct requests")
    print(f"requests served: {len(records)} ({len(records) / args.seconds:.0f}/s) {kinds}")
    print(f"errors: {len(errors)}" + (f" — first: {errors[0]}" if errors else ""))
    print("window      requests   p50 ms   p99 ms")
    windows = int(args.seconds // args.window) or 1
    for w in range(windows):
        lo, hi = began + w * args.window, began + (w + 1) * args.window
        lat = [r[2] for r in records if lo <= r[0] < hi and not r[3]]
        if lat:
            print(f"{w * args.window:4.0f}-{(w + 1) * args.window:4.0f} s {len(lat):9d} "
                  f"{percentile(lat, 0.5):8.2f} {percentile(lat, 0.99):8.2f}")
    for kind in kinds:
        lat = [r[2] for r in records if r[1] == kind and not r[3]]
        if lat:
            print(f"{kind:9s} p50 {percentile(lat, 0.5):.2f} ms, "
                  f"p99 {percentile(lat, 0.99):.2f} ms, mean {statistics.fmean(lat) * 1000:.2f}")
    growth = (rss_end - rss_start) / rss_start * 100
    print(f"resident memory: {rss_start / 1024:.0f} MiB at start, {rss_end / 1024:.0f} MiB at "
          f"end ({growth:+.1f}%)")
    print(f"/healthz after the run: {'200' if healthy else 'FAILED'}")
    return 0 if not errors and growth < 10 and healthy else 1


if __name__ == "__main__":
    sys.exit(main())
