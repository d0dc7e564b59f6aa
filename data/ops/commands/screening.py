"""Screening: the checklist answered, vitals measured, the outcome the rule set computes and
the clinician's final decision, recorded under the rule set in force on the session's day.

No data version bump: no dashboard counts screenings (the injection that may follow does).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Engine, insert, select

from data import audit
from data.auth.roles import Principal
from data.db import unit_of_work
from data.models.ops import VaxCheckin, VaxScreening
from data.ops.commands.common import (
    actor,
    from_rule,
    new_id,
    now,
    raise_if,
    session_in_scope,
)
from data.ops.commands.errors import OpsError
from data.ops.rules.errors import RuleError
from data.ops.rules.screening import Outcome, Reason, evaluate, rule_set_for
from data.ops.rules.screening_draft import implausible

CHECKINS = VaxCheckin.__table__
SCREENINGS = VaxScreening.__table__


@dataclass(frozen=True)
class ScreeningRecord:
    """What record_screening stored."""

    screening_id: str
    rule_set_id: str
    computed_outcome: Outcome
    reasons: tuple[Reason, ...]
    final_decision: Outcome


def age_on(birth: dt.date, day: dt.date) -> int:
    """Age in whole years on `day`."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _decision(final_decision: str, computed: Outcome, reason: str) -> Outcome:
    try:
        final = Outcome(final_decision)
    except ValueError as err:
        raise OpsError.one("final_decision", "screening.decision_unknown",
                           final_decision) from err
    if final != computed and not reason.strip():
        # The clinician may overrule the checklist, never silently.
        raise OpsError.one("decision_reason", "screening.reason_required")
    return final


def record_screening(engine: Engine, principal: Principal, source: str | None,
                     checkin_id: str, answers: Mapping[str, bool],
                     vitals: Mapping[str, float], final_decision: str,
                     decision_reason: str = "") -> ScreeningRecord:
    """Screen a checked-in person; the principal is the clinician who decides."""
    with unit_of_work(engine) as conn:
        checkin = conn.execute(select(CHECKINS).where(CHECKINS.c.checkin_id == checkin_id)
                               ).mappings().first()
        if checkin is None:
            raise OpsError.one("checkin_id", "checkin.unknown", checkin_id)
        session = session_in_scope(conn, principal, checkin["session_id"])
        try:
            rule_set = rule_set_for(session["day"], age_on(checkin["birth_date"],
                                                           session["day"]))
            result = evaluate(rule_set, answers, vitals)
        except RuleError as err:  # an item unanswered or unknown, a vital missing or odd
            raise OpsError([from_rule(err)]) from err
        raise_if([from_rule(err) for err in implausible(vitals)])  # 50 °C is a typing slip
        final = _decision(final_decision, result.outcome, decision_reason)
        reasons = [dataclasses.asdict(r) for r in result.reasons]
        screening_id = new_id()
        conn.execute(insert(SCREENINGS).values(
            screening_id=screening_id, checkin_id=checkin_id, rule_set_id=rule_set.id,
            answers=dict(answers), vitals=dict(vitals), computed_outcome=result.outcome.value,
            reasons=reasons, final_decision=final.value,
            decision_reason=decision_reason.strip() or None,
            clinician_user_id=principal.user_id, screened_at=now()))
        audit.record(conn, actor(principal, source), "SCREEN", "vax_screening", screening_id,
                     after={"checkin_id": checkin_id, "rule_set_id": rule_set.id,
                            "computed_outcome": result.outcome.value,
                            "final_decision": final.value,
                            "overruled": final != result.outcome})
    return ScreeningRecord(screening_id, rule_set.id, result.outcome, result.reasons, final)
