"""Check-in: find the person, check the identity shown, register a walk-in, record arrival.

Neither finding nor checking in bumps the data version: no dashboard counts arrivals, and the
walk-in's fct_registration row is read by no dashboard today (a registrations figure that
reads it must make record_checkin bump the version).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, insert, or_, select, update

from data import audit
from data.auth.roles import Principal
from data.cccd import check_cccd, form_sex
from data.command_errors import OpsError, Problem
from data.db import unit_of_work
from data.models.operational import Injection, Registration
from data.models.ops import VaxBooking, VaxCheckin
from data.ops.commands.common import (
    actor,
    from_rule,
    new_id,
    now,
    raise_if,
    require_facility,
    session_in_scope,
)
from data.ops.commands.sessions import clean_person_id, insert_booking
from data.ops.rules import schedule
from data.ops.rules.errors import RuleError
from data.registrations import write_registration
from data.settings import Settings

REGISTRATIONS = Registration.__table__
INJECTIONS = Injection.__table__
BOOKINGS = VaxBooking.__table__
CHECKINS = VaxCheckin.__table__
MAX_MATCHES = 20
# Vietnamese mobile numbers: 0 and 9 digits, or +84 / 84 and the same 9 digits.
_PHONE = re.compile(r"(?:\+?84|0)(\d{9})")
CAMPAIGN_TZ = ZoneInfo(Settings.timezone)  # the default; a deployment sets its own
SearchBy = Literal["id", "phone", "code"]


@dataclass(frozen=True)
class Dose:
    """An earlier dose of the person, as recorded."""

    vaccine_code: str
    dose_kind: str
    dose_number: int
    administered_at: dt.datetime
    facility_code: str


@dataclass(frozen=True)
class PersonMatch:
    """One person found at the desk: identity, contact, registration, doses, live bookings."""

    person_id: str
    id_type: str
    full_name: str
    birth_date: dt.date
    sex: str
    phone: str | None
    province_code: str
    district_code: str
    ward_code: str | None
    registration_id: str | None
    doses: tuple[Dose, ...] = ()
    bookings: tuple[str, ...] = ()  # ids of live bookings (BOOKED or CHECKED_IN)

    def history(self) -> list[schedule.Dose]:
        """The doses as the schedule rules read them (each on its campaign day)."""
        return [schedule.Dose(local_day(d.administered_at), d.vaccine_code,
                              schedule.DoseKind(d.dose_kind), d.dose_number) for d in self.doses]


def local_day(at: dt.datetime) -> dt.date:
    """The campaign's calendar day of a moment; a naive one is UTC (SQLite drops the zone)."""
    aware = at if at.tzinfo else at.replace(tzinfo=dt.UTC)
    return aware.astimezone(CAMPAIGN_TZ).date()


@dataclass(frozen=True)
class PersonForm:
    """The check-in form: identity always; name, phone and residence for a walk-in."""

    id_type: str
    person_id: str
    birth_date: dt.date
    sex: str
    full_name: str = ""
    phone: str = ""
    province_code: str = ""
    district_code: str = ""
    ward_code: str | None = None
    priority_group: int = 0


@dataclass(frozen=True)
class Checkin:
    """What record_checkin did."""

    checkin_id: str
    booking_id: str
    registration_id: str | None
    walk_in: bool
    registered: bool  # a registration was written for a person not in the registry
    identity_check: str


def clean_phone(text: str) -> str | None:
    """A mobile number as stored (0 and 9 digits), or None when it is not one."""
    m = _PHONE.fullmatch(re.sub(r"[\s.()-]", "", text or ""))
    return f"0{m.group(1)}" if m else None


def _registrations(conn: Connection, by: SearchBy, value: str) -> list[dict]:
    r = REGISTRATIONS
    if by == "id":
        cond = r.c.person_id == value
    elif by == "phone":
        cond = r.c.phone == value
    else:
        booked = select(BOOKINGS.c.registration_id).where(BOOKINGS.c.booking_id == value)
        cond = or_(r.c.registration_id == value, r.c.registration_id.in_(booked.scalar_subquery()))
    q = select(r).where(cond).order_by(r.c.registered_at.desc()).limit(MAX_MATCHES)
    return [dict(m) for m in conn.execute(q).mappings()]


def _injections(conn: Connection, person_ids: list[str]) -> list[dict]:
    i = INJECTIONS
    q = (select(i).where(i.c.person_id.in_(person_ids), i.c.status == "COMPLETED")
         .order_by(i.c.administered_at))
    return [dict(m) for m in conn.execute(q).mappings()]


def _live_bookings(conn: Connection, person_ids: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for pid, bid in conn.execute(select(BOOKINGS.c.person_id, BOOKINGS.c.booking_id).where(
            BOOKINGS.c.person_id.in_(person_ids), BOOKINGS.c.status != "CANCELLED")
            .order_by(BOOKINGS.c.booked_at)):
        out.setdefault(pid, []).append(bid)
    return out


def _matches(conn: Connection, by: SearchBy, value: str) -> list[PersonMatch]:
    regs = _registrations(conn, by, value)
    ids = list(dict.fromkeys([r["person_id"] for r in regs] + ([value] if by == "id" else [])))
    if not ids:
        return []
    doses = _injections(conn, ids)
    bookings = _live_bookings(conn, ids)
    # The latest registration describes the person; lacking one, the latest dose does.
    latest = {r["person_id"]: r for r in reversed(regs)}
    for d in reversed(doses):
        latest.setdefault(d["person_id"], d)
    out = []
    for pid in ids:
        src = latest.get(pid)
        if src is None:
            continue
        out.append(PersonMatch(
            pid, src["id_type"], src["full_name"], src["birth_date"], src["sex"], src["phone"],
            src["province_code"], src["district_code"], src["ward_code"],
            src.get("registration_id"),
            tuple(Dose(d["vaccine_code"], d["dose_kind"], d["dose_number"],
                       d["administered_at"], d["facility_code"])
                  for d in doses if d["person_id"] == pid),
            tuple(bookings.get(pid, ()))))
    return out


def find_person(engine: Engine, principal: Principal, source: str | None, facility_code: str,
                by: SearchBy, value: str) -> list[PersonMatch]:
    """People matching an identity number (registrations, earlier doses, bookings), a phone
    (registrations: the injection table keeps no phone index) or a registration or booking
    code. Personal data: the read is audited, in the principal's facility scope."""
    with unit_of_work(engine) as conn:
        require_facility(conn, principal, facility_code)
        if by not in ("id", "phone", "code"):
            raise OpsError.one("by", "person.search_by", str(by))
        text = (value or "").strip()
        if by == "phone":
            cleaned = clean_phone(text)
            if cleaned is None:
                raise OpsError.one("phone", "person.phone", text)
            text = cleaned
        elif by == "id":
            text = re.sub(r"[\s.-]", "", text).upper()
        if not text:
            raise OpsError.one(by, "person.search_empty")
        found = _matches(conn, by, text)
        # The audit says who looked and how many were shown, not the number searched for.
        audit.record(conn, actor(principal, source), "VIEW_PERSONAL", "registration",
                     facility_code, detail={"read": "ops.find_person", "by": by,
                                            "count": len(found)})
    return found


def identity_problems(form: PersonForm) -> tuple[str, list[Problem]]:
    """(identity_check, problems) of the identity the form shows: a CCCD is decoded and its
    birth year and sex set against the form's, each disagreement beside its field."""
    problems: list[Problem] = []
    number = ""
    try:
        number = clean_person_id(form.id_type, form.person_id)
    except OpsError as err:
        problems += err.problems
    try:
        form_sex(form.sex)
    except RuleError as err:
        problems.append(from_rule(err, "sex"))
    if problems:
        return "", problems
    if form.id_type != "CCCD":
        return "SHAPE_ONLY", []
    fields = {"cccd.year_mismatch": "birth_date", "cccd.sex_mismatch": "sex"}
    return "CCCD_AGREES", [Problem(fields[m.code], m.code, f"{m.from_number} / {m.from_form}")
                           for m in check_cccd(number, form.birth_date, form.sex)]


def _register_walk_in(conn: Connection, form: PersonForm, number: str, lang: str,
                      tz: str) -> str:
    """Register the walk-in as one row of a registrations file: the same rules
    (data.interchange.kinds.registrations) and the same loader write registration and
    fct_registration, so a walk-in is valid exactly when that row would be. Raises OpsError
    with each refused field, worded as the reject report words it, in `lang`."""
    registration_id = f"WALKIN-{new_id()}"
    cells = {"registration_id": registration_id, "person_id": number,
             "id_type": form.id_type, "full_name": form.full_name,
             "birth_date": form.birth_date.isoformat(), "sex": form.sex, "phone": form.phone,
             "priority_group": str(form.priority_group), "province_code": form.province_code,
             "district_code": form.district_code, "ward_code": form.ward_code or None,
             "address": None, "organisation": None, "registered_at": now().isoformat()}
    write_registration(conn, cells, lang, tz)
    return registration_id


def _booking_for(conn: Connection, session_id: str, booking_id: str | None,
                 number: str) -> dict | None:
    """The booking the person arrives on: the one named, else their live one in the session."""
    b = BOOKINGS
    if booking_id:
        row = conn.execute(select(b).where(b.c.booking_id == booking_id,
                                           b.c.session_id == session_id)).mappings().first()
        if row is None:
            raise OpsError.one("booking_id", "booking.unknown", booking_id)
        if row["person_id"] != number:
            raise OpsError.one("person_id", "checkin.booking_person")
        return dict(row)
    row = conn.execute(select(b).where(b.c.session_id == session_id, b.c.person_id == number,
                                       b.c.status != "CANCELLED")).mappings().first()
    return dict(row) if row else None


def _latest_registration(conn: Connection, number: str) -> str | None:
    r = REGISTRATIONS
    return conn.execute(select(r.c.registration_id).where(r.c.person_id == number)
                        .order_by(r.c.registered_at.desc()).limit(1)).scalar()


def record_checkin(engine: Engine, principal: Principal, source: str | None, session_id: str,
                   form: PersonForm, booking_id: str | None = None, *, lang: str = "vi",
                   tz: str | None = None) -> Checkin:
    """Check a person in at a session: on their booking, or as a walk-in (who takes a place,
    and is registered first when the registry does not know them; `lang` words the
    registration's refusals, `tz` is the campaign's time zone, settings.timezone)."""
    with unit_of_work(engine) as conn:
        session = session_in_scope(conn, principal, session_id)
        if session["status"] != "OPEN":
            raise OpsError.one("session_id", "session.closed")
        identity, problems = identity_problems(form)
        raise_if(problems)
        number = clean_person_id(form.id_type, form.person_id)
        booking = _booking_for(conn, session_id, booking_id, number)
        registered = False
        if booking is None:
            registration_id = _latest_registration(conn, number)
            if registration_id is None:
                registration_id = _register_walk_in(conn, form, number, lang,
                                                    tz or Settings.timezone)
                registered = True
            bid = insert_booking(conn, principal, session_id, number, form.id_type, "WALK_IN",
                                 registration_id, status="CHECKED_IN")
            booking = {"booking_id": bid, "registration_id": registration_id,
                       "source": "WALK_IN"}
        else:
            done = conn.execute(update(BOOKINGS).where(
                BOOKINGS.c.booking_id == booking["booking_id"], BOOKINGS.c.status == "BOOKED")
                .values(status="CHECKED_IN")).rowcount
            if not done:
                raise OpsError.one("booking_id", "checkin.duplicate" if booking["status"]
                                   == "CHECKED_IN" else "booking.not_cancellable")
        checkin_id = new_id()
        conn.execute(insert(CHECKINS).values(
            checkin_id=checkin_id, booking_id=booking["booking_id"], session_id=session_id,
            person_id=number, id_type=form.id_type, birth_date=form.birth_date,
            sex=form_sex(form.sex), registration_id=booking["registration_id"],
            identity_check=identity, checked_in_at=now(), by_user=principal.user_id))
        # Ids only: the audit log is read by administrators, who see no personal data.
        audit.record(conn, actor(principal, source), "CHECKIN", "vax_checkin", checkin_id,
                     after={"session_id": session_id, "booking_id": booking["booking_id"],
                            "registration_id": booking["registration_id"],
                            "walk_in": booking["source"] == "WALK_IN",
                            "registered": registered, "identity_check": identity})
    return Checkin(checkin_id, booking["booking_id"], booking["registration_id"],
                   booking["source"] == "WALK_IN", registered, identity)
