"""The hostile-input corpus shared by the HTTP and CLI tests.

Small cases are files in this folder (read them: each is a classic attack on an RDF reader);
large ones are generated at test time, so nothing big is committed.
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

HERE = Path(__file__).parent
LISTENER = "http://127.0.0.1:{port}/context.jsonld"  # a local trap: nothing may connect to it


def file(name: str) -> bytes:
    return (HERE / name).read_bytes()


def gzip_bomb(expanded: int) -> bytes:
    """A small gzip file that decompresses to ``expanded`` zero bytes (ratio about 1000:1)."""
    out = io.BytesIO()
    chunk = b"\0" * (1 << 20)
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9, mtime=0) as stream:
        for _ in range(expanded // len(chunk)):
            stream.write(chunk)
    return out.getvalue()


def deep_json(depth: int) -> bytes:
    """Arrays nested ``depth`` deep: Python's json module recurses once per level."""
    return b"[" * depth + b"]" * depth


def deep_context(depth: int) -> bytes:
    """JSON-LD whose inline ``@context`` nests scoped contexts ``depth`` deep (written as text:
    ``json.dumps`` itself could not nest this far)."""
    head = '{"p": {"@id": "https://example.org/v#p", "@context": ' * depth
    tail = "}}" * depth
    return ('{"@context": ' + head + '{"@vocab": "https://example.org/v#"}' + tail
            + ', "@id": "https://example.org/records/d", "p": "x"}').encode()


def remote_context(port: int) -> bytes:
    return json.dumps({"@context": LISTENER.format(port=port),
                       "@id": "https://example.org/records/m1", "label": "trap"}).encode()


def big_literal(size: int) -> bytes:
    """One Turtle triple whose literal is ``size`` bytes long."""
    return (b'<https://example.org/records/big> <http://www.w3.org/2000/01/rdf-schema#label> "'
            + b"\xe4\xb9\x90" * (size // 3) + b'"@zh-Hans .\n')


# name -> (content, format, what the message must mention); all must be refused as input
REFUSED = {
    "billion-laughs": (lambda: file("billion-laughs.rdf"), "rdf-xml", "DOCTYPE"),
    "external-entity": (lambda: file("external-entity.rdf"), "rdf-xml", "DOCTYPE"),
    "remote-context": (lambda: file("remote-context.jsonld"), "json-ld", "remote JSON-LD"),
    "imported-context": (lambda: file("imported-context.jsonld"), "json-ld", "remote JSON-LD"),
    "recursive-context": (lambda: file("recursive-context.jsonld"), "json-ld", "remote JSON-LD"),
    "control-iri": (lambda: file("control-iri.ttl"), "turtle", "syntax error"),
    "invalid-utf8": (lambda: file("invalid-utf8.ttl"), "turtle", "UTF-8"),
    "deep-json": (lambda: deep_json(30_000), "json", "too deep"),
    "deep-context": (lambda: deep_context(1_100), "json-ld", "too deep"),
}
