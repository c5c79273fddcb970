"""The govkg ontology: its header, its terms' labels and definitions, and the self-check shapes."""

from __future__ import annotations

import pytest
from govkg import graphs, resources, selfcheck
from govkg.iris import GK, SH
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

GKS = "https://w3id.org/govkg/shapes#"
LANGS = {"zh-Hans", "en"}


@pytest.fixture(scope="module")
def core() -> Graph:
    return Graph().parse(resources.path("ontology", "govkg.ttl"), format="turtle")


@pytest.fixture(scope="module")
def union() -> Graph:
    return graphs.union()


def langs(graph: Graph, node, prop) -> set[str]:
    return {o.language for o in graph.objects(node, prop) if isinstance(o, Literal)}


def test_header_has_version_licence_and_bilingual_title(core: Graph) -> None:
    onto = URIRef(str(GK))
    assert (onto, RDF.type, OWL.Ontology) in core
    assert core.value(onto, OWL.versionIRI) == URIRef("https://w3id.org/govkg/ontology/0.1.0")
    assert core.value(onto, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert langs(core, onto, DCTERMS.title) == LANGS
    assert langs(core, onto, DCTERMS.description) == LANGS


def test_every_class_and_property_is_labelled_defined_and_attributed(core: Graph) -> None:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    terms = {t for kind in kinds for t in core.subjects(RDF.type, kind)}
    assert {GK.Body, GK.Post, GK.Role, GK.MeetingType, GK.DocumentType, GK.Norm, GK.Duty,
            GK.Permission, GK.Prohibition, GK.Attendance, GK.Composition, GK.Condition,
            GK.Procedure, GK.ApprovalChain, GK.ProcedureStep, GK.Frequency, GK.Limit} <= terms
    for term in terms:
        assert str(term).startswith(str(GK)), term
        assert langs(core, term, RDFS.label) == LANGS, term
        assert langs(core, term, SKOS.definition) == LANGS, term
        assert core.value(term, RDFS.isDefinedBy) == URIRef(str(GK)), term


def test_code_lists_are_concept_schemes_with_bilingual_labels(core: Graph) -> None:
    schemes = set(core.subjects(RDF.type, SKOS.ConceptScheme))
    names = {str(s).removeprefix(str(GK)) for s in schemes}
    assert {"Actions", "Modalities", "Frequencies", "ConditionKinds", "TimingAnchors",
            "BodyKinds", "LimitKinds"} <= names
    for concept in core.subjects(SKOS.inScheme, None):
        assert langs(core, concept, SKOS.prefLabel) == LANGS, concept


def test_modalities_split_hard_default_and_discretionary(core: Graph) -> None:
    def broader(slug: str) -> str:
        return str(core.value(GK[f"modality-{slug}"], SKOS.broader)).removeprefix(str(GK))

    for hard in ("must", "must-not", "without-exception", "shall", "stated"):
        assert broader(hard) == "modality-hard"
    for default in ("generally", "in-principle", "should"):
        assert broader(default) == "modality-default"
    assert broader("may") == "modality-discretionary"


def test_signing_actions_are_grouped_under_authorise(core: Graph) -> None:
    narrower = {str(c).removeprefix(str(GK))
                for c in core.subjects(SKOS.broader, GK["action-authorise"])}
    assert narrower == {"action-sign-issue", "action-sign", "action-sign-approve",
                        "action-review-sign", "action-approve", "action-check-approve"}
    assert (GK["action-review"], SKOS.broader, GK["action-authorise"]) not in core


def test_no_term_is_defined_in_two_modules() -> None:
    seen: dict[URIRef, str] = {}
    for path in sorted(resources.path("ontology").glob("*.ttl")):
        graph = Graph().parse(path, format="turtle")
        for term in set(graph.subjects(RDF.type, None)):
            if str(term).startswith(str(GK)) and str(term) != str(GK):
                assert term not in seen, f"{term} defined in {seen.get(term)} and {path.name}"
                seen[term] = path.name


def test_self_check_shapes_have_stable_iris_names_and_descriptions() -> None:
    shapes = graphs.shapes()
    top = {s for s in shapes.subjects(RDF.type, SH.NodeShape)} | {
        s for s in shapes.subjects(RDF.type, SH.PropertyShape)}
    assert len(top) >= 12
    for shape in top:
        assert str(shape).startswith(GKS), shape
        assert langs(shapes, shape, SH.name) == LANGS, shape
        assert langs(shapes, shape, SH.description) == LANGS, shape


def test_the_project_conforms_to_the_self_check_shapes(union: Graph) -> None:
    conforms, report = selfcheck.check(union)
    assert conforms, report


def test_a_missing_english_label_is_reported(union: Graph) -> None:
    broken = Graph() + union
    broken.remove((GK.Duty, RDFS.label, Literal("duty", lang="en")))
    conforms, report = selfcheck.check(broken)
    assert not conforms
    assert "labelled-en" in report
    assert "Focus Node: gk:Duty" in report
