"""Facts as pages show them, and the grouping of a post's (or role's, body's) responsibilities.

A fact node (norm, attendance entry, step, frequency …) becomes a :class:`Line`: its statement,
how binding it is, its conditions and exceptions and the clauses it comes from. Agent pages
group lines by what the agent does (docs/model.md: actions from ``gk:Actions``, attendance
roles from ``gk:attendance-roles``) and by which side of the fact it is on (doing, being
addressed, being named in a condition).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from ..iris import GK, SCHEMA, SKOS
from .site import Clause, Node, Site

PARTICIPANTS = ("assignee", "attendee")
OBJECT_PROPERTIES = ("target", "forMeetingType", "venue")

_SIGN = {"action-authorise", "action-sign-issue", "action-sign", "action-sign-approve",
         "action-review-sign", "action-approve", "action-check-approve", "action-review",
         "action-legality-review", "action-forward"}
_DECIDE = {"action-decide", "action-deliberate", "action-determine", "action-discuss",
           "action-study"}
_LEAD = {"action-lead", "action-take-charge", "action-preside-over-work", "action-assist",
         "action-coordinate"}
_REPORT = {"action-report", "action-request-instructions", "action-request-approval",
           "action-submit", "action-file", "action-feedback", "action-copy"}
_SUPERVISE = {"action-supervise", "action-hold-accountable", "action-rectify",
              "action-accept-supervision"}
_CONVENE = {"action-hold", "action-organise", "attendance-convene", "attendance-chair"}
_ATTEND = {"attendance-member", "attendance-participate", "attendance-nonvoting",
           "attendance-invited", "action-send-delegate"}
GROUPS = ("convene", "attend", "sign", "decide", "lead", "report", "reported", "leave",
          "supervise", "other", "must_not", "conditions")


def local(node: ox.NamedNode | None) -> str:
    return node.value.rsplit("#", 1)[-1] if node is not None else ""


@dataclass
class Line:
    """One fact as a line on a page."""

    fact: Node
    text: str
    kind: str
    modality: str | None
    strength: str  # "hard", "default", "discretionary" or ""
    conditions: list[tuple[Node, str]]
    exceptions: list[tuple[Node, str]]
    clauses: list[Clause]
    via: Node | None = None
    via_label: str | None = None
    side: str = ""  # for leave lines: "asks" or "approves"
    stated: bool = False  # a plain prescription ("由…签发"): binding, but no marker word
    who: list[tuple[Node, str]] = field(default_factory=list)


def line(site: Site, fact: Node, lang: str) -> Line:
    modality = site.value(fact, GK.modality)
    strength = ""
    if modality is not None:
        tops = [b for b in site.closure(modality, SKOS.broader)
                if site.value(b, SKOS.topConceptOf) is not None]
        strength = local(tops[0]).removeprefix("modality-") if tops else ""
    kinds = [t for t in site.types(fact) if t != GK.ProcedureStep and t.value.startswith(str(GK))]
    return Line(
        fact=fact,
        text=site.label(fact, lang),
        kind=site.label(kinds[0], lang) if kinds else "",
        modality=site.label(modality, lang) if modality is not None else None,
        strength=strength,
        conditions=[(c, site.label(c, lang)) for c in site.objects(fact, GK.condition)],
        exceptions=[(c, site.label(c, lang)) for c in site.objects(fact, GK.unless)],
        clauses=site.sources(fact),
        who=[(a, site.label(a, lang)) for p in PARTICIPANTS for a in site.objects(fact, GK[p])],
        stated=local(modality) == "modality-stated",
    )


def actions(site: Site, fact: Node) -> set[str]:
    return {local(a) for a in site.objects(fact, GK.action) + site.objects(fact, GK.attendsAs)}


def is_leave(site: Site, fact: Node) -> bool:
    if "action-ask-leave" in actions(site, fact):
        return True
    if any(local(p) == "leave" for p in site.objects(fact, GK.stepOf)):
        return True
    return any(site.is_a(t, GK.LeaveKind) for t in site.objects(fact, GK.target))


def category(site: Site, fact: Node) -> str:
    """The responsibility group of a fact for the agent that performs it."""
    if site.is_a(fact, GK.Prohibition):
        return "must_not"
    acts = actions(site, fact)
    if is_leave(site, fact):
        return "leave"
    for name, members in (("convene", _CONVENE), ("attend", _ATTEND), ("sign", _SIGN),
                          ("decide", _DECIDE), ("lead", _LEAD), ("report", _REPORT),
                          ("supervise", _SUPERVISE)):
        if acts & members:
            return name
    return "other"


def via_set(site: Site, agent: Node) -> list[Node]:
    """``agent``, the more general posts it is a kind of, and the roles those play.

    The same reading as the named question ``post_powers_duties``: the executive vice mayor
    is a vice mayor; a vice mayor plays the role "vice mayor in charge"; the mayor sits on the
    government and so is one of its members (``role:government-member``).
    """
    nodes = site.closure(agent, GK.specialisationOf)
    found = list(nodes)
    for node in nodes:
        for role in site.subjects(GK.playedBy, node):
            if role not in found:
                found.append(role)
        for composition in site.subjects(GK.memberPost, node):
            for whole in site.objects(composition, GK.compositionOf):
                for role in site.subjects(GK.membersOf, whole):
                    if role not in found:
                        found.append(role)
    return found


def _excepted(site: Site, fact: Node, agent: Node) -> bool:
    """The fact's exceptions name a post that ``agent`` is (``gk:unless`` concurrent post)."""
    general = site.closure(agent, GK.specialisationOf)
    for exception in site.objects(fact, GK.unless):
        if local(site.value(exception, GK.conditionKind)) == "condition-concurrent-post" and \
                any(a in general for a in site.objects(exception, GK.conditionAgent)):
            return True
    return False


def responsibilities(site: Site, agent: Node, lang: str) -> dict[str, list[Line]]:
    """Every fact ``agent`` takes part in, grouped (see :data:`GROUPS`), in article order."""
    groups: dict[str, dict[Node, Line]] = {name: {} for name in GROUPS}
    for via in via_set(site, agent):
        via_label = site.label(via, lang) if via != agent else None
        for p in PARTICIPANTS:
            for fact in site.subjects(GK[p], via):
                if _excepted(site, fact, agent):
                    continue
                name = category(site, fact)
                _add(groups[name], site, fact, lang, via, via_label, "asks")
        for fact in site.subjects(GK.addressee, via):
            name = "leave" if is_leave(site, fact) else "reported"
            _add(groups[name], site, fact, lang, via, via_label, "approves")
    for condition in site.subjects(GK.conditionAgent, agent):
        for p in (GK.condition, GK.unless):
            for fact in site.subjects(p, condition):
                _add(groups["conditions"], site, fact, lang, None, None, "")
    return {name: sorted(lines.values(), key=_order) for name, lines in groups.items() if lines}


def _add(group: dict[Node, Line], site: Site, fact: Node, lang: str, via: Node,
         via_label: str | None, side: str) -> None:
    if fact in group:
        return
    entry = line(site, fact, lang)
    entry.via, entry.via_label, entry.side = via, via_label, side
    group[fact] = entry


def _order(entry: Line) -> tuple:
    first = entry.clauses[0] if entry.clauses else None
    return (first.article or 999 if first else 999, first.node.value if first else "",
            entry.fact.value if isinstance(entry.fact, ox.NamedNode) else "")


def mentions(site: Site, thing: Node) -> list[Node]:
    """Facts whose object (target, meeting type, venue, condition object) is ``thing``."""
    found: list[Node] = []
    for p in OBJECT_PROPERTIES:
        for fact in site.subjects(GK[p], thing):
            if fact not in found:
                found.append(fact)
    for condition in site.subjects(GK.conditionObject, thing):
        for p in (GK.condition, GK.unless):
            for fact in site.subjects(p, condition):
                if fact not in found:
                    found.append(fact)
    return found


def steps(site: Site, procedure: Node) -> list[Node]:
    """The steps of a procedure or approval chain, by position (then IRI)."""
    return sorted(site.subjects(GK.stepOf, procedure), key=lambda s: (position(site, s), s.value))


def position(site: Site, step: Node) -> int:
    pos = site.value(step, SCHEMA.position)
    return int(pos.value) if pos is not None and pos.value.isdigit() else 0


def is_fact(site: Site, node: Node) -> bool:
    return site.is_a(node, GK.Fact)

