"""Synthetic records at scale: a plausible government's paperwork over many years, as N-Triples.

Used by the benchmark (``bench/``) and by the test that the fast engine and pySHACL agree on
generated data. The mix follows what one city government produces in a year (about 3,500
records: two plenary meetings, two dozen executive meetings, a thousand-odd requests …); larger
sets simply cover more years, with a new set of office-holders every five years. A small share
of records (``error_rate``) is made to break one rule, so that validation has findings to
report. All people are fictitious.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

BASE = "https://example.org/synthetic/"
GK = "https://w3id.org/govkg/ontology#"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD = "http://www.w3.org/2001/XMLSchema#"
ID = "https://w3id.org/govkg/yueqing/id/"
RECORDS_PER_YEAR = 3500
TERM_YEARS = 5
FIRST_YEAR = 2000

DEPARTMENTS = (
    "finance-bureau", "justice-bureau", "development-reform-bureau", "audit-bureau",
    "education-bureau", "transport-bureau", "health-bureau", "natural-resources-bureau",
    "housing-bureau", "agriculture-bureau", "culture-bureau", "commerce-bureau",
)
# Record kinds and their share of a year's records.
MIX = (
    ("plenary", 2), ("executive", 24), ("mayor_office", 12), ("topical", 60),
    ("citywide", 20), ("department_citywide", 40), ("work_deployment", 30),
    ("government_document", 500), ("office_document", 300), ("normative", 40),
    ("dossier", 20), ("leave", 300), ("instruction", 250), ("order", 200),
    ("reminder", 100), ("request", 1602),
)


def _iri(value: str) -> str:
    return f"<{value}>"


def _date(value: date) -> str:
    return f'"{value.isoformat()}"^^<{XSD}date>'


def _lit(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _bool(value: bool) -> str:
    return f'"{str(value).lower()}"^^<{XSD}boolean>'


@dataclass(frozen=True)
class Term:
    """The office-holders of one five-year term."""

    index: int
    start: date
    end: date

    def person(self, role: str) -> str:
        return f"{BASE}person/t{self.index}-{role}"


class Generator:
    """Writes records as N-Triples lines; deterministic for a given seed."""

    def __init__(self, records: int, seed: int = 7, error_rate: float = 0.02) -> None:
        self.records = records
        self.random = random.Random(seed)
        self.error_rate = error_rate
        self.years = max(1, round(records / RECORDS_PER_YEAR))
        terms = (self.years + TERM_YEARS - 1) // TERM_YEARS
        self.terms = [
            Term(i, date(FIRST_YEAR + TERM_YEARS * i, 1, 1),
                 date(FIRST_YEAR + TERM_YEARS * i + TERM_YEARS - 1, 12, 31))
            for i in range(terms)
        ]
        self.counter = 0

    # -- helpers ---------------------------------------------------------------------------

    def broken(self) -> bool:
        return self.random.random() < self.error_rate

    def day(self) -> date:
        return date(FIRST_YEAR, 1, 1) + timedelta(days=self.random.randrange(365 * self.years))

    def term(self, day: date) -> Term:
        return self.terms[(day.year - FIRST_YEAR) // TERM_YEARS]

    def new(self, kind: str) -> str:
        self.counter += 1
        return f"{BASE}{kind}/{self.counter}"

    @staticmethod
    def t(s: str, p: str, o: str) -> str:
        return f"{_iri(s)} {_iri(p)} {o} .\n"

    def vice_mayor(self, term: Term, unit: str) -> str:
        """The vice mayor whose portfolio includes ``unit``."""
        return term.person(f"vm{DEPARTMENTS.index(unit) % 4}")

    # -- the roster ------------------------------------------------------------------------------

    def roster(self) -> Iterator[str]:
        t = self.t
        for term in self.terms:
            def tenure(role: str, post: str, unit: str | None = None,
                       portfolio: tuple[str, ...] = (), term=term) -> Iterator[str]:
                person = term.person(role)
                node = f"{BASE}tenure/t{term.index}-{role}"
                yield t(person, RDF_TYPE, _iri(GK + "Person"))
                yield t(person, RDFS_LABEL, _lit(f"{role} ({term.start.year}-{term.end.year})"))
                yield t(node, RDF_TYPE, _iri(GK + "Tenure"))
                yield t(node, ORG + "member", _iri(person))
                yield t(node, GK + "post", _iri(ID + "post/" + post))
                if unit:
                    yield t(node, ORG + "organization", _iri(ID + "body/" + unit))
                for u in portfolio:
                    yield t(node, GK + "portfolio", _iri(ID + "body/" + u))
                yield t(node, GK + "startDate", _date(term.start))
                yield t(node, GK + "endDate", _date(term.end))

            yield from tenure("mayor", "mayor", "government")
            yield from tenure("evm", "executive-vice-mayor", "government",
                              ("development-reform-bureau",))
            for i in range(4):
                yield from tenure(f"vm{i}", "vice-mayor", "government",
                                  tuple(d for j, d in enumerate(DEPARTMENTS) if j % 4 == i))
            yield from tenure("director", "office-director", "government-office")
            yield from tenure("deputy", "office-deputy-director", "government-office")
            yield from tenure("secretary", "party-secretary", "party-committee")
            for unit in DEPARTMENTS:
                yield from tenure(f"head-{unit}", "department-principal", unit)
                yield from tenure(f"leader-{unit}", "department-leader", unit)
            membership = f"{BASE}membership/t{term.index}-vm0"
            yield t(membership, RDF_TYPE, _iri(ORG + "Membership"))
            yield t(membership, ORG + "member", _iri(term.person("vm0")))
            yield t(membership, ORG + "organization", _iri(ID + "body/party-standing-committee"))
            yield t(membership, GK + "startDate", _date(term.start))

    # -- records ---------------------------------------------------------------------------------

    def lines(self) -> Iterator[str]:
        """The roster, then ``records`` records."""
        yield from self.roster()
        kinds = [k for k, _ in MIX]
        weights = [w for _, w in MIX]
        for kind in self.random.choices(kinds, weights, k=self.records):
            yield from getattr(self, kind)()

    def step(self, s: str, prop: str, cls: str, agent: str, day: date) -> Iterator[str]:
        node = self.new("step")
        yield self.t(s, GK + prop, _iri(node))
        yield self.t(node, RDF_TYPE, _iri(GK + cls))
        yield self.t(node, PROV + "wasAssociatedWith", _iri(agent))
        yield self.t(node, GK + "date", _date(day))

    def meeting(self, mtype: str, chair_role: str, extra=()) -> Iterator[str]:
        day = self.day()
        term = self.term(day)
        m = self.new("meeting")
        t = self.t
        chair = term.person("vm1" if self.broken() else chair_role)
        yield t(m, RDF_TYPE, _iri(GK + "Meeting"))
        yield t(m, GK + "meetingType", _iri(ID + "meeting-type/" + mtype))
        yield t(m, GK + "date", _date(day))
        yield t(m, GK + "convener", _iri(chair))
        yield t(m, GK + "chair", _iri(chair))
        yield t(m, RDFS_LABEL, _lit(f"{mtype} meeting {day.isoformat()}"))
        for role in ("evm", "vm0", "vm1", "vm2", "vm3", "director"):
            node = self.new("participation")
            yield t(m, GK + "participation", _iri(node))
            yield t(node, GK + "participant", _iri(term.person(role)))
            yield t(node, GK + "attendanceRole", _iri(GK + "attendance-member"))
        for line in extra:
            yield line(m, day, term)

    def _government_meeting(self, mtype: str) -> Iterator[str]:
        t = self.t

        def topic(m: str, day: date, term: Term) -> str:
            unit = self.random.choice(DEPARTMENTS)
            item = self.new("topic")
            proposer = self.vice_mayor(term, unit)
            approver = term.person("evm" if self.broken() else "mayor")
            approval = self.new("step")
            return "".join((
                t(m, GK + "agendaItem", _iri(item)),
                t(item, RDF_TYPE, _iri(GK + "AgendaItem")),
                t(item, GK + "proposedBy", _iri(proposer)),
                t(item, GK + "leadUnit", _iri(ID + "body/" + unit)),
                t(item, GK + "materialsDeliveredOn", _date(day - timedelta(days=2))),
                t(item, GK + "approval", _iri(approval)),
                t(approval, RDF_TYPE, _iri(GK + "Approval")),
                t(approval, PROV + "wasAssociatedWith", _iri(approver)),
                t(approval, GK + "date", _date(day - timedelta(days=5))),
            ))

        def absence(m: str, day: date, term: Term) -> str:
            node = self.new("absence")
            who = term.person("head-" + self.random.choice(DEPARTMENTS))
            asked = term.person("mayor" if self.broken() else "director")
            return "".join((
                t(m, GK + "absence", _iri(node)),
                t(node, RDF_TYPE, _iri(GK + "Absence")),
                t(node, GK + "absentee", _iri(who)),
                t(node, GK + "leaveRequestedFrom", _iri(asked)),
                t(node, GK + "delegate", _iri(BASE + "person/delegate")),
            ))

        def minutes(m: str, day: date, term: Term) -> str:
            node = self.new("minutes")
            signer = term.person("evm" if self.broken() else "mayor")
            return "".join((
                t(node, RDF_TYPE, _iri(GK + "Minutes")),
                t(node, GK + "minutesOf", _iri(m)),
                t(node, GK + "signedBy", _iri(signer)),
                t(node, GK + "signedOn", _date(day + timedelta(days=3))),
            ))

        yield from self.meeting(mtype, "mayor", (topic, topic, absence, minutes))

    def plenary(self):
        return self._government_meeting("plenary")

    def executive(self):
        return self._government_meeting("executive")

    def mayor_office(self):
        return self._government_meeting("mayor-office")

    def topical(self):
        return self.meeting("topical", f"vm{self.random.randrange(4)}")

    def citywide(self):
        return self.meeting("citywide", "mayor")

    def department_citywide(self) -> Iterator[str]:
        day = self.day()
        m = self.new("meeting")
        t = self.t
        yield t(m, RDF_TYPE, _iri(GK + "Meeting"))
        yield t(m, GK + "meetingType", _iri(ID + "meeting-type/department-citywide"))
        yield t(m, GK + "organiser", _iri(ID + "body/" + self.random.choice(DEPARTMENTS)))
        yield t(m, GK + "date", _date(day))
        if not self.broken():
            yield t(m, GK + "reportedToOfficeOn", _date(day - timedelta(days=10)))
        yield t(m, GK + "requiresTownshipLeaders", _bool(self.broken()))

    def work_deployment(self) -> Iterator[str]:
        day = self.day()
        m = self.new("meeting")
        t = self.t
        yield t(m, RDF_TYPE, _iri(GK + "Meeting"))
        yield t(m, GK + "meetingType", _iri(ID + "meeting-type/work-deployment"))
        yield t(m, GK + "date", _date(day))
        yield t(m, GK + "durationMinutes",
                f'"{120 if self.broken() else 60}"^^<{XSD}integer>')

    def government_document(self) -> Iterator[str]:
        day = self.day()
        term = self.term(day)
        d = self.new("document")
        unit = self.random.choice(DEPARTMENTS)
        t = self.t
        major = self.random.random() < 0.1
        yield t(d, RDF_TYPE, _iri(GK + "IssuedDocument"))
        yield t(d, GK + "issuedInNameOf", _iri(ID + "body/government"))
        yield t(d, GK + "draftingUnit", _iri(ID + "body/" + unit))
        yield t(d, GK + "documentNumber", _lit(f"乐政发〔{day.year}〕{self.counter}号"))
        yield t(d, RDFS_LABEL, _lit(f"关于{unit}工作的通知（{self.counter}）"))
        if major:
            yield t(d, GK + "documentType", _iri(ID + "document-type/to-higher-government"))
            signer = term.person("evm" if self.broken() else "mayor")
            yield from self.step(d, "review", "Review", term.person("director"), day)
            yield from self.step(d, "review", "Review", self.vice_mayor(term, unit), day)
        else:
            signer = self.vice_mayor(term, unit) if not self.broken() else term.person("mayor")
            reviewer = term.person("director" if self.broken() else "deputy")
            yield from self.step(d, "review", "Review", reviewer, day - timedelta(days=1))
        yield t(d, GK + "signedBy", _iri(signer))
        yield t(d, GK + "signedOn", _date(day))
        yield t(d, GK + "issuedOn", _date(day + timedelta(days=2)))

    def office_document(self) -> Iterator[str]:
        day = self.day()
        term = self.term(day)
        d = self.new("document")
        t = self.t
        yield t(d, RDF_TYPE, _iri(GK + "IssuedDocument"))
        yield t(d, GK + "issuedInNameOf", _iri(ID + "body/government-office"))
        yield t(d, RDFS_LABEL, _lit(f"市政府办公室通知（{self.counter}）"))
        yield t(d, GK + "documentNumber", _lit(f"乐政办发〔{day.year}〕{self.counter}号"))
        yield t(d, GK + "issuedOn", _date(day + timedelta(days=1)))
        yield t(d, GK + "signedBy", _iri(term.person("head-finance-bureau" if self.broken()
                                                    else "deputy")))
        yield t(d, GK + "signedOn", _date(day))

    def normative(self) -> Iterator[str]:
        day = self.day()
        d = self.new("normative")
        unit = self.random.choice(DEPARTMENTS)
        t = self.t
        yield t(d, RDF_TYPE, _iri(GK + "NormativeDocument"))
        yield t(d, GK + "issuedInNameOf", _iri(ID + "body/" + unit))
        yield t(d, GK + "draftingUnit", _iri(ID + "body/" + unit))
        yield t(d, GK + "issuedOn", _date(day))
        if not self.broken():
            yield t(d, GK + "registrationNumber", _lit(f"LQDR-{day.year}-{self.counter}"))
        yield t(d, GK + "consultedDepartment", _iri(ID + "body/audit-bureau"))
        late = 20 if self.broken() else 10
        yield t(d, GK + "filedOn", _date(day + timedelta(days=late)))
        yield from self.step(d, "legalityReview", "LegalityReview", ID + "body/justice-bureau",
                             day - timedelta(days=20))

    def dossier(self) -> Iterator[str]:
        day = self.day()
        d = self.new("dossier")
        t = self.t
        yield t(d, RDF_TYPE, _iri(GK + "DecisionDossier"))
        yield t(d, GK + "submittedOn", _date(day))
        yield t(d, GK + "material", _iri(GK + "material-draft-and-explanation"))
        yield t(d, GK + "material", _iri(GK + "material-legal-opinion"))
        yield t(d, GK + "affectsSocialStability", _bool(True))
        if not self.broken():
            yield from self.step(d, "riskAssessment", "RiskAssessment",
                                 ID + "body/development-reform-bureau", day - timedelta(days=15))
        yield from self.step(d, "legalityReview", "LegalityReview", ID + "body/justice-bureau",
                             day - timedelta(days=7))

    def leave(self) -> Iterator[str]:
        day = self.day()
        term = self.term(day)
        r = self.new("leave")
        t = self.t
        kind, who, approver = self.random.choice((
            ("leave-business-trip", f"vm{self.random.randrange(1, 4)}", "mayor"),
            ("leave-vacation", "head-education-bureau", "mayor"),
            ("leave-visit", "leader-finance-bureau", "vm0"),
        ))
        yield t(r, RDF_TYPE, _iri(GK + "LeaveRequest"))
        yield t(r, RDFS_LABEL, _lit(f"请假 {day.isoformat()}"))
        yield t(r, GK + "requester", _iri(term.person(who)))
        yield t(r, GK + "leaveKind", _iri(GK + kind))
        yield t(r, GK + "startDate", _date(day))
        yield t(r, GK + "endDate", _date(day + timedelta(days=3)))
        approved = day + timedelta(days=2) if self.broken() else day - timedelta(days=3)
        yield from self.step(r, "approval", "Approval", term.person(approver), approved)

    def instruction(self) -> Iterator[str]:
        day = self.day()
        term = self.term(day)
        r = self.new("instruction")
        t = self.t
        yield t(r, RDF_TYPE, _iri(GK + "LeaderInstruction"))
        yield t(r, RDFS_LABEL, _lit(f"市长批示（{self.counter}）"))
        yield t(r, GK + "instructedBy", _iri(term.person("mayor")))
        yield t(r, GK + "date", _date(day))
        yield t(r, GK + "receivedBy", _iri(ID + "body/supervision-office"))
        yield t(r, GK + "requiresFeedback", _bool(True))
        if not self.broken():
            slip = self.new("slip")
            yield t(r, GK + "handlingSlip", _iri(slip))
            yield t(slip, RDF_TYPE, _iri(GK + "InstructionSlip"))
            yield t(slip, GK + "assignedTo", _iri(ID + "body/" + self.random.choice(DEPARTMENTS)))

    def order(self) -> Iterator[str]:
        day = self.day()
        term = self.term(day)
        r = self.new("order")
        t = self.t
        yield t(r, RDF_TYPE, _iri(GK + "SupervisionOrder"))
        yield t(r, RDFS_LABEL, _lit(f"督办单（{self.counter}）"))
        yield t(r, GK + "requestedBy", _iri(term.person("vm2")))
        yield t(r, GK + "issuedBy", _iri(ID + "body/supervision-office"))
        yield t(r, GK + "date", _date(day))
        yield t(r, GK + "signedBy", _iri(term.person("vm2" if self.broken() else "deputy")))
        yield t(r, GK + "assignedTo", _iri(ID + "body/" + self.random.choice(DEPARTMENTS)))

    def reminder(self) -> Iterator[str]:
        day = self.day()
        term = self.term(day)
        r = self.new("reminder")
        t = self.t
        yield t(r, RDF_TYPE, _iri(GK + "WorkReminderSlip"))
        yield t(r, RDFS_LABEL, _lit(f"工作提示单（{self.counter}）"))
        yield t(r, GK + "requestedBy", _iri(term.person("mayor")))
        yield t(r, GK + "issuedBy", _iri(ID + "body/supervision-office"))
        yield t(r, GK + "date", _date(day))
        yield t(r, GK + "signedBy", _iri(term.person("deputy" if self.broken() else "director")))

    def request(self) -> Iterator[str]:
        day = self.day()
        term = self.term(day)
        r = self.new("request")
        t = self.t
        unit = self.random.choice(DEPARTMENTS)
        yield t(r, RDF_TYPE, _iri(GK + "Request"))
        yield t(r, RDFS_LABEL, _lit(f"关于{unit}事项的请示（{self.counter}）"))
        yield t(r, GK + "documentNumber", _lit(f"{unit}〔{day.year}〕{self.counter}号"))
        yield t(r, GK + "submittedBy", _iri(ID + "body/" + unit))
        yield t(r, GK + "submittedOn", _date(day))
        channel = "channel-paper" if self.broken() else "channel-oa"
        yield t(r, GK + "channel", _iri(GK + channel))
        yield t(r, GK + "receivedBy", _iri(ID + "body/government-office"))
        if self.random.random() < 0.2:
            yield t(r, GK + "concernsMajorMatter", _bool(True))
            approver = term.person("vm1" if self.broken() else "mayor")
        else:
            approver = self.vice_mayor(term, unit)
        yield from self.step(r, "approval", "Approval", approver, day + timedelta(days=5))


def write(path: Path, records: int, seed: int = 7, error_rate: float = 0.02) -> int:
    """Write ``records`` synthetic records (plus their roster) to ``path``; return the triples."""
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for line in Generator(records, seed, error_rate).lines():
            out.write(line)
            count += line.count(" .\n")
    return count
