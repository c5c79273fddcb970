"""Pick the response format: ``format=`` if given, else HTTP content negotiation.

The query form decides which family applies (tabular for SELECT/ASK, RDF for CONSTRUCT and
DESCRIBE) but is known only once the query is parsed, so one choice is made per family up
front and the engine picks. ``Accept`` is read with werkzeug (q-values, ``type/*`` and ``*/*``);
with no ``Accept`` at all the defaults are SPARQL JSON and Turtle.
"""

from __future__ import annotations

from dataclasses import dataclass

from werkzeug.datastructures import MIMEAccept

from . import results as r

# Accepted media type -> the format written; the first entry of each is the default.
TABULAR = {
    r.JSON: r.JSON,
    r.XML: r.XML,
    r.CSV: r.CSV,
    r.TSV: r.TSV,
    "application/json": r.JSON,
    "application/xml": r.XML,
    "text/xml": r.XML,
}
GRAPH = {
    r.TURTLE: r.TURTLE,
    r.NTRIPLES: r.NTRIPLES,
    r.JSONLD: r.JSONLD,
    r.RDFXML: r.RDFXML,
    "application/x-turtle": r.TURTLE,
    "text/plain": r.NTRIPLES,
    "application/json": r.JSONLD,
    "application/xml": r.RDFXML,
}
# format=NAME: the format for each family (None: that family has no such format).
NAMES = {
    "json": (r.JSON, r.JSONLD),
    "xml": (r.XML, r.RDFXML),
    "csv": (r.CSV, None),
    "tsv": (r.TSV, None),
    "turtle": (None, r.TURTLE),
    "ttl": (None, r.TURTLE),
    "ntriples": (None, r.NTRIPLES),
    "nt": (None, r.NTRIPLES),
    "jsonld": (None, r.JSONLD),
    "json-ld": (None, r.JSONLD),
    "rdfxml": (None, r.RDFXML),
    "rdf": (None, r.RDFXML),
    "rdf+xml": (None, r.RDFXML),
    "n-triples": (None, r.NTRIPLES),
    "n3": (None, r.TURTLE),  # Turtle is N3 (SPARQLWrapper asks for n3)
}


class UnknownFormat(ValueError):
    """``format=`` names nothing this service writes."""


@dataclass(frozen=True, slots=True)
class Choice:
    """The media type to write per family; ``None`` means that family is not acceptable."""

    tabular: str | None
    graph: str | None


def choose(accept: MIMEAccept, fmt: str | None) -> Choice:
    """Decide the formats from ``format=`` (wins) or the ``Accept`` header."""
    if fmt:
        key = fmt.strip().lower()
        if key in NAMES:
            return Choice(*NAMES[key])
        media = key.split(";")[0].strip()
        if media in TABULAR or media in GRAPH:
            return Choice(TABULAR.get(media), GRAPH.get(media))
        names = ", ".join(sorted(NAMES))
        raise UnknownFormat(f"format={fmt!r} is not supported; use one of {names} or a media type")
    if not accept:
        return Choice(r.JSON, r.TURTLE)
    tabular = accept.best_match(list(TABULAR))
    graph = accept.best_match(list(GRAPH))
    return Choice(TABULAR.get(tabular or ""), GRAPH.get(graph or ""))


def offered(form: str) -> list[str]:
    """The media types a client may ask for, for the 406 message."""
    return list(dict.fromkeys((TABULAR if form in ("SELECT", "ASK") else GRAPH).values()))
