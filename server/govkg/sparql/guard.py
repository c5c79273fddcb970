"""Refuse requests that would make the server reach out to the network.

The engine (pyoxigraph) follows ``SERVICE <iri>`` and ``LOAD <iri>`` over HTTP, so a user could
make the server fetch arbitrary URLs. The tokenizer finds whether either keyword occurs at all
(cheap, and exact: a keyword token cannot hide in a string, an IRI or a prefixed name); only
then rdflib's SPARQL parser reads the request and names every target, which must be an IRI on
the configured allow-list. A request the parser cannot read is refused rather than guessed at.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from . import lexer


class Refused(Exception):
    """The request would cause outbound traffic; the message says which clause and target."""


def check(
    text: str, toks: list[lexer.Token], *, update: bool, allow: frozenset[str] = frozenset()
) -> None:
    """Raise :class:`Refused` unless every SERVICE/LOAD target of ``text`` is in ``allow``.

    ``toks`` are the tokens of ``text`` (the caller has them already).
    """
    found = lexer.keywords(toks) & {"SERVICE", "LOAD"}
    if not found:
        return
    for clause, target in _targets(text, update=update, found=found):
        if target is None or target not in allow:
            shown = "a variable" if target is None else f"<{target}>"
            hint = "not on the allow-list (GOVKG_ALLOW_SERVICE)" if allow else "disabled"
            raise Refused(
                f"{clause} {shown} refused: outbound requests are {hint} on this server"
            )


def _targets(text: str, *, update: bool, found: set[str]) -> Iterator[tuple[str, str | None]]:
    """(clause, target IRI or None for a variable) for each SERVICE and LOAD in ``text``."""
    from rdflib.plugins.sparql.algebra import translateQuery, translateUpdate
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
    from rdflib.term import URIRef

    try:
        if update:
            tree = translateUpdate(parseUpdate(text)).algebra
        else:
            tree = translateQuery(parseQuery(text)).algebra
    except Exception as exc:  # pyparsing's ParseException, or rdflib's own on bad prefixes
        raise Refused(
            f"request contains {' and '.join(sorted(found))} and could not be verified "
            f"by the SPARQL parser ({type(exc).__name__}); outbound requests are refused"
        ) from exc
    for name, term in _walk(tree):
        clause = "SERVICE" if name == "ServiceGraphPattern" else "LOAD"
        yield clause, str(term) if isinstance(term, URIRef) else None


def _walk(node: object) -> Iterator[tuple[str, object]]:
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            yield node.name, node.get("term")
        elif node.name == "Load":
            yield node.name, node.get("iri")
        children: Iterable[object] = node.values()
    elif isinstance(node, list | tuple):
        children = node
    else:
        return
    for child in children:
        yield from _walk(child)
