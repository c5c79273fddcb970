"""The store behind the service: one narrow interface, three engines chosen by configuration.

The HTTP layer (SPARQL protocol, named questions, pages, validation) only needs to run a query
(with a dataset, a deadline and bound parameters) and get back bytes in a negotiated format,
run an update, list graphs and know the data version. :class:`Store` says exactly that, and
:func:`open_store` picks the engine from a *store spec* (``govkg serve --store``, env
``GOVKG_STORE``):

- ``oxigraph:PATH`` (or ``oxigraph`` for the default directory): embedded, persistent
  pyoxigraph (:mod:`.oxigraph`), the default. Re-uses its directory on restart.
- ``memory``: in-memory rdflib (:mod:`.memory`), for development and small tests.
- ``sparql:QUERY_URL``: a remote SPARQL 1.1 endpoint (:mod:`.remote`) — Oxigraph server,
  Virtuoso, Fuseki, GraphDB, QLever … loaded with ``govkg load``.

Whatever the engine, the default graph offered to queries is the union of govkg's data graphs
(docs/conventions.md, "Named graphs"), never the store's bookkeeping (:mod:`.marker`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from ..sparql.negotiation import Choice

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


class StoreError(Exception):
    """Base of the errors a store reports; the HTTP layer maps each to a status."""


class QuerySyntaxError(StoreError):
    """The text is not SPARQL; the message is the parser's, with line and column."""


class QueryRefused(StoreError):
    """The request would make the server contact another host (SERVICE, LOAD)."""


class EvaluationError(StoreError):
    """The engine rejected a well-formed request while evaluating it."""


class NotAcceptable(StoreError):
    """No acceptable format exists for this query form (``args[0]`` is the form)."""


class QueryTimeout(StoreError):
    """The request ran past its deadline and was stopped."""


class Unavailable(StoreError):
    """The engine could not take the request (an executor could not be started)."""


class RemoteError(StoreError):
    """A remote endpoint failed or answered something unusable (the gateway's fault: 502)."""


class RemoteTimeout(QueryTimeout):
    """A remote endpoint did not answer within the deadline (504)."""


class SpecError(ValueError):
    """A store spec that cannot be used; the message says what is wrong."""


@dataclass(frozen=True, slots=True)
class Dataset:
    """A request's RDF dataset; both empty means the service's default dataset."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Output:
    """How to write an answer: the formats per family, the row cap, columns to leave out."""

    formats: Choice
    max_rows: int
    hidden: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Answer:
    """A written answer: ``form`` is SELECT, ASK or GRAPH (CONSTRUCT/DESCRIBE)."""

    form: str
    media_type: str
    body: bytes
    count: int
    truncated: bool = False


class Store(Protocol):
    """What the service needs from a store."""

    prefixes: dict[str, str]
    """Prefixes for written graphs and for the query editor."""

    @property
    def version(self) -> str:
        """Changes whenever the data changes (file contents or a committed update)."""
        ...

    def query(
        self,
        text: str,
        *,
        dataset: Dataset,
        timeout: float,
        bindings: Mapping[str, Term] | None,
        output: Output,
    ) -> Answer:
        """Evaluate a query; raise a :class:`StoreError` subclass on failure."""
        ...

    def update(self, text: str, *, timeout: float) -> None:
        """Apply a SPARQL update so that every later query sees it."""
        ...

    def graph_names(self, *, timeout: float) -> list[str]:
        """The IRIs of the named graphs currently in the store (bookkeeping excluded)."""
        ...

    def warm(self, count: int) -> None:
        """Prepare ``count`` concurrent requests ahead of the first one (may do nothing)."""
        ...


@dataclass(frozen=True, slots=True)
class Remote:
    """How to reach a remote endpoint: update URL and credentials (HTTP basic or digest)."""

    update_url: str | None = None
    user: str | None = None
    password: str | None = None


def parse_spec(spec: str) -> tuple[str, str | None]:
    """``oxigraph[:PATH]`` | ``memory`` | ``sparql:URL`` -> (kind, location)."""
    kind, _, location = spec.strip().partition(":")
    kind = kind.lower()
    if kind == "oxigraph":
        return kind, location or None
    if kind == "memory" and not location:
        return kind, None
    if kind == "sparql":
        if not location.startswith(("http://", "https://")):
            raise SpecError(f"store {spec!r}: sparql: needs an http(s) query URL, "
                            "e.g. sparql:http://127.0.0.1:7878/query")
        return kind, location
    raise SpecError(f"store {spec!r}: use oxigraph:PATH, oxigraph, memory or sparql:QUERY_URL")


def default_path(base: str) -> Path:
    """The default Oxigraph directory: one per data version, so that two releases (or two
    base IRIs) never rebuild each other's store, under ``$XDG_DATA_HOME/govkg``."""
    from . import marker

    root = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return root / "govkg" / f"oxigraph-{marker.data_version(base)}"


def open_store(spec: str, *, base: str, allow_service: frozenset[str] = frozenset(),
               remote: Remote | None = None) -> Store:
    """Open the store a spec names; :class:`SpecError` or :class:`StoreError` if it cannot be."""
    kind, location = parse_spec(spec)
    if kind == "memory":
        from .memory import MemoryStore

        return MemoryStore(base=base, allow_service=allow_service)
    if kind == "sparql":
        from .remote import RemoteStore

        return RemoteStore(location, base=base, allow_service=allow_service,
                           remote=remote or Remote())
    from .oxigraph import OxigraphStore

    path = Path(location).expanduser() if location else default_path(base)
    return OxigraphStore(path, base=base, allow_service=allow_service)
