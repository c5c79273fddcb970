"""A SPARQL 1.1 tokenizer: just enough structure to answer questions *about* a query.

The service never rewrites user queries, but it must know a few facts before running one:
whether it names its own dataset (``FROM``), which variables it uses (named-question
parameters), whether it contains ``SERVICE`` or ``LOAD`` (then the real parser, see
:mod:`govkg.sparql.guard`, decides) and which form it has. The tokens follow the terminals of
SPARQL 1.1 §19.8, so words inside strings, IRIs, prefixed names and comments never count as
keywords. Codepoint escapes (``\\u0053ERVICE``) are expanded first, as §19.2 requires and as
the query engine does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

_PN_LOCAL_CHAR = r"[\w\u00B7\u0300-\u036F\u203F-\u2040:%-]|\\[_~.\-!$&'()*+,;=/?#@%]"
_TOKEN = re.compile(
    "|".join(
        (
            r"(?P<ws>\s+)",
            r"(?P<comment>#[^\n\r]*)",
            r'(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)',
            r'(?P<string>"""(?:"{0,2}(?:[^"\\]|\\.))*"""'
            r"|'''(?:'{0,2}(?:[^'\\]|\\.))*'''"
            r'|"(?:[^"\\\n\r]|\\.)*"'
            r"|'(?:[^'\\\n\r]|\\.)*')",
            r"(?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)",
            r"(?P<bnode>_:[\w\u00B7\u0300-\u036F\u203F-\u2040.-]*)",
            rf"(?P<pname>(?:[^\W\d_][\w.-]*)?:(?:(?:{_PN_LOCAL_CHAR})(?:{_PN_LOCAL_CHAR}|\.(?=(?:{_PN_LOCAL_CHAR})))*)?)",
            r"(?P<langtag>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)",
            r"(?P<number>\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)",
            r"(?P<word>[A-Za-z_][A-Za-z0-9_]*)",
            r"(?P<punct>\^\^|&&|\|\||!=|<=|>=|[{}()\[\].,;*=<>!+\-/|^?$])",
            r"(?P<other>.)",
        )
    ),
    re.DOTALL,
)

FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")


@dataclass(frozen=True, slots=True)
class Token:
    """One terminal: its kind (a group name of ``_TOKEN``), text and offset in the text."""

    kind: str
    text: str
    start: int

    @property
    def keyword(self) -> str | None:
        """The upper-cased word if this token is a bare word (a keyword or ``a``)."""
        return self.text.upper() if self.kind == "word" else None


def expand_codepoints(text: str) -> str:
    """Replace ``\\uXXXX`` and ``\\UXXXXXXXX`` escapes by their characters (SPARQL §19.2)."""
    if "\\u" not in text and "\\U" not in text:
        return text
    return _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def tokens(text: str) -> list[Token]:
    """The significant tokens of ``text`` (whitespace and comments dropped)."""
    return [
        Token(m.lastgroup, m.group(), m.start())
        for m in _TOKEN.finditer(expand_codepoints(text))
        if m.lastgroup not in ("ws", "comment")
    ]


def keywords(toks: list[Token]) -> set[str]:
    """The upper-cased bare words of a token list."""
    return {t.text.upper() for t in toks if t.kind == "word"}


def variables(toks: list[Token]) -> list[str]:
    """Variable names in order of first appearance, without ``?``/``$``."""
    seen: dict[str, None] = {}
    for t in toks:
        if t.kind == "var":
            seen.setdefault(t.text[1:])
    return list(seen)


def form(toks: list[Token]) -> str | None:
    """``SELECT``, ``CONSTRUCT``, ``DESCRIBE`` or ``ASK``: the first query-form keyword."""
    return next((t.keyword for t in toks if t.keyword in FORMS), None)


def depth(toks: list[Token]) -> int:
    """How deeply ``{``, ``(`` and ``[`` nest: the engine's recursive parser runs out of stack
    (and its process dies) a few thousand levels down, so the service refuses deep nesting
    before the text reaches it."""
    level = deepest = 0
    for t in toks:
        if t.kind == "punct":
            if t.text in "{([":
                level += 1
                deepest = max(deepest, level)
            elif t.text in "})]":
                level -= 1
    return deepest


def has_dataset_clause(toks: list[Token]) -> bool:
    """True if the query has ``FROM``/``FROM NAMED`` (the only place the keyword can occur)."""
    return "FROM" in keywords(toks)


def project(text: str, names: list[str]) -> str:
    """Return a SELECT query that also projects ``names`` (and groups by them if it groups).

    SEP-0007 substitution (how named questions bind parameters) only applies to projected
    variables; a parameter used only in the pattern is projected here, once, when the
    question is loaded, and hidden again from the output. Values never enter the text.
    """
    text = expand_codepoints(text)
    toks = tokens(text)
    if form(toks) != "SELECT" or not names:
        return text
    i = next(i for i, t in enumerate(toks) if t.keyword == "SELECT")
    if i + 1 < len(toks) and toks[i + 1].keyword in ("DISTINCT", "REDUCED"):
        i += 1
    if i + 1 < len(toks) and toks[i + 1].text == "*":
        return text
    inserts = [(toks[i].start + len(toks[i].text), names)]
    depth = 0
    for j, t in enumerate(toks):
        if t.text in ("{", "("):
            depth += 1
        elif t.text in ("}", ")"):
            depth -= 1
        elif depth == 0 and t.keyword == "GROUP" and j + 1 < len(toks):
            by = toks[j + 1]
            inserts.append((by.start + len(by.text), names))
    for offset, extra in sorted(inserts, reverse=True):
        text = text[:offset] + "".join(f" ?{n}" for n in extra) + text[offset:]
    return text


def projected(toks: list[Token]) -> set[str] | None:
    """The variables the outer SELECT projects (``None`` for ``SELECT *`` or other forms)."""
    start = next((i for i, t in enumerate(toks) if t.keyword in FORMS), None)
    if start is None or toks[start].keyword != "SELECT":
        return None
    names: set[str] = set()
    depth = 0
    for i in range(start + 1, len(toks)):
        t = toks[i]
        if depth == 0 and (t.text == "{" or t.keyword in ("WHERE", "FROM")):
            break
        if t.text == "*" and depth == 0:
            return None
        if t.text == "(":
            depth += 1
        elif t.text == ")":
            depth -= 1
        elif t.kind == "var" and (depth == 0 or toks[i - 1].keyword == "AS"):
            names.add(t.text[1:])
    return names


def rebase(text: str, old: str, new: str) -> str:
    """Move every IRI (``<…>``, including PREFIX declarations) under ``old`` to ``new``.

    The query-side twin of :func:`govkg.iris.rebase`: a deployment with its own base IRI
    keeps the hand-written named questions working.
    """
    text = expand_codepoints(text)
    if old == new:
        return text
    for t in sorted(tokens(text), key=lambda t: t.start, reverse=True):
        if t.kind == "iri" and t.text[1:].startswith(old):
            text = text[:t.start] + "<" + new + t.text[1 + len(old):] + text[t.start + len(t.text):]
    return text
