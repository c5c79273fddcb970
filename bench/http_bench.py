"""HTTP benchmark: govkg vs ``oxigraph serve`` vs rdflib-endpoint on the same data.

Eight client processes, each with one keep-alive connection, cycle through the named-question
mix (every ``queries/*.rq`` with a few parameter sets) for a fixed time against each server in
turn, in the same run on the same machine. Printed: throughput, p50/p99 latency and the ratios
the issue sets as targets (govkg ≥ 25% of Oxigraph's throughput, ≥ 10× rdflib-endpoint's,
p99 ≤ 10 ms). Also printed: what the killable executor costs per query (executor round trip
minus in-process evaluation).

    python bench/http_bench.py [--seconds 10] [--clients 8]

Needs the bench extra: ``pip install -e '.[bench]'`` (oxigraph, rdflib-endpoint, uvicorn).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from http.client import HTTPConnection
from pathlib import Path

import pyoxigraph as ox
from govkg import dataset, resources
from govkg.api.loader import load_all
from govkg.sparql import lexer

BIN = Path(sys.executable).parent
ACCEPT = "application/sparql-results+json"
# Parameter sets per named question (values from the regulation: 69 articles, 13 chapters).
PARAMETERS = {
    "article_text": [{"article": a} for a in ("4", "11", "20", "46", "59", "64", "69")],
    "chapter_articles": [{"chapter": "12"}, {"chapter": "3", "language": "en"},
                         {"chapter": "9", "language": "zh-Hans"}],
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def concrete(question, params: dict[str, str]) -> str:
    """The question's text with its parameters written in as terms (for the other servers).

    Only the benchmark does this, with its own fixed values: govkg binds terms instead.
    """
    text = lexer.expand_codepoints(question.display_text)
    values = {p.variable: str(p.term(params[p.name])) for p in question.parameters
              if p.name in params or (p.default is not None and params.setdefault(
                  p.name, p.default))}
    for token in sorted(lexer.tokens(text), key=lambda t: t.start, reverse=True):
        if token.kind == "var" and token.text[1:] in values:
            text = text[:token.start] + values[token.text[1:]] + text[token.start
                                                                      + len(token.text):]
    return text


def workload() -> tuple[list[str], list[str]]:
    """(SPARQL texts for /sparql, /api paths) covering the named-question mix."""
    questions = load_all(resources.path("queries"))
    queries, paths = [], []
    for name, question in questions.items():
        for params in PARAMETERS.get(name, [{}]):
            queries.append(concrete(question, dict(params)))
            paths.append(f"/api/queries/{name}?" + urllib.parse.urlencode(params))
    return queries, paths


def export_nquads(folder: Path) -> Path:
    """The service's dataset (four named graphs) as one N-Quads file."""
    store = ox.Store()
    dataset.load(store)
    target = folder / "dataset.nq"
    store.dump(target, format=ox.RdfFormat.N_QUADS)
    return target


def wait_ready(url: str, process: subprocess.Popen, limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status < 500:
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{url} not ready within {limit} s")


def start(command: list[str], ready_url: str, env: dict | None = None) -> subprocess.Popen:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True, env={**os.environ, **(env or {})})
    wait_ready(ready_url, process)
    return process


def stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
    except ProcessLookupError:
        pass


def _client(args) -> list[float]:
    host, port, requests, seconds, offset = args
    conn = HTTPConnection(host, port, timeout=30)
    latencies = []
    i = offset
    end = time.monotonic() + seconds
    warm_until = time.monotonic() + min(1.0, seconds / 5)
    while True:
        now = time.monotonic()
        if now >= end:
            break
        method, path, body, headers = requests[i % len(requests)]
        i += 1
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        if response.status != 200:
            raise RuntimeError(f"{path}: {response.status} {data[:200]!r}")
        if now >= warm_until:
            latencies.append(time.monotonic() - now)
    conn.close()
    return latencies


def drive(port: int, requests: list, seconds: float, clients: int) -> dict:
    warm = min(1.0, seconds / 5)
    with mp.get_context("spawn").Pool(clients) as pool:
        runs = pool.map(_client, [("127.0.0.1", port, requests, seconds, k)
                                  for k in range(clients)])
    latencies = sorted(x for run in runs for x in run)
    return {
        "requests": len(latencies),
        "rps": len(latencies) / (seconds - warm),
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
    }


def sparql_requests(queries: list[str], path: str = "/sparql") -> list:
    return [("POST", path, q.encode(), {"Content-Type": "application/sparql-query",
                                        "Accept": ACCEPT}) for q in queries]


def executor_overhead(queries: list[str], rounds: int = 7) -> tuple[float, float]:
    """(µs per query in-process, µs per query through an executor) on the same store.

    Alternating rounds, best of each: the machine may be shared, the minimum is the cost.
    """
    from govkg.sparql.negotiation import Choice
    from govkg.store import Dataset, Output
    from govkg.store.oxigraph import OxigraphStore

    store = OxigraphStore(allow_service=frozenset())
    out = Output(Choice(ACCEPT, "text/turtle"), 10_000)
    store.query(queries[0], timeout=10, output=out)  # start the executor
    inproc, pooled = [], []
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(20):
            for q in queries:
                store._execute(("query", q, Dataset(), {}, out))
        inproc.append((time.perf_counter() - t0) / (20 * len(queries)))
        t0 = time.perf_counter()
        for _ in range(20):
            for q in queries:
                store.query(q, timeout=10, output=out)
        pooled.append((time.perf_counter() - t0) / (20 * len(queries)))
    return min(inproc) * 1e6, min(pooled) * 1e6


_PROCESSES: list[subprocess.Popen] = []


def answers(port: int, req) -> bool:
    """True if the server answers this request with 200."""
    method, path, body, headers = req
    conn = HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status == 200
    finally:
        conn.close()


def start_all(folder: Path, args) -> dict[str, tuple[int, str | None]]:
    """Start every server on the same data: name -> (port, SPARQL path or None for /api)."""
    nquads = export_nquads(folder)
    servers: dict[str, tuple[int, str | None]] = {}
    for label, cache in (("", []), (" no-cache", ["--result-cache", "0"])):
        port = free_port()
        _PROCESSES.append(start(
            [str(BIN / "govkg"), "serve", "--port", str(port), "--no-access-log",
             "--workers", str(args.workers), "--threads", str(args.threads), *cache],
            f"http://127.0.0.1:{port}/healthz"))
        servers[f"govkg /sparql{label}"] = (port, "/sparql")
        servers[f"govkg /api{label}"] = (port, None)
    oxigraph = shutil.which("oxigraph", path=str(BIN)) or "oxigraph"
    location = folder / "oxigraph"
    subprocess.run([oxigraph, "load", "--location", str(location), "--file", str(nquads)],
                   check=True, capture_output=True, timeout=120)
    port = free_port()
    _PROCESSES.append(start([oxigraph, "serve-read-only", "--location", str(location), "--bind",
                             f"127.0.0.1:{port}", "--union-default-graph"],
                            f"http://127.0.0.1:{port}/query?query=ASK%7B%7D"))
    servers["oxigraph serve"] = (port, "/query")
    port = free_port()
    (folder / "rdflib_app.py").write_text(
        "import rdflib\nfrom rdflib_endpoint import SparqlEndpoint\n"
        "ds = rdflib.Dataset(default_union=True)\n"
        f"ds.parse({str(nquads)!r}, format='nquads')\n"
        "app = SparqlEndpoint(graph=ds)\n"
    )
    _PROCESSES.append(start([str(BIN / "python"), "-m", "uvicorn", "--app-dir", str(folder),
                             "--host", "127.0.0.1", "--port", str(port), "--log-level",
                             "warning", "rdflib_app:app"],
                            f"http://127.0.0.1:{port}/?query=ASK%7B%7D"))
    servers["rdflib-endpoint"] = (port, "/")
    return servers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()

    queries, paths = workload()
    print(f"mix: {len(queries)} named-question requests; {args.clients} keep-alive clients, "
          f"{args.seconds:g} s per server; {os.cpu_count()} CPUs")
    inproc, pooled = executor_overhead(queries)
    print(f"executor overhead: {pooled - inproc:.0f} µs/query "
          f"(in-process {inproc:.0f} µs, through executor {pooled:.0f} µs)")
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="govkg-bench-") as tmp:
        servers = start_all(Path(tmp), args)
        try:
            # the mix is what every server answers (rdflib rejects some valid queries)
            mixes = {name: sparql_requests(queries, path) for name, (port, path) in
                     servers.items() if path}
            common = [i for i in range(len(queries))
                      if all(answers(servers[name][0], mix[i]) for name, mix in mixes.items())]
            dropped = [paths[i] for i in range(len(queries)) if i not in common]
            if dropped:
                print(f"left out (not answered by every server): {', '.join(dropped)}")
            for name, (port, path) in servers.items():
                if path:
                    mix = [mixes[name][i] for i in common]
                else:
                    mix = [("GET", paths[i], None, {"Accept": ACCEPT}) for i in common]
                results[name] = drive(port, mix, args.seconds, args.clients)
        finally:
            for process in _PROCESSES:
                stop(process)

    print(f"\n{'server':<24}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'requests':>10}")
    for name, r in results.items():
        print(f"{name:<24}{r['rps']:>10.0f}{r['p50_ms']:>10.2f}{r['p99_ms']:>10.2f}"
              f"{r['requests']:>10}")
    print("\nratios (same run; targets: ≥ 0.25 × oxigraph, ≥ 10 × rdflib-endpoint, "
          "p99 ≤ 10 ms):")
    for label in ("", " no-cache"):
        ours = results[f"govkg /sparql{label}"]
        print(f"  govkg{label or ' (answer cache on)'}: "
              f"{ours['rps'] / results['oxigraph serve']['rps']:.2f} × oxigraph, "
              f"{ours['rps'] / results['rdflib-endpoint']['rps']:.0f} × rdflib-endpoint, "
              f"p99 {ours['p99_ms']:.2f} ms /sparql, "
              f"{results[f'govkg /api{label}']['p99_ms']:.2f} ms /api")


if __name__ == "__main__":
    main()
