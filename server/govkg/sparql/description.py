"""The SPARQL 1.1 Service Description of ``/sparql``, with VoID statistics per graph.

Researchers discover the dataset from here: its four named graphs (and that the default graph
is their union), what each holds (triples, subjects, objects, properties, classes and one
``void:propertyPartition`` per property), the result formats, and whether updates are on. The
statistics are queried from the store itself, once per data version.
"""

from __future__ import annotations

import json
from functools import lru_cache

import pyoxigraph as ox
from flask import current_app, request

from .. import store as st
from . import results as r
from .negotiation import Choice

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
FORMATS = "http://www.w3.org/ns/formats/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
_RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                   "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML")

_GRAPH_STATS = """
SELECT ?g (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects)
       (COUNT(DISTINCT ?o) AS ?objects) (COUNT(DISTINCT ?p) AS ?properties)
WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g
"""
_CLASS_STATS = """
SELECT ?g (COUNT(DISTINCT ?c) AS ?classes) (COUNT(DISTINCT ?s) AS ?entities)
WHERE { GRAPH ?g { ?s a ?c } } GROUP BY ?g
"""
_PROPERTY_STATS = """
SELECT ?g ?p (COUNT(*) AS ?triples) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ?p ORDER BY ?g ?p
"""


def _n(node: str) -> ox.NamedNode:
    return ox.NamedNode(node)


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_XSD_INTEGER)


def _select(store: st.Store, text: str) -> list[dict[str, str]]:
    answer = store.query(
        text,
        dataset=st.Dataset(),
        timeout=current_app.config["GOVKG"].query_timeout,
        bindings=None,
        output=st.Output(Choice(r.JSON, None), max_rows=1_000_000),
    )
    rows = json.loads(answer.body)["results"]["bindings"]
    return [{k: v["value"] for k, v in row.items()} for row in rows]


def statistics(store: st.Store) -> dict[str, dict]:
    """Per named graph: VoID counts and triples per property."""
    stats: dict[str, dict] = {}
    for row in _select(store, _GRAPH_STATS):
        graph = row.pop("g")
        stats[graph] = {k: int(v) for k, v in row.items()} | {"partitions": {}}
    for row in _select(store, _CLASS_STATS):
        stats.setdefault(row.pop("g"), {"partitions": {}}).update(
            {k: int(v) for k, v in row.items()}
        )
    for row in _select(store, _PROPERTY_STATS):
        stats.setdefault(row["g"], {"partitions": {}})["partitions"][row["p"]] = int(
            row["triples"]
        )
    return stats


def render(endpoint: str, media_type: str) -> bytes:
    """The description of the service at ``endpoint`` in an RDF ``media_type``."""
    store = current_app.extensions["govkg.store"]
    cfg = current_app.config["GOVKG"]
    return _render(store, store.version, endpoint, media_type, cfg.read_only)


@lru_cache(maxsize=32)
def _render(store, version: str, endpoint: str, media_type: str, read_only: bool) -> bytes:
    stats = statistics(store)
    service = _n(endpoint + "#service")
    triples: list[ox.Triple] = []

    def add(s, p, o):
        triples.append(ox.Triple(s, _n(p) if isinstance(p, str) else p, o))

    add(service, RDF_TYPE, _n(SD + "Service"))
    add(service, SD + "endpoint", _n(endpoint))
    add(service, SD + "supportedLanguage", _n(SD + "SPARQL11Query"))
    if not read_only:
        add(service, SD + "supportedLanguage", _n(SD + "SPARQL11Update"))
    add(service, SD + "feature", _n(SD + "UnionDefaultGraph"))
    for name in _RESULT_FORMATS:
        add(service, SD + "resultFormat", _n(FORMATS + name))
    data = _n(endpoint + "#dataset")
    add(service, SD + "defaultDataset", data)
    add(data, RDF_TYPE, _n(SD + "Dataset"))
    add(data, RDF_TYPE, _n(VOID + "Dataset"))
    default = _n(endpoint + "#default-graph")
    add(data, SD + "defaultGraph", default)
    add(default, RDF_TYPE, _n(SD + "Graph"))
    add(default, _n("http://www.w3.org/2000/01/rdf-schema#comment"),
        ox.Literal("The union of all named graphs.", language="en"))
    add(default, _n("http://www.w3.org/2000/01/rdf-schema#comment"),
        ox.Literal("所有命名图的并集。", language="zh-Hans"))
    add(default, VOID + "triples", _int(sum(s.get("triples", 0) for s in stats.values())))
    for iri in sorted(stats):
        entry, graph = ox.BlankNode(), _n(iri)
        add(data, SD + "namedGraph", entry)
        add(entry, RDF_TYPE, _n(SD + "NamedGraph"))
        add(entry, SD + "name", graph)
        add(entry, SD + "graph", graph)
        add(graph, RDF_TYPE, _n(SD + "Graph"))
        add(graph, RDF_TYPE, _n(VOID + "Dataset"))
        add(data, VOID + "subset", graph)
        counts = stats[iri]
        for key in ("triples", "entities", "classes", "properties"):
            if key in counts:
                add(graph, VOID + key, _int(counts[key]))
        for key, prop in (("subjects", "distinctSubjects"), ("objects", "distinctObjects")):
            if key in counts:
                add(graph, VOID + prop, _int(counts[key]))
        for prop, count in counts["partitions"].items():
            part = ox.BlankNode()
            add(graph, VOID + "propertyPartition", part)
            add(part, VOID + "property", _n(prop))
            add(part, VOID + "triples", _int(count))
    prefixes = {"sd": SD, "void": VOID, "formats": FORMATS, **store.prefixes}
    return r.write_graph(triples, media_type, prefixes)


def ui_context() -> dict:
    """What the YASGUI page needs: endpoint, prefixes, named questions as example tabs."""
    store = current_app.extensions["govkg.store"]
    questions = current_app.extensions["govkg.questions"]
    lang = "en" if request.args.get("lang") == "en" else "zh-Hans"
    return {
        "lang": lang,
        "endpoint": request.base_url,
        "prefixes": store.prefixes,
        "examples": [
            {"name": q.name, "title": q.title(lang), "query": q.display_text}
            for q in questions.values()
        ],
    }
