"""Compile SHACL shapes to SPARQL SELECT queries that find every violation in one pass.

pySHACL evaluates constraints focus node by focus node, and each SHACL-SPARQL constraint costs a
query per focus node; on a hundred thousand records that is minutes. Here every constraint of
every shape becomes *one* query over the whole data graph (targets joined with the violation
pattern), which Oxigraph answers in milliseconds. The output of a check is the same as pySHACL's
result for that constraint: focus node, value, path, source shape, component, severity.

Supported: all SHACL Core targets except SPARQL-based ones; property paths; the core constraint
components (class, datatype, nodeKind, min/maxCount, value ranges, lengths, pattern,
languageIn, uniqueLang, in, hasValue, equals, disjoint, lessThan(OrEquals), closed, node, not,
and, or, xone, qualifiedValueShape); SPARQL-based constraints without sub-queries, MINUS or
VALUES. Anything else raises :class:`Unsupported`, and the caller uses pySHACL instead — a wrong
answer is worse than a slow one.

Nested shapes (sh:node, sh:not, …) become ``EXISTS`` filters: a value node conforms to a shape
when no violation pattern of that shape matches it. Counts (minCount …) are written as "n
pairwise-distinct values exist" instead of sub-queries, because sub-queries do not see the
outer focus node.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

from ..iris import SH

RDF_TYPE_PATH = f"<{RDF.type}>/<{RDFS.subClassOf}>*"
MAX_COUNT = 6  # pairwise-distinctness grows quadratically; larger counts go to pySHACL

# Oxigraph stores xsd:integer's derived types as xsd:integer, so a datatype check on them
# cannot be answered from the store.
LOSSY_DATATYPES = frozenset(
    XSD[name]
    for name in (
        "long", "int", "short", "byte", "nonNegativeInteger", "positiveInteger",
        "negativeInteger", "nonPositiveInteger", "unsignedLong", "unsignedInt",
        "unsignedShort", "unsignedByte",
    )
)
CASTABLE = frozenset(
    XSD[name] for name in ["string", "boolean", "date", "dateTime", "time"]
)
NUMERIC = frozenset(XSD[name] for name in ["integer", "decimal", "float", "double"])

TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


class Unsupported(Exception):
    """A shape this compiler cannot translate faithfully; validate it with pySHACL instead."""


@dataclass(frozen=True)
class Check:
    """One SELECT query that returns every violation of one constraint of one shape.

    The query binds ``?focus`` and, where the constraint has one, ``?value`` and ``?path`` (for
    sh:closed and SPARQL constraints that report a path).
    """

    shape: Node
    component: URIRef
    severity: URIRef
    path: Node | None
    constraint: Node | None
    messages: tuple[Literal, ...]
    query: str
    has_value: bool
    has_path: bool
    target_classes: frozenset[URIRef] | None = None  # None: targets other than classes

    def applies(self, classes: set) -> bool:
        """Whether the check can find anything in data whose instances have ``classes``."""
        return self.target_classes is None or not self.target_classes.isdisjoint(classes)


@dataclass(frozen=True)
class _Piece:
    """A violation pattern: SPARQL group text in which ``focus`` (and ``value``) are bound."""

    shape: Node
    component: URIRef
    text: str
    focus: str
    value: str | None = None
    path_var: str | None = None
    key: str | None = None
    constraint: Node | None = None


class _Compiler:
    def __init__(self, shapes: Graph) -> None:
        self.g = shapes
        self.counter = 0
        self.prefixes: dict[str, str] = {}
        self.expanding: list[Node] = []

    # -- helpers ----

    def fresh(self, stem: str = "v") -> str:
        self.counter += 1
        return f"?gk_{stem}{self.counter}"

    def items(self, head: Node) -> list[Node]:
        return list(Collection(self.g, head))

    def one(self, node: Node, predicate: URIRef) -> Node | None:
        return self.g.value(node, predicate)

    @staticmethod
    def term(node: Node) -> str:
        if isinstance(node, BNode):
            raise Unsupported("a blank node used as a constant in a constraint")
        return node.n3()

    def flag(self, node: Node, predicate: URIRef) -> bool:
        """A boolean parameter; only the literal ``true`` switches it on (not ``"1"``)."""
        return _is_true(self.one(node, predicate))

    def deactivated(self, shape: Node) -> bool:
        return self.flag(shape, SH.deactivated)

    def severity(self, shape: Node) -> URIRef:
        return self.one(shape, SH.severity) or SH.Violation

    def messages(self, *nodes: Node | None) -> tuple[Literal, ...]:
        for node in nodes:
            if node is None:
                continue
            found = tuple(sorted(self.g.objects(node, SH.message), key=str))
            if found:
                return found
        return ()

    def path(self, node: Node) -> str:
        """A SHACL property path as a SPARQL property path."""
        if isinstance(node, URIRef):
            return node.n3()
        if (node, RDF.first, None) in self.g:
            return "(" + "/".join(self.path(p) for p in self.items(node)) + ")"
        for predicate, template in (
            (SH.inversePath, "^({})"),
            (SH.zeroOrMorePath, "({})*"),
            (SH.oneOrMorePath, "({})+"),
            (SH.zeroOrOnePath, "({})?"),
        ):
            inner = self.one(node, predicate)
            if inner is not None:
                return template.format(self.path(inner))
        alternatives = self.one(node, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(self.path(p) for p in self.items(alternatives)) + ")"
        raise Unsupported(f"unknown property path {node!r}")

    # -- targets ----

    def implicit_class(self, shape: Node) -> bool:
        classes = set(self.g.subjects(RDFS.subClassOf, RDFS.Class)) | {RDFS.Class}
        return any(t in classes for t in self.g.objects(shape, RDF.type))

    def targets(self, shape: Node, var: str) -> str | None:
        if (shape, SH.target, None) in self.g:
            raise Unsupported("SPARQL-based targets")
        branches = [
            f"{var} {RDF_TYPE_PATH} {self.term(c)} ."
            for c in self.g.objects(shape, SH.targetClass)
        ]
        if self.implicit_class(shape):
            branches.append(f"{var} {RDF_TYPE_PATH} {self.term(shape)} .")
        nodes = list(self.g.objects(shape, SH.targetNode))
        if nodes:
            branches.append(f"VALUES {var} {{ {' '.join(self.term(n) for n in nodes)} }}")
        for p in self.g.objects(shape, SH.targetSubjectsOf):
            branches.append(f"{var} {self.term(p)} {self.fresh('t')} .")
        for p in self.g.objects(shape, SH.targetObjectsOf):
            branches.append(f"{self.fresh('t')} {self.term(p)} {var} .")
        if not branches:
            return None
        return " UNION ".join("{ " + b + " }" for b in branches)

    # -- conformance of a value node to a nested shape ----

    def violated(self, shape: Node, var: str) -> str:
        """A SPARQL expression, true when ``var`` does not conform to ``shape``."""
        if shape in self.expanding:
            raise Unsupported("recursive shapes")
        self.expanding.append(shape)
        try:
            pieces = self.pieces(shape, var)
        finally:
            self.expanding.pop()
        if not pieces:
            return "false"
        return "(" + " || ".join(f"EXISTS {{ {p.text} }}" for p in pieces) + ")"

    # -- violation pieces of one shape ----

    def pieces(self, shape: Node, focus: str) -> list[_Piece]:
        if self.deactivated(shape):
            return []
        for predicate in self.g.predicates(shape, None):
            if predicate in (SH.parameter, SH.validator, SH.nodeValidator,
                             SH.propertyValidator):
                raise Unsupported(f"{predicate} is not compiled")
        path_node = self.one(shape, SH.path)
        out: list[_Piece] = []
        if path_node is not None:
            path = self.path(path_node)
            value = self.fresh()
            head = f"{focus} {path} {value} ."
        else:
            path, value, head = None, focus, ""

        def add(component: URIRef, text: str, *, value_var: str | None = value, key=None,
                path_var=None, constraint=None) -> None:
            out.append(_Piece(shape, component, text, focus, value_var, path_var, key,
                              constraint))

        def per_value(component: URIRef, condition: str) -> None:
            add(component, f"{head} FILTER({condition})")

        g = self.g
        for cls in g.objects(shape, SH["class"]):
            per_value(SH.ClassConstraintComponent,
                      f"NOT EXISTS {{ {value} {RDF_TYPE_PATH} {self.term(cls)} }}")
        for datatype in g.objects(shape, SH.datatype):
            per_value(SH.DatatypeConstraintComponent, f"!({self.datatype_ok(value, datatype)})")
        for kind in g.objects(shape, SH.nodeKind):
            per_value(SH.NodeKindConstraintComponent, f"!({self.node_kind(value, kind)})")
        for predicate, op, component in (
            (SH.minInclusive, ">=", SH.MinInclusiveConstraintComponent),
            (SH.maxInclusive, "<=", SH.MaxInclusiveConstraintComponent),
            (SH.minExclusive, ">", SH.MinExclusiveConstraintComponent),
            (SH.maxExclusive, "<", SH.MaxExclusiveConstraintComponent),
        ):
            for bound in g.objects(shape, predicate):
                per_value(component, f"!COALESCE({value} {op} {self.term(bound)}, false)")
        for length in g.objects(shape, SH.minLength):
            per_value(SH.MinLengthConstraintComponent,
                      f"isBlank({value}) || STRLEN(STR({value})) < {int(length)}")
        for length in g.objects(shape, SH.maxLength):
            per_value(SH.MaxLengthConstraintComponent,
                      f"isBlank({value}) || STRLEN(STR({value})) > {int(length)}")
        for pattern in g.objects(shape, SH.pattern):
            flags = self.one(shape, SH.flags)
            regex = f"REGEX(STR({value}), {Literal(str(pattern)).n3()}"
            regex += f", {Literal(str(flags)).n3()})" if flags is not None else ")"
            per_value(SH.PatternConstraintComponent, f"isBlank({value}) || !{regex}")
        for languages in g.objects(shape, SH.languageIn):
            tests = " || ".join(
                f"langMatches(lang({value}), {Literal(str(tag)).n3()})"
                for tag in self.items(languages)
            ) or "false"
            per_value(SH.LanguageInConstraintComponent, f"!(isLiteral({value}) && ({tests}))")
        for members in g.objects(shape, SH["in"]):
            tests = " || ".join(
                f"sameTerm({value}, {self.term(m)})" for m in self.items(members)
            ) or "false"
            per_value(SH.InConstraintComponent, f"!({tests})")
        for other in g.objects(shape, SH.node):
            per_value(SH.NodeConstraintComponent, self.violated(other, value))
        for other in g.objects(shape, SH["not"]):
            per_value(SH.NotConstraintComponent, f"!{self.violated(other, value)}")
        for members in g.objects(shape, SH["and"]):
            tests = [self.violated(m, value) for m in self.items(members)]
            per_value(SH.AndConstraintComponent, " || ".join(tests) or "false")
        for members in g.objects(shape, SH["or"]):
            tests = [self.violated(m, value) for m in self.items(members)]
            per_value(SH.OrConstraintComponent, " && ".join(tests) or "true")
        for members in g.objects(shape, SH.xone):
            tests = [f"IF({self.violated(m, value)}, 0, 1)" for m in self.items(members)]
            per_value(SH.XoneConstraintComponent, f"({' + '.join(tests) or '0'}) != 1")

        if path is not None:
            self.counts(shape, focus, path, add)
            self.pairs(shape, focus, path, value, add)
            self.qualified(shape, focus, path, add)
        else:
            self.node_pairs(shape, focus, add)
        for value_to_have in g.objects(shape, SH.hasValue):
            constant = self.term(value_to_have)
            if path is None:
                add(SH.HasValueConstraintComponent,
                    f"FILTER(!sameTerm({focus}, {constant}))", value_var=None)
            else:
                add(SH.HasValueConstraintComponent,
                    f"FILTER NOT EXISTS {{ {focus} {path} {constant} }}", value_var=None)
        if self.flag(shape, SH.closed):
            allowed = [
                self.one(p, SH.path) for p in g.objects(shape, SH.property)
            ]
            allowed = [p for p in allowed if isinstance(p, URIRef)]
            ignored = self.one(shape, SH.ignoredProperties)
            if ignored is not None:
                allowed += self.items(ignored)
            predicate, obj = self.fresh("p"), self.fresh("o")
            test = (
                f"FILTER({predicate} NOT IN ({', '.join(self.term(p) for p in allowed)}))"
                if allowed else ""
            )
            add(SH.ClosedConstraintComponent, f"{head} {value} {predicate} {obj} . {test}",
                value_var=obj, path_var=predicate)
        for constraint in g.objects(shape, SH.sparql):
            if self.deactivated(constraint):
                continue
            out.append(self.sparql_piece(shape, constraint, focus, path))
        for nested in g.objects(shape, SH.property):
            for piece in self.pieces(nested, value):
                out.append(_Piece(piece.shape, piece.component, f"{head} {piece.text}",
                                  piece.focus, piece.value, piece.path_var, piece.key,
                                  piece.constraint))
        return out

    def datatype_ok(self, value: str, datatype: Node) -> str:
        if datatype in LOSSY_DATATYPES:
            raise Unsupported(f"sh:datatype {datatype} (Oxigraph normalises it to xsd:integer)")
        test = f"isLiteral({value}) && sameTerm(datatype({value}), {self.term(datatype)})"
        if datatype in NUMERIC:
            test += f" && isNumeric({value})"
        elif datatype in CASTABLE:
            cast = f"<{datatype}>({value})"
            test += f" && COALESCE({cast} = {cast}, false)"
        return test

    @staticmethod
    def node_kind(value: str, kind: Node) -> str:
        tests = {
            SH.IRI: f"isIRI({value})",
            SH.BlankNode: f"isBlank({value})",
            SH.Literal: f"isLiteral({value})",
            SH.BlankNodeOrIRI: f"(isBlank({value}) || isIRI({value}))",
            SH.BlankNodeOrLiteral: f"(isBlank({value}) || isLiteral({value}))",
            SH.IRIOrLiteral: f"(isIRI({value}) || isLiteral({value}))",
        }
        if kind not in tests:
            raise Unsupported(f"unknown sh:nodeKind {kind}")
        return tests[kind]

    def distinct_values(self, focus: str, path: str, n: int, extra=None) -> str:
        """Group text matching when ``focus`` has at least ``n`` distinct values on ``path``."""
        if n > MAX_COUNT:
            raise Unsupported(f"counts above {MAX_COUNT}")
        names = [self.fresh("c") for _ in range(n)]
        text = " ".join(f"{focus} {path} {v} ." for v in names)
        if extra is not None:
            text += " " + " ".join(f"FILTER({extra(v)})" for v in names)
        for a, b in combinations(names, 2):
            text += f" FILTER(!sameTerm({a}, {b}))"
        return text

    def counts(self, shape, focus, path, add) -> None:
        for n in self.g.objects(shape, SH.minCount):
            if int(n) > 0:
                add(SH.MinCountConstraintComponent,
                    f"FILTER NOT EXISTS {{ {self.distinct_values(focus, path, int(n))} }}",
                    value_var=None)
        for n in self.g.objects(shape, SH.maxCount):
            add(SH.MaxCountConstraintComponent,
                f"FILTER EXISTS {{ {self.distinct_values(focus, path, int(n) + 1)} }}",
                value_var=None)
        if self.flag(shape, SH.uniqueLang):
            a, b = self.fresh(), self.fresh()
            lang = self.fresh("lang")
            add(SH.UniqueLangConstraintComponent,
                f"{focus} {path} {a} . {focus} {path} {b} . "
                f"FILTER(!sameTerm({a}, {b}) && lang({a}) != \"\" "
                f"&& LCASE(lang({a})) = LCASE(lang({b}))) BIND(LCASE(lang({a})) AS {lang})",
                value_var=None, key=lang)

    def pairs(self, shape, focus, path, value, add) -> None:
        head = f"{focus} {path} {value} ."
        for other in self.g.objects(shape, SH.equals):
            o = self.term(other)
            add(SH.EqualsConstraintComponent, f"{head} FILTER NOT EXISTS {{ {focus} {o} {value} }}")
            w = self.fresh()
            add(SH.EqualsConstraintComponent,
                f"{focus} {o} {w} . FILTER NOT EXISTS {{ {focus} {path} {w} }}", value_var=w)
        for other in self.g.objects(shape, SH.disjoint):
            add(SH.DisjointConstraintComponent, f"{head} {focus} {self.term(other)} {value} .")
        for predicate, op, component in (
            (SH.lessThan, "<", SH.LessThanConstraintComponent),
            (SH.lessThanOrEquals, "<=", SH.LessThanOrEqualsConstraintComponent),
        ):
            for other in self.g.objects(shape, predicate):
                w = self.fresh()
                add(component, f"{head} {focus} {self.term(other)} {w} . "
                               f"FILTER(!COALESCE({value} {op} {w}, false))")

    def node_pairs(self, shape, focus, add) -> None:
        for other in self.g.objects(shape, SH.equals):
            o = self.term(other)
            add(SH.EqualsConstraintComponent, f"FILTER NOT EXISTS {{ {focus} {o} {focus} }}")
            w = self.fresh()
            add(SH.EqualsConstraintComponent,
                f"{focus} {o} {w} . FILTER(!sameTerm({w}, {focus}))", value_var=w)
        for other in self.g.objects(shape, SH.disjoint):
            add(SH.DisjointConstraintComponent, f"{focus} {self.term(other)} {focus} .")
        for predicate in (SH.lessThan, SH.lessThanOrEquals):
            if (shape, predicate, None) in self.g:
                raise Unsupported(f"{predicate} on a node shape")

    def qualified(self, shape, focus, path, add) -> None:
        for qshape in self.g.objects(shape, SH.qualifiedValueShape):
            siblings: list[Node] = []
            if self.flag(shape, SH.qualifiedValueShapesDisjoint):
                for parent in self.g.subjects(SH.property, shape):
                    for sibling in self.g.objects(parent, SH.property):
                        if sibling != shape:
                            siblings += list(self.g.objects(sibling, SH.qualifiedValueShape))

            def conforming(var: str, qshape=qshape, siblings=siblings) -> str:
                test = f"!{self.violated(qshape, var)}"
                for s in siblings:
                    test += f" && {self.violated(s, var)}"
                return test

            low = self.one(shape, SH.qualifiedMinCount)
            if low is not None and int(low) > 0:
                add(SH.QualifiedMinCountConstraintComponent,
                    "FILTER NOT EXISTS { "
                    + self.distinct_values(focus, path, int(low), conforming) + " }",
                    value_var=None)
            high = self.one(shape, SH.qualifiedMaxCount)
            if high is not None:
                add(SH.QualifiedMaxCountConstraintComponent,
                    "FILTER EXISTS { "
                    + self.distinct_values(focus, path, int(high) + 1, conforming) + " }",
                    value_var=None)

    # -- SPARQL-based constraints ----

    def sparql_piece(self, shape: Node, constraint: Node, focus: str, path: str | None) -> _Piece:
        select = self.one(constraint, SH.select)
        if select is None:
            raise Unsupported("SPARQL constraint without sh:select")
        declaring = list(self.g.objects(constraint, SH.prefixes))
        declaring += [i for d in declaring for i in self.g.objects(d, OWL.imports)]
        for node in declaring:
            for declaration in self.g.objects(node, SH.declare):
                prefix = str(self.one(declaration, SH.prefix))
                namespace = str(self.one(declaration, SH.namespace))
                if self.prefixes.setdefault(prefix, namespace) != namespace:
                    raise Unsupported(f"prefix {prefix}: declared twice differently")
        text = _strip_comments(str(select))
        upper = _mask_literals(text).upper()
        for word in ("MINUS", "VALUES", "SERVICE", "$SHAPESGRAPH", "GROUP BY", "HAVING"):
            if word in upper:
                raise Unsupported(f"{word} in a SPARQL constraint")
        if upper.count("SELECT") != 1:
            # SHACL requires sub-queries to project $this; they would then need true
            # pre-binding, which a single query over all focus nodes cannot give.
            raise Unsupported("sub-queries in a SPARQL constraint")
        if re.search(r"(?i)\bAS\s+[?$]this\b", _mask_literals(text)):
            raise Unsupported("a SPARQL constraint that binds $this")
        start, end = text.index("{"), text.rindex("}")
        projection, body = text[:start], text[start + 1:end]
        if _this_in_nested_group(body):
            raise Unsupported("$this inside a nested group (needs pre-binding)")
        for expression, name in re.findall(r"\((.+?)\s+AS\s+[?$](\w+)\s*\)", projection,
                                           re.IGNORECASE | re.DOTALL):
            body += f" BIND({expression} AS ?{name})"
        projection = re.sub(r"\(.+?\s+AS\s+([?$]\w+)\s*\)", r"\1", projection,
                            flags=re.IGNORECASE | re.DOTALL)
        tail = _mask_literals(text[end + 1:]).strip()
        if tail and not re.fullmatch(r"(?is)(ORDER\s+BY.*|LIMIT\s+\d+|OFFSET\s+\d+|\s)*", tail):
            raise Unsupported("solution modifiers in a SPARQL constraint")
        if path is not None:
            body = body.replace("$PATH", path)
        elif "$PATH" in body:
            raise Unsupported("$PATH in a node shape's SPARQL constraint")
        body = body.replace("$currentShape", self.term(shape))
        suffix = self.fresh("q")[len("?gk_"):]
        renamed = _rename_variables(body, focus, suffix)
        projected = set(re.findall(r"[?$](\w+)", projection))
        value = f"?value_{suffix}" if "value" in projected else (focus if path is None else None)
        path_var = f"?path_{suffix}" if "path" in projected else None
        component = SH.SPARQLConstraintComponent
        return _Piece(shape, component, renamed, focus, value, path_var, None, constraint)

    # -- top level ----

    def checks(self, shape: Node) -> list[Check]:
        this = "?gk_this"
        target = self.targets(shape, this)
        if target is None or self.deactivated(shape):
            return []
        self.prefixes = {}
        pieces = self.pieces(shape, this)
        prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(self.prefixes.items()))
        classes = set(self.g.objects(shape, SH.targetClass))
        if self.implicit_class(shape):
            classes.add(shape)
        only_classes = not any((shape, p, None) in self.g for p in TARGETS[1:])
        target_classes = frozenset(classes) if only_classes else None
        out = []
        for piece in pieces:
            projection = [f"({piece.focus} AS ?focus)"]
            if piece.value is not None:
                projection.append(f"({piece.value} AS ?value)")
            if piece.path_var is not None:
                projection.append(f"({piece.path_var} AS ?path)")
            if piece.key is not None:
                projection.append(f"({piece.key} AS ?key)")
            query = (
                f"{prologue}SELECT DISTINCT {' '.join(projection)} WHERE {{\n"
                f"  {target}\n  {piece.text}\n}}"
            )
            out.append(Check(
                shape=piece.shape,
                component=piece.component,
                severity=self.severity(piece.shape),
                path=self.one(piece.shape, SH.path),
                constraint=piece.constraint,
                messages=self.messages(piece.constraint, piece.shape),
                query=query,
                has_value=piece.value is not None,
                has_path=piece.path_var is not None,
                target_classes=target_classes,
            ))
        return out


def top_level_shapes(shapes: Graph) -> list[Node]:
    """Shapes that have targets (explicit or implicit class targets), in a stable order."""
    found: set[Node] = set()
    for predicate in (*TARGETS, SH.target):
        found.update(shapes.subjects(predicate, None))
    classes = set(shapes.subjects(RDFS.subClassOf, RDFS.Class)) | {RDFS.Class}
    for kind in (SH.NodeShape, SH.PropertyShape):
        for shape in shapes.subjects(RDF.type, kind):
            if any(t in classes for t in shapes.objects(shape, RDF.type)):
                found.add(shape)
    return sorted(found, key=lambda n: (isinstance(n, BNode), str(n)))


def compile_shapes(shapes: Graph) -> list[Check]:
    """Compile every targeted shape; raise :class:`Unsupported` if any cannot be compiled."""
    if (None, SH.parameter, None) in shapes:
        raise Unsupported("SPARQL-based constraint components")
    compiler = _Compiler(shapes)
    out: list[Check] = []
    for shape in top_level_shapes(shapes):
        out.extend(compiler.checks(shape))
    return out


def compile_shape(shapes: Graph, shape: Node) -> list[Check]:
    """Compile one shape (used to list which shapes the fast path covers)."""
    return _Compiler(shapes).checks(shape)


# -- SPARQL text surgery ----

_LITERAL_OR_IRI = re.compile(
    r'"""(?:.|\n)*?"""|\'\'\'(?:.|\n)*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    r'|<[^<>"{}|^`\\\s]*>'
)


def _mask_literals(text: str) -> str:
    """``text`` with string literals and IRIs blanked, so keyword tests do not look inside."""
    return _LITERAL_OR_IRI.sub(lambda m: " " * len(m.group()), text)


def _strip_comments(text: str) -> str:
    out, last = [], 0
    for match in _LITERAL_OR_IRI.finditer(text):
        out.append(re.sub(r"#[^\n]*", "", text[last:match.start()]))
        out.append(match.group())
        last = match.end()
    out.append(re.sub(r"#[^\n]*", "", text[last:]))
    return "".join(out)


def _is_true(value: Node | None) -> bool:
    return isinstance(value, Literal) and value.datatype == XSD.boolean and str(value) == "true"


_GROUP_KEYWORD = re.compile(r"(?i)(EXISTS|OPTIONAL|WHERE)\s*$")


def _this_in_nested_group(body: str) -> bool:
    """Whether ``$this`` is used inside a UNION branch or plain sub-group of the WHERE body.

    Such groups are evaluated before the focus node is joined in, so without true pre-binding
    ``FILTER($this = …)`` there would see an unbound variable. EXISTS and OPTIONAL groups are
    fine: the focus node is already bound when they are evaluated.
    """
    masked = _mask_literals(body)
    stack: list[bool] = []  # per open brace: is it a plain/UNION group?
    for i, ch in enumerate(masked):
        if ch == "{":
            plain = _GROUP_KEYWORD.search(masked[max(0, i - 20):i]) is None
            stack.append(plain or (bool(stack) and stack[-1]))
        elif ch == "}" and stack:
            stack.pop()
        elif (ch in "?$" and masked[i + 1:i + 5] == "this" and stack and stack[-1]
              and not (masked[i + 5:i + 6].isalnum() or masked[i + 5:i + 6] == "_")):
            return True
    return False


def _rename_variables(text: str, focus: str, suffix: str) -> str:
    """Rename ``$this`` to the focus variable and every other variable apart (``?x_suffix``)."""
    out, last = [], 0

    def rename(chunk: str) -> str:
        def one(m: re.Match) -> str:
            name = m.group(1)
            return focus if name == "this" else f"?{name}_{suffix}"

        return re.sub(r"[?$](\w+)", one, chunk)

    for match in _LITERAL_OR_IRI.finditer(text):
        out.append(rename(text[last:match.start()]))
        out.append(match.group())
        last = match.end()
    out.append(rename(text[last:]))
    return "".join(out)


