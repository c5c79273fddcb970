"""Every rule has a minimal valid and a minimal invalid record set (tests/fixtures/rules/).

Each fixture file is TriG with two graphs, ``ex:valid`` and ``ex:invalid``, and a first line
``# expect: gks:<rule> articles <n> …`` written from the regulation's text. The invalid set must
yield exactly that rule (shape IRI and articles) and the valid set nothing — on both engines,
so the compiled SPARQL path is proven against plain pySHACL on every rule.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from govkg.validation import Input, Validator, catalogue

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
ROSTER = FIXTURES / "roster.ttl"
GKS = "https://w3id.org/govkg/shapes#"
FILES = sorted(FIXTURES.glob("*.trig"))


def expectation(path: Path) -> tuple[str, tuple[int, ...]]:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = re.fullmatch(r"# expect: gks:(\S+) articles ([\d ]+)", first)
    assert match, f"{path.name}: first line must be '# expect: gks:<rule> articles <n>…'"
    return GKS + match.group(1), tuple(int(a) for a in match.group(2).split())


def graphs(path: Path) -> dict[str, Input]:
    """The fixture's named graphs, each as an N-Triples input."""
    by_graph: dict[str, list[ox.Triple]] = {}
    for quad in ox.parse(path=str(path), format=ox.RdfFormat.TRIG):
        by_graph.setdefault(quad.graph_name.value.rsplit("/", 1)[-1], []).append(quad.triple)
    return {
        name: Input.from_bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES),
                               "ntriples", f"{path.name}#{name}")
        for name, triples in by_graph.items()
    }


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator(context=[ROSTER])


def findings(validator: Validator, data: Input, engine: str) -> set[tuple[str, tuple[int, ...]]]:
    report = validator.validate(data, engine=engine)
    return {(f.shape, f.articles) for f in report.findings}


def test_every_rule_has_a_fixture():
    rules = {iri for iri, rule in catalogue().items() if not rule.is_input_check}
    covered = {expectation(path)[0] for path in FILES}
    assert rules - covered == set(), "rules without fixtures"
    assert covered - rules == set(), "fixtures for unknown rules"


def test_roster_alone_is_clean(validator):
    for engine in ("fast", "pyshacl"):
        assert validator.validate([], engine=engine).findings == []


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_fixture(path: Path, engine: str, validator: Validator):
    rule, articles = expectation(path)
    assert catalogue()[rule].articles == articles, "the catalogue cites other articles"
    sets = graphs(path)
    assert set(sets) == {"valid", "invalid"}
    assert findings(validator, sets["valid"], engine) == set()
    assert findings(validator, sets["invalid"], engine) == {(rule, articles)}
