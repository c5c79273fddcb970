"""The rule shapes as a catalogue: every rule is described, cited and graded the same way."""

from __future__ import annotations

import json

from govkg import resources
from govkg.validation import catalogue
from govkg.validation.catalogue import legal_graph, rules_graph, vocabulary_graph
from govkg.validation.compiler import compile_shapes
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF

SH = "http://www.w3.org/ns/shacl#"
GKS = "https://w3id.org/govkg/shapes#"
# Articles the issue asks to cover with rules that can be checked on records.
REQUIRED_ARTICLES = {7, 8, 20, 21, 24, 25, 26, *range(45, 53), *range(54, 60), 67}
CONSTRAINTS = {SH + p for p in (
    "sparql", "minCount", "maxCount", "hasValue", "class", "datatype", "in", "node",
)}


def rules():
    return [r for r in catalogue().values() if not r.is_input_check]


def test_required_articles_are_covered():
    covered = {a for r in rules() for a in r.articles}
    assert REQUIRED_ARTICLES - covered == set()


def test_every_rule_is_described_in_both_languages():
    for rule in rules():
        for field in (rule.name, rule.description, rule.message):
            assert set(field) == {"zh", "en"}, rule.id
            assert all(text.strip() for text in field.values()), rule.id


def test_every_rule_cites_existing_clauses():
    legal = legal_graph()
    for rule in rules():
        assert rule.clauses, rule.id
        for clause in rule.clauses:
            assert (URIRef(clause.iri), None, None) in legal, clause.iri
            assert "/para_" in clause.iri, "cite paragraphs or items, not whole articles"
            assert clause.text and clause.label["zh"].startswith("第")


def test_one_constraint_per_shape_with_a_stable_iri():
    graph = rules_graph()
    for rule in rules():
        shape = URIRef(rule.iri)
        assert rule.iri.startswith(GKS)
        used = {str(p) for p in graph.predicates(shape, None)} & CONSTRAINTS
        assert len(used) == 1, (rule.id, used)
        assert len(list(graph.objects(shape, URIRef(SH + "sparql")))) <= 1, rule.id
        assert len(list(graph.objects(shape, PROV.wasDerivedFrom))) == len(rule.clauses)


def test_severity_follows_the_modality_of_the_text():
    """须/必须/不得/一律 clauses give violations; 一般/原则上 defaults warnings; advice infos."""
    by_id = {r.id: r for r in rules()}
    assert by_id["request-via-oa"].severity_name == "Violation"  # 一律
    assert by_id["normative-no-restricted-measures"].severity_name == "Violation"  # 不得
    assert by_id["absence-leave-from-mayor"].severity_name == "Violation"  # 须
    assert by_id["government-document-signer"].severity_name == "Warning"  # 一般
    assert by_id["normative-draft-published"].severity_name == "Warning"  # 原则上
    assert by_id["work-deployment-meeting-duration"].severity_name == "Warning"  # 一般
    assert by_id["decision-hearing"].severity_name == "Info"  # 必要时
    for rule in rules():
        texts = " ".join(c.text for c in rule.clauses)
        if rule.severity_name == "Warning":
            assert any(w in texts for w in ("一般", "原则上", "要")), rule.id


def test_the_fast_engine_compiles_every_rule():
    checks = compile_shapes(rules_graph())
    assert {str(c.shape) for c in checks} >= {r.iri for r in rules()}


def test_catalogue_lists_every_rule_once():
    ids = [r.id for r in catalogue().values()]
    assert len(ids) == len(set(ids))
    assert len(rules()) >= 60


def test_published_context_maps_every_records_term():
    context = json.loads(
        resources.path("data", "context", "records.jsonld").read_text(encoding="utf-8"))
    mapped = set()
    for value in context["@context"].values():
        iri = value["@id"] if isinstance(value, dict) else value
        if isinstance(iri, str) and iri.startswith("gk:"):
            mapped.add("https://w3id.org/govkg/ontology#" + iri[3:])
    vocab = vocabulary_graph()
    records = URIRef("https://w3id.org/govkg/ontology#records")
    terms = {
        str(s) for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for s in vocab.subjects(RDF.type, kind)
        if (s, URIRef("http://www.w3.org/2000/01/rdf-schema#isDefinedBy"), records) in vocab
    }
    terms.discard("https://w3id.org/govkg/ontology#noViolations")  # reports, not records
    assert terms - mapped == set()


def test_rule_messages_keep_their_language_tags():
    graph = rules_graph()
    for rule in rules():
        tags = {m.language for m in graph.objects(URIRef(rule.iri), URIRef(SH + "message"))
                if isinstance(m, Literal)}
        assert tags == {"zh-Hans", "en"}, rule.id
