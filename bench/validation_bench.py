"""Validation benchmark: records/s, wall time and peak memory, against plain pySHACL.

    python bench/validation_bench.py [--sizes 10000 100000] [--baseline-size 10000]
                                     [--skip-baseline] [--workdir DIR]

In one run it prints, for each size, the time to read, parse and validate synthetic records
(bench/generate_records.py) with govkg's engine (rule shapes compiled to SPARQL on Oxigraph,
input checks included), the peak memory of that process, and records per second; then plain
pySHACL on an in-memory rdflib graph on the baseline set (same records, same shapes; rule
findings compared for equality); then the latency of validating one record against the loaded
rules — the path of the web form and ``POST /api/validate``. Every measurement runs in a fresh
process so that peak memory is its own. Targets (2-core machine): 100k records in ≤ 20 s and
≤ 2 GB; ≥ 50× plain pySHACL on 10k records; one record in ≤ 50 ms.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from govkg.validation.synthetic import Generator, write

FAST = r"""
import json, resource, sys, time
started = time.perf_counter()
from govkg.validation import Input, Validator
validator = Validator()
report = validator.validate(Input.from_path(sys.argv[1]))
seconds = time.perf_counter() - started
keys = sorted({(f.shape, f.focus, f.value or "", f.severity) for f in report.findings
               if f.rule is not None and not f.rule.is_input_check})
print(json.dumps({"seconds": seconds, "triples": report.triples, "findings": len(report.findings),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "keys": keys}))
"""

PYSHACL = r"""
import json, resource, sys, time
started = time.perf_counter()
from pyshacl import validate
from rdflib import Graph
from govkg.validation.catalogue import rules_graph, vocabulary_graph
from govkg.validation.engines import results_from_report
from govkg.validation.report import term_text
graph = Graph()
graph.parse(sys.argv[1], format="nt")
graph += vocabulary_graph()
shapes = rules_graph()
_conforms, report, _text = validate(graph, shacl_graph=shapes, inference="none",
                                    allow_warnings=True, allow_infos=True)
seconds = time.perf_counter() - started
names = {"http://www.w3.org/ns/shacl#Violation": "Violation",
         "http://www.w3.org/ns/shacl#Warning": "Warning", "http://www.w3.org/ns/shacl#Info": "Info"}
keys = sorted({(str(r.shape), term_text(r.focus), term_text(r.value) or "", names[str(r.severity)])
               for r in results_from_report(report, shapes)})
print(json.dumps({"seconds": seconds, "findings": len(keys),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "keys": keys}))
"""

SINGLE = r"""
import json, statistics, sys, time
from govkg.validation import Input, Validator
validator = Validator(context=[sys.argv[1]])
record = open(sys.argv[2], "rb").read()
timings = []
for _ in range(int(sys.argv[3])):
    started = time.perf_counter()
    report = validator.validate(Input.from_bytes(record, "json", "record.json"))
    timings.append((time.perf_counter() - started) * 1000)
timings.sort()
print(json.dumps({"median_ms": statistics.median(timings),
                  "p95_ms": timings[int(len(timings) * 0.95) - 1],
                  "findings": len(report.findings)}))
"""

PEOPLE = "https://example.org/synthetic/person/"
RECORD = {  # a valid executive meeting, as the web form would send it
    "id": "meeting/bench-1", "type": "Meeting", "meetingType": "mtg:executive",
    "date": "2001-03-15", "convener": PEOPLE + "t0-mayor", "chair": PEOPLE + "t0-mayor",
    "agendaItem": [{
        "id": "topic/bench-1", "type": "AgendaItem", "proposedBy": PEOPLE + "t0-vm0",
        "leadUnit": "body:finance-bureau", "materialsDeliveredOn": "2001-03-12",
        "approval": {"type": "Approval", "agent": PEOPLE + "t0-mayor", "date": "2001-03-10"},
    }],
}


def run(code: str, *args: str, timeout: float = 7200) -> dict:
    """Run ``code`` in a fresh interpreter; it prints one JSON object."""
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          timeout=timeout, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--baseline-size", type=int, default=10_000)
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--repeat", type=int, default=200, help="single-record runs")
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="govkg-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)

    files = {}
    for size in sorted(set(args.sizes) | {args.baseline_size}):
        files[size] = workdir / f"records-{size}.nt"
        if not files[size].exists():
            write(files[size], size)

    print(f"{'records':>8} {'triples':>9} {'wall s':>7} {'records/s':>10} {'peak MB':>8} "
          f"{'findings':>8}  engine")
    fast = {}
    for size in args.sizes:
        fast[size] = run(FAST, str(files[size]))
        r = fast[size]
        print(f"{size:>8} {r['triples']:>9} {r['seconds']:>7.2f} {size / r['seconds']:>10.0f} "
              f"{r['peak_mb']:>8.0f} {r['findings']:>8}  govkg (SPARQL on Oxigraph)", flush=True)

    size = args.baseline_size
    if not args.skip_baseline:
        base = run(PYSHACL, str(files[size]))
        mine = fast.get(size) or run(FAST, str(files[size]))
        print(f"{size:>8} {'':>9} {base['seconds']:>7.2f} {size / base['seconds']:>10.0f} "
              f"{base['peak_mb']:>8.0f} {base['findings']:>8}  plain pySHACL (rdflib, in memory)")
        same = {tuple(k) for k in base["keys"]} == {tuple(k) for k in mine["keys"]}
        print(f"\nspeed-up on {size} records: {base['seconds'] / mine['seconds']:.0f}x "
              f"(target ≥ 50x); rule findings identical: {'yes' if same else 'NO'}")

    roster = workdir / "roster.nt"
    roster.write_text("".join(Generator(1).roster()), encoding="utf-8")
    record = workdir / "record.json"
    record.write_text(json.dumps(RECORD, ensure_ascii=False), encoding="utf-8")
    single = run(SINGLE, str(roster), str(record), str(args.repeat))
    print(f"one record against the loaded rules: median {single['median_ms']:.1f} ms, "
          f"p95 {single['p95_ms']:.1f} ms over {args.repeat} runs (target ≤ 50 ms); "
          f"findings: {single['findings']}")
    largest = max(args.sizes)
    r = fast[largest]
    print(f"{largest} records: {r['seconds']:.1f} s (target ≤ 20 s), "
          f"{r['peak_mb']:.0f} MB peak (target ≤ 2048 MB)")
    print(f"(data in {workdir}; machines are noisy: compare ratios within one run)")


if __name__ == "__main__":
    main()
