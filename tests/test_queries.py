"""The named questions in queries/ answer what the regulation says.

Every expected value below is read off the regulation (data/source/…2022.txt; the article is
cited in a comment) and written as the fixed IRIs of docs/conventions.md, or as words of the
text where an answer has no fixed IRI. None is pasted from a query's output.

Most tests run the questions on the embedded store, loaded by ``govkg.dataset.load`` exactly as
the server loads it, with parameters bound as ``GET /api/queries/<name>`` binds them (the
loader's defaults and typed terms). A few go through the real HTTP server.
"""

from __future__ import annotations

import csv
import io
import json
import urllib.parse

import pyoxigraph as ox
import pytest
from govkg import dataset, resources
from govkg.api import loader
from test_sparql_protocol import request

ID = "https://w3id.org/govkg/yueqing/id/"
POST, BODY, ROLE = ID + "post/", ID + "body/", ID + "role/"
MTG, DOC, PROC, FACT = ID + "meeting-type/", ID + "document-type/", ID + "procedure/", ID + "fact/"
GK = "https://w3id.org/govkg/ontology#"
LR = "https://w3id.org/govkg/yueqing/eli/lzf/2022/11/"
LEGAL = "https://w3id.org/govkg/yueqing/graph/legal"

QUESTIONS = loader.load_all(resources.path("queries"))
# Questions whose answer is not a set of facts, so has no clause column.
NO_CLAUSE = {"graph_stats", "chapter_articles", "article_coverage"}
# A required parameter left without a default on purpose (tests/test_api.py asks for the 400),
# and the value that stands in for it here (chapter 12, 公文审批).
EXAMPLES = {"chapter_articles": {"chapter": "12"}}


@pytest.fixture(scope="module")
def store() -> ox.Store:
    loaded = ox.Store()
    dataset.load(loaded)
    return loaded


def ask(store: ox.Store, name: str, **params: str) -> list[dict[str, str]]:
    """Run a named question with its defaults overridden by ``params``; rows as strings."""
    question = QUESTIONS[name]
    unknown = set(params) - {p.name for p in question.parameters}
    assert not unknown, f"{name} has no parameter {unknown}"
    bindings = {}
    for p in question.parameters:
        raw = params.get(p.name, p.default)
        if raw:
            bindings[ox.Variable(p.variable)] = p.term(raw)
    result = store.query(question.text, substitutions=bindings or None,
                         use_default_graph_as_union=True)
    names = [v.value for v in result.variables if v.value not in question.hidden]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]


def col(rows: list[dict[str, str]], name: str) -> set[str]:
    return {r[name] for r in rows if name in r}


def pairs(rows: list[dict[str, str]], *names: str) -> set[tuple[str, ...]]:
    return {tuple(r.get(n, "") for n in names) for r in rows}


def split(value: str | None) -> set[str]:
    """The members of a GROUP_CONCAT column (separator "; ")."""
    return set(value.split("; ")) if value else set()


def articles(rows: list[dict[str, str]]) -> set[int]:
    return {int(r["article"]) for r in rows}


def clause(article: int, para: int = 1, item: int | None = None) -> str:
    return f"{LR}art_{article}/para_{para}" + (f"/item_{item}" if item else "")


# --- every question: a complete header, and defaults that answer ------------------------------

def test_there_are_at_least_forty_questions() -> None:
    assert len(QUESTIONS) >= 40


@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_header_is_complete(name: str) -> None:
    question = QUESTIONS[name]
    assert question.summary.get("en") and question.summary.get("zh-Hans")
    assert question.description.get("en") and question.description.get("zh-Hans")
    assert question.tags
    for p in question.parameters:
        assert p.kind in ("iri", "number", "literal", "typed", "lang"), p
        assert p.labels.get("zh-Hans") and p.labels.get("en"), f"{name}: {p.name} unlabelled"
        if p.required:
            assert p.default or p.name in EXAMPLES.get(name, {}), f"{name}: {p.name} no default"


@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_defaults_answer_with_labelled_columns(store: ox.Store, name: str) -> None:
    rows = ask(store, name, **EXAMPLES.get(name, {}))
    assert rows, f"{name} with its defaults returns no row"
    for column in rows[0]:
        labels = QUESTIONS[name].labels.get(column, {})
        assert labels.get("zh-Hans") and labels.get("en"), f"{name}: column {column} unlabelled"


@pytest.mark.parametrize("name", sorted(set(QUESTIONS) - NO_CLAUSE))
def test_answers_cite_a_clause_of_the_regulation(store: ox.Store, name: str) -> None:
    rows = ask(store, name)
    texts = {r["clause"]: r["text"] for r in rows}
    assert texts and all(c.startswith(LR) and "/para_" in c for c in texts)
    assert all(texts.values())
    if "article" in rows[0]:
        assert all(r["clause"].startswith(f"{LR}art_{r['article']}/") for r in rows)


def test_catalogue_lists_every_question() -> None:
    catalogue = resources.path("docs", "queries.md")
    if not catalogue.exists():
        pytest.skip("docs/ is not installed with the package")
    headings = {line.removeprefix("### ").strip("`") for line in
                catalogue.read_text(encoding="utf-8").splitlines() if line.startswith("### `")}
    assert headings == set(QUESTIONS)


def test_english_labels_on_request(store: ox.Store) -> None:
    rows = ask(store, "meeting_chairs", language="en")
    assert col(rows, "meetingLabel") == {"executive meeting of the municipal government"}
    assert col(rows, "citation") == {"Article 7(1)", "Article 46(1)"}


# --- meetings (chapter 10, article 7) -----------------------------------------------------------

def test_meeting_conveners_topical(store: ox.Store) -> None:
    # Art. 48: 由市长、副市长或市长、副市长委托市政府办公室主任、副主任召集和主持
    rows = ask(store, "meeting_conveners")
    assert col(rows, "convener") == {POST + "mayor", POST + "vice-mayor", POST + "office-director",
                                     POST + "office-deputy-director"}
    assert col(rows, "clause") == {clause(48)}
    for r in rows:
        entrusted = "委托" in r.get("conditions", "")
        assert entrusted == r["convener"].startswith(POST + "office-"), r


def test_meeting_conveners_by_alias(store: ox.Store) -> None:
    # Art. 7, 45: 由市长或市长委托负责常务工作的副市长召集和主持 (全体会议)
    rows = ask(store, "meeting_conveners", label="全体会议")
    assert col(rows, "meeting") == {MTG + "plenary"}
    assert col(rows, "convener") == {POST + "mayor", POST + "executive-vice-mayor"}
    assert articles(rows) == {7, 45}


def test_meeting_chairs_executive(store: ox.Store) -> None:
    # Art. 7, 46: 由市长或市长委托负责常务工作的副市长召集和主持 (常务会议)
    rows = ask(store, "meeting_chairs")
    assert col(rows, "chair") == {POST + "mayor", POST + "executive-vice-mayor"}
    assert col(rows, "clause") == {clause(7), clause(46)}
    assert {r["chair"] for r in rows if "委托" in r.get("conditions", "")} == {
        POST + "executive-vice-mayor"}
    assert col(rows, "strengthLabel") == {"硬性规定"}


def test_meeting_chairs_by_english_label(store: ox.Store) -> None:
    # Art. 47: 市长办公会议由市长或市长委托负责常务工作的副市长召集和主持
    rows = ask(store, "meeting_chairs", label="mayor's office meeting")
    assert col(rows, "chair") == {POST + "mayor", POST + "executive-vice-mayor"}
    assert 47 in articles(rows)


def test_meeting_members_executive(store: ox.Store) -> None:
    # Art. 46: 市政府常务会议由市长、副市长、市政府办公室主任组成
    rows = ask(store, "meeting_members", meeting=MTG + "executive")
    assert col(rows, "member") == {POST + "mayor", POST + "vice-mayor", POST + "office-director"}
    assert col(rows, "clause") == {clause(46)}


def test_meeting_members_plenary(store: ox.Store) -> None:
    # Art. 45: 市政府全体会议由市长、副市长，市政府组成部门的主要负责人组成
    rows = ask(store, "meeting_members")
    assert len(rows) == 3 and col(rows, "clause") == {clause(45)}
    assert {POST + "mayor", POST + "vice-mayor"} < col(rows, "member")
    (third,) = col(rows, "memberLabel") - {"市长", "副市长"}
    assert "组成部门" in third and "主要负责人" in third


def test_meeting_nonvoting_attendees_executive(store: ox.Store) -> None:
    # Art. 46(1): 市政府办公室副主任、市发改局、市司法局、市财政局主要负责人列席会议 (hard);
    # art. 46(2): 根据需要可安排有关乡镇（街道）、功能区、部门单位负责人列席会议 (may)
    rows = ask(store, "meeting_nonvoting_attendees")
    hard = [r for r in rows if r["clause"] == clause(46)]
    may = [r for r in rows if r["clause"] == clause(46, 2)]
    assert len(hard) + len(may) == len(rows)
    assert POST + "office-deputy-director" in col(hard, "attendee")
    bureaus = col(hard, "attendeeLabel") - {"市政府办公室副主任"}
    assert len(bureaus) == 3 and all("主要负责人" in b for b in bureaus)
    assert {b[:4] for b in bureaus} == {"市发改局", "市司法局", "市财政局"}
    assert col(hard, "strengthLabel") == {"硬性规定"}
    assert col(may, "attendee") == {POST + "township-leader", POST + "department-leader"}
    assert col(may, "modalityLabel") == {"可"} and col(may, "strengthLabel") == {"裁量"}


def test_meeting_invitees_executive(store: ox.Store) -> None:
    # Art. 46(1): 邀请市人大、政协、人武部、监委相关领导参加
    rows = ask(store, "meeting_invitees")
    assert col(rows, "clause") == {clause(46)} and len(rows) == 4
    labels = col(rows, "inviteeLabel")
    for body in ("人大", "政协", "人武部", "监委"):
        assert sum(body in label for label in labels) == 1, body


def test_meeting_participants_mayor_office(store: ox.Store) -> None:
    # Art. 47: 副市长，市政府办公室主任、副主任参加
    rows = ask(store, "meeting_participants")
    assert col(rows, "participant") == {POST + "vice-mayor", POST + "office-director",
                                        POST + "office-deputy-director"}
    assert col(rows, "clause") == {clause(47)}


def test_meeting_participants_topical_by_topic(store: ox.Store) -> None:
    # Art. 48(2): 根据议题内容，分别召集有关乡镇（街道）、功能区、部门单位负责人参加会议
    rows = ask(store, "meeting_participants", meeting=MTG + "topical")
    assert col(rows, "participant") == {POST + "township-leader", POST + "department-leader"}
    assert col(rows, "clause") == {clause(48, 2)}


def test_meeting_attendance_mayor_office(store: ox.Store) -> None:
    # Art. 7, 47: 市长或受委托的常务副市长召集和主持；副市长，市政府办公室主任、副主任参加；
    # 市发改局、市司法局、市财政局主要负责人列席；根据需要可安排有关负责人列席
    rows = ask(store, "meeting_attendance")
    by_role: dict[str, set[str]] = {}
    for r in rows:
        by_role.setdefault(r["role"].removeprefix(GK), set()).add(r["attendee"])
    assert set(by_role) == {"attendance-convene", "attendance-chair", "attendance-participate",
                            "attendance-nonvoting"}
    assert by_role["attendance-convene"] == by_role["attendance-chair"] == {
        POST + "mayor", POST + "executive-vice-mayor"}
    assert by_role["attendance-participate"] == {POST + "vice-mayor", POST + "office-director",
                                                 POST + "office-deputy-director"}
    assert {POST + "township-leader", POST + "department-leader"} < by_role[
        "attendance-nonvoting"]
    assert len(by_role["attendance-nonvoting"]) == 5


@pytest.mark.parametrize(("meeting", "least", "most", "period", "unit", "article"), [
    ("plenary", "1", "1", "6", "个月", 45),      # art. 45(2): 一般每半年召开一次
    ("executive", "1", "2", "1", "个月", 46),    # art. 46(2): 一般每月召开一至两次
    ("mayor-office", "1", "1", "1", "个月", 47),  # art. 47(2): 一般每月召开一次
])
def test_meeting_frequency(store, meeting, least, most, period, unit, article) -> None:
    (row,) = ask(store, "meeting_frequency", meeting=MTG + meeting)
    assert (row["minCount"], row["maxCount"], row["period"], row["unitLabel"]) == (
        least, most, period, unit)
    assert row["modalityLabel"] == "一般" and row["strengthLabel"] == "默认规定"
    assert row["clause"] == clause(article, 2)


def test_meeting_frequency_topical_is_as_needed(store: ox.Store) -> None:
    # Art. 48(1): 市政府专题会议根据需要不定期召开
    (row,) = ask(store, "meeting_frequency", label="专题会议", language="en")
    assert "minCount" not in row and "maxCount" not in row
    assert row["frequencyLabel"] == "irregular" and row["clause"] == clause(48)


@pytest.mark.parametrize(("meeting", "items"), [
    ("plenary", 4), ("executive", 8), ("mayor-office", 5), ("topical", 6)])
def test_meeting_tasks_follow_the_items(store, meeting, items) -> None:
    # Arts. 45–48 list the main tasks as items (一)…: 4, 8, 5 and 6 of them
    rows = ask(store, "meeting_tasks", meeting=MTG + meeting)
    article = {"plenary": 45, "executive": 46, "mayor-office": 47, "topical": 48}[meeting]
    assert [r["clause"] for r in rows] == [clause(article, 1, i) for i in range(1, items + 1)]


def test_meeting_tasks_executive_deliberates_normative_documents(store: ox.Store) -> None:
    # Art. 46(1)(四): 审议市政府行政规范性文件草案
    rows = ask(store, "meeting_tasks")
    (row,) = [r for r in rows if r["clause"] == clause(46, 1, 4)]
    assert row["actions"] == "审议" and row["targets"] == "行政规范性文件"


def test_meeting_leave_executive(store: ox.Store) -> None:
    # Art. 50: 副市长、市政府办公室主任…须向市长请假；乡镇（街道）、功能区、部门单位负责人和
    # 列席人员…须向市政府办公室主任请假，并指派专人参加
    rows = ask(store, "meeting_leave")
    assert pairs(rows, "absentee", "approver") == {
        (POST + "vice-mayor", POST + "mayor"), (POST + "office-director", POST + "mayor"),
        (POST + "township-leader", POST + "office-director"),
        (POST + "department-leader", POST + "office-director"),
        (ROLE + "nonvoting-attendee", POST + "office-director")}
    assert col(rows, "modalityLabel") == {"须"} and col(rows, "clause") == {clause(50)}
    for r in rows:
        assert (r.get("alsoMust") == "指派专人参加") == (r["approver"] == POST + "office-director")


def test_meeting_leave_does_not_cover_topical_meetings(store: ox.Store) -> None:
    # Art. 50 names the plenary, executive and mayor's office meetings only
    assert ask(store, "meeting_leave", meeting=MTG + "topical") == []


def test_meeting_rules_work_deployment(store: ox.Store) -> None:
    # Art. 52: 工作部署类会议，时长一般不超过90分钟；会议一般不安排交流发言、表彰等议程
    rows = ask(store, "meeting_rules")
    assert col(rows, "clause") == {clause(52)}
    kinds = {r["kindLabel"]: r for r in rows}
    assert {"限额", "禁止"} <= set(kinds)
    assert kinds["限额"]["modalityLabel"] == kinds["禁止"]["modalityLabel"] == "一般"


def test_post_meetings_office_director(store: ox.Store) -> None:
    # Art. 46: 常务会议由…市政府办公室主任组成; art. 47: 办公室主任…参加 (市长办公会议);
    # art. 48: 受市长、副市长委托召集和主持专题会议
    rows = ask(store, "post_meetings")
    assert {(m.removeprefix(MTG), r.removeprefix(GK)) for m, r in pairs(rows, "meeting", "role")} \
        == {("executive", "attendance-member"), ("mayor-office", "attendance-participate"),
            ("topical", "attendance-convene"), ("topical", "attendance-chair")}
    assert articles(rows) == {46, 47, 48}


def test_post_meetings_through_a_more_general_post(store: ox.Store) -> None:
    # The executive vice mayor is a vice mayor: art. 48 (专题会议由…副市长…召集和主持) and
    # art. 52 (全市性会议…由市长、副市长召集和主持) apply; art. 7 entrusts the rest
    rows = ask(store, "post_meetings", label="常务副市长")
    found = pairs(rows, "meeting", "role", "via")
    assert (MTG + "topical", GK + "attendance-chair", POST + "vice-mayor") in found
    assert (MTG + "citywide", GK + "attendance-convene", POST + "vice-mayor") in found
    assert (MTG + "plenary", GK + "attendance-chair", POST + "executive-vice-mayor") in found
    assert (MTG + "executive", GK + "attendance-member", POST + "vice-mayor") in found


# --- documents (chapter 12, article 51, chapter 11) ---------------------------------------------

def test_document_signers_government_document(store: ox.Store) -> None:
    # Art. 59(1): 以市政府名义发文的，经有关办公室副主任审核后，一般由分管副市长签发
    (row,) = ask(store, "document_signers")
    assert row["signer"] == ROLE + "vice-mayor-in-charge"
    assert row["actions"] == "签发" and row["modalityLabel"] == "一般"
    assert row["strengthLabel"] == "默认规定" and row["clause"] == clause(59)


def test_document_signers_order(store: ox.Store) -> None:
    # Art. 59(1): 市政府发布的命令（令）…由市长签署或签发
    (row,) = ask(store, "document_signers", label="市政府发布的命令（令）")
    assert row["signer"] == POST + "mayor" and split(row["actions"]) == {"签署", "签发"}
    assert row["strengthLabel"] == "硬性规定"


def test_document_signers_office_document(store: ox.Store) -> None:
    # Art. 59(2): 一般由市政府办公室主任或有关副主任签发；内容重要、涉及面广的，由市政府办公室
    # 主任签发；文内注明经市政府同意的，须呈分管副市长或市长签发，有的可由市政府办公室主任视情
    # 签发 — all "(行政规范性文件除外)"
    rows = ask(store, "document_signers", document=DOC + "office-document")
    assert pairs(rows, "signer", "modalityLabel") == {
        (POST + "office-director", "一般"), (ROLE + "office-deputy-director-concerned", "一般"),
        (POST + "office-director", "陈述式规定"),
        (ROLE + "vice-mayor-in-charge", "须"), (POST + "mayor", "须"),
        (POST + "office-director", "可")}
    assert all("行政规范性文件" in r["exceptions"] for r in rows)


def test_document_reviewers(store: ox.Store) -> None:
    # Art. 59(1): 重大决定…经市政府办公室主任、分管副市长审核后，由市长签署或签发
    rows = ask(store, "document_reviewers")
    assert col(rows, "reviewer") == {POST + "office-director", ROLE + "vice-mayor-in-charge"}
    # 以市政府名义发文的，经有关办公室副主任审核
    rows = ask(store, "document_reviewers", document=DOC + "government-document")
    assert col(rows, "reviewer") == {ROLE + "office-deputy-director-concerned"}


def test_document_approval_chain_is_in_order(store: ox.Store) -> None:
    # Art. 59(1): 报送上级政府的公文…经市政府办公室主任、分管副市长审核后，由市长签署或签发
    rows = ask(store, "document_approval_chain", document=DOC + "to-higher-government")
    assert [int(r["position"]) for r in rows] == sorted(int(r["position"]) for r in rows)
    first = {r["step"] for r in rows if r["position"] == "1"}
    last = [r for r in rows if r["position"] == "2"]
    assert len(first) == 2 and {r["actions"] for r in rows if r["step"] in first} == {"审核"}
    assert len(last) == 1 and "市长" in last[0]["assignees"]


def test_document_approval_chain_office_document_cases(store: ox.Store) -> None:
    # Art. 59(2) distinguishes: the general case, 内容重要、涉及面广, 文内注明经市政府同意
    rows = ask(store, "document_approval_chain")
    assert len(col(rows, "chain")) == 3
    conditions = {r.get("chainConditions", "") for r in rows}
    assert {"", "内容重要、涉及面广", "文内注明经市政府同意"} <= conditions
    assert col(rows, "chainExceptions") == {"属行政规范性文件"}


@pytest.mark.parametrize("meeting", ["plenary", "executive", "mayor-office"])
def test_minutes_signers_government_meetings(store: ox.Store, meeting: str) -> None:
    # Art. 51: 市政府全体会议、市政府常务会议、市长办公会议的纪要由市长签发
    (row,) = ask(store, "minutes_signers", meeting=MTG + meeting)
    assert row["signer"] == POST + "mayor" and row["actions"] == "签发"
    assert row["clause"] == clause(51)


def test_minutes_signers_topical(store: ox.Store) -> None:
    # Art. 51: 专题会议纪要由主持会议的市长或副市长签发；由市政府办公室主任、副主任主持的，
    # 报分管副市长审签，如有必要可报市长审签
    rows = ask(store, "minutes_signers")
    assert pairs(rows, "signer", "position", "actions", "modalityLabel") == {
        (ROLE + "meeting-chair", "1", "签发", "陈述式规定"),
        (ROLE + "vice-mayor-in-charge", "1", "审签", "陈述式规定"),
        (POST + "mayor", "2", "审签", "可")}


def test_post_signing_powers_mayor(store: ox.Store) -> None:
    # Art. 51 (纪要由市长签发), 58 (重大事项报市长审批), 59(1) (由市长签署或签发),
    # 59(2) (须呈分管副市长或市长签发), 67 (副市长、部门主要负责人…应事先报市长审批)
    rows = ask(store, "post_signing_powers")
    assert {51, 58, 59, 67} <= articles(rows)
    assert {(r["clause"], r["howLabel"]) for r in rows if r["article"] == "67"} == {
        (clause(67), "受理报批并审批")}
    leave = [r for r in rows if r["article"] == "67"]
    assert len(leave) == 2 and all(split(r["targets"]) == {"出访", "出差", "休假"} for r in leave)


def test_post_signing_powers_office_director(store: ox.Store) -> None:
    # Art. 55: 督办单经市府办主任或副主任签批; art. 56: 工作提示单由市府办主任审签;
    # art. 59(2): 以市政府办公室名义发文…由市政府办公室主任签发
    rows = ask(store, "post_signing_powers", post=POST + "office-director")
    assert {55, 56, 59} <= articles(rows)
    assert ("督办单", "签批") in pairs(rows, "targets", "actions")
    assert ("工作提示单", "审签") in pairs(rows, "targets", "actions")


def test_signing_authorities_sign(store: ox.Store) -> None:
    # 签署 appears once: art. 59(1) 由市长签署或签发
    rows = ask(store, "signing_authorities", action=GK + "action-sign")
    assert [(r["signers"], r["clause"]) for r in rows] == [("市长", clause(59))]


def test_signing_authorities_cover_every_signing_article(store: ox.Store) -> None:
    # 签发/签署/签批/审签/审批/核批 occur in arts. 51, 52 (报市政府办公室审批), 55, 56, 58, 59, 67
    rows = ask(store, "signing_authorities")
    assert {51, 52, 55, 56, 58, 59, 67} <= articles(rows)


def test_document_rules_normative_documents(store: ox.Store) -> None:
    # 行政规范性文件 appears in arts. 24, 25, 26, 34, 46(1)(四) and 59
    rows = ask(store, "document_rules")
    assert {24, 25, 26, 34, 46, 59} <= articles(rows)
    (filing,) = [r for r in rows if "15" in r["factLabel"]]
    assert filing["clause"] == clause(25)


def test_document_rules_normative_documents_prohibitions(store: ox.Store) -> None:
    # Art. 26(1): 行政规范性文件不得设定行政许可、行政处罚、行政强制、行政收费等事项，不得违法
    # 减损公民、法人和其他组织的权利或增加其义务
    rows = ask(store, "document_rules")
    assert len([r for r in rows if r["clause"] == clause(26) and r["kindLabel"] == "禁止"]) == 2


# --- procedures ---------------------------------------------------------------------------------

def test_procedure_steps_meeting_topic(store: ox.Store) -> None:
    # Art. 49: 议题，由市政府分管副市长协调、审核后提出，市政府办公室汇总后报市长确定
    rows = ask(store, "procedure_steps")
    assert [(r["position"], r["actions"]) for r in rows] == [
        ("1", "协调"), ("2", "审核"), ("3", "提出"), ("4", "汇总"), ("5", "确定")]
    assert [r["assignees"] for r in rows][-1] == "市长"
    assert col(rows, "clause") == {clause(49)}


def test_procedure_steps_normative_document_filing_deadline(store: ox.Store) -> None:
    # Art. 25(1): 部门的行政规范性文件要按规定自发布之日起15日内向市政府备案
    rows = ask(store, "procedure_steps", label="行政规范性文件制定")
    (filing,) = [r for r in rows if "deadline" in r]
    assert (filing["deadline"], filing["unitLabel"], filing["actions"]) == ("15", "日", "备案")
    assert filing["clause"] == clause(25)
    assert [int(r["position"]) for r in rows] == sorted(int(r["position"]) for r in rows)


def test_procedure_steps_leave(store: ox.Store) -> None:
    # Art. 67: 副市长出访、出差和休假，应事先报市长审批，由市政府办公室通报市政府其他领导
    rows = ask(store, "procedure_steps", procedure=PROC + "leave", language="en")
    informs = [r for r in rows if r["actions"] == "brief"]
    assert len(informs) == 1 and int(informs[0]["position"]) > 1
    assert {r["addressees"] for r in rows if r["position"] == "1"} >= {"mayor"}


def test_step_prerequisites_collective_decision(store: ox.Store) -> None:
    # Art. 20(2): 未按规定深入调研并充分论证、充分听取有关方面意见、开展社会稳定风险评估和
    # 合法性审查的，不得提交市政府决策; art. 19: 由市政府全体会议或常务会议讨论决定
    rows = ask(store, "step_prerequisites")
    direct = [r for r in rows if r["direct"] == "1"]
    assert len(direct) == 1 and direct[0]["clause"] == clause(20, 2)
    assert "提交市政府决策" in direct[0]["prerequisiteLabel"]
    labels = " ".join(col(rows, "prerequisiteLabel"))
    for step in ("调查研究", "论证", "协商", "征求意见", "社会稳定风险评估", "合法性审查"):
        assert step in labels, step


def test_procedure_materials_major_decision(store: ox.Store) -> None:
    # Art. 20(2): 提供决策草案及说明、法制审核意见、征求意见情况、专家或第三方论证情况、风险评估
    # 情况等材料，由市司法局提出合法性审查意见
    rows = ask(store, "procedure_materials")
    needed = {r["materialLabel"] for r in rows if r["relationLabel"] == "所需材料"}
    assert {"决策草案及说明", "法制审核意见", "征求意见情况", "专家或第三方论证情况",
            "风险评估情况"} <= needed
    produced = [r for r in rows if r["relationLabel"] == "产生"]
    assert any("合法性审查意见" in r["materialLabel"] for r in produced)


def test_submission_requirements_major_decision(store: ox.Store) -> None:
    # Art. 20(1)–(2): 调研、论证、协商、征求意见、风险评估、合法性审查 come first; the
    # materials listed go with the proposal; otherwise 不得提交市政府决策
    rows = ask(store, "submission_requirements")
    kinds = [r["requirementKind"] for r in rows]
    assert kinds == sorted(kinds, key=["前置步骤", "所需材料", "未完成的后果"].index)
    steps = [r for r in rows if r["requirementKind"] == "前置步骤"]
    assert {20} == articles(steps) and len(steps) >= 6
    (consequence,) = [r for r in rows if r["requirementKind"] == "未完成的后果"]
    assert "不得提交市政府决策" in consequence["itemLabel"]
    assert consequence["clause"] == clause(20, 2)


def test_supervision_flow(store: ox.Store) -> None:
    # Art. 54: 批示件…生成批示办理单，交办; art. 55: 督查室…形成督办单，经市府办主任或副主任签批后
    # 交办…同时抄送; art. 56: 工作提示单由市府办主任审签，直接交办
    rows = ask(store, "supervision_flow")
    assert [a for a in dict.fromkeys(int(r["article"]) for r in rows)] == [54, 55, 56]
    assert ("督办单", "签批") in pairs(rows, "targets", "actions")
    assert ("工作提示单", "审签") in pairs(rows, "targets", "actions")
    assert "批示办理单" in col(rows, "produces")
    assert all(r["clause"] in {clause(54), clause(55), clause(56)} for r in rows)


# --- posts, bodies, roles ----------------------------------------------------------------------

def test_posts_include_the_fixed_posts(store: ox.Store) -> None:
    rows = ask(store, "posts")
    fixed = {"mayor", "executive-vice-mayor", "vice-mayor", "office-director",
             "office-deputy-director", "department-principal", "department-leader",
             "party-secretary", "township-leader"}
    assert {POST + p for p in fixed} <= col(rows, "post")
    evm = [r for r in rows if r["post"] == POST + "executive-vice-mayor"]
    assert "常务副市长" in split(evm[0]["altLabels"])
    assert all(r["generalisations"] == "副市长" for r in evm)


def test_bodies_include_the_fixed_bodies(store: ox.Store) -> None:
    rows = ask(store, "bodies")
    fixed = {"government", "government-office", "supervision-office", "development-reform-bureau",
             "justice-bureau", "finance-bureau", "audit-bureau", "party-committee",
             "party-standing-committee", "peoples-congress", "npc-standing-committee", "cppcc",
             "supervisory-commission", "peoples-armed-forces-department", "court",
             "procuratorate", "wenzhou-government", "zhejiang-government", "state-council",
             "higher-audit-office"}
    assert {BODY + b for b in fixed} <= col(rows, "body")
    office = [r for r in rows if r["body"] == BODY + "government-office"]
    assert "市府办" in split(office[0]["altLabels"])


def test_meeting_types_list(store: ox.Store) -> None:
    # Art. 44: 市政府实行市政府全体会议、市政府常务会议、市长办公会议和市政府专题会议制度
    rows = ask(store, "meeting_types")
    fixed = {"plenary", "executive", "mayor-office", "topical", "citywide",
             "department-citywide", "work-deployment"}
    assert {MTG + m for m in fixed} <= col(rows, "meeting")
    system = {r["meeting"] for r in rows if clause(44) == r["clause"]}
    assert system == {MTG + m for m in ("plenary", "executive", "mayor-office", "topical")}


def test_document_types_list(store: ox.Store) -> None:
    rows = ask(store, "document_types")
    fixed = {"government-document", "office-document", "normative-document",
             "to-higher-government", "order", "major-decision", "major-document", "motion-to-npc",
             "request", "minutes", "instruction-slip", "supervision-order", "work-reminder-slip"}
    assert {DOC + d for d in fixed} <= col(rows, "document")


def test_procedures_list(store: ox.Store) -> None:
    rows = ask(store, "procedures")
    fixed = {"major-decision", "normative-document", "meeting-topic", "request-submission", "leave"}
    assert {PROC + p for p in fixed} <= col(rows, "procedure")
    # Art. 49: 协调、审核、提出、汇总、确定 — five steps
    assert {r["steps"] for r in rows if r["procedure"] == PROC + "meeting-topic"} == {"5"}


def test_role_players_government_member(store: ox.Store) -> None:
    # Art. 4: 市政府由下列人员组成：市长，副市长，市政府工作部门的主要负责人
    rows = ask(store, "role_players")
    assert col(rows, "player") == {POST + "mayor", POST + "vice-mayor",
                                   POST + "department-principal"}
    assert col(rows, "clause") == {clause(4)}


def test_post_profile_executive_vice_mayor(store: ox.Store) -> None:
    # Art. 7–8: 负责常务工作的副市长 is a vice mayor (art. 4: 副市长 sit on the government);
    # art. 6: 副市长…协助市长工作
    rows = ask(store, "post_profile", language="en")
    found = pairs(rows, "relationLabel", "value")
    assert ("is a kind of", POST + "vice-mayor") in found
    assert ("member of", BODY + "government") in found
    assert ("reports to", POST + "mayor") in found
    assert ("can play the role", ROLE + "vice-mayor-in-charge") in found


def test_post_reports_to_department_principal(store: ox.Store) -> None:
    # Art. 11(2): 市政府工作部门主要负责人…要及时向分管副市长和市长报告
    rows = ask(store, "post_reports_to")
    reports = [r for r in rows if r["clause"] == clause(11, 2)]
    assert col(reports, "superior") == {ROLE + "vice-mayor-in-charge", POST + "mayor"}
    assert col(reports, "modalityLabel") == {"要"}


def test_post_reports_to_vice_mayor(store: ox.Store) -> None:
    # Art. 9: 遇到重大事项、重要情况要及时向市长报告
    rows = ask(store, "post_reports_to", post=POST + "vice-mayor")
    assert col(rows, "superior") == {POST + "mayor"}
    assert clause(9) in col(rows, "clause")


def test_reporting_lines_to_the_mayor(store: ox.Store) -> None:
    # Art. 9 (副市长…向市长报告), 10 (办公室主任在市长领导下), 11(2) (部门主要负责人…向…市长
    # 报告), 11(3) (市审计局在市长和上一级审计机关领导下)
    rows = ask(store, "reporting_lines", to=POST + "mayor")
    assert col(rows, "to") == {POST + "mayor"}
    assert {POST + "vice-mayor", POST + "office-director", POST + "department-principal",
            BODY + "audit-bureau"} <= col(rows, "from")


def test_post_powers_duties_office_director(store: ox.Store) -> None:
    # Art. 10 (负责处理市政府的日常工作), 50 (须向市长请假), 55 (签批督办单), 56 (审签工作
    # 提示单) are hard; art. 59(2) 一般…签发 is a default; …有的可由市政府办公室主任视情签发 may
    rows = ask(store, "post_powers_duties")
    groups = [int(r["group"]) for r in rows]
    assert groups == sorted(groups)
    assert {10, 50, 55, 56} <= {int(r["article"]) for r in rows if r["group"] == "1"}
    assert 59 in {int(r["article"]) for r in rows if r["group"] == "2"}
    assert {(r["article"], r["modalityLabel"]) for r in rows if r["group"] == "3"} >= {("59", "可")}


def test_post_powers_duties_include_member_duties(store: ox.Store) -> None:
    # The mayor is a member of the government (art. 4), so art. 43 (市政府组成人员要廉洁从政) and
    # art. 61 (市政府组成人员要坚决贯彻执行…) apply to the mayor
    rows = ask(store, "post_powers_duties", post=POST + "mayor")
    members = {int(r["article"]) for r in rows if r["viaLabel"] == "市政府组成人员"}
    assert {43, 61, 62, 63} <= members


def test_post_prohibitions_mayor(store: ox.Store) -> None:
    # As a member of the government: art. 43 不得利用职权…, art. 62 不得有任何与市政府决定相违背的
    # 言论和行为, art. 63 严禁泄露…; as a government leader: art. 65 不张贴悬挂横幅标语…,
    # art. 66 不为部门和下级政府的会议、活动等发贺信、贺电，不题词
    rows = ask(store, "post_prohibitions")
    assert {43, 62, 63, 65, 66} <= articles(rows)
    assert col(rows, "kindLabel") == {"禁止"}


def test_post_leave_vice_mayor(store: ox.Store) -> None:
    # Art. 67: 副市长出访、出差和休假，应事先报市长审批…市委常委的副市长还需报市委书记审批;
    # art. 50: 副市长…因故不能出席…须向市长请假
    rows = ask(store, "post_leave")
    assert pairs(rows, "approver", "clause") == {
        (POST + "mayor", clause(67)), (POST + "party-secretary", clause(67)),
        (POST + "mayor", clause(50))}
    (secretary,) = [r for r in rows if r["approver"] == POST + "party-secretary"]
    assert "市委常委" in secretary["conditions"]
    for r in rows:
        if r["clause"] == clause(67):
            assert split(r["leaveFor"]) == {"出访", "出差", "休假"} and r["timingLabel"] == "事先"


def test_post_leave_executive_vice_mayor_by_alias(store: ox.Store) -> None:
    # The executive vice mayor is a vice mayor: the same approvers (arts. 50, 67)
    rows = ask(store, "post_leave", label="常务副市长")
    assert col(rows, "approver") == {POST + "mayor", POST + "party-secretary"}


def test_post_leave_department_principal_more_specific_rule_wins(store: ox.Store) -> None:
    # Art. 67: 市政府各部门主要负责人…应事先报市长审批 (not 各部门负责人…报分管副市长审批);
    # art. 50: 部门单位负责人…须向市政府办公室主任请假
    rows = ask(store, "post_leave", post=POST + "department-principal")
    assert pairs(rows, "approver", "clause") == {
        (POST + "mayor", clause(67)), (POST + "office-director", clause(50))}


def test_post_leave_department_leader(store: ox.Store) -> None:
    # Art. 67: 市政府各部门负责人出访、出差和休假，应事先报分管副市长审批
    rows = ask(store, "post_leave", post=POST + "department-leader")
    assert pairs(rows, "approver", "clause") == {
        (ROLE + "vice-mayor-in-charge", clause(67)), (POST + "office-director", clause(50))}


def test_delegation_by_the_mayor(store: ox.Store) -> None:
    # Art. 7: 市长委托负责常务工作的副市长召集和主持; art. 8: 市长离开乐清期间…主持市政府工作;
    # art. 9: 副市长受市长委托; art. 48: 市长、副市长委托市政府办公室主任、副主任召集和主持
    rows = ask(store, "delegation", post=POST + "mayor")
    assert col(rows, "actor") == {POST + "executive-vice-mayor", POST + "vice-mayor",
                                  POST + "office-director", POST + "office-deputy-director"}
    assert {7, 8, 9, 48} <= articles(rows)
    assert {r["article"] for r in rows if r["conditionKind"] == "离开期间"} == {"8"}


def test_body_duties_government_office(store: ox.Store) -> None:
    # Art. 22 (加强督促检查), 33 (市府办要推动OA系统…), 49 (汇总议题; 组织工作由市政府办公室负责),
    # 57 (“一个口子”统一受理), 58 (按照市政府领导分工呈批), 67 (由市政府办公室通报)
    rows = ask(store, "body_duties", label="市府办")
    assert col(rows, "body") == {BODY + "government-office"}
    assert {22, 33, 49, 57, 58, 67} <= articles(rows)


def test_body_posts_government(store: ox.Store) -> None:
    # Art. 4: 市政府由下列人员组成：市长，副市长，市政府工作部门的主要负责人
    rows = ask(store, "body_posts")
    members = {r["post"] for r in rows if r["relation"] == "组成人员"}
    assert members == {POST + "mayor", POST + "vice-mayor", POST + "department-principal"}


# --- facts, modality, quantities, provenance ---------------------------------------------------

def test_prohibitions_match_the_articles_that_forbid(store: ox.Store) -> None:
    # 不得 / 严禁 / 一般不 / 不予 / 不… forbid in arts. 20, 26, 41 (对不符合规定的事项要坚持原则
    # 不予办理), 42, 43, 52, 57, 60, 62, 63, 65, 66
    rows = ask(store, "prohibitions")
    assert articles(rows) == {20, 26, 41, 42, 43, 52, 57, 60, 62, 63, 65, 66}
    assert {r["strengthLabel"] for r in rows if r["article"] == "52"} == {"默认规定"}
    assert {r["modalityLabel"] for r in rows if r["article"] == "63"} == {"不得"}


def test_facts_by_modality_defaults(store: ox.Store) -> None:
    # Defaults: 一般 (arts. 45–47, 52, 59), 原则上 (arts. 24, 52), 要 (e.g. art. 9)
    rows = ask(store, "facts_by_modality")
    assert col(rows, "modalityLabel") <= {"一般", "原则上", "要"}
    assert {24, 45, 46, 47, 52, 59} <= articles(rows)
    assert {r["article"] for r in rows if r["modalityLabel"] == "原则上"} == {"24", "52"}


def test_facts_by_modality_must_not(store: ox.Store) -> None:
    # 不得 and 严禁: arts. 20, 26, 42, 43, 57, 60, 62, 63
    rows = ask(store, "facts_by_modality", modality=GK + "modality-must-not")
    assert articles(rows) == {20, 26, 42, 43, 57, 60, 62, 63}


def test_deadlines(store: ox.Store) -> None:
    # The only deadline in the text, art. 25(1): 自发布之日起 15 日内向市政府备案
    (row,) = ask(store, "deadlines")
    assert (row["amount"], row["unitLabel"], row["timingLabel"]) == ("15", "日", "自发布之日起")
    assert row["actions"] == "备案" and row["clause"] == clause(25)


def test_frequencies(store: ox.Store) -> None:
    # Art. 45(2) 每半年一次, 46(2) 每月一至两次, 47(2) 每月一次, 48 不定期, 52 原则上每年不超过
    # 1 次, 64(2) 每月安排至少一次主题学习
    rows = ask(store, "frequencies")
    assert articles(rows) == {45, 46, 47, 48, 52, 64}
    (department,) = [r for r in rows if r["article"] == "52"]
    assert (department["maxCount"], department["period"], department["unitLabel"]) == (
        "1", "1", "年")
    assert "minCount" not in department and department["modalityLabel"] == "原则上"
    (study,) = [r for r in rows if r["article"] == "64"]
    assert (study["minCount"], study["period"], study["unitLabel"]) == ("1", "1", "个月")


def test_limits(store: ox.Store) -> None:
    # Art. 52: 工作部署类会议，时长一般不超过90分钟
    (row,) = ask(store, "limits")
    assert (row["maximum"], row["unitLabel"], row["modalityLabel"]) == ("90", "分钟", "一般")
    assert row["targets"] == "工作部署类会议" and row["clause"] == clause(52)


def test_article_facts_why(store: ox.Store) -> None:
    # Art. 50 has one paragraph: 须向市长请假; 须向市政府办公室主任请假，并指派专人参加
    rows = ask(store, "article_facts")
    assert col(rows, "clause") == {clause(50)}
    labels = " ".join(col(rows, "factLabel"))
    assert "向市长请假" in labels and "向市政府办公室主任请假" in labels and "指派专人" in labels


def test_article_facts_by_item(store: ox.Store) -> None:
    # Art. 46(1)(四): 审议市政府行政规范性文件草案 — cited by the executive meeting's task
    rows = ask(store, "article_facts", article="46")
    assert FACT + "executive-task-4" in {r["fact"] for r in rows
                                         if r["clause"] == clause(46, 1, 4)}
    assert [r["clause"] for r in rows] == sorted(r["clause"] for r in rows)


def test_fact_source_filing_deadline(store: ox.Store) -> None:
    # Art. 25(1): …部门的行政规范性文件要按规定自发布之日起 15 日内向市政府备案。 (chapter 5)
    (row,) = ask(store, "fact_source")
    assert row["clause"] == clause(25) and row["citation"] == "第二十五条第一款"
    assert "自发布之日起" in row["text"] and "日内向市政府备案" in row["text"]
    assert row["chapterTitle"] == "坚持依法行政"


def test_fact_source_shows_the_repaired_half_width_text(store: ox.Store) -> None:
    # Art. 47(1) was received with half-width punctuation: "副市长, 市政府办公室主任、副主任参加,"
    (row,) = ask(store, "fact_source", fact=FACT + "mayor-office-participant-office-director",
                 language="en")
    assert "副主任参加, " in row["verbatimText"] and "副主任参加，" in row["text"]
    assert "Half-width" in row["editorialNotes"]


def test_fact_conditions_party_standing_committee(store: ox.Store) -> None:
    # Art. 67: 市委常委的副市长还需报市委书记审批
    (row,) = ask(store, "fact_conditions")
    assert row["relationLabel"] == "条件" and row["agents"] == "市委常委"
    assert row["clause"] == clause(67)


def test_fact_conditions_with_exceptions_and_chain(store: ox.Store) -> None:
    # Art. 59(2): 文内注明经市政府同意的…有的可由市政府办公室主任视情签发 (行政规范性文件除外)
    rows = ask(store, "fact_conditions", fact=FACT + "sign-office-document-consent-by-director")
    found = pairs(rows, "relationLabel", "conditionLabel")
    assert ("条件", "文内注明经市政府同意") in found
    assert ("除外情形", "属行政规范性文件") in found
    assert ("所属审签规则的条件", "文内注明经市政府同意") in found


def test_resource_facts_justice_bureau(store: ox.Store) -> None:
    # 市司法局 acts in art. 20(2) (由市司法局提出合法性审查意见); in arts. 46–47 its principal
    # sits in, which is a post of the bureau, not the bureau itself
    rows = ask(store, "resource_facts")
    assert col(rows, "clause") == {clause(20, 2)}
    assert col(rows, "relationLabel") == {"义务主体"}


@pytest.mark.parametrize(("text", "resource"), [
    ("市府办", BODY + "government-office"),
    ("常务副市长", POST + "executive-vice-mayor"),
    ("EXECUTIVE VICE MAYOR", POST + "executive-vice-mayor"),
])
def test_search_labels(store: ox.Store, text: str, resource: str) -> None:
    rows = ask(store, "search_labels", q=text)
    assert rows[0]["resource"] == resource and rows[0]["exact"] == "1"


def test_search_labels_partial(store: ox.Store) -> None:
    rows = ask(store, "search_labels", q="常务会议")
    assert MTG + "executive" in col(rows, "resource")
    assert all(r["exact"] == "0" for r in rows if r["resource"] != MTG + "executive")


def test_article_coverage(store: ox.Store) -> None:
    rows = ask(store, "article_coverage")
    assert [int(r["article"]) for r in rows] == list(range(1, 70))
    by_article = {int(r["article"]): r for r in rows}
    # Art. 46: paragraph 1 with eight items, and paragraph 2; art. 59: two paragraphs
    assert by_article[46]["clauses"] == "10" and by_article[59]["clauses"] == "2"
    assert int(by_article[50]["facts"]) >= 3
    assert by_article[46]["chapterTitle"] == "会议制度"


def test_exceptions(store: ox.Store) -> None:
    # 除…外: art. 29 (除需要保密之外), 57(2) (除市政府领导交办事项和必须直接报送的涉密事项外),
    # 59(2) (行政规范性文件除外)
    rows = ask(store, "exceptions")
    assert {29, 57, 59} <= articles(rows)
    (direct,) = [r for r in rows if r["article"] == "57"]
    assert "交办" in direct["exceptions"] and "涉密" in direct["exceptions"]


def test_regulation_metadata(store: ox.Store) -> None:
    # 乐政发〔2022〕11号, 乐清市人民政府办公室 2022年6月9日印发; art. 69: 本规则自发布之日起施行…
    # 乐政发〔2020〕21号同时废止; 抄送：…市法院，市检察院…
    rows = ask(store, "regulation_metadata")
    assert col(rows, "clause") == {clause(69), clause(69, 2)}
    row = rows[0]
    assert row["number"] == "乐政发〔2022〕11号" and row["dateInForce"] == "2022-06-09"
    assert row["repeals"] == "https://w3id.org/govkg/yueqing/eli/lzf/2020/21"
    assert {"市法院", "市检察院"} <= split(row["copyRecipients"])
    assert row["publisherLabel"] == "乐清市人民政府办公室"


def test_graph_stats(store: ox.Store) -> None:
    # 13 chapters and 69 articles, plus the work and the repealed 2020 rules, are typed in legal
    rows = ask(store, "graph_stats")
    (legal,) = [r for r in rows if r["graph"] == LEGAL]
    assert int(legal["typed"]) >= 13 + 69 + 2


# --- through the real server -------------------------------------------------------------------

def api(server, name: str, **params: str):
    path = f"/api/queries/{name}?" + urllib.parse.urlencode(params)
    return request(server, "GET", path)


# Through HTTP on every backend, rdflib's included: questions it answers well within the test
# server's 3 s timeout (post_leave, for one, takes rdflib several seconds).

def test_http_minutes_signers_by_label(server) -> None:
    # Art. 51: 专题会议纪要由主持会议的市长或副市长签发；由市政府办公室主任、副主任主持的，报分管
    # 副市长审签，如有必要可报市长审签
    status, _, body = api(server, "minutes_signers", label="专题会议", language="en")
    assert status == 200
    rows = json.loads(body)["results"]["bindings"]
    assert {(r["signer"]["value"], r["position"]["value"]) for r in rows} == {
        (ROLE + "meeting-chair", "1"), (ROLE + "vice-mayor-in-charge", "1"), (POST + "mayor", "2")}
    assert {r["citation"]["value"] for r in rows} == {"Article 51(1)"}


def test_http_fact_conditions_csv(server) -> None:
    # Art. 67: 市委常委的副市长还需报市委书记审批
    status, headers, body = api(server, "fact_conditions", format="csv",
                                fact=FACT + "leave-vice-mayor-party-secretary-approval")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    (row,) = list(csv.DictReader(io.StringIO(body.decode())))
    assert (row["agents"], row["article"], row["relationLabel"]) == ("市委常委", "67", "条件")


def test_http_deadlines_html_in_english(server) -> None:
    # Art. 25(1): 15 日内…备案
    status, _, body = api(server, "deadlines", format="html", lang="en")
    page = body.decode()
    assert status == 200 and "<th>Amount</th>" in page and "第二十五条第一款" in page


def test_http_parameter_of_wrong_type_is_400(server) -> None:
    status, _, body = api(server, "article_facts", article="fifty")
    assert status == 400 and b"article" in body
