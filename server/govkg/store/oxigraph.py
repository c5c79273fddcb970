"""Embedded pyoxigraph: on disk (the default) or in memory, queried in killable executors.

Every request is evaluated in an executor process (:mod:`govkg.executor`), which is what makes
the query timeout real. With a directory the store persists:

- at start a short-lived writer process (:mod:`.writer`) opens the directory read-write,
  compares its marker (:mod:`.marker`) with the packaged data's version and loads the data
  only if they differ, so a restart re-uses the directory instead of rebuilding it;
- the executors' zygote then opens it *read-only* and every executor forks from it, so all
  gunicorn workers share one read-only instance (copy-on-write) and the serving processes
  never hold RocksDB's write lock or its background threads;
- an update runs in a writer process, started by a killable executor and killed at the
  deadline, that opens the directory read-write, applies it and counts it in the marker; the
  zygote then re-opens its read-only view and retires executors forked before
  (docs/backends.md, "Embedded Oxigraph", measures and explains this).

Without a directory the data is loaded into an in-memory pyoxigraph store (library use and
benchmarks) and updates are committed in the zygote, as they are not persisted anyway.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from .. import dataset, executor, iris
from ..sparql import guard, lexer
from . import (
    Answer,
    Dataset,
    EvaluationError,
    Output,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    Term,
    Unavailable,
    answers,
    marker,
    writer,
)

PREPARE_TIMEOUT = 3600.0
"""Seconds the first load may take (the packaged data need about one)."""


class OxigraphStore:
    """The packaged dataset in pyoxigraph (``path``: a directory, or None for memory)."""

    def __init__(self, path: str | Path | None = None, *, base: str = iris.DEFAULT_BASE,
                 allow_service: frozenset[str] = frozenset()) -> None:
        self.path = Path(path) if path is not None else None
        self.prefixes = iris.prefixes(base)
        self.loaded = True
        """False when a persistent store was re-used as it was."""
        self._allow = allow_service
        self._store: ox.Store | None = None
        if self.path is None:
            self._store = ox.Store()
            dataset.load(self._store, base)
            self._version, commits = marker.data_version(base), 0
            setup = None
        else:
            self._version, commits, self.loaded = _prepare(self.path, base)
            setup = self._open_read_only
        self._base_version = f"{self._version}.{commits}"
        self._pool = executor.Pool(self._execute, self._commit, setup=setup)

    @property
    def version(self) -> str:
        return f"{self._base_version}.{self._pool.generation}"

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
        # The update runs in a killable executor first: in memory as a trial on the
        # executor's copy, on disk for real (a killed writer commits nothing). The zygote
        # then applies it (memory) or re-opens its read-only view (disk).
        # the writer must finish a little before the caller gives up on the executor
        self._call(("update", text, max(timeout - 0.5, 0.1)), timeout)
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

    # --- below runs in executor processes (and _commit, _open_read_only in the zygote) ---

    def _open_read_only(self) -> None:
        self._store = None
        gc.collect()
        self._store = ox.Store.read_only(str(self.path))

    def _execute(self, request: tuple):
        op, *args = request
        if op == "query":
            return self._run_query(*args)
        if op == "update":
            self._check(args[0], update=True)
            if self.path is None:
                with _engine_errors():
                    self._store.update(args[0])
            else:
                self._write(args[0], args[1])
            return None
        return sorted(g.value for g in self._data_graphs())

    def _write(self, text: str, timeout: float) -> None:
        try:
            reply = writer.run(["update", str(self.path)], stdin=text, timeout=timeout)
        except TimeoutError as exc:
            raise QueryTimeout(str(exc)) from None
        if reply.get("syntax"):
            raise QuerySyntaxError(reply["error"])
        if "error" in reply:  # e.g. another writer holds the lock
            raise EvaluationError(reply["error"])

    def _commit(self, text: str) -> None:
        if self.path is None:
            self._check(text, update=True)
            with _engine_errors():
                self._store.update(text)
        else:
            self._open_read_only()

    def _check(self, text: str, *, update: bool) -> list[lexer.Token]:
        toks = lexer.tokens(text)
        try:
            guard.check(text, toks, update=update, allow=self._allow)
        except guard.Refused as exc:
            raise QueryRefused(str(exc)) from None
        return toks

    def _data_graphs(self) -> list[ox.NamedNode]:
        return [g for g in self._store.named_graphs() if g.value != marker.GRAPH]

    def _run_query(
        self, text: str, ds: Dataset, bindings: dict[str, Term], output: Output
    ) -> Answer:
        toks = self._check(text, update=False)
        options: dict = {}
        if ds.default_graphs or ds.named_graphs:
            options["default_graph"] = [ox.NamedNode(g) for g in ds.default_graphs]
            options["named_graphs"] = [ox.NamedNode(g) for g in ds.named_graphs]
        elif not lexer.has_dataset_clause(toks):
            graphs = self._data_graphs()
            options["default_graph"] = [ox.DefaultGraph(), *graphs]
            options["named_graphs"] = graphs
        if bindings:
            options["substitutions"] = {ox.Variable(k): v for k, v in bindings.items()}
        with _engine_errors():
            result = self._store.query(text, **options)
            if isinstance(result, ox.QueryBoolean):
                return answers.boolean(bool(result), output)
            if isinstance(result, ox.QuerySolutions):
                names = [v.value for v in result.variables]
                return answers.solutions(names, (list(s) for s in result), output)
            return answers.graph(result, output, self.prefixes)


def _prepare(path: Path, base: str) -> tuple[str, int, bool]:
    """Make sure ``path`` holds the packaged data; return (version, commits, loaded now)."""
    reply = writer.run(["prepare", str(path), base], timeout=PREPARE_TIMEOUT)
    if "error" in reply:
        raise Unavailable(f"cannot open the Oxigraph store {path}: {reply['error']}")
    return marker.data_version(base), reply["commits"], reply["loaded"]


@contextmanager
def _engine_errors() -> Iterator[None]:
    """Translate pyoxigraph's exceptions into :class:`StoreError` subclasses."""
    try:
        yield
    except SyntaxError as exc:
        raise QuerySyntaxError(" ".join(str(exc).split())) from None
    except (RuntimeError, ValueError, TypeError, OSError) as exc:
        raise EvaluationError(" ".join(str(exc).split())) from None
