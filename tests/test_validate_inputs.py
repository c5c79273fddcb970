"""Inputs: every accepted syntax gives the same findings; bad or hostile input is refused clearly.

The record used throughout is a request submitted on paper, which article 57(2) forbids
(请示件一律通过 OA 办公系统流转) — so each syntax must yield exactly that rule.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pytest
from govkg.validation import CONTEXT_IRI, Input, InputError, Validator
from rdflib import Dataset, Graph, URIRef

RULE = "https://w3id.org/govkg/shapes#request-via-oa"
TURTLE = """\
@prefix gk:   <https://w3id.org/govkg/ontology#> .
@prefix body: <https://w3id.org/govkg/yueqing/id/body/> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

<https://example.org/r/request-1> a gk:Request ;
    rdfs:label "关于调整公交线路的请示"@zh-Hans ;
    gk:submittedBy body:finance-bureau ;
    gk:submittedOn "2023-04-01"^^xsd:date ;
    gk:channel gk:channel-paper ;
    gk:receivedBy body:government-office .
"""
PLAIN_JSON = [{
    "id": "https://example.org/r/request-1",
    "type": "Request",
    "label": {"@value": "关于调整公交线路的请示", "@language": "zh-Hans"},
    "submittedBy": "body:finance-bureau",
    "submittedOn": "2023-04-01",
    "channel": "gk:channel-paper",
    "receivedBy": "body:government-office",
}]


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator()


def rules_found(validator: Validator, *inputs) -> set[str]:
    return {f.shape for f in validator.validate(list(inputs)).findings}


def graph() -> Graph:
    return Graph().parse(data=TURTLE, format="turtle")


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def dataset_text(fmt: str) -> str:
    ds = Dataset()
    named = ds.graph(URIRef("https://example.org/r/graph"))
    for triple in graph():
        named.add(triple)
    return ds.serialize(format=fmt)


@pytest.mark.parametrize("name,content", [
    ("records.ttl", TURTLE),
    ("records.nt", graph().serialize(format="nt")),
    ("records.nq", dataset_text("nquads")),
    ("records.trig", dataset_text("trig")),
    ("records.jsonld", graph().serialize(format="json-ld")),
    ("records.rdf", graph().serialize(format="xml")),
    ("records.json", json.dumps(PLAIN_JSON, ensure_ascii=False)),
])
def test_every_syntax_gives_the_same_finding(tmp_path, validator, name, content):
    path = write(tmp_path, name, content)
    assert rules_found(validator, Input.from_path(path)) == {RULE}


def test_gzip_is_read(tmp_path, validator):
    path = write(tmp_path, "records.ttl.gz", gzip.compress(TURTLE.encode("utf-8")))
    assert rules_found(validator, Input.from_path(path)) == {RULE}


def test_gzip_size_is_capped(tmp_path):
    path = write(tmp_path, "bomb.nt.gz", gzip.compress(b"#" * 5_000_000))
    with pytest.raises(InputError, match="more than 1000000 bytes"):
        Input.from_path(path, max_bytes=1_000_000)


def test_format_flag_overrides_the_extension(tmp_path, validator):
    path = write(tmp_path, "records.txt", TURTLE)
    with pytest.raises(InputError, match="input-format"):
        Input.from_path(path)
    assert rules_found(validator, Input.from_path(path, "turtle")) == {RULE}


def test_turtle_syntax_error_names_file_line_and_column(tmp_path, validator):
    broken = TURTLE.replace('gk:submittedOn "2023-04-01"^^xsd:date ;',
                            'gk:submittedOn "2023-04-01"^^xsd:date')
    path = write(tmp_path, "broken.ttl", broken)
    with pytest.raises(InputError) as caught:
        validator.validate(Input.from_path(path))
    error = caught.value
    assert error.source == str(path)
    assert error.line == 10  # the statement continues on line 10 without a ';'
    assert error.column is not None and error.column >= 1
    assert f"{path}, line 10, column {error.column}" in str(error)


def test_json_syntax_error_names_line_and_column(tmp_path, validator):
    path = write(tmp_path, "broken.json", '[\n  {"id": "x",\n   "type": "Request",,}\n]')
    with pytest.raises(InputError) as caught:
        validator.validate(Input.from_path(path))
    assert (caught.value.line, caught.value.column) == (3, 22)


def test_remote_json_ld_context_is_refused_not_fetched(tmp_path, validator):
    document = {"@context": "https://attacker.example/context.jsonld", "@graph": PLAIN_JSON}
    path = write(tmp_path, "records.jsonld", json.dumps(document))
    with pytest.raises(InputError, match="refusing to load the remote JSON-LD context"):
        validator.validate(Input.from_path(path))
    nested = {"@context": [{"gk": "https://w3id.org/govkg/ontology#"},
                           "http://attacker.example/other"], "@graph": []}
    path = write(tmp_path, "nested.jsonld", json.dumps(nested))
    with pytest.raises(InputError, match="remote JSON-LD context"):
        validator.validate(Input.from_path(path))


def test_published_context_iri_maps_to_the_packaged_file(tmp_path, validator):
    document = {"@context": CONTEXT_IRI, "@graph": PLAIN_JSON}
    path = write(tmp_path, "records.jsonld", json.dumps(document, ensure_ascii=False))
    assert rules_found(validator, Input.from_path(path)) == {RULE}


def test_rdf_xml_with_entities_is_refused(tmp_path, validator):
    xml = ('<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
           '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>')
    path = write(tmp_path, "records.rdf", xml)
    with pytest.raises(InputError, match="DOCTYPE or ENTITY"):
        validator.validate(Input.from_path(path))


def test_unknown_terms_are_reported(validator):
    data = TURTLE.replace("gk:channel gk:channel-paper", "gk:chanel gk:channel-oa ;\n"
                          "    <http://purl.org/dc/terms/created> \"2023\"")
    report = validator.validate(Input.from_bytes(data, "turtle"))
    found = {(f.rule.id if f.rule else f.shape, f.severity, f.value) for f in report.findings}
    assert ("input-unknown-term", "Violation",
            "https://w3id.org/govkg/ontology#chanel") in found
    assert ("input-foreign-term", "Info", "http://purl.org/dc/terms/created") in found
    # without a channel the OA rule cannot be met either
    assert ("request-via-oa", "Violation", None) in found


def test_values_of_the_wrong_kind_are_reported(validator):
    data = TURTLE.replace('"2023-04-01"^^xsd:date', '"1 April 2023"').replace(
        "gk:receivedBy body:government-office", 'gk:receivedBy "市政府办公室"')
    report = validator.validate(Input.from_bytes(data, "turtle"))
    wrong = {(f.path, f.value) for f in report.findings if f.rule and f.rule.id ==
             "input-value-type"}
    assert wrong == {("https://w3id.org/govkg/ontology#submittedOn", "1 April 2023"),
                     ("https://w3id.org/govkg/ontology#receivedBy", "市政府办公室")}


def test_the_input_file_is_not_modified(tmp_path, validator):
    path = write(tmp_path, "records.ttl", TURTLE)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    mtime = path.stat().st_mtime_ns
    validator.validate(Input.from_path(path), engine="fast")
    validator.validate(Input.from_path(path), engine="pyshacl")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert path.stat().st_mtime_ns == mtime
    assert sorted(p.name for p in tmp_path.iterdir()) == ["records.ttl"]


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        Input.from_path(tmp_path / "absent.ttl")
