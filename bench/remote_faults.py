"""Remote backend faults: the SPARQL store behind govkg stops, comes back, answers slowly.

Starts ``oxigraph serve`` (the bench extra's ``oxigraph``) on a free port, fills it with
``govkg load``, and puts a small TCP relay of this script between it and ``govkg serve
--store sparql:…/query --query-timeout 3``, so that replies can be delayed at will. Then, in
phases of ROUNDS requests each (a named question and a SPARQL count of the 69 articles):

1. normal — every answer 200 and correct;
2. store stopped (the oxigraph process is killed) — every answer a 502 with a message, fast;
3. store restarted on the same port and data — govkg answers 200 again by itself (no restart
   of govkg); the time to the first correct answer is printed;
4. store slow (the relay holds every reply 10 s) — every answer a 504 within the 3 s timeout
   plus a margin: no worker waits past its deadline;
5. store normal again — 200 and correct.

    python bench/remote_faults.py [--rounds 20]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from http_bench import free_port, start, stop

BIN = Path(sys.executable).parent
TIMEOUT = 3.0
MARGIN = 1.5
COUNT = ("SELECT (COUNT(?a) AS ?n) WHERE { ?a <http://data.europa.eu/eli/ontology#"
         "type_subdivision> <http://publications.europa.eu/resource/authority/subdivision/"
         "ARTICLE> }")


class Relay:
    """Forwards TCP connections from ``port`` to ``upstream``, holding replies ``delay`` s."""

    def __init__(self, upstream: int) -> None:
        self.upstream, self.delay = upstream, 0.0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            client, _ = self.listener.accept()
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        try:
            server = socket.create_connection(("127.0.0.1", self.upstream), timeout=30)
        except OSError:
            client.close()  # the store is down: the connection ends without an answer
            return
        threading.Thread(target=self._pipe, args=(client, server, 0.0), daemon=True).start()
        self._pipe(server, client, self.delay)

    @staticmethod
    def _pipe(source: socket.socket, target: socket.socket, delay: float) -> None:
        try:
            first = True
            while data := source.recv(65536):
                if first and delay:
                    time.sleep(delay)
                first = False
                target.sendall(data)
        except OSError:
            pass  # either side closed
        finally:
            for s in (source, target):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)


def store(location: Path, port: int) -> subprocess.Popen:
    return start([str(BIN / "oxigraph"), "serve", "--location", str(location), "--bind",
                  f"127.0.0.1:{port}"], f"http://127.0.0.1:{port}/query?query=ASK%7B%7D")


def ask(port: int, path: str) -> tuple[int, str, float]:
    started = time.monotonic()
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}",
                                     headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, body = response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        status, body = exc.code, exc.read().decode()
    return status, body, time.monotonic() - started


def phase(name: str, port: int, rounds: int, want: int) -> tuple[bool, float]:
    paths = ["/sparql?" + urllib.parse.urlencode({"query": COUNT}),
             "/api/queries/article_text?article=59"]
    results = [ask(port, paths[i % 2]) for i in range(rounds)]
    statuses = sorted({r[0] for r in results})
    slowest = max(r[2] for r in results)
    correct = all(r[0] == want for r in results)
    if want == 200:
        correct = correct and all('"69"' in r[1] for r in results[::2])
    else:
        correct = correct and all(r[1].strip() and "Traceback" not in r[1] for r in results)
    print(f"  {name}: {rounds} requests → {statuses}, slowest {slowest:.2f} s"
          + (f", e.g. {results[0][1].strip()[:90]!r}" if want != 200 else "")
          + (" — ok" if correct else " — UNEXPECTED"))
    return correct, slowest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="govkg-remote-"))
    store_port = free_port()
    oxigraph = store(folder, store_port)
    relay = Relay(store_port)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOVKG_")}
    loaded = subprocess.run([str(BIN / "govkg"), "load", "--to",
                             f"http://127.0.0.1:{store_port}/update"], capture_output=True,
                            text=True, env=env, check=False, timeout=300)
    if loaded.returncode:
        print(loaded.stderr)
        stop(oxigraph)
        return 1
    port = free_port()
    govkg = start([str(BIN / "govkg"), "serve", "--port", str(port), "--no-access-log",
                   "--store", f"sparql:http://127.0.0.1:{relay.port}/query",
                   "--query-timeout", str(TIMEOUT), "--result-cache", "0"],
                  f"http://127.0.0.1:{port}/healthz",
                  env=env)
    ok = []
    try:
        print(f"remote store: oxigraph serve via a relay; govkg query timeout {TIMEOUT:g} s")
        ok.append(phase("1 normal", port, args.rounds, 200)[0])
        stop(oxigraph)
        ok.append(phase("2 store stopped", port, args.rounds, 502)[0])
        oxigraph = store(folder, store_port)
        started = time.monotonic()
        while ask(port, "/sparql?" + urllib.parse.urlencode({"query": COUNT}))[0] != 200:
            if time.monotonic() - started > 60:
                break
            time.sleep(0.1)
        print(f"  3 store restarted: first correct answer {time.monotonic() - started:.2f} s "
              "after the store was back")
        ok.append(phase("3 store back", port, args.rounds, 200)[0])
        relay.delay = 10.0
        good, slowest = phase("4 store slow (10 s)", port, max(4, args.rounds // 4), 504)
        ok.append(good and slowest <= TIMEOUT + MARGIN)
        relay.delay = 0.0
        time.sleep(0.5)
        ok.append(phase("5 store normal", port, args.rounds, 200)[0])
        health = ask(port, "/healthz")[0]
        print(f"  /healthz at the end: {health}")
        ok.append(health == 200)
    finally:
        stop(govkg)
        stop(oxigraph)
    print("remote faults: " + ("all phases as expected" if all(ok) else "UNEXPECTED results"))
    return 0 if all(ok) else 1


if __name__ == "__main__":
    sys.exit(main())
