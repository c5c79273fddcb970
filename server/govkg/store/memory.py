"""In-memory rdflib: the packaged data in an rdflib ``Dataset``, for development and small tests.

rdflib is pure Python, so it runs in the same killable executors as Oxigraph (a runaway query
is stopped the same way). Two rdflib behaviours are corrected so that answers match the
embedded default: ``FROM``/``FROM NAMED`` and the protocol's ``default-graph-uri`` build the
dataset exactly (rdflib would add ``FROM`` graphs to the union, or fetch them from the web),
and results are turned into pyoxigraph terms with lower-case language tags, as Oxigraph
returns them. Slow on large data: use it for the Yueqing data, not for the benchmark.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import pyoxigraph as ox
from pyparsing import ParseException
from rdflib import BNode, ConjunctiveGraph, Dataset, Graph, Literal, URIRef
from rdflib.plugins.sparql.algebra import translateQuery, translateUpdate
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.term import Node

from .. import dataset, executor, iris
from ..sparql import guard, lexer
from . import (
    Answer,
    EvaluationError,
    Output,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    StoreError,
    Term,
    Unavailable,
    answers,
    marker,
    portable,
)
from . import Dataset as RequestDataset

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class MemoryStore:
    """The packaged dataset in an rdflib ``Dataset`` whose default graph is the union."""

    def __init__(self, *, base: str = iris.DEFAULT_BASE,
                 allow_service: frozenset[str] = frozenset()) -> None:
        self.prefixes = iris.prefixes(base)
        self._allow = allow_service
        self._ds = Dataset(default_union=True)
        for name in dataset.FOLDERS:  # parsed by pyoxigraph: four times faster than rdflib
            target = self._ds.graph(URIRef(dataset.graph_iri(name, base)))
            target.addN((_to_rdflib(q.subject), _to_rdflib(q.predicate), _to_rdflib(q.object),
                         target) for q in dataset.quads(name, base))
        self._version = marker.data_version(base)
        self._pool = executor.Pool(self._execute, self._commit)

    @property
    def version(self) -> str:
        return f"{self._version}.memory.{self._pool.generation}"

    def query(self, text: str, *, dataset: RequestDataset | None = None, timeout: float,
              bindings: Mapping[str, Term] | None = None, output: Output) -> Answer:
        request = ("query", text, dataset or RequestDataset(), dict(bindings or {}), output)
        return self._call(request, timeout)

    def update(self, text: str, *, timeout: float) -> None:
        self._call(("update", text), timeout)  # a trial run that can be killed
        try:
            self._pool.commit(text, timeout)
        except executor.Unavailable as exc:
            raise Unavailable(str(exc)) from None

    def graph_names(self, *, timeout: float) -> list[str]:
        return self._call(("graphs",), timeout)

    def warm(self, count: int) -> None:
        self._pool.warm(count)

    def _call(self, request: tuple, timeout: float):
        try:
            return self._pool.call(request, timeout)
        except executor.Timeout as exc:
            raise QueryTimeout(str(exc)) from None
        except executor.Unavailable as exc:
            raise Unavailable(str(exc)) from None

    # --- below runs in executor processes (and _commit in the zygote) ---

    def _execute(self, request: tuple):
        op, *args = request
        if op == "query":
            return self._run_query(*args)
        if op == "update":
            self._commit(args[0])
            return None
        return sorted(str(g.identifier) for g in self._graphs())

    def _graphs(self) -> list[Graph]:
        default = self._ds.default_graph.identifier
        return [g for g in self._ds.graphs()
                if isinstance(g.identifier, URIRef) and g.identifier != default and len(g)]

    def _commit(self, text: str) -> None:
        self._check(text, update=True)
        # rdflib 7.6's Dataset fails on INSERT DATA into the default graph; a
        # ConjunctiveGraph over the same store, with the same default graph, does not
        writable = ConjunctiveGraph(store=self._ds.store,
                                    identifier=self._ds.default_graph.identifier)
        with _engine_errors():
            writable.update(translateUpdate(parseUpdate(text)))

    def _check(self, text: str, *, update: bool) -> list[lexer.Token]:
        toks = lexer.tokens(text)
        try:
            guard.check(text, toks, update=update, allow=self._allow)
        except guard.Refused as exc:
            raise QueryRefused(str(exc)) from None
        return toks

    def _dataset(self, defaults: list[str], named: list[str]) -> Dataset:
        """A dataset holding exactly these graphs (SPARQL 1.1 Query §13.2)."""
        exact = Dataset(default_union=False)
        for iri in defaults:
            for triple in self._ds.graph(URIRef(iri)):
                exact.default_graph.add(triple)
        for iri in named:
            target = exact.graph(URIRef(iri))
            for triple in self._ds.graph(URIRef(iri)):
                target.add(triple)
        return exact

    def _run_query(self, text: str, ds: RequestDataset, bindings: dict[str, Term],
                   output: Output) -> Answer:
        self._check(text, update=False)
        portable.check_syntax(text)  # the same message as the other engines
        if bindings:  # rdflib's initBindings do not reach FILTERs in inner groups
            text = portable.bind(text, bindings)
        with _engine_errors():
            query = translateQuery(parseQuery(text))
            clauses = query.algebra.get("datasetClause") or []
            target = self._ds
            if ds.default_graphs or ds.named_graphs or clauses:
                if ds.default_graphs or ds.named_graphs:
                    defaults, named = list(ds.default_graphs), list(ds.named_graphs)
                else:
                    defaults = [str(c.default) for c in clauses if c.get("default")]
                    named = [str(c.named) for c in clauses if c.get("named")]
                target = self._dataset(defaults, named)
                query.algebra["datasetClause"] = None
            result = target.query(query)
            if result.type == "ASK":
                return answers.boolean(bool(result.askAnswer), output)
            if result.type == "SELECT":
                names = [str(v) for v in result.vars]
                rows = ([_to_ox(row[i]) for i in range(len(names))] for row in result)
                return answers.solutions(names, rows, output)
            triples = (ox.Triple(_to_ox(s), _to_ox(p), _to_ox(o)) for s, p, o in result.graph)
            return answers.graph(triples, output, self.prefixes)


def _to_ox(term: Node | None):
    if term is None:
        return None
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language.lower())
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD_STRING)))
    raise EvaluationError(f"unsupported term in a result: {term!r}")


def _to_rdflib(term: Term) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


@contextmanager
def _engine_errors() -> Iterator[None]:
    """Translate rdflib's exceptions into :class:`StoreError` subclasses."""
    try:
        yield
    except ParseException as exc:
        raise QuerySyntaxError(f"{exc.msg} (line {exc.lineno}, column {exc.col})") from None
    except StoreError:
        raise
    except Exception as exc:  # rdflib raises plain Exception subclasses of many kinds
        raise EvaluationError(" ".join(str(exc).split()) or type(exc).__name__) from None
