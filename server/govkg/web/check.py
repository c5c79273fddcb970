"""The record-check page: paste or upload records, see the validation report by article.

It calls the validation library exactly as ``govkg validate`` does (``validation.validate`` on
an :class:`~govkg.validation.Input`), so the page, the CLI and the API report the same findings.
"""

from __future__ import annotations

from flask import current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from ..validation import Input, InputError, validate
from ..validation.inputs import FORMATS, GZIP_RATIO, sniff
from . import i18n
from .blueprint import bp, render

EXAMPLE = """\
@prefix gk:   <https://w3id.org/govkg/ontology#> .
@prefix org:  <http://www.w3.org/ns/org#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix body: <https://w3id.org/govkg/yueqing/id/body/> .
@prefix post: <https://w3id.org/govkg/yueqing/id/post/> .
@prefix mtg:  <https://w3id.org/govkg/yueqing/id/meeting-type/> .
@prefix ex:   <https://example.org/records/> .

ex:mayor a gk:Person ; rdfs:label "市长甲"@zh-Hans .
ex:evm a gk:Person ; rdfs:label "常务副市长乙"@zh-Hans .
ex:t1 a gk:Tenure ; org:member ex:mayor ; gk:post post:mayor ;
    org:organization body:government ; gk:startDate "2021-01-01"^^xsd:date .
ex:t2 a gk:Tenure ; org:member ex:evm ; gk:post post:executive-vice-mayor ;
    org:organization body:government ; gk:startDate "2021-01-01"^^xsd:date .
ex:m1 a gk:Meeting ; rdfs:label "2023年第1次市政府常务会议"@zh-Hans ;
    gk:meetingType mtg:executive ; gk:date "2023-01-10"^^xsd:date ; gk:chair ex:mayor .
ex:minutes1 a gk:Minutes ; rdfs:label "常务会议纪要"@zh-Hans ; gk:minutesOf ex:m1 ;
    gk:signedBy ex:evm ; gk:signedOn "2023-01-12"^^xsd:date .
"""
"""Minutes of an executive meeting signed by the executive vice mayor: article 51 says the
mayor signs them, so the example shows one finding."""

INPUT_FORMATS = ["auto", *FORMATS]


def _form(status: int = 200, **context):
    context.setdefault("fmt", "auto")
    context.setdefault("records", "")
    return render("web/check.html", status=status, formats=INPUT_FORMATS, **context)


@bp.route("/check", methods=["GET", "POST"])
def check():
    lang = i18n.current()
    if request.method == "GET":
        return _form(records=EXAMPLE if request.args.get("example") else "")
    try:
        records = request.form.get("records", "")
        fmt = request.form.get("format", "auto")
        upload = request.files.get("file")
    except RequestEntityTooLarge:
        too_large = "记录太大" if lang != i18n.EN else "the records are too large"
        return _form(413, error=f"{i18n.t('bad_input', lang)}: {too_large}")
    name, content = "records", records.encode("utf-8")
    if upload is not None and upload.filename:
        name, content = upload.filename, upload.read()
    if not content.strip():
        return _form(400, fmt=fmt, records=records, error=i18n.t("no_input", lang))
    if fmt not in FORMATS:
        fmt = sniff(content, name if upload is not None and upload.filename else None)
    try:
        cap = current_app.config["GOVKG"].max_body * GZIP_RATIO
        report = validate(Input.from_bytes(content, fmt, name, max_bytes=cap),
                          lang="en" if lang == i18n.EN else "zh")
    except InputError as exc:
        return _form(400, fmt=fmt, records=records, error=f"{i18n.t('bad_input', lang)}: {exc}")
    return _form(fmt=fmt, records=records, report=report, groups=report.grouped(),
                 key="en" if lang == i18n.EN else "zh")
