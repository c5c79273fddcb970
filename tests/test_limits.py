"""Limits: the query timeout really stops a query, the row cap is signalled, the body cap is
enforced, and concurrent clients each get their own correct answer."""

from __future__ import annotations

import json
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

from test_api import api, bindings
from test_sparql_protocol import COUNT_ARTICLES, LR, q, request

# An ORDER BY over a three-way cartesian product: computed in full before the first row.
EXPLOSIVE = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?e ?i"
SERVER_TIMEOUT = 3.0  # the fixture's --query-timeout
MARGIN = 1.5


def test_explosive_query_is_stopped_and_the_server_stays_healthy(local_server) -> None:
    server = local_server
    started = time.monotonic()
    status, _headers, body = request(server, "POST", "/sparql", EXPLOSIVE,
                                    {"Content-Type": "application/sparql-query"})
    elapsed = time.monotonic() - started
    assert status == 503
    assert "timed out" in body.decode()
    assert SERVER_TIMEOUT - 0.1 <= elapsed <= SERVER_TIMEOUT + MARGIN
    # right after: health and a normal query on the same server
    assert request(server, "GET", "/healthz")[0] == 200
    status, _, body = request(server, "GET", q(COUNT_ARTICLES))
    assert status == 200
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "69"


def test_client_timeout_is_honoured_and_capped(local_server) -> None:
    server = local_server
    started = time.monotonic()
    status, _, body = request(server, "GET", q(EXPLOSIVE, timeout="0.5"))
    elapsed = time.monotonic() - started
    assert status == 503 and "0.5" in body.decode()
    assert elapsed < 0.5 + MARGIN
    started = time.monotonic()
    status, _, body = request(server, "GET", q(EXPLOSIVE, timeout="3600"))
    assert status == 503 and f"limit {SERVER_TIMEOUT:g} s" in body.decode()
    assert time.monotonic() - started < SERVER_TIMEOUT + MARGIN
    assert request(server, "GET", q(COUNT_ARTICLES, timeout="-1"))[0] == 400


def test_repeated_timeouts_leave_no_runaway_work(local_server) -> None:
    server = local_server
    with ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(
            lambda _: request(server, "GET", q(EXPLOSIVE, timeout="0.3"))[0], range(4)))
    assert statuses == [503] * 4
    started = time.monotonic()
    assert request(server, "GET", q(COUNT_ARTICLES))[0] == 200
    assert time.monotonic() - started < 1.0  # no executor is still burning the CPU for us


def test_row_cap_is_signalled(server) -> None:
    status, headers, body = request(server, "GET", q("SELECT * WHERE { ?s ?p ?o }"))
    doc = json.loads(body)
    assert status == 200
    assert len(doc["results"]["bindings"]) == 1000  # the fixture's --max-rows
    assert doc["truncated"] is True
    assert headers["Govkg-Truncated"].startswith("true")
    assert headers["Govkg-Rows"] == "1000"
    status, headers, body = request(server, "GET", q("CONSTRUCT WHERE { ?s ?p ?o }"),
                                    headers={"Accept": "application/n-triples"})
    assert status == 200 and len(body.splitlines()) == 1000
    assert headers["Govkg-Truncated"].startswith("true")
    status, headers, _ = request(server, "GET", q(COUNT_ARTICLES))
    assert "Govkg-Truncated" not in headers


def test_body_cap(server) -> None:
    big = "ASK {}" + " " * 70_000  # the fixture's --max-body is 65536
    status, _, _body = request(server, "POST", "/sparql", big,
                              {"Content-Type": "application/sparql-query"})
    assert status == 413
    form = urllib.parse.urlencode({"query": big})
    status, _, _ = request(server, "POST", "/sparql", form,
                           {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 413


def test_concurrent_clients_get_their_own_answers(timed_server) -> None:
    server = timed_server
    # articles with their paragraph counts, from the regulation's text
    expected = {"4": 1, "11": 4, "20": 2, "46": 10, "59": 2, "64": 2, "69": 2, "57": 2}

    def ask(article: str) -> tuple[str, int, str]:
        _status, _, body = api(server, "article_text", article=article)
        rows = bindings(body)
        return article, len(rows), rows[0]["clause"]["value"] if rows else ""

    jobs = [a for a in expected for _ in range(6)]
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(ask, jobs))
    for article, count, first in answers:
        assert count == expected[article], article
        assert first == f"{LR}art_{article}/para_1"
