"""A screening form being filled in: the outcome its answers so far give, by the same rules
(evaluate), and the limits outside which a vital sign is a typing error, not a finding."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from data.messages import N_
from data.ops.rules.errors import RuleError
from data.ops.rules.screening import RuleSet, Screening, evaluate

# Values no living person screened at a vaccination site shows (35.5-37.5 °C is normal; 50 °C
# is a slip of the keyboard). A value outside is refused, not read as a finding.
PLAUSIBLE: dict[str, tuple[float, float]] = {
    "temperature_c": (30.0, 45.0),
    "pulse_per_min": (20.0, 250.0),
    "bp_systolic_mmhg": (50.0, 300.0),
    "bp_diastolic_mmhg": (20.0, 200.0),
    "respiratory_rate_per_min": (4.0, 80.0),
    "spo2_pct": (50.0, 100.0),
}
IMPLAUSIBLE = N_("screening.vital_implausible")
USUAL = "_usual"  # suffix of the usual value of a vital (evaluate's "<id>_usual")


def plausible_range(key: str) -> tuple[float, float] | None:
    """The plausible range of a vital (or of its usual value), None when none is known."""
    return PLAUSIBLE.get(key.removesuffix(USUAL))


def implausible(vitals: Mapping[str, float]) -> list[RuleError]:
    """A refusal per measured value outside its plausible range (numbers only: evaluate has
    refused anything else)."""
    out = []
    for key, value in vitals.items():
        limits = plausible_range(key)
        if limits is not None and not limits[0] <= value <= limits[1]:
            out.append(RuleError(IMPLAUSIBLE, key,
                                 f"{limits[0]:g}–{limits[1]:g}"))
    return out


@dataclass(frozen=True)
class Draft:
    """The outcome so far, and what is still missing before it is final."""

    screening: Screening
    unanswered: tuple[str, ...]   # item ids not answered yet (read as Không meanwhile)
    unmeasured: tuple[str, ...]   # required vitals not measured yet


def evaluate_draft(rule_set: RuleSet, answers: Mapping[str, bool],
                   vitals: Mapping[str, float]) -> Draft:
    """The outcome of a form half filled in: unanswered items count as Không and required
    vitals not yet measured are left out until they are; ids the set does not know and
    implausible values are dropped (the form tells them beside their field on saving)."""
    known = {i.id for i in rule_set.items}
    given = {k: v for k, v in answers.items() if k in known and isinstance(v, bool)}
    unanswered = tuple(i.id for i in rule_set.items if i.id not in given)
    vital_ids = {v.id for v in rule_set.vitals}
    usable = {k: v for k, v in vitals.items()
              if k.removesuffix(USUAL) in vital_ids and not implausible({k: v})}
    unmeasured = tuple(v.id for v in rule_set.vitals if v.required and v.id not in usable)
    # Measured-for-everyone vitals not yet measured: evaluate the set without that demand.
    relaxed = rule_set.model_copy(update={"vitals": [
        v.model_copy(update={"required": False}) for v in rule_set.vitals]})
    try:
        result = evaluate(relaxed, {i: given.get(i, False) for i in known}, usable)
    except RuleError:  # "<id>_usual" of a vital without a usual bound
        result = evaluate(relaxed, {i: given.get(i, False) for i in known},
                          {k: v for k, v in usable.items() if not k.endswith(USUAL)})
    return Draft(result, unanswered, unmeasured)
