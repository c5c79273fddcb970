"""Crash: kill -9 govkg while it writes to its persistent store; the store must survive.

Two scenarios, ROUNDS times each, on a fresh store directory (``--store oxigraph:PATH``):

1. **During the load.** ``govkg serve`` on an empty directory loads the packaged data before
   it answers (the first start). It is SIGKILLed — master, writer, everything in its process
   group — at a random moment of that load, then started again. The restarted server must open
   the store, answer, and hold exactly the packaged data: the same triple count per graph as a
   reference store, 69 articles (a re-run of the load converges, never a mix).
2. **During update traffic.** A server with the update token takes a stream of updates, each
   inserting a batch of BATCH triples with one subject per update, and is SIGKILLed mid-stream.
   After a restart every batch must be whole or absent (never partial), and every update that
   was acknowledged (204) before the kill must be there (durability).

    python bench/crash.py [--rounds 5]

Exit status 1 on any violation.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import pyoxigraph as ox
from govkg import dataset
from http_bench import free_port, stop, wait_ready

BIN = Path(sys.executable).parent
TOKEN = "crash-test-token"
BATCH = 200
GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
ARTICLES = ("SELECT (COUNT(?a) AS ?n) WHERE { ?a <http://data.europa.eu/eli/ontology#"
            "type_subdivision> <http://publications.europa.eu/resource/authority/subdivision/"
            "ARTICLE> }")
BATCHES = ("SELECT ?s (COUNT(*) AS ?n) WHERE { GRAPH <urn:crash:updates> { ?s ?p ?o } } "
           "GROUP BY ?s")


def reference() -> dict[str, int]:
    store = ox.Store()
    dataset.load(store)
    counts: dict[str, int] = {}
    for quad in store:
        key = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else ""
        counts[key] = counts.get(key, 0) + 1
    return counts


def launch(path: Path, port: int, token: bool = False) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOVKG_")}
    if token:
        env["GOVKG_UPDATE_TOKEN"] = TOKEN
    return subprocess.Popen([str(BIN / "govkg"), "serve", "--port", str(port), "--store",
                             f"oxigraph:{path}", "--no-access-log", "--workers", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True, env=env)


def kill9(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def select(port: int, query: str) -> list[dict]:
    url = f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["results"]["bindings"]


def graph_counts(port: int) -> dict[str, int]:
    return {row["g"]["value"]: int(row["n"]["value"]) for row in select(port, GRAPHS)}


def during_load(folder: Path, expected: dict[str, int], rounds: int) -> list[str]:
    problems = []
    load_seconds = None
    for k in range(rounds):
        path = folder / f"load-{k}"
        port = free_port()
        started = time.monotonic()
        process = launch(path, port)
        if load_seconds is None:  # first round: measure a whole load, then crash a restart
            wait_ready(f"http://127.0.0.1:{port}/healthz", process, limit=300)
            load_seconds = time.monotonic() - started
            kill9(process)
            shutil.rmtree(path)
            process = launch(path, port := free_port())
        delay = random.uniform(0.05, load_seconds * 0.9)
        time.sleep(delay)
        kill9(process)
        port = free_port()
        process = launch(path, port)
        try:
            wait_ready(f"http://127.0.0.1:{port}/healthz", process, limit=300)
            found = graph_counts(port)
            articles = select(port, ARTICLES)[0]["n"]["value"]
        finally:
            stop(process)
        wanted = {g: n for g, n in expected.items() if g}
        ok = found == wanted and articles == "69"
        print(f"  load round {k + 1}: killed after {delay:.2f} s of a {load_seconds:.1f} s "
              f"load; restarted: {sum(found.values())} triples in {len(found)} graphs, "
              f"{articles} articles — {'ok' if ok else 'MISMATCH'}")
        if not ok:
            problems.append(f"load round {k + 1}: {found} != {wanted}")
    return problems


def post_update(port: int, text: str) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/sparql", data=text.encode(), method="POST",
        headers={"Content-Type": "application/sparql-update",
                 "Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status


def during_updates(folder: Path, rounds: int) -> list[str]:
    problems = []
    path = folder / "updates"
    acked: set[str] = set()
    sequence = 0
    lock = threading.Lock()
    for k in range(rounds):
        port = free_port()
        process = launch(path, port, token=True)
        wait_ready(f"http://127.0.0.1:{port}/healthz", process, limit=300)
        stop_at = time.monotonic() + random.uniform(1.0, 4.0)

        def writer(port: int = port, stop_at: float = stop_at) -> None:
            nonlocal sequence
            while time.monotonic() < stop_at + 5:
                with lock:
                    sequence += 1
                    subject = f"urn:crash:batch/{sequence}"
                triples = " ".join(f"<{subject}> <urn:crash:p> {i} ." for i in range(BATCH))
                try:
                    if post_update(port, f"INSERT DATA {{ GRAPH <urn:crash:updates> "
                                         f"{{ {triples} }} }}") == 204:
                        with lock:
                            acked.add(subject)
                except OSError:
                    return

        threads = [threading.Thread(target=writer) for _ in range(3)]
        for t in threads:
            t.start()
        time.sleep(max(0.0, stop_at - time.monotonic()))
        kill9(process)
        for t in threads:
            t.join(timeout=70)
        port = free_port()
        process = launch(path, port)
        try:
            wait_ready(f"http://127.0.0.1:{port}/healthz", process, limit=300)
            rows = {r["s"]["value"]: int(r["n"]["value"]) for r in select(port, BATCHES)}
            articles = select(port, ARTICLES)[0]["n"]["value"]
        finally:
            stop(process)
        partial = {s: n for s, n in rows.items() if n != BATCH}
        lost = acked - set(rows)
        ok = not partial and not lost and articles == "69"
        print(f"  update round {k + 1}: {sequence} updates sent in all, {len(acked)} "
              f"acknowledged, {len(rows)} batches stored, {len(partial)} partial, {len(lost)} "
              f"acknowledged but lost, {articles} articles — {'ok' if ok else 'VIOLATION'}")
        if not ok:
            problems.append(f"update round {k + 1}: partial {partial}, lost {sorted(lost)}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    expected = reference()
    print(f"reference: {sum(expected.values())} triples in {len(expected)} graphs")
    folder = Path(tempfile.mkdtemp(prefix="govkg-crash-"))
    try:
        print("kill -9 during the load:")
        problems = during_load(folder, expected, args.rounds)
        print("kill -9 during update traffic:")
        problems += during_updates(folder, args.rounds)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print("crash: " + ("all rounds consistent" if not problems else "; ".join(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
