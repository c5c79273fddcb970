"""Real servers for the service tests: ``govkg serve`` (gunicorn) in a subprocess.

Each server listens on a free 127.0.0.1 port, is waited for on ``/healthz`` (at most 30 s)
and is stopped at the end of the session. Its stderr (gunicorn's log and the JSON access log)
goes to a file the tests can read.
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


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[Server]:
    """The read-only service with small limits, so tests can reach them quickly."""
    log = tmp_path_factory.mktemp("server") / "serve.log"
    running = start_server(
        log, "--workers", "2", "--threads", "4", "--query-timeout", "3", "--max-rows", "1000",
        "--max-body", "65536",
    )
    yield running
    stop_server(running.process)


@pytest.fixture(scope="session")
def update_server(tmp_path_factory) -> Iterator[Server]:
    """A service with SPARQL Update enabled by a bearer token (from the environment)."""
    log = tmp_path_factory.mktemp("update-server") / "serve.log"
    running = start_server(log, "--workers", "2", "--threads", "2",
                           env={"GOVKG_UPDATE_TOKEN": UPDATE_TOKEN})
    yield running
    stop_server(running.process)
