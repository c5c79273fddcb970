"""Read named questions: a ``.rq`` file with grlc ``#+`` YAML decorators and BASIL-style
parameters.

A variable ``?_name`` is a required parameter, ``?__name`` an optional one; a suffix gives the
type as in grlc: ``_iri``, ``_number``, ``_literal``/``_string``, an XSD datatype
(``_integer``, ``_date``, ``_boolean`` …), a two-letter language (``_en``, ``_zh``) or a
``_prefix_name`` datatype (``_xsd_gYear``). Values are turned into RDF terms here and bound by
the engine (SEP-0007 substitution), never spliced into the query text.

Decorators understood: grlc's ``summary``, ``description``, ``tags``, ``defaults``,
``enumerate`` (values listed in the file) and ``method`` (GET only), and govkg's bilingual
``summary_zh``/``description_zh`` and ``labels`` (``{variable: {zh-Hans: …, en: …}}``) for
parameters and result columns. docs/api.md has an example.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox
import yaml

from ..iris import DEFAULT_BASE
from ..sparql import lexer

XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_TYPES = {
    "string", "boolean", "decimal", "integer", "double", "float", "date", "time", "dateTime",
    "dateTimeStamp", "gYear", "gYearMonth", "gMonth", "gMonthDay", "gDay", "duration",
    "dayTimeDuration", "yearMonthDuration", "anyURI", "language", "normalizedString", "token",
    "nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger", "long",
    "int", "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
}
# grlc's parameter pattern (src/gquery.py), applied to a variable name without its '?'
_PARAM = re.compile(
    r"(?P<required>_{1,2})(?P<name>[^_]+)_?(?P<type>[a-zA-Z0-9]+)?_?(?P<userdefined>[a-zA-Z0-9]+)?"
)
_PREFIX_DECL = re.compile(r"^\s*PREFIX\s+([^\s:]*):\s*<([^>]*)>", re.IGNORECASE | re.MULTILINE)
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
RESERVED = {"format", "lang", "timeout"}


class QuestionError(ValueError):
    """A ``.rq`` file that cannot be served; the message names the file."""


class ParameterError(ValueError):
    """A request's parameter value does not fit the parameter's type."""


@dataclass(frozen=True)
class Parameter:
    """One API parameter and how its value becomes an RDF term."""

    name: str
    variable: str
    required: bool
    kind: str  # "iri", "number", "literal", "typed" or "lang"
    datatype: str | None = None
    lang: str | None = None
    default: str | None = None
    enum: tuple[str, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def type_name(self) -> str:
        """What the value must be, for messages and the OpenAPI document."""
        if self.kind == "typed":
            return self.datatype.removeprefix(XSD)
        return {"lang": f"text@{self.lang}"}.get(self.kind, self.kind)

    def term(self, raw: str) -> ox.NamedNode | ox.Literal:
        """The RDF term for a request value; :class:`ParameterError` if it does not fit."""
        if self.enum and raw not in self.enum:
            raise ParameterError(f"{self.name}={raw!r}: expected one of {', '.join(self.enum)}")
        try:
            if self.kind == "iri":
                if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", raw):
                    raise ValueError("not an absolute IRI")
                return ox.NamedNode(raw)
            if self.kind == "number":
                return _number(raw)
            if self.kind == "lang":
                return ox.Literal(raw, language=self.lang)
            if self.kind == "typed":
                _check_lexical(raw, self.datatype)
                return ox.Literal(raw, datatype=ox.NamedNode(self.datatype))
            return ox.Literal(raw)
        except ValueError as exc:
            raise ParameterError(
                f"{self.name}={raw!r} is not a valid {self.type_name} ({exc})"
            ) from None


def _number(raw: str) -> ox.Literal:
    text = raw.strip()
    if re.fullmatch(r"[+-]?\d+", text):
        return ox.Literal(text, datatype=ox.NamedNode(XSD + "integer"))
    if re.fullmatch(r"[+-]?(\d+\.\d*|\.\d+)", text):
        return ox.Literal(text, datatype=ox.NamedNode(XSD + "decimal"))
    float(text)  # raises ValueError for non-numbers
    return ox.Literal(text, datatype=ox.NamedNode(XSD + "double"))


def _check_lexical(raw: str, datatype: str) -> None:
    """Reject values that are not in the lexical space of the common XSD datatypes."""
    local = datatype.removeprefix(XSD)
    if local in ("integer", "long", "int", "short", "byte", "nonNegativeInteger",
                 "positiveInteger", "nonPositiveInteger", "negativeInteger"):
        if not re.fullmatch(r"[+-]?\d+", raw):
            raise ValueError("expected an integer")
        value = int(raw)
        if (local == "nonNegativeInteger" and value < 0) or (local == "positiveInteger"
                                                             and value <= 0):
            raise ValueError("out of range")
    elif local == "decimal":
        try:
            Decimal(raw)
        except InvalidOperation:
            raise ValueError("expected a decimal number") from None
    elif local in ("double", "float"):
        float(raw)
    elif local == "boolean":
        if raw not in ("true", "false", "1", "0"):
            raise ValueError("expected true or false")
    elif local == "date":
        date.fromisoformat(raw)
    elif local == "dateTime":
        datetime.fromisoformat(raw)
    elif local == "gYear" and not re.fullmatch(r"-?\d{4,}", raw):
        raise ValueError("expected a year like 2022")


@dataclass(frozen=True)
class Question:
    """A named question: its text, parameters and bilingual metadata."""

    name: str
    path: Path
    display_text: str
    """The query as written (decorators removed) — shown to people."""
    text: str
    """The query as run: unprojected parameters added to the projection (see lexer.project)."""
    form: str
    parameters: tuple[Parameter, ...]
    hidden: frozenset[str]
    summary: dict[str, str]
    description: dict[str, str]
    tags: tuple[str, ...]
    labels: dict[str, dict[str, str]]

    def title(self, lang: str) -> str:
        return self.summary.get(lang) or self.summary.get("en") or self.name

    def about(self, lang: str) -> str:
        return self.description.get(lang) or self.description.get("en") or ""

    def label(self, variable: str, lang: str) -> str:
        """The column heading for a result variable in ``lang`` (the name if unlabelled)."""
        return self.labels.get(variable, {}).get(lang) or variable


def load_all(folder: Path, base: str = DEFAULT_BASE) -> dict[str, Question]:
    """Every ``*.rq`` in ``folder`` by name (file stem), sorted by name."""
    if not folder.is_dir():
        return {}
    return {path.stem: load(path, base) for path in sorted(folder.glob("*.rq"))}


def load(path: Path, base: str = DEFAULT_BASE) -> Question:
    """Read one ``.rq`` file; :class:`QuestionError` if it cannot be served.

    IRIs under the default base are moved to ``base`` (as the data is when loaded).
    """
    name = path.stem
    if not _NAME.match(name):
        raise QuestionError(f"{path}: the file name must be letters, digits, '_' or '-'")
    raw = path.read_text(encoding="utf-8")
    lines = raw.splitlines()
    header = textwrap.dedent("\n".join(ln[2:] for ln in lines if ln.startswith("#+")))
    display = "\n".join(ln for ln in lines if not ln.startswith("#+")).strip() + "\n"
    display = lexer.rebase(display, DEFAULT_BASE, base)
    try:
        meta = yaml.safe_load(header) or {} if header.strip() else {}
    except yaml.YAMLError as exc:
        raise QuestionError(f"{path}: the #+ header is not valid YAML: {exc}") from None
    if not isinstance(meta, dict):
        raise QuestionError(f"{path}: the #+ header must be a YAML mapping")
    if str(meta.get("method", "GET")).upper() != "GET":
        raise QuestionError(f"{path}: only 'method: GET' is supported")
    toks = lexer.tokens(display)
    form = lexer.form(toks)
    if form is None:
        raise QuestionError(f"{path}: no SELECT, CONSTRUCT, DESCRIBE or ASK found")
    labels = _labels(meta.get("labels"), path)
    parameters = _parameters(toks, display, meta, labels, path)
    shown = lexer.projected(toks)
    hidden = frozenset(
        p.variable for p in parameters if shown is not None and p.variable not in shown
    )
    text = lexer.project(display, sorted(hidden))
    return Question(
        name=name,
        path=path,
        display_text=display,
        text=text,
        form=form,
        parameters=parameters,
        hidden=hidden,
        summary=_bilingual(meta, "summary"),
        description=_bilingual(meta, "description"),
        tags=tuple(str(t) for t in meta.get("tags") or ()),
        labels=labels,
    )


def _bilingual(meta: dict, key: str) -> dict[str, str]:
    out = {}
    if meta.get(key):
        out["en"] = str(meta[key]).strip()
    if meta.get(key + "_zh"):
        out["zh-Hans"] = str(meta[key + "_zh"]).strip()
    return out


def _labels(value: object, path: Path) -> dict[str, dict[str, str]]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
        raise QuestionError(f"{path}: 'labels' must map names to {{zh-Hans: …, en: …}}")
    return {str(k): {str(lang): str(text) for lang, text in v.items()} for k, v in value.items()}


def _listed(meta: dict, key: str) -> dict[str, object]:
    """grlc writes defaults/enumerate as a list of one-key mappings; accept a mapping too."""
    value = meta.get(key) or {}
    if isinstance(value, dict):
        return value
    merged: dict[str, object] = {}
    for item in value:
        if isinstance(item, dict):
            merged.update(item)
    return merged


def _parameters(toks, text, meta, labels, path) -> tuple[Parameter, ...]:
    prefixes = dict(_PREFIX_DECL.findall(text))
    defaults = _listed(meta, "defaults")
    enums = _listed(meta, "enumerate")
    params: dict[str, Parameter] = {}
    for variable in lexer.variables(toks):
        m = _PARAM.fullmatch(variable) or _PARAM.match(variable)
        if not m or re.match(r"__agg_\d+__", variable):
            continue
        name, kind_code, extra = m.group("name"), m.group("type"), m.group("userdefined")
        if name in RESERVED:
            raise QuestionError(f"{path}: parameter name {name!r} is reserved")
        kind, datatype, lang = "literal", None, None
        if kind_code in ("number", "iri"):
            kind = kind_code
        elif kind_code in (None, "literal", "string"):
            kind = "literal"
        elif kind_code in _XSD_TYPES and not extra:
            kind, datatype = "typed", XSD + kind_code
        elif extra:
            if kind_code not in prefixes and kind_code != "xsd":
                raise QuestionError(f"{path}: ?{variable} uses undeclared prefix {kind_code}:")
            kind, datatype = "typed", prefixes.get(kind_code, XSD) + extra
        elif len(kind_code) == 2:
            kind, lang = "lang", kind_code.lower()
        else:
            raise QuestionError(f"{path}: ?{variable}: unknown parameter type {kind_code!r}")
        if name in params:
            raise QuestionError(f"{path}: parameter {name!r} is declared twice")
        default = defaults.get(name)
        enum = enums.get(name)
        params[name] = Parameter(
            name=name,
            variable=variable,
            required=m.group("required") == "_",
            kind=kind,
            datatype=datatype,
            lang=lang,
            default=None if default is None else str(default),
            enum=tuple(str(v) for v in enum) if isinstance(enum, list) else (),
            labels=labels.get(name, {}),
        )
    return tuple(params.values())
