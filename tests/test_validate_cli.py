"""``govkg validate`` and ``govkg rules`` as users run them: real processes, real exit codes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
ROSTER = FIXTURES / "roster.ttl"
PREFIXES = (FIXTURES / "minutes-signed-by-mayor.trig").read_text(encoding="utf-8")
HEADER = "".join(line + "\n" for line in PREFIXES.splitlines() if line.startswith("@prefix"))
# Executive meeting minutes signed by the executive vice mayor: article 51 says the mayor signs.
HARD = HEADER + """
ex:m1 a gk:Meeting ; gk:meetingType mtg:executive ; gk:date "2023-01-10"^^xsd:date ;
    gk:chair p:mayor .
ex:minutes1 a gk:Minutes ; gk:minutesOf ex:m1 ; gk:signedBy p:evm ;
    gk:signedOn "2023-01-12"^^xsd:date .
"""
# A work-deployment meeting of 120 minutes: article 52 says normally (一般) at most 90.
SOFT = HEADER + """
ex:m2 a gk:Meeting ; gk:meetingType mtg:work-deployment ; gk:date "2023-05-10"^^xsd:date ;
    gk:durationMinutes 120 .
"""
CLEAN = HEADER + """
ex:m3 a gk:Meeting ; gk:meetingType mtg:work-deployment ; gk:date "2023-05-10"^^xsd:date ;
    gk:durationMinutes 60 .
"""
TIMEOUT = 120


def govkg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from govkg.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=TIMEOUT)


@pytest.fixture
def files(tmp_path):
    out = {}
    for name, text in (("hard", HARD), ("soft", SOFT), ("clean", CLEAN)):
        out[name] = tmp_path / f"{name}.ttl"
        out[name].write_text(text, encoding="utf-8")
    return out


def test_exit_codes_follow_the_verdict(files):
    assert govkg("validate", str(ROSTER), str(files["clean"])).returncode == 0
    assert govkg("validate", str(ROSTER), str(files["soft"])).returncode == 0
    assert govkg("validate", "--strict", str(ROSTER), str(files["soft"])).returncode == 1
    assert govkg("validate", str(ROSTER), str(files["hard"])).returncode == 1


def test_text_report_is_grouped_by_article_with_the_clause(files):
    zh = govkg("validate", str(ROSTER), str(files["hard"]))
    assert "== 第51条 ==" in zh.stdout
    assert "minutes-signed-by-mayor" in zh.stdout
    assert "纪要由市长签发" in zh.stdout  # the clause text, quoted
    assert "第五十一条第一款" in zh.stdout
    en = govkg("validate", "--lang", "en", str(ROSTER), str(files["hard"]))
    assert "== Article 51 ==" in en.stdout
    assert "Article 51(1)" in en.stdout
    assert "signed by the mayor" in en.stdout


def test_json_summary_counts_by_article_and_severity(files):
    done = govkg("validate", "-f", "json", str(ROSTER), str(files["hard"]), str(files["soft"]))
    report = json.loads(done.stdout)
    summary = report["summary"]
    assert summary["conforms"] is False and summary["conformsAll"] is False
    assert summary["bySeverity"] == {"Violation": 1, "Warning": 1, "Info": 0}
    assert summary["byArticle"] == {"51": {"Violation": 1}, "52": {"Warning": 1}}
    first = report["findings"][0]
    assert first["rule"] == "minutes-signed-by-mayor"
    assert first["clauses"][0]["iri"].endswith("/art_51/para_1")
    assert first["message"]["zh"] and first["message"]["en"]


def test_rdf_report_is_a_shacl_report_enriched_with_clauses(files):
    done = govkg("validate", "-f", "turtle", str(ROSTER), str(files["hard"]))
    g = Graph().parse(data=done.stdout, format="turtle")
    sh = "http://www.w3.org/ns/shacl#"
    results = list(g.subjects(URIRef(sh + "resultSeverity"), URIRef(sh + "Violation")))
    assert len(results) == 1
    clause = g.value(results[0], DCTERMS.references)
    assert str(clause).endswith("/art_51/para_1")
    assert "由市长签发" in str(g.value(clause, URIRef("https://w3id.org/govkg/ontology#text")))
    jsonld = govkg("validate", "-f", "json-ld", str(ROSTER), str(files["hard"]))
    assert len(Graph().parse(data=jsonld.stdout, format="json-ld")) == len(g)


def test_csv_and_html_reports(files):
    done = govkg("validate", "-f", "csv", str(ROSTER), str(files["hard"]))
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [(r["rule"], r["articles"], r["severity"]) for r in rows] == [
        ("minutes-signed-by-mayor", "51", "Violation")]
    page = govkg("validate", "-f", "html", "--lang", "en", str(ROSTER), str(files["hard"]))
    assert page.stdout.startswith("<!doctype html>") and "Article 51(1)" in page.stdout


def test_unusable_input_exits_2_with_file_line_and_column(tmp_path, files):
    broken = tmp_path / "broken.ttl"
    broken.write_text(HEADER + "ex:a gk:date \"2023-01-01\"^^xsd:date\nex:b gk:date .\n",
                      encoding="utf-8")
    done = govkg("validate", str(broken))
    assert done.returncode == 2
    assert f"{broken}, line " in done.stderr and "column" in done.stderr
    assert "Traceback" not in done.stderr
    missing = govkg("validate", str(tmp_path / "absent.ttl"))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    unknown = tmp_path / "records.xyz"
    unknown.write_text(CLEAN, encoding="utf-8")
    guessed = govkg("validate", str(unknown))
    assert guessed.returncode == 2 and "--input-format" in guessed.stderr
    assert govkg("validate", "-i", "turtle", str(ROSTER), str(unknown)).returncode == 0


def test_report_to_a_file(tmp_path, files):
    out = tmp_path / "report.json"
    done = govkg("validate", "-f", "json", "-o", str(out), str(ROSTER), str(files["soft"]))
    assert done.returncode == 0 and done.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["bySeverity"]["Warning"] == 1


def test_rules_catalogue_lists_every_rule():
    done = govkg("rules", "-f", "json")
    rules = json.loads(done.stdout)
    ids = {r["id"] for r in rules}
    assert {"minutes-signed-by-mayor", "request-via-oa", "department-normative-filing"} <= ids
    filing = next(r for r in rules if r["id"] == "department-normative-filing")
    assert filing["articles"] == [25] and filing["severity"] == "Warning"
    assert filing["name"]["zh"] and filing["name"]["en"]
    text = govkg("rules", "--lang", "en").stdout
    assert "department-normative-filing" in text and "rules," in text
