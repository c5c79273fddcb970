"""Push graphs into a remote store, idempotently: what ``govkg load --to/--gsp`` does.

Each graph is *replaced*: with SPARQL Update by ``DROP SILENT GRAPH`` then ``INSERT … WHERE
{}`` batches, with the Graph Store Protocol by one ``PUT`` then ``POST`` batches. Running it twice
leaves the same store. The marker graph (:mod:`.marker`) is dropped first and written last,
so a reader never takes a half-loaded store for a complete one.

Blank nodes are local to one request in both protocols, so a batch never splits the triples
that share a blank node (connected components over blank nodes are packed whole): an
``sh:property [ … ]`` or an RDF list arrives as one structure, not as pieces.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from . import RemoteError, marker
from .remote import Http

BATCH = 2000
"""Triples per request: small enough for every engine's request limits (Virtuoso's SQL
compiler included), large enough that the round trips do not dominate."""
REQUEST_TIMEOUT = 300.0


@dataclass(frozen=True)
class Target:
    """Where to push: a SPARQL Update URL, or a Graph Store Protocol URL (``gsp``)."""

    url: str
    gsp: bool = False
    user: str | None = None
    password: str | None = None


def batches(triples: Iterable[ox.Triple], size: int = BATCH) -> Iterator[list[ox.Triple]]:
    """Groups of about ``size`` triples; triples linked by a blank node stay together."""
    plain: list[ox.Triple] = []
    parent: dict[str, str] = {}
    linked: list[ox.Triple] = []

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for t in triples:
        nodes = [n.value for n in (t.subject, t.object) if isinstance(n, ox.BlankNode)]
        if not nodes:
            plain.append(t)
            if len(plain) >= size:
                yield plain
                plain = []
            continue
        linked.append(t)
        roots = [find(n) for n in nodes]
        for r in roots[1:]:
            parent[r] = roots[0]
    if plain:
        yield plain
    components: dict[str, list[ox.Triple]] = {}
    for t in linked:
        node = t.subject if isinstance(t.subject, ox.BlankNode) else t.object
        components.setdefault(find(node.value), []).append(t)
    batch: list[ox.Triple] = []
    for component in components.values():
        if batch and len(batch) + len(component) > size:
            yield batch
            batch = []
        batch.extend(component)
    if batch:
        yield batch


def _nt(triples: Iterable[ox.Triple]) -> str:
    return " ".join(f"{t.subject} {t.predicate} {t.object} ." for t in triples)


def push(target: Target, graphs: dict[str, Iterable[ox.Triple]], done: marker.Marker, *,
         size: int = BATCH, progress: Callable[[str, int], None] | None = None) -> int:
    """Replace each graph of ``graphs`` in the target store, then write ``done`` as the marker.

    Returns the number of triples sent. Raises :class:`~govkg.store.RemoteError` (or
    ``RemoteTimeout``) when the endpoint fails; running again repairs a partial load.
    """
    http = Http(target.user, target.password)
    sent = 0
    _drop(http, target, marker.GRAPH)
    for iri, triples in graphs.items():
        count = 0
        first = True
        if not target.gsp:
            _drop(http, target, iri)
        pending = list(batches(triples, size))
        while pending:
            batch = pending.pop(0)
            try:
                _send(http, target, iri, batch, replace=first)
            except RemoteError as exc:
                smaller = list(batches(batch, max(len(batch) // 2, 1)))
                if not _too_large(exc) or len(smaller) < 2:
                    raise
                size = max(len(batch) // 2, 1)  # and keep the smaller size from now on
                pending[:0] = smaller
                continue
            first = False
            count += len(batch)
        if first:  # an empty graph: make sure nothing of an earlier load remains
            _drop(http, target, iri)
        sent += count
        if progress:
            progress(iri, count)
    meta = [q.triple for q in done.quads()]
    _send(http, target, marker.GRAPH, meta, replace=True)
    return sent


def _too_large(exc: RemoteError) -> bool:
    """Virtuoso compiles an update to SQL and refuses large ones ("The length of generated SQL
    text has exceeded 10000 lines"); other engines answer 413. Either way: smaller batches."""
    text = str(exc).lower()
    return "has exceeded" in text or " 413" in text or "too large" in text


def _deadline() -> float:
    return time.monotonic() + REQUEST_TIMEOUT


def _drop(http: Http, target: Target, iri: str) -> None:
    if target.gsp:
        try:
            http.post(target.url, [("graph", iri)], "*/*", _deadline(), body=b"",
                      method="DELETE")
        except RemoteError as exc:
            if " 404" not in str(exc):  # a graph that does not exist is already dropped
                raise
    else:
        http.post(target.url, [("update", f"DROP SILENT GRAPH <{iri}>")], "*/*", _deadline())


def _send(http: Http, target: Target, iri: str, triples: list[ox.Triple], *,
          replace: bool) -> None:
    if target.gsp:  # N-Triples is Turtle, which every Graph Store implementation reads
        http.post(target.url, [("graph", iri)], "*/*", _deadline(),
                  body=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES),
                  content_type="text/turtle", method="PUT" if replace else "POST")
    else:
        # INSERT … WHERE {} rather than INSERT DATA: Virtuoso refuses blank nodes in INSERT
        # DATA ("not allowed in a constant clause"); in a template, one solution gives each
        # label one fresh node, as INSERT DATA would
        text = f"INSERT {{ GRAPH <{iri}> {{ {_nt(triples)} }} }} WHERE {{}}"
        http.post(target.url, [("update", text)], "*/*", _deadline())
