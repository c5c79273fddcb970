"""The document's metadata, and the proof that the text's front and back matter agree with it.

The metadata is hand-written Turtle (``data/source/metadata.ttl``). Every non-blank line before
第一章 and after article 69 must be accounted for by one of the checks below; a line that none
explains, or that contradicts the metadata, stops the build — so nothing of the text is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS

from ..iris import DEFAULT_BASE, ELI, GK, work_iri
from .parser import ParseError, Regulation

PUBLIC = URIRef("http://publications.europa.eu/resource/authority/access-right/PUBLIC")


def load(path: Path) -> Graph:
    """Parse the metadata file (Turtle, written with the default base)."""
    return Graph().parse(path, format="turtle")


def chapter_titles_en(meta: Graph) -> dict[int, str]:
    """English chapter titles by chapter number (the Chinese ones come from the text)."""
    prefix = f"{work_iri(DEFAULT_BASE)}/chp_"
    return {
        int(s[len(prefix):]): str(o)
        for s, o in meta.subject_objects(ELI.title)
        if s.startswith(prefix) and o.language == "en"
    }


def _zh(graph: Graph, subject: URIRef, predicate: URIRef) -> set[str]:
    return {
        str(o)
        for o in graph.objects(subject, predicate)
        if getattr(o, "language", None) == "zh-Hans"
    }


def _split(text: str) -> set[str]:
    return {part for part in re.split(r"[，、]", text) if part}


def check(regulation: Regulation, meta: Graph) -> None:
    """Raise :class:`ParseError` unless every front- and back-matter line matches ``meta``."""
    work = work_iri(DEFAULT_BASE)
    title = _zh(meta, work, ELI.title)
    number = {str(o) for o in meta.objects(work, ELI.id_local)}
    sessions = set().union(*(_zh(meta, s, RDFS.label) for s in meta.objects(work, GK.adoptedAt)))
    published = {o.toPython() for o in meta.objects(work, ELI.date_publication)}
    notes = " ".join(_zh(meta, work, SKOS.editorialNote))
    issuer = "乐清市人民政府"

    def recipients(match: re.Match, *, primary: bool) -> bool:
        prop = GK.primaryRecipient if primary else GK.copyRecipient
        found = _split(match.group(1)) if primary else _split(match.group(1).rstrip("。"))
        expected = set().union(*(_split(s) for s in _zh(meta, work, prop)))
        return found == expected

    checks: list[tuple[str, Callable[[re.Match], bool]]] = [
        (r"^(.+)文件$", lambda m: m.group(1) == issuer),
        (r"^(.+〔\d{4}〕\d+号)$", lambda m: m.group(1) in number),
        (r"^(.+) 关于印发《(.+)》的通知$", lambda m: m.group(1) == issuer and m.group(2) in title),
        (r"^(.+)：$", lambda m: recipients(m, primary=True)),
        (r"^《(.+)》已经(.+)审议通过", lambda m: m.group(1) in title and m.group(2) in sessions),
        (r"^（此件公开发布）$", lambda m: (work, DCTERMS.accessRights, PUBLIC) in meta),
        (r"^(.+工作规则)$", lambda m: m.group(1) in title),
        (r"^抄送：(.+)$", lambda m: recipients(m, primary=False)),
        (r"^(.+办公室)$", lambda m: m.group(1) in notes),
        (
            r"^(\d{4})年(\d{1,2})月(\d{1,2})日印发$",
            lambda m: date(*map(int, m.groups())) in published,
        ),
    ]
    for line in regulation.front_matter + regulation.back_matter:
        for pattern, agrees in checks:
            match = re.match(pattern, line)
            if match:
                if not agrees(match):
                    raise ParseError(f"front/back matter disagrees with metadata.ttl: {line!r}")
                break
        else:
            raise ParseError(f"front/back matter line not accounted for: {line!r}")
