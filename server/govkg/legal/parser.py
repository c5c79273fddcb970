"""Parse the regulation's plain-text extraction into chapters, articles, paragraphs and items.

The text arrives as extracted from the published document, with known artefacts. The parser
repairs them and records every repair on the clause it touched, so that nothing is changed
silently:

* page breaks inside a sentence leave a blank line mid-sentence — a line that does not end a
  sentence is rejoined with the next one (``page-break``);
* article 46's items (五)–(八) carry ``- `` list markers (``list-marker``);
* half-width brackets, commas, semicolons and colons next to Chinese text become full-width
  (``half-width``);
* the traditional 服務 becomes 服务 (``traditional``).

The verbatim wording of every touched clause stays available. Lines outside the body (the
notice before 第一章 and the distribution list after article 69) are kept as front and back
matter so that the caller can account for every line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .numerals import to_int

_NUM = "[一二三四五六七八九十百零]+"
CHAPTER_RE = re.compile(rf"^第({_NUM})章\s*(\S.*)$")
ARTICLE_RE = re.compile(rf"^第({_NUM})条\s*(.*)$")
ITEM_RE = re.compile(rf"^[（(]({_NUM})[）)]\s*(.*)$")
LIST_MARKER_RE = re.compile(r"^-\s+")
SENTENCE_END = tuple("。；：;:！？!?")
BACK_MATTER_START = "抄送："

_CJK = r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef“”]"
_HALF_WIDTH = [
    (re.compile(rf"(?<={_CJK})\((?={_CJK})"), "（"),
    (re.compile(rf"(?<={_CJK})\)"), "）"),
    (re.compile(rf"(?<={_CJK}),\s*"), "，"),
    (re.compile(rf"(?<={_CJK});\s*"), "；"),
    (re.compile(rf"(?<={_CJK}):\s*"), "："),
]
TRADITIONAL = {"服務": "服务"}

REPAIR_KINDS = ("page-break", "list-marker", "half-width", "traditional")


class ParseError(ValueError):
    """The text does not have the structure of the regulation; says where."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.line = line
        super().__init__(f"line {line}: {message}" if line else message)


@dataclass
class Clause:
    """A paragraph (款) or an item (项): the leaves that hold the wording."""

    number: int
    text: str = ""
    verbatim: str = ""
    repairs: list[str] = field(default_factory=list)
    first_line: int = 0

    def add_repair(self, kind: str) -> None:
        if kind not in self.repairs:
            self.repairs.append(kind)


@dataclass
class Paragraph(Clause):
    items: list[Clause] = field(default_factory=list)


@dataclass
class Article:
    number: int
    paragraphs: list[Paragraph] = field(default_factory=list)
    line: int = 0


@dataclass
class Chapter:
    number: int
    title: str
    articles: list[Article] = field(default_factory=list)
    line: int = 0


@dataclass
class Regulation:
    chapters: list[Chapter]
    front_matter: list[str]
    back_matter: list[str]

    @property
    def articles(self) -> list[Article]:
        return [a for c in self.chapters for a in c.articles]

    def clauses(self) -> list[Clause]:
        """Every paragraph and item in document order."""
        out: list[Clause] = []
        for article in self.articles:
            for para in article.paragraphs:
                out.append(para)
                out.extend(para.items)
        return out


def normalise(text: str) -> tuple[str, list[str]]:
    """Apply the character-level repairs to one line; return it and the repair kinds applied."""
    kinds = []
    fixed = text
    for pattern, replacement in _HALF_WIDTH:
        fixed = pattern.sub(replacement, fixed)
    if fixed != text:
        kinds.append("half-width")
    for old, new in TRADITIONAL.items():
        if old in fixed:
            fixed = fixed.replace(old, new)
            kinds.append("traditional")
    return fixed, kinds


def parse(text: str) -> Regulation:
    """Parse the regulation; raise :class:`ParseError` with a line number on anything unexpected."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if CHAPTER_RE.match(line.strip())), None)
    if start is None:
        raise ParseError("no chapter heading (第…章) found: is this the regulation's text?")
    end = next(
        (i for i in range(start, len(lines)) if lines[i].strip().startswith(BACK_MATTER_START)),
        len(lines),
    )
    front = [line.strip() for line in lines[:start] if line.strip()]
    back = [line.strip() for line in lines[end:] if line.strip()]

    chapters: list[Chapter] = []
    open_clause: Clause | None = None  # the leaf that an unfinished sentence continues into
    blank_before = False
    for index in range(start, end):
        lineno = index + 1
        raw = lines[index].strip()
        if not raw:
            blank_before = True
            continue
        body, marker = LIST_MARKER_RE.subn("", raw)
        chapter_match = CHAPTER_RE.match(body)
        article_match = ARTICLE_RE.match(body)
        if open_clause is not None and not (chapter_match or article_match):
            # A sentence broken by a page break: rejoin it with the clause it belongs to.
            fixed, kinds = normalise(body)
            open_clause.text += fixed
            open_clause.verbatim += ("\n\n" if blank_before else "\n") + raw
            for kind in ["page-break", *kinds]:
                open_clause.add_repair(kind)
            open_clause = None if open_clause.text.endswith(SENTENCE_END) else open_clause
            blank_before = False
            continue
        if open_clause is not None:
            raise ParseError(f"clause ends mid-sentence before a heading: {raw[:20]!r}", lineno)
        blank_before = False

        if chapter_match:
            number = to_int(chapter_match.group(1))
            _expect(number, len(chapters) + 1, "chapter", lineno)
            chapters.append(Chapter(number, chapter_match.group(2).strip(), line=lineno))
            continue
        if not chapters:
            raise ParseError("text before the first chapter heading", lineno)
        chapter = chapters[-1]
        if article_match:
            number = to_int(article_match.group(1))
            previous = chapters[-2].articles if len(chapters) > 1 and not chapter.articles else []
            expected = (chapter.articles or previous or [Article(0)])[-1].number + 1
            _expect(number, expected, "article", lineno)
            chapter.articles.append(Article(number, line=lineno))
            clause: Clause = Paragraph(1, first_line=lineno)
            chapter.articles[-1].paragraphs.append(clause)
            content, verbatim = article_match.group(2), article_match.group(2)
        else:
            if not chapter.articles:
                raise ParseError("text between a chapter heading and its first article", lineno)
            article = chapter.articles[-1]
            item_match = ITEM_RE.match(body)
            if item_match:
                paragraph = article.paragraphs[-1]
                number = to_int(item_match.group(1))
                _expect(number, len(paragraph.items) + 1, "item", lineno)
                clause = Clause(number, first_line=lineno)
                paragraph.items.append(clause)
                content = item_match.group(2)
                if body.startswith("("):
                    clause.add_repair("half-width")
            else:
                clause = Paragraph(len(article.paragraphs) + 1, first_line=lineno)
                article.paragraphs.append(clause)
                content = body
            verbatim = raw
        fixed, kinds = normalise(content.strip())
        clause.text, clause.verbatim = fixed, verbatim
        for kind in (["list-marker"] if marker else []) + kinds:
            clause.add_repair(kind)
        if not fixed.endswith(SENTENCE_END):
            open_clause = clause
    if open_clause is not None:
        raise ParseError("the text ends mid-sentence", end)
    if not chapters:
        raise ParseError("no chapters found")
    return Regulation(chapters, front, back)


def parse_file(path: Path) -> Regulation:
    """Parse a UTF-8 text file; a decoding problem is reported as a :class:`ParseError`."""
    try:
        return parse(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ParseError(f"{path}: not UTF-8 text at byte {exc.start}") from exc


def _expect(number: int, expected: int, kind: str, lineno: int) -> None:
    if number != expected:
        raise ParseError(f"{kind} {number} found where {kind} {expected} was expected", lineno)
