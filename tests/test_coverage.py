"""``govkg coverage`` as a user runs it: a real process, real exit codes, real data folders."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from govkg import resources

GOVKG = shutil.which("govkg") or str(Path(sys.executable).with_name("govkg"))
# Chapters 2, 4 and 10–13 must be covered in full (articles 4–11, 18–22, 44–69)
REQUIRED = set(range(4, 12)) | set(range(18, 23)) | set(range(44, 70))


def run(*args: str, root: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOVKG_")}
    if root is not None:
        env["GOVKG_DATA_ROOT"] = str(root)
    return subprocess.run([GOVKG, "coverage", *args], capture_output=True, text=True,
                          timeout=120, env=env)


def copy_of_the_data(tmp_path: Path) -> Path:
    """A data root of our own, so a test can break it without touching the checkout."""
    root = tmp_path / "root"
    for name in ("ontology", "shapes", "data", "queries"):
        source = resources.path(name)
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            (root / name).mkdir(parents=True)
    return root


def test_every_article_is_reported_and_the_required_ones_are_covered() -> None:
    result = run("--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [a["article"] for a in report] == list(range(1, 70))
    by_number = {a["article"]: a for a in report}
    for number in REQUIRED:
        assert by_number[number]["required"] is True
        assert by_number[number]["facts"] > 0, number
    assert all(a["problem"] is None for a in report)


def test_uncovered_articles_say_why_in_both_languages() -> None:
    report = json.loads(run("--format", "json").stdout)
    uncovered = [a for a in report if a["facts"] == 0]
    # articles 1–3 state the basis, guiding thought and principles: nothing to assign
    assert [a["article"] for a in uncovered] == [1, 2, 3]
    for art in uncovered:
        assert set(art["note"]) == {"zh-Hans", "en"}
        assert "declarative" in art["note"]["en"]


def test_facts_are_counted_through_paragraphs_and_items() -> None:
    report = {a["article"]: a for a in json.loads(run("--format", "json").stdout)}
    # article 46: 4 entries for convening and chairing (mayor, or the executive vice mayor when
    # entrusted), 3 members, 4 sitting in, 4 invited, 2 sitting in as needed, 8 tasks
    # (items 1–8), 1 frequency
    assert report[46]["facts"] == 26
    # article 67: observing the leave system, four approvals, the office informing the leaders
    assert report[67]["facts"] == 6


def test_text_format_lists_69_articles_and_a_summary() -> None:
    result = run()
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 70
    assert lines[0].startswith("第一条") and "0 facts" in lines[0] and "纯说明性条文" in lines[0]
    assert lines[66].startswith("第六十七条") and "6 facts" in lines[66]
    assert lines[-1].startswith("66 of 69 articles covered")


def test_a_missing_coverage_note_fails(tmp_path: Path) -> None:
    root = copy_of_the_data(tmp_path)
    (root / "data" / "kg" / "coverage-notes.ttl").unlink()
    result = run(root=root)
    assert result.returncode == 1
    for number in (1, 2, 3):
        assert f"article {number}: no fact cites it and it has no coverage note" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_uncovered_required_article_fails(tmp_path: Path) -> None:
    root = copy_of_the_data(tmp_path)
    (root / "data" / "kg" / "discipline.ttl").unlink()  # chapter 13, with article 67
    result = run("--format", "json", root=root)
    assert result.returncode == 1
    failed = {a["article"] for a in json.loads(result.stdout) if a["problem"]}
    assert failed == set(range(61, 69))
    assert "article 67: no fact cites it, and its chapter must be covered" in result.stderr


def test_a_broken_data_file_exits_2_naming_it(tmp_path: Path) -> None:
    root = copy_of_the_data(tmp_path)
    broken = root / "data" / "kg" / "meetings.ttl"
    broken.write_text(broken.read_text(encoding="utf-8") + "\nfact:oops a .\n", encoding="utf-8")
    result = run(root=root)
    assert result.returncode == 2
    assert "meetings.ttl: not valid Turtle" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_format_exits_2() -> None:
    result = run("--format", "xml")
    assert result.returncode == 2
    assert "Invalid value for '--format'" in result.stderr
    assert "Traceback" not in result.stderr
