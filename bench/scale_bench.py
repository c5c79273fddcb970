"""Scale benchmark: how cost grows from 1M to 10M triples, embedded and on Oxigraph server.

    python bench/scale_bench.py [--sizes 1M 10M] [--rounds 20] [--workdir DIR]

For each size, governments shaped like Yueqing with five years of records each are generated
(bench/generate_governments.py; one pair of graphs per government) and, on each backend —
the embedded store (``--store oxigraph:PATH``) and a real ``oxigraph serve`` reached as a
remote endpoint (``--store sparql:URL``, filled with govkg's loader over the Graph Store
Protocol) — it measures:

- **load**: wall time to fill the store, its disk size and the loading process's peak RSS
  (embedded: the bulk-loading process; remote: the server);
- **named questions**: p50/p99 latency of a mix of named questions about Yueqing (government
  0), through govkg's store interface, ``--rounds`` rounds;
- **validation**: the records of the first ``--validate`` governments (the same records at
  every size) checked against the rules *in* the store (the compiled rule queries sent to
  it, :mod:`govkg.validation.stored`), records per second; validating everything takes the
  total records divided by that rate.

It ends with the growth ratios from the first size to the last: close to the data ratio for
load and validation (linear), close to 1 for the named questions (flat).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate_governments import generate, size
from govkg import dataset
from govkg.api.loader import load_all
from govkg.iris import DEFAULT_BASE
from govkg.sparql import results as r
from govkg.sparql.negotiation import Choice
from govkg.store import Output, marker

MIX = ("article_text", "meeting_chairs", "document_signers", "post_profile", "bodies",
       "meeting_members", "procedure_steps", "chapter_articles")
REQUIRED = {"chapter": "12"}
ONTOLOGY = dataset.graph_iri("ontology")

BULK_LOAD = r"""
import json, resource, sys, time
import pyoxigraph as ox
from govkg.store import marker
path, manifest = sys.argv[1], json.load(open(sys.argv[2]))
started = time.perf_counter()
store = ox.Store(path)
for graph, file in manifest["graphs"].items():
    store.bulk_load(path=file, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph))
done = marker.packaged(sys.argv[3])
marker.write(store, marker.Marker(done.version, tuple(sorted(manifest["graphs"]))))
store.flush()
print(json.dumps({"seconds": time.perf_counter() - started,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def du(path: Path) -> float:
    """Disk use in MB."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def question_mix(store, rounds: int) -> dict:
    """p50/p99 latency (ms) of the named-question mix through the store interface."""
    questions = load_all(Path(__file__).parent.parent / "queries")
    output = Output(Choice(r.JSON, r.TURTLE), 10_000)
    times = []
    for _ in range(rounds):
        for name in MIX:
            q = questions[name]
            bindings = {}
            for p in q.parameters:
                raw = p.default or REQUIRED.get(p.name)
                if raw:
                    bindings[p.variable] = p.term(raw)
            started = time.perf_counter()
            store.query(q.text, timeout=60, bindings=bindings, output=output)
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"p50_ms": statistics.median(times),
            "p99_ms": times[min(len(times) - 1, int(len(times) * 0.99))]}


def validation(store, manifest: dict, governments: int) -> dict:
    """Validate the records of the first ``governments`` governments in the store: the same
    records at every size, so the rate shows what the *store's* size costs (the time to
    validate everything is that rate times the records)."""
    from govkg.validation.stored import check_store

    graphs = sorted(manifest["records"])[:governments]
    records = sum(manifest["records"][g] for g in graphs)
    started = time.perf_counter()
    findings = check_store(store, graphs, ONTOLOGY, timeout=3600)
    seconds = time.perf_counter() - started
    return {"validate_s": seconds, "records": records, "findings": len(findings),
            "records_per_s": records / seconds}


def embedded(manifest_path: Path, manifest: dict, work: Path, rounds: int,
             governments: int) -> dict:
    from govkg.store.oxigraph import OxigraphStore

    path = work / "embedded"
    shutil.rmtree(path, ignore_errors=True)
    done = subprocess.run([sys.executable, "-c", BULK_LOAD, str(path), str(manifest_path),
                           DEFAULT_BASE], capture_output=True, text=True, check=True)
    loaded = json.loads(done.stdout)
    store = OxigraphStore(path)  # re-uses the directory: its marker matches
    assert not store.loaded
    return {"load_s": loaded["seconds"], "disk_mb": du(path), "peak_mb": loaded["peak_mb"],
            **question_mix(store, rounds), **validation(store, manifest, governments)}


def remote(manifest: dict, work: Path, rounds: int, governments: int) -> dict:
    from govkg.store import open_store
    from govkg.store.remote import Http

    path = work / "oxigraph-server"
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    binary = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    port = _free_port()
    server = subprocess.Popen([binary, "serve", "--location", str(path), "--bind",
                               f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(url + "/query?query=ASK%7B%7D")
        # one Graph Store PUT per graph: the engine's own bulk path (govkg load re-batches
        # triples in Python, which is right for the packaged data, slow for 10M)
        started = time.perf_counter()
        http = Http(None, None)
        for iri, file in manifest["graphs"].items():
            http.post(url + "/store", [("graph", iri)], "*/*", time.monotonic() + 3600,
                      body=Path(file).read_bytes(), content_type="application/n-triples",
                      method="PUT")
        done = marker.packaged(DEFAULT_BASE)
        meta = marker.Marker(done.version, tuple(sorted(manifest["graphs"])))
        http.post(url + "/update", [("update", meta.update_text())], "*/*",
                  time.monotonic() + 60)
        load_s = time.perf_counter() - started
        store = open_store(f"sparql:{url}/query", base=DEFAULT_BASE)
        result = {"load_s": load_s, "disk_mb": du(path), **question_mix(store, rounds),
                  **validation(store, manifest, governments)}
        result["peak_mb"] = peak_mb(server.pid)
        return result
    finally:
        server.terminate()
        server.wait(timeout=30)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str) -> None:
    import urllib.request

    for _ in range(200):
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", default=["1M", "10M"])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--backends", nargs="+", default=["embedded", "oxigraph-server"])
    parser.add_argument("--validate", type=int, default=3,
                        help="governments whose records are validated (the same at each size)")
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="govkg-scale-"))
    rows = []
    for label in args.sizes:
        data = work / f"data-{label}"
        started = time.perf_counter()
        manifest = generate(size(label), data)
        print(f"== {label}: {manifest['governments']} governments, {manifest['triples']:,} "
              f"triples, {sum(manifest['records'].values()):,} records (generated in "
              f"{time.perf_counter() - started:.0f} s)", flush=True)
        for backend in args.backends:
            if backend == "embedded":
                got = embedded(data / "manifest.json", manifest, work, args.rounds, args.validate)
            else:
                got = remote(manifest, work, args.rounds, args.validate)
            got.update(size=label, triples=manifest["triples"], backend=backend)
            rows.append(got)
            print(f"   {backend:16} load {got['load_s']:7.1f} s  disk {got['disk_mb']:7.0f} MB  "
                  f"peak {got['peak_mb']:6.0f} MB  questions p50 {got['p50_ms']:6.1f} ms "
                  f"p99 {got['p99_ms']:6.1f} ms  validation {got['records_per_s']:8.0f} rec/s "
                  f"({got['validate_s']:.1f} s, {got['findings']} findings)", flush=True)
        shutil.rmtree(data, ignore_errors=True)
    if len(args.sizes) > 1:
        print(f"== growth from {args.sizes[0]} to {args.sizes[-1]}")
        for backend in args.backends:
            first, last = [x for x in rows if x["backend"] == backend][::len(args.sizes) - 1][:2]
            data = last["triples"] / first["triples"]
            print(f"   {backend:16} data x{data:.1f}: load x{last['load_s'] / first['load_s']:.1f}"
                  f", disk x{last['disk_mb'] / first['disk_mb']:.1f}, peak memory "
                  f"x{last['peak_mb'] / first['peak_mb']:.1f}, question p50 "
                  f"x{last['p50_ms'] / first['p50_ms']:.2f} (p99 "
                  f"x{last['p99_ms'] / first['p99_ms']:.2f}), validation rate "
                  f"x{last['records_per_s'] / first['records_per_s']:.2f} (all records: "
                  f"x{data * first['records_per_s'] / last['records_per_s']:.1f} the time)")
    (work / "scale_bench.json").write_text(json.dumps(rows, indent=1))
    print(f"results: {work / 'scale_bench.json'}")
    if os.environ.get("GOVKG_BENCH_KEEP") is None:
        for child in work.glob("embedded"):
            shutil.rmtree(child, ignore_errors=True)


if __name__ == "__main__":
    main()
