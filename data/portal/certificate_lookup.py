"""The citizen's certificate look-up: a person found by identity number, full name and date of
birth together, and their doses.

Privacy rule (the portal's issue): a wrong name, a wrong date of birth and an unknown number
give the same answer (None) after the same work: one indexed read by number, then the name's
hash and the date compared against a stand-in record when no record exists, so neither the
answer nor its timing tells whether a number is registered. The operational tables are the
source (personal data stays there); nothing here writes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, bindparam, select

from data.citizen.name_match import MAX_NAME, same_name
from data.models.operational import Injection
from data.models.reference import Facility, VaccineProduct

INJECTIONS = Injection.__table__
VACCINES = VaccineProduct.__table__
FACILITIES = Facility.__table__
# CCCD 12 digits, CMND 9 or 12, passport 6-9 letters and digits (the interchange contract).
PERSON_ID = re.compile(r"[A-Z0-9]{6,12}")
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")
# Compared when the number has no record, so an unknown number costs what a known one does.
STAND_IN = ("Nguyễn Văn Không Có", dt.date(1900, 1, 1))
MAX_CANDIDATES = 20  # distinct spellings of one person's name across their doses, at most
# The look-up's two reads, built once (see data.audit._APPEND).
_DONE = (INJECTIONS.c.person_id == bindparam("person_id")) & (INJECTIONS.c.status == "COMPLETED")
_CANDIDATES = select(INJECTIONS.c.full_name, INJECTIONS.c.birth_date).where(_DONE).distinct(
    ).limit(MAX_CANDIDATES)
_DOSES = select(
    INJECTIONS.c.full_name, INJECTIONS.c.birth_date, INJECTIONS.c.vaccine_code,
    VACCINES.c.name.label("product"), INJECTIONS.c.administered_at, INJECTIONS.c.dose_number,
    INJECTIONS.c.dose_kind, INJECTIONS.c.facility_code, FACILITIES.c.name.label("facility"),
).select_from(INJECTIONS.outerjoin(VACCINES, VACCINES.c.code == INJECTIONS.c.vaccine_code)
              .outerjoin(FACILITIES, FACILITIES.c.code == INJECTIONS.c.facility_code)
              ).where(_DONE).order_by(INJECTIONS.c.administered_at, INJECTIONS.c.record_id)


@dataclass(frozen=True)
class LookupQuery:
    """What the citizen typed, checked for shape."""

    person_id: str
    full_name: str
    birth_date: dt.date


@dataclass(frozen=True)
class Dose:
    """One dose as the certificate page shows it."""

    vaccine_code: str
    product: str
    given_on: dt.date
    dose_number: int
    dose_kind: str
    facility: str


@dataclass(frozen=True)
class PersonRecord:
    """The person the three factors matched, with their doses (oldest first)."""

    person_id: str
    full_name: str
    birth_date: dt.date
    doses: tuple[Dose, ...]


def parse_birth_date(text: str) -> dt.date | None:
    """A date typed as dd/mm/yyyy (the Vietnamese order; - or . also) or yyyy-mm-dd."""
    text = text.strip()
    for fmt in DATE_FORMATS:
        try:
            day = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        return day if dt.date(1900, 1, 1) <= day <= dt.date.today() else None
    return None


def parse_query(person_id: Any, full_name: Any, birth_date: Any) -> tuple[LookupQuery | None,
                                                                            list[str]]:
    """The query, or the fields whose shape is wrong (person_id, full_name, birth_date)."""
    number = "".join(person_id.split()).upper() if isinstance(person_id, str) else ""
    name = full_name if isinstance(full_name, str) else ""
    born = parse_birth_date(birth_date[:40]) if isinstance(birth_date, str) else None
    problems = []
    if not PERSON_ID.fullmatch(number):
        problems.append("person_id")
    if not name.strip() or len(name) > MAX_NAME:
        problems.append("full_name")
    if born is None:
        problems.append("birth_date")
    if problems or born is None:
        return None, problems
    return LookupQuery(number, name, born), []


def match_person(conn: Connection, query: LookupQuery,
                 tz: str = "Asia/Ho_Chi_Minh") -> PersonRecord | None:
    """The person whose records carry all three factors, or None (see the module's rule)."""
    recorded = conn.execute(_CANDIDATES, {"person_id": query.person_id}).all()
    matched = False
    # Every candidate is compared (no early exit) and the stand-in when there is none.
    for name, born in recorded or [STAND_IN]:
        name_ok = same_name(query.full_name, name)
        matched |= name_ok & (born == query.birth_date) & bool(recorded)
    if not matched:
        return None
    return _record(conn, query.person_id, ZoneInfo(tz))


def _record(conn: Any, person_id: str, tz: ZoneInfo) -> PersonRecord:
    rows = conn.execute(_DOSES, {"person_id": person_id}).all()
    latest = rows[-1]  # the newest dose carries the newest spelling of the name
    doses = tuple(
        Dose(vaccine_code=r.vaccine_code, product=r.product or r.vaccine_code,
             given_on=_local_day(r.administered_at, tz), dose_number=r.dose_number,
             dose_kind=r.dose_kind, facility=r.facility or r.facility_code)
        for r in rows)
    return PersonRecord(person_id, latest.full_name, latest.birth_date, doses)


def _local_day(moment: dt.datetime, tz: ZoneInfo) -> dt.date:
    # The campaign's calendar day (settings.timezone), the day written on the vaccination card;
    # SQLite hands back naive UTC.
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(tz).date()


def mask_person_id(person_id: str) -> str:
    """The number with all but its last three characters hidden (the page never shows it)."""
    return "•" * max(len(person_id) - 3, 3) + person_id[-3:]
