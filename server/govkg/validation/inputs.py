"""Read the records to validate: any RDF syntax, plain JSON, gzip — safely, without changing them.

Everything is parsed by Oxigraph (fast, and its syntax errors carry line and column). What a
hostile or broken file could do is stopped here, before parsing:

- JSON-LD may only use inline contexts or the published govkg context, which maps to the file
  shipped in the package; any other remote context is refused, never fetched;
- plain JSON (no ``@context``) gets the packaged context injected;
- RDF/XML with a DOCTYPE or ENTITY declaration is refused (no entity expansion of any kind);
- gzip is decompressed up to a size cap.

Input files are only ever opened for reading.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph

from .. import resources

RECORD_BASE = "https://w3id.org/govkg/yueqing/record/"
CONTEXT_IRI = "https://w3id.org/govkg/context/records.jsonld"
MAX_DECOMPRESSED = 2 * 1024**3  # bytes; a gzip bomb stops here

FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "json-ld": ox.RdfFormat.JSON_LD,
    "json": ox.RdfFormat.JSON_LD,
    "rdf-xml": ox.RdfFormat.RDF_XML,
}
EXTENSIONS = {
    ".ttl": "turtle", ".turtle": "turtle", ".nt": "ntriples", ".nq": "nquads",
    ".trig": "trig", ".jsonld": "json-ld", ".json": "json", ".rdf": "rdf-xml",
    ".xml": "rdf-xml", ".owl": "rdf-xml",
}
GZIP_RATIO = 16
"""Records sent over HTTP may decompress to at most this many times the body cap: a 1 MiB gzip
bomb would otherwise expand to a gigabyte inside a web worker."""
_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class InputError(ValueError):
    """The input cannot be used; the message says what and where (file, line, column)."""

    def __init__(self, message: str, source: str, line: int | None = None,
                 column: int | None = None) -> None:
        self.source, self.line, self.column = source, line, column
        where = source
        if line is not None:
            where += f", line {line}" + (f", column {column}" if column is not None else "")
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Input:
    """Records to validate: raw bytes, the syntax they are in, and a name for messages."""

    name: str
    content: bytes
    format: str
    base: str = RECORD_BASE  # relative IRIs in the records resolve against this

    @classmethod
    def from_path(cls, path: str | Path, format: str | None = None,
                  max_bytes: int = MAX_DECOMPRESSED, base: str = RECORD_BASE) -> Input:
        path = Path(path)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read the file ({exc.strerror})", str(path)) from exc
        name = path.name[:-3] if path.name.lower().endswith(".gz") else path.name
        if raw[:2] == b"\x1f\x8b":
            raw = gunzip(raw, str(path), max_bytes)
        return cls(str(path), raw, format or guess_format(name, str(path)), base)

    @classmethod
    def from_bytes(cls, content: bytes | str, format: str, name: str = "<input>",
                   max_bytes: int = MAX_DECOMPRESSED) -> Input:
        if isinstance(content, str):
            content = content.encode("utf-8")
        if content[:2] == b"\x1f\x8b":
            content = gunzip(content, name, max_bytes)
        if format not in FORMATS:
            raise InputError(f"unknown format {format!r} (one of: {', '.join(FORMATS)})", name)
        return cls(name, content, format)


def sniff(content: bytes, filename: str | None) -> str:
    """The format of records whose syntax was not named: from the file name, else the text."""
    if filename and "." in filename:
        suffix = "." + filename.rsplit(".", 1)[-1].lower()
        if suffix in EXTENSIONS:
            return EXTENSIONS[suffix]
    head = content.lstrip()[:100]
    if head.startswith((b"{", b"[")):
        return "json"
    if head.startswith((b"<?xml", b"<rdf:RDF")):
        return "rdf-xml"
    return "trig"  # TriG reads Turtle and N-Triples too


def guess_format(filename: str, source: str) -> str:
    suffix = Path(filename).suffix.lower()
    if suffix not in EXTENSIONS:
        raise InputError(
            f"cannot tell the format from the extension {suffix or '(none)'!r}; "
            f"give the format (govkg validate --input-format: {', '.join(FORMATS)})", source)
    return EXTENSIONS[suffix]


def gunzip(raw: bytes, source: str, max_bytes: int) -> bytes:
    """Decompress gzip, refusing output larger than ``max_bytes``."""
    out = io.BytesIO()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(raw)) as stream:
            while chunk := stream.read(1 << 20):
                out.write(chunk)
                if out.tell() > max_bytes:
                    raise InputError(f"decompresses to more than {max_bytes} bytes", source)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"broken gzip data ({exc})", source) from exc
    return out.getvalue()


@cache
def packaged_context() -> dict:
    """The published JSON-LD context (``data/context/records.jsonld``), shipped in the package."""
    with resources.path("data", "context", "records.jsonld").open(encoding="utf-8") as f:
        return json.load(f)["@context"]


def _safe_contexts(node, source: str):
    """Replace the published context IRI by the packaged context; refuse any other remote one."""
    if isinstance(node, list):
        return [_safe_contexts(item, source) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in ("@context", "@import"):
            out[key] = _context_value(value, source)
        else:
            out[key] = _safe_contexts(value, source)
    return out


def _context_value(value, source: str):
    if isinstance(value, str):
        if value.rstrip("#") == CONTEXT_IRI:
            return packaged_context()  # trusted: not walked
        raise InputError(
            f"refusing to load the remote JSON-LD context {value!r}: only the published govkg "
            f"context {CONTEXT_IRI} (shipped with govkg) or inline contexts are allowed", source)
    if isinstance(value, list):
        return [_context_value(v, source) for v in value]
    return _safe_contexts(value, source)


def json_document(inp: Input) -> bytes:
    """JSON or JSON-LD made safe to expand: contexts checked, plain JSON given govkg's context.

    Python's json module and the context walk recurse once per nesting level, so a document
    nested thousands deep is refused here rather than crashing the reader.
    """
    try:
        return _json_document(inp)
    except RecursionError:
        raise InputError("JSON nested too deep to read", inp.name) from None


def _json_document(inp: Input) -> bytes:
    try:
        document = json.loads(inp.content.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", inp.name) from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"JSON syntax error: {exc.msg}", inp.name, exc.lineno, exc.colno) from exc
    has_context = isinstance(document, dict) and "@context" in document
    document = _safe_contexts(document, inp.name)
    if inp.format == "json" and not has_context:
        if isinstance(document, list):
            document = {"@graph": document}
        if not isinstance(document, dict):
            raise InputError("expected a JSON object or an array of records", inp.name)
        document = {"@context": packaged_context(), **document}
    return json.dumps(document).encode("utf-8")


def safe_content(inp: Input) -> bytes:
    """The bytes to hand to a parser, once the checks above have passed."""
    if inp.format in ("json", "json-ld"):
        return json_document(inp)
    if inp.format == "rdf-xml" and _DOCTYPE.search(inp.content):
        raise InputError("RDF/XML with a DOCTYPE or ENTITY declaration is refused "
                         "(entities are never expanded)", inp.name)
    return inp.content


def load(store: ox.Store, inp: Input) -> None:
    """Parse ``inp`` into ``store`` (named graphs kept), or raise :class:`InputError`."""
    content = safe_content(inp)
    try:
        store.load(content, format=FORMATS[inp.format], base_iri=inp.base)
    except SyntaxError as exc:
        message = re.sub(r"^Parser error (at|between) [^:]*: ", "", str(exc))
        line = exc.lineno if inp.format not in ("json", "json-ld") else None
        column = exc.offset if line is not None else None
        raise InputError(f"syntax error: {message}", inp.name, line, column) from exc
    except (ValueError, OSError) as exc:
        raise InputError(f"cannot parse: {exc}", inp.name) from exc


RDFLIB_FORMATS = {
    "turtle": "turtle", "ntriples": "nt", "nquads": "nquads", "trig": "trig",
    "json-ld": "json-ld", "json": "json-ld", "rdf-xml": "xml",
}


def parse_rdflib(inp: Input, graph: Graph) -> None:
    """Parse ``inp`` with rdflib into ``graph`` (all named graphs merged).

    The reference engine reads the input this way rather than from Oxigraph, which stores
    literals in canonical form; pySHACL then sees exactly the terms that were written.
    """
    content = safe_content(inp)
    fmt = RDFLIB_FORMATS[inp.format]
    if fmt not in ("nquads", "trig"):
        graph.parse(data=content, format=fmt, publicID=inp.base)
        return
    dataset = Dataset()
    dataset.parse(data=content, format=fmt, publicID=inp.base)
    for s, p, o, _g in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))

