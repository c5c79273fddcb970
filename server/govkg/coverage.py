"""How many facts of the knowledge graph each article of the regulation gives rise to.

A fact (an instance of a subclass of ``gk:Fact``: a norm, an attendance entry, a composition,
a frequency, a limit, an approval chain) counts for an article when one of its
``prov:wasDerivedFrom`` clauses is the article or lies inside it (a paragraph or an item).
An article that no fact cites must say why, with a ``gk:coverageNote`` in
``data/kg/coverage-notes.ttl``; the articles that assign duties, powers and limits throughout
— chapters 2, 4, 10, 11, 12 and 13, and article 67 — must be covered.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS

from .iris import ELI, GK, SUBDIVISION

REQUIRED_CHAPTERS = frozenset({2, 4, 10, 11, 12, 13})
REQUIRED_ARTICLES = frozenset({67})


@dataclass
class ArticleCoverage:
    """One article: its number and chapter, the facts citing it, and the note if it has none."""

    article: URIRef
    number: int
    chapter: int
    facts: list[URIRef] = field(default_factory=list)
    note: dict[str, str] = field(default_factory=dict)

    @property
    def required(self) -> bool:
        return self.chapter in REQUIRED_CHAPTERS or self.number in REQUIRED_ARTICLES

    @property
    def problem(self) -> str | None:
        """Why this article makes the coverage fail, or None."""
        if self.facts:
            return None
        if self.required:
            return "no fact cites it, and its chapter must be covered"
        if not self.note:
            return "no fact cites it and it has no coverage note saying why"
        return None


def fact_nodes(graph: Graph) -> set[URIRef]:
    """Every instance of ``gk:Fact`` or of one of its subclasses (as the ontology declares them)."""
    classes = set(graph.transitive_subjects(RDFS.subClassOf, GK.Fact))
    return {s for c in classes for s in graph.subjects(RDF.type, c) if isinstance(s, URIRef)}


def coverage(graph: Graph) -> list[ArticleCoverage]:
    """Coverage of every article in ``graph`` (legal + ontology + KG), in article order."""
    articles: dict[URIRef, ArticleCoverage] = {}
    for art in graph.subjects(ELI.type_subdivision, SUBDIVISION.ARTICLE):
        chapter = graph.value(art, ELI.is_part_of)
        articles[art] = ArticleCoverage(
            article=art,
            number=int(graph.value(art, ELI.number)),
            chapter=int(graph.value(chapter, ELI.number)),
            note={
                n.language: str(n)
                for n in graph.objects(art, GK.coverageNote)
                if isinstance(n, Literal) and n.language
            },
        )
    for fact in sorted(fact_nodes(graph)):
        cited = {_article_of(graph, c, articles) for c in graph.objects(fact, PROV.wasDerivedFrom)}
        for art in cited - {None}:
            articles[art].facts.append(fact)
    return sorted(articles.values(), key=lambda a: a.number)


def _article_of(graph: Graph, clause, articles: dict) -> URIRef | None:
    """The article a clause belongs to (the clause itself if it is one), or None."""
    seen = 0
    while clause is not None and clause not in articles and seen < 4:  # item → paragraph → article
        clause = graph.value(clause, ELI.is_part_of)
        seen += 1
    return clause if clause in articles else None


def problems(report: list[ArticleCoverage]) -> list[ArticleCoverage]:
    """The articles that make the coverage fail."""
    return [a for a in report if a.problem]
