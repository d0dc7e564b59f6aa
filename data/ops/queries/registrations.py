"""The registry as the registrations page reads it: a district's registrations page by page,
a search, the duplicates by identity number and the merge history.

Scope (data.ops.commands.registration_scope) is checked here on every read, and each read that
shows names, identity numbers or phones is audited (who, what, how many; never the people).

Performance: the registry can hold millions of rows, so every read is bounded and served by
an index (0018): a district's list by (province, district, registered_at, id), read backwards
with LIMIT/OFFSET; a search by the primary key, person_id, phone (exact matches anywhere in
the area) or a name's first letters within the district; duplicates by (province, district,
person_id); counts stop at MAX_COUNT.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Select, and_, func, or_, select

from data import audit
from data.auth.roles import OPERATIONS_ROLES, Forbidden, Principal
from data.db import unit_of_work
from data.models.operational import Registration
from data.models.ops import VaxBooking, VaxSession
from data.models.ops_registrations import VaxRegistrationMerge, VaxRegistrationMerged
from data.models.reference import Facility
from data.models.star import DimGeography
from data.ops.commands.common import actor, require_facility
from data.ops.commands.registration_scope import area_filter, areas, require_covers
from data.ops.queries.sessions import scope_filter

REGISTRATIONS = Registration.__table__
BOOKINGS = VaxBooking.__table__
SESSIONS = VaxSession.__table__
MERGES = VaxRegistrationMerge.__table__
MERGED = VaxRegistrationMerged.__table__
GEO = DimGeography.__table__
FACILITIES = Facility.__table__
MAX_SESSIONS = 200
MAX_PAGE = 100          # rows per request of the grid
MAX_OFFSET = 100_000    # deeper than that, a search is the way
MAX_COUNT = 10_000      # "10.000+": counting a whole district would read all of it
MAX_SEARCH = 64
MIN_NAME = 2
MAX_GROUPS = 50         # duplicate groups per listing
MAX_IN_GROUP = 20
MAX_HISTORY = 50
COLUMNS = ("registration_id", "person_id", "id_type", "full_name", "birth_date", "sex",
           "phone", "priority_group", "province_code", "district_code", "ward_code",
           "address", "organisation", "registered_at")


@dataclass(frozen=True)
class RegistrationRow:
    """One registration as the list shows it."""

    registration_id: str
    person_id: str
    id_type: str
    full_name: str
    birth_date: dt.date
    sex: str
    phone: str
    priority_group: int
    province_code: str
    district_code: str
    ward_code: str | None
    address: str | None
    organisation: str | None
    registered_at: dt.datetime


@dataclass(frozen=True)
class Page:
    """A page of the list and the number of rows matching (at most MAX_COUNT: `capped`)."""

    rows: list[RegistrationRow]
    total: int
    capped: bool


@dataclass(frozen=True)
class District:
    """A district of the principal's area."""

    province_code: str
    district_code: str
    name: str
    province_name: str


@dataclass(frozen=True)
class MergeEntry:
    """One merge of the history."""

    merge_id: str
    person_id: str
    kept_registration_id: str
    merged_ids: tuple[str, ...]
    kept_fields: dict[str, Any]
    bookings_moved: int
    merged_by_name: str
    merged_at: dt.datetime


def require_reader(principal: Principal) -> None:
    """Forbidden unless the principal works the vaccination day (names are shown)."""
    if not principal.is_system and not principal.has(*OPERATIONS_ROLES):
        raise Forbidden(f"{principal.username} may not read the registry")


def districts(engine: Engine, principal: Principal) -> list[District]:
    """The districts of the principal's area, by province and code."""
    require_reader(principal)
    found = areas(principal)
    q = (select(GEO.c.province_code, GEO.c.district_code, GEO.c.district_name,
                GEO.c.province_name).distinct()
         .order_by(GEO.c.province_code, GEO.c.district_code))
    if found is not None:
        if not found:
            return []
        q = q.where(or_(*[GEO.c.province_code == p if d is None else
                          and_(GEO.c.province_code == p, GEO.c.district_code == d)
                          for p, d in found]))
    with engine.connect() as conn:
        return [District(*r) for r in conn.execute(q.limit(2000))]


# -- the search term -----------------------------------------------------------------------

@dataclass(frozen=True)
class Term:
    """What a search box holds, read every way it may be meant."""

    exact: tuple[str, ...]  # a registration id or an identity number, as typed and upper
    phone: str | None    # a phone number in national form
    name: str | None     # a name's first letters (NFC)


def read_term(raw: object) -> Term | None:
    """The term of a search box, None when blank; hostile input is cut and cleaned."""
    if not isinstance(raw, str):
        return None
    text = unicodedata.normalize("NFC", " ".join(raw.split()))[:MAX_SEARCH]
    if not text:
        return None
    digits = re.sub(r"[\s.()-]", "", text)
    phone = None
    if re.fullmatch(r"\+?84\d{9}", digits):
        phone = "0" + digits[-9:]
    elif re.fullmatch(r"0\d{9}", digits):
        phone = digits
    name = text if len(text) >= MIN_NAME and not text.isdigit() else None
    return Term(tuple(dict.fromkeys([text, text.upper()])), phone, name)


def _like_prefix(text: str) -> str:
    return re.sub(r"([\\%_])", r"\\\1", text) + "%"


def _matches(term: Term, place: tuple[str, str] | None) -> Any:
    r = REGISTRATIONS.c
    found_by_merge = select(MERGED.c.kept_registration_id).where(
        MERGED.c.registration_id.in_(term.exact))
    parts: list[Any] = [r.registration_id.in_(term.exact), r.person_id.in_(term.exact),
                        r.registration_id.in_(found_by_merge)]
    if term.phone:
        parts.append(r.phone == term.phone)
    if term.name and place is not None:
        # Names are written with capitals; a term typed in lower case is read both ways.
        names = {term.name, term.name.title()}
        parts += [and_(r.province_code == place[0], r.district_code == place[1],
                       r.full_name.like(_like_prefix(n), escape="\\")) for n in names]
    return or_(*parts)


# -- the list ------------------------------------------------------------------------------

def _at_facility(facility_code: str) -> Any:
    live = (select(BOOKINGS.c.registration_id)
            .join(SESSIONS, SESSIONS.c.session_id == BOOKINGS.c.session_id)
            .where(SESSIONS.c.facility_code == facility_code, BOOKINGS.c.status != "CANCELLED",
                   BOOKINGS.c.registration_id.is_not(None)))
    return REGISTRATIONS.c.registration_id.in_(live)


def _listing(conn: Connection, principal: Principal, place: tuple[str, str] | None,
             term: Term | None, facility_code: str | None) -> Select[Any]:
    r = REGISTRATIONS.c
    q = select(*[r[c] for c in COLUMNS]).where(area_filter(principal))
    if term is not None:
        q = q.where(_matches(term, place))
    elif place is not None:
        q = q.where(r.province_code == place[0], r.district_code == place[1])
    else:
        q = q.where(r.registration_id.is_(None))  # neither a district nor a search: nothing
    if facility_code:
        require_facility(conn, principal, facility_code)
        q = q.where(_at_facility(facility_code))
    return q


def registrations_page(engine: Engine, principal: Principal, source: str | None,
                       province_code: str | None, district_code: str | None,
                       search: object = None, facility_code: str | None = None,
                       start: int = 0, size: int = 50) -> Page:
    """A page of the district's registrations, newest first, or of a search's matches in the
    principal's area (identity number, phone or registration id anywhere in it; a name's first
    letters within the district); `facility_code` keeps people booked at that facility.
    Forbidden for a district outside the area; the read is audited."""
    require_reader(principal)
    place = (province_code, district_code) if province_code and district_code else None
    if place is not None:
        require_covers(principal, *place)
    term = read_term(search)
    start = max(0, min(int(start), MAX_OFFSET))
    size = max(1, min(int(size), MAX_PAGE))
    r = REGISTRATIONS.c
    with unit_of_work(engine) as conn:
        q = _listing(conn, principal, place, term, facility_code)
        rows = conn.execute(q.order_by(r.registered_at.desc(), r.registration_id.desc())
                            .offset(start).limit(size)).all()
        n = conn.execute(select(func.count()).select_from(
            q.with_only_columns(r.registration_id).limit(MAX_COUNT + 1).subquery()
        )).scalar_one()
        audit.record(conn, actor(principal, source), "VIEW_PERSONAL", "registration",
                     f"{province_code or '*'}/{district_code or '*'}",
                     detail={"read": "ops.registrations", "search": term is not None,
                             "facility": facility_code, "start": start, "count": len(rows)})
    return Page([RegistrationRow(*row) for row in rows], min(n, MAX_COUNT), n > MAX_COUNT)


# -- duplicates and history ----------------------------------------------------------------

def duplicate_groups(engine: Engine, principal: Principal, source: str | None,
                     province_code: str, district_code: str
                     ) -> list[list[RegistrationRow]]:
    """People of the district registered more than once (same identity number), each group
    with all their registrations in the principal's area, newest first; at most MAX_GROUPS."""
    require_reader(principal)
    require_covers(principal, province_code, district_code)
    r = REGISTRATIONS.c
    with unit_of_work(engine) as conn:
        people = conn.execute(
            select(r.person_id).where(r.province_code == province_code,
                                      r.district_code == district_code)
            .group_by(r.person_id).having(func.count() > 1)
            .order_by(r.person_id).limit(MAX_GROUPS)).scalars().all()
        rows = conn.execute(
            select(*[r[c] for c in COLUMNS])
            .where(r.person_id.in_(people), area_filter(principal))
            .order_by(r.person_id, r.registered_at.desc(), r.registration_id)).all() \
            if people else []
        groups: dict[str, list[RegistrationRow]] = {}
        for row in rows:
            group = groups.setdefault(row.person_id, [])
            if len(group) < MAX_IN_GROUP:
                group.append(RegistrationRow(*row))
        audit.record(conn, actor(principal, source), "VIEW_PERSONAL", "registration",
                     f"{province_code}/{district_code}",
                     detail={"read": "ops.registrations.duplicates", "count": len(groups)})
    return [g for g in groups.values() if len(g) > 1]


def merge_history(engine: Engine, principal: Principal, province_code: str,
                  district_code: str) -> list[MergeEntry]:
    """The district's merges, newest first (at most MAX_HISTORY)."""
    require_reader(principal)
    require_covers(principal, province_code, district_code)
    m = MERGES.c
    with engine.connect() as conn:
        rows = conn.execute(
            select(m.merge_id, m.person_id, m.kept_registration_id, m.merged_ids,
                   m.kept_fields, m.bookings_moved, m.merged_by_name, m.merged_at)
            .where(m.province_code == province_code, m.district_code == district_code)
            .order_by(m.merged_at.desc(), m.merge_id).limit(MAX_HISTORY)).all()
    return [MergeEntry(r[0], r[1], r[2], tuple(r[3]), dict(r[4]), r[5], r[6], r[7])
            for r in rows]


@dataclass(frozen=True)
class SessionChoice:
    """An open session the selected people may be assigned to."""

    session_id: str
    facility_code: str
    facility_name: str
    day: dt.date
    starts_at: dt.time
    ends_at: dt.time
    capacity: int
    booked: int


def assignable_sessions(engine: Engine, principal: Principal, start: dt.date, days: int = 14,
                        facility_code: str | None = None) -> list[SessionChoice]:
    """OPEN sessions from `start` for `days` days at facilities the principal works (one
    facility when given), by day and time; at most MAX_SESSIONS."""
    where = scope_filter(principal)
    if where is None:
        return []
    s, f = SESSIONS, FACILITIES
    q = (select(s.c.session_id, s.c.facility_code, f.c.name, s.c.day, s.c.starts_at,
                s.c.ends_at, s.c.capacity, s.c.booked)
         .select_from(s.join(f, f.c.code == s.c.facility_code))
         .where(where, s.c.status == "OPEN", s.c.day >= start,
                s.c.day <= start + dt.timedelta(days=max(0, min(days, 92)))))
    if facility_code:
        q = q.where(s.c.facility_code == facility_code)
    with engine.connect() as conn:
        rows = conn.execute(q.order_by(s.c.day, s.c.starts_at, s.c.facility_code)
                            .limit(MAX_SESSIONS)).all()
    return [SessionChoice(*r) for r in rows]


def registrations_by_ids(engine: Engine, principal: Principal, registration_ids: list[str]
                         ) -> list[RegistrationRow]:
    """The given registrations that lie in the principal's area (at most MAX_PAGE ids)."""
    require_reader(principal)
    wanted = sorted({i for i in registration_ids if isinstance(i, str) and len(i) <= 64})
    if not wanted:
        return []
    r = REGISTRATIONS.c
    with engine.connect() as conn:
        rows = conn.execute(select(*[r[c] for c in COLUMNS]).where(
            r.registration_id.in_(wanted[:MAX_PAGE * 10]), area_filter(principal))
            .order_by(r.registration_id)).all()
    return [RegistrationRow(*row) for row in rows]


def registrations_of_person(engine: Engine, principal: Principal, person_id: str
                            ) -> list[RegistrationRow]:
    """A person's registrations in the principal's area, newest first (what a merge joins)."""
    require_reader(principal)
    r = REGISTRATIONS.c
    with engine.connect() as conn:
        rows = conn.execute(select(*[r[c] for c in COLUMNS]).where(
            r.person_id == person_id[:20], area_filter(principal))
            .order_by(r.registered_at.desc(), r.registration_id)
            .limit(MAX_IN_GROUP)).all()
    return [RegistrationRow(*row) for row in rows]
