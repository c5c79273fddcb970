"""The fast engine against the W3C SHACL test suite (core and SHACL-SPARQL).

govkg validates with shapes compiled to SPARQL on Oxigraph instead of plain pySHACL, so that
path must be a correct SHACL engine. Every ``sht:Validate`` entry of the suite is run through
:class:`govkg.validation.Validator` (as a plain SHACL validator): where the compiler accepts the
shapes, the compiled queries produce the report; where it refuses them, the validator falls back
to pySHACL. Either way the report must equal the expected one — compared as sets of results up
to blank nodes, ignoring messages, as the suite's README says. Numeric literals are compared by
value because Oxigraph stores them in canonical form ("4.0" becomes "4").

The suite is read from ``../shared/w3c`` beside the repository; the test skips when it is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from govkg.validation import Input, Validator
from govkg.validation.compiler import Unsupported, compile_shapes
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, XSD

REPO = Path(__file__).resolve().parent.parent
SUITE = REPO.parent / "shared" / "w3c" / "shacl-test-suite"
SH = Namespace("http://www.w3.org/ns/shacl#")
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")
NUMERIC = {XSD.integer, XSD.decimal, XSD.double, XSD.float}
OPTIONAL_FEATURES = {
    "sparql/pre-binding/shapesGraph-001":
        "$shapesGraph is optional in SHACL-SPARQL; neither pySHACL nor the compiler offers it",
}

pytestmark = pytest.mark.skipif(
    not (SUITE / "manifest.ttl").exists(),
    reason=f"W3C SHACL test suite not found at {SUITE} (see ../shared/w3c/README.md)",
)


def _path(uri: URIRef) -> Path:
    return Path(str(uri).removeprefix("file://"))


def entries(manifest: Path):
    """(name, data file, shapes file, manifest graph, result node) for every test entry."""
    graph = Graph().parse(manifest, format="turtle")
    for included in graph.objects(None, MF.include):
        yield from entries(_path(included))
    for head in graph.objects(None, MF.entries):
        for entry in Collection(graph, head):
            action = graph.value(entry, MF.action)
            name = str(entry).split("shacl-test-suite/")[-1]
            yield (name, _path(graph.value(action, SHT.dataGraph)),
                   _path(graph.value(action, SHT.shapesGraph)), graph,
                   graph.value(entry, MF.result))


ENTRIES = list(entries(SUITE / "manifest.ttl")) if (SUITE / "manifest.ttl").exists() else []


def canonical(graph: Graph, node):
    """A comparable form of a term: blank nodes anonymous, numbers by value, paths by shape."""
    if node is None:
        return None
    if isinstance(node, BNode):
        path = canonical_path(graph, node)
        return path if path is not None else "_"
    if isinstance(node, Literal) and node.datatype in NUMERIC:
        return ("number", node.datatype, node.value)
    if isinstance(node, Literal):
        return ("literal", str(node), node.language, node.datatype)
    return node


def canonical_path(graph: Graph, node):
    if (node, RDF.first, None) in graph:
        return ("sequence", *(canonical(graph, n) for n in Collection(graph, node)))
    for predicate in (SH.inversePath, SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath,
                      SH.alternativePath):
        inner = graph.value(node, predicate)
        if inner is not None:
            if predicate == SH.alternativePath:
                return ("alternative", *(canonical(graph, n) for n in Collection(graph, inner)))
            return (str(predicate), canonical(graph, inner))
    return None


def expected_results(graph: Graph, report) -> set:
    return {
        tuple(canonical(graph, graph.value(r, p)) for p in (
            SH.focusNode, SH.sourceShape, SH.sourceConstraintComponent, SH.resultSeverity,
            SH.resultPath, SH.value))
        for r in graph.objects(report, SH.result)
    }


def actual_results(shapes: Graph, findings) -> set:
    return {
        tuple(canonical(shapes, t) for t in (
            f.result.focus, f.result.shape, f.result.component, f.result.severity,
            f.result.path, f.result.value))
        for f in findings
    }


def load_shapes(path: Path) -> Graph:
    """Shapes as written: rdflib must not turn ``"1"^^xsd:boolean`` into ``true``."""
    previous = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        return Graph().parse(path, format="turtle")
    finally:
        rdflib.NORMALIZE_LITERALS = previous




@pytest.mark.parametrize("entry", ENTRIES, ids=[e[0] for e in ENTRIES])
def test_suite_entry(entry):
    name, data_path, shapes_path, manifest, result = entry
    if name in OPTIONAL_FEATURES:
        pytest.skip(OPTIONAL_FEATURES[name])
    shapes = load_shapes(shapes_path)
    if result == SHT.Failure:
        with pytest.raises(Unsupported):
            compile_shapes(shapes)
        return
    validator = Validator(shapes, records=False)
    report = validator.validate(Input.from_path(data_path, base=f"file://{data_path}"))
    expected_conforms = manifest.value(result, SH.conforms).toPython()
    assert report.conforms_all == expected_conforms
    assert actual_results(shapes, report.findings) == expected_results(manifest, result)


def test_most_of_the_suite_runs_compiled():
    """The fallback must stay the exception: count the entries the compiler handles itself."""
    compiled = refused = 0
    for _name, _data, shapes_path, _manifest, result in ENTRIES:
        if result == SHT.Failure:
            continue
        try:
            compile_shapes(load_shapes(shapes_path))
            compiled += 1
        except Unsupported:
            refused += 1
    assert compiled >= 100, (compiled, refused)
    assert refused <= 12, (compiled, refused)
