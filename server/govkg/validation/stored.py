"""Validate records where they already are: in a store, remote or embedded.

A research group's records live in a shared store, one graph per government and year, far
too large to download for a check. The rule shapes are already compiled to one SPARQL query
per constraint (:mod:`.compiler`), so those queries are sent *to* the store through govkg's
store interface (:class:`govkg.store.Store`) and only the violations come back. The dataset
of each query is the records graphs plus the ontology graph (the class hierarchy the targets
need); nothing else is read.

The input checks of :mod:`.terms` (unknown terms in uploaded files) are not run: records in a
store were checked when they were loaded.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ..sparql import results as r
from ..sparql.negotiation import Choice
from ..store import Dataset, Output, Store
from .engines import XSD_STRING, Result
from .report import Report, finding
from .validator import Validator, default_validator

MAX_FINDINGS = 1_000_000


def _term(value: dict | None) -> Node | None:
    if value is None:
        return None
    if value["type"] == "uri":
        return URIRef(value["value"])
    if value["type"] == "bnode":
        return BNode(value["value"])
    if "xml:lang" in value:
        return Literal(value["value"], lang=value["xml:lang"])
    datatype = value.get("datatype")
    if datatype in (None, XSD_STRING):
        return Literal(value["value"])
    return Literal(value["value"], datatype=URIRef(datatype))


def check_store(store: Store, graphs: Sequence[str], vocabulary: str, *,
                validator: Validator | None = None, timeout: float = 600.0) -> list[Result]:
    """Run every compiled rule query on ``store`` over ``graphs`` + the ``vocabulary`` graph."""
    validator = validator or default_validator()
    if validator.checks is None:
        raise ValueError(f"these shapes need pySHACL: {validator.unsupported}")
    dataset = Dataset(default_graphs=(vocabulary, *graphs))
    output = Output(Choice(r.JSON, None), MAX_FINDINGS)
    results = []
    for check in validator.checks:
        answer = store.query(check.query, dataset=dataset, timeout=timeout, bindings=None,
                             output=output)
        for row in json.loads(answer.body)["results"]["bindings"]:
            path = _term(row.get("path")) if check.has_path else None
            results.append(Result(
                focus=_term(row["focus"]), shape=check.shape, component=check.component,
                severity=check.severity, path=path if path is not None else check.path,
                value=_term(row.get("value")) if check.has_value else None,
                constraint=check.constraint, messages=check.messages))
    return results


def validate_store(store: Store, graphs: Sequence[str], vocabulary: str, *,
                   lang: str = "zh", timeout: float = 600.0) -> Report:
    """The report for the records in ``graphs`` of ``store`` (see the module doc)."""
    started = time.perf_counter()
    results = check_store(store, graphs, vocabulary, timeout=timeout)
    return Report([finding(result) for result in results], engine="fast-remote", lang=lang,
                  seconds=time.perf_counter() - started)
