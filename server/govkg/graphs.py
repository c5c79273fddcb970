"""The project's data as rdflib graphs, one per named graph of the dataset.

The SPARQL service loads the same files into Oxigraph (:mod:`govkg.dataset`); checks that want
a plain in-memory graph — the self-check shapes, ``govkg coverage``, the tests — load them
here. Both read the file lists from :func:`govkg.dataset.files`, so they always agree on what
the legal graph, the ontology, the knowledge graph and the shapes are.
"""

from __future__ import annotations

from rdflib import Graph

from . import dataset
from .iris import bind_prefixes

UNION = ("legal", "ontology", "kg")


class DataError(ValueError):
    """A data file that cannot be read; the message names the file and what is wrong."""


def load(*names: str) -> Graph:
    """One graph holding every Turtle file of the named graphs ``names``."""
    graph = bind_prefixes(Graph())
    for name in names:
        for path in dataset.files(name):
            try:
                graph.parse(path, format="turtle")
            except (SyntaxError, ValueError) as exc:  # rdflib's BadSyntax is a SyntaxError
                raise DataError(f"{path}: not valid Turtle: {exc}") from exc
    return graph


def legal() -> Graph:
    """The regulation's legal structure (``data/legal``)."""
    return load("legal")


def ontology() -> Graph:
    """The ontology modules (``ontology/``)."""
    return load("ontology")


def kg() -> Graph:
    """The Yueqing knowledge graph (``data/kg``)."""
    return load("kg")


def shapes() -> Graph:
    """All shapes: the self-check shapes and the rule shapes (``shapes/**/*.ttl``)."""
    return load("shapes")


def union() -> Graph:
    """Legal structure, ontology and knowledge graph together: what the self-check validates."""
    return load(*UNION)
