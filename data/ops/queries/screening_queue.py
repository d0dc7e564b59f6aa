"""The screening desk's queue: who checked in today at a facility's sessions and is not yet
screened, oldest arrival first, each with the rule set in force on the session's day for
their age. Names and identity numbers are personal data: each read is audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, func, select

from data import audit
from data.auth.roles import Principal
from data.command_errors import OpsError
from data.db import unit_of_work
from data.messages import N_
from data.models.operational import Registration
from data.models.ops import VaxCheckin, VaxScreening, VaxSession
from data.ops.commands.common import actor, require_facility
from data.ops.commands.screening import age_on
from data.ops.rules.errors import RuleError
from data.ops.rules.screening import rule_set_for

CHECKINS = VaxCheckin.__table__
SCREENINGS = VaxScreening.__table__
SESSIONS = VaxSession.__table__
REGISTRATIONS = Registration.__table__
NOT_WAITING = N_("screening.not_waiting")
MAX_QUEUE = 300  # more than a day's arrivals of the largest site waiting at once


@dataclass(frozen=True)
class Waiting:
    """One person waiting for screening."""

    number: int               # the day's arrival number at the facility (1 = first in)
    checkin_id: str
    session_id: str
    person_id: str
    id_type: str
    full_name: str | None     # None when the booking names no registration
    birth_date: dt.date
    sex: str
    age_years: int
    checked_in_at: dt.datetime
    rule_set_id: str | None   # None: no checklist applies (rule_set_problem says why)
    rule_set_problem: str = ""


def _rule_set(day: dt.date, birth: dt.date) -> tuple[str | None, str]:
    try:
        return rule_set_for(day, age_on(birth, day)).id, ""
    except RuleError as err:  # under 18: no adult checklist
        return None, err.code


def _day_checkins(conn: Connection, facility_code: str, day: dt.date,
                  checkin_id: str | None = None) -> list[Waiting]:
    """The check-ins of the facility's sessions on `day` not yet screened, numbered by
    arrival among all of the day's (screened or not), oldest first; only `checkin_id`'s when
    given. The database numbers and filters: a busy site's day holds thousands of check-ins,
    and only the few still waiting come back."""
    c, r, s = CHECKINS, REGISTRATIONS, SESSIONS
    screened = select(SCREENINGS.c.checkin_id).where(SCREENINGS.c.checkin_id == c.c.checkin_id)
    day_rows = (select(c.c.checkin_id, c.c.session_id, c.c.person_id, c.c.id_type,
                       c.c.birth_date, c.c.sex, c.c.checked_in_at, c.c.registration_id, s.c.day,
                       screened.exists().label("screened"),
                       func.row_number().over(order_by=(c.c.checked_in_at, c.c.checkin_id))
                       .label("number"))
                .join(s, s.c.session_id == c.c.session_id)
                .where(s.c.facility_code == facility_code, s.c.day == day)).subquery()
    q = (select(day_rows, r.c.full_name)
         .outerjoin(r, r.c.registration_id == day_rows.c.registration_id)
         .where(day_rows.c.screened.is_(False))
         .order_by(day_rows.c.number).limit(MAX_QUEUE))
    if checkin_id is not None:
        q = q.where(day_rows.c.checkin_id == checkin_id)
    out = []
    for row in conn.execute(q).mappings():
        rule_set_id, problem = _rule_set(row["day"], row["birth_date"])
        out.append(Waiting(int(row["number"]), row["checkin_id"], row["session_id"],
                           row["person_id"], row["id_type"], row["full_name"],
                           row["birth_date"], row["sex"], age_on(row["birth_date"], row["day"]),
                           row["checked_in_at"], rule_set_id, problem))
    return out


def screening_queue(engine: Engine, principal: Principal, source: str | None,
                    facility_code: str, day: dt.date) -> list[Waiting]:
    """The people checked in on `day` at the facility's sessions with no screening yet,
    oldest arrival first. Forbidden unless the principal works the facility's sessions (its
    staff, or an officer of its district or province); an unknown facility is a problem of
    the facility_code field."""
    with unit_of_work(engine) as conn:
        require_facility(conn, principal, facility_code)
        waiting = _day_checkins(conn, facility_code, day)
        audit.record(conn, actor(principal, source), "VIEW_PERSONAL", "vax_checkin",
                     facility_code, detail={"read": "ops.screening_queue",
                                            "count": len(waiting)})
    return waiting


def waiting_one(engine: Engine, principal: Principal, source: str | None, facility_code: str,
                day: dt.date, checkin_id: str) -> Waiting:
    """One person of the queue, to open their form: refused (OpsError on checkin_id) when
    the check-in is not waiting at this facility today, or already screened."""
    with unit_of_work(engine) as conn:
        require_facility(conn, principal, facility_code)
        found = _day_checkins(conn, facility_code, day, checkin_id)
        audit.record(conn, actor(principal, source), "VIEW_PERSONAL", "vax_checkin",
                     checkin_id, detail={"read": "ops.screening_open", "count": len(found)})
    if not found:
        raise OpsError.one("checkin_id", NOT_WAITING)
    return found[0]
