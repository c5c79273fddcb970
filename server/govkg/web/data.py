"""How the web pages read the knowledge graph: through the app's store, never from files.

Pages must work on every store backend, so every read is a SPARQL query handed to
``current_app.extensions["govkg.store"]``. To keep pages fast (the crawler test visits every
page), answers are memoised per worker and per data version: a handful of bulk queries (the
whole dataset for :mod:`.site`, each named question once per language without parameters) are
run on first use and reused until the store's ``version`` changes (an update was committed).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import pyoxigraph as ox
from flask import Flask, current_app

from .. import store as st
from ..api.loader import Question
from ..sparql import results as r
from ..sparql.negotiation import Choice

T = TypeVar("T")
Term = ox.NamedNode | ox.BlankNode | ox.Literal
MAX_ROWS = 1_000_000
"""Internal bulk reads are not capped by the public row limit; the dataset is small."""
MIN_TIMEOUT = 30.0
"""Seconds an internal bulk read may take at least. The public query timeout guards against
runaway client queries; these few fixed queries run once per worker and data version, and on a
slow engine (rdflib) one of them can take a few seconds."""


class DataUnavailable(Exception):
    """The store could not answer (timeout, engine down); pages answer 503 with this message."""


class Memo:
    """Values computed from the store, kept until the store's data version changes."""

    def __init__(self) -> None:
        self._version: str | None = None
        self._values: dict[Any, Any] = {}
        self._lock = threading.RLock()

    def get(self, version: str, key: Any, make: Callable[[], T]) -> T:
        with self._lock:
            if version != self._version:
                self._version, self._values = version, {}
            if key not in self._values:
                self._values[key] = make()
            return self._values[key]


def init_app(app: Flask) -> None:
    app.extensions["govkg.web.memo"] = Memo()


def store() -> st.Store:
    return current_app.extensions["govkg.store"]


def version() -> str:
    return store().version


def memo(key: Any, make: Callable[[], T]) -> T:
    """``make()`` once per worker and data version."""
    return current_app.extensions["govkg.web.memo"].get(version(), key, make)


def _timeout() -> float:
    return max(current_app.config["GOVKG"].query_timeout, MIN_TIMEOUT)


def _run(text: str, choice: Choice, bindings: Mapping[str, Term] | None = None) -> st.Answer:
    try:
        return store().query(text, dataset=st.Dataset(), timeout=_timeout(),
                             bindings=bindings, output=st.Output(choice, MAX_ROWS))
    except st.StoreError as exc:
        raise DataUnavailable(f"{type(exc).__name__}: {exc}") from None


def term(cell: Mapping[str, str]) -> Term:
    """An RDF term from a SPARQL JSON results cell."""
    kind = cell["type"]
    if kind == "uri":
        return ox.NamedNode(cell["value"])
    if kind == "bnode":
        return ox.BlankNode(cell["value"])
    if "xml:lang" in cell:
        return ox.Literal(cell["value"], language=cell["xml:lang"])
    if "datatype" in cell:
        return ox.Literal(cell["value"], datatype=ox.NamedNode(cell["datatype"]))
    return ox.Literal(cell["value"])


def select(text: str, bindings: Mapping[str, Term] | None = None) -> list[dict[str, Term]]:
    """Rows of a SELECT query as dicts of RDF terms (unbound variables absent)."""
    answer = _run(text, Choice(r.JSON, None), bindings)
    doc = json.loads(answer.body)
    return [{k: term(v) for k, v in row.items()} for row in doc["results"]["bindings"]]


def construct(text: str, media_type: str, bindings: Mapping[str, Term] | None = None) -> bytes:
    """A CONSTRUCT or DESCRIBE answer serialised by the store in ``media_type``."""
    return _run(text, Choice(None, media_type), bindings).body


def questions() -> dict[str, Question]:
    return current_app.extensions["govkg.questions"]


def question(name: str, lang: str) -> list[dict[str, str]]:
    """All rows of a named question run without parameters (its labels in ``lang``), memoised.

    Named questions take optional parameters; left unbound they answer for every meeting,
    document, post … at once, so one run per language serves every page. Cells are plain
    strings (IRIs and literals alike), as the API's JSON gives them.
    """

    def run() -> list[dict[str, str]]:
        q = questions()[name]
        bindings = {p.variable: p.term(lang) for p in q.parameters if p.name == "language"}
        answer = _run(q.text, Choice(r.JSON, None), bindings)
        doc = json.loads(answer.body)
        return [{k: v["value"] for k, v in row.items()} for row in doc["results"]["bindings"]]

    return memo(("question", name, lang), run)
