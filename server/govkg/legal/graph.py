"""Turn a parsed :class:`~govkg.legal.parser.Regulation` into an ELI graph.

IRIs are hierarchical in the Akoma Ntoso eId style (``…/art_46/para_1/item_5``) so that a
citation can be read off the IRI; articles hang off the work (``…/art_59``), not off their
chapter, because articles are numbered through the whole regulation and cited that way.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from ..iris import DEFAULT_BASE, ELI, GK, SCHEMA, SUBDIVISION, bind_prefixes, work_iri
from .numerals import from_int
from .parser import Clause, Regulation

ZH = "zh-Hans"

REPAIR_NOTES = {
    "page-break": (
        "已将被分页符断开的句子重新连接。",
        "A sentence broken by a page break was rejoined.",
    ),
    "list-marker": (
        "已删除提取时产生的“- ”列表标记。",
        "A '- ' list marker left by the extraction was removed.",
    ),
    "half-width": (
        "已将半角标点（括号、逗号、分号、冒号）改为全角。",
        "Half-width punctuation (brackets, commas, semicolons, colons) was made full-width.",
    ),
    "traditional": (
        "已将繁体字“服務”改为“服务”。",
        "The traditional form 服務 was normalised to 服务.",
    ),
}


def clause_path(article: int, paragraph: int | None = None, item: int | None = None) -> str:
    """The path of a clause below the work, e.g. ``art_46/para_1/item_5``."""
    path = f"art_{article}"
    if paragraph is not None:
        path += f"/para_{paragraph}"
        if item is not None:
            path += f"/item_{item}"
    return path


def citation(
    article: int, paragraph: int | None = None, item: int | None = None
) -> tuple[str, str]:
    """Human citations in Chinese and English: 第四十六条第一款第五项 / Article 46(1)(5)."""
    zh, en = f"第{from_int(article)}条", f"Article {article}"
    if paragraph is not None:
        zh, en = zh + f"第{from_int(paragraph)}款", en + f"({paragraph})"
        if item is not None:
            zh, en = zh + f"第{from_int(item)}项", en + f"({item})"
    return zh, en


def to_graph(
    regulation: Regulation, base: str = DEFAULT_BASE, english_titles: dict[int, str] | None = None
) -> Graph:
    """Build the legal-structure graph of ``regulation`` under ``base``.

    ``english_titles`` gives chapter titles in English for the chapters' English labels.
    """
    english_titles = english_titles or {}
    g = bind_prefixes(Graph(), base)
    work = work_iri(base)

    def part(parent: URIRef, child: URIRef, kind: str, number: int, position: int) -> None:
        g.add((child, RDF.type, ELI.LegalResourceSubdivision))
        g.add((child, ELI.is_part_of, parent))
        g.add((parent, ELI.has_part, child))
        g.add((child, ELI.type_subdivision, SUBDIVISION[kind]))
        g.add((child, ELI.number, Literal(str(number))))
        g.add((child, SCHEMA.position, Literal(position, datatype=XSD.integer)))

    def label(node: URIRef, zh: str, en: str) -> None:
        g.add((node, RDFS.label, Literal(zh, lang=ZH)))
        g.add((node, RDFS.label, Literal(en, lang="en")))

    def wording(node: URIRef, clause: Clause) -> None:
        g.add((node, GK.text, Literal(clause.text, lang=ZH)))
        if clause.verbatim != clause.text:
            g.add((node, GK.verbatimText, Literal(clause.verbatim)))
        for kind in clause.repairs:
            zh, en = REPAIR_NOTES[kind]
            g.add((node, SKOS.editorialNote, Literal(zh, lang=ZH)))
            g.add((node, SKOS.editorialNote, Literal(en, lang="en")))

    g.add((work, RDF.type, ELI.LegalResource))
    for chapter in regulation.chapters:
        chp = URIRef(f"{work}/chp_{chapter.number}")
        part(work, chp, "CHAPTER", chapter.number, chapter.number)
        g.add((chp, ELI.title, Literal(chapter.title, lang=ZH)))
        en_title = english_titles.get(chapter.number)
        en_label = f"Chapter {chapter.number}" + (f": {en_title}" if en_title else "")
        label(chp, f"第{from_int(chapter.number)}章 {chapter.title}", en_label)
        for position, article in enumerate(chapter.articles, start=1):
            art = URIRef(f"{work}/{clause_path(article.number)}")
            part(chp, art, "ARTICLE", article.number, position)
            label(art, *citation(article.number))
            for para in article.paragraphs:
                p = URIRef(f"{work}/{clause_path(article.number, para.number)}")
                part(art, p, "PARAGRAPH", para.number, para.number)
                label(p, *citation(article.number, para.number))
                wording(p, para)
                for item in para.items:
                    i = URIRef(f"{work}/{clause_path(article.number, para.number, item.number)}")
                    part(p, i, "POINT", item.number, item.number)
                    label(i, *citation(article.number, para.number, item.number))
                    wording(i, item)
    return g
