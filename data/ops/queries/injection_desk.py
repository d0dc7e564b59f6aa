"""The injection desk's reads: who is waiting (checked in and screened as eligible at the
facility's open sessions of the day, not yet vaccinated there), and for one of them the form
as it opens (the schedule's proposal, the session's lots FEFO)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, select

from data import audit
from data.auth.roles import Principal
from data.db import unit_of_work
from data.models.ops import VaxCheckin, VaxInjection, VaxScreening
from data.ops.commands.common import SESSIONS, actor, require_facility, session_in_scope
from data.ops.commands.errors import OpsError
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
    Personal data: the read is audited (who looked, how many were shown)."""
    with unit_of_work(engine) as conn:
        require_facility(conn, principal, facility_code)
        sessions = select(SESSIONS.c.session_id).where(
            SESSIONS.c.facility_code == facility_code, SESSIONS.c.day == day,
            SESSIONS.c.status == "OPEN")
        given = select(GIVEN.c.checkin_id).where(GIVEN.c.status == "COMPLETED")
        checkins = [dict(r) for r in conn.execute(
            select(CHECKINS).where(CHECKINS.c.session_id.in_(sessions.scalar_subquery()),
                                   CHECKINS.c.checkin_id.not_in(given.scalar_subquery()))
            .order_by(CHECKINS.c.checked_in_at).limit(MAX_WAITING)).mappings()]
        out = []
        for c in checkins:
            screened = latest_screening(conn, c["checkin_id"])
            if screened is None or screened["final_decision"] not in ALLOWS_DOSE:
                continue
            out.append(Waiting(c["checkin_id"], c["session_id"], _name(conn, c),
                               c["person_id"], screened["final_decision"],
                               screened["screened_at"]))
        audit.record(conn, actor(principal, source), "VIEW_PERSONAL", "vax_checkin",
                     facility_code, detail={"read": "ops.injection_waiting",
                                            "count": len(out)})
    return sorted(out, key=lambda w: w.screened_at)


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
