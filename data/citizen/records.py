"""A citizen's own records, read by the identity number of their token: the profile (from
their newest registration, else their newest dose) and the doses they were given.

Every read is keyed by the token's person id: another person's data is never reachable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from data import catalog
from data.models.operational import Injection, Registration, StockMovement
from data.models.reference import Facility

REGISTRATIONS = Registration.__table__
INJECTIONS = Injection.__table__
MOVEMENTS = StockMovement.__table__
FACILITIES = Facility.__table__
COMPLETED = "COMPLETED"


@dataclass(frozen=True)
class Profile:
    """Who the citizen is on record (the phone masked: the API shows its last 3 digits)."""

    full_name: str
    birth_date: dt.date
    sex: str
    province_code: str
    district_code: str
    ward_code: str | None
    phone_masked: str | None


@dataclass(frozen=True)
class Dose:
    """One dose given to the citizen, with its lot's expiry and the facility that gave it."""

    record_id: str
    vaccine_code: str
    vaccine_name: str
    dose_kind: str
    dose_number: int
    administered_at: dt.datetime
    lot_number: str
    lot_expiry: dt.date | None
    facility_code: str
    facility_name: str | None
    province_code: str
    district_code: str


def mask_phone(phone: str | None) -> str | None:
    """0912345678 -> *******678: enough to recognise one's own number, not to learn it."""
    if not phone:
        return None
    return "*" * max(len(phone) - 3, 0) + phone[-3:]


def _aware(value: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes; the stored ones are UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def profile(conn: Connection, person_id: str) -> Profile | None:
    """The person as their newest registration has them, else their newest dose."""
    r = REGISTRATIONS.c
    row = conn.execute(select(r.full_name, r.birth_date, r.sex, r.province_code,
                              r.district_code, r.ward_code, r.phone)
                       .where(r.person_id == person_id)
                       .order_by(r.registered_at.desc()).limit(1)).first()
    if row is None:
        i = INJECTIONS.c
        row = conn.execute(select(i.full_name, i.birth_date, i.sex, i.province_code,
                                  i.district_code, i.ward_code, i.phone)
                           .where(i.person_id == person_id)
                           .order_by(i.administered_at.desc()).limit(1)).first()
    if row is None:
        return None
    return Profile(row[0], row[1], row[2], row[3], row[4], row[5], mask_phone(row[6]))


def doses(conn: Connection, person_id: str) -> list[Dose]:
    """The person's doses (not those entered in error), oldest first."""
    i, f, m = INJECTIONS.c, FACILITIES.c, MOVEMENTS.c
    # A lot's expiry as the stock ledger records it (every movement of a lot carries it).
    expiry = (select(func.max(m.expiry_date)).where(
        m.vaccine_code == i.vaccine_code, m.lot_number == i.lot_number)
        .correlate(INJECTIONS).scalar_subquery())
    rows = conn.execute(
        select(i.record_id, i.vaccine_code, i.dose_kind, i.dose_number, i.administered_at,
               i.lot_number, expiry.label("lot_expiry"), i.facility_code, f.name,
               f.province_code, f.district_code, i.province_code, i.district_code)
        .select_from(INJECTIONS.outerjoin(FACILITIES, f.code == i.facility_code))
        .where(i.person_id == person_id, i.status == COMPLETED)
        .order_by(i.administered_at, i.record_id)).all()
    out = []
    for row in rows:
        vaccine = catalog.VACCINE_BY_CODE.get(row[1])
        out.append(Dose(
            record_id=row[0], vaccine_code=row[1], vaccine_name=vaccine.name if vaccine
            else row[1], dose_kind=row[2], dose_number=int(row[3]),
            administered_at=_aware(row[4]), lot_number=row[5], lot_expiry=row[6],
            facility_code=row[7], facility_name=row[8],
            province_code=row[9] or row[11], district_code=row[10] or row[12]))
    return out
