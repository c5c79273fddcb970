"""The web pages against the real server (``govkg serve``): home, search, the pages of posts,
meetings, documents and procedures, the reader, "who is responsible?" and the record check.

Expected values are the regulation's own words (乐政发〔2022〕11号): article 46 says who sits in
on the executive meeting, article 59 who signs documents sent to higher governments, article 51
who signs minutes, article 67 whom a vice mayor asks for leave.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

ART_59_1 = "报送上级政府的公文、市政府发布的命令（令）和重大决定"
ART_46_1 = "市政府办公室副主任、市发改局、市司法局、市财政局主要负责人列席会议"
ART_67_1 = "长出访、出差和休假，应事先报市长审批"


def get(server, path: str, accept: str = "text/html", data: bytes | None = None,
        headers: dict | None = None) -> tuple[int, dict, str]:
    request = urllib.request.Request(server.url + path, data=data,
                                     headers={"Accept": accept, **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode("utf-8")


def q(text: str) -> str:
    return urllib.parse.quote(text)


def test_home_in_both_languages(server):
    status, headers, body = get(server, "/")
    assert status == 200
    assert '<html lang="zh-Hans">' in body
    assert 'role="search"' in body and 'action="/search"' in body
    for entry in ("/id/post/", "/id/body/", "/id/meeting-type/", "/id/document-type/",
                  "/id/procedure/", "/deadlines", "/eli/lzf/2022/11", "/who", "/check"):
        assert f'href="{entry}"' in body, entry
    status, headers, body = get(server, "/en/")
    assert status == 200
    assert '<html lang="en">' in body
    assert 'href="/en/id/post/"' in body
    assert headers["Content-Language"] == "en"
    assert get(server, "/?lang=en")[2].count('<html lang="en">') == 1


def test_search_finds_signing_rules_by_substring(server):
    status, _, body = get(server, "/search?q=" + q("签发"))
    assert status == 200
    assert 'href="/id/document-type/to-higher-government"' in body
    assert 'href="/eli/lzf/2022/11/art_59/para_1"' in body
    assert "第五十九条第一款" in body


@pytest.mark.parametrize(("query", "target"), [
    ("市府办", "/id/body/government-office"),            # alias of 市政府办公室
    ("市政府办公室", "/id/body/government-office"),
    ("常务副市长", "/id/post/executive-vice-mayor"),       # alias of 负责常务工作的副市长
    ("负责常务工作的副市长", "/id/post/executive-vice-mayor"),
    ("executive vice mayor", "/id/post/executive-vice-mayor"),
    ("谁签发会议纪要", "/eli/lzf/2022/11/art_51/para_1"),   # a phrase: cut into words
])
def test_search_labels_aliases_and_words(server, query, target):
    status, _, body = get(server, "/search?q=" + q(query))
    assert status == 200
    assert f'href="{target}"' in body or f'href="/en{target}"' in body


def test_search_empty_and_nothing_found(server):
    assert get(server, "/search?q=")[0] == 200
    status, _, body = get(server, "/search?q=" + q("量子计算机"))
    assert status == 200 and "没有找到结果" in body


def test_post_page_groups_responsibilities_with_clauses(server):
    status, headers, body = get(server, "/id/post/executive-vice-mayor")
    assert status == 200
    assert "<h1>负责常务工作的副市长</h1>" in body
    assert "常务副市长" in body                                  # the alias
    assert 'id="g-convene"' in body                              # convenes and chairs
    assert "市长或市长委托负责常务工作的副市长召集和主持市政府全体会议" in body  # art. 7 text
    assert 'rel="alternate"; type="text/turtle"' in headers["Link"]


def test_mayor_page_says_what_the_mayor_signs_and_is_asked(server):
    status, _, body = get(server, "/id/post/mayor")
    assert status == 200
    for group in ("g-convene", "g-sign", "g-leave"):
        assert f'id="{group}"' in body, group
    assert ART_59_1 in body
    assert ART_67_1 in body


def test_executive_meeting_lists_who_sits_in(server):
    status, _, body = get(server, "/id/meeting-type/executive")
    assert status == 200
    row = re.search(r'<tr id="role-nonvoting">(.*?)</tr>', body, re.S)
    assert row, "no 列席 row"
    assert "列席" in row.group(1)
    for name in ("市政府办公室副主任", "市发改局", "市司法局", "市财政局"):
        assert name in row.group(1), name
    assert ART_46_1 in row.group(1)
    members = re.search(r'<tr id="role-member">(.*?)</tr>', body, re.S).group(1)
    for name in ("市长", "副市长", "市政府办公室主任"):
        assert name in members


def test_document_page_draws_the_review_sign_chain(server):
    status, _, body = get(server, "/id/document-type/to-higher-government")
    assert status == 200
    svg = re.search(r"<svg .*?</svg>", body, re.S)
    assert svg, "no chain diagram"
    assert "市政府办公室主任" in svg.group(0) and "分管副市长" in svg.group(0)
    assert "市长" in svg.group(0) and "签发" in svg.group(0)
    assert svg.group(0).count('class="step"') == 3                # two reviews, then the mayor
    assert ART_59_1 in body


def test_office_document_chain_has_its_conditions(server):
    status, _, body = get(server, "/id/document-type/office-document")
    assert status == 200
    assert body.count("<svg ") >= 3                               # one chain per case of art. 59(2)
    assert "文内注明经市政府同意" in body


def test_procedure_page_lists_steps_in_order(server):
    status, _, body = get(server, "/id/procedure/major-decision")
    assert status == 200
    steps = re.findall(r'<li id="step-\d+">.*?<strong>(\d+)\.</strong>', body, re.S)
    assert steps and [int(s) for s in steps] == sorted(int(s) for s in steps)
    assert "第二十条" in body


def test_reader_has_every_chapter_and_article(server):
    status, _, body = get(server, "/eli/lzf/2022/11")
    assert status == 200
    articles = set(re.findall(r'<article class="art" id="art_(\d+)"', body))
    assert articles == {str(n) for n in range(1, 70)}
    assert len(re.findall(r'<section id="chp_\d+"', body)) == 13
    assert 'href="/id/fact/sign-major-documents-step-2"' in body   # facts link from art. 59


def test_clause_page_shows_text_and_derived_facts(server):
    status, _, body = get(server, "/eli/lzf/2022/11/art_59/para_1")
    assert status == 200
    assert ART_59_1 in body
    assert 'href="/id/fact/sign-major-documents-step-2"' in body
    status, _, body = get(server, "/id/fact/sign-major-documents-step-2")
    assert 'href="/eli/lzf/2022/11/art_59/para_1"' in body         # and the fact links back


def test_who_signs_documents_to_higher_governments(server):
    status, _, body = get(server, "/who?action=sign&object="
                          + q("/id/document-type/to-higher-government"))
    assert status == 200
    answer = body.split('id="s-answer"', 1)[1]
    assert 'href="/id/post/mayor"' in answer
    assert "第五十九条第一款" in answer and ART_59_1 in answer


def test_who_approves_a_vice_mayors_leave(server):
    status, _, body = get(server, "/en/who?action=leave&object=" + q("/id/post/vice-mayor"))
    assert status == 200
    answer = body.split('id="s-answer"', 1)[1]
    assert 'href="/en/id/post/mayor"' in answer
    assert 'href="/en/id/post/party-secretary"' in answer          # if on the standing committee
    assert "Article 67(1)" in answer


def test_who_rejects_bad_input(server):
    assert get(server, "/who?action=fly&object=/id/post/mayor")[0] == 400
    assert get(server, "/who?action=sign&object=/id/post/nobody")[0] == 404


def test_deadlines_page(server):
    status, _, body = get(server, "/deadlines")
    assert status == 200
    assert 'href="/id/fact/plenary-frequency"' in body             # art. 45: every half year
    assert "第四十五条第二款" in body


def test_record_check_reports_the_article(server):
    from govkg.web.check import EXAMPLE

    form = urllib.parse.urlencode({"records": EXAMPLE, "format": "auto"}).encode()
    status, _, body = get(server, "/check", data=form,
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200
    assert 'id="art-51"' in body
    assert "纪要不是由市长签发的" in body
    assert "第五十一条第一款" in body


def test_record_check_explains_unreadable_input(server):
    form = urllib.parse.urlencode({"records": "@prefix : <x> .\n:a :b", "format": "turtle"})
    status, _, body = get(server, "/en/check", data=form.encode(),
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 400
    assert "The records cannot be read" in body and "line 2" in body


def test_record_check_accepts_plain_json(server):
    records = ('{"id": "https://example.org/m1", "type": "Meeting", '
               '"meetingType": "mtg:executive"}')
    form = urllib.parse.urlencode({"records": records, "format": "auto"}).encode()
    status, _, body = get(server, "/en/check", data=form,
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200
    assert 'id="s-report"' in body


def test_unknown_resource_is_404_with_a_message(server):
    status, _, body = get(server, "/id/post/nobody")
    assert status == 404
    assert "https://w3id.org/govkg/yueqing/id/post/nobody" in body
    assert get(server, "/id/nothing/")[0] == 404


def test_api_and_sparql_pages_still_render(server):
    status, _, body = get(server, "/api/")
    assert status == 200 and "<main" in body
    status, _, body = get(server, "/sparql")
    assert status == 200 and "yasgui" in body.lower()
