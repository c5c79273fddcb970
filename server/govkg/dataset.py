"""Which packaged files make up the service's dataset, and how they are loaded.

Four named graphs (docs/conventions.md, "Named graphs"): ``legal`` from ``data/legal``,
``ontology`` from ``ontology``, ``kg`` from ``data/kg`` and ``shapes`` from ``shapes`` (the
self-check shapes and the rule shapes of ``shapes/rules``); every ``*.ttl`` file below a folder
goes into that folder's graph. The default graph offered to queries
is the union of all four. Files are parsed by pyoxigraph's native parser (start-up speed) and
moved to a configured base IRI while loading, with the same rule as :func:`govkg.iris.rebase`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from . import resources
from .iris import DEFAULT_BASE, move_iri

FOLDERS: dict[str, tuple[str, ...]] = {
    "legal": ("data", "legal"),
    "ontology": ("ontology",),
    "kg": ("data", "kg"),
    "shapes": ("shapes",),
}
_ANY_URI = ox.NamedNode("http://www.w3.org/2001/XMLSchema#anyURI")


def graph_iri(name: str, base: str = DEFAULT_BASE) -> str:
    """IRI of one of the four named graphs, e.g. ``…/yueqing/graph/legal``."""
    return f"{base}graph/{name}"


def files(name: str) -> list[Path]:
    """The Turtle files of graph ``name``, sorted (a missing folder is an empty graph)."""
    folder = resources.path(*FOLDERS[name])
    return sorted(folder.rglob("*.ttl")) if folder.is_dir() else []


def digest() -> str:
    """A short hash of every loaded file's name and bytes: the data version."""
    h = hashlib.sha256()
    for name in FOLDERS:
        for path in files(name):
            h.update(f"{name}/{path.name}\0".encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


def load(store: ox.Store, base: str = DEFAULT_BASE) -> dict[str, int]:
    """Load every graph into ``store``; return the number of triples per graph name."""
    counts = {}
    for name in FOLDERS:
        graph = ox.NamedNode(graph_iri(name, base))
        for path in files(name):
            if base == DEFAULT_BASE:
                store.load(path=path, format=ox.RdfFormat.TURTLE, to_graph=graph)
            else:
                store.extend(_rebased(path, graph, base))
        counts[name] = sum(1 for _ in store.quads_for_pattern(None, None, None, graph))
    return counts


def quads(name: str, base: str = DEFAULT_BASE) -> Iterator[ox.Quad]:
    """Every quad of graph ``name`` under ``base``: what ``govkg load`` pushes to a remote
    store (blank nodes get labels unique across files)."""
    graph = ox.NamedNode(graph_iri(name, base))
    for path in files(name):
        if base == DEFAULT_BASE:
            for quad in ox.parse(path=path, format=ox.RdfFormat.TURTLE):
                yield ox.Quad(quad.subject, quad.predicate, quad.object, graph)
        else:
            yield from _rebased(path, graph, base)


def _rebased(path: Path, graph: ox.NamedNode, base: str) -> Iterator[ox.Quad]:
    def move(term):
        if isinstance(term, ox.NamedNode):
            return ox.NamedNode(move_iri(term.value, base))
        if isinstance(term, ox.Literal) and term.datatype == _ANY_URI:
            return ox.Literal(move_iri(term.value, base), datatype=_ANY_URI)
        return term

    for quad in ox.parse(path=path, format=ox.RdfFormat.TURTLE):
        yield ox.Quad(move(quad.subject), move(quad.predicate), move(quad.object), graph)
