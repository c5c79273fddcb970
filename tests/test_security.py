"""No outbound traffic on a user's behalf, and no writes without the update token."""

from __future__ import annotations

import json
import urllib.parse

import pytest
from conftest import UPDATE_TOKEN
from test_sparql_protocol import q, request

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?x ?y ?z OPTIONAL { SERVICE SILENT <http://127.0.0.1:9/> { ?s ?p ?o }}}",
        "PREFIX ex: <http://127.0.0.1:9/> SELECT * WHERE { SERVICE ex:sparql { ?s ?p ?o } }",
        "SELECT * WHERE { BIND(<http://127.0.0.1:9/> AS ?e) SERVICE ?e { ?s ?p ?o } }",
        "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "select * where { service <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    ],
)
def test_service_is_refused(server, query) -> None:
    status, _, body = request(server, "GET", q(query))
    assert status == 400
    assert "SERVICE" in body.decode() and "refused" in body.decode()


def test_the_word_service_elsewhere_is_fine(server) -> None:
    query = ('PREFIX service: <http://example.org/service#> '
             'SELECT ?service WHERE { BIND("SERVICE <http://x/> LOAD" AS ?service) }')
    status, _, body = request(server, "GET", q(query))
    assert status == 200
    assert json.loads(body)["results"]["bindings"][0]["service"]["value"].startswith("SERVICE")


def test_update_is_refused_on_a_read_only_server(server) -> None:
    body = urllib.parse.urlencode({"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"})
    status, _, message = request(server, "POST", "/sparql", body,
                                 {**FORM, "Authorization": "Bearer anything"})
    assert status == 403 and "read-only" in message.decode()
    ask = request(server, "GET", q("ASK { <urn:a> ?p ?o }"))[2]
    assert json.loads(ask)["boolean"] is False


def test_update_needs_the_right_token(update_server) -> None:
    update = "INSERT DATA { GRAPH <urn:test:g> { <urn:test:x> <urn:test:p> 1 } }"
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": UPDATE_TOKEN}):
        status, _, _ = request(update_server, "POST", "/sparql", update,
                               {"Content-Type": "application/sparql-update", **headers})
        assert status == 403
    ask = q("ASK { GRAPH <urn:test:g> { <urn:test:x> <urn:test:p> 1 } }")
    assert json.loads(request(update_server, "GET", ask)[2])["boolean"] is False


def test_update_with_the_token_is_seen_by_every_worker(update_server) -> None:
    auth = {"Authorization": f"Bearer {UPDATE_TOKEN}"}
    ask = q("ASK { GRAPH <urn:test:h> { <urn:test:y> <urn:test:p> 2 } }")
    _, before, _ = request(update_server, "GET", ask)
    update = "INSERT DATA { GRAPH <urn:test:h> { <urn:test:y> <urn:test:p> 2 } }"
    status, _, _ = request(update_server, "POST", "/sparql", update,
                           {"Content-Type": "application/sparql-update", **auth})
    assert status == 204
    # new connections land on either worker: all must see the update
    for _ in range(12):
        status, headers, body = request(update_server, "GET", ask)
        assert json.loads(body)["boolean"] is True
        assert headers["ETag"] != before["ETag"]  # the data version moved
    form = urllib.parse.urlencode({"update": "DELETE DATA { GRAPH <urn:test:h> "
                                             "{ <urn:test:y> <urn:test:p> 2 } }"})
    assert request(update_server, "POST", "/sparql", form, {**FORM, **auth})[0] == 204
    assert json.loads(request(update_server, "GET", ask)[2])["boolean"] is False


@pytest.mark.parametrize(
    "update",
    [
        "LOAD <http://127.0.0.1:9/data.ttl>",
        "LOAD SILENT <http://127.0.0.1:9/data.ttl> INTO GRAPH <urn:test:loaded>",
        "INSERT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    ],
)
def test_load_and_service_in_updates_are_refused(update_server, update) -> None:
    status, _, body = request(update_server, "POST", "/sparql", update, {
        "Content-Type": "application/sparql-update",
        "Authorization": f"Bearer {UPDATE_TOKEN}",
    })
    assert status == 400
    assert "refused" in body.decode()


def test_update_by_get_is_refused(update_server) -> None:
    path = "/sparql?" + urllib.parse.urlencode({"update": "CLEAR ALL"})
    status, _, _ = request(update_server, "GET", path,
                           headers={"Authorization": f"Bearer {UPDATE_TOKEN}"})
    assert status == 400
