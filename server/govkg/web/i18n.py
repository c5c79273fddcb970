"""The pages' two languages: which one a request wants, and the interface's words in both.

Chinese (``zh-Hans``) is the default; English is asked for with an ``/en/`` path prefix (the
form links use, so every English page has its own URL) or ``?lang=en`` (accepted anywhere).
Data labels come from the graph (``@zh-Hans``/``@en``); only interface words live here.
"""

from __future__ import annotations

from flask import request

ZH, EN = "zh-Hans", "en"
PREFIX = "/en"


def current() -> str:
    """The language of this request: ``/en/…`` or ``?lang=en`` is English, else Chinese."""
    if request.blueprint and request.blueprint.endswith("_en"):
        return EN
    return EN if request.args.get("lang", "").lower().startswith("en") else ZH


def other(lang: str) -> str:
    return ZH if lang == EN else EN


def localise(path: str, lang: str) -> str:
    """``path`` (a zh path, maybe with a fragment) as the page in ``lang``."""
    if lang != EN:
        return path
    return PREFIX + path if path.startswith("/") else path


def unlocalise(path: str) -> str:
    """A path without its ``/en`` prefix."""
    if path == PREFIX or path.startswith(PREFIX + "/"):
        return path[len(PREFIX):] or "/"
    return path


WORDS: dict[str, tuple[str, str]] = {
    # site
    "site": ("乐清市人民政府工作规则 知识图谱", "Yueqing Government Work Rules KG"),
    "site_short": ("乐清政府工作规则", "Yueqing Work Rules"),
    "home": ("首页", "Home"),
    "search": ("搜索", "Search"),
    "search_label": ("搜索职位、机构、会议、公文、程序和条文", "Search posts, bodies, meetings, "
                     "documents, procedures and the text"),
    "search_placeholder": ("例如：签发、常务会议、市府办", "e.g. sign, executive meeting, mayor"),
    "search_results": ("搜索结果", "Search results"),
    "no_results": ("没有找到结果。", "Nothing found."),
    "results_for": ("“{q}”的结果：{n} 项", "{n} results for “{q}”"),
    "empty_query": ("请输入要搜索的词。", "Type a word to search for."),
    "text": ("条文", "Text"),
    "reader": ("规则全文", "The rules"),
    "who": ("谁负责？", "Who is responsible?"),
    "check": ("记录核查", "Record check"),
    "downloads": ("下载", "Downloads"),
    "ontology": ("本体文档", "Ontology"),
    "home_intro": ("查询市政府的职责分工：谁签发公文、谁主持会议、谁审批请假、"
                   "重大决策前要经过哪些程序——每个答案都附有规则原文。",
                   "Look up who does what in the city government — who signs documents, who "
                   "chairs meetings, who approves leave, what must happen before a major "
                   "decision — each answer with the clause that says so."),
    "browse": ("按类别浏览", "Browse by kind"),
    "examples": ("常见问题", "Common questions"),
    # kinds
    "kind_post": ("职位", "Posts"),
    "kind_role": ("角色", "Roles"),
    "kind_body": ("机构", "Bodies"),
    "kind_group": ("群体", "Groups"),
    "kind_meeting": ("会议", "Meetings"),
    "kind_document": ("公文与签批", "Documents & signatures"),
    "kind_procedure": ("程序", "Procedures"),
    "kind_fact": ("规定", "Rules and facts"),
    "kind_condition": ("条件", "Conditions"),
    "kind_clause": ("条文", "Text of the rules"),
    "kind_work": ("规则", "The rules"),
    "kind_thing": ("其他", "Other"),
    "kind_deadlines": ("期限与限额", "Deadlines & limits"),
    "kind_people": ("人员与职位", "People & posts"),
    "desc_people": ("市长、副市长、办公室主任……各自的职责", "What the mayor, vice mayors, the "
                    "office director … do"),
    "desc_body": ("市政府、市府办、各部门及外部机构", "The government, its office, departments "
                  "and outside bodies"),
    "desc_meeting": ("全体会议、常务会议、市长办公会议……", "Plenary, executive, mayor's office "
                     "meetings …"),
    "desc_document": ("各类公文由谁审核、由谁签发", "Who reviews and who signs each kind of "
                      "document"),
    "desc_procedure": ("重大决策、规范性文件、请示、请销假",
                       "Major decisions, normative documents, requests, leave"),
    "desc_deadlines": ("会议频次、时限、时长上限", "How often, how soon, how long"),
    "desc_reader": ("十三章六十九条，逐条附派生的规定", "13 chapters, 69 articles, each with "
                    "what is derived from it"),
    "desc_who": ("选择行为和对象，查出负责人和依据条款", "Pick an action and an object, get who "
                 "is responsible and the clause"),
    "desc_check": ("粘贴或上传记录，按条款查看核查结果", "Paste or upload records and see the "
                   "findings by article"),
    # resource pages
    "source": ("依据", "Source"),
    "sources": ("依据条款", "Clauses"),
    "properties": ("全部属性", "All properties"),
    "referenced_by": ("被引用", "Referenced by"),
    "aliases": ("别名", "Also called"),
    "definition": ("定义", "Definition"),
    "type": ("类型", "Type"),
    "alternates": ("其他格式", "Other formats"),
    "responsibilities": ("职责", "Responsibilities"),
    "no_facts": ("规则中没有关于此项的规定。", "The rules state nothing about this."),
    "via": ("经由", "as"),
    "condition": ("条件", "Condition"),
    "conditions": ("条件", "Conditions"),
    "unless": ("除外", "Unless"),
    "statement": ("内容", "Statement"),
    "who_col": ("由谁", "Who"),
    "role_col": ("身份", "Role"),
    "clause_col": ("条款", "Clause"),
    "step": ("步骤", "Step"),
    "steps": ("步骤", "Steps"),
    "prerequisites": ("前置步骤", "Must come first"),
    "materials": ("材料", "Materials"),
    "deadline": ("期限", "Deadline"),
    "composition": ("与会人员", "Who attends"),
    "frequency": ("会议频次", "How often"),
    "tasks": ("主要任务", "Tasks"),
    "topic_procedure": ("议题程序", "How topics are set"),
    "minutes_signer": ("会议纪要签发", "Who signs the minutes"),
    "leave_rules": ("请假规定", "Leave"),
    "chain": ("审签流程", "Review and signature"),
    "chain_diagram": ("审签流程图", "Review and signature chain"),
    "any_one": ("（其中一人）", "(any one of them)"),
    "other_rules": ("其他规定", "Other rules"),
    "facts_here": ("由本条派生的规定", "Derived from this clause"),
    "rules_here": ("据此核查的规则", "Checks based on this clause"),
    "in_article": ("所在条", "Article"),
    "chapters": ("章节", "Chapters"),
    "related": ("相关规定", "Related rules"),
    "amount": ("数量", "Amount"),
    # responsibility groups
    "g_convene": ("召集、主持", "Convenes and chairs"),
    "g_attend": ("组成、参加、列席", "Sits on, takes part in, sits in on"),
    "g_sign": ("审核、签发、审批", "Reviews, signs, approves"),
    "g_decide": ("讨论、决定", "Deliberates and decides"),
    "g_lead": ("领导、负责、协调", "Leads, takes charge, coordinates"),
    "g_report": ("报告、请示、报送", "Reports, asks, submits to"),
    "g_reported": ("接受报告、请示", "Is reported to, is asked"),
    "g_leave": ("请销假", "Leave: asks for it, approves it"),
    "g_supervise": ("督办、监督", "Supervision"),
    "g_other": ("其他职责", "Other duties"),
    "g_must_not": ("不得", "Must not"),
    "g_conditions": ("在条件中被提及（委托、批准等）", "Named in conditions (delegation, "
                     "approval …)"),
    "leave_asks": ("请假", "asks"),
    "leave_approves": ("准假", "approves"),
    "strength_hard": ("硬性规定", "hard rule"),
    "strength_default": ("默认规定", "default"),
    "strength_discretionary": ("可以", "may"),
    # who is responsible
    "who_intro": ("选择一个行为和一个对象，查看规则规定由谁负责。", "Pick an action and an "
                  "object to see who the rules make responsible."),
    "action": ("行为", "Action"),
    "object": ("对象", "Object"),
    "ask": ("查询", "Ask"),
    "answer": ("答案", "Answer"),
    "no_answer": ("规则没有就此规定负责人。", "The rules name no one for this."),
    "a_sign": ("签发、签署", "sign"),
    "a_approve": ("审批、签批", "approve"),
    "a_chair": ("主持", "chair"),
    "a_convene": ("召集", "convene"),
    "a_review": ("审核", "review"),
    "a_decide": ("决定、审议", "decide"),
    "a_leave": ("批准请假", "approve leave"),
    "o_document": ("公文类型", "Document types"),
    "o_meeting": ("会议类型", "Meeting types"),
    "o_post": ("职位", "Posts"),
    # record check
    "check_intro": ("粘贴记录（Turtle、JSON-LD、N-Triples、RDF/XML 或普通 JSON）"
                    "或上传文件，按规则核查。",
                    "Paste records (Turtle, JSON-LD, N-Triples, RDF/XML or plain JSON) or upload "
                    "a file to check them against the rules."),
    "records": ("记录", "Records"),
    "format": ("格式", "Format"),
    "file": ("或上传文件", "Or upload a file"),
    "run_check": ("核查", "Check"),
    "report": ("核查结果", "Report"),
    "conforms": ("没有违反硬性规定。", "No hard rule is broken."),
    "violates": ("违反了硬性规定。", "A hard rule is broken."),
    "findings": ("发现 {n} 项问题", "{n} findings"),
    "input_checks": ("输入检查", "Input checks"),
    "article_n": ("第 {n} 条", "Article {n}"),
    "focus": ("记录", "Record"),
    "value": ("值", "Value"),
    "bad_input": ("无法读取记录", "The records cannot be read"),
    "no_input": ("请粘贴记录或选择文件。", "Paste records or choose a file."),
    "example": ("示例", "Example"),
    # downloads and errors
    "downloads_intro": ("整个数据集及各部分，可用多种 RDF 格式下载。", "The whole dataset and its "
                        "parts in several RDF formats."),
    "graph_all": ("全部", "Everything"),
    "not_found": ("未找到", "Not found"),
    "not_found_text": ("本站没有这个地址的页面。", "This server has no page at this address."),
    "unavailable": ("暂时无法查询数据", "The data cannot be read right now"),
    "deadlines_intro": ("规则中的期限、频次和时长上限。", "The deadlines, frequencies and upper "
                        "limits the rules set."),
    "kind_col": ("类别", "Kind"),
}


def t(key: str, lang: str, **values: object) -> str:
    """The interface word ``key`` in ``lang``, with ``{name}`` placeholders filled."""
    zh, en = WORDS[key]
    text = en if lang == EN else zh
    return text.format(**values) if values else text
