"""What the planning page lists: the facilities a principal plans for, their sessions, the
lots a facility holds and the staff granted it. Every read checks scope here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, and_, or_, select

from data.auth.roles import Principal, Role
from data.models.auth import AppUser, UserRole
from data.models.reference import Facility
from data.models.rollups import AggStockOnHand
from data.models.star import DimVaccine, DimWarehouse
from data.ops.commands.common import SESSIONS, require_facility, session_in_scope

FACILITIES = Facility.__table__
USERS = AppUser.__table__
USER_ROLES = UserRole.__table__
STOCK = AggStockOnHand.__table__
WAREHOUSES = DimWarehouse.__table__
DIM_VACCINES = DimVaccine.__table__
MAX_FACILITIES = 2000   # a province's facilities; the dropdown searches among them
MAX_SESSIONS = 500      # one listing; a narrower date range shows the rest
MAX_RANGE_DAYS = 92     # one quarter per listing


@dataclass(frozen=True)
class FacilityChoice:
    """A facility the principal may plan sessions for."""

    code: str
    name: str
    district_code: str


@dataclass(frozen=True)
class SessionRow:
    """One planned session as the list shows it."""

    session_id: str
    facility_code: str
    day: dt.date
    starts_at: dt.time
    ends_at: dt.time
    capacity: int
    booked: int
    vaccines: tuple[str, ...]
    lots: tuple[str, ...]
    status: str


@dataclass(frozen=True)
class LotChoice:
    """A lot on hand at the facility's warehouse."""

    vaccine_code: str
    lot_number: str
    expiry_date: dt.date | None
    doses: int


@dataclass(frozen=True)
class StaffChoice:
    """An active account granted the facility."""

    user_id: int
    display_name: str
    username: str


def scope_filter(principal: Principal) -> object | None:
    """WHERE clause of the facilities the principal operates at (as Principal.operates_at),
    None when nothing is."""
    if principal.is_system:
        return FACILITIES.c.code.is_not(None)
    parts = []
    for g in principal.grants:
        if g.role == Role.FACILITY_STAFF and g.scope_code:
            parts.append(FACILITIES.c.code == g.scope_code)
        elif g.role == Role.DISTRICT_OFFICER and g.district_code:
            parts.append(and_(FACILITIES.c.province_code == g.province_code,
                              FACILITIES.c.district_code == g.district_code))
        elif g.role == Role.PROVINCE_OFFICER and g.province_code:
            parts.append(FACILITIES.c.province_code == g.province_code)
    return or_(*parts) if parts else None


def facilities_in_scope(engine: Engine, principal: Principal) -> list[FacilityChoice]:
    """The ACTIVE facilities whose sessions the principal may plan, by code (none for
    other roles)."""
    where = scope_filter(principal)
    if where is None:
        return []
    with engine.connect() as conn:
        rows = conn.execute(
            select(FACILITIES.c.code, FACILITIES.c.name, FACILITIES.c.district_code)
            .where(where, FACILITIES.c.status == "ACTIVE")  # as create_session
            .order_by(FACILITIES.c.code).limit(MAX_FACILITIES)).all()
    return [FacilityChoice(*r) for r in rows]


def sessions_of(engine: Engine, principal: Principal, facility_code: str, start: dt.date,
                end: dt.date) -> list[SessionRow]:
    """The facility's sessions from `start` to `end` (at most MAX_RANGE_DAYS), by day and
    time; Forbidden outside the principal's scope."""
    if end.toordinal() - start.toordinal() > MAX_RANGE_DAYS:  # no date arithmetic near
        end = dt.date.fromordinal(start.toordinal() + MAX_RANGE_DAYS)  # date.max
    with engine.connect() as conn:
        require_facility(conn, principal, facility_code)
        rows = conn.execute(
            select(SESSIONS).where(SESSIONS.c.facility_code == facility_code,
                                   SESSIONS.c.day >= start, SESSIONS.c.day <= end)
            .order_by(SESSIONS.c.day, SESSIONS.c.starts_at).limit(MAX_SESSIONS)).mappings()
        return [SessionRow(r["session_id"], r["facility_code"], r["day"], r["starts_at"],
                           r["ends_at"], r["capacity"], r["booked"], tuple(r["vaccines"]),
                           tuple(r["lots"]), r["status"]) for r in rows]


def session_brief(engine: Engine, principal: Principal, session_id: str) -> SessionRow:
    """One session, once the principal's scope over its facility is checked."""
    with engine.connect() as conn:
        r = session_in_scope(conn, principal, session_id)
    return SessionRow(r["session_id"], r["facility_code"], r["day"], r["starts_at"],
                      r["ends_at"], r["capacity"], r["booked"], tuple(r["vaccines"]),
                      tuple(r["lots"]), r["status"])


def lots_on_hand(engine: Engine, principal: Principal, facility_code: str,
                 day: dt.date | None) -> list[LotChoice]:
    """Lots with doses on hand at the facility's warehouses, not expired on `day`,
    first expiry first (agg_stock_on_hand, refreshed with every stock movement)."""
    with engine.connect() as conn:
        require_facility(conn, principal, facility_code)
        return _lots(conn, facility_code, day)


def _lots(conn: Connection, facility_code: str, day: dt.date | None) -> list[LotChoice]:
    q = (select(DIM_VACCINES.c.vaccine_code, STOCK.c.lot_number, STOCK.c.expiry_date,
                STOCK.c.doses)
         .join(WAREHOUSES, WAREHOUSES.c.warehouse_key == STOCK.c.warehouse_key)
         .join(DIM_VACCINES, DIM_VACCINES.c.vaccine_key == STOCK.c.vaccine_key)
         .where(WAREHOUSES.c.facility_code == facility_code, STOCK.c.doses > 0))
    if day is not None:
        q = q.where(or_(STOCK.c.expiry_date.is_(None), STOCK.c.expiry_date >= day))
    rows = conn.execute(q.order_by(STOCK.c.expiry_date, STOCK.c.lot_number)).all()
    merged: dict[tuple[str, str], LotChoice] = {}
    for code, lot, expiry, doses in rows:  # a lot held by two warehouses of the facility
        seen = merged.get((code, lot))
        merged[(code, lot)] = LotChoice(code, lot, expiry, doses + (seen.doses if seen else 0))
    return list(merged.values())


def staff_of(engine: Engine, principal: Principal, facility_code: str) -> list[StaffChoice]:
    """Active accounts holding a FACILITY_STAFF grant at the facility, by name."""
    with engine.connect() as conn:
        require_facility(conn, principal, facility_code)
        rows = conn.execute(
            select(USERS.c.id, USERS.c.display_name, USERS.c.username)
            .join(USER_ROLES, USER_ROLES.c.user_id == USERS.c.id)
            .where(USER_ROLES.c.role == Role.FACILITY_STAFF.value,
                   USER_ROLES.c.scope_code == facility_code, USERS.c.is_active.is_(True))
            .distinct().order_by(USERS.c.display_name, USERS.c.id)).all()
    return [StaffChoice(*r) for r in rows]
