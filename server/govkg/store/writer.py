"""Write to an on-disk Oxigraph store from a fresh interpreter: ``python -m govkg.store.writer``.

RocksDB starts background threads and keeps process-wide state; a process *forked* from one
that has opened a RocksDB database hangs on its first write (measured: the update never
returns). Every write to a persistent store — the first load and each update — therefore runs
in a new interpreter that has never touched RocksDB, started with ``subprocess`` and killed at
its deadline (a killed writer commits nothing: each update is one transaction).

Usage: ``prepare PATH BASE`` loads the packaged data unless the marker already matches;
``update PATH`` applies the SPARQL update read from standard input and counts it in the
marker. Either prints one JSON object: ``{"commits": n, "loaded": bool}`` or ``{"error": …}``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox

from .. import dataset
from . import marker


def prepare(path: Path, base: str) -> dict:
    """Load the packaged data into ``path`` unless its marker says it holds them already."""
    wanted = marker.packaged(base)
    path.mkdir(parents=True, exist_ok=True)
    store = ox.Store(str(path))
    found = marker.read(store)
    if found is not None and found.version == wanted.version:
        return {"commits": found.commits, "loaded": False}
    store.clear()
    dataset.load(store, base)
    marker.write(store, wanted)  # last: a store with this marker is complete
    store.flush()
    return {"commits": 0, "loaded": True}


def update(path: Path, text: str) -> dict:
    """Apply one update and count it in the marker, in one transaction each."""
    store = ox.Store(str(path))
    store.update(text)
    found = marker.read(store)
    commits = found.commits + 1 if found else 1
    if found is not None:
        marker.write(store, marker.Marker(found.version, found.graphs, commits))
    store.flush()
    return {"commits": commits, "loaded": False}


def run(args: list[str], *, stdin: str = "", timeout: float) -> dict:
    """Run this module in a fresh interpreter; raise TimeoutError past ``timeout``."""
    try:
        done = subprocess.run([sys.executable, "-m", __name__, *args], input=stdin,
                              capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise TimeoutError(f"stopped after {timeout:g} s") from None
    try:
        return json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        detail = " ".join(done.stderr.split()[-40:])
        return {"error": f"the writer exited with {done.returncode}: {detail}"}


def main(argv: list[str]) -> int:
    try:
        if argv[0] == "prepare":
            reply = prepare(Path(argv[1]), argv[2])
        else:
            reply = update(Path(argv[1]), sys.stdin.read())
    except SyntaxError as exc:
        reply = {"error": " ".join(str(exc).split()), "syntax": True}
    except (OSError, RuntimeError, ValueError) as exc:
        reply = {"error": " ".join(str(exc).split())}
    print(json.dumps(reply))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
