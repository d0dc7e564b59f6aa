"""Facilities as their province and district officers manage them: the list of their area
by status, one facility with its warehouses, and the districts and wards a form offers.

Scope is the commands' (data.ops.commands.facilities.manages): a province officer sees the
facilities of its province, a district officer those of its district; other roles none.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Engine, and_, false, func, or_, select

from data.auth.roles import Principal, Role
from data.models.reference import District, Facility, Ward, Warehouse
from data.ops.commands.facilities import managed_row

FACILITIES = Facility.__table__
WAREHOUSES = Warehouse.__table__
DISTRICTS = District.__table__
WARDS = Ward.__table__
MAX_ROWS = 500  # a province's list; the status filter narrows it further


@dataclass(frozen=True)
class FacilityRow:
    """One line of the list."""

    code: str
    name: str
    kind: str
    district_code: str
    daily_capacity: int | None
    status: str
    warehouses: int


@dataclass(frozen=True)
class WarehouseRow:
    """A warehouse attached to a facility."""

    code: str
    name: str
    level: str
    capacity_litres: float | None


@dataclass(frozen=True)
class FacilityDetail:
    """A facility, as its form shows it, and its warehouses."""

    code: str
    name: str
    kind: str
    province_code: str
    district_code: str
    ward_code: str | None
    address: str | None
    daily_capacity: int | None
    status: str
    status_reason: str | None
    warehouses: tuple[WarehouseRow, ...]


def managed_filter(principal: Principal) -> ColumnElement[bool]:
    """WHERE clause of the facilities the principal manages (false when none)."""
    if principal.is_system:
        return FACILITIES.c.code.is_not(None)
    parts: list[ColumnElement[bool]] = []
    for g in principal.grants:
        if g.role == Role.PROVINCE_OFFICER and g.province_code:
            parts.append(FACILITIES.c.province_code == g.province_code)
        elif g.role == Role.DISTRICT_OFFICER and g.district_code:
            parts.append(and_(FACILITIES.c.province_code == g.province_code,
                              FACILITIES.c.district_code == g.district_code))
    return or_(*parts) if parts else false()


def managed_facilities(engine: Engine, principal: Principal, status: str | None = None
                       ) -> list[FacilityRow]:
    """The facilities the principal manages (of one status when given), PENDING first,
    then by code; at most MAX_ROWS."""
    counts = (select(WAREHOUSES.c.facility_code, func.count().label("n"))
              .group_by(WAREHOUSES.c.facility_code).subquery())
    q = (select(FACILITIES.c.code, FACILITIES.c.name, FACILITIES.c.kind,
                FACILITIES.c.district_code, FACILITIES.c.daily_capacity, FACILITIES.c.status,
                func.coalesce(counts.c.n, 0))
         .outerjoin(counts, counts.c.facility_code == FACILITIES.c.code)
         .where(managed_filter(principal)))
    if status is not None:
        q = q.where(FACILITIES.c.status == status)
    pending_first = (FACILITIES.c.status != "PENDING")
    with engine.connect() as conn:
        rows = conn.execute(q.order_by(pending_first, FACILITIES.c.code).limit(MAX_ROWS)).all()
    return [FacilityRow(*r) for r in rows]


def facility_detail(engine: Engine, principal: Principal, code: str) -> FacilityDetail:
    """One facility the principal manages with its warehouses; Forbidden outside the scope,
    OpsError when the code is unknown."""
    with engine.connect() as conn:
        row = managed_row(conn, principal, code)
        stores = conn.execute(
            select(WAREHOUSES.c.code, WAREHOUSES.c.name, WAREHOUSES.c.level,
                   WAREHOUSES.c.capacity_litres)
            .where(WAREHOUSES.c.facility_code == code).order_by(WAREHOUSES.c.code)).all()
    return FacilityDetail(
        str(row["code"]), str(row["name"]), str(row["kind"]), str(row["province_code"]),
        str(row["district_code"]), row["ward_code"], row["address"],  # type: ignore[arg-type]
        row["daily_capacity"], str(row["status"]), row["status_reason"],  # type: ignore[arg-type]
        tuple(WarehouseRow(*s) for s in stores))


def managed_districts(engine: Engine, principal: Principal) -> list[tuple[str, str]]:
    """(code, name) of the districts where the principal may register facilities."""
    parts: list[ColumnElement[bool]] = []
    for g in principal.grants:
        if g.role == Role.PROVINCE_OFFICER and g.province_code:
            parts.append(DISTRICTS.c.province_code == g.province_code)
        elif g.role == Role.DISTRICT_OFFICER and g.district_code:
            parts.append(DISTRICTS.c.code == g.district_code)
    where = DISTRICTS.c.code.is_not(None) if principal.is_system else (
        or_(*parts) if parts else false())
    with engine.connect() as conn:
        return [(c, n) for c, n in conn.execute(
            select(DISTRICTS.c.code, DISTRICTS.c.name_with_type).where(where)
            .order_by(DISTRICTS.c.code)).all()]


def wards_of(engine: Engine, district_code: str) -> list[tuple[str, str]]:
    """(code, name) of a district's wards (the GSO units are public)."""
    with engine.connect() as conn:
        return [(c, n) for c, n in conn.execute(
            select(WARDS.c.code, WARDS.c.name_with_type)
            .where(WARDS.c.district_code == district_code).order_by(WARDS.c.code)).all()]
