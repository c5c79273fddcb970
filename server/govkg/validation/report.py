"""The validation report: findings enriched with the rule, its article, clause and wording.

A SHACL result says *which shape* failed; users need *which rule of the regulation*, what it
says and what to fix. Each :class:`Finding` therefore carries the rule from the catalogue (its
article, clause IRIs, clause text, zh/en message), and the :class:`Report` gives the verdict both
ways: ``conforms`` (no hard violation — 须/必须/不得/一律) and ``conforms_all`` (no finding at all,
warnings and infos included).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from rdflib import BNode, URIRef
from rdflib.term import Node

from .catalogue import SEVERITY_NAMES, Rule, catalogue
from .engines import Result

SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


def term_text(term: Node | None) -> str | None:
    """A term as users read it: IRIs and literals as their text, blank nodes as ``_:id``."""
    if term is None:
        return None
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


@dataclass(frozen=True)
class Finding:
    """One result of validation, with everything needed to understand and fix it."""

    focus: str
    shape: str
    severity: str
    component: str
    message: dict[str, str] = field(compare=False)
    path: str | None = None
    value: str | None = None
    focus_label: str | None = None
    rule: Rule | None = field(default=None, compare=False)
    result: Result | None = field(default=None, compare=False, repr=False)

    @property
    def articles(self) -> tuple[int, ...]:
        return self.rule.articles if self.rule else ()

    @property
    def group(self) -> str:
        """The heading the finding is listed under: its first article, or the input checks."""
        return str(self.articles[0]) if self.articles else "input"

    def sort_key(self) -> tuple:
        return (self.articles[:1] or (999,), SEVERITY_ORDER.get(self.severity, 3), self.shape,
                self.focus, self.value or "")

    def as_dict(self) -> dict:
        rule = self.rule
        return {
            "focusNode": self.focus,
            "focusLabel": self.focus_label,
            "rule": rule.id if rule else None,
            "sourceShape": self.shape,
            "severity": self.severity,
            "sourceConstraintComponent": self.component,
            "resultPath": self.path,
            "value": self.value,
            "message": self.message,
            "articles": list(self.articles),
            "clauses": [
                {"iri": c.iri, "label": c.label, "text": c.text} for c in rule.clauses
            ] if rule else [],
        }


def _messages(result: Result, rule: Rule | None) -> dict[str, str]:
    if rule and rule.message:
        return dict(rule.message)
    texts = [str(m) for m in result.messages]
    text = "; ".join(texts) if texts else str(result.component).rsplit("#", 1)[-1]
    return {"zh": text, "en": text}


def finding(result: Result, labels: dict[Node, str] | None = None) -> Finding:
    rule = catalogue().get(str(result.shape))
    path = result.path if isinstance(result.path, URIRef) else None
    return Finding(
        focus=term_text(result.focus),
        shape=term_text(result.shape),
        severity=SEVERITY_NAMES.get(result.severity, term_text(result.severity)),
        component=str(result.component),
        message=_messages(result, rule),
        path=term_text(path) if path is not None else (
            "(complex path)" if result.path is not None else None),
        value=term_text(result.value),
        focus_label=(labels or {}).get(result.focus),
        rule=rule,
        result=result,
    )


@dataclass
class Report:
    """All findings of one validation run, sorted by article, severity, rule and record."""

    findings: list[Finding]
    engine: str
    lang: str = "zh"
    triples: int = 0
    seconds: float = 0.0

    def __post_init__(self) -> None:
        unique = {(f.result.key() if f.result else f): f for f in self.findings}
        self.findings = sorted(unique.values(), key=Finding.sort_key)

    @property
    def conforms(self) -> bool:
        """No hard violation (须/必须/不得/一律); warnings and infos allowed."""
        return not any(f.severity == "Violation" for f in self.findings)

    @property
    def conforms_all(self) -> bool:
        """No finding of any severity."""
        return not self.findings

    def summary(self) -> dict:
        by_article: dict[str, Counter] = {}
        for f in self.findings:
            keys = [str(a) for a in f.articles] or ["input"]
            for key in keys:
                by_article.setdefault(key, Counter())[f.severity] += 1
        severities = Counter(f.severity for f in self.findings)
        return {
            "conforms": self.conforms,
            "conformsAll": self.conforms_all,
            "findings": len(self.findings),
            "bySeverity": {s: severities.get(s, 0) for s in SEVERITY_ORDER},
            "byArticle": {
                key: {s: counts[s] for s in SEVERITY_ORDER if counts[s]}
                for key, counts in sorted(by_article.items(),
                                          key=lambda kv: (not kv[0].isdigit(),
                                                          int(kv[0]) if kv[0].isdigit() else 0))
            },
            "engine": self.engine,
            "triples": self.triples,
            "seconds": round(self.seconds, 3),
        }

    def serialise(self, fmt: str = "text", lang: str | None = None) -> str:
        """The report as text, json, csv, html, turtle or json-ld (see :mod:`.formats`)."""
        from .formats import serialise

        return serialise(self, fmt, lang or self.lang)

    def grouped(self) -> dict[str, list[Finding]]:
        out: dict[str, list[Finding]] = {}
        for f in self.findings:
            out.setdefault(f.group, []).append(f)
        return out
