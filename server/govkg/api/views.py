"""``/api``: the named questions as REST operations, their OpenAPI document and index page."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request

from ..sparql import protocol
from ..sparql import results as r
from ..sparql.negotiation import Choice
from . import openapi
from .loader import RESERVED, ParameterError, Question

bp = Blueprint("api", __name__, url_prefix="/api")

_FORMATS = {  # format= value -> (tabular, graph) media types
    "json": (r.JSON, r.JSONLD),
    "csv": (r.CSV, None),
    "turtle": (None, r.TURTLE),
    "jsonld": (None, r.JSONLD),
    "html": ("text/html", "text/html"),
}
_ACCEPT = [r.JSON, "application/json", r.CSV, r.TURTLE, r.JSONLD, "text/html"]


def _lang() -> str:
    return "en" if request.args.get("lang", "").lower().startswith("en") else "zh-Hans"


def _questions() -> dict[str, Question]:
    return current_app.extensions["govkg.questions"]


@bp.get("/")
def index() -> str:
    """A browsable list of the named questions, with a form for each one's parameters."""
    return render_template("questions.html", questions=_questions().values(), lang=_lang())


@bp.get("/openapi.json")
def openapi_document() -> Response:
    doc = openapi.document(_questions(), request.host_url.rstrip("/"))
    return jsonify(doc)


def _wanted(question: Question) -> str:
    """The output media type: ``format=`` or Accept; JSON (or Turtle) by default."""
    fmt = request.args.get("format")
    tabular = question.form in ("SELECT", "ASK")
    if fmt:
        if fmt not in _FORMATS:
            protocol_error(400, f"format={fmt!r}: use one of {', '.join(_FORMATS)}")
        chosen = _FORMATS[fmt][0 if tabular else 1]
    else:
        best = request.accept_mimetypes.best_match(_ACCEPT) if request.accept_mimetypes else None
        if best is None and not request.accept_mimetypes:
            best = r.JSON if tabular else r.TURTLE
        if best in (r.JSON, "application/json"):
            chosen = r.JSON if tabular else r.JSONLD
        elif best == r.CSV:
            chosen = r.CSV if tabular else None
        elif best in (r.TURTLE, r.JSONLD):
            chosen = best if not tabular else None
        else:
            chosen = best
    if chosen is None:
        kinds = "json, csv, html" if tabular else "turtle, jsonld, html"
        protocol_error(406, f"{question.name} answers with {question.form}: use {kinds}")
    return chosen


def protocol_error(code: int, message: str) -> None:
    raise protocol.ProtocolError(code, message)


@bp.get("/queries/<name>")
def run(name: str) -> Response:
    """Run a named question with the request's parameters bound as RDF terms."""
    question = _questions().get(name)
    if question is None:
        abort(404)
    known = {p.name for p in question.parameters}
    unknown = sorted(set(request.args) - known - RESERVED)
    if unknown:
        protocol_error(400, f"unknown parameter(s) {', '.join(unknown)} for {name}; "
                            f"expected {', '.join(sorted(known)) or 'none'}")
    bindings = {}
    for p in question.parameters:
        raw = request.args.get(p.name, p.default)
        if raw is None or raw == "":
            if p.required:
                protocol_error(400, f"missing required parameter {p.name} ({p.type_name})")
            continue
        try:
            bindings[p.variable] = p.term(raw)
        except ParameterError as exc:
            protocol_error(400, str(exc))
    media = _wanted(question)
    html = media == "text/html"
    choice = Choice(r.JSON, r.TURTLE) if html else Choice(media, media)
    cfg = current_app.config["GOVKG"]
    timeout = protocol.timeout_param(request.args, cfg.query_timeout)
    answer = protocol.run(question.text, choice=choice, timeout=timeout, bindings=bindings,
                          hidden=question.hidden)
    if html:
        body = _html(question, answer)
        response = Response(body, mimetype="text/html")
    else:
        response = Response(answer.body, content_type=r.content_type(answer.media_type))
    response.vary.add("Accept")
    return protocol.finish(response, answer)


def _html(question: Question, answer) -> str:
    lang = _lang()
    table = None
    if answer.form == "SELECT":
        doc = json.loads(answer.body)
        columns = doc["head"]["vars"]
        table = {
            "headings": [question.label(v, lang) for v in columns],
            "rows": [[row.get(v) for v in columns] for row in doc["results"]["bindings"]],
        }
    elif answer.form == "ASK":
        table = {"headings": [question.label("answer", lang)],
                 "rows": [[{"type": "literal", "value": str(json.loads(answer.body)["boolean"])
                            .lower()}]]}
    return render_template(
        "question.html",
        question=question,
        lang=lang,
        table=table,
        graph=None if table else answer.body.decode("utf-8"),
        truncated=answer.truncated,
        values=request.args,
    )
