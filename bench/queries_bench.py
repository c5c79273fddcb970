"""Named-question benchmark: every ``queries/*.rq`` with its defaults on the embedded store.

Each question runs as the service runs it — pyoxigraph over the dataset loaded by
``govkg.dataset.load``, parameters bound as terms by SEP-0007 substitution, every row read —
for ``--rounds`` rounds after one warm-up round. Printed: per question, the rows and the median
time; for the whole set, the median over rounds of one full pass (the issue's target: all
questions together under 1 s). Baselines measured in the same run, on the same machine:

* a trivial ``ASK {}`` on the same store — what any query costs at least, so each question's
  time is also shown as a multiple of it;
* with ``--rdflib``, the same questions (parameters written in as constants) on rdflib's
  in-memory SPARQL engine over the same four named graphs — the speed-up of the engine we use.

    python bench/queries_bench.py [--rounds 15] [--rdflib] [--rdflib-rounds 1]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).parent))
from govkg import dataset, resources
from govkg.api.loader import Question, load_all
from http_bench import PARAMETERS, concrete

TARGET_SECONDS = 1.0


def parameters(name: str) -> dict[str, str]:
    """The values a question runs with: its defaults, or http_bench's first set for those
    (like chapter_articles) whose required parameter deliberately has none."""
    return dict(PARAMETERS.get(name, [{}])[0])


def bindings(question: Question, values: dict[str, str]) -> dict[ox.Variable, ox.Term]:
    """Terms bound exactly as ``GET /api/queries/<name>`` binds them."""
    bound = {}
    for p in question.parameters:
        raw = values.get(p.name, p.default)
        if raw:
            bound[ox.Variable(p.variable)] = p.term(raw)
    return bound


def runner(store: ox.Store, text: str, substitutions: dict | None = None) -> Callable[[], int]:
    """A function that evaluates ``text`` and reads every row (what serving it requires)."""

    def run() -> int:
        result = store.query(text, substitutions=substitutions or None,
                             use_default_graph_as_union=True)
        return 1 if isinstance(result, ox.QueryBoolean) else sum(1 for _ in result)

    return run


def timed(run: Callable[[], int]) -> tuple[float, int]:
    started = time.perf_counter()
    rows = run()
    return time.perf_counter() - started, rows


def rdflib_dataset(store: ox.Store):
    """The service's four named graphs in an rdflib Dataset (imported only when asked for)."""
    import rdflib

    graphs = rdflib.Dataset()
    graphs.parse(data=store.dump(format=ox.RdfFormat.N_QUADS).decode(), format="nquads")
    return graphs


def rdflib_median(graphs, text: str, rounds: int) -> float | None:
    """Median seconds of the question on rdflib, or None if rdflib cannot run it."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        try:
            list(graphs.query(text))
        except Exception:  # rdflib rejects or fails on some valid SPARQL 1.1
            return None
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--rdflib", action="store_true", help="also time rdflib's engine")
    parser.add_argument("--rdflib-rounds", type=int, default=1)
    args = parser.parse_args()

    store = ox.Store()
    dataset.load(store)
    questions = load_all(resources.path("queries"))
    runners = {name: runner(store, q.text, bindings(q, parameters(name)))
               for name, q in questions.items()}
    ask = runner(store, "ASK {}")

    per_question: dict[str, list[float]] = {name: [] for name in runners}
    rows: dict[str, int] = {}
    passes, asks = [], []
    for round_no in range(args.rounds + 1):  # round 0 warms up and is not counted
        total = 0.0
        for name, run in runners.items():
            seconds, rows[name] = timed(run)
            total += seconds
            if round_no:
                per_question[name].append(seconds)
        ask_seconds, _ = timed(ask)
        if round_no:
            passes.append(total)
            asks.append(ask_seconds)

    ask_median = statistics.median(asks)
    graphs = rdflib_dataset(store) if args.rdflib else None
    print(f"{len(runners)} named questions, {args.rounds} rounds; baseline ASK {{}} median "
          f"{ask_median * 1e3:.3f} ms")
    head = f"{'question':32} {'rows':>5} {'median ms':>10} {'× ASK':>8}"
    print(head + (f" {'rdflib ms':>10} {'speed-up':>9}" if graphs else ""))
    rdflib_total, rdflib_failed = 0.0, []
    for name in runners:
        median = statistics.median(per_question[name])
        line = f"{name:32} {rows[name]:>5} {median * 1e3:>10.2f} {median / ask_median:>8.0f}"
        if graphs is not None:
            text = concrete(questions[name], parameters(name))
            other = rdflib_median(graphs, text, args.rdflib_rounds)
            if other is None:
                rdflib_failed.append(name)
                line += f" {'error':>10} {'':>9}"
            else:
                rdflib_total += other
                line += f" {other * 1e3:>10.1f} {other / median:>8.0f}×"
        print(line)

    total = statistics.median(passes)
    print(f"\nall {len(runners)} together: median {total * 1e3:.1f} ms per pass "
          f"(min {min(passes) * 1e3:.1f}, max {max(passes) * 1e3:.1f}); "
          f"{total / (len(runners) * ask_median):.0f}× the cost of as many trivial ASKs")
    if graphs is not None:
        print(f"rdflib, the {len(runners) - len(rdflib_failed)} it can run: "
              f"{rdflib_total:.2f} s; failed: {', '.join(rdflib_failed) or 'none'}")
    verdict = "met" if total < TARGET_SECONDS else "MISSED"
    print(f"target: all together < {TARGET_SECONDS:.0f} s — {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
