"""Check the project's own data against the self-check shapes (``shapes/selfcheck.ttl``).

The shapes say what the ontology and the knowledge graph promise their users: every term and
instance is labelled in Chinese and English, every fact cites a paragraph or item that exists,
every meeting type of the government's meeting system has a convener, a chair and a frequency,
every signing rule names what is signed and who signs. ``govkg build`` and the tests call
:func:`check` on :func:`govkg.graphs.union`.
"""

from __future__ import annotations

from pyshacl import validate
from rdflib import Graph

from . import graphs, resources

SHAPES = ("shapes", "selfcheck.ttl")


def check(graph: Graph) -> tuple[bool, str]:
    """Validate ``graph`` (legal + ontology + KG); return whether it conforms and the report text.

    No inference: the shapes rely only on the rdfs:subClassOf triples of the ontology in the
    graph (SHACL's class targets follow them), so the result does not depend on a reasoner.
    """
    shapes = Graph().parse(resources.path(*SHAPES), format="turtle")
    conforms, _, text = validate(graph, shacl_graph=shapes, inference="none", allow_warnings=False)
    return bool(conforms), str(text)


def check_project() -> tuple[bool, str]:
    """Validate the packaged legal graph, ontology and knowledge graph."""
    return check(graphs.union())
