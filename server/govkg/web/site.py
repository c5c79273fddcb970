"""The site's view of the dataset: every quad read once from the store and indexed both ways.

Pages walk the graph (a post's facts, the facts of an article, a chain's steps), which in SPARQL
would be one query per page section; the crawler test visits every page, so one bulk read per
worker and data version (about 10k quads, ~0.2 s) plus dictionary look-ups is what keeps pages
in the milliseconds. The read goes through the app's store (:mod:`.data`), so the pages work on
every backend, and it is redone when the store's version changes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

import pyoxigraph as ox
from flask import current_app

from .. import dataset
from ..iris import ELI, GK, ORG, PROV, RDF, RDFS, SCHEMA, SKOS
from . import data

Node = ox.NamedNode | ox.BlankNode
Term = ox.NamedNode | ox.BlankNode | ox.Literal

ONTOLOGY_NS = str(GK)
SHAPES_NS = "https://w3id.org/govkg/shapes#"
ONTOLOGY_DOC = ONTOLOGY_NS.rstrip("#")
SUBDIVISION = "http://publications.europa.eu/resource/authority/subdivision/"
LABELS = (str(RDFS.label), str(SKOS.prefLabel), str(ELI.title))


def all_quads(base: str) -> str:
    """Every quad of govkg's four graphs (not whatever bookkeeping a store keeps)."""
    graphs = " ".join(f"<{dataset.graph_iri(name, base)}>" for name in dataset.FOLDERS)
    return f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?g {{ {graphs} }} GRAPH ?g {{ ?s ?p ?o }} }}"


def iri(value: object) -> ox.NamedNode:
    return ox.NamedNode(str(value))


@dataclass(frozen=True)
class Clause:
    """A part of the regulation as pages cite it."""

    node: ox.NamedNode
    kind: str  # "work", "chapter", "article", "paragraph", "item"
    number: str
    citation: dict[str, str]
    text: str
    article: int | None


def lang_key(tag: str | None) -> str:
    """``zh-Hans``/``zh-hans``/``zh`` -> ``zh``; ``en`` -> ``en``; no tag -> ``""``."""
    return (tag or "").split("-")[0].lower()


class Site:
    """The quads of every graph, indexed by subject and by object, with label helpers."""

    def __init__(self, quads: Iterable[tuple[str, Node, ox.NamedNode, Term]], base: str) -> None:
        self.base = base
        self.out: dict[Node, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        self.inc: dict[Term, dict[str, list[Node]]] = defaultdict(lambda: defaultdict(list))
        self.graphs: dict[Node, set[str]] = defaultdict(set)
        names = {dataset.graph_iri(name, base): name for name in dataset.FOLDERS}
        for g, s, p, o in quads:
            objs = self.out[s][p.value]
            if o not in objs:
                objs.append(o)
                self.inc[o][p.value].append(s)
            self.graphs[s].add(names.get(g, g))
        self.out.default_factory = None
        self.inc.default_factory = None

    # --- triples ---

    def objects(self, s: Term, p: object) -> list[Term]:
        by_p = self.out.get(s)
        return list(by_p.get(str(p), ())) if by_p else []

    def value(self, s: Term, p: object) -> Term | None:
        found = self.objects(s, p)
        return found[0] if found else None

    def subjects(self, p: object, o: Term) -> list[Node]:
        by_p = self.inc.get(o)
        return list(by_p.get(str(p), ())) if by_p else []

    def predicates(self, s: Term) -> dict[str, list[Term]]:
        return self.out.get(s, {})

    def incoming(self, o: Term) -> dict[str, list[Node]]:
        return self.inc.get(o, {})

    def knows(self, node: Term) -> bool:
        return node in self.out

    def in_graph(self, node: Term, name: str) -> bool:
        return name in self.graphs.get(node, ())

    def closure(self, start: Term, p: object, *, inverse: bool = False) -> list[Term]:
        """``start`` and everything reachable over ``p`` (``p*``), breadth first."""
        seen, queue = [start], [start]
        while queue:
            node = queue.pop(0)
            step = self.subjects(p, node) if inverse else self.objects(node, p)
            for nxt in step:
                if nxt not in seen:
                    seen.append(nxt)
                    queue.append(nxt)
        return seen

    # --- labels ---

    def literal(self, s: Term, predicates: Iterable[object], lang: str) -> str | None:
        """The value of the first predicate that has one, preferring ``lang``, then zh, then any."""
        want = lang_key(lang)
        for p in predicates:
            values = [o for o in self.objects(s, p) if isinstance(o, ox.Literal)]
            if not values:
                continue
            for key in (want, "zh", "en", ""):
                for v in values:
                    if lang_key(v.language) == key:
                        return v.value
            return values[0].value
        return None

    def label(self, node: Term, lang: str) -> str:
        """What a page calls ``node``: its label in ``lang`` (else another), else its IRI's tail."""
        if isinstance(node, ox.Literal):
            return node.value
        if not isinstance(node, ox.NamedNode | ox.BlankNode):
            node = iri(node)
        found = self.literal(node, LABELS, lang)
        if found:
            return found
        if isinstance(node, ox.BlankNode):
            return self.duration_text(node, lang) or "…"
        text = node.value
        return text.rsplit("#", 1)[-1] if "#" in text else text.rstrip("/").rsplit("/", 1)[-1]

    def alt_labels(self, node: Term) -> list[str]:
        return [o.value for o in self.objects(node, SKOS.altLabel) if isinstance(o, ox.Literal)]

    def definition(self, node: Term, lang: str) -> str | None:
        return self.literal(node, (SKOS.definition, RDFS.comment), lang)

    def duration_text(self, node: Term, lang: str) -> str | None:
        """"3 个工作日" / "3 working days" for an OWL-Time duration node."""
        amount = self.value(node, "http://www.w3.org/2006/time#numericDuration")
        unit = self.value(node, "http://www.w3.org/2006/time#unitType")
        if amount is None or unit is None:
            return None
        number = amount.value.rstrip("0").rstrip(".") if "." in amount.value else amount.value
        unit_label = self.label(unit, lang)
        return f"{number} {unit_label}" if lang_key(lang) == "en" else f"{number}{unit_label}"

    # --- types ---

    @cached_property
    def _superclasses(self) -> dict[Term, list[Term]]:
        return {c: self.closure(c, RDFS.subClassOf) for c in self.subjects(RDF.type, iri(
            "http://www.w3.org/2002/07/owl#Class"))}

    def types(self, node: Term) -> list[Term]:
        return self.objects(node, RDF.type)

    def is_a(self, node: Term, cls: object) -> bool:
        target = iri(cls)
        return any(t == target or target in self._superclasses.get(t, ())
                   for t in self.types(node))

    def instances(self, cls: object) -> list[Node]:
        """Instances of ``cls`` or its subclasses, in the KG or the legal graph, by IRI."""
        target = iri(cls)
        classes = [c for c, sup in self._superclasses.items() if target in sup] + [target]
        found = {s for c in classes for s in self.subjects(RDF.type, c)}
        return sorted(found, key=lambda n: n.value)

    # --- the regulation ---

    def clause(self, node: Term) -> Clause | None:
        if not isinstance(node, ox.NamedNode) or not self.in_graph(node, "legal"):
            return None
        kind_iri = self.value(node, ELI.type_subdivision)
        kind = kind_iri.value.removeprefix(SUBDIVISION).lower() if kind_iri else "work"
        kind = {"point": "item"}.get(kind, kind)
        number = self.value(node, ELI.number)
        text = self.literal(node, (GK.text,), "zh") or ""
        return Clause(
            node=node,
            kind=kind,
            number=number.value if number else "",
            citation={"zh-Hans": self.literal(node, (RDFS.label,), "zh") or "",
                      "en": self.literal(node, (RDFS.label,), "en") or ""},
            text=text,
            article=self.article_number(node),
        )

    def article_of(self, node: Term) -> ox.NamedNode | None:
        for part in self.closure(node, ELI.is_part_of):
            kind = self.value(part, ELI.type_subdivision)
            if kind is not None and kind.value == SUBDIVISION + "ARTICLE":
                return part
        return None

    def article_number(self, node: Term) -> int | None:
        article = self.article_of(node)
        number = self.value(article, ELI.number) if article is not None else None
        return int(number.value) if number is not None and number.value.isdigit() else None

    def parts(self, node: Term) -> list[ox.NamedNode]:
        """The direct subdivisions of ``node``, in their order."""
        return sorted(self.subjects(ELI.is_part_of, node), key=self._position)

    def _position(self, node: Term) -> int:
        pos = self.value(node, SCHEMA.position)
        return int(pos.value) if pos is not None and pos.value.isdigit() else 0

    @cached_property
    def work(self) -> ox.NamedNode:
        return iri(self.base + "eli/lzf/2022/11")

    @cached_property
    def chapters(self) -> list[ox.NamedNode]:
        return self.parts(self.work)

    def below(self, node: Term) -> list[Term]:
        """``node`` and all its parts, depth first."""
        return self.closure(node, ELI.is_part_of, inverse=True)

    def sources(self, node: Term) -> list[Clause]:
        """The clauses ``node`` was derived from, in the regulation's order."""
        found = [c for c in (self.clause(o) for o in self.objects(node, PROV.wasDerivedFrom)) if c]
        return sorted(found, key=lambda c: (c.article or 0, c.node.value))

    def derived(self, clause: Term) -> list[Node]:
        """Everything that cites ``clause`` or one of its parts (facts, instances, shapes)."""
        found: list[Node] = []
        for part in self.below(clause):
            for s in self.subjects(PROV.wasDerivedFrom, part):
                if s not in found:
                    found.append(s)
        return found

    # --- where a node's page is ---

    def local_path(self, node: Term) -> str | None:
        """The path this server answers ``node`` at, or None when it is not ours."""
        if not isinstance(node, ox.NamedNode):
            return None
        value = node.value
        if value.startswith(self.base):
            return "/" + value[len(self.base):]
        if value.startswith(ONTOLOGY_NS):
            return "/ontology#" + value[len(ONTOLOGY_NS):] if value != ONTOLOGY_NS else "/ontology"
        if value.startswith(ONTOLOGY_DOC + "/"):
            return "/ontology"
        if value.startswith(SHAPES_NS):
            return "/shapes#" + value[len(SHAPES_NS):]
        return None

    def node_at(self, path: str) -> ox.NamedNode:
        """The IRI this server's ``path`` stands for (the inverse of :meth:`local_path`)."""
        return iri(self.base + path.lstrip("/"))

    def kind(self, node: Term) -> str:
        """The page kind: post, role, body, group, meeting, document, procedure, fact,
        condition, clause, graph or thing."""
        checks = (
            (GK.Post, "post"), (GK.Role, "role"), (GK.MeetingType, "meeting"),
            (GK.DocumentType, "document"), (GK.Procedure, "procedure"),
            (GK.ApprovalChain, "procedure"), (GK.Fact, "fact"), (GK.Condition, "condition"),
            (GK.Group, "group"), (GK.Body, "body"), (ORG.Organization, "body"),
        )
        for cls, name in checks:
            if self.is_a(node, cls):
                return name
        if self.in_graph(node, "legal") and self.value(node, ELI.number) is not None:
            return "clause"
        if self.in_graph(node, "legal"):
            return "work"
        return "thing"

    def resources(self) -> Iterator[ox.NamedNode]:
        """Every IRI this server has a page for (subjects under the base)."""
        for node in self.out:
            if isinstance(node, ox.NamedNode) and node.value.startswith(self.base):
                yield node


def current() -> Site:
    """This worker's index of the current data version (built on first use)."""
    base = current_app.config["GOVKG"].base_iri

    def build() -> Site:
        rows = data.select(all_quads(base))
        return Site(((r["g"].value, r["s"], r["p"], r["o"]) for r in rows), base)

    return data.memo("site", build)
