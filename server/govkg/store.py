"""The store behind the service: one narrow interface, an embedded pyoxigraph implementation.

The HTTP layer only needs to run a query (with a dataset, a deadline and bound parameters) and
get back bytes in a negotiated format, run an update, list graphs and know the data version.
:class:`Store` says exactly that, so other engines (in-memory rdflib, a remote endpoint) can
stand behind the same blueprints. :class:`OxigraphStore` loads the packaged data with
pyoxigraph and evaluates every request in a killable executor process
(:mod:`govkg.executor`), which is what makes the query timeout real.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from typing import Protocol

import pyoxigraph as ox

from . import dataset, executor, iris
from .sparql import guard, lexer
from .sparql import results as r
from .sparql.negotiation import Choice

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
        """The IRIs of the named graphs currently in the store."""
        ...


class OxigraphStore:
    """The packaged dataset in an in-memory pyoxigraph store, queried in executor processes."""

    def __init__(self, *, base: str = iris.DEFAULT_BASE, allow_service: frozenset[str]) -> None:
        self._store = ox.Store()
        dataset.load(self._store, base)
        self.prefixes = iris.prefixes(base)
        self._allow = allow_service
        self._digest = dataset.digest()
        self._pool = executor.Pool(self._execute, self._commit)

    @property
    def version(self) -> str:
        return f"{self._digest}.{self._pool.generation}"

    def query(
        self,
        text: str,
        *,
        dataset: Dataset | None = None,
        timeout: float,
        bindings: Mapping[str, Term] | None = None,
        output: Output,
    ) -> Answer:
        request = ("query", text, dataset or Dataset(), dict(bindings or {}), output)
        return self._call(request, timeout)

    def update(self, text: str, *, timeout: float) -> None:
        # A trial run in a killable executor proves the update ends within the deadline (and
        # reports its errors); only then is it committed to the zygote's store.
        self._call(("update", text), timeout)
        try:
            self._pool.commit(text, timeout)
        except executor.Unavailable as exc:
            raise Unavailable(str(exc)) from None

    def graph_names(self, *, timeout: float) -> list[str]:
        return self._call(("graphs",), timeout)

    def warm(self, count: int) -> None:
        """Start ``count`` executors in this process ahead of the first requests."""
        self._pool.warm(count)

    def _call(self, request: tuple, timeout: float):
        try:
            return self._pool.call(request, timeout)
        except executor.Timeout as exc:
            raise QueryTimeout(str(exc)) from None
        except executor.Unavailable as exc:
            raise Unavailable(str(exc)) from None

    # --- below runs in executor processes (and _commit in the zygote) ---

    def _execute(self, request: tuple):
        op, *args = request
        if op == "query":
            return self._run_query(*args)
        if op == "update":
            self._run_update(args[0])
            return None
        return sorted(g.value for g in self._store.named_graphs())

    def _commit(self, text: str) -> None:
        self._run_update(text)

    def _run_update(self, text: str) -> None:
        self._check(text, update=True)
        with _engine_errors():
            self._store.update(text)

    def _check(self, text: str, *, update: bool) -> list[lexer.Token]:
        toks = lexer.tokens(text)
        try:
            guard.check(text, toks, update=update, allow=self._allow)
        except guard.Refused as exc:
            raise QueryRefused(str(exc)) from None
        return toks

    def _run_query(
        self, text: str, ds: Dataset, bindings: dict[str, Term], output: Output
    ) -> Answer:
        toks = self._check(text, update=False)
        options: dict = {}
        if ds.default_graphs or ds.named_graphs:
            options["default_graph"] = [ox.NamedNode(g) for g in ds.default_graphs]
            options["named_graphs"] = [ox.NamedNode(g) for g in ds.named_graphs]
        elif not lexer.has_dataset_clause(toks):
            options["use_default_graph_as_union"] = True
        if bindings:
            options["substitutions"] = {ox.Variable(k): v for k, v in bindings.items()}
        with _engine_errors():
            result = self._store.query(text, **options)
            if isinstance(result, ox.QueryBoolean):
                media = _acceptable(output.formats.tabular, "ASK")
                return Answer("ASK", media, r.write_boolean(bool(result), media), 1)
            if isinstance(result, ox.QuerySolutions):
                media = _acceptable(output.formats.tabular, "SELECT")
                names = [v.value for v in result.variables]
                keep = [i for i, name in enumerate(names) if name not in output.hidden]
                rows = [[s[i] for i in keep] for s in islice(result, output.max_rows + 1)]
                visible = [names[i] for i in keep]
                cut = len(rows) > output.max_rows
                del rows[output.max_rows:]
                body = r.write_bindings(visible, rows, media, truncated=cut)
                return Answer("SELECT", media, body, len(rows), cut)
            media = _acceptable(output.formats.graph, "GRAPH")
            triples = list(islice(result, output.max_rows + 1))
            cut = len(triples) > output.max_rows
            del triples[output.max_rows:]
            body = r.write_graph(triples, media, self.prefixes)
            return Answer("GRAPH", media, body, len(triples), cut)


def _acceptable(media: str | None, form: str) -> str:
    if media is None:
        raise NotAcceptable(form)
    return media


@contextmanager
def _engine_errors() -> Iterator[None]:
    """Translate pyoxigraph's exceptions into :class:`StoreError` subclasses."""
    try:
        yield
    except SyntaxError as exc:
        raise QuerySyntaxError(" ".join(str(exc).split())) from None
    except (RuntimeError, ValueError, TypeError, OSError) as exc:
        raise EvaluationError(" ".join(str(exc).split())) from None
