"""Write an engine's result as an :class:`~govkg.store.Answer`, the same way for every engine.

Every store hands its solutions, boolean or triples here as pyoxigraph terms; the row cap, the
hidden columns and the serialisation are applied once, so the three engines produce the same
bytes for the same result.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice

import pyoxigraph as ox

from ..sparql import results as r
from . import Answer, NotAcceptable, Output, Term


def _acceptable(media: str | None, form: str) -> str:
    if media is None:
        raise NotAcceptable(form)
    return media


def boolean(value: bool, output: Output) -> Answer:
    media = _acceptable(output.formats.tabular, "ASK")
    return Answer("ASK", media, r.write_boolean(value, media), 1)


def solutions(names: Sequence[str], rows: Iterable[Sequence[Term | None]],
              output: Output) -> Answer:
    """SELECT: ``rows`` aligned with ``names``; at most ``max_rows`` are read."""
    media = _acceptable(output.formats.tabular, "SELECT")
    keep = [i for i, name in enumerate(names) if name not in output.hidden]
    cut_rows = [[row[i] for i in keep] for row in islice(rows, output.max_rows + 1)]
    cut = len(cut_rows) > output.max_rows
    del cut_rows[output.max_rows:]
    body = r.write_bindings([names[i] for i in keep], cut_rows, media, truncated=cut)
    return Answer("SELECT", media, body, len(cut_rows), cut)


def graph(triples: Iterable[ox.Triple], output: Output, prefixes: dict[str, str]) -> Answer:
    """CONSTRUCT/DESCRIBE: at most ``max_rows`` triples are read."""
    media = _acceptable(output.formats.graph, "GRAPH")
    kept = list(islice(triples, output.max_rows + 1))
    cut = len(kept) > output.max_rows
    del kept[output.max_rows:]
    return Answer("GRAPH", media, r.write_graph(kept, media, prefixes), len(kept), cut)
