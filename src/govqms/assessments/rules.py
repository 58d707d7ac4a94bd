"""The library of auto-scoring rules (issue 6, item 2).

A criterion may name one rule (`Criterion.rule`) with parameters
(`Criterion.rule_params`). A rule reads govqms's own records of one agency for one
year, through the other apps' selectors/models read-only, and proposes a score with
the evidence it used. The proposal is only a proposal: the agency keeps or changes
it in its self-assessment, and the DoST appraises.

Contract (used by the campaign services and the criteria editor):

    RULES: dict[str, Rule]                  every rule, by key
    propose(criterion, unit, year) -> Proposal | None
    propose_many(criteria, unit, year) -> dict[criterion_pk, Proposal]
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Evidence:
    label: str
    url: str = ""

    def as_json(self) -> dict:
        return {"label": self.label, "url": self.url}


@dataclass(frozen=True)
class Proposal:
    points: Decimal
    summary: str
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(frozen=True)
class Param:
    name: str
    label: str
    kind: type  # int, float or Decimal
    default: object


@dataclass(frozen=True)
class Rule:
    key: str
    label: str
    description: str
    params: tuple[Param, ...]
    # compute(unit, year, params: dict, max_points: Decimal) -> Proposal
    compute: Callable


RULES: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    RULES[rule.key] = rule
    return rule


def params_for(rule: Rule, given: dict | None) -> dict:
    """The rule's parameters: the criterion's values over the defaults."""
    given = given or {}
    return {p.name: p.kind(given.get(p.name, p.default)) for p in rule.params}


def propose(criterion, unit, year: int) -> Proposal | None:
    rule = RULES.get(criterion.rule or "")
    if rule is None:
        return None
    return rule.compute(unit, year, params_for(rule, criterion.rule_params), criterion.max_points)


def propose_many(criteria, unit, year: int) -> dict:
    return {c.pk: proposal for c in criteria if (proposal := propose(c, unit, year)) is not None}
