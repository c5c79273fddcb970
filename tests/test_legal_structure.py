"""The regulation as a citable ELI graph: structure, wording, repairs, metadata (issue 2).

Expected values are read off the regulation's text, not off the parser's output.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from govkg import resources
from govkg.iris import ELI, GK, SCHEMA, SUBDIVISION, work_iri
from govkg.legal.build import legal_graph, output_path, serialise
from govkg.legal.numerals import from_int, to_int
from govkg.legal.parser import LIST_MARKER_RE, ParseError, normalise, parse
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

WORK = work_iri()
LR = str(WORK) + "/"
SOURCE = resources.path("data", "source", "yueqing-government-work-rules-2022.txt")


@pytest.fixture(scope="module")
def graph() -> Graph:
    return legal_graph()


def parts(graph: Graph, kind: str) -> set:
    return set(graph.subjects(ELI.type_subdivision, SUBDIVISION[kind]))


def children(graph: Graph, parent: URIRef, kind: str) -> list[URIRef]:
    found = [
        c
        for c in graph.objects(parent, ELI.has_part)
        if (c, ELI.type_subdivision, SUBDIVISION[kind]) in graph
    ]
    return sorted(found, key=lambda c: int(graph.value(c, SCHEMA.position)))


def text(graph: Graph, path: str) -> str:
    return str(graph.value(URIRef(LR + path), GK.text))


def test_thirteen_chapters_and_sixty_nine_articles(graph: Graph) -> None:
    assert len(parts(graph, "CHAPTER")) == 13
    assert len(parts(graph, "ARTICLE")) == 69
    assert {str(graph.value(a, ELI.number)) for a in parts(graph, "ARTICLE")} == {
        str(n) for n in range(1, 70)
    }


@pytest.mark.parametrize(
    ("article", "paragraphs", "items"),
    [(46, 2, [8, 0]), (47, 2, [5, 0]), (48, 2, [6, 0]), (59, 2, [0, 0]), (45, 2, [4, 0])],
)
def test_paragraph_and_item_counts(
    graph: Graph, article: int, paragraphs: int, items: list[int]
) -> None:
    paras = children(graph, URIRef(f"{LR}art_{article}"), "PARAGRAPH")
    assert len(paras) == paragraphs
    assert [len(children(graph, p, "POINT")) for p in paras] == items


def test_chapter_ten_holds_articles_44_to_52(graph: Graph) -> None:
    chapter = URIRef(LR + "chp_10")
    assert (chapter, ELI.title, Literal("会议制度", lang="zh-Hans")) in graph
    assert (chapter, ELI.title, Literal("Meetings", lang="en")) in graph
    numbers = [int(graph.value(a, ELI.number)) for a in children(graph, chapter, "ARTICLE")]
    assert numbers == list(range(44, 53))


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("art_8/para_1", "市长离开乐清（出差、出访）期间，由负责常务工作的副市长主持市政府工作。"),
        (
            "art_59/para_1",
            "以市政府名义发文的，经有关办公室副主任审核后，一般由分管副市长签发；已经市政府常务会议审议的规范性文件，"
            "经有关办公室副主任审核后，一般由分管副市长签发。报送上级政府的公文、市政府发布的命令（令）和重大决定、"
            "涉及全市经济社会发展全局和关系人民群众切身利益的重大公文、向市人大及其常委会提出的议案，"
            "经市政府办公室主任、分管副市长审核后，由市长签署或签发。",
        ),
        ("art_46/para_1/item_5", "讨论提请市委决定的重要事项；"),
        ("art_46/para_1/item_8", "通报和讨论市政府其他重要事项。"),
        (
            "art_46/para_2",
            "市政府常务会议一般每月召开一至两次。根据需要可安排有关乡镇（街道）、功能区、部门单位负责人列席会议。",
        ),
        (
            "art_47/para_1",
            "市长办公会议由市长或市长委托负责常务工作的副市长召集和主持。副市长，市政府办公室主任、副主任参加，"
            "市发改局、市司法局、市财政局主要负责人列席会议。市长办公会议的主要任务是：",
        ),
        (
            "art_48/para_1",
            "市政府专题会议根据需要不定期召开，由市长、副市长或市长、副市长委托市政府办公室主任、副主任召集和主持。"
            "市政府专题会议的主要任务是：",
        ),
        (
            "art_69/para_2",
            "2020年3月12日发布的《乐清市人民政府工作规则》（乐政发〔2020〕21号）同时废止。",
        ),
        (
            "art_58/para_1",
            "各乡镇（街道）、功能区、部门单位报送市政府审批的公文，由市政府办公室按照市政府领导分工呈批，"
            "并根据需要由市政府领导转请其他市政府领导核批，重大事项报市长审批。",
        ),
    ],
)
def test_exact_text(graph: Graph, path: str, expected: str) -> None:
    assert text(graph, path) == expected


def test_page_breaks_are_rejoined_where_the_text_breaks(graph: Graph) -> None:
    assert "坚定“四个自信”" in text(graph, "art_5/para_1")
    assert "调节收入分配职能" in text(graph, "art_15/para_1")
    repaired = {
        int(re.search(r"art_(\d+)/", str(s)).group(1))
        for s, note in graph.subject_objects(
            URIRef("http://www.w3.org/2004/02/skos/core#editorialNote")
        )
        if "page break" in str(note)
    }
    # The articles that the source's README lists as broken by page breaks.
    assert repaired == {5, 11, 15, 19, 22, 25, 40, 48, 51, 58, 62, 67}
    verbatim = str(graph.value(URIRef(LR + "art_5/para_1"), GK.verbatimText))
    assert "四个自\n\n信" in verbatim


def test_traditional_characters_are_normalised_but_kept_verbatim(graph: Graph) -> None:
    for path in ("art_31/para_2", "art_32/para_1"):
        assert "服務" not in text(graph, path)
        assert "服务水平" in text(graph, path) or "管理和服务" in text(graph, path)
        assert "服務" in str(graph.value(URIRef(LR + path), GK.verbatimText))


def test_article_46_half_width_items_are_items(graph: Graph) -> None:
    item = URIRef(LR + "art_46/para_1/item_6")
    assert (item, RDF.type, ELI.LegalResourceSubdivision) in graph
    assert graph.value(item, ELI.is_part_of) == URIRef(LR + "art_46/para_1")
    assert (
        str(graph.value(item, GK.verbatimText)) == "- (六) 讨论提请市人大及其常委会审议的重要事项;"
    )
    assert text(graph, "art_46/para_1/item_6") == "讨论提请市人大及其常委会审议的重要事项；"


def _body_lines() -> list[str]:
    lines = SOURCE.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("第一章"))
    end = next(i for i, line in enumerate(lines) if line.startswith("抄送："))
    return lines[start:end]


def test_every_character_of_the_body_lands_once_in_order(graph: Graph) -> None:
    """Reassemble the body from the graph and compare it with the repaired source text."""
    squash = re.compile(r"\s+")
    expected = "".join(
        squash.sub("", normalise(LIST_MARKER_RE.sub("", line.strip()))[0]) for line in _body_lines()
    )
    expected = expected.replace("(", "（").replace(")", "）")  # item markers of art. 47

    rebuilt = []
    for chapter in children(graph, WORK, "CHAPTER"):
        number = int(graph.value(chapter, ELI.number))
        title = next(t for t in graph.objects(chapter, ELI.title) if t.language == "zh-Hans")
        rebuilt.append(f"第{from_int(number)}章{title}")
        for article in children(graph, chapter, "ARTICLE"):
            rebuilt.append(f"第{from_int(int(graph.value(article, ELI.number)))}条")
            for para in children(graph, article, "PARAGRAPH"):
                rebuilt.append(str(graph.value(para, GK.text)))
                for item in children(graph, para, "POINT"):
                    rebuilt.append(f"（{from_int(int(graph.value(item, ELI.number)))}）")
                    rebuilt.append(str(graph.value(item, GK.text)))
    assert squash.sub("", "".join(rebuilt)) == expected
    assert len(expected) > 8500  # the whole body, not a fragment


def test_numerals_one_to_sixty_nine() -> None:
    assert [from_int(n) for n in (1, 10, 16, 20, 21, 59, 69)] == [
        "一",
        "十",
        "十六",
        "二十",
        "二十一",
        "五十九",
        "六十九",
    ]
    assert to_int("六十九") == 69
    assert all(to_int(from_int(n)) == n for n in range(1, 70))
    with pytest.raises(ValueError):
        to_int("第")


def test_headings_of_the_text_give_the_article_numbers(graph: Graph) -> None:
    headings = [m.group(1) for m in re.finditer(r"^第(\S+?)条 ", SOURCE.read_text("utf-8"), re.M)]
    assert [to_int(h) for h in headings] == list(range(1, 70))


def test_metadata_triples(graph: Graph) -> None:
    assert (WORK, RDF.type, ELI.LegalResource) in graph
    assert (WORK, ELI.id_local, Literal("乐政发〔2022〕11号")) in graph
    assert (WORK, ELI.date_publication, Literal("2022-06-09", datatype=XSD.date)) in graph
    repealed = URIRef(LR.replace("2022/11/", "2020/21"))
    assert (WORK, ELI.repeals, repealed) in graph
    assert (repealed, ELI.id_local, Literal("乐政发〔2020〕21号")) in graph
    assert (repealed, ELI.date_publication, Literal("2020-03-12", datatype=XSD.date)) in graph
    assert (
        WORK,
        ELI.passed_by,
        URIRef("https://w3id.org/govkg/yueqing/id/body/government"),
    ) in graph
    assert (
        WORK,
        DCTERMS.accessRights,
        URIRef("http://publications.europa.eu/resource/authority/access-right/PUBLIC"),
    ) in graph
    assert len(set(graph.objects(WORK, GK.copyRecipient))) == 8
    session = graph.value(WORK, GK.adoptedAt)
    assert Literal("十七届市政府第一次常务会议", lang="zh-Hans") in set(
        graph.objects(session, None)
    )


def test_citations_are_labels(graph: Graph) -> None:
    labels = set(graph.objects(URIRef(LR + "art_46/para_1/item_5"), None))
    assert Literal("第四十六条第一款第五项", lang="zh-Hans") in labels
    assert Literal("Article 46(1)(5)", lang="en") in labels


def test_checked_in_graph_equals_a_fresh_build(graph: Graph) -> None:
    assert output_path().read_text(encoding="utf-8") == serialise(graph)


def test_base_iri_is_configurable() -> None:
    moved = legal_graph("https://example.org/gov/")
    assert (
        URIRef("https://example.org/gov/eli/lzf/2022/11/art_59/para_2"),
        RDF.type,
        ELI.LegalResourceSubdivision,
    ) in moved
    assert not any(str(s).startswith("https://w3id.org/govkg/yueqing/") for s in moved.subjects())


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda t: t.replace("第四十六条", "第四十七条", 1), "article 47 found where article 46"),
        (
            lambda t: t.replace("（三）讨论决定市政府工作中的重要事项", "（四）讨论决定", 1),
            "item 4 found where item 3",
        ),
        (lambda t: t.replace("第一章 总则", "总则"), "chapter 2 found where chapter 1"),
        (lambda t: t.replace("第", "弟"), "no chapter heading"),
        (lambda t: t.replace("同时废止。", "同时废止"), "mid-sentence"),
    ],
)
def test_malformed_text_is_refused_with_its_line(mutate, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse(mutate(SOURCE.read_text(encoding="utf-8")))


def test_parse_error_names_the_line() -> None:
    broken = SOURCE.read_text(encoding="utf-8").replace("第四十六条", "第四十七条", 1)
    with pytest.raises(ParseError) as info:
        parse(broken)
    line = next(n for n, text in enumerate(broken.splitlines(), 1) if text.startswith("第四十七条"))
    assert info.value.line == line


def test_output_path_is_the_checked_in_file() -> None:
    assert output_path() == Path(resources.path("data", "legal", "yueqing-work-rules-2022.ttl"))
