"""What the service reads off a query before running it: tokens, dataset clause, parameters,
and the SERVICE/LOAD guard (which asks rdflib's SPARQL parser)."""

from __future__ import annotations

import re

import pytest
from govkg.sparql import guard, lexer


def check(text: str, *, update: bool = False, allow: frozenset[str] = frozenset()) -> None:
    guard.check(text, lexer.tokens(text), update=update, allow=allow)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SELECT * FROM <urn:g> WHERE { ?s ?p ?o }", True),
        ("select * from named <urn:g> { graph ?g { ?s ?p ?o } }", True),
        ("SELECT * WHERE { ?s <urn:from> 'FROM' . ?from ?p ex:from }", False),
        ("# FROM <urn:g>\nSELECT * WHERE { ?s ?p ?o }", False),
        ("SELECT * \\u0046ROM <urn:g> WHERE { ?s ?p ?o }", True),
    ],
)
def test_dataset_clause(text, expected) -> None:
    assert lexer.has_dataset_clause(lexer.tokens(text)) is expected


def test_projection_completion_keeps_values_out_of_the_text() -> None:
    text = "SELECT DISTINCT ?a (COUNT(?b) AS ?n) WHERE { ?a ?p ?_x } GROUP BY ?a"
    toks = lexer.tokens(text)
    assert lexer.projected(toks) == {"a", "n"}
    completed = lexer.project(text, ["_x"])
    assert completed == (
        "SELECT DISTINCT ?_x ?a (COUNT(?b) AS ?n) WHERE { ?a ?p ?_x } GROUP BY ?_x ?a"
    )
    assert lexer.project("SELECT * WHERE { ?s ?p ?_x }", ["_x"]) == "SELECT * WHERE { ?s ?p ?_x }"
    assert lexer.projected(lexer.tokens("SELECT * { ?s ?p ?o }")) is None


def test_variables_and_form() -> None:
    toks = lexer.tokens('CONSTRUCT { ?s ?p "?not" } WHERE { ?s ?p <urn:?x> ; ?q $v }')
    assert lexer.variables(toks) == ["s", "p", "q", "v"]
    assert lexer.form(toks) == "CONSTRUCT"


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }",
        "SELECT * WHERE { \\u0053ERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p }",  # unparseable
    ],
)
def test_service_refused(text) -> None:
    with pytest.raises(guard.Refused):
        check(text)


def test_allow_list() -> None:
    text = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    check(text, allow=frozenset({"http://example.org/sparql"}))
    with pytest.raises(guard.Refused, match="allow-list"):
        check(text, allow=frozenset({"http://example.org/other"}))


def test_load_refused_and_harmless_words_pass() -> None:
    with pytest.raises(guard.Refused, match=re.escape("LOAD <http://example.org/d.ttl>")):
        check("LOAD <http://example.org/d.ttl>", update=True)
    check('SELECT ?load WHERE { BIND("LOAD SERVICE" AS ?load) }')
    check("PREFIX service: <urn:x:> SELECT * WHERE { ?s service:load ?o }")
