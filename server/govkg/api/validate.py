"""``POST /api/validate``: records in, the enriched validation report out.

The same library call as ``govkg validate`` and the record-check page
(:func:`govkg.validation.validate`), so all three report the same findings. The records' syntax
comes from the Content-Type (any RDF syntax, or plain JSON read through the packaged JSON-LD
context); a multipart upload (field ``file``) or a form (fields ``records`` and ``format``)
works too, for the EU ITB-style clients. The report's format comes from ``format=`` or Accept.
"""

from __future__ import annotations

from flask import Response, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from ..sparql.protocol import ProtocolError
from ..validation import Input, InputError, validate
from ..validation.formats import MEDIA_TYPES
from ..validation.inputs import FORMATS, GZIP_RATIO, sniff
from .views import bp

CONTENT_TYPES = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "ntriples",
    "application/n-quads": "nquads",
    "application/trig": "trig",
    "application/ld+json": "json-ld",
    "application/json": "json",
    "application/rdf+xml": "rdf-xml",
}
REPORT_FORMATS = {  # format= value -> report serialisation
    "json": "json", "turtle": "turtle", "jsonld": "json-ld", "json-ld": "json-ld",
    "html": "html", "csv": "csv", "text": "text",
}
_ACCEPT = {
    "application/json": "json", "text/turtle": "turtle", "application/ld+json": "json-ld",
    "text/html": "html", "text/csv": "csv", "text/plain": "text",
}


def _records() -> Input:
    """The request's records as an :class:`Input`; 4xx with a message when there are none."""
    mimetype = request.mimetype
    name, fmt = "request body", request.args.get("input")
    try:
        if mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
            upload = request.files.get("file")
            if upload is not None and upload.filename:
                name, content = upload.filename, upload.read()
            else:
                name, content = "records", request.form.get("records", "").encode("utf-8")
            fmt = fmt or request.form.get("format") or sniff(content, name)
        elif mimetype in CONTENT_TYPES:
            content, fmt = request.get_data(), fmt or CONTENT_TYPES[mimetype]
        else:
            shown = mimetype or "none"
            raise ProtocolError(415, f"Content-Type {shown} is not a records syntax; use one "
                                     f"of {', '.join(CONTENT_TYPES)} or multipart/form-data")
    except RequestEntityTooLarge as exc:
        cap = current_app.config["GOVKG"].max_body
        raise ProtocolError(413, f"the records are larger than {cap} bytes") from exc
    if not content.strip():
        raise ProtocolError(400, "no records: send them as the body, a 'file' or 'records'")
    if fmt not in FORMATS:
        raise ProtocolError(400, f"input={fmt!r}: use one of {', '.join(FORMATS)}")
    cap = current_app.config["GOVKG"].max_body * GZIP_RATIO
    try:
        return Input.from_bytes(content, fmt, name, max_bytes=cap)
    except InputError as exc:
        raise ProtocolError(400, str(exc)) from exc


def _report_format() -> str:
    fmt = request.args.get("format")
    if fmt:
        if fmt not in REPORT_FORMATS:
            raise ProtocolError(400, f"format={fmt!r}: use one of {', '.join(REPORT_FORMATS)}")
        return REPORT_FORMATS[fmt]
    if not request.accept_mimetypes:
        return "json"
    best = request.accept_mimetypes.best_match(list(_ACCEPT))
    if best is None:
        raise ProtocolError(406, f"the report is offered as {', '.join(_ACCEPT)}")
    return _ACCEPT[best]


@bp.post("/validate")
def validate_records() -> Response:
    """Validate the posted records against the rules; 200 with the report whatever it finds."""
    lang = "en" if request.args.get("lang", "zh").lower().startswith("en") else "zh"
    fmt = _report_format()
    records = _records()
    try:
        report = validate(records, lang=lang)
    except InputError as exc:
        raise ProtocolError(400, str(exc)) from exc
    response = Response(report.serialise(fmt, lang=lang), content_type=MEDIA_TYPES[fmt])
    response.headers["X-Govkg-Conforms"] = "true" if report.conforms else "false"
    response.vary.add("Accept")
    return response
