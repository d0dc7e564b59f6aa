"""Screening: the checklist answered, vitals measured, the outcome the rule set computes and
the clinician's final decision, recorded under the rule set in force on the session's day.

One screening per check-in and attempt (uq_vax_screening_checkin_id_attempt, 0015): a check-in
already screened is refused ("screening.done", with the time of the screening that stands),
whether the command sees the earlier row or loses the race to store it; two clinicians (or a
retry) saving at once store one. A re-screen after a pause (give_dose follows the latest
screening) names the screening it follows (`rescreen_of`) and must follow the latest one, so
a form opened before someone else's save cannot add a screening unknowingly either.

No data version bump: no dashboard counts screenings (the injection that may follow does).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, insert, select
from sqlalchemy.exc import IntegrityError

from data import audit
from data.auth.roles import Principal
from data.command_errors import OpsError
from data.db import unit_of_work
from data.models.ops import VaxCheckin, VaxScreening
from data.ops.commands.checkin import CAMPAIGN_TZ
from data.ops.commands.common import (
    actor,
    from_rule,
    new_id,
    now,
    raise_if,
    session_in_scope,
)
from data.ops.rules.errors import RuleError
from data.ops.rules.screening import Outcome, Reason, evaluate, rule_set_for
from data.ops.rules.screening_draft import implausible

CHECKINS = VaxCheckin.__table__
SCREENINGS = VaxScreening.__table__
ONCE = "uq_vax_screening_checkin_id_attempt"
ONCE_SQLITE = "vax_screening.checkin_id, vax_screening.attempt"  # SQLite names the columns


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


def latest_attempt(conn: Connection, checkin_id: str) -> dict[str, Any] | None:
    """The check-in's latest screening (id, attempt, time), None when never screened."""
    row = conn.execute(select(SCREENINGS.c.screening_id, SCREENINGS.c.attempt,
                              SCREENINGS.c.screened_at)
                       .where(SCREENINGS.c.checkin_id == checkin_id)
                       .order_by(SCREENINGS.c.attempt.desc()).limit(1)).mappings().first()
    return dict(row) if row else None


def _already(latest: dict[str, Any]) -> OpsError:
    at = latest["screened_at"]
    at = (at if at.tzinfo else at.replace(tzinfo=dt.UTC)).astimezone(CAMPAIGN_TZ)
    return OpsError.one("checkin_id", "screening.done", at.strftime("%H:%M"))


def _attempt(conn: Connection, checkin_id: str, rescreen_of: str | None) -> int:
    """The attempt this screening is: 1 for a first one, the followed one's + 1 for a
    re-screen; OpsError when the check-in is screened already (or since the followed one)."""
    latest = latest_attempt(conn, checkin_id)
    if rescreen_of is None:
        if latest is not None:
            raise _already(latest)
        return 1
    if latest is None or latest["screening_id"] != rescreen_of:
        raise OpsError.one("rescreen_of", "screening.rescreen_of", rescreen_of)
    return int(latest["attempt"]) + 1


def record_screening(engine: Engine, principal: Principal, source: str | None,
                     checkin_id: str, answers: Mapping[str, bool],
                     vitals: Mapping[str, float], final_decision: str,
                     decision_reason: str = "", *,
                     rescreen_of: str | None = None) -> ScreeningRecord:
    """Screen a checked-in person; the principal is the clinician who decides. `rescreen_of`:
    the check-in's latest screening, when this one screens the person again after a pause."""
    try:
        return _record(engine, principal, source, checkin_id, answers, vitals,
                       final_decision, decision_reason, rescreen_of)
    except IntegrityError as err:
        if ONCE not in str(err.orig) and ONCE_SQLITE not in str(err.orig):
            raise
        # Another clinician's save of this attempt committed first: theirs stands.
        with engine.connect() as conn:
            latest = latest_attempt(conn, checkin_id)
        if latest is None:  # not possible once their row committed; never a 500 though
            raise OpsError.one("checkin_id", "screening.done", "") from err
        raise _already(latest) from err


def _record(engine: Engine, principal: Principal, source: str | None, checkin_id: str,
            answers: Mapping[str, bool], vitals: Mapping[str, float], final_decision: str,
            decision_reason: str, rescreen_of: str | None) -> ScreeningRecord:
    with unit_of_work(engine) as conn:
        checkin = conn.execute(select(CHECKINS).where(CHECKINS.c.checkin_id == checkin_id)
                               ).mappings().first()
        if checkin is None:
            raise OpsError.one("checkin_id", "checkin.unknown", checkin_id)
        session = session_in_scope(conn, principal, checkin["session_id"])
        attempt = _attempt(conn, checkin_id, rescreen_of)
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
            screening_id=screening_id, checkin_id=checkin_id, attempt=attempt,
            rule_set_id=rule_set.id,
            answers=dict(answers), vitals=dict(vitals), computed_outcome=result.outcome.value,
            reasons=reasons, final_decision=final.value,
            decision_reason=decision_reason.strip() or None,
            clinician_user_id=principal.user_id, screened_at=now()))
        audit.record(conn, actor(principal, source), "SCREEN", "vax_screening", screening_id,
                     after={"checkin_id": checkin_id, "rule_set_id": rule_set.id,
                            "attempt": attempt, "computed_outcome": result.outcome.value,
                            "final_decision": final.value,
                            "overruled": final != result.outcome})
    return ScreeningRecord(screening_id, rule_set.id, result.outcome, result.reasons, final)
