"""A remote SPARQL 1.1 endpoint (Oxigraph server, Virtuoso, Fuseki, GraphDB, QLever, Neptune).

govkg does not hold the data: the endpoint does, filled by ``govkg load --to``. Requests go
out over HTTP with the SPARQL 1.1 Protocol (form-encoded POST, so long queries pass every
proxy), within the caller's deadline: a slow endpoint becomes ``RemoteTimeout`` (504), a
failing or garbled one ``RemoteError`` (502); a worker never waits past the deadline.

Answers are parsed and written again by govkg's own writers rather than passed through, so
every engine yields the same bytes as the embedded store: the row cap and hidden columns apply,
and engine differences are normalised here (docs/backends.md lists each, with its test):

- the default graph is the union of govkg's data graphs, sent as ``default-graph-uri`` and
  ``named-graph-uri`` (engines differ: Oxigraph's default graph is its own unnamed graph,
  Virtuoso's is every graph including its system graphs);
- named-question parameters are substituted in the text (:func:`.portable.bind`: no engine
  but Oxigraph implements SEP-0007 substitution);
- language tags are lower-cased, ``xsd:string`` is a simple literal, Virtuoso's
  ``typed-literal`` JSON type and ``nodeID://`` blank nodes are read as what they are;
- Virtuoso's "anytime" partial answers (``X-SQL-State: S1TAT``) are treated as timeouts,
  never returned as if complete.

Queries are parsed locally first (:func:`.portable.check_syntax`), so a malformed query is
the client's 400 with the same message as on the embedded store, and
``SERVICE``/``LOAD`` are refused exactly as on the embedded store.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping

import pyoxigraph as ox

from .. import iris
from ..sparql import guard, lexer
from . import (
    Answer,
    Dataset,
    Output,
    QueryRefused,
    Remote,
    RemoteError,
    RemoteTimeout,
    Term,
    Unavailable,
    answers,
    marker,
    portable,
)

VERSION_TTL = 1.0
VERSION_REFRESH = 0.25  # seconds a marker refresh may take from a request
"""Seconds the marker (data version) is trusted before it is read again from the endpoint."""
JSON_RESULTS = "application/sparql-results+json"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class RemoteStore:
    """A store whose data lives behind a SPARQL endpoint."""

    def __init__(self, query_url: str, *, base: str = iris.DEFAULT_BASE,
                 allow_service: frozenset[str] = frozenset(),
                 remote: Remote | None = None) -> None:
        remote = remote or Remote()
        self.url = query_url
        self.update_url = remote.update_url
        self.prefixes = iris.prefixes(base)
        self._allow = allow_service
        self._http = Http(remote.user, remote.password)
        self._lock = threading.Lock()
        self._marker, self._read_at = self._read_marker(10.0), time.monotonic()
        self.engine = self._http.server_name
        self._mirror = Mirror(self)

    # --- the Store interface ---

    @property
    def version(self) -> str:
        # Every request asks for the version before its query runs, so a refresh must cost
        # little of the request's deadline: one thread refreshes (briefly), the others use
        # the last known version instead of queueing behind a slow or stopped endpoint.
        if time.monotonic() - self._read_at > VERSION_TTL and self._lock.acquire(False):
            try:
                # on failure keep the last known version; queries will report the failure
                with contextlib.suppress(RemoteError, RemoteTimeout, Unavailable):
                    self._marker = self._read_marker(VERSION_REFRESH)
                self._read_at = time.monotonic()
            finally:
                self._lock.release()
        return f"{self._marker.version}.{self._marker.commits}"

    def query(self, text: str, *, dataset: Dataset | None = None, timeout: float,
              bindings: Mapping[str, Term] | None = None, output: Output) -> Answer:
        deadline = time.monotonic() + timeout
        text = lexer.expand_codepoints(text)  # token offsets are offsets in this text
        toks = lexer.tokens(text)
        self._guard(text, toks, update=False)
        portable.check_syntax(text)
        form = lexer.form(toks)
        if bindings:
            text = portable.bind(text, bindings)
        params = [("query", text), *self._dataset_params(dataset or Dataset(), toks)]
        if self.engine.startswith("virtuoso"):  # stop the work on the server too
            params.append(("timeout", str(int(timeout * 1000))))
        graph = form in ("CONSTRUCT", "DESCRIBE")
        restore: dict[str, str] = {}
        if self.engine.startswith("virtuoso"):
            if not virtuoso_can_run(text):
                return self._mirror.query(text, dataset or Dataset(), toks, output, deadline)
            text, restore = virtuoso_separators(text)
            params[0] = ("query", text)
        accept = GRAPH_ACCEPT if graph else JSON_RESULTS
        try:
            content_type, body = self._http.post(self.url, params, accept, deadline)
        except RemoteError as exc:
            if not (self.engine.startswith("virtuoso") and _VIRTUOSO_REFUSED.search(str(exc))):
                raise
            # Virtuoso cannot compile it (SQ074 …) or its optimiser refuses to run it
            # ("estimated execution time … exceeds"): answer it from the mirror instead
            return self._mirror.query(text, dataset or Dataset(), toks, output, deadline)
        for placeholder, separator in restore.items():
            body = body.replace(placeholder.encode(), json.dumps(separator)[1:-1].encode())
        if graph:
            return answers.graph(parse_graph(body, content_type), output, self.prefixes)
        doc = _json(body)
        if "boolean" in doc:
            return answers.boolean(bool(doc["boolean"]), output)
        try:
            names = list(doc["head"]["vars"])
            rows = ([term(b.get(n)) for n in names] for b in doc["results"]["bindings"])
            return answers.solutions(names, rows, output)
        except (KeyError, TypeError, ValueError) as exc:
            raise RemoteError(f"the endpoint's JSON results are malformed: {exc}") from None

    def update(self, text: str, *, timeout: float) -> None:
        if not self.update_url:
            raise Unavailable("this store has no update URL (--store-update-url)")
        self._guard(text, lexer.tokens(text), update=True)
        deadline = time.monotonic() + timeout
        self._http.post(self.update_url, [("update", text)], "*/*", deadline)
        self._http.post(self.update_url, [("update", marker.COUNT_COMMIT)], "*/*", deadline)
        with self._lock:
            self._marker, self._read_at = self._read_marker(2.0), time.monotonic()

    def graph_names(self, *, timeout: float) -> list[str]:
        return list(self._marker.graphs)

    def warm(self, count: int) -> None:
        """Nothing to prepare: the endpoint serves requests as they come."""

    # --- helpers ---

    def _guard(self, text: str, toks: list[lexer.Token], *, update: bool) -> None:
        try:
            guard.check(text, toks, update=update, allow=self._allow)
        except guard.Refused as exc:
            raise QueryRefused(str(exc)) from None

    def _dataset_params(self, ds: Dataset, toks: list[lexer.Token]) -> list[tuple[str, str]]:
        if ds.default_graphs or ds.named_graphs:
            defaults, named = ds.default_graphs, ds.named_graphs
        elif lexer.has_dataset_clause(toks):
            return []
        else:
            defaults = named = self._marker.graphs
        return ([("default-graph-uri", g) for g in defaults]
                + [("named-graph-uri", g) for g in named])

    def _read_marker(self, timeout: float) -> marker.Marker:
        deadline = time.monotonic() + timeout
        _, body = self._http.post(self.url, [("query", marker.READ)], JSON_RESULTS, deadline)
        rows = []
        for b in _json(body).get("results", {}).get("bindings", []):
            rows.append((b["p"]["value"], b["o"]["value"]))
        found = marker.from_rows(rows)
        if found is None:
            raise Unavailable(f"{self.url} holds no govkg data (no {marker.GRAPH} graph): "
                              "load it first with govkg load --to UPDATE_URL")
        return found


_VIRTUOSO_REFUSED = re.compile(r"Virtuoso (37000|42000) Error (SQ|SP|SR)|estimated execution time")
_SEPARATOR = re.compile(r"""separator\s*=\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')""",
                        re.IGNORECASE)


def virtuoso_separators(text: str) -> tuple[str, dict[str, str]]:
    """Virtuoso 7 turns every non-ASCII character of a GROUP_CONCAT separator into "?"
    (``separator="；"`` joins with "?"). Such a character is replaced, in every string of the
    query, by an ASCII placeholder, and put back in the answer (``{placeholder: char}``)."""
    chars = {c for m in _SEPARATOR.finditer(text) for c in m.group(1)[1:-1] if ord(c) > 127}
    if not chars:
        return text, {}
    restore = {f"~govkg{ord(c):x}~": c for c in sorted(chars)}
    toks = lexer.tokens(text)
    for t in sorted((t for t in toks if t.kind == "string"), key=lambda t: -t.start):
        new = t.text
        for placeholder, c in restore.items():
            new = new.replace(c, placeholder)
        text = text[:t.start] + new + text[t.start + len(t.text):]
    return text, restore


@functools.lru_cache(maxsize=256)
def virtuoso_can_run(text: str) -> bool:
    """False when the query has a property path Virtuoso 7 gets wrong or dies on.

    Measured on Virtuoso 7.2 (docs/backends.md): ``(^a|^b/c/^d)?`` kills the server,
    ``(…|…)?`` with an unbound start is refused ("transitive start not given"), and
    transitive paths (``*``, ``+``) return other rows than SPARQL 1.1 defines when their
    start is bound late. Simple paths are safe: an IRI, ``^iri``, and sequences or
    alternatives of plain IRIs.
    """
    from rdflib import URIRef, paths
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    def simple(path) -> bool:
        if isinstance(path, URIRef):
            return True
        if isinstance(path, paths.InvPath):
            return isinstance(path.arg, URIRef)
        if isinstance(path, paths.MulPath):
            return isinstance(path.path, URIRef) and path.mod in (paths.ZeroOrMore,
                                                                   paths.OneOrMore)
        if isinstance(path, paths.SequencePath | paths.AlternativePath):
            return all(isinstance(arg, URIRef) for arg in path.args)
        return False

    def walk(node) -> bool:
        if isinstance(node, paths.Path):
            return simple(node)
        if isinstance(node, dict):
            return all(walk(v) for v in node.values())
        if isinstance(node, list | tuple):
            return all(walk(v) for v in node)
        return True

    try:
        return walk(translateQuery(parseQuery(text)).algebra)
    except Exception:  # rdflib cannot read it: let the engine decide
        return True


class Mirror:
    """A local copy of the graphs a query reads, for the queries the engine cannot run.

    The graphs are the request's dataset if it names one (validation names the records graphs
    it checks and the ontology), else govkg's data graphs. Each is pulled once (one CONSTRUCT)
    and again when the data version changes, and the copy is refused beyond
    :attr:`MAX_TRIPLES`: it serves one government's graphs, not a research group's store.
    """

    MAX_TRIPLES = 2_000_000

    def __init__(self, store: RemoteStore) -> None:
        self._remote = store
        self._store = ox.Store()
        self._have: set[str] = set()
        self._version = ""
        self._lock = threading.Lock()

    def query(self, text: str, ds: Dataset, toks: list[lexer.Token], output: Output,
              deadline: float) -> Answer:
        # the request's graphs (e.g. the records being validated), else the data graphs
        wanted = set(ds.default_graphs) | set(ds.named_graphs) or set(self._remote._marker.graphs)
        with self._lock:
            version = self._remote.version
            if version != self._version:
                self._store, self._have, self._version = ox.Store(), set(), version
            for graph in sorted(wanted - self._have):
                self._pull(graph, deadline)
                self._have.add(graph)
            options: dict = {}
            if ds.default_graphs or ds.named_graphs:
                options["default_graph"] = [ox.NamedNode(g) for g in ds.default_graphs]
                options["named_graphs"] = [ox.NamedNode(g) for g in ds.named_graphs]
            elif not lexer.has_dataset_clause(toks):
                data = [ox.NamedNode(g) for g in sorted(self._remote._marker.graphs)]
                options["default_graph"] = data
                options["named_graphs"] = data
            try:
                result = self._store.query(text, **options)
            except (SyntaxError, OSError, RuntimeError, ValueError) as exc:
                raise RemoteError(f"local evaluation failed: {exc}") from None
            if isinstance(result, ox.QueryBoolean):
                return answers.boolean(bool(result), output)
            if isinstance(result, ox.QuerySolutions):
                names = [v.value for v in result.variables]
                return answers.solutions(names, (list(s) for s in result), output)
            return answers.graph(result, output, self._remote.prefixes)

    def _pull(self, graph: str, deadline: float) -> None:
        if len(self._store) > self.MAX_TRIPLES:
            raise RemoteError("the query needs local evaluation, but the graphs it reads are "
                              f"larger than {self.MAX_TRIPLES} triples")
        query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        content_type, body = self._remote._http.post(self._remote.url, [("query", query)],
                                                     GRAPH_ACCEPT, deadline)
        target = ox.NamedNode(graph)
        self._store.extend(ox.Quad(t.subject, t.predicate, t.object, target)
                           for t in parse_graph(body, content_type))


class Http:
    """POST form requests within a deadline; basic or digest auth when credentials are set."""

    def __init__(self, user: str | None, password: str | None) -> None:
        handlers: list[urllib.request.BaseHandler] = []
        if user:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, "http://", user, password or "")
            passwords.add_password(None, "https://", user, password or "")
            handlers += [urllib.request.HTTPBasicAuthHandler(passwords),
                         urllib.request.HTTPDigestAuthHandler(passwords)]
        self._opener = urllib.request.build_opener(*handlers)
        self.server_name = ""

    def post(self, url: str, params: list[tuple[str, str]], accept: str, deadline: float,
             *, body: bytes | None = None, content_type: str | None = None,
             method: str = "POST") -> tuple[str, bytes]:
        """Send a request; return (content type, body). Raise RemoteError/RemoteTimeout."""
        if body is None:
            body = urllib.parse.urlencode(params).encode()
            content_type = "application/x-www-form-urlencoded"
        elif params:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(params)
        request = urllib.request.Request(url, data=body, method=method, headers={
            "Accept": accept, "Content-Type": content_type or "application/octet-stream",
            "User-Agent": "govkg"})
        try:
            with self._opener.open(request, timeout=_left(deadline)) as response:
                self.server_name = (response.headers.get("Server") or "").lower()
                state = response.headers.get("X-SQL-State")
                if state:  # Virtuoso: an "anytime" partial answer, or another SQL condition
                    raise RemoteTimeout(f"the endpoint stopped the query ({state})")
                chunks = []
                while chunk := _read(response, deadline):
                    chunks.append(chunk)
                return response.headers.get_content_type(), b"".join(chunks)
        except urllib.error.HTTPError as exc:
            detail = " ".join(exc.read(2000).decode("utf-8", "replace").split())
            raise RemoteError(f"the endpoint answered {exc.code}: {detail}") from None
        except TimeoutError:
            raise RemoteTimeout("the endpoint did not answer in time") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise RemoteError(f"the endpoint {url.split('?')[0]} cannot be reached: "
                              f"{reason}") from None


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left


def _read(response, deadline: float) -> bytes:
    """One chunk, waiting at most until the deadline (the socket's timeout is per read, so
    it is narrowed before each one; http.client offers no public handle on the socket)."""
    sock = getattr(getattr(response.fp, "raw", None), "_sock", None)
    if sock is not None:
        sock.settimeout(_left(deadline))
    elif time.monotonic() > deadline:
        raise TimeoutError
    return response.read(65536)


def _json(body: bytes) -> dict:
    try:
        doc = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RemoteError(f"the endpoint's answer is not JSON: {exc}") from None
    if not isinstance(doc, dict):
        raise RemoteError("the endpoint's answer is not a SPARQL JSON result")
    return doc


def term(value: dict | None) -> Term | None:
    """A SPARQL JSON result term as a pyoxigraph term, normalised (see the module doc)."""
    if value is None:
        return None
    kind, text = value["type"], value["value"]
    if kind == "uri":
        if text.startswith("nodeID://"):
            return ox.BlankNode(_bnode_id(text))
        return ox.NamedNode(text)
    if kind == "bnode":
        return ox.BlankNode(_bnode_id(text))
    if kind in ("literal", "typed-literal"):
        lang = value.get("xml:lang")
        if lang:
            return ox.Literal(text, language=lang.lower())
        return ox.Literal(text, datatype=ox.NamedNode(value.get("datatype") or XSD_STRING))
    if kind == "triple":
        inner = value["value"]
        return ox.Triple(term(inner["subject"]), term(inner["predicate"]), term(inner["object"]))
    raise ValueError(f"unknown term type {kind!r}")


def _bnode_id(text: str) -> str:
    label = text.removeprefix("nodeID://").removeprefix("_:")
    return "".join(c if c.isalnum() else "_" for c in label) or "b"


def parse_graph(body: bytes, content_type: str) -> list[ox.Triple]:
    """Triples of a CONSTRUCT/DESCRIBE answer, language tags lower-cased."""
    fmt = ox.RdfFormat.from_media_type(content_type)
    if fmt is None:
        raise RemoteError(f"the endpoint answered a graph as {content_type!r}")
    try:
        quads = ox.parse(body, format=fmt)
        return [ox.Triple(q.subject, q.predicate, _lower(q.object)) for q in quads]
    except (SyntaxError, ValueError) as exc:
        raise RemoteError(f"the endpoint's {content_type} is malformed: {exc}") from None


def _lower(value):
    if isinstance(value, ox.Literal) and value.language and value.language != \
            value.language.lower():
        return ox.Literal(value.value, language=value.language.lower())
    return value
