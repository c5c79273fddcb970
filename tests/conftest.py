"""Real servers for the service tests: ``govkg serve`` (gunicorn) in a subprocess.

Each server listens on a free 127.0.0.1 port, is waited for on ``/healthz`` (at most 30 s)
and is stopped at the end of the session. Its stderr (gunicorn's log and the JSON access log)
goes to a file the tests can read.

The ``server`` fixture is parametrised by store backend, so every test that uses it runs on
each: ``embedded`` (Oxigraph on disk, the default), ``memory`` (rdflib), and the remote
``oxigraph-server`` and ``virtuoso`` when ``GOVKG_TEST_OXIGRAPH_URL`` /
``GOVKG_TEST_VIRTUOSO_URL`` name a running endpoint (``.ci/run`` starts both with the scripts
in ``.ci/backends/``; without them those runs are skipped, with the reason). A remote store is
filled with ``govkg load`` first (a no-op when it already holds this data version).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

_SIBLING = Path(sys.executable).with_name("govkg")
GOVKG = str(_SIBLING) if _SIBLING.exists() else (shutil.which("govkg") or "govkg")
UPDATE_TOKEN = "test-token-4f9c"
START_LIMIT = 30.0


@dataclass
class Server:
    """A running ``govkg serve``: its base URL, log file and measured start-up time."""

    url: str
    log: Path
    startup_seconds: float
    process: subprocess.Popen

    @property
    def sparql(self) -> str:
        return self.url + "/sparql"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(log: Path, *args: str, env: dict[str, str] | None = None) -> Server:
    """Start ``govkg serve`` and wait (bounded) until ``/healthz`` answers 200."""
    port = free_port()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("GOVKG_")}
    environ.update(env or {})
    started = time.monotonic()
    handle = log.open("wb")
    process = subprocess.Popen(
        [GOVKG, "serve", "--host", "127.0.0.1", "--port", str(port), *args],
        stdout=handle,
        stderr=subprocess.STDOUT,
        env=environ,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(int(START_LIMIT / 0.02)):
        if process.poll() is not None:
            raise RuntimeError(f"govkg serve exited with {process.returncode}:\n"
                               + log.read_text(errors="replace"))
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1) as response:
                if response.status == 200:
                    return Server(url, log, time.monotonic() - started, process)
        except OSError:
            pass
        if time.monotonic() - started > START_LIMIT:
            break
        time.sleep(0.02)
    stop_server(process)
    raise RuntimeError(f"govkg serve did not answer /healthz within {START_LIMIT} s")


def stop_server(process: subprocess.Popen) -> None:
    """SIGTERM the server's process group (master, workers, zygote, executors); bounded wait."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
    except ProcessLookupError:
        pass


BACKENDS = ("embedded", "memory", "oxigraph-server", "virtuoso")
REMOTE = {"oxigraph-server": "GOVKG_TEST_OXIGRAPH", "virtuoso": "GOVKG_TEST_VIRTUOSO"}
LOCAL = ("embedded", "memory")
"""Backends whose queries run in govkg's own killable executors."""


def store_args(backend: str, folder: Path) -> list[str]:
    """``govkg serve`` arguments for a backend (skips the test if it is not available)."""
    if backend == "embedded":
        # filled ahead, as a restart finds it (the first load is timed in test_backends.py)
        path = folder / "oxigraph"
        subprocess.run([sys.executable, "-m", "govkg.store.writer", "prepare", str(path),
                        "https://w3id.org/govkg/yueqing/"], check=True, timeout=120,
                       capture_output=True)
        return ["--store", f"oxigraph:{path}"]
    if backend == "memory":
        return ["--store", "memory"]
    prefix = REMOTE[backend]
    url = os.environ.get(prefix + "_URL")
    if not url:
        pytest.skip(f"{backend}: no endpoint ({prefix}_URL unset; .ci/run starts one with "
                    f".ci/backends/)")
    update = os.environ.get(prefix + "_UPDATE_URL", url)
    loaded = subprocess.run([GOVKG, "load", "--to", update, "--query-url", url],
                            capture_output=True, text=True, timeout=600, check=False)
    assert loaded.returncode == 0, loaded.stderr
    return ["--store", f"sparql:{url}"]


# Which backends each module's ``server`` tests run on (others: embedded only). The protocol,
# named-question API, security and limits tests run everywhere; the page smoke tests and the
# named questions' expected answers on the remote engines too (rdflib is too slow for pages).
MODULE_BACKENDS = {
    "test_sparql_protocol": BACKENDS,
    "test_api": BACKENDS,
    "test_security": BACKENDS,
    "test_limits": BACKENDS,
    "test_web": ("embedded", "oxigraph-server", "virtuoso"),
    "test_queries": ("embedded", "oxigraph-server"),
}


def pytest_generate_tests(metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        name = metafunc.module.__name__.rpartition(".")[2]
        metafunc.parametrize("backend", MODULE_BACKENDS.get(name, ("embedded",)),
                             indirect=True, scope="session")


@pytest.fixture(scope="session")
def backend(request) -> str:
    """The store backend the ``server`` fixture runs on (see ``MODULE_BACKENDS``)."""
    return request.param


@pytest.fixture(scope="session")
def server(tmp_path_factory, backend: str) -> Iterator[Server]:
    """The read-only service with small limits, so tests can reach them quickly."""
    folder = tmp_path_factory.mktemp(f"server-{backend}")
    running = start_server(
        folder / "serve.log", "--workers", "2", "--threads", "4", "--query-timeout", "3",
        "--max-rows", "1000", "--max-body", "65536", *store_args(backend, folder),
    )
    yield running
    stop_server(running.process)


@pytest.fixture
def local_server(server: Server, backend: str) -> Server:
    """``server`` when its queries run in govkg's executors (timeout tests need them)."""
    if backend not in LOCAL:
        pytest.skip(f"{backend}: the remote engine runs the query; see test_backends.py")
    return server


@pytest.fixture
def timed_server(server: Server, backend: str) -> Server:
    """``server``, except rdflib: it evaluates in pure Python, too slow for timing tests
    (start-up, concurrent load); its answers are still checked by every other test."""
    if backend == "memory":
        pytest.skip("memory (rdflib): not for timing tests")
    return server


@pytest.fixture(scope="session", params=LOCAL)
def update_server(tmp_path_factory, request) -> Iterator[Server]:
    """A service with SPARQL Update enabled by a bearer token (from the environment)."""
    folder = tmp_path_factory.mktemp(f"update-server-{request.param}")
    running = start_server(folder / "serve.log", "--workers", "2", "--threads", "2",
                           *store_args(request.param, folder),
                           env={"GOVKG_UPDATE_TOKEN": UPDATE_TOKEN})
    yield running
    stop_server(running.process)
