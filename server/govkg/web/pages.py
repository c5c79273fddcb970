"""The reading pages: home, search, lists by kind, a page per resource, deadlines, "who?".

Resource pages live at the path of the IRI they describe (``/id/post/mayor`` for
``…/yueqing/id/post/mayor``), so the graph's IRIs dereference here (:mod:`.linked` answers
RDF clients at the same paths). Each kind of resource adds its own sections to the common
page: a post its responsibilities, a meeting its composition, a document type its review →
sign chain, a procedure its steps, a clause what was derived from it.
"""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox
from flask import abort, request

from ..iris import ELI, GK, PROV, RDF, SH, SKOS
from . import data, diagram, facts, i18n, linked
from . import search as search_index
from .blueprint import bp, node_href, render
from .site import Node, Site, current

ATTENDANCE_ORDER = ("convene", "chair", "member", "participate", "nonvoting", "invited")
HIDDEN_PROPERTIES = {str(PROV.wasDerivedFrom), str(SKOS.altLabel), str(SKOS.definition),
                     "http://www.w3.org/2000/01/rdf-schema#label", str(GK.text)}


def _lang() -> str:
    return i18n.current()


@bp.get("/")
def home():
    site = current()
    examples = [
        (site.node_at("id/document-type/to-higher-government"), "document"),
        (site.node_at("id/post/executive-vice-mayor"), "post"),
        (site.node_at("id/meeting-type/executive"), "meeting"),
        (site.node_at("id/procedure/major-decision"), "procedure"),
    ]
    return render("web/home.html", examples=[(n, k) for n, k in examples if site.knows(n)])


@bp.get("/search")
def search():
    query = request.args.get("q", "").strip()[:200]
    hits = search_index.current().search(query, _lang()) if query else []
    site = current()
    groups = [
        (kind, [(hit, site.sources(hit.node)[:1] or ([site.clause(hit.node)]
                                                    if site.clause(hit.node) else []))
                for hit in kind_hits])
        for kind, kind_hits in search_index.grouped(hits)
    ]
    return render("web/search.html", query=query, groups=groups, total=len(hits))


@bp.get("/id/")
def kinds():
    site = current()
    counts: dict[str, int] = defaultdict(int)
    prefix = site.base + "id/"
    for node in site.resources():
        if node.value.startswith(prefix):
            counts[node.value[len(prefix):].split("/", 1)[0]] += 1
    return render("web/kinds.html", counts=sorted(counts.items()))


@bp.get("/id/<kind>/")
def kind_list(kind: str):
    site = current()
    prefix = f"{site.base}id/{kind}/"
    nodes = [n for n in site.resources() if n.value.startswith(prefix)]
    if not nodes:
        abort(404)
    lang = _lang()
    nodes.sort(key=lambda n: (facts.position(site, n), site.label(n, lang)))
    rows = [(n, site.alt_labels(n), site.sources(n)[:1]) for n in nodes]
    return render("web/list.html", kind=kind, rows=rows)


@bp.get("/id/<kind>/<slug>")
def resource(kind: str, slug: str):
    return linked.answer(f"id/{kind}/{slug}", page)


@bp.get("/eli/<path:rest>")
def legal(rest: str):
    return linked.answer(f"eli/{rest}", page)


def page(node: ox.NamedNode):
    """The HTML page of a resource the site knows."""
    site = current()
    lang = _lang()
    kind = site.kind(node)
    context = common(site, node, lang)
    if kind in ("post", "role", "body", "group"):
        context["groups"] = facts.responsibilities(site, node, lang)
        return render("web/agent.html", kind=kind, **context)
    if kind == "meeting":
        return render("web/meeting.html", kind=kind, **meeting(site, node, lang), **context)
    if kind == "document":
        return render("web/document.html", kind=kind, **document(site, node, lang), **context)
    if kind == "procedure":
        return render("web/procedure.html", kind=kind, **procedure(site, node, lang), **context)
    if kind == "clause":
        return render("web/clause.html", kind=kind, **clause(site, node, lang), **context)
    if kind == "work" and node == site.work:
        return render("web/reader.html", kind=kind, **reader(site, lang), **context)
    if kind == "fact":
        context["line"] = facts.line(site, node, lang)
        context["chain"] = fact_chain(site, node, lang)
    return render("web/resource.html", kind=kind, **context)


def common(site: Site, node: Node, lang: str) -> dict:
    """What every resource page shows: names, types, definition, sources, all triples."""
    properties = []
    for p, values in site.predicates(node).items():
        if p in HIDDEN_PROPERTIES:
            continue
        shown = [v for v in values if not (isinstance(v, ox.Literal) and v.language
                                           and _other_lang(v.language, lang))]
        if shown:
            properties.append((ox.NamedNode(p), shown))
    incoming = []
    for p, subjects in site.incoming(node).items():
        if p in (str(ELI.is_part_of), str(RDF.type)):
            continue
        named = [s for s in subjects if isinstance(s, ox.NamedNode)]
        if named:
            incoming.append((ox.NamedNode(p), sorted(named, key=lambda s: s.value)))
    return {
        "node": node,
        "title": site.label(node, lang),
        "types": [t for t in site.types(node) if isinstance(t, ox.NamedNode)],
        "aliases": site.alt_labels(node),
        "definition": site.definition(node, lang),
        "sources": site.sources(node),
        "properties": properties,
        "incoming": incoming,
        "alternates": linked.alternates(site.local_path(node) or ""),
    }


def _other_lang(tag: str, lang: str) -> bool:
    key = tag.split("-")[0].lower()
    return key in ("zh", "en") and key != lang.split("-")[0].lower()


def _rows(name: str, lang: str, column: str, node: Node) -> list[dict[str, str]]:
    return [row for row in data.question(name, lang) if row.get(column) == node.value]


def _merge(rows: list[dict[str, str]], *keys: str) -> list[dict]:
    """Rows of a named question merged per ``keys`` (one row per clause -> a list of clauses)."""
    merged: dict[tuple, dict] = {}
    for row in rows:
        entry = merged.setdefault(tuple(row.get(k) for k in keys), {**row, "clauses": []})
        clause = (row.get("clause"), row.get("citation"), row.get("text"))
        if clause[0] and clause not in entry["clauses"]:
            entry["clauses"].append(clause)
    return list(merged.values())


def meeting(site: Site, node: Node, lang: str) -> dict:
    """A meeting type: who attends in which role, how often, tasks, topics, minutes, leave."""
    attendance = _merge(_rows("meeting_attendance", lang, "meeting", node), "fact", "attendee")
    by_role: dict[str, list[dict]] = defaultdict(list)
    for row in attendance:
        role = site.value(ox.NamedNode(row["fact"]), GK.attendsAs)
        by_role[facts.local(role).removeprefix("attendance-")].append(row)
    composition = [(key, by_role[key][0]["roleLabel"], by_role[key])
                   for key in ATTENDANCE_ORDER if key in by_role]
    topic_procedures = []
    for fact in site.subjects(GK.venue, node):
        for procedure in site.objects(fact, GK.stepOf):
            if procedure not in topic_procedures:
                topic_procedures.append(procedure)
    shown = {r["fact"] for r in attendance}
    sections = {
        "frequency": _merge(_rows("meeting_frequency", lang, "meeting", node), "fact"),
        "tasks": _merge(_rows("meeting_tasks", lang, "meeting", node), "task"),
        "minutes": _merge(_rows("minutes_signers", lang, "meeting", node), "fact", "signer"),
        "leave": _merge(_rows("meeting_leave", lang, "meeting", node), "fact", "absentee",
                        "approver"),
    }
    for rows in sections.values():
        shown |= {r.get("fact") or r.get("task") for r in rows}
    others = [facts.line(site, f, lang) for f in facts.mentions(site, node)
              if f.value not in shown and facts.is_fact(site, f)
              and not any(s in topic_procedures for s in site.objects(f, GK.stepOf))]
    return {"composition": composition, "topic_procedures": [
        (p, [facts.line(site, s, lang) for s in facts.steps(site, p)]) for p in topic_procedures],
        "others": sorted(others, key=facts._order), **sections}


def chain_view(site: Site, chain: Node, lang: str, ident: str) -> dict:
    """An approval chain's steps by rank, and its SVG diagram."""
    ranks: dict[int, list[Node]] = defaultdict(list)
    for step in facts.steps(site, chain):
        ranks[facts.position(site, step)].append(step)
    en = lang == i18n.EN
    comma, semicolon = (", ", "; ") if en else ("、", "；")
    boxes = []
    for _, steps in sorted(ranks.items()):
        row = []
        for step in steps:
            who = [(site.label(a, lang), node_href(site, a, lang))
                   for a in site.objects(step, GK.assignee)]
            acts = comma.join(site.label(a, lang) for a in site.objects(step, GK.action))
            if len(who) > 1:
                acts += (" " if en else "") + i18n.t("any_one", lang)
            notes = [site.label(c, lang) for c in site.objects(step, GK.condition)]
            notes += [i18n.t("unless", lang) + (": " if en else "：") + site.label(c, lang)
                      for c in site.objects(step, GK.unless)]
            modality = site.value(step, GK.modality)
            if modality is not None and facts.local(modality) != "modality-stated":
                notes.insert(0, site.label(modality, lang))
            row.append(diagram.Box(who, acts, semicolon.join(notes), comma))
        boxes.append(row)
    title = site.label(chain, lang)
    words = " → ".join(
        " / ".join(f"{comma.join(w for w, _ in b.who)} {b.action}" for b in row) for row in boxes)
    return {
        "node": chain,
        "title": title,
        "conditions": [(c, site.label(c, lang)) for c in site.objects(chain, GK.condition)],
        "exceptions": [(c, site.label(c, lang)) for c in site.objects(chain, GK.unless)],
        "svg": diagram.chain_svg(boxes, title, words, ident) if boxes else "",
        "steps": [facts.line(site, s, lang) for s in facts.steps(site, chain)],
        "sources": site.sources(chain),
    }


def document(site: Site, node: Node, lang: str) -> dict:
    chains = [c for c in site.subjects(GK.target, node) if site.is_a(c, GK.ApprovalChain)]
    chains.sort(key=lambda c: (site.sources(c)[0].article if site.sources(c) else 999, c.value))
    views = [chain_view(site, c, lang, f"chain{i}") for i, c in enumerate(chains)]
    shown = set(chains) | {s for c in chains for s in site.subjects(GK.stepOf, c)}
    others = [facts.line(site, f, lang) for f in facts.mentions(site, node)
              if f not in shown and facts.is_fact(site, f)]
    return {"chains": views, "others": sorted(others, key=facts._order)}


def procedure(site: Site, node: Node, lang: str) -> dict:
    steps = _merge(_rows("procedure_steps", lang, "procedure", node), "step")
    materials = _merge(_rows("procedure_materials", lang, "procedure", node), "material")
    requirements = _merge(_rows("submission_requirements", lang, "procedure", node), "item")
    chain = chain_view(site, node, lang, "chain0") if site.is_a(node, GK.ApprovalChain) else None
    shown = {r["step"] for r in steps}
    related = [facts.line(site, f, lang) for f in facts.mentions(site, node)
               if f.value not in shown and facts.is_fact(site, f)]
    return {"steps": steps, "materials": materials, "requirements": requirements,
            "chain": chain, "others": sorted(related, key=facts._order)}


def fact_chain(site: Site, node: Node, lang: str) -> dict | None:
    for chain in site.objects(node, GK.stepOf):
        if site.is_a(chain, GK.ApprovalChain):
            return chain_view(site, chain, lang, "chain0")
    return None


def derived_lines(site: Site, clause_node: Node, lang: str) -> tuple[list, list, list]:
    """(facts, instances, rule shapes) derived from a clause or its parts."""
    found, instances, shapes = [], [], []
    for node in site.derived(clause_node):
        if site.in_graph(node, "shapes"):
            shapes.append(node)
        elif facts.is_fact(site, node):
            found.append(facts.line(site, node, lang))
        elif site.in_graph(node, "kg"):
            instances.append(node)
    return sorted(found, key=facts._order), instances, shapes


def clause(site: Site, node: Node, lang: str) -> dict:
    info = site.clause(node)
    found, instances, shapes = derived_lines(site, node, lang)
    return {
        "clause": info,
        "article": site.article_of(node),
        "outline": outline(site, node),
        "facts": found,
        "instances": instances,
        "shapes": [(s, shape_message(site, s, lang)) for s in shapes],
        "parents": [p for p in site.closure(node, ELI.is_part_of)[1:]],
    }


def shape_message(site: Site, shape: Node, lang: str) -> str:
    return site.literal(shape, (SH.message, SH.name, "http://www.w3.org/2000/01/rdf-schema#label"),
                        lang) or site.label(shape, lang)


def outline(site: Site, node: Node) -> list[tuple[int, Node]]:
    """``node``'s parts as (depth, node), depth first, for rendering the text."""
    out: list[tuple[int, Node]] = []

    def walk(n: Node, depth: int) -> None:
        out.append((depth, n))
        for part in site.parts(n):
            walk(part, depth + 1)

    walk(node, 0)
    return out


def reader(site: Site, lang: str) -> dict:
    """The whole regulation: chapters, articles, paragraphs and items, each article with the
    facts derived from it."""
    chapters = []
    for chapter in site.chapters:
        articles = []
        for article in site.parts(chapter):
            found, _, shapes = derived_lines(site, article, lang)
            articles.append((article, outline(site, article)[1:], found, shapes))
        chapters.append((chapter, articles))
    return {"chapters": chapters}


@bp.get("/deadlines")
def deadlines():
    site = current()
    lang = _lang()
    rows = []
    for fact in site.instances(GK.Fact):
        for prop, kind in ((GK.deadline, "deadline"), (GK.maxDuration, "limit"),
                           (GK.period, "frequency")):
            for value in site.objects(fact, prop):
                amount = site.duration_text(value, lang) or site.label(value, lang)
                if kind == "frequency":
                    amount = frequency_text(site, fact, value, lang)
                rows.append((facts.line(site, fact, lang), kind, site.label(prop, lang), amount))
    rows.sort(key=lambda r: facts._order(r[0]))
    return render("web/deadlines.html", rows=rows)


def frequency_text(site: Site, fact: Node, period: Node, lang: str) -> str:
    low, high = site.value(fact, GK.minCount), site.value(fact, GK.maxCount)
    span = site.duration_text(period, lang) or ""
    if low is not None and high is not None and low.value == high.value:
        count = low.value
    elif high is not None:
        count = ("≤ " if lang == i18n.EN else "至多") + high.value
    elif low is not None:
        count = ("≥ " if lang == i18n.EN else "至少") + low.value
    else:
        count = "?"
    return f"{count} × / {span}" if lang == i18n.EN else f"每{span} {count} 次"


WHO_ACTIONS = {
    "sign": {"action-sign-issue", "action-sign", "action-review-sign", "action-sign-approve"},
    "approve": {"action-approve", "action-check-approve", "action-sign-approve",
                "action-authorise"},
    "chair": {"attendance-chair"},
    "convene": {"attendance-convene"},
    "review": {"action-review", "action-legality-review", "action-review-sign"},
    "decide": {"action-decide", "action-deliberate", "action-determine"},
    "leave": set(),
}


def who_objects(site: Site, lang: str) -> list[tuple[str, list[tuple[str, str]]]]:
    groups = []
    for key, cls in (("o_document", GK.DocumentType), ("o_meeting", GK.MeetingType),
                     ("o_post", GK.Post)):
        nodes = [n for n in site.instances(cls) if n.value.startswith(site.base)]
        groups.append((key, sorted(((site.local_path(n), site.label(n, lang)) for n in nodes),
                                   key=lambda x: x[1])))
    return groups


def responsible(site: Site, action: str, thing: Node, lang: str) -> list[facts.Line]:
    """The facts that say who does ``action`` to ``thing`` (a document or meeting type or a
    post); for a post and "approve leave", whom it asks."""
    wanted = WHO_ACTIONS[action]
    lines: dict[Node, facts.Line] = {}
    if site.is_a(thing, GK.Post):
        for via in facts.via_set(site, thing):
            for fact in site.subjects(GK.assignee, via) + site.subjects(GK.attendee, via):
                leave = facts.is_leave(site, fact)
                if (action == "leave" and leave) or (action != "leave" and not leave and
                                                     facts.actions(site, fact) & wanted):
                    entry = facts.line(site, fact, lang)
                    if action == "leave":
                        entry.who = [(a, site.label(a, lang))
                                     for a in site.objects(fact, GK.addressee)]
                    lines.setdefault(fact, entry)
    else:
        for fact in facts.mentions(site, thing):
            acts = facts.actions(site, fact)
            if (action == "leave" and facts.is_leave(site, fact)) or acts & wanted:
                if site.is_a(fact, GK.Prohibition):
                    continue
                entry = facts.line(site, fact, lang)
                if action == "leave":
                    entry.who = [(a, site.label(a, lang))
                                 for a in site.objects(fact, GK.addressee)]
                lines.setdefault(fact, entry)
    return sorted((entry for entry in lines.values() if entry.who), key=facts._order)


@bp.get("/who")
def who():
    site = current()
    lang = _lang()
    action = request.args.get("action", "")
    target = request.args.get("object", "")
    answer = None
    thing = None
    if action or target:
        if action not in WHO_ACTIONS or not target.startswith("/id/"):
            abort(400, "action and object are required")
        thing = site.node_at(target)
        if not site.knows(thing):
            abort(404)
        answer = responsible(site, action, thing, lang)
    return render("web/who.html", actions=list(WHO_ACTIONS), objects=who_objects(site, lang),
                  action=action, target=target, thing=thing, answer=answer)

