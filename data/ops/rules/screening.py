"""Pre-vaccination screening: the Ministry's rule sets (data in sets/screening-*.yaml) and the
outcome a set gives to one person's answers and vital signs."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from data.ops.rules.errors import RuleError
from data.ops.rules.sets_io import read_set, set_names


class Outcome(StrEnum):
    """What screening concludes. SEVERITY orders them; the most severe finding wins."""

    ELIGIBLE = "ELIGIBLE"                  # vaccinate now, here
    CAUTION = "CAUTION"                    # vaccinate here, watched more closely
    CAUTION_HOSPITAL = "CAUTION_HOSPITAL"  # eligible, with caution, at a hospital only
    REFER = "REFER"                        # not here: a hospital or physician decides
    POSTPONE = "POSTPONE"                  # not today, anywhere
    CONTRAINDICATED = "CONTRAINDICATED"    # never this vaccine


# Least to most severe. Postpone outranks refer and hospital: whoever must wait is not sent
# anywhere today; a contraindication outranks a postponement, which would only defer it.
SEVERITY: tuple[Outcome, ...] = (
    Outcome.ELIGIBLE, Outcome.CAUTION, Outcome.CAUTION_HOSPITAL, Outcome.REFER,
    Outcome.POSTPONE, Outcome.CONTRAINDICATED,
)


def severity(outcome: Outcome) -> int:
    """Rank of an outcome in SEVERITY (0 = eligible)."""
    return SEVERITY.index(outcome)


class _Data(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Text(_Data):
    """A human text in both languages (the rule sets carry their own texts: they are data)."""

    vi: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Item(_Data):
    """One question of the checklist, answered Không (False) / Có (True)."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    number: str               # its number on the printed form ("4a")
    text: Text
    outcome: Outcome          # what a Có leads to
    asks_detail: bool = False  # the form records a detail (the allergen of item 5)


class VitalRule(_Data):
    """A vital sign and the range outside which it is abnormal (bounds are normal values)."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    text: Text
    unit: str
    low: float | None = None   # abnormal below
    high: float | None = None  # abnormal above
    # Treated hypertensives: abnormal above their usual value plus this (replaces `high` when
    # the vitals carry "<id>_usual").
    above_usual: float | None = None
    required: bool = False     # measured for everyone
    measured_for: Text
    outcome: Outcome

    @model_validator(mode="after")
    def _bounds(self) -> VitalRule:
        if self.low is None and self.high is None:
            raise ValueError(f"vital {self.id}: a low or a high bound")
        if self.low is not None and self.high is not None and self.low >= self.high:
            raise ValueError(f"vital {self.id}: low {self.low} not below high {self.high}")
        return self


class RuleSet(_Data):
    """One decision's screening rules for one population."""

    id: str
    decision: str
    effective_from: date
    min_age_years: int = Field(ge=0)
    max_age_years: int | None = None
    description: Text
    to_check: list[str]  # the values whose source is uncertain, by field
    items: list[Item] = Field(min_length=1)
    vitals: list[VitalRule] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> RuleSet:
        ids = [i.id for i in self.items] + [v.id for v in self.vitals]
        if len(ids) != len(set(ids)):
            raise ValueError(f"{self.id}: an item or vital id appears twice")
        return self

    def item(self, item_id: str) -> Item:
        """The item with this id (KeyError when the set has none)."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def has_item(self, item_id: str) -> bool:
        """Whether this set asks the item."""
        return any(i.id == item_id for i in self.items)


@dataclass(frozen=True)
class Reason:
    """A finding that drove the outcome: an item answered Có, or a vital out of range."""

    source: Literal["item", "vital"]
    id: str
    outcome: Outcome
    value: float | None = None
    bound: str = ""  # "< 35.5", "> 37.5", "> usual + 30"


@dataclass(frozen=True)
class Screening:
    """The computed outcome, the findings behind it (most severe first) and the set used."""

    rule_set_id: str
    outcome: Outcome
    reasons: tuple[Reason, ...]


@lru_cache(maxsize=1)
def rule_sets() -> tuple[RuleSet, ...]:
    """Every screening rule set shipped in sets/, oldest first."""
    sets = [RuleSet.model_validate(read_set(name)) for name in set_names("screening-")]
    if len({s.id for s in sets}) != len(sets):
        raise ValueError("two screening rule sets share an id")
    return tuple(sorted(sets, key=lambda s: s.effective_from))


def rule_set_for(day: date, age_years: int) -> RuleSet:
    """The set in force on `day` for a person of this age: the latest one in force for it."""
    fitting = [s for s in rule_sets() if s.effective_from <= day and s.min_age_years <= age_years
               and (s.max_age_years is None or age_years <= s.max_age_years)]
    if not fitting:
        raise RuleError("screening.no_rule_set", "date", f"{day}, age {age_years}")
    return fitting[-1]


def _vital_reason(rule: VitalRule, value: float, usual: float | None) -> Reason | None:
    if rule.low is not None and value < rule.low:
        return Reason("vital", rule.id, rule.outcome, value, f"< {rule.low:g}")
    if usual is not None and rule.above_usual is not None:
        if value > usual + rule.above_usual:
            return Reason("vital", rule.id, rule.outcome, value, f"> usual + {rule.above_usual:g}")
        return None
    if rule.high is not None and value > rule.high:
        return Reason("vital", rule.id, rule.outcome, value, f"> {rule.high:g}")
    return None


def _number(key: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise RuleError("screening.vital_value", key, repr(value))
    return float(value)


def _check_vitals(rule_set: RuleSet, vitals: Mapping[str, float]) -> dict[str, float]:
    rules = {v.id: v for v in rule_set.vitals}
    known = set(rules) | {f"{v.id}_usual" for v in rule_set.vitals if v.above_usual is not None}
    for key in vitals:
        if key not in known:
            raise RuleError("screening.vital_unknown", key, rule_set.id)
    for rule in rule_set.vitals:
        if rule.required and rule.id not in vitals:
            raise RuleError("screening.vital_missing", rule.id, rule_set.id)
    return {key: _number(key, value) for key, value in vitals.items()}


def _check_answers(rule_set: RuleSet, answers: Mapping[str, bool]) -> None:
    for key, value in answers.items():
        if not rule_set.has_item(key):
            raise RuleError("screening.item_unknown", key, rule_set.id)
        if not isinstance(value, bool):
            raise RuleError("screening.answer_type", key, repr(value))
    for item in rule_set.items:
        if item.id not in answers:
            raise RuleError("screening.item_missing", item.id, rule_set.id)


def evaluate(rule_set: RuleSet, answers: Mapping[str, bool],
             vitals: Mapping[str, float]) -> Screening:
    """The outcome of one screening: every item must be answered; vitals not measured are
    left out (except those the set requires); an id the set does not know is refused."""
    _check_answers(rule_set, answers)
    values = _check_vitals(rule_set, vitals)
    reasons = [Reason("item", i.id, i.outcome) for i in rule_set.items if answers[i.id]]
    for rule in rule_set.vitals:
        if rule.id in values:
            reason = _vital_reason(rule, values[rule.id], values.get(f"{rule.id}_usual"))
            if reason is not None:
                reasons.append(reason)
    reasons.sort(key=lambda r: -severity(r.outcome))  # stable: form order within an outcome
    outcome = reasons[0].outcome if reasons else Outcome.ELIGIBLE
    return Screening(rule_set.id, outcome, tuple(reasons))
