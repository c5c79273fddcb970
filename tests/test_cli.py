"""The ``govkg`` command line as a user runs it: real processes, real exit codes (issue 2)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

GOVKG = shutil.which("govkg") or str(Path(sys.executable).with_name("govkg"))


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([GOVKG, *args], capture_output=True, text=True, timeout=120, cwd=cwd)


def test_help_lists_the_commands() -> None:
    result = run("--help")
    assert result.returncode == 0
    for name in ("build", "info"):
        assert name in result.stdout


def test_info_reports_the_regulation() -> None:
    result = run("info")
    assert result.returncode == 0, result.stderr
    assert "13 chapters, 69 articles" in result.stdout
    assert "base IRI:    https://w3id.org/govkg/yueqing/" in result.stdout


def test_build_check_says_the_checked_in_graph_is_current() -> None:
    result = run("build", "--check")
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout


def test_build_into_a_folder_with_another_base(tmp_path: Path) -> None:
    result = run("build", "--out", str(tmp_path), "--base-iri", "https://example.org/city")
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "yueqing-work-rules-2022.ttl").read_text(encoding="utf-8")
    assert "<https://example.org/city/eli/lzf/2022/11/art_59/para_2>" in text
    assert "w3id.org/govkg/yueqing/" not in text


def test_bad_base_iri_exits_2_with_a_message(tmp_path: Path) -> None:
    result = run("build", "--out", str(tmp_path), "--base-iri", "ftp://example.org/")
    assert result.returncode == 2
    assert "base IRI must be an absolute http(s) IRI" in result.stderr
    assert "Traceback" not in result.stderr
    assert not any(tmp_path.iterdir())


def test_unknown_command_exits_2() -> None:
    result = run("no-such-command")
    assert result.returncode == 2
    assert "No such command" in result.stderr


def _copy_data(tmp_path: Path) -> Path:
    from govkg import resources

    root = tmp_path / "root"
    for folder in ("data", "ontology", "shapes", "queries"):
        shutil.copytree(resources.path(folder), root / folder)
    return root


def run_with_root(root: Path, *args: str) -> subprocess.CompletedProcess:
    import os

    env = {**os.environ, "GOVKG_DATA_ROOT": str(root)}
    return subprocess.run([GOVKG, *args], capture_output=True, text=True, timeout=120, env=env)


def test_build_refuses_a_broken_kg_file_with_exit_2(tmp_path: Path) -> None:
    root = _copy_data(tmp_path)
    broken = root / "data" / "kg" / "bodies.ttl"
    broken.write_text(broken.read_text(encoding="utf-8") + "\nbody:x rdfs:label .\n", "utf-8")
    result = run_with_root(root, "build", "--check")
    assert result.returncode == 2
    assert "bodies.ttl" in result.stderr and "not valid Turtle" in result.stderr
    assert "Traceback" not in result.stderr


def test_build_fails_when_a_fact_cites_a_clause_that_does_not_exist(tmp_path: Path) -> None:
    root = _copy_data(tmp_path)
    kg = root / "data" / "kg" / "meetings.ttl"
    text = kg.read_text(encoding="utf-8")
    assert "lr:art_44\\/para_1" in text
    kg.write_text(text.replace("lr:art_44\\/para_1", "lr:art_44\\/para_9"), "utf-8")
    result = run_with_root(root, "build", "--check")
    assert result.returncode == 1
    assert "self-check failed" in result.stderr
    assert "art_44/para_9" in result.stderr
