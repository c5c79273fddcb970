"""Validate records against the rules: load, run the input checks and the rule shapes, report.

A :class:`Validator` compiles the rule shapes once, so validating one record (the web form and
``POST /api/validate``) costs only the parse and a few dozen small queries. Each call gets its
own in-memory store, so a Validator can be shared between threads; the ``pyshacl`` engine is
not thread-safe (pySHACL's own limitation), use processes for it.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from .catalogue import rules_graph, vocabulary_graph
from .compiler import Check, Unsupported, compile_shapes
from .engines import ENGINES, Result, graph_to_store, run_checks, run_pyshacl, store_to_graph
from .engines import to_oxigraph as _to_ox
from .inputs import Input, load, parse_rdflib
from .report import Report, finding
from .terms import VOCABULARY_GRAPH, check_terms

Data = Input | str | Path | Graph
LABEL_BATCH = 2000


class Validator:
    """The rule shapes (compiled once) and, optionally, context data loaded with every input.

    ``context`` is data the records refer to but do not repeat — typically the roster of
    people and their tenures. ``records=False`` makes it a plain SHACL validator for other
    shapes: no records vocabulary is loaded and no input checks are run.
    """

    def __init__(self, shapes: Graph | None = None, *, context: Sequence[Data] = (),
                 records: bool = True) -> None:
        self.shapes = shapes if shapes is not None else rules_graph()
        self.checks: list[Check] | None
        try:
            self.checks = compile_shapes(self.shapes)
            self.unsupported = None
        except Unsupported as exc:  # such shapes can still be validated with pySHACL
            self.checks, self.unsupported = None, str(exc)
        self.records = records
        self.context = [_as_input(c) for c in context]
        base = ox.Store()
        if records:
            vocabulary = vocabulary_graph().serialize(format="nt", encoding="utf-8")
            base.load(vocabulary, format=ox.RdfFormat.N_TRIPLES, to_graph=VOCABULARY_GRAPH)
        for item in self.context:
            _add(base, item)
        self._base = list(base)  # parsed once; copying quads is cheaper than re-parsing

    def store(self) -> ox.Store:
        """A fresh store holding the records vocabulary (in its own graph) and the context."""
        store = ox.Store()
        store.extend(self._base)
        return store

    def load(self, data: Data | Iterable[Data]) -> ox.Store:
        """A fresh store with the vocabulary, the context and ``data`` (which is not altered)."""
        store = self.store()
        items = [data] if isinstance(data, Input | str | Path | Graph) else list(data)
        for item in items:
            _add(store, _as_input(item))
        return store

    def validate(self, data: Data | Iterable[Data], *, engine: str = "auto",
                 lang: str = "zh") -> Report:
        """Validate records; raise :class:`~.inputs.InputError` if the input is unusable."""
        if engine not in ENGINES:
            raise ValueError(f"unknown engine {engine!r} (one of: {', '.join(ENGINES)})")
        started = time.perf_counter()
        items = [data] if isinstance(data, Input | str | Path | Graph) else list(data)
        inputs = [_as_input(item) for item in items]
        store = self.load(inputs)
        graph = self.rdflib_graph(inputs) if self.engine(engine) == "pyshacl" else None
        return self.validate_store(store, engine=engine, lang=lang, started=started,
                                   graph=graph)

    def engine(self, requested: str) -> str:
        """The engine that will run: ``auto`` is the fast one unless the shapes need pySHACL."""
        if requested == "auto":
            return "fast" if self.checks is not None else "pyshacl"
        return requested

    def rdflib_graph(self, inputs: Sequence[Input | Graph]) -> Graph:
        """Vocabulary, context and inputs parsed by rdflib: what plain pySHACL validates."""
        graph = Graph()
        if self.records:
            graph += vocabulary_graph()
        for item in [*self.context, *inputs]:
            if isinstance(item, Graph):
                graph += item
            else:
                parse_rdflib(item, graph)
        return graph

    def validate_store(self, store: ox.Store, *, engine: str = "auto", lang: str = "zh",
                       started: float | None = None, graph: Graph | None = None) -> Report:
        """Validate what ``store`` holds; ``graph`` is the same data for pySHACL, if parsed."""
        started = started if started is not None else time.perf_counter()
        results = check_terms(store) if self.records else []
        used = self.engine(engine)
        if used == "pyshacl":
            results += run_pyshacl(graph if graph is not None else store_to_graph(store),
                                   self.shapes)
        else:
            if self.checks is None:
                raise ValueError(f"the fast engine cannot run these shapes: {self.unsupported}")
            present = classes_present(store)
            results += run_checks(store, [c for c in self.checks if c.applies(present)])
        labels = _labels(store, results)
        return Report([finding(r, labels) for r in results], engine=used, lang=lang,
                      triples=len(store), seconds=time.perf_counter() - started)


def classes_present(store: ox.Store) -> set[URIRef]:
    """Every class with an instance among the records, and its superclasses (for targets)."""
    types = {row["t"] for row in store.query(
        "SELECT DISTINCT ?t WHERE { ?s a ?t }", use_default_graph_as_union=True)}
    parents: dict = {}
    for row in store.query(f"SELECT ?a ?b WHERE {{ ?a <{RDFS.subClassOf}> ?b }}",
                           use_default_graph_as_union=True):
        parents.setdefault(row["a"], set()).add(row["b"])
    present, todo = set(), list(types)
    while todo:
        node = todo.pop()
        if node not in present:
            present.add(node)
            todo.extend(parents.get(node, ()))
    return {URIRef(n.value) for n in present if isinstance(n, ox.NamedNode)}


def _add(store: ox.Store, item: Input | Graph) -> None:
    if isinstance(item, Graph):
        graph_to_store(item, store)
    else:
        load(store, item)


def _as_input(item: Data) -> Input | Graph:
    if isinstance(item, Input | Graph):
        return item
    return Input.from_path(item)


def _labels(store: ox.Store, results: list[Result]) -> dict:
    """``rdfs:label`` of each record that has a finding (zh preferred), for readable reports."""
    focus = sorted({r.focus for r in results if isinstance(r.focus, URIRef)})
    out: dict = {}
    for i in range(0, len(focus), LABEL_BATCH):
        values = " ".join(_to_ox(f).__str__() for f in focus[i:i + LABEL_BATCH])
        query = (f"SELECT ?s ?l WHERE {{ VALUES ?s {{ {values} }} ?s <{RDFS.label}> ?l }} "
                 "ORDER BY ?s DESC(LANGMATCHES(LANG(?l), 'zh')) ?l")
        for row in store.query(query, use_default_graph_as_union=True):
            out.setdefault(URIRef(row["s"].value), row["l"].value)
    return out


@cache
def default_validator() -> Validator:
    """The validator for govkg's rule shapes (built on first use, then shared)."""
    return Validator()


def validate(data: Data | Iterable[Data], *, lang: str = "zh", engine: str = "auto",
             context: Sequence[Data] = ()) -> Report:
    """Validate records against the work rules and return the report.

    ``data``: file paths, :class:`Input` objects (bytes + format) or rdflib graphs; ``engine``:
    ``"auto"``/``"fast"`` (compiled SPARQL on Oxigraph) or ``"pyshacl"`` (reference);
    ``context``: extra data the records rely on, e.g. a roster of tenures.
    """
    validator = default_validator() if not context else Validator(context=context)
    return validator.validate(data, engine=engine, lang=lang)
