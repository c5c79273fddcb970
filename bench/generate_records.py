"""Write synthetic government records (N-Triples) for benchmarks and load tests.

    python bench/generate_records.py 100000 -o /tmp/records-100k.nt [--seed 7] [--error-rate 0.02]

The generator lives in the package (govkg.validation.synthetic) because the tests use it too.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from govkg.validation.synthetic import write


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("records", type=int, help="how many records (the roster comes extra)")
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--error-rate", type=float, default=0.02,
                        help="share of records made to break one rule")
    args = parser.parse_args()
    started = time.perf_counter()
    triples = write(args.output, args.records, args.seed, args.error_rate)
    print(f"{args.records} records, {triples} triples -> {args.output} "
          f"({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
