"""Sessions and their bookings: plan a session, book a person into it, cancel, close.

A session is never overbooked. Booking adds one to `vax_session.booked` with a conditional
UPDATE (`booked < capacity`): on PostgreSQL concurrent bookings queue on the session's row
lock and each re-reads the condition after the one before commits; SQLite has one writer at
a time. A CHECK constraint on the table refuses an overbooked row whatever path writes it.
No command here bumps the data version: no dashboard counts sessions or bookings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from data import audit
from data.auth.roles import Principal
from data.catalog import ID_TYPES
from data.cccd import check_cmnd, check_passport, decode_cccd
from data.command_errors import OpsError, Problem
from data.db import unit_of_work
from data.messages import N_
from data.models.auth import AppUser
from data.models.operational import Registration, StockMovement
from data.models.ops import BOOKING_SOURCES, VaxBooking, VaxSessionStaff
from data.models.reference import VaccineProduct
from data.ops.commands.closing import doses_given
from data.ops.commands.common import (
    FACILITIES,
    SESSIONS,
    actor,
    from_rule,
    new_id,
    now,
    raise_if,
    require_facility,
    session_in_scope,
    session_status_locked,
)
from data.ops.rules.errors import RuleError

BOOKINGS = VaxBooking.__table__
STAFF = VaxSessionStaff.__table__
USERS = AppUser.__table__
VACCINES = VaccineProduct.__table__
MOVEMENTS = StockMovement.__table__
REGISTRATIONS = Registration.__table__
STAFF_ROLES = ("LEAD", "CHECKIN", "SCREENING", "VACCINATOR", "OBSERVATION")
MAX_CAPACITY = 5000  # a very large site's day; a bigger number is a typing error
FACILITY_NOT_ACTIVE = N_("session.facility_not_active")


@dataclass(frozen=True)
class SessionPlan:
    """What the planning form sends."""

    facility_code: str
    day: dt.date
    starts_at: dt.time
    ends_at: dt.time
    capacity: int
    vaccines: Sequence[str]
    lots: Sequence[str] = ()
    staff: Sequence[tuple[int, str]] = ()  # (user id, STAFF_ROLES)


def _plan_problems(conn: Connection, plan: SessionPlan) -> list[Problem]:
    problems: list[Problem] = []
    if plan.ends_at <= plan.starts_at:
        problems.append(Problem("ends_at", "session.window"))
    if not 0 < plan.capacity <= MAX_CAPACITY:
        problems.append(Problem("capacity", "session.capacity", str(plan.capacity)))
    vaccines = list(dict.fromkeys(plan.vaccines))
    known = set(conn.execute(select(VACCINES.c.code)).scalars())
    unknown = [v for v in vaccines if v not in known]
    if not vaccines or unknown:
        problems.append(Problem("vaccines", "session.vaccine_unknown" if unknown
                                else "session.vaccine_required", ",".join(unknown)))
    problems += _lot_problems(conn, plan, vaccines)
    problems += _staff_problems(conn, plan.staff)
    return problems


def _lot_problems(conn: Connection, plan: SessionPlan, vaccines: list[str]) -> list[Problem]:
    """Each lot must be a lot of one of the session's vaccines, not expired on its day."""
    lots = list(dict.fromkeys(plan.lots))
    if not lots:
        return []
    seen = conn.execute(
        select(MOVEMENTS.c.lot_number, MOVEMENTS.c.vaccine_code, MOVEMENTS.c.expiry_date)
        .where(MOVEMENTS.c.lot_number.in_(lots)).distinct()).all()
    expiry = {lot: exp for lot, code, exp in seen if code in vaccines}
    unknown = [lot for lot in lots if lot not in expiry]
    if unknown:
        return [Problem("lots", "session.lot_unknown", ",".join(unknown))]
    expired = [lot for lot in lots if expiry[lot] < plan.day]
    return [Problem("lots", "session.lot_expired", ",".join(expired))] if expired else []


def _staff_problems(conn: Connection, staff: Sequence[tuple[int, str]]) -> list[Problem]:
    if any(role not in STAFF_ROLES for _, role in staff):
        return [Problem("staff", "session.staff_role")]
    ids = {uid for uid, _ in staff}
    if len(ids) != len(staff):
        return [Problem("staff", "session.staff_twice")]
    active = set(conn.execute(select(USERS.c.id).where(
        USERS.c.id.in_(ids), USERS.c.is_active.is_(True))).scalars())
    missing = sorted(ids - active)
    return [Problem("staff", "session.staff_unknown", ",".join(map(str, missing)))] if missing \
        else []


def _facility_problems(conn: Connection, facility_code: str) -> list[Problem]:
    """Only an ACTIVE facility gets new sessions: a PENDING one is not approved yet, a
    SUSPENDED or REFUSED one takes none (data.ops.commands.facilities_status). Read under
    the row's lock, so a suspension committing meanwhile is seen."""
    status = conn.execute(select(FACILITIES.c.status).where(
        FACILITIES.c.code == facility_code).with_for_update(read=True)).scalar()
    return [] if status == "ACTIVE" else [Problem("facility_code", FACILITY_NOT_ACTIVE,
                                                  str(status))]


def create_session(engine: Engine, principal: Principal, source: str | None,
                   plan: SessionPlan) -> str:
    """Plan an OPEN session at an ACTIVE facility the principal works; returns its id."""
    with unit_of_work(engine) as conn:
        require_facility(conn, principal, plan.facility_code)
        raise_if(_facility_problems(conn, plan.facility_code) + _plan_problems(conn, plan))
        session_id = new_id()
        row = {"session_id": session_id, "facility_code": plan.facility_code, "day": plan.day,
               "starts_at": plan.starts_at, "ends_at": plan.ends_at,
               "capacity": plan.capacity, "booked": 0,
               "vaccines": list(dict.fromkeys(plan.vaccines)),
               "lots": list(dict.fromkeys(plan.lots)), "status": "OPEN",
               "created_by": principal.user_id, "created_at": now()}
        conn.execute(insert(SESSIONS).values(**row))
        if plan.staff:
            conn.execute(insert(STAFF), [{"session_id": session_id, "user_id": uid,
                                          "role": role} for uid, role in plan.staff])
        after = {k: v.isoformat() if isinstance(v, dt.date | dt.time) else v
                 for k, v in row.items() if k not in ("created_at", "booked")}
        audit.record(conn, actor(principal, source), "CREATE", "vax_session", session_id,
                     after=after | {"staff": [list(s) for s in plan.staff]})
    return session_id


def close_session(engine: Engine, principal: Principal, source: str | None,
                  session_id: str) -> None:
    """Close a session in which no dose was given (a cancelled day): it takes no further
    booking or walk-in. One with doses closes with its tally (closing.close_with_tally)."""
    with unit_of_work(engine) as conn:
        session = session_in_scope(conn, principal, session_id)
        # Counted under the session's lock: a dose in flight lands first and is counted.
        status = session_status_locked(conn, session_id, share=False)
        given = doses_given(conn, session) if status == "OPEN" else 0
        if given:
            # The vials opened for these doses leave the stock only through the tally's
            # ISSUE and WASTAGE movements: closing without it would lose them for good.
            raise OpsError.one("session_id", "close.tally_required", str(given))
        done = conn.execute(update(SESSIONS).where(
            SESSIONS.c.session_id == session_id, SESSIONS.c.status == "OPEN")
            .values(status="CLOSED")).rowcount
        if not done:
            raise OpsError.one("session_id", "session.closed")
        audit.record(conn, actor(principal, source), "CLOSE", "vax_session", session_id,
                     before={"status": "OPEN"}, after={"status": "CLOSED"})


def clean_person_id(id_type: str, person_id: str, field: str = "person_id") -> str:
    """The identity number as stored (trimmed, upper case), or OpsError on its shape."""
    if id_type not in ID_TYPES:
        raise OpsError.one("id_type", "person.id_type", id_type)
    try:
        if id_type == "CCCD":
            return decode_cccd(person_id).number
        if id_type == "CMND":
            return check_cmnd(person_id)
        return check_passport(person_id)
    except RuleError as err:
        raise OpsError([from_rule(err, field)]) from err


def take_place(conn: Connection, session_id: str) -> None:
    """One more booking on the session, or OpsError session.full / session.closed.

    The conditional UPDATE is the whole guarantee: it succeeds only while a place is left,
    and concurrent callers serialise on the row (see the module docstring).
    """
    taken = conn.execute(
        update(SESSIONS)
        .where(SESSIONS.c.session_id == session_id, SESSIONS.c.status == "OPEN",
               SESSIONS.c.booked < SESSIONS.c.capacity)
        .values(booked=SESSIONS.c.booked + 1)
        .returning(SESSIONS.c.booked)).first()
    if taken is None:
        status = conn.execute(select(SESSIONS.c.status)
                              .where(SESSIONS.c.session_id == session_id)).scalar_one()
        raise OpsError.one("session_id", "session.closed" if status != "OPEN"
                           else "session.full")


def insert_booking(conn: Connection, principal: Principal, session_id: str, person_id: str,
                   id_type: str, source_kind: str, registration_id: str | None,
                   status: str = "BOOKED") -> str:
    """Take a place and write the booking (the caller checked scope and the number)."""
    if source_kind not in BOOKING_SOURCES:
        raise OpsError.one("source", "booking.source", source_kind)
    if registration_id is not None and conn.execute(select(REGISTRATIONS.c.person_id).where(
            REGISTRATIONS.c.registration_id == registration_id)).scalar() != person_id:
        raise OpsError.one("registration_id", "booking.registration", registration_id)
    live = conn.execute(select(BOOKINGS.c.booking_id).where(
        BOOKINGS.c.session_id == session_id, BOOKINGS.c.person_id == person_id,
        BOOKINGS.c.status != "CANCELLED")).first()
    if live is not None:
        raise OpsError.one("person_id", "booking.duplicate")
    take_place(conn, session_id)
    booking_id = new_id()
    try:
        conn.execute(insert(BOOKINGS).values(
            booking_id=booking_id, session_id=session_id, person_id=person_id,
            id_type=id_type, registration_id=registration_id, source=source_kind,
            status=status, booked_at=now(), booked_by=principal.user_id))
    except IntegrityError as err:  # the same person booked by another desk a moment ago;
        # raising ends the unit of work, whose rollback returns the place taken above
        raise OpsError.one("person_id", "booking.duplicate") from err
    return booking_id


def book(engine: Engine, principal: Principal, source: str | None, session_id: str,
         person_id: str, id_type: str, source_kind: str = "REGISTERED",
         registration_id: str | None = None) -> str:
    """Book a person into a session while a place is left; returns the booking id."""
    with unit_of_work(engine) as conn:
        session_in_scope(conn, principal, session_id)
        number = clean_person_id(id_type, person_id)
        booking_id = insert_booking(conn, principal, session_id, number, id_type,
                                    source_kind, registration_id)
        audit.record(conn, actor(principal, source), "BOOK", "vax_booking", booking_id,
                     after={"session_id": session_id, "source": source_kind,
                            "registration_id": registration_id})
    return booking_id


def cancel(engine: Engine, principal: Principal, source: str | None, booking_id: str) -> None:
    """Cancel a booking not yet checked in; its place returns to the session."""
    with unit_of_work(engine) as conn:
        session_id = conn.execute(select(BOOKINGS.c.session_id)
                                  .where(BOOKINGS.c.booking_id == booking_id)).scalar()
        if session_id is None:
            raise OpsError.one("booking_id", "booking.unknown", booking_id)
        session_in_scope(conn, principal, session_id)
        done = conn.execute(update(BOOKINGS).where(
            BOOKINGS.c.booking_id == booking_id, BOOKINGS.c.status == "BOOKED")
            .values(status="CANCELLED")).rowcount
        if not done:
            raise OpsError.one("booking_id", "booking.not_cancellable")
        conn.execute(update(SESSIONS).where(SESSIONS.c.session_id == session_id)
                     .values(booked=SESSIONS.c.booked - 1))
        audit.record(conn, actor(principal, source), "CANCEL", "vax_booking", booking_id,
                     before={"status": "BOOKED"}, after={"status": "CANCELLED"})
