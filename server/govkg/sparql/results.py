"""Serialise query answers: the four SPARQL result formats and four RDF syntaxes.

SELECT results are written here rather than by the engine so that the row cap can cut a result
and *say so* (the engine's writers only take a whole result). The formats follow SPARQL 1.1
Query Results JSON, XML (with its ``link`` element for the truncation note) and CSV/TSV;
graphs are written by pyoxigraph with govkg's prefixes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

JSON = "application/sparql-results+json"
XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
NTRIPLES = "application/n-triples"
JSONLD = "application/ld+json"
RDFXML = "application/rdf+xml"

TABULAR = (JSON, XML, CSV, TSV)
GRAPH = (TURTLE, NTRIPLES, JSONLD, RDFXML)

TRUNCATED_LINK = "urn:govkg:truncated"
"""Marks a cut result in XML's ``<head><link/>`` (JSON gets ``"truncated": true``)."""

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_RDF_FORMATS = {
    TURTLE: ox.RdfFormat.TURTLE,
    NTRIPLES: ox.RdfFormat.N_TRIPLES,
    JSONLD: ox.RdfFormat.JSON_LD,
    RDFXML: ox.RdfFormat.RDF_XML,
}

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Row = Sequence[Term | None]


def content_type(media_type: str) -> str:
    """The ``Content-Type`` value: every format here is UTF-8 text."""
    return f"{media_type}; charset=utf-8"


def write_bindings(
    variables: Sequence[str], rows: Iterable[Row], media_type: str, *, truncated: bool = False
) -> bytes:
    """Serialise SELECT solutions (``rows`` aligned with ``variables``) as ``media_type``."""
    writer = {JSON: _json, XML: _xml, CSV: _csv, TSV: _tsv}[media_type]
    return writer(variables, rows, truncated).encode("utf-8")


def write_boolean(value: bool, media_type: str) -> bytes:
    """Serialise an ASK answer. CSV/TSV have no boolean form; they get one ``_askResult``."""
    if media_type == JSON:
        return json.dumps({"head": {}, "boolean": value}).encode()
    if media_type == XML:
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n"
        ).encode()
    lexical = "true" if value else "false"
    if media_type == CSV:
        return f"_askResult\r\n{lexical}\r\n".encode()
    return f'?_askResult\n"{lexical}"^^<http://www.w3.org/2001/XMLSchema#boolean>\n'.encode()


def write_graph(triples: Iterable[ox.Triple], media_type: str, prefixes: dict[str, str]) -> bytes:
    """Serialise CONSTRUCT/DESCRIBE triples with pyoxigraph's writers."""
    return ox.serialize(triples, format=_RDF_FORMATS[media_type], prefixes=prefixes)


def _json_term(term: Term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {
        "type": "triple",
        "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        },
    }


def _json(variables: Sequence[str], rows: Iterable[Row], truncated: bool) -> str:
    bindings = [
        {name: _json_term(term) for name, term in zip(variables, row, strict=True) if term}
        for row in rows
    ]
    doc: dict = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
    if truncated:
        doc["truncated"] = True
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value not in (_XSD_STRING, _RDF_LANG_STRING):
            attr = quoteattr(term.datatype.value)
            return f"<literal datatype={attr}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return (
        f"<triple><subject>{_xml_term(term.subject)}</subject>"
        f"<predicate>{_xml_term(term.predicate)}</predicate>"
        f"<object>{_xml_term(term.object)}</object></triple>"
    )


def _xml(variables: Sequence[str], rows: Iterable[Row], truncated: bool) -> str:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
    out += [f"<variable name={quoteattr(v)}/>" for v in variables]
    if truncated:
        out.append(f'<link href="{TRUNCATED_LINK}"/>')
    out.append("</head>\n<results>\n")
    for row in rows:
        out.append("<result>")
        out += [
            f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>"
            for name, term in zip(variables, row, strict=True)
            if term
        ]
        out.append("</result>\n")
    out.append("</results>\n</sparql>\n")
    return "".join(out)


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        text = f"_:{term.value}"
    elif isinstance(term, ox.NamedNode | ox.Literal):
        text = term.value
    else:
        text = str(term)
    if any(c in text for c in '",\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _csv(variables: Sequence[str], rows: Iterable[Row], truncated: bool) -> str:
    lines = [",".join(variables)]
    lines += [",".join(_csv_value(term) for term in row) for row in rows]
    return "\r\n".join(lines) + "\r\n"


def _tsv_value(term: Term | None) -> str:
    # pyoxigraph's str() is N-Triples syntax, which escapes tab and newline in literals
    return "" if term is None else str(term)


def _tsv(variables: Sequence[str], rows: Iterable[Row], truncated: bool) -> str:
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join(_tsv_value(term) for term in row) for row in rows]
    return "\n".join(lines) + "\n"
