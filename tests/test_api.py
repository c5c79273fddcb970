"""Named questions at /api: typed, safely bound parameters, formats, labels, OpenAPI, index.

Expected answers are read off the regulation: article 59 has two paragraphs (text below);
article 46 paragraph 1 has eight items; chapter 12 (公文审批) holds articles 57–60.
"""

from __future__ import annotations

import csv
import io
import json
import urllib.parse

import pytest
from test_sparql_protocol import ART_59_2, LR, request


def api(server, name: str, accept: str | None = None, **params: str):
    path = f"/api/queries/{name}"
    if params:
        path += "?" + urllib.parse.urlencode(params)
    return request(server, "GET", path, headers={"Accept": accept} if accept else {})


def bindings(body: bytes) -> list[dict]:
    return json.loads(body)["results"]["bindings"]


def test_article_text_json(server) -> None:
    status, headers, body = api(server, "article_text", article="59")
    assert status == 200
    assert headers["Content-Type"].startswith("application/sparql-results+json")
    rows = bindings(body)
    assert [r["clause"]["value"] for r in rows] == [f"{LR}art_59/para_1", f"{LR}art_59/para_2"]
    assert rows[1]["text"]["value"] == ART_59_2
    assert rows[1]["label"]["value"] == "第五十九条第二款"
    # the bound parameter is not an output column: the question does not project it
    assert json.loads(body)["head"]["vars"] == ["clause", "label", "text"]


def test_items_are_listed_in_order(server) -> None:
    status, _, body = api(server, "article_text", article="46")
    assert status == 200
    clauses = [r["clause"]["value"].removeprefix(LR) for r in bindings(body)]
    assert clauses == ["art_46/para_1", *[f"art_46/para_1/item_{i}" for i in range(1, 9)],
                       "art_46/para_2"]


def test_default_parameter_value(server) -> None:
    status, _, body = api(server, "article_text")  # `defaults: article: 59`
    assert status == 200
    assert bindings(body)[1]["text"]["value"] == ART_59_2


def test_csv_output(server) -> None:
    status, headers, body = api(server, "chapter_articles", format="csv", chapter="12",
                                language="en")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    assert [r["label"] for r in rows] == ["Article 57", "Article 58", "Article 59", "Article 60"]
    assert {r["title"] for r in rows} == {"Review and approval of official documents"}


def test_optional_parameter_left_unbound(server) -> None:
    status, _, body = api(server, "chapter_articles", chapter="12")
    labels = {r["label"]["value"] for r in bindings(body)}
    assert status == 200
    assert {"第五十七条", "Article 57", "第六十条", "Article 60"} <= labels and len(labels) == 8


def test_html_output_has_bilingual_labels(server) -> None:
    status, headers, body = api(server, "article_text", accept="text/html", article="59")
    page = body.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "<th>条文</th>" in page and ART_59_2 in page
    status, _, body = api(server, "article_text", format="html", article="59", lang="en")
    assert status == 200 and "<th>Text</th>" in body.decode()


def test_missing_required_parameter_is_400(server) -> None:
    status, _, body = api(server, "chapter_articles")
    assert status == 400
    assert "chapter" in body.decode()


@pytest.mark.parametrize("value", ["abc", "5 9", "59 } UNION { ?s ?p ?o", "1.5"])
def test_mistyped_parameter_is_400(server, value) -> None:
    status, _, body = api(server, "article_text", article=value)
    assert status == 400
    assert "integer" in body.decode()


def test_values_are_bound_as_terms_not_text(server) -> None:
    # a string parameter carrying SPARQL syntax is just an (odd) language tag value
    hostile = 'en")) } UNION { ?chapter ?p ?title } #'
    status, _, body = api(server, "chapter_articles", chapter="12", language=hostile)
    assert status == 200
    assert bindings(body) == []


def test_unknown_parameter_and_question(server) -> None:
    status, _, body = api(server, "article_text", artcle="59")
    assert status == 400 and "artcle" in body.decode()
    status, _, _ = api(server, "no_such_question")
    assert status == 404


def test_unacceptable_format_is_406(server) -> None:
    status, _, _ = api(server, "article_text", accept="image/png", article="59")
    assert status == 406


def test_openapi_document(server) -> None:
    status, headers, body = request(server, "GET", "/api/openapi.json")
    doc = json.loads(body)
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    assert doc["openapi"].startswith("3.")
    operation = doc["paths"]["/api/queries/article_text"]["get"]
    article = next(p for p in operation["parameters"] if p["name"] == "article")
    assert article["schema"]["type"] == "integer"
    assert article["schema"]["default"] == "59"
    assert "条号" in article["description"] and "Article number" in article["description"]
    chapter = doc["paths"]["/api/queries/chapter_articles"]["get"]
    params = {p["name"]: p for p in chapter["parameters"]}
    assert params["chapter"]["required"] is True
    assert params["language"]["required"] is False
    assert "某一章所含的条" in chapter["summary"]
    assert "text/csv" in operation["responses"]["200"]["content"]


def test_index_page_lists_every_question(server) -> None:
    status, headers, body = request(server, "GET", "/api/")
    page = body.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    for name in ("article_text", "chapter_articles", "graph_stats"):
        assert f'id="{name}"' in page
    assert "某一条的条文" in page
    _, _, english = request(server, "GET", "/api/?lang=en")
    assert "Text of an article" in english.decode()


def test_questions_follow_a_configured_base_iri(tmp_path) -> None:
    from conftest import start_server, stop_server

    base = "https://example.org/city/"
    running = start_server(tmp_path / "serve.log", "--workers", "1",
                           env={"GOVKG_BASE_IRI": base})
    try:
        status, _, body = api(running, "article_text", article="59")
        assert status == 200
        assert [r["clause"]["value"] for r in bindings(body)] == [
            f"{base}eli/lzf/2022/11/art_59/para_1", f"{base}eli/lzf/2022/11/art_59/para_2"]
    finally:
        stop_server(running.process)
