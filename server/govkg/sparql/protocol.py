"""``/sparql``: the SPARQL 1.1 Protocol (query and update operations).

Requests are read exactly as the Protocol defines them (§2.1 query via GET, POST form-encoded,
POST ``application/sparql-query``; §2.2 update via POST form or ``application/sparql-update``)
and every failure is an HTTP status with a plain-text message that says what was wrong:
400 malformed request or query (with the parser's line and column), 403 update without the
token, 405 other methods, 406 no acceptable format, 413 body too large, 415 other content
types, 503 timeout. A GET without a query returns the service description, or YASGUI to a
browser.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, g, render_template, request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from .. import store as st
from . import description, lexer, negotiation
from . import results as r
from .cache import AnswerCache

bp = Blueprint("sparql", __name__)

QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
FORM_TYPE = "application/x-www-form-urlencoded"
_VOLATILE = {"RAND", "NOW", "UUID", "STRUUID", "BNODE"}
MAX_DEPTH = 1000  # brackets nested deeper than this are refused (see lexer.depth)


class ProtocolError(HTTPException):
    """An error answered as ``text/plain``: status code and a one-line message."""

    def __init__(self, code: int, message: str, headers: Mapping[str, str] | None = None):
        super().__init__(message)
        self.code = code
        self._headers = dict(headers or {})

    def get_response(self, environ=None, scope=None) -> Response:
        response = Response(self.description + "\n", self.code, mimetype="text/plain")
        response.headers.update(self._headers)
        return response


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    """One endpoint for queries, updates and the service description."""
    params, body_kind, body = _read()
    if body_kind == "update" or "update" in params:
        return _update(params, body)
    texts = params.getlist("query") + ([body] if body_kind == "query" else [])
    if not texts:
        if request.method == "POST":
            raise ProtocolError(400, "no query: send query= or update=, or a SPARQL body")
        return _describe()
    if len(texts) > 1:
        raise ProtocolError(400, "exactly one query is allowed per request")
    return _query(texts[0], params)


def _read() -> tuple[MultiDict, str | None, str | None]:
    """(parameters, body kind, body text) per SPARQL 1.1 Protocol §2.1 and §2.2."""
    cfg = current_app.config["GOVKG"]
    if request.content_length is not None and request.content_length > cfg.max_body:
        raise ProtocolError(413, f"request body is larger than {cfg.max_body} bytes")
    if request.method in ("GET", "HEAD"):  # HEAD: the GET answer's headers (RFC 9110 §9.3.2)
        return request.args, None, None
    mimetype = request.mimetype
    if mimetype == FORM_TYPE:
        form = request.form
        if "query" in form and "update" in form:
            raise ProtocolError(400, "send either query= or update=, not both")
        return MultiDict([*request.args.items(multi=True), *form.items(multi=True)]), None, None
    if mimetype in (QUERY_TYPE, UPDATE_TYPE):
        raw = request.get_data(cache=False)
        if len(raw) > cfg.max_body:
            raise ProtocolError(413, f"request body is larger than {cfg.max_body} bytes")
        try:
            text = raw.decode(request.mimetype_params.get("charset", "utf-8"))
        except (UnicodeDecodeError, LookupError):
            raise ProtocolError(400, "request body is not valid UTF-8") from None
        return request.args, "query" if mimetype == QUERY_TYPE else "update", text
    raise ProtocolError(
        415,
        f"unsupported Content-Type {mimetype or '(none)'!r}: use {QUERY_TYPE}, {UPDATE_TYPE} "
        f"or {FORM_TYPE}",
    )


def timeout_param(params: MultiDict, limit: float) -> float:
    """The client's ``timeout=`` (seconds), capped by the server's limit."""
    raw = params.get("timeout")
    if raw is None:
        return limit
    try:
        wanted = float(raw)
    except ValueError:
        wanted = -1.0
    if not wanted > 0:
        raise ProtocolError(400, f"timeout={raw!r}: expected a positive number of seconds")
    return min(wanted, limit)


def _query(text: str, params: MultiDict) -> Response:
    cfg = current_app.config["GOVKG"]
    try:
        choice = negotiation.choose(request.accept_mimetypes, params.get("format"))
    except negotiation.UnknownFormat as exc:
        raise ProtocolError(400, str(exc)) from None
    dataset = st.Dataset(_graph_iris(params, "default-graph-uri"),
                         _graph_iris(params, "named-graph-uri"))
    timeout = timeout_param(params, cfg.query_timeout)
    _check_depth(text)
    answer = run(text, dataset=dataset, choice=choice, timeout=timeout)
    response = Response(answer.body, content_type=r.content_type(answer.media_type))
    return finish(response, answer)


def _graph_iris(params: MultiDict, name: str) -> tuple[str, ...]:
    """The graph IRIs of a dataset parameter, each checked to be an absolute IRI."""
    values = tuple(params.getlist(name))
    for value in values:
        try:
            ox.NamedNode(value)
        except ValueError as exc:
            raise ProtocolError(400, f"{name}={value!r} is not an IRI ({exc})") from None
    return values


def _check_depth(text: str) -> None:
    deepest = lexer.depth(lexer.tokens(text))
    if deepest > MAX_DEPTH:
        raise ProtocolError(400, f"brackets are nested {deepest} deep; at most {MAX_DEPTH} "
                                 "levels are accepted")


def run(
    text: str,
    *,
    dataset: st.Dataset | None = None,
    choice: negotiation.Choice,
    timeout: float,
    bindings: Mapping | None = None,
    hidden: frozenset[str] = frozenset(),
) -> st.Answer:
    """Evaluate a query on the app's store, turning store errors into HTTP errors.

    Shared with the named-question API so both report errors the same way.
    """
    cfg = current_app.config["GOVKG"]
    store: st.Store = current_app.extensions["govkg.store"]
    g.govkg_query = text
    dataset = dataset or st.Dataset()
    bound = sorted((bindings or {}).items())
    g.govkg_etag = _etag(store.version, text, dataset, choice, bound, hidden)
    if request.if_none_match and request.if_none_match.contains_weak(g.govkg_etag):
        raise _NotModified()
    cache: AnswerCache | None = current_app.extensions.get("govkg.answers")
    answer = cache.get(g.govkg_etag) if cache else None
    if answer is not None:
        g.govkg_answer = answer
        return answer
    g.govkg_volatile = bool(lexer.keywords(lexer.tokens(text)) & _VOLATILE)
    output = st.Output(choice, cfg.max_rows, hidden)
    try:
        answer = store.query(
            text, dataset=dataset, timeout=timeout, bindings=bindings, output=output
        )
    except st.QuerySyntaxError as exc:
        raise ProtocolError(400, f"SPARQL syntax error: {exc}") from None
    except (st.QueryRefused, st.EvaluationError) as exc:
        raise ProtocolError(400, str(exc)) from None
    except st.NotAcceptable as exc:
        form = exc.args[0]
        offers = ", ".join(negotiation.offered(form))
        raise ProtocolError(
            406, f"no acceptable format for a {form} result; offered: {offers}"
        ) from None
    except st.RemoteTimeout as exc:
        g.govkg_timed_out = True
        raise ProtocolError(504, f"query timed out at the store: {exc} (limit {timeout:g} s)",
                            {"Retry-After": "1"}) from None
    except st.QueryTimeout as exc:
        g.govkg_timed_out = True
        raise ProtocolError(
            503, f"query timed out: {exc} (limit {timeout:g} s)", {"Retry-After": "1"}
        ) from None
    except st.RemoteError as exc:
        raise ProtocolError(502, f"the store failed: {exc}") from None
    except st.Unavailable as exc:
        raise ProtocolError(503, str(exc), {"Retry-After": "1"}) from None
    if cache and not g.govkg_volatile:
        cache.put(g.govkg_etag, answer)
    g.govkg_answer = answer
    return answer


class _NotModified(HTTPException):
    code = 304

    def get_response(self, environ=None, scope=None) -> Response:
        return finish(Response(status=304), None)


def _etag(version: str, *request_parts: object) -> str:
    """Same data version and same request: same tag (weak: bnode labels may differ)."""
    return hashlib.blake2b(repr((version, request_parts)).encode(), digest_size=12).hexdigest()


def finish(response: Response, answer: st.Answer | None) -> Response:
    """Add the caching and result headers: weak ETag per data version and request, row count,
    truncation flag."""
    cfg = current_app.config["GOVKG"]
    if g.get("govkg_volatile"):
        response.headers["Cache-Control"] = "no-store"
    else:
        response.set_etag(g.govkg_etag, weak=True)
        if cfg.read_only:
            response.headers["Cache-Control"] = f"public, max-age={cfg.cache_max_age}"
        else:
            response.headers["Cache-Control"] = "no-cache"
    response.vary.add("Accept")
    if answer is not None:
        response.headers["Govkg-Rows"] = str(answer.count)
        if answer.truncated:
            response.headers["Govkg-Truncated"] = f"true; max-rows={cfg.max_rows}"
    return response


def _update(params: MultiDict, body: str | None) -> Response:
    cfg = current_app.config["GOVKG"]
    if request.method != "POST":
        raise ProtocolError(400, "SPARQL Update must be sent with POST (Protocol §2.2)")
    if cfg.read_only:
        raise ProtocolError(403, "this service is read-only (start it with an update token)")
    supplied = request.headers.get("Authorization", "")
    scheme, _, token = supplied.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        token.strip().encode(), cfg.update_token.encode()
    ):
        raise ProtocolError(403, "update refused: missing or wrong bearer token")
    texts = params.getlist("update") + ([body] if body is not None else [])
    if len(texts) != 1:
        raise ProtocolError(400, "exactly one update is allowed per request")
    if "using-graph-uri" in params or "using-named-graph-uri" in params:
        raise ProtocolError(400, "using-graph-uri/using-named-graph-uri are not supported; "
                                 "write USING or WITH in the update")
    _check_depth(texts[0])
    store: st.Store = current_app.extensions["govkg.store"]
    try:
        store.update(texts[0], timeout=cfg.update_timeout)
    except st.QuerySyntaxError as exc:
        raise ProtocolError(400, f"SPARQL syntax error: {exc}") from None
    except (st.QueryRefused, st.EvaluationError) as exc:
        raise ProtocolError(400, str(exc)) from None
    except st.RemoteTimeout as exc:
        raise ProtocolError(504, f"update timed out at the store: {exc}") from None
    except st.QueryTimeout as exc:
        raise ProtocolError(503, f"update timed out: {exc}; nothing was changed") from None
    except st.RemoteError as exc:
        raise ProtocolError(502, f"the store failed: {exc}") from None
    except st.Unavailable as exc:
        raise ProtocolError(503, str(exc)) from None
    return Response(status=204)


def _describe() -> Response:
    """The service description, or the query UI for a browser."""
    offers = [*negotiation.GRAPH, "text/html"]
    best = request.accept_mimetypes.best_match(offers, default=r.TURTLE)
    if request.args.get("format"):
        try:
            best = negotiation.choose(request.accept_mimetypes, request.args["format"]).graph
        except negotiation.UnknownFormat as exc:
            raise ProtocolError(400, str(exc)) from None
        if best is None:
            raise ProtocolError(406, "the service description is RDF: use turtle, jsonld, "
                                     "ntriples or rdfxml")
    if best == "text/html":
        return Response(render_template("sparql.html", **description.ui_context()))
    media = negotiation.GRAPH[best]
    body = description.render(request.base_url, media)
    response = Response(body, content_type=r.content_type(media))
    response.vary.add("Accept")
    response.headers["Cache-Control"] = "no-cache"
    return response
