"""The wheel carries the data folders and govkg finds them from the installed package (issue 2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(ROOT)],
        check=True, timeout=300,
    )
    (found,) = out.glob("govkg-*.whl")
    return found


def test_wheel_ships_the_data_folders(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    for needed in (
        "govkg/_data/data/source/yueqing-government-work-rules-2022.txt",
        "govkg/_data/data/source/metadata.ttl",
        "govkg/_data/data/legal/yueqing-work-rules-2022.ttl",
        "govkg/_data/ontology/legal.ttl",
        "govkg/cli.py",
    ):
        assert needed in names
    assert any(n.startswith("govkg/_data/shapes/") for n in names) or (ROOT / "shapes").is_dir()


def test_installed_wheel_finds_its_data_outside_the_checkout(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site),
         str(wheel)],
        check=True, timeout=300,
    )
    probe = (
        "import json, govkg.resources as r; from govkg.legal.build import legal_graph;"
        "print(json.dumps({'root': str(r.data_root()), 'triples': len(legal_graph()),"
        " 'checkout': r.is_source_checkout()}))"
    )
    env = {k: v for k, v in os.environ.items() if k != "GOVKG_DATA_ROOT"}
    env["PYTHONPATH"] = str(site)
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert Path(found["root"]) == site / "govkg" / "_data"
    assert found["checkout"] is False
    assert found["triples"] > 1500
