"""Namespaces, the default base IRI, and rebasing to a configured one.

Hand-written Turtle always uses the default base; a deployment that wants its own IRIs sets
``GOVKG_BASE_IRI`` (or ``--base-iri``) and :func:`rebase` rewrites every IRI under the default
base, so there is one source of truth and one rewriting rule.
"""

from __future__ import annotations

import os
import re

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

DEFAULT_BASE = "https://w3id.org/govkg/yueqing/"

GK = Namespace("https://w3id.org/govkg/ontology#")
GKS = Namespace("https://w3id.org/govkg/shapes#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
TIME = Namespace("http://www.w3.org/2006/time#")
ODRL = Namespace("http://www.w3.org/ns/odrl/2/")
SUBDIVISION = Namespace("http://publications.europa.eu/resource/authority/subdivision/")
SH = Namespace("http://www.w3.org/ns/shacl#")

WORK_PATH = "eli/lzf/2022/11"
REPEALED_WORK_PATH = "eli/lzf/2020/21"


_NOT_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f]')


def base_iri(override: str | None = None) -> str:
    """The configured base IRI: the argument, else ``GOVKG_BASE_IRI``, else the default."""
    base = override or os.environ.get("GOVKG_BASE_IRI") or DEFAULT_BASE
    if not base.startswith(("http://", "https://")):
        raise ValueError(f"base IRI must be an absolute http(s) IRI, got {base!r}")
    if bad := _NOT_IRI.search(base):
        # every IRI minted from the base would be unparseable (RFC 3987 §2.2)
        raise ValueError(f"base IRI {base!r} contains {bad.group()!r}, "
                         "which an IRI may not contain")
    return base if base.endswith("/") else base + "/"


def work_iri(base: str = DEFAULT_BASE) -> URIRef:
    """IRI of the regulation (the ELI work)."""
    return URIRef(base + WORK_PATH)


def prefixes(base: str = DEFAULT_BASE) -> dict[str, str]:
    """The prefixes every serialisation and query of govkg binds."""
    return {
        "gk": str(GK),
        "gks": str(GKS),
        "lr": base + WORK_PATH + "/",
        "yq": base + "id/",
        "eli": str(ELI),
        "org": str(ORG),
        "prov": str(PROV),
        "skos": str(SKOS),
        "dcterms": str(DCTERMS),
        "owl": str(OWL),
        "rdf": str(RDF),
        "rdfs": str(RDFS),
        "xsd": str(XSD),
        "schema": str(SCHEMA),
        "time": str(TIME),
        "odrl": str(ODRL),
        "sh": str(SH),
    }


def bind_prefixes(graph: Graph, base: str = DEFAULT_BASE) -> Graph:
    """Bind govkg's prefixes on ``graph`` (replacing rdflib's defaults) and return it."""
    for prefix, namespace in prefixes(base).items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def move_iri(value: str, base: str) -> str:
    """``value`` moved from the default base to ``base`` (unchanged when not under it)."""
    return base + value[len(DEFAULT_BASE):] if value.startswith(DEFAULT_BASE) else value


def rebase(graph: Graph, base: str) -> Graph:
    """Return a copy of ``graph`` with every IRI under the default base moved to ``base``.

    ``xsd:anyURI`` literals (as in ``sh:namespace``) are moved too, so shapes keep working.
    """
    if base == DEFAULT_BASE:
        return graph

    def move(term):
        if isinstance(term, URIRef) and term.startswith(DEFAULT_BASE):
            return URIRef(base + term[len(DEFAULT_BASE) :])
        if (
            isinstance(term, Literal)
            and term.datatype == XSD.anyURI
            and str(term).startswith(DEFAULT_BASE)
        ):
            return Literal(base + str(term)[len(DEFAULT_BASE) :], datatype=XSD.anyURI)
        return term

    out = bind_prefixes(Graph(), base)
    for s, p, o in graph:
        out.add((move(s), move(p), move(o)))
    return out
