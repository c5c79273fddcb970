"""The two ways to run the rule shapes, giving the same results.

- ``fast``: the shapes compiled to SPARQL (:mod:`.compiler`), one query per constraint over the
  whole Oxigraph store. This is what govkg uses.
- ``pyshacl``: plain pySHACL on an in-memory rdflib graph — the reference implementation, kept
  to prove the fast path right (tests compare both on every fixture and on generated data) and
  to cover shapes the compiler refuses.

Both produce :class:`Result` values made of rdflib terms, so they compare directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from ..iris import SH
from .compiler import Check

ENGINES = ("auto", "fast", "pyshacl")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True)
class Result:
    """One SHACL validation result (the fields of ``sh:ValidationResult``)."""

    focus: Node
    shape: Node
    component: URIRef
    severity: URIRef
    path: Node | None = None
    value: Node | None = None
    constraint: Node | None = None
    messages: tuple[Literal, ...] = ()

    def key(self) -> tuple:
        """What two engines must agree on (messages aside, which SHACL leaves to engines)."""
        return (self.focus, self.shape, self.component, self.severity, self.path, self.value)


# -- term conversion ----


def to_rdflib(term) -> Node | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:  # rdflib writes simple literals without datatype
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unexpected term {term!r}")


def to_oxigraph(term: Node):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        datatype = term.datatype or XSD_STRING
        return ox.Literal(str(term), datatype=ox.NamedNode(str(datatype)))
    raise TypeError(f"unexpected term {term!r}")


def store_to_graph(store: ox.Store) -> Graph:
    """The union of the store's graphs as an rdflib graph (what pySHACL validates)."""
    graph = Graph()
    add = graph.add
    for quad in store:
        add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return graph


def graph_to_store(graph: Graph, store: ox.Store | None = None,
                   graph_name: ox.NamedNode | None = None) -> ox.Store:
    store = store or ox.Store()
    target = graph_name or ox.DefaultGraph()
    store.extend(
        ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), target) for s, p, o in graph
    )
    return store


# -- the fast engine ----


def _run_check(store: ox.Store, check: Check) -> list[Result]:
    out = []
    for row in store.query(check.query, use_default_graph_as_union=True):
        path = to_rdflib(row["path"]) if check.has_path else None
        out.append(Result(
            focus=to_rdflib(row["focus"]),
            shape=check.shape,
            component=check.component,
            severity=check.severity,
            path=path if path is not None else check.path,
            value=to_rdflib(row["value"]) if check.has_value else None,
            constraint=check.constraint,
            messages=check.messages,
        ))
    return out


def run_checks(store: ox.Store, checks: Sequence[Check], threads: int = 1) -> list[Result]:
    """Run compiled checks, one after the other by default.

    Oxigraph evaluates lazily while Python iterates the results, so threads mostly contend for
    the GIL; measured on two cores they did not pay off on large inputs.
    """
    if threads <= 1 or len(checks) < 2:
        return [r for check in checks for r in _run_check(store, check)]
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return [r for batch in pool.map(lambda c: _run_check(store, c), checks) for r in batch]


# -- the reference engine ----


def run_pyshacl(data: Graph, shapes: Graph) -> list[Result]:
    """Plain pySHACL on an in-memory rdflib graph; ``data`` is validated in place (not copied)."""
    from pyshacl import validate

    _conforms, report, _text = validate(
        data, shacl_graph=shapes, inference="none", inplace=True, allow_infos=True,
        allow_warnings=True, advanced=False,
    )
    return list(results_from_report(report, shapes))


def results_from_report(report: Graph, shapes: Graph) -> Iterable[Result]:
    for node in report.subjects(RDF.type, SH.ValidationResult):
        shape = report.value(node, SH.sourceShape)
        path = report.value(node, SH.resultPath)
        if isinstance(path, BNode):  # a complex path: use the shape's own description of it
            path = shapes.value(shape, SH.path)
        yield Result(
            focus=report.value(node, SH.focusNode),
            shape=shape,
            component=report.value(node, SH.sourceConstraintComponent),
            severity=report.value(node, SH.resultSeverity),
            path=path,
            value=report.value(node, SH.value),
            constraint=report.value(node, SH.sourceConstraint),
            messages=tuple(sorted(report.objects(node, SH.resultMessage), key=str)),
        )
