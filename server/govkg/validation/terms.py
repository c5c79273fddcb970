"""Input checks that come before the rules: unknown terms and values of the wrong kind.

A misspelt property (``gk:chiar``) or a date written as a plain string would make the rules
silently skip a record — the worst outcome for a checker. So every term the records use is
looked up in the ontology, and every value of a property with a declared range is checked
against it. These checks are plain SPARQL on the loaded store, shared by both engines; their
shapes (``shapes/rules/input-checks.ttl``) only carry names and messages.
"""

from __future__ import annotations

from functools import cache

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS, XSD

from ..iris import GK, GKS, ORG, SH
from .catalogue import vocabulary_graph
from .engines import Result, to_rdflib

VOCABULARY_GRAPH = ox.NamedNode("urn:govkg:graph:vocabulary")
MAX_PER_TERM = 1000  # findings per unknown term; a systematically wrong file need not list all

UNKNOWN_TERM = GKS["input-unknown-term"]
FOREIGN_TERM = GKS["input-foreign-term"]
VALUE_TYPE = GKS["input-value-type"]

# Terms of other vocabularies that records are expected to use (see ontology/records.ttl).
EXTERNAL_PROPERTIES = frozenset({
    RDF.type, RDFS.label, RDFS.comment, RDFS.seeAlso, SKOS.prefLabel, SKOS.altLabel, SKOS.note,
    DCTERMS.title, DCTERMS.identifier, DCTERMS.description, ORG.member, ORG.organization,
    PROV.wasAssociatedWith, PROV.startedAtTime, PROV.endedAtTime,
})
EXTERNAL_CLASSES = frozenset({
    ORG.Membership, ORG.Organization, ORG.OrganizationalUnit, ORG.Post, PROV.Person,
    PROV.Agent, PROV.Activity, PROV.Entity, SKOS.Concept,
})
# Ranges checked on values, and how to tell a well-formed value in SPARQL.
CHECKED_RANGES = {
    XSD.date: "COALESCE(xsd:date(?o) = xsd:date(?o), false)",
    XSD.dateTime: "COALESCE(xsd:dateTime(?o) = xsd:dateTime(?o), false)",
    XSD.boolean: "COALESCE(xsd:boolean(?o) = xsd:boolean(?o), false)",
    XSD.integer: "isNumeric(?o)",
    XSD.string: "true",
}
EXTERNAL_RANGES = {PROV.startedAtTime: XSD.dateTime, PROV.endedAtTime: XSD.dateTime}


@cache
def known_terms() -> tuple[frozenset[URIRef], frozenset[URIRef]]:
    """(properties, classes) a record may use: the ontology's and the expected external ones."""
    vocab = vocabulary_graph()
    properties = {
        s for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                       RDF.Property)
        for s in vocab.subjects(RDF.type, kind)
    }
    classes = {s for kind in (OWL.Class, RDFS.Class) for s in vocab.subjects(RDF.type, kind)}
    return (frozenset(properties | EXTERNAL_PROPERTIES), frozenset(classes | EXTERNAL_CLASSES))


@cache
def ranged_properties() -> dict[URIRef, URIRef]:
    """Property → checked range, for datatype properties; object properties map to None."""
    vocab = vocabulary_graph()
    out: dict[URIRef, URIRef | None] = dict(EXTERNAL_RANGES)
    for prop in vocab.subjects(RDF.type, OWL.DatatypeProperty):
        rng = vocab.value(prop, RDFS.range)
        if rng in CHECKED_RANGES:
            out[prop] = rng
    for prop in vocab.subjects(RDF.type, OWL.ObjectProperty):
        if str(prop).startswith(str(GK)):
            out[prop] = None
    return out


def _data_query(pattern: str, select: str) -> str:
    """A query over the records only (every graph but the vocabulary)."""
    return (
        f"PREFIX xsd: <{XSD}>\nSELECT {select} WHERE {{\n"
        f"  {{ {pattern} }} UNION {{ GRAPH ?g {{ {pattern} }} "
        f"FILTER(?g != <{VOCABULARY_GRAPH.value}>) }}\n}}"
    )


def check_terms(store: ox.Store) -> list[Result]:
    """Findings for unknown properties and classes, and for values outside a property's range."""
    properties, classes = known_terms()
    out: list[Result] = []
    used = [to_rdflib(r["p"]) for r in store.query(_data_query("?s ?p ?o", "DISTINCT ?p"))]
    used_classes = [
        to_rdflib(r["c"]) for r in store.query(_data_query(f"?s <{RDF.type}> ?c", "DISTINCT ?c"))
    ]
    unknown = [(p, "?s <{}> ?o") for p in used if p not in properties]
    unknown += [(c, f"?s <{RDF.type}> <{{}}>") for c in used_classes if c not in classes]
    for term, template in sorted(unknown, key=lambda t: str(t[0])):
        shape = UNKNOWN_TERM if str(term).startswith(str(GK)) else FOREIGN_TERM
        pattern = template.format(term)
        query = _data_query(pattern, "DISTINCT ?s") + f" LIMIT {MAX_PER_TERM}"
        for row in store.query(query):
            out.append(Result(focus=to_rdflib(row["s"]), shape=shape,
                              component=SH.SPARQLConstraintComponent,
                              severity=SH.Violation if shape == UNKNOWN_TERM else SH.Info,
                              value=term))
    out += check_ranges(store)
    return out


def check_ranges(store: ox.Store) -> list[Result]:
    """Values whose kind contradicts the property's declared range (one query for all)."""
    ranged = ranged_properties()
    literal_ranges = " ".join(
        f"(<{p}> <{r}>)" for p, r in sorted(ranged.items()) if r is not None
    )
    wellformed = "true"
    for rng, test in CHECKED_RANGES.items():
        wellformed = f"IF(?r = <{rng}>, {test}, {wellformed})"
    object_props = " ".join(f"<{p}>" for p, r in sorted(ranged.items()) if r is None)
    pattern = (
        f"{{ VALUES (?p ?r) {{ {literal_ranges} }} ?s ?p ?o . "
        f"FILTER(!(isLiteral(?o) && sameTerm(datatype(?o), ?r) && {wellformed})) }} UNION "
        f"{{ VALUES ?p {{ {object_props} }} ?s ?p ?o . FILTER(isLiteral(?o)) }}"
    )
    return [
        Result(focus=to_rdflib(row["s"]), shape=VALUE_TYPE,
               component=SH.SPARQLConstraintComponent, severity=SH.Violation,
               path=to_rdflib(row["p"]), value=to_rdflib(row["o"]))
        for row in store.query(_data_query(pattern, "DISTINCT ?s ?p ?o"))
    ]
