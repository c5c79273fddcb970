"""The example year in data/examples/ yields exactly the findings its README lists."""

from __future__ import annotations

import pytest
from govkg import resources
from govkg.validation import Validator

EXAMPLE = "https://w3id.org/govkg/yueqing/example/record/"
# (record, rule, severity) as listed in data/examples/README.md, from the regulation's text.
EXPECTED = {
    ("meeting-008", "executive-meeting-chair", "Violation"),
    ("meeting-019", "executive-meeting-frequency", "Warning"),
    ("minutes-028", "minutes-signed-by-mayor", "Violation"),
    ("meeting-040", "work-deployment-meeting-duration", "Warning"),
    ("document-9", "office-document-consent-signer", "Violation"),
    ("normative-3", "department-normative-filing", "Warning"),
    ("dossier-2", "decision-legality-review", "Violation"),
    ("leave-6", "vice-mayor-leave-approved-by-mayor", "Violation"),
    ("request-5", "request-via-oa", "Violation"),
}


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_example_year_findings(engine):
    files = [resources.path("data", "examples", name)
             for name in ("roster.ttl", "records-2023.ttl")]
    report = Validator().validate(files, engine=engine)
    found = {(f.focus.removeprefix(EXAMPLE), f.rule.id, f.severity) for f in report.findings}
    assert found == EXPECTED
    assert not report.conforms


def test_plain_json_example():
    files = [resources.path("data", "examples", name) for name in ("roster.ttl", "request.json")]
    report = Validator().validate(files)
    assert [(f.rule.id, f.articles) for f in report.findings] == [
        ("request-major-matter-approved-by-mayor", (58,))]
