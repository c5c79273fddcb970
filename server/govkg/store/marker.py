"""The store's bookkeeping: which data version it holds and which graphs are govkg's.

A persistent or remote store outlives the process that filled it, so it must say what it
holds. One small graph, ``urn:govkg:meta``, records the data version (a hash of the packaged
files and the base IRI), the data graphs (the union offered as the default graph) and how many
updates were committed since loading. It is written last by every load, so a store whose
marker matches is complete; it is never part of the default graph or of ``graph_names``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pyoxigraph as ox

from .. import dataset

GRAPH = "urn:govkg:meta"
DATA_VERSION = "urn:govkg:dataVersion"
DATA_GRAPH = "urn:govkg:dataGraph"
COMMITS = "urn:govkg:commits"
_XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
READ = f"SELECT ?p ?o WHERE {{ GRAPH <{GRAPH}> {{ <{GRAPH}> ?p ?o }} }}"
COUNT_COMMIT = (
    f"DELETE {{ GRAPH <{GRAPH}> {{ <{GRAPH}> <{COMMITS}> ?c }} }} "
    f"INSERT {{ GRAPH <{GRAPH}> {{ <{GRAPH}> <{COMMITS}> ?n }} }} "
    f"WHERE {{ GRAPH <{GRAPH}> {{ <{GRAPH}> <{COMMITS}> ?c }} BIND(?c + 1 AS ?n) }}"
)
"""Counts one committed update in a remote store's marker."""


@dataclass(frozen=True)
class Marker:
    version: str
    graphs: tuple[str, ...]
    commits: int = 0

    def quads(self) -> list[ox.Quad]:
        s, g = ox.NamedNode(GRAPH), ox.NamedNode(GRAPH)
        out = [ox.Quad(s, ox.NamedNode(DATA_VERSION), ox.Literal(self.version), g),
               ox.Quad(s, ox.NamedNode(COMMITS), ox.Literal(str(self.commits),
                                                            datatype=_XSD_INTEGER), g)]
        out += [ox.Quad(s, ox.NamedNode(DATA_GRAPH), ox.NamedNode(iri), g)
                for iri in self.graphs]
        return out

    def update_text(self) -> str:
        """SPARQL Update that replaces the marker graph with this marker."""
        triples = " ".join(f"{q.subject} {q.predicate} {q.object} ." for q in self.quads())
        return f"DROP SILENT GRAPH <{GRAPH}> ; INSERT DATA {{ GRAPH <{GRAPH}> {{ {triples} }} }}"


def data_version(base: str) -> str:
    """The packaged files' digest combined with the base IRI they are loaded under."""
    return hashlib.sha256(f"{dataset.digest()}\0{base}".encode()).hexdigest()[:16]


def packaged(base: str) -> Marker:
    """The marker of the packaged data under ``base``: its version and its four graphs."""
    return Marker(data_version(base), tuple(dataset.graph_iri(n, base) for n in dataset.FOLDERS))


def from_rows(rows: list[tuple[str, str]]) -> Marker | None:
    """Build a marker from (predicate, object) pairs; None when there is no marker."""
    version, commits, graphs = None, 0, []
    for p, o in rows:
        if p == DATA_VERSION:
            version = o
        elif p == COMMITS:
            commits = int(o)
        elif p == DATA_GRAPH:
            graphs.append(o)
    return None if version is None else Marker(version, tuple(sorted(graphs)), commits)


def read(store: ox.Store) -> Marker | None:
    """The marker of an embedded store."""
    rows = [(s["p"].value, s["o"].value) for s in store.query(READ)]
    return from_rows(rows)


def write(store: ox.Store, marker: Marker) -> None:
    """Replace the marker of an embedded store."""
    graph = ox.NamedNode(GRAPH)
    if store.contains_named_graph(graph):
        store.remove_graph(graph)
    store.extend(marker.quads())
