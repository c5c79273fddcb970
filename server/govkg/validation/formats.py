"""Serialise a :class:`~.report.Report`: text, HTML, CSV, JSON, and the SHACL report as RDF.

The RDF form is a standard ``sh:ValidationReport`` that SHACL tools read, enriched so that it
stands on its own: each result ``dcterms:references`` the clauses its rule cites, and the
clauses come along with their citation (``rdfs:label``), article number and text (``gk:text``).
"""

from __future__ import annotations

import csv
import html
import io
import json

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from ..iris import ELI, GK, SH, bind_prefixes
from .catalogue import SEVERITY_LABELS, SEVERITY_NAMES
from .report import Finding, Report

FORMATS = ("text", "json", "csv", "html", "turtle", "json-ld")
MEDIA_TYPES = {
    "text": "text/plain; charset=utf-8",
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "turtle": "text/turtle",
    "json-ld": "application/ld+json",
}
SEVERITY_IRIS = {name: iri for iri, name in SEVERITY_NAMES.items()}

WORDS = {
    "zh": {
        "title": "校验报告", "conforms": "无违反硬性规定", "violations": "存在违反硬性规定",
        "all_clean": "无任何问题", "article": "第{}条",
        "input": "输入检查", "record": "记录", "rule": "规则", "value": "值", "path": "属性",
        "clause": "条文", "engine": "引擎", "none": "未发现问题。",
        "verdict_hard": "硬性规定（须/必须/不得/一律）",
        "verdict_all": "全部规定（含一般性要求和提示）",
    },
    "en": {
        "title": "Validation report", "conforms": "no hard violations", "violations":
        "hard violations found", "all_clean": "no findings",
        "article": "Article {}", "input": "Input checks", "record": "record", "rule": "rule",
        "value": "value", "path": "property", "clause": "clause", "engine": "engine",
        "none": "No findings.",
        "verdict_hard": "hard rules (须/必须/不得/一律)",
        "verdict_all": "all rules (defaults and advice included)",
    },
}


def _count(n: int, lang: str) -> str:
    if lang == "zh":
        return f"{n} 条问题"
    return f"{n} finding" + ("" if n == 1 else "s")


def _severity(name: str, lang: str) -> str:
    """The severity in the report's language; custom severities (SHACL allows them) as named."""
    iri = SEVERITY_IRIS.get(name)
    return SEVERITY_LABELS[lang][iri] if iri is not None else name


def _heading(group: str, lang: str) -> str:
    w = WORDS[lang]
    return w["input"] if group == "input" else w["article"].format(group)


def _record(f: Finding) -> str:
    return f"{f.focus} ({f.focus_label})" if f.focus_label else f.focus


def _rule_name(f: Finding, lang: str) -> str:
    if f.rule is None:
        return f.shape
    return f"{f.rule.id} — {f.rule.name.get(lang, f.rule.id)}"


def _verdicts(report: Report, lang: str) -> list[str]:
    w = WORDS[lang]
    s = report.summary()
    counts = ", ".join(f"{SEVERITY_LABELS[lang][SEVERITY_IRIS[k]]} {v}"
                       for k, v in s["bySeverity"].items())
    return [
        f"{w['verdict_hard']}: {w['conforms'] if report.conforms else w['violations']}",
        f"{w['verdict_all']}: "
        f"{w['all_clean'] if report.conforms_all else _count(s['findings'], lang)}"
        f" ({counts})",
    ]


def to_text(report: Report, lang: str = "zh") -> str:
    w = WORDS[lang]
    lines = [w["title"], *_verdicts(report, lang), ""]
    if not report.findings:
        lines.append(w["none"])
    for group, findings in report.grouped().items():
        lines.append(f"== {_heading(group, lang)} ==")
        for f in findings:
            severity = _severity(f.severity, lang)
            lines.append(f"[{severity}] {w['record']}: {_record(f)}")
            lines.append(f"    {w['rule']}: {_rule_name(f, lang)}")
            lines.append(f"    {f.message.get(lang, '')}")
            if f.value is not None and f.value != f.focus:
                lines.append(f"    {w['value']}: {f.value}"
                             + (f"  ({w['path']}: {f.path})" if f.path else ""))
            for c in f.rule.clauses if f.rule else ():
                lines.append(f"    {c.label.get(lang, c.iri)}: {c.text}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def to_json(report: Report) -> str:
    return json.dumps({"summary": report.summary(),
                       "findings": [f.as_dict() for f in report.findings]},
                      ensure_ascii=False, indent=2) + "\n"


def to_csv(report: Report, lang: str = "zh") -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["severity", "articles", "rule", "focusNode", "focusLabel", "resultPath",
                     "value", "message", "clauses", "clauseText"])
    for f in report.findings:
        clauses = f.rule.clauses if f.rule else ()
        writer.writerow([
            f.severity, " ".join(map(str, f.articles)), f.rule.id if f.rule else f.shape,
            f.focus, f.focus_label or "", f.path or "", f.value or "", f.message.get(lang, ""),
            " ".join(c.iri for c in clauses), " / ".join(c.text for c in clauses),
        ])
    return out.getvalue()


def to_html(report: Report, lang: str = "zh") -> str:
    w = WORDS[lang]
    e = html.escape
    parts = [
        f'<!doctype html><html lang="{"zh-Hans" if lang == "zh" else "en"}"><head>'
        f'<meta charset="utf-8"><title>{e(w["title"])}</title>'
        "<style>body{font-family:sans-serif;max-width:60em;margin:auto}"
        ".Violation{color:#a00}.Warning{color:#a60}.Info{color:#06a}"
        "blockquote{color:#444;border-left:3px solid #ccc;margin:.3em 0;padding-left:.6em}"
        "</style></head><body>",
        f"<h1>{e(w['title'])}</h1>",
        "<ul>" + "".join(f"<li>{e(v)}</li>" for v in _verdicts(report, lang)) + "</ul>",
    ]
    if not report.findings:
        parts.append(f"<p>{e(w['none'])}</p>")
    for group, findings in report.grouped().items():
        parts.append(f"<h2>{e(_heading(group, lang))}</h2>")
        for f in findings:
            severity = _severity(f.severity, lang)
            parts.append(
                f'<div class="finding"><p><strong class="{e(f.severity)}">{e(severity)}</strong>'
                f" {e(w['record'])}: <code>{e(_record(f))}</code><br>"
                f"{e(w['rule'])}: {e(_rule_name(f, lang))}<br>{e(f.message.get(lang, ''))}"
            )
            if f.value is not None and f.value != f.focus:
                parts.append(f"<br>{e(w['value'])}: <code>{e(f.value)}</code>")
            parts.append("</p>")
            for c in f.rule.clauses if f.rule else ():
                parts.append(f'<blockquote><a href="{e(c.iri)}">{e(c.label.get(lang, c.iri))}'
                             f"</a>: {e(c.text)}</blockquote>")
            parts.append("</div>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def to_graph(report: Report) -> Graph:
    """The SHACL validation report, enriched with the cited clauses and their text."""
    g = bind_prefixes(Graph())
    root = BNode()
    g.add((root, RDF.type, SH.ValidationReport))
    g.add((root, SH.conforms, Literal(report.conforms_all)))
    g.add((root, GK.noViolations, Literal(report.conforms)))
    clauses = {}
    for f in report.findings:
        node = BNode()
        g.add((root, SH.result, node))
        g.add((node, RDF.type, SH.ValidationResult))
        g.add((node, SH.focusNode, f.result.focus))
        g.add((node, SH.sourceShape, f.result.shape))
        g.add((node, SH.resultSeverity, f.result.severity))
        g.add((node, SH.sourceConstraintComponent, URIRef(f.component)))
        if f.path and f.path != "(complex path)":
            g.add((node, SH.resultPath, URIRef(f.path)))
        if f.result.value is not None:
            g.add((node, SH.value, f.result.value))
        for lang, tag in (("zh", "zh-Hans"), ("en", "en")):
            if f.message.get(lang):
                g.add((node, SH.resultMessage, Literal(f.message[lang], lang=tag)))
        for c in f.rule.clauses if f.rule else ():
            g.add((node, DCTERMS.references, URIRef(c.iri)))
            clauses[c.iri] = c
    for iri, c in clauses.items():
        node = URIRef(iri)
        g.add((node, GK.text, Literal(c.text, lang="zh-Hans")))
        for lang, tag in (("zh", "zh-Hans"), ("en", "en")):
            if lang in c.label:
                g.add((node, RDFS.label, Literal(c.label[lang], lang=tag)))
        g.add((node, ELI.is_part_of, URIRef(iri.rsplit("/", 1)[0])))
        g.add((URIRef(iri.split("/para_")[0]), ELI.number, Literal(str(c.article))))
    return g


def serialise(report: Report, fmt: str = "text", lang: str = "zh") -> str:
    """The report in one of :data:`FORMATS`."""
    if fmt == "text":
        return to_text(report, lang)
    if fmt == "json":
        return to_json(report)
    if fmt == "csv":
        return to_csv(report, lang)
    if fmt == "html":
        return to_html(report, lang)
    if fmt in ("turtle", "json-ld"):
        return to_graph(report).serialize(format=fmt)
    raise ValueError(f"unknown report format {fmt!r} (one of: {', '.join(FORMATS)})")
