"""Search across labels (zh and en), aliases and the regulation's text.

Chinese has no spaces, so the first rule is substring matching: 签发 finds every label and
clause that contains it, 市府办 finds the office through its alias. A query that is not a
substring of anything (a phrase such as 谁签发会议纪要) is cut into words with jieba — whose
dictionary is extended with every label and alias in the graph, so 常务副市长 stays one word —
and a document matches when it holds all of those words. English is matched case-insensitively,
word by word. The index is built once per worker and data version (:func:`current`).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass

import jieba

from ..iris import GK, SKOS
from . import data
from .site import LABELS, Node, Site, lang_key
from .site import current as current_site

FIELD_WEIGHT = {"label": 0, "alias": 1, "action": 2, "definition": 3, "text": 4}
KIND_ORDER = ("post", "role", "body", "group", "meeting", "document", "procedure", "clause",
              "fact", "condition", "work", "thing")
MAX_RESULTS = 200
_STOP = set("的了是在和与及或由谁什么哪些哪个怎么如何吗呢？?，,。 的")

jieba.setLogLevel(logging.WARNING)


def normalise(text: str) -> str:
    """NFKC (full-width to half-width), lower case, collapsed spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


@dataclass(frozen=True)
class Entry:
    node: Node
    kind: str
    field: str
    lang: str
    text: str
    folded: str


@dataclass
class Hit:
    node: Node
    kind: str
    score: float
    matched: str
    field: str


class Index:
    """Searchable strings of every resource that has a page."""

    def __init__(self, site: Site) -> None:
        self.entries: list[Entry] = []
        self.tokenizer = jieba.Tokenizer()
        for node in site.resources():
            kind = site.kind(node)
            if kind == "thing" and not site.in_graph(node, "kg"):
                continue
            fields: list[tuple[str, str, str]] = []
            for p in LABELS:
                fields += [("label", lang_key(o.language), o.value) for o in site.objects(node, p)
                           if hasattr(o, "language")]
            fields += [("alias", lang_key(o.language), o.value)
                       for o in site.objects(node, SKOS.altLabel) if hasattr(o, "language")]
            fields += [("definition", lang_key(o.language), o.value)
                       for o in site.objects(node, SKOS.definition) if hasattr(o, "language")]
            fields += [("text", "zh", o.value) for o in site.objects(node, GK.text)]
            fields += [("action", lang, text) for lang, text in _actions(site, node, kind)]
            for name, lang, text in fields:
                self.entries.append(Entry(node, kind, name, lang, text, normalise(text)))
                if name in ("label", "alias") and lang == "zh" and len(text) <= 20:
                    self.tokenizer.add_word(text, freq=2000)

    def words(self, query: str) -> list[str]:
        """The query cut into words: jieba for Chinese, spaces for the rest."""
        out: list[str] = []
        for chunk in query.split():
            if re.search(r"[\u3400-\u9fff]", chunk):
                out += [w for w in self.tokenizer.cut(chunk) if w.strip() and w not in _STOP]
            else:
                out.append(chunk)
        return [w for w in out if w]

    def search(self, query: str, lang: str) -> list[Hit]:
        """Hits for ``query``, best first, one per resource."""
        q = normalise(query)
        if not q:
            return []
        best: dict[Node, Hit] = {}
        want = lang_key(lang)
        words = None
        for entry in self.entries:
            score = _score(entry, q, want)
            if score is None:
                if words is None:
                    words = self.words(q)
                if len(words) < 2 or not all(w in entry.folded for w in words):
                    continue
                score = 10 + FIELD_WEIGHT[entry.field] + _brevity(entry.folded)
            current = best.get(entry.node)
            if current is None or score < current.score:
                best[entry.node] = Hit(entry.node, entry.kind, score, entry.text, entry.field)
        hits = sorted(best.values(), key=lambda h: (h.score, h.node.value))
        return hits[:MAX_RESULTS]


def _actions(site: Site, node: Node, kind: str) -> list[tuple[str, str]]:
    """What is done by or to ``node`` ("签发", "sign for issue" …), so that searching an
    action finds the posts that do it and the documents and meetings it is done to."""
    if kind in ("post", "role", "body", "group"):
        found = site.subjects(GK.assignee, node) + site.subjects(GK.attendee, node)
    elif kind in ("document", "meeting"):
        found = [f for p in (GK.target, GK.forMeetingType, GK.venue)
                 for f in site.subjects(p, node)]
        found += [s for f in found for s in site.subjects(GK.stepOf, f)]
    else:
        return []
    actions = {a for f in found for p in (GK.action, GK.attendsAs) for a in site.objects(f, p)}
    out = []
    for action in actions:
        for label in site.objects(action, SKOS.prefLabel):
            out.append((lang_key(label.language), label.value))
    return sorted(out)


def _brevity(text: str) -> float:
    return min(len(text), 200) / 400


def _score(entry: Entry, q: str, want: str) -> float | None:
    """Lower is better; None when ``q`` is not in the entry."""
    if q not in entry.folded:
        return None
    score = FIELD_WEIGHT[entry.field] + _brevity(entry.folded)
    if entry.field in ("label", "alias"):  # a name that is the query, or starts with it
        if entry.folded == q:
            score -= 2
        elif entry.folded.startswith(q):
            score -= 1
    if entry.lang and entry.lang != want:
        score += 0.5
    return score


def current() -> Index:
    """This worker's search index for the current data version."""
    site = current_site()
    return data.memo("search", lambda: Index(site))


def grouped(hits: list[Hit]) -> list[tuple[str, list[Hit]]]:
    """Hits grouped by kind, kinds in a fixed order, each group best first."""
    groups: dict[str, list[Hit]] = {}
    for hit in hits:
        groups.setdefault(hit.kind, []).append(hit)
    return [(kind, groups[kind]) for kind in KIND_ORDER if kind in groups]
