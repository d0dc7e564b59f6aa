"""A registration's state for the person who made it (no sign-in): by its code or the
identity number, with the birth date as the second factor.

A wrong pair and no registration at all give the same answer (None): the look-up must not tell
an anonymous visitor whether a code or an identity number exists. The answer carries no
personal data beyond what the visitor typed: the state, and where and when the invitation is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, and_, func, or_, select

from data.db import unit_of_work
from data.models.operational import Injection, Registration
from data.models.ops import VaxBooking, VaxSession
from data.models.reference import Facility

REGISTRATIONS = Registration.__table__
BOOKINGS = VaxBooking.__table__
SESSIONS = VaxSession.__table__
FACILITIES = Facility.__table__
MAX_KEY = 64

WAITING, INVITED, VACCINATED = "WAITING", "INVITED", "VACCINATED"


@dataclass(frozen=True)
class Invitation:
    """Where and when the person is expected."""

    facility_name: str
    address: str | None
    day: dt.date
    starts_at: dt.time
    ends_at: dt.time


@dataclass(frozen=True)
class RegistrationState:
    """The state of a registration: WAITING, INVITED (with the invitation) or VACCINATED
    (with the doses recorded); an invitation to a next dose shows with the doses."""

    state: str
    doses: int
    last_dose: dt.date | None
    invitation: Invitation | None


def _key(text: object) -> str | None:
    if not isinstance(text, str):
        return None
    key = text.strip().replace(" ", "")
    return key if 0 < len(key) <= MAX_KEY and key.isprintable() else None


def look_up(engine: Engine, key: object, birth_date: object, today: dt.date,
            tz: str = "Asia/Ho_Chi_Minh") -> RegistrationState | None:
    """The state of the registration whose code (registration id) or identity number is
    `key` and whose birth date is `birth_date`; None when there is none (or they disagree)."""
    text = _key(key)
    if text is None or not isinstance(birth_date, dt.date):
        return None
    r = REGISTRATIONS.c
    number = text.upper().replace(".", "").replace("-", "")
    with unit_of_work(engine) as conn:
        person = conn.execute(
            select(r.person_id).where(
                or_(r.registration_id == text, r.registration_id == text.upper(),
                    r.person_id == number[:20]),
                r.birth_date == birth_date).limit(1)).scalar()
        if person is None:
            return None
        doses, last = _doses(conn, person, ZoneInfo(tz))
        invitation = _invitation(conn, person, today)
    state = INVITED if invitation else VACCINATED if doses else WAITING
    return RegistrationState(state, doses, last, invitation)


def _doses(conn: object, person: str, tz: ZoneInfo) -> tuple[int, dt.date | None]:
    """Doses recorded for the person and the local day of the latest. Every dose lands in
    `injection`, from a file or from a session's desk (the injection command writes its row
    there too), so it is counted once."""
    i = Injection.__table__.c
    count, last = conn.execute(  # type: ignore[attr-defined]
        select(func.count(), func.max(i.administered_at)).where(
            i.person_id == person, i.status == "COMPLETED")).one()
    if isinstance(last, str):  # SQLite may hand an aggregate's timestamp back as text
        last = dt.datetime.fromisoformat(last)
    if not isinstance(last, dt.datetime):
        return int(count or 0), None
    # Stored in UTC (SQLite keeps no offset): the day is the day in Vietnam.
    aware = last if last.tzinfo else last.replace(tzinfo=dt.UTC)
    return int(count or 0), aware.astimezone(tz).date()


def _invitation(conn: object, person: str, today: dt.date) -> Invitation | None:
    """The person's next booked session, today or later."""
    b, s, f = BOOKINGS.c, SESSIONS.c, FACILITIES.c
    row = conn.execute(  # type: ignore[attr-defined]
        select(f.name, f.address, s.day, s.starts_at, s.ends_at)
        .select_from(BOOKINGS.join(SESSIONS, b.session_id == s.session_id)
                     .join(FACILITIES, and_(f.code == s.facility_code)))
        .where(b.person_id == person, b.status == "BOOKED", s.day >= today)
        .order_by(s.day, s.starts_at).limit(1)).first()
    return Invitation(*row) if row else None
