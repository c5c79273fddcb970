"""What an engine other than the embedded Oxigraph needs in order to answer like it.

Two things differ between engines before a query even runs, and both are settled here once,
for the rdflib and the remote stores alike:

- **syntax**: every query is parsed by pyoxigraph first, so a malformed query gets the same
  400 message (with line and column) whatever the engine;
- **parameters**: named questions bind their parameters by SEP-0007 substitution, which only
  Oxigraph implements. :func:`bind` reproduces it in the text: each parameter variable inside
  the WHERE clause becomes the constant term (so a ``FILTER`` deep in a ``GRAPH`` group sees
  the value, as with substitution), and a ``VALUES`` row at the start of the WHERE clause
  keeps the variable bound for the projection, ``GROUP BY`` and ``ORDER BY``.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph as ox

from ..sparql import lexer
from . import EvaluationError, QuerySyntaxError, Term

_EMPTY = ox.Store()  # parsing a query against an empty store costs no evaluation


def check_syntax(text: str) -> None:
    """Raise :class:`QuerySyntaxError` with pyoxigraph's message if ``text`` is not SPARQL."""
    try:
        _EMPTY.query(text)
    except SyntaxError as exc:
        raise QuerySyntaxError(" ".join(str(exc).split())) from None


def bind(text: str, bindings: Mapping[str, Term]) -> str:
    """``text`` with ``bindings`` (variable name -> term) substituted, see the module doc."""
    text = lexer.expand_codepoints(text)
    toks = lexer.tokens(text)
    start = _where(toks)
    end = _matching(toks, start)
    edits = [(toks[start].start + 1, toks[start].start + 1,
              " " + " ".join(f"VALUES ?{name} {{ {term} }}"
                             for name, term in sorted(bindings.items())) + " ")]
    for t in toks[start + 1:end]:
        if t.kind == "var" and t.text[1:] in bindings:
            edits.append((t.start, t.start + len(t.text), str(bindings[t.text[1:]])))
    for begin, stop, new in sorted(edits, reverse=True):
        text = text[:begin] + new + text[stop:]
    return text


def _where(toks: list[lexer.Token]) -> int:
    """Index of the ``{`` that opens the query's WHERE clause."""
    start = next((i for i, t in enumerate(toks) if t.keyword in lexer.FORMS), None)
    if start is None:
        raise EvaluationError("no query form found")
    i = start + 1
    if toks[start].keyword == "CONSTRUCT" and i < len(toks) and toks[i].text == "{":
        i = _matching(toks, i) + 1  # skip the template
    depth = 0
    for j in range(i, len(toks)):
        if toks[j].text == "(":
            depth += 1
        elif toks[j].text == ")":
            depth -= 1
        elif toks[j].text == "{" and depth == 0:
            return j
    raise EvaluationError("cannot bind parameters: the query has no WHERE clause")


def _matching(toks: list[lexer.Token], i: int) -> int:
    depth = 0
    for j in range(i, len(toks)):
        if toks[j].text == "{":
            depth += 1
        elif toks[j].text == "}":
            depth -= 1
            if depth == 0:
                return j
    raise EvaluationError("unbalanced braces")
