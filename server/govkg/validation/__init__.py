"""Check organisations' records against the work rules (SHACL), and explain every finding.

    >>> from govkg.validation import validate
    >>> report = validate(["roster.ttl", "meetings.ttl"], lang="en")
    >>> report.conforms, report.serialise("json")

The rules are SHACL shapes in ``shapes/rules/`` (one per clause, citing it); the records
vocabulary is ``ontology/records.ttl``. Validation runs the shapes compiled to SPARQL on an
embedded Oxigraph store; ``engine="pyshacl"`` runs plain pySHACL instead (the reference).
"""

from .catalogue import Rule, catalogue
from .inputs import CONTEXT_IRI, Input, InputError
from .report import Finding, Report
from .validator import Validator, default_validator, validate

__all__ = [
    "CONTEXT_IRI",
    "Finding",
    "Input",
    "InputError",
    "Report",
    "Rule",
    "Validator",
    "catalogue",
    "default_validator",
    "validate",
]
