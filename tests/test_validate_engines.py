"""The fast engine gives pySHACL's findings on generated records; the report reads both ways."""

from __future__ import annotations

from pathlib import Path

import pytest
from govkg.validation import Input, Validator, validate
from govkg.validation.synthetic import write

FIXTURES = Path(__file__).parent / "fixtures" / "rules"


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Input:
    path = tmp_path_factory.mktemp("synthetic") / "records.nt"
    write(path, 200, seed=11, error_rate=0.2)
    return Input.from_path(path)


def keys(report) -> set[tuple]:
    return {(f.shape, f.focus, f.value, f.severity, f.path) for f in report.findings}


def test_fast_engine_equals_pyshacl_on_generated_records(generated):
    validator = Validator()
    fast = validator.validate(generated, engine="fast")
    reference = validator.validate(generated, engine="pyshacl")
    assert fast.engine == "fast" and reference.engine == "pyshacl"
    assert len(fast.findings) > 20  # the generator broke rules on purpose
    assert keys(fast) == keys(reference)
    broken_rules = {f.rule.id for f in fast.findings}
    assert len(broken_rules) >= 10


def test_verdict_is_given_both_ways():
    soft = """@prefix gk: <https://w3id.org/govkg/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://example.org/m> a gk:Meeting ;
    gk:meetingType <https://w3id.org/govkg/yueqing/id/meeting-type/work-deployment> ;
    gk:date "2023-05-10"^^xsd:date ; gk:durationMinutes 150 .
"""
    report = validate(Input.from_bytes(soft, "turtle"))
    assert report.conforms  # no hard rule broken: 一般不超过 90 分钟 is a default
    assert not report.conforms_all
    assert [f.severity for f in report.findings] == ["Warning"]
    summary = report.summary()
    assert summary["byArticle"] == {"52": {"Warning": 1}}


def test_findings_name_the_record_and_its_label():
    report = validate([FIXTURES / "roster.ttl", Input.from_bytes(
        """@prefix gk: <https://w3id.org/govkg/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://example.org/slip> a gk:WorkReminderSlip ; rdfs:label "关于防汛的工作提示单"@zh-Hans ;
    gk:date "2023-08-03"^^xsd:date ;
    gk:signedBy <https://example.org/fixture/person/deputy> .
""", "turtle")], lang="en")
    [finding] = report.findings
    assert finding.rule.id == "work-reminder-signed-by-director"
    assert finding.focus == "https://example.org/slip"
    assert finding.focus_label == "关于防汛的工作提示单"
    assert finding.value == "https://example.org/fixture/person/deputy"
    text = report.serialise()  # the report's own language: en
    assert "Article 56(1)" in text and "工作提示单由市府办主任审签" in text


def test_one_validator_serves_many_inputs():
    validator = Validator(context=[FIXTURES / "roster.ttl"])
    minutes = (FIXTURES / "minutes-signed-by-mayor.trig").read_text(encoding="utf-8")
    prefixes = "".join(line + "\n" for line in minutes.splitlines() if line.startswith("@prefix"))
    good = prefixes + """ex:m a gk:Meeting ; gk:meetingType mtg:executive ;
    gk:date "2023-01-10"^^xsd:date ; gk:chair p:mayor ; gk:convener p:mayor ."""
    bad = good.replace("gk:chair p:mayor", "gk:chair p:director")
    for _ in range(3):
        assert validator.validate(Input.from_bytes(good, "turtle")).conforms_all
        assert not validator.validate(Input.from_bytes(bad, "turtle")).conforms
