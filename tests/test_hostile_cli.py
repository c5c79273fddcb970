"""Hostile input to the command line: ``govkg validate`` and ``govkg load`` (issue 8).

The same corpus as the HTTP tests. A file or an option that cannot be used must end the
command with exit status 2 and a message naming it — never a traceback — and nothing may be
written or modified: no report file appears, the input files keep their bytes and times, and
``govkg load`` makes no connection (a listening socket of the test counts them).
"""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import time
from contextlib import suppress
from pathlib import Path

import pytest
from conftest import GOVKG
from hostile import corpus

EXTENSION = {"rdf-xml": ".rdf", "json-ld": ".jsonld", "json": ".json", "turtle": ".ttl"}
LIMIT = 120  # seconds any one command may take


def govkg(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOVKG_")}
    return subprocess.run([GOVKG, *args], capture_output=True, timeout=LIMIT, cwd=cwd, env=env,
                          check=False)


def fingerprint(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def assert_refused(result: subprocess.CompletedProcess, *mentions: str) -> str:
    message = result.stderr.decode("utf-8", "replace") + result.stdout.decode("utf-8", "replace")
    assert result.returncode == 2, (result.returncode, message[-500:])
    assert "Traceback" not in message, message[-2000:]
    for mention in mentions:
        assert mention in message, message[-500:]
    return message


# --- govkg validate ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(corpus.REFUSED))
def test_validate_refuses_hostile_records(tmp_path, name) -> None:
    make, fmt, mention = corpus.REFUSED[name]
    records = tmp_path / f"{name}{EXTENSION[fmt]}"
    records.write_bytes(make())
    before = fingerprint(records)
    report = tmp_path / "report.txt"
    result = govkg("validate", str(records), "-o", str(report), cwd=tmp_path)
    assert_refused(result, records.name, mention)
    assert not report.exists()
    assert fingerprint(records) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [records.name]


def test_validate_stops_a_gzip_bomb_at_the_cap(tmp_path) -> None:
    bomb = tmp_path / "records.ttl.gz"
    bomb.write_bytes(corpus.gzip_bomb(64 << 20))
    before = fingerprint(bomb)
    started = time.monotonic()
    result = govkg("validate", str(bomb), "--max-bytes", str(1 << 20), "-o",
                   str(tmp_path / "report.txt"))
    assert_refused(result, "records.ttl.gz", "decompresses to more than 1048576 bytes")
    assert time.monotonic() - started < 30
    assert fingerprint(bomb) == before
    assert not (tmp_path / "report.txt").exists()


def test_validate_reads_a_10_mb_literal(tmp_path) -> None:
    """Valid records with one huge literal are validated, not refused: exit 0 (no findings)."""
    records = tmp_path / "big.ttl"
    records.write_bytes(corpus.big_literal(10 << 20))
    before = fingerprint(records)
    result = govkg("validate", str(records), "-f", "json")
    assert result.returncode == 0, result.stderr[-500:]
    assert b"Traceback" not in result.stderr
    assert fingerprint(records) == before


def written(name: str, content: bytes):
    def make(folder: Path) -> Path:
        (folder / name).write_bytes(content)
        return folder / name
    return make


@pytest.mark.parametrize("setup,mention", [
    (lambda d: d / "missing.ttl", "missing.ttl"),
    (lambda d: d, "directory"),
    (written("records.exe", b"x"), ".exe"),
    (written("empty.ttl.gz", b"\x1f\x8b\x08\x00"), "gzip"),
    (written("\u4e50\u6e05.ttl", b"<a> <b> ."), "乐清.ttl"),
])
def test_validate_names_the_unusable_file(tmp_path, setup, mention) -> None:
    path = setup(tmp_path)
    result = govkg("validate", str(path), "-o", str(tmp_path / "report.txt"))
    assert_refused(result, mention)
    assert not (tmp_path / "report.txt").exists()


# --- govkg load --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def load_available() -> None:
    if govkg("load", "--help").returncode != 0:
        pytest.skip("govkg load is not registered in this tree")


@pytest.fixture
def trap():
    """A listening socket standing in for a store: no refused command may connect to it."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        listener.setblocking(False)
        hits: list = []
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", hits
        with suppress(BlockingIOError):
            hits.append(listener.accept())
        assert hits == [], "a refused command connected to the store"


@pytest.mark.parametrize("args,mention", [
    (["--to", "file:///etc/passwd"], "not an http(s) URL"),
    (["--to", "gopher://127.0.0.1:70/"], "not an http(s) URL"),
    (["--to", "http://127.0.0.1/\x01update"], "control character"),
    (["--to", "http://127.0.0.1/up date"], "control character"),
    (["--to", "{store}/update", "--gsp", "{store}/store"], "exactly one"),
    (["--to", "{store}/update", "--base-iri", "../../etc/"], "--base-iri"),
    (["--to", "{store}/update", "--base-iri", "http://x/\x01/"], "--base-iri"),
    (["--to", "{store}/update", "--base-iri", 'http://x/"} ; DROP ALL ; #/'], "--base-iri"),
    (["--to", "{store}/update", "--batch", "0"], "--batch"),
    (["--to", "{store}/update", "--batch", "1e99"], "--batch"),
])
def test_load_refuses_unusable_options_without_connecting(load_available, trap, args,
                                                          mention) -> None:
    store, _hits = trap
    result = govkg("load", *(a.replace("{store}", store) for a in args))
    assert_refused(result, mention)


def test_load_reports_an_unreachable_store(load_available) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = govkg("load", "--to", f"http://127.0.0.1:{port}/update")
    message = result.stderr.decode("utf-8", "replace")
    assert result.returncode != 0
    assert "Traceback" not in message and "cannot be reached" in message
