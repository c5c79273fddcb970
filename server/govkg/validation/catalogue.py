"""The rule catalogue: every rule shape with its article, clause, severity and zh/en wording.

Rule shapes (``shapes/rules/*.ttl``) cite their clauses with ``prov:wasDerivedFrom`` — the
project's one provenance convention — and the legal-structure graph (``data/legal/``) supplies
each clause's citation and text. Findings, the ``govkg rules`` listing and the report all read
from here, so the zh/en messages always come from the shape itself (pySHACL drops the language
tags of messages produced by SPARQL constraints).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDFS

from .. import resources
from ..iris import DEFAULT_BASE, GK, GKS, SH, base_iri, rebase

SEVERITIES = (SH.Violation, SH.Warning, SH.Info)
SEVERITY_NAMES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
SEVERITY_LABELS = {
    "zh": {SH.Violation: "违反", SH.Warning: "警告", SH.Info: "提示"},
    "en": {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"},
}
LANG_TAGS = {"zh": "zh-hans", "en": "en"}


@dataclass(frozen=True)
class Clause:
    """A paragraph or item of the regulation that a rule cites."""

    iri: str
    article: int
    label: dict[str, str]
    text: str


@dataclass(frozen=True)
class Rule:
    """One rule shape (or an input check, which cites no clause)."""

    iri: str
    severity: URIRef
    name: dict[str, str]
    description: dict[str, str]
    message: dict[str, str]
    clauses: tuple[Clause, ...] = field(default=())

    @property
    def id(self) -> str:
        return self.iri.rsplit("#", 1)[-1]

    @property
    def articles(self) -> tuple[int, ...]:
        return tuple(sorted({c.article for c in self.clauses}))

    @property
    def is_input_check(self) -> bool:
        return not self.clauses

    @property
    def severity_name(self) -> str:
        return SEVERITY_NAMES[self.severity]


def _parse_dir(*parts: str) -> Graph:
    graph = Graph()
    for path in sorted(resources.path(*parts).glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def _rebased(graph: Graph) -> Graph:
    base = base_iri()
    return graph if base == DEFAULT_BASE else rebase(graph, base)


@cache
def rules_graph() -> Graph:
    """The rule shapes, as the SHACL engines read them."""
    return _rebased(_parse_dir("shapes", "rules"))


@cache
def legal_graph() -> Graph:
    """The regulation's legal structure (clause citations and text)."""
    return _rebased(_parse_dir("data", "legal"))


@cache
def vocabulary_graph() -> Graph:
    """Every ontology module: what a record may say, and the class hierarchy for targets."""
    return _rebased(_parse_dir("ontology"))


def texts(graph: Graph, subject, predicate) -> dict[str, str]:
    """``{"zh": …, "en": …}`` from language-tagged literals."""
    out: dict[str, str] = {}
    for value in graph.objects(subject, predicate):
        if isinstance(value, Literal) and value.language:
            for key, tag in LANG_TAGS.items():
                if value.language.lower() == tag:
                    out[key] = str(value)
    return out


def clause(iri: URIRef) -> Clause:
    legal = legal_graph()
    match = re.search(r"/art_(\d+)", str(iri))
    if match is None or (iri, GK.text, None) not in legal:
        raise ValueError(f"{iri} is not a paragraph or item of the regulation")
    text = legal.value(iri, GK.text)
    return Clause(str(iri), int(match.group(1)), texts(legal, iri, RDFS.label), str(text))


@cache
def catalogue() -> dict[str, Rule]:
    """All rules and input checks, keyed by shape IRI, in catalogue order (article, id)."""
    graph = rules_graph()
    rules = []
    for shape in set(graph.subjects(SH.name, None)):
        if not str(shape).startswith(str(GKS)):
            continue
        rules.append(Rule(
            iri=str(shape),
            severity=graph.value(shape, SH.severity) or SH.Violation,
            name=texts(graph, shape, SH.name),
            description=texts(graph, shape, SH.description),
            message=texts(graph, shape, SH.message),
            clauses=tuple(sorted((clause(c) for c in graph.objects(shape, PROV.wasDerivedFrom)),
                                 key=lambda c: (c.article, c.iri))),
        ))
    rules.sort(key=lambda r: (r.is_input_check, r.articles, r.id))
    return {r.iri: r for r in rules}
