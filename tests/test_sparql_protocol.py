"""The SPARQL 1.1 Protocol at /sparql, against the real server (issue 5).

Query forms and result formats go through SPARQLWrapper, as a researcher's client would; the
protocol's own cases (request encodings, content negotiation, status codes) are written from
the SPARQL 1.1 Protocol recommendation with plain ``http.client``. Expected values come from
the regulation: 13 chapters, 69 articles, and article 59 paragraph 2's text.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import urllib.parse
from http.client import HTTPConnection

import pytest
import rdflib
from SPARQLWrapper import (
    CSV,
    JSON,
    JSONLD,
    POST,
    POSTDIRECTLY,
    RDFXML,
    TSV,
    TURTLE,
    XML,
    SPARQLWrapper,
)

LR = "https://w3id.org/govkg/yueqing/eli/lzf/2022/11/"
LEGAL = "https://w3id.org/govkg/yueqing/graph/legal"
ONTOLOGY = "https://w3id.org/govkg/yueqing/graph/ontology"
ARTICLE = "http://publications.europa.eu/resource/authority/subdivision/ARTICLE"
CHAPTER = "http://publications.europa.eu/resource/authority/subdivision/CHAPTER"
ART_59_2 = (
    "以市政府办公室名义发文的（行政规范性文件除外），一般由市政府办公室主任或有关副主任签发；"
    "内容重要、涉及面广的，由市政府办公室主任签发；文内注明经市政府同意的，须呈分管副市长或市长签发，"
    "有的可由市政府办公室主任视情签发。"
)
COUNT_ARTICLES = f"""
PREFIX eli: <http://data.europa.eu/eli/ontology#>
SELECT (COUNT(?a) AS ?n) WHERE {{ ?a eli:type_subdivision <{ARTICLE}> }}
"""
TEXT_59_2 = f"""
PREFIX gk: <https://w3id.org/govkg/ontology#>
SELECT ?text WHERE {{ <{LR}art_59/para_2> gk:text ?text }}
"""
DESCRIBE_59_2 = f"DESCRIBE <{LR}art_59/para_2>"
CONSTRUCT_59 = f"""
PREFIX eli: <http://data.europa.eu/eli/ontology#>
CONSTRUCT {{ ?p eli:is_part_of <{LR}art_59> }} WHERE {{ ?p eli:is_part_of <{LR}art_59> }}
"""


def wrapper(url: str, query: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    sw = SPARQLWrapper(url)
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    if method == "POST":
        sw.setMethod(POST)
    elif method == "POSTDIRECTLY":
        sw.setMethod(POST)
        sw.setRequestMethod(POSTDIRECTLY)
    return sw


def request(server, method: str, path: str, body: bytes | str | None = None,
            headers: dict[str, str] | None = None):
    """One raw HTTP exchange: (status, headers, body bytes)."""
    host, port = server.url.removeprefix("http://").split(":")
    conn = HTTPConnection(host, int(port), timeout=30)
    try:
        conn.request(method, path, body=body.encode() if isinstance(body, str) else body,
                     headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def q(query: str, **extra: str) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": query, **extra})


# --- query forms and result formats, through SPARQLWrapper -------------------------------

@pytest.mark.parametrize("method", ["GET", "POST", "POSTDIRECTLY"])
def test_select_json_counts_69_articles(server, method) -> None:
    result = wrapper(server.sparql, COUNT_ARTICLES, JSON, method).query().convert()
    assert result["results"]["bindings"][0]["n"]["value"] == "69"


def test_select_xml(server) -> None:
    document = wrapper(server.sparql, TEXT_59_2, XML).query().convert()  # a parsed DOM
    literal = document.getElementsByTagName("literal")[0]
    assert literal.firstChild.data == ART_59_2
    assert literal.getAttribute("xml:lang").lower() == "zh-hans"


def test_select_csv_and_tsv(server) -> None:
    text = wrapper(server.sparql, TEXT_59_2, CSV).query().convert().decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["text"], [ART_59_2]]
    tsv = wrapper(server.sparql, TEXT_59_2, TSV).query().convert().decode()
    head, value = tsv.strip("\n").split("\n")
    assert head == "?text"
    assert value.lower() == f'"{ART_59_2}"@zh-hans'


@pytest.mark.parametrize("fmt", [JSON, XML])
def test_ask(server, fmt) -> None:
    sw = wrapper(server.sparql, f"ASK {{ <{LR}art_59> ?p ?o }}", fmt)
    result = sw.query().convert()
    if fmt == JSON:
        assert result["boolean"] is True
    else:
        assert result.getElementsByTagName("boolean")[0].firstChild.data == "true"


@pytest.mark.parametrize("fmt", [TURTLE, RDFXML, JSONLD])
def test_construct_formats(server, fmt) -> None:
    result = wrapper(server.sparql, CONSTRUCT_59, fmt).query().convert()
    graph = result if isinstance(result, rdflib.Graph) else rdflib.Graph().parse(
        data=result, format="turtle")
    parts = {str(s) for s in graph.subjects()}
    # 第五十九条 has two paragraphs
    assert parts == {f"{LR}art_59/para_1", f"{LR}art_59/para_2"}


def test_describe_turtle(server) -> None:
    data = wrapper(server.sparql, DESCRIBE_59_2, TURTLE).query().convert()
    graph = rdflib.Graph().parse(data=data, format="turtle")
    texts = {str(o) for o in graph.objects(predicate=rdflib.URIRef(
        "https://w3id.org/govkg/ontology#text"))}
    assert texts == {ART_59_2}


def test_construct_ntriples_by_accept(server) -> None:
    status, headers, body = request(server, "GET", q(CONSTRUCT_59),
                                    headers={"Accept": "application/n-triples"})
    assert status == 200
    assert headers["Content-Type"].startswith("application/n-triples")
    assert len(body.decode().strip().splitlines()) == 2


# --- protocol encodings (SPARQL 1.1 Protocol §2.1) -----------------------------------------

def test_query_via_post_form(server) -> None:
    body = urllib.parse.urlencode({"query": COUNT_ARTICLES})
    status, _headers, data = request(server, "POST", "/sparql", body,
                                    {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200
    assert json.loads(data)["results"]["bindings"][0]["n"]["value"] == "69"


def test_query_via_post_direct(server) -> None:
    status, _, data = request(server, "POST", "/sparql", COUNT_ARTICLES,
                              {"Content-Type": "application/sparql-query"})
    assert status == 200
    assert json.loads(data)["results"]["bindings"][0]["n"]["value"] == "69"


def test_default_graph_uri_restricts_the_default_graph(server) -> None:
    query = f"ASK {{ <{LR}art_59> ?p ?o }}"
    _, _, legal = request(server, "GET", q(query, **{"default-graph-uri": LEGAL}))
    _, _, ontology = request(server, "GET", q(query, **{"default-graph-uri": ONTOLOGY}))
    assert json.loads(legal)["boolean"] is True
    assert json.loads(ontology)["boolean"] is False


def test_named_graph_uri_limits_graph_patterns(server) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    _, _, body = request(server, "GET", q(query, **{"named-graph-uri": LEGAL}))
    graphs = [b["g"]["value"] for b in json.loads(body)["results"]["bindings"]]
    assert graphs == [LEGAL]
    _, _, everything = request(server, "GET", q(query))
    names = {b["g"]["value"] for b in json.loads(everything)["results"]["bindings"]}
    assert {LEGAL, ONTOLOGY} <= names


def test_default_graph_is_the_union_but_from_wins(server) -> None:
    query = f"SELECT (COUNT(*) AS ?n) {{ <{LR}art_59> ?p ?o }}"
    from_ontology = f"SELECT (COUNT(*) AS ?n) FROM <{ONTOLOGY}> {{ <{LR}art_59> ?p ?o }}"
    _, _, union = request(server, "GET", q(query))
    _, _, restricted = request(server, "GET", q(from_ontology))
    assert int(json.loads(union)["results"]["bindings"][0]["n"]["value"]) > 0
    assert json.loads(restricted)["results"]["bindings"][0]["n"]["value"] == "0"


# --- content negotiation -----------------------------------------------------------------

@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("text/*", "text/csv"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv;q=0.5, text/tab-separated-values", "text/tab-separated-values"),
        ("text/html, application/sparql-results+xml;q=0.9, */*;q=0.1",
         "application/sparql-results+xml"),
        ("application/json", "application/sparql-results+json"),
    ],
)
def test_select_negotiation(server, accept, expected) -> None:
    headers = {"Accept": accept} if accept else {}
    status, response_headers, _ = request(server, "GET", q(COUNT_ARTICLES), headers=headers)
    assert status == 200
    assert response_headers["Content-Type"].split(";")[0] == expected


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "text/turtle"),
        ("*/*", "text/turtle"),
        ("application/ld+json", "application/ld+json"),
        ("application/rdf+xml;q=0.9, text/turtle;q=0.3", "application/rdf+xml"),
        ("application/*;q=0.5, text/turtle;q=0.1", "application/n-triples"),
    ],
)
def test_construct_negotiation(server, accept, expected) -> None:
    headers = {"Accept": accept} if accept else {}
    status, response_headers, _ = request(server, "GET", q(CONSTRUCT_59), headers=headers)
    assert status == 200
    assert response_headers["Content-Type"].split(";")[0] == expected


@pytest.mark.parametrize(
    ("fmt", "query", "expected"),
    [
        ("csv", COUNT_ARTICLES, "text/csv"),
        ("tsv", COUNT_ARTICLES, "text/tab-separated-values"),
        ("xml", COUNT_ARTICLES, "application/sparql-results+xml"),
        ("jsonld", CONSTRUCT_59, "application/ld+json"),
        ("ntriples", CONSTRUCT_59, "application/n-triples"),
        ("application/rdf+xml", CONSTRUCT_59, "application/rdf+xml"),
    ],
)
def test_format_parameter_overrides_accept(server, fmt, query, expected) -> None:
    status, headers, _ = request(server, "GET", q(query, format=fmt),
                                 headers={"Accept": "application/sparql-results+json"})
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == expected


# --- errors --------------------------------------------------------------------------------

def test_syntax_error_is_400_with_position(server) -> None:
    status, headers, body = request(server, "GET", q("SELECT * WHERE {\n  ?s ?p \n}"))
    assert status == 400
    assert headers["Content-Type"].startswith("text/plain")
    assert "syntax error" in body.decode()
    assert "at 3:" in body.decode()  # line 3: the "}" where an object was expected


def test_two_queries_are_400(server) -> None:
    status, _, _ = request(server, "GET", "/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert status == 400


def test_unknown_format_is_400(server) -> None:
    status, _, body = request(server, "GET", q(COUNT_ARTICLES, format="yaml"))
    assert status == 400
    assert "format" in body.decode()


def test_unacceptable_is_406(server) -> None:
    status, _, body = request(server, "GET", q(COUNT_ARTICLES), headers={"Accept": "image/png"})
    assert status == 406
    assert "application/sparql-results+json" in body.decode()
    status, _, _ = request(server, "GET", q(CONSTRUCT_59), headers={"Accept": "text/csv"})
    assert status == 406


def test_unsupported_content_type_is_415(server) -> None:
    status, _, body = request(server, "POST", "/sparql", COUNT_ARTICLES,
                              {"Content-Type": "text/plain"})
    assert status == 415
    assert "application/sparql-query" in body.decode()


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405(server, method) -> None:
    status, headers, _ = request(server, method, "/sparql", "x")
    assert status == 405
    assert "GET" in headers["Allow"] and "POST" in headers["Allow"]


def test_post_without_query_is_400(server) -> None:
    status, _, _ = request(server, "POST", "/sparql", "a=b",
                           {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 400


# --- service description, UI ---------------------------------------------------------------

@pytest.mark.parametrize(("accept", "fmt"), [("text/turtle", "turtle"),
                                             ("application/ld+json", "json-ld")])
def test_service_description_with_void(server, accept, fmt) -> None:
    status, headers, body = request(server, "GET", "/sparql", headers={"Accept": accept})
    assert status == 200
    assert headers["Content-Type"].startswith(accept)
    graph = rdflib.Graph().parse(data=body, format=fmt)
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    assert (None, rdflib.RDF.type, sd.Service) in graph
    assert (None, sd.endpoint, rdflib.URIRef(server.sparql)) in graph
    names = set(graph.objects(predicate=sd.name))
    assert {rdflib.URIRef(LEGAL), rdflib.URIRef(ONTOLOGY)} <= names
    legal_triples = graph.value(rdflib.URIRef(LEGAL), void.triples)
    assert legal_triples is not None and int(legal_triples) > 0
    assert (None, void.propertyPartition, None) in graph


def test_browser_gets_yasgui_without_cdn(server) -> None:
    status, headers, body = request(server, "GET", "/sparql",
                                    headers={"Accept": "text/html,*/*;q=0.8"})
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    page = body.decode()
    assert "/static/vendor/yasgui/yasgui.min.js" in page
    assert 'src="http' not in page and "href=\"http" not in page.replace(
        'href="http://127.0.0.1', "")
    assert "article_text" in page or "第" in page  # named questions preloaded as examples
    assert '"lr": "https://w3id.org/govkg/yueqing/eli/lzf/2022/11/"' in page
    status, headers, script = request(server, "GET", "/static/vendor/yasgui/yasgui.min.js")
    assert status == 200 and len(script) > 100_000
    status, _, licence = request(server, "GET", "/static/vendor/yasgui/LICENSE")
    assert status == 200 and b"MIT" in licence


# --- caching, compression, CORS, health, metrics, logs --------------------------------------

def test_etag_and_conditional_get(server) -> None:
    status, headers, _ = request(server, "GET", q(COUNT_ARTICLES))
    etag = headers["ETag"]
    assert status == 200 and etag.startswith('W/"')
    assert "max-age=" in headers["Cache-Control"]
    status, headers, body = request(server, "GET", q(COUNT_ARTICLES),
                                    headers={"If-None-Match": etag})
    assert status == 304 and body == b""
    _, other, _ = request(server, "GET", q(COUNT_ARTICLES, format="csv"))
    assert other["ETag"] != etag  # one tag per representation


def test_gzip(server) -> None:
    query = "SELECT * WHERE { ?s ?p ?o } LIMIT 200"
    status, headers, body = request(server, "GET", q(query),
                                    headers={"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert len(json.loads(gzip.decompress(body))["results"]["bindings"]) == 200
    _, plain, _ = request(server, "GET", q(query))
    assert "Content-Encoding" not in plain


def test_cors(server) -> None:
    status, headers, _ = request(server, "GET", q(COUNT_ARTICLES),
                                 headers={"Origin": "https://example.org"})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
    status, headers, _ = request(server, "OPTIONS", "/sparql", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "POST"})
    assert status == 200
    assert "POST" in headers["Access-Control-Allow-Methods"]


def test_healthz_and_metrics(server) -> None:
    status, _, body = request(server, "GET", "/healthz")
    assert status == 200 and json.loads(body)["status"] == "ok"
    request(server, "GET", q(COUNT_ARTICLES))
    status, headers, body = request(server, "GET", "/metrics")
    text = body.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    assert 'govkg_http_requests_total{endpoint="/sparql"' in text
    assert "govkg_http_request_duration_seconds_bucket" in text


def test_access_log_is_json_lines(server) -> None:
    request(server, "GET", q(COUNT_ARTICLES, format="csv"))
    entries = [json.loads(line) for line in server.log.read_text().splitlines()
               if line.startswith("{")]
    sparql = [e for e in entries if e["path"] == "/sparql" and e.get("form") == "SELECT"]
    assert sparql and {"status", "ms", "rows", "query_sha1"} <= sparql[-1].keys()
