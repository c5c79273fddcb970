"""``POST /api/validate`` against the real server: records in, the report out (issues 4 and 5).

The records are the record-check page's example — minutes of an executive meeting signed by the
executive vice mayor — which article 51 forbids: 市政府全体会议、市政府常务会议、市长办公会议的
纪要由市长签发.
"""

from __future__ import annotations

import gzip
import json
import urllib.error
import urllib.request
import uuid

from govkg import resources
from govkg.web.check import EXAMPLE
from rdflib import Graph

RULE = "https://w3id.org/govkg/shapes#minutes-signed-by-mayor"


def post(server, body: bytes, content_type: str | None, query: str = "",
         headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(f"{server.url}/api/validate{query}", data=body,
                                     method="POST", headers=dict(headers or {}))
    if content_type:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_turtle_records_give_the_article_51_finding_as_json(server) -> None:
    status, headers, body = post(server, EXAMPLE.encode(), "text/turtle")
    assert status == 200
    assert headers["Content-Type"].startswith("application/json")
    assert headers["X-Govkg-Conforms"] == "false"
    report = json.loads(body)
    assert report["summary"]["byArticle"] == {"51": {"Violation": 1}}
    (finding,) = report["findings"]
    assert finding["sourceShape"] == RULE
    assert finding["focusNode"] == "https://example.org/records/minutes1"
    assert "纪要由市长签发" in json.dumps(finding, ensure_ascii=False)


def test_report_in_turtle_is_a_shacl_report_citing_the_clause(server) -> None:
    status, headers, body = post(server, EXAMPLE.encode(), "text/turtle",
                                 headers={"Accept": "text/turtle"})
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=body.decode(), format="turtle")
    results = list(graph.query("""
        PREFIX sh: <http://www.w3.org/ns/shacl#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?shape ?clause WHERE { ?r sh:sourceShape ?shape ; dcterms:references ?clause }"""))
    assert [(str(s), str(c)) for s, c in results] == [
        (RULE, "https://w3id.org/govkg/yueqing/eli/lzf/2022/11/art_51/para_1")]


def test_english_html_report(server) -> None:
    status, headers, body = post(server, EXAMPLE.encode(), "text/turtle", "?lang=en&format=html")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "signed by the mayor" in body.decode()


def test_plain_json_records_through_the_packaged_context(server) -> None:
    records = resources.path("data", "examples", "request.json").read_bytes()
    status, _, body = post(server, records, "application/json")
    assert status == 200
    assert "summary" in json.loads(body)


def test_multipart_upload_and_gzip_body(server) -> None:
    boundary = uuid.uuid4().hex
    part = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"records.ttl\"\r\nContent-Type: text/turtle\r\n\r\n").encode()
    body = part + EXAMPLE.encode() + f"\r\n--{boundary}--\r\n".encode()
    status, _, answer = post(server, body, f"multipart/form-data; boundary={boundary}")
    assert status == 200 and json.loads(answer)["summary"]["findings"] == 1
    status, _, answer = post(server, gzip.compress(EXAMPLE.encode()), "text/turtle")
    assert status == 200 and json.loads(answer)["summary"]["findings"] == 1


def test_bad_input_gets_a_clear_4xx(server) -> None:
    status, _, body = post(server, b"@prefix x: <", "text/turtle")
    assert status == 400 and b"line 1" in body and b"Traceback" not in body
    status, _, body = post(server, b"%PDF-1.4", "application/pdf")
    assert status == 415 and b"application/pdf" in body
    status, _, body = post(server, b"   ", "text/turtle")
    assert status == 400 and b"no records" in body
    status, _, body = post(server, EXAMPLE.encode(), "text/turtle",
                           headers={"Accept": "image/png"})
    assert status == 406
    status, _, body = post(server, EXAMPLE.encode(), "text/turtle", "?format=pdf")
    assert status == 400 and b"format='pdf'" in body
    status, _, body = post(server, b"#" * 70000, "text/turtle")  # the server's cap is 65536
    assert status == 413
    status, _, body = post(server, b"", None)  # urllib sends an empty form
    assert status == 400 and b"no records" in body


def test_remote_json_ld_context_is_refused_not_fetched(server) -> None:
    doc = {"@context": "http://127.0.0.1:9/context.jsonld", "@id": "urn:x", "urn:p": "v"}
    status, _, body = post(server, json.dumps(doc).encode(), "application/ld+json")
    assert status == 400 and b"context" in body
