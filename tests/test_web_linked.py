"""Linked data on the real server: every IRI the graph mints dereferences here.

Browsers get HTML, RDF clients get the resource's description (content negotiation at the same
URL, ``Vary: Accept``, ``Content-Location`` naming the format's own URL, ``Link`` headers to the
alternates); unknown IRIs are 404 with a message; paths never reach the file system. The
downloads are the store's graphs, complete.
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from urllib.parse import urlsplit

import pyoxigraph as ox
import pytest

BASE = "https://w3id.org/govkg/yueqing/"
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
GK_TEXT = ox.NamedNode("https://w3id.org/govkg/ontology#text")
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
FORMATS = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
           "application/ld+json": ox.RdfFormat.JSON_LD, "application/rdf+xml": ox.RdfFormat.RDF_XML}


def fetch(server, path: str, accept: str | None = None) -> tuple[int, dict, bytes]:
    headers = {"Accept": accept} if accept else {}
    request = urllib.request.Request(server.url + path, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def raw_get(server, path: str) -> int:
    """GET ``path`` exactly as written (no client-side normalisation of ``..``)."""
    parts = urlsplit(server.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.request("GET", path, headers={"Accept": "text/turtle"})
        response = conn.getresponse()
        body = response.read()
        assert b"root:" not in body
        return response.status
    finally:
        conn.close()


def triples(body: bytes, media: str) -> list[ox.Triple]:
    return [q.triple for q in ox.parse(body, format=FORMATS[media])]


@pytest.mark.parametrize("media", list(FORMATS))
def test_post_description_in_each_format(server, media):
    status, headers, body = fetch(server, "/id/post/mayor", media)
    assert status == 200
    assert headers.get_content_type() == media
    assert "Accept" in headers["Vary"]
    ext = {"text/turtle": "ttl", "application/n-triples": "nt", "application/ld+json": "jsonld",
           "application/rdf+xml": "rdf"}[media]
    assert headers["Content-Location"] == f"/id/post/mayor.{ext}"
    graph = triples(body, media)
    mayor = ox.NamedNode(BASE + "id/post/mayor")
    assert ox.Triple(mayor, RDFS_LABEL, ox.Literal("市长", language="zh-hans")) in graph
    # the labels of linked resources come along (the government the post is in)
    government = ox.NamedNode(BASE + "id/body/government")
    assert any(t.subject == government and t.predicate == RDFS_LABEL for t in graph)


def test_browsers_get_the_page_and_link_headers(server):
    status, headers, body = fetch(server, "/id/post/mayor", BROWSER)
    assert status == 200
    assert headers.get_content_type() == "text/html"
    links = headers["Link"]
    for ext, media in (("ttl", "text/turtle"), ("nt", "application/n-triples"),
                       ("jsonld", "application/ld+json")):
        assert f'</id/post/mayor.{ext}>; rel="alternate"; type="{media}"' in links
    assert '</en/id/post/mayor>; rel="alternate"; type="text/html"; hreflang="en"' in links
    assert b'<link rel="alternate" type="text/turtle" href="/id/post/mayor.ttl"' in body


def test_no_accept_header_gets_html_and_json_gets_json_ld(server):
    status, headers, _ = fetch(server, "/id/meeting-type/executive")
    assert status == 200 and headers.get_content_type() == "text/html"
    status, headers, body = fetch(server, "/id/meeting-type/executive", "application/json")
    assert status == 200 and headers.get_content_type() == "application/ld+json"
    assert json.loads(body)


def test_format_urls(server):
    status, headers, body = fetch(server, "/eli/lzf/2022/11/art_59/para_2.ttl", BROWSER)
    assert status == 200 and headers.get_content_type() == "text/turtle"
    clause = ox.NamedNode(BASE + "eli/lzf/2022/11/art_59/para_2")
    texts = [t.object.value for t in triples(body, "text/turtle")
             if t.subject == clause and t.predicate == GK_TEXT]
    assert texts and texts[0].startswith("以市政府办公室名义发文的（行政规范性文件除外）")


def test_blank_nodes_are_followed(server):
    # A frequency's period is an OWL-Time duration blank node (docs/model.md).
    status, _, body = fetch(server, "/id/fact/plenary-frequency.nt")
    assert status == 200
    graph = triples(body, "application/n-triples")
    numeric = ox.NamedNode("http://www.w3.org/2006/time#numericDuration")
    assert any(t.predicate == numeric and t.object.value == "6" for t in graph)


def test_unknown_iris_are_404_with_a_message(server):
    status, headers, body = fetch(server, "/id/post/nobody", "text/turtle")
    assert status == 404
    assert headers.get_content_type() == "text/plain"
    assert BASE + "id/post/nobody" in body.decode()
    status, _, body = fetch(server, "/eli/lzf/2022/11/art_99", BROWSER)
    assert status == 404 and "art_99" in body.decode()


def test_unacceptable_format_is_406(server):
    status, _, body = fetch(server, "/id/post/mayor", "image/png")
    assert status == 406 and b"text/turtle" in body


@pytest.mark.parametrize("path", [
    "/id/../../../../etc/passwd", "/eli/../../../etc/passwd", "/id/post/..%2f..%2fetc%2fpasswd",
    "/eli/lzf/2022/11/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/downloads/..%2fpyproject.toml",
    "/graph/..%2f..%2fetc%2fpasswd",
])
def test_no_path_traversal(server, path):
    assert raw_get(server, path) == 404


def test_every_minted_iri_dereferences(server):
    status, _, body = fetch(server, "/downloads/all.nt")
    assert status == 200
    minted = sorted({t.subject.value for t in triples(body, "application/n-triples")
                     if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(BASE)})
    assert 700 < len(minted) < 2000
    started = time.monotonic()
    failed = []
    for iri in minted:
        status, headers, _ = fetch(server, "/" + iri[len(BASE):], "text/turtle")
        if status != 200 or headers.get_content_type() != "text/turtle":
            failed.append((iri, status))
        assert time.monotonic() - started < 120, "dereferencing took too long"
    assert not failed


@pytest.mark.parametrize("ext", ["ttl", "nt", "jsonld"])
def test_downloads_are_the_whole_graphs(server, ext):
    media = {"ttl": "text/turtle", "nt": "application/n-triples",
             "jsonld": "application/ld+json"}[ext]
    counts = {}
    for name in ("kg", "ontology", "shapes", "legal"):
        status, headers, body = fetch(server, f"/downloads/{name}.{ext}")
        assert status == 200 and headers.get_content_type() == media
        counts[name] = len(triples(body, media))
    query = ("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    request = urllib.request.Request(
        server.url + "/sparql?query=" + urllib.parse.quote(query),
        headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        rows = json.loads(response.read())["results"]["bindings"]
    expected = {row["g"]["value"].rsplit("/", 1)[-1]: int(row["n"]["value"]) for row in rows}
    for name, count in counts.items():
        assert count == expected[name], name


def test_graph_iris_dereference(server):
    status, headers, body = fetch(server, "/graph/kg", "text/turtle")
    assert status == 200 and headers.get_content_type() == "text/turtle"
    assert len(triples(body, "text/turtle")) > 4000
    status, headers, body = fetch(server, "/graph/kg", BROWSER)
    assert status == 200 and b"/downloads/kg.ttl" in body


def test_ontology_documentation_at_its_namespace(server):
    status, headers, body = fetch(server, "/ontology", BROWSER)
    assert status == 200 and headers.get_content_type() == "text/html"
    text = body.decode()
    assert "ApprovalChain" in text and "Attendance" in text
    # generated offline: no script, style sheet or image from another host
    assert "<script src=\"http" not in text and "<link href=\"http" not in text
    assert fetch(server, "/ontology/0.1.0", BROWSER)[0] == 200       # the version IRI
    assert fetch(server, "/ontology/9.9.9", BROWSER)[0] == 404
    status, headers, body = fetch(server, "/ontology", "text/turtle")
    assert status == 200
    approval = ox.NamedNode("https://w3id.org/govkg/ontology#ApprovalChain")
    assert any(t.subject == approval for t in triples(body, "text/turtle"))


def test_shapes_at_their_namespace(server):
    status, _, body = fetch(server, "/shapes", BROWSER)
    assert status == 200 and b'id="minutes-signed-by-mayor"' in body
    status, headers, body = fetch(server, "/shapes.ttl")
    assert status == 200 and headers.get_content_type() == "text/turtle"
    assert len(triples(body, "text/turtle")) > 500

