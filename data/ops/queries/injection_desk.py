"""The injection desk's reads: who is waiting (checked in and screened as eligible at the
facility's open sessions of the day, not yet vaccinated there), and for one of them the form
as it opens (the schedule's proposal, the session's lots FEFO)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, exists, func, select

from data import audit
from data.auth.roles import Principal
from data.command_errors import OpsError
from data.db import unit_of_work
from data.models.operational import Injection, Registration
from data.models.ops import VaxCheckin, VaxInjection, VaxScreening
from data.models.star import FctInjection
from data.ops.commands.common import SESSIONS, actor, require_facility, session_in_scope
from data.ops.commands.give_dose import (
    ALLOWS_DOSE,
    Proposal,
    history_of,
    latest_screening,
    person_of,
    propose,
)
from data.ops.queries.lots import LotHeld, lots_held
from data.ops.rules import schedule

CHECKINS = VaxCheckin.__table__
SCREENINGS = VaxScreening.__table__
GIVEN = VaxInjection.__table__
REGISTRATIONS = Registration.__table__
INJECTIONS = Injection.__table__
FACTS = FctInjection.__table__
MAX_WAITING = 200  # a desk's queue; a longer one is paged by the session, not this list


@dataclass(frozen=True)
class Waiting:
    """A screened person waiting for their dose."""

    checkin_id: str
    session_id: str
    full_name: str
    person_id: str
    final_decision: str
    screened_at: dt.datetime


@dataclass(frozen=True)
class DoseForm:
    """The injection form of one check-in as it opens."""

    checkin_id: str
    session_id: str
    full_name: str
    person_id: str
    birth_date: dt.date
    final_decision: str
    history: tuple[schedule.Dose, ...]
    proposal: Proposal
    lots: tuple[LotHeld, ...]  # usable on the day, FEFO

    @property
    def suggested_lot(self) -> LotHeld | None:
        """The first lot to expire among those of a product the schedule allows (else the
        first to expire)."""
        fitting = [lot for lot in self.lots if lot.vaccine_code in self.proposal.products]
        return (fitting or list(self.lots) or [None])[0]


def _name(conn: Connection, checkin: dict) -> str:
    person = person_of(conn, checkin)
    return str(person["full_name"]) if person else ""


def waiting(engine: Engine, principal: Principal, source: str | None, facility_code: str,
            day: dt.date) -> list[Waiting]:
    """People checked in at the facility's open sessions of `day` whose latest screening
    allows the dose and who have no dose at that check-in yet; earliest screened first.
    Personal data: the read is audited (who looked, how many were shown).

    One query: the list is re-read after every dose at every desk, and a read made of one
    query per person queued behind the busy workers' GIL at each round trip (the forms bench
    saw it at 0.7 s p50 under 16 desks). The eligibility filter runs before the limit, so
    people postponed earlier in the day never push the waiting ones off the list."""
    with unit_of_work(engine) as conn:
        require_facility(conn, principal, facility_code)
        c, s, g, r = CHECKINS, SCREENINGS, GIVEN, REGISTRATIONS
        i, f = INJECTIONS, FACTS
        sessions = select(SESSIONS.c.session_id).where(
            SESSIONS.c.facility_code == facility_code, SESSIONS.c.day == day,
            SESSIONS.c.status == "OPEN")
        latest = select(s.c.checkin_id, s.c.final_decision, s.c.screened_at, func.row_number()
                        .over(partition_by=s.c.checkin_id,
                              order_by=s.c.attempt.desc())
                        .label("n")).where(
            s.c.checkin_id.in_(select(c.c.checkin_id).where(
                c.c.session_id.in_(sessions.scalar_subquery())).scalar_subquery())).subquery()
        rows = conn.execute(
            select(c, latest.c.final_decision, latest.c.screened_at,
                   r.c.full_name.label("registered_name"))
            .join(latest, (latest.c.checkin_id == c.c.checkin_id) & (latest.c.n == 1))
            .outerjoin(r, r.c.registration_id == c.c.registration_id)
            .where(latest.c.final_decision.in_(ALLOWS_DOSE),
                   ~exists().where(g.c.checkin_id == c.c.checkin_id,
                                   g.c.status == "COMPLETED"),
                   # A dose recorded for the person here today without the desk (the JSON
                   # API's POST /injections, a file) also ends their wait.
                   ~exists().where(
                       i.c.person_id == c.c.person_id, i.c.facility_code == facility_code,
                       i.c.status == "COMPLETED", f.c.record_id == i.c.record_id,
                       f.c.date_key == day.year * 10000 + day.month * 100 + day.day))
            .order_by(latest.c.screened_at, c.c.checkin_id).limit(MAX_WAITING)).mappings().all()
        out = []
        for row in rows:
            name = row["registered_name"]
            if name is None:  # no registration on the check-in: as the form names them
                name = _name(conn, dict(row))
            out.append(Waiting(row["checkin_id"], row["session_id"], str(name),
                               row["person_id"], row["final_decision"], row["screened_at"]))
        audit.record(conn, actor(principal, source), "VIEW_PERSONAL", "vax_checkin",
                     facility_code, detail={"read": "ops.injection_waiting",
                                            "count": len(out)})
    return out


def dose_form(engine: Engine, principal: Principal, checkin_id: str) -> DoseForm:
    """The form of one waiting person: history, proposal for the session's day, lots."""
    with unit_of_work(engine) as conn:
        checkin = conn.execute(select(CHECKINS).where(CHECKINS.c.checkin_id == checkin_id)
                               ).mappings().first()
        if checkin is None:
            raise OpsError.one("checkin_id", "checkin.unknown", checkin_id)
        session = session_in_scope(conn, principal, checkin["session_id"])
        screened = latest_screening(conn, checkin_id)
        history = history_of(conn, checkin["person_id"])
        day = session["day"]
        held = lots_held(conn, session["facility_code"], session["vaccines"], session["lots"])
        return DoseForm(
            checkin_id, session["session_id"], _name(conn, dict(checkin)),
            checkin["person_id"], checkin["birth_date"],
            screened["final_decision"] if screened else "",
            tuple(sorted(history, key=lambda d: d.day)),
            propose(history, day, checkin["birth_date"]),
            tuple(lot for lot in held if not lot.expired_on(day)))
